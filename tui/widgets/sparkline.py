"""The dashboard's trend: Textual's sparkline, drawn the same with less work.

Textual's :class:`textual.renderables.sparkline.Sparkline` divides the values into buckets
with :class:`fractions.Fraction` and makes a new colour and style for every bar; the
indicator table draws 30 of them (24 bars each) for its first paint, about a third of the
table's cost. :class:`Sparkline` gives the same segments (the tests compare them with
Textual's) from integer bucket bounds and one style per bar height.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence

from rich.color import Color
from rich.console import Console, ConsoleOptions
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.text import Span, Text

BARS = "▁▂▃▄▅▆▇█"


def blend_colors(low: Color, high: Color, ratio: float) -> Color:
    """The colour ``ratio`` of the way from ``low`` to ``high`` (as Textual's private
    ``blend_colors``, which its sparkline uses)."""
    if low.triplet is None or high.triplet is None:
        return high
    r1, g1, b1 = low.triplet
    r2, g2, b2 = high.triplet
    return Color.from_rgb(r1 + (r2 - r1) * ratio, g1 + (g2 - g1) * ratio, b1 + (b2 - b1) * ratio)


@functools.lru_cache(maxsize=1024)
def bar_style(low: Color, high: Color, ratio: float) -> Style:
    """The style of a bar ``ratio`` of the way from the lowest value to the highest: the same
    for every sparkline of a dashboard (its colours come from the theme), and counts give
    the same few ratios again and again, so it is made once."""
    return Style.from_color(blend_colors(low, high, ratio))


class Sparkline:
    """``data`` as bars of ``width`` columns and ``height`` lines (each bucket's maximum),
    coloured from ``min_color`` (the lowest value) to ``max_color`` (the highest)."""

    def __init__(
        self,
        data: Sequence[float],
        *,
        width: int | None,
        height: int | None = None,
        min_color: Color,
        max_color: Color,
    ) -> None:
        self.data = data
        self.width = width
        self.height = height
        self.min_color = min_color
        self.max_color = max_color

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        width = self.width or options.max_width
        height = self.height or 1
        data = list(self.data)
        count = len(data)
        if count == 0:
            for _ in range(height - 1):
                yield Segment.line()
            yield Segment("▁" * width, Style.from_color(self.min_color))
            return
        if count == 1:
            for line in range(height):
                yield Segment("█" * width, Style.from_color(self.max_color))
                if line < height - 1:
                    yield Segment.line()
            return
        # Textual's bucket k is data[int(Fraction(count, width) * k) : int(... * (k + 1))]
        bounds = [count * k // width for k in range(width + 1)]
        summaries = [max(data[a:b]) for a, b in zip(bounds, bounds[1:], strict=False) if b > a]
        minimum, maximum = min(data), max(data)
        extent = maximum - minimum or 1
        bar_segments = len(BARS) * height - 1
        ratios = [(summary - minimum) / extent for summary in summaries]
        styles: dict[float, Style] = {}
        step = len(summaries) / width
        for line in reversed(range(height)):
            low, high = line * len(BARS), (line + 1) * len(BARS)
            index = 0.0
            for _ in range(width):
                ratio = ratios[int(index)]
                index += step
                bar_index = int(ratio * bar_segments)
                if bar_index < low:
                    yield Segment(" ", None)
                    continue
                bar = "█" if bar_index >= high else BARS[bar_index % len(BARS)]
                style = styles.get(ratio)
                if style is None:
                    style = styles[ratio] = bar_style(self.min_color, self.max_color, ratio)
                yield Segment(bar, style)
            if line > 0:
                yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(self.width or options.max_width, self.height or 1)


def sparkline_lines(sparkline: Sparkline, console: Console, height: int) -> list[Text]:
    """The sparkline's ``height`` lines as texts of its width (each bar in its colour), to be
    set beside other texts in one line."""
    width = sparkline.width or console.options.max_width
    lines: list[Text] = []
    for line in Segment.split_lines(sparkline.__rich_console__(console, console.options)):
        spans: list[Span] = []
        offset = 0
        for piece, style, _ in line:
            end = offset + len(piece)
            if style is not None:
                if spans and spans[-1].end == offset and spans[-1].style == style:
                    spans[-1] = Span(spans[-1].start, end, style)
                else:
                    spans.append(Span(offset, end, style))
            offset = end
        lines.append(Text("".join(segment.text for segment in line), spans=spans))
    lines = lines[:height] + [Text() for _ in range(height - len(lines))]
    for text in lines:
        text.pad_right(width - text.cell_len)
    return lines
