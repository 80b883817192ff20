"""The dashboard's sparkline draws exactly what Textual's sparkline draws."""

from __future__ import annotations

import random

import pytest
from rich.color import Color
from rich.console import Console
from rich.segment import Segment
from textual.renderables.sparkline import Sparkline as TextualSparkline

from tui.widgets.sparkline import Sparkline, sparkline_lines

LOW, HIGH = Color.parse("#1e4f8a"), Color.parse("#88c0ff")


def _series() -> list[list[float]]:
    rng = random.Random(13)
    found: list[list[float]] = [[], [5.0], [3.0, 3.0, 3.0], [0.0, -2.5, 7.25], [1e-9, 2e-9]]
    for count in (2, 7, 23, 24, 25, 48, 120):
        found.append([rng.choice((rng.gauss(10, 4), float(rng.randint(0, 20)))) for _ in range(count)])
        found.append([round(rng.random(), 3) for _ in range(count)])  # proportions
    return found


@pytest.mark.parametrize("width", [1, 10, 16, 24, 30])
@pytest.mark.parametrize("height", [1, 3])
def test_the_same_segments_as_textuals_sparkline(width: int, height: int) -> None:
    console = Console(width=120, color_system="truecolor", force_terminal=True)
    options = console.options.update_width(width)
    for data in _series():
        ours = Sparkline(data, width=width, height=height, min_color=LOW, max_color=HIGH)
        textual = TextualSparkline(data, width=width, height=height, min_color=LOW, max_color=HIGH)
        expected = list(console.render(textual, options))
        assert list(console.render(ours, options)) == expected, (data, width, height)


@pytest.mark.parametrize("height", [1, 3])
def test_its_lines_as_texts_keep_every_bar_and_colour(height: int) -> None:
    """The dashboard sets a sparkline beside other texts in one line (sparkline_lines): the
    same characters in the same styles, line by line, as the sparkline's own segments."""
    console = Console(width=120, color_system="truecolor", force_terminal=True)
    for data in _series():
        sparkline = Sparkline(data, width=24, height=height, min_color=LOW, max_color=HIGH)
        lines = sparkline_lines(sparkline, console, height)
        expected = list(Segment.split_lines(console.render(sparkline, console.options.update_width(24))))
        assert len(lines) == height
        for text, segments in zip(lines, expected, strict=True):
            assert text.cell_len == 24
            shown = list(Segment.simplify(s for s in text.render(console) if s.text.strip()))
            assert shown == list(Segment.simplify(s for s in segments if s.text.strip()))
            assert text.plain.rstrip() == "".join(s.text for s in segments).rstrip()
