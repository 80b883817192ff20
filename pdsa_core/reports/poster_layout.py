"""How much room text and blocks take on a printed poster, in millimetres, before a browser lays it out.

The storyboard is one A3 page that must never cut what it holds. The browser only knows the
real heights when it prints, so the storyboard decides what goes on the first page from these
estimates and moves what does not fit to a second page. The estimates are deliberately on the
generous side (a wide average glyph, a little slack per block): a block that would have fitted
is moved rather than one that does not fit being cut. The tests print the demo teams, a team
with ten indicators and one with long texts in Chromium and check every row is on paper.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

PT = 0.3528  # one point in millimetres
#: average glyph width as a share of the font size (Arial/Helvetica mixed text, Danish words,
#: rounded up so estimates err towards "does not fit")
GLYPH = 0.48


def text_lines(text: str, width_mm: float, font_pt: float, *, bold: bool = False) -> int:
    """Lines that ``text`` wraps to in a box ``width_mm`` wide (a long word breaks where it must)."""
    per_line = max(1, int(width_mm / (font_pt * PT * (GLYPH + (0.06 if bold else 0.0)))))
    lines = 0
    for paragraph in (text or "").split("\n"):
        words = paragraph.split()
        if not words:
            lines += 1
            continue
        used = 0
        count = 1
        for word in words:
            length = len(word)
            if used and used + 1 + length > per_line:
                count += 1
                used = 0
            if length > per_line:  # broken inside the word
                count += (used + length - 1) // per_line
                used = (used + length) % per_line or per_line
            else:
                used += (1 if used else 0) + length
        lines += count
    return max(lines, 1)


def text_height(
    text: str, width_mm: float, font_pt: float, *, line: float = 1.3, bold: bool = False
) -> float:
    """Height in millimetres of ``text`` wrapped in a box ``width_mm`` wide."""
    return text_lines(text, width_mm, font_pt, bold=bold) * font_pt * PT * line


@dataclass
class Column:
    """A poster column being filled: what fits on the first page, and what moves on."""

    height: float
    used: float = 0.0
    moved: list[Any] = field(default_factory=list)

    def take(self, height: float, item: Any, *, keep: bool = False) -> bool:
        """Put ``item`` of ``height`` here if it fits (``keep``: always, it must be on page one)."""
        if not self.moved and (keep or self.used + height <= self.height):
            self.used += height
            return True
        self.moved.append(item)
        return False

    @property
    def left(self) -> float:
        return max(self.height - self.used, 0.0)


def fit_font(text: str, width_mm: float, height_mm: float, largest: float, smallest: float) -> float:
    """The largest font size (pt, in half points) from ``largest`` down to ``smallest`` at which
    ``text`` fits the box; ``smallest`` when none does."""
    size = largest
    while size > smallest and text_height(text, width_mm, size, bold=True) > height_mm:
        size -= 0.5
    return max(size, smallest)


def rows_that_fit(heights: list[float], room: float) -> int:
    """How many of the rows (in order) fit in ``room`` millimetres."""
    total = 0.0
    for k, h in enumerate(heights):
        total += h
        if total > room:
            return k
    return len(heights)


def ceil_mm(value: float) -> float:
    return math.ceil(value * 2) / 2
