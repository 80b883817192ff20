"""A run or control chart drawn in the terminal (textual-plotext) from the SPC engine's result.

Nothing is computed here: the centre line, the limits, the phases, the baseline and the
signal points are the ones :func:`pdsa_core.analysis.analyze_indicator` returned; this
widget only places them on the screen:

* the value axis has whole-number ticks for counts, a percent axis for proportions and the
  decimal comma in Danish (:mod:`pdsa_core.formatting`);
* the labels along the top (annotations, numbered as in the list under the chart, the
  baseline and the phases) are laid out so they never overlap (:func:`place_labels`);
* the colours follow the app's theme, the high-contrast theme included.

:class:`ChartView` is the chart with its reading underneath (better or worse, why, the
legend and the numbered annotations); the indicator view, the dashboard and meeting mode
all show an indicator with it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from plotext import _utility as plotext_utility
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.strip import Strip
from textual.widget import Widget
from textual_plotext import PlotextPlot

from pdsa_core.formatting import fmt_number, fmt_percent
from pdsa_core.i18n import t
from pdsa_core.literal import visible
from pdsa_core.spc.labels import month_label
from tui.format import MEANING_COLORS, meaning_text
from tui.themes import HIGH_CONTRAST

_CONSOLE = Console()

RGB = tuple[int, int, int]


def _hex(color: str) -> RGB:
    value = color.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


#: colours of each element (RGB, so they are the same in every terminal), per theme. As in
#: "Making Data Count", the data are neutral and a signal takes the colour of its meaning:
#: blue for an improvement, orange for a concern, purple for neither (see tui.format).
PALETTES: dict[str, dict[str, RGB]] = {
    "default": {
        "data": (200, 200, 200),
        "cl": (60, 200, 90),
        "limits": (150, 150, 150),
        "baseline": (150, 150, 150),
        "phase": (220, 110, 230),
        "annotation": (40, 210, 220),
        **{f"signal_{key}": _hex(color) for key, color in MEANING_COLORS.items()},
    },
    HIGH_CONTRAST.name: {
        "data": (255, 255, 255),
        "cl": (0, 255, 0),
        "limits": (255, 255, 0),
        "baseline": (255, 255, 255),
        "phase": (255, 102, 255),
        "annotation": (0, 255, 255),
        "signal_improvement": (80, 190, 255),
        "signal_concern": (255, 160, 0),
        "signal_neither": (255, 102, 255),
        "signal_common_cause": (255, 255, 255),
        "signal_too_few": (255, 255, 255),
    },
}

#: charts whose values are whole numbers when the indicator counts something
WHOLE_NUMBER_CHARTS = frozenset({"run", "i", "c", "g", "mr"})


def palette(theme: str) -> dict[str, RGB]:
    return PALETTES.get(theme, PALETTES["default"])


def _rich(rgb: RGB, bold: bool = True) -> Style:
    r, g, b = rgb
    return Style.parse(f"{'bold ' if bold else ''}rgb({r},{g},{b})")


_STYLES: dict[tuple[Any, Any, Any], Style] = {}


def _style(fullground: Any, style: Any, background: Any) -> Style:
    """The rich style of a plotext colour triple (plotext's own ANSI codes, parsed once)."""
    key = (fullground, style, background)
    found = _STYLES.get(key)
    if found is None:
        code = plotext_utility.colors_to_ansi(fullground, style, background)
        found = _STYLES[key] = Text.from_ansi(f"{code}x").get_style_at_offset(_CONSOLE, 0)
    return found


def matrix_strips(plot: Any) -> list[Strip] | None:
    """Lay ``plot`` out and turn plotext's character matrix into lines, top line first.

    This reads plotext internals (the figure's ``monitor.matrix``); None if they are not
    there, and the caller uses plotext's public ``build()`` instead. A test checks that
    both give the same characters and styles.
    """
    try:
        plot._set_sizes()
        plot._build_matrix()
        matrix = plot.monitor.matrix
        markers, fullgrounds, styles, backgrounds = (
            matrix.marker,
            matrix.fullground,
            matrix.style,
            matrix.background,
        )
    except AttributeError:
        return None
    strips: list[Strip] = []
    for row in range(len(markers) - 1, -1, -1):
        chars, fg, st, bg = markers[row], fullgrounds[row], styles[row], backgrounds[row]
        segments: list[Segment] = []
        start = 0
        for col in range(1, len(chars) + 1):
            if col == len(chars) or fg[col] != fg[start] or st[col] != st[start] or bg[col] != bg[start]:
                segments.append(Segment("".join(chars[start:col]), _style(fg[start], st[start], bg[start])))
                start = col
        strips.append(Strip(segments, len(chars)))
    return strips


def segments(values: Sequence[float | None]) -> list[tuple[list[int], list[float]]]:
    """Runs of consecutive known values (a gap, None, breaks the line)."""
    runs: list[tuple[list[int], list[float]]] = []
    xs: list[int] = []
    ys: list[float] = []
    for i, value in enumerate(values):
        if value is None:
            if xs:
                runs.append((xs, ys))
                xs, ys = [], []
            continue
        xs.append(i)
        ys.append(value)
    if xs:
        runs.append((xs, ys))
    return runs


def level_ends(xs: list[int], ys: list[float]) -> tuple[list[int], list[float]]:
    """A line's points with each run of equal values cut to its two ends.

    A centre line or a limit is level over a phase: plotext draws a line through every point
    (a stretch between each two), which costs a key press ~30 % of the chart's drawing, and
    the two ends give the same cells."""
    keep = [i for i in range(len(xs)) if i in (0, len(xs) - 1) or ys[i] != ys[i - 1] or ys[i] != ys[i + 1]]
    return [xs[i] for i in keep], [ys[i] for i in keep]


# -- the value axis ------------------------------------------------------------------------------
def _decimals(step: float) -> int:
    """How many decimals show every tick of a step exactly (0.5 -> 1, 0.25 -> 2, 20 -> 0)."""
    for decimals in range(0, 7):
        if abs(round(step, decimals) - step) < 1e-9 * max(1.0, abs(step)):
            return decimals
    return 6


def axis_ticks(low: float, high: float, *, whole: bool = False, most: int = 6) -> list[float]:
    """Round tick values from ``low`` to ``high``: at least two and at most ``most`` of them
    (when the range allows), steps of 1, 2, 2.5 or 5 times a power of ten; with ``whole``
    only whole numbers (a count of 3.6 persons means nothing)."""
    most = max(2, most)
    span = high - low
    if span <= 0:
        span = abs(high) or 1.0
        low, high = min(low, high - span / 2), max(high, low + span / 2)
    multiples = (1, 2, 5) if whole else (1, 2, 2.5, 5)
    magnitude = 10 ** math.floor(math.log10(span))
    steps = sorted(
        m * magnitude * 10**k
        for k in (-2, -1, 0, 1)
        for m in multiples
        if not whole or m * magnitude * 10**k >= 1
    )
    chosen: list[float] = []
    for step in steps:  # the finest step that needs no more than `most` ticks
        ticks = _ticks(low, high, step)
        if len(ticks) <= most:
            chosen = ticks
            break
    if len(chosen) < 2:  # the range is narrow: the coarsest step that still gives two ticks
        two = [(step, ticks) for step in steps if len(ticks := _ticks(low, high, step)) >= 2]
        if two:
            step, chosen = two[-1]
            if len(chosen) > max(most, 3):
                # four or five ticks where the room is for two (1..800 in steps of 200): keep the
                # multiples of twice the step, still round, and always two of them
                chosen = [v for v in chosen if abs(v / (2 * step) - round(v / (2 * step))) < 1e-9]
    return chosen or ([] if whole else [low])


def _ticks(low: float, high: float, step: float) -> list[float]:
    first = math.ceil(low / step - 1e-9) * step
    count = math.floor((high - first) / step + 1e-9) + 1
    if count > 200:
        return [0.0] * 201  # too many to bother listing
    return [round(first + i * step, 10) + 0.0 for i in range(max(0, count))]


def axis_labels(ticks: Sequence[float], lang: str, *, percent: bool = False) -> list[str]:
    """The ticks as people write them: "2,5" in Danish, "40 %" on a percent axis."""
    if len(ticks) > 1:
        step = min(b - a for a, b in zip(ticks, ticks[1:], strict=False))
        decimals = _decimals(step)
    else:
        decimals = _decimals(ticks[0]) if ticks else 0
    if percent:
        return [fmt_percent(v, lang, decimals=decimals) for v in ticks]
    return [fmt_number(v, lang, decimals=decimals) for v in ticks]


@dataclass(frozen=True)
class ValueAxis:
    """Where the value ticks go (in the chart's scale) and what they say."""

    ticks: list[float]
    labels: list[str]


def value_axis(
    low: float, high: float, *, unit: str, chart: str, multiply: float, lang: str, most: int
) -> ValueAxis:
    """Ticks for an indicator's chart: whole numbers for a count, per cent for a proportion."""
    if unit == "proportion":
        scale = 100.0 / multiply  # chart value -> per cent
        ticks = axis_ticks(low * scale, high * scale, most=most)
        return ValueAxis([v / scale for v in ticks], axis_labels(ticks, lang, percent=True))
    whole = unit == "count" and multiply == 1 and chart in WHOLE_NUMBER_CHARTS
    ticks = axis_ticks(low, high, whole=whole, most=most)
    return ValueAxis(ticks, axis_labels(ticks, lang))


# -- labels along the top ------------------------------------------------------------------------
@dataclass
class TopLabel:
    """A label on the top rows: ``x`` is the point it belongs to (its first character sits there)."""

    x: float
    text: str
    color: str
    numbers: tuple[int, ...] = ()
    """the annotation numbers it stands for (annotation markers close together share one label)"""


def merge_markers(
    markers: Sequence[tuple[float, int]], chars_per_point: float, gap: int = 2
) -> list[TopLabel]:
    """Annotation markers ``(x, number)`` as labels "▼3"; markers closer than a label's width
    share one ("▼3,4") so that the numbers can all be read."""
    labels: list[TopLabel] = []
    for x, number in sorted(markers):
        if labels:
            last = labels[-1]
            end = last.x * chars_per_point + len(last.text) + gap
            if x * chars_per_point < end:
                last.numbers = (*last.numbers, number)
                last.text = "▼" + ",".join(str(n) for n in last.numbers)
                continue
        labels.append(TopLabel(x, f"▼{number}", "annotation", (number,)))
    return labels


def place_labels(labels: Sequence[TopLabel], chars_per_point: float, width: int, gap: int = 2) -> list[int]:
    """The top row (0, 1, ...) of each label so that no two overlap and none runs off the
    right edge (``width`` characters from the first point); new rows are added as needed."""
    ends: list[float] = []  # per row, where the last label on it ends
    rows: list[int] = []
    for label in labels:
        start = max(0.0, min(label.x * chars_per_point, width - len(label.text)))
        for row, end in enumerate(ends):
            if start >= end + gap:
                ends[row] = start + len(label.text)
                rows.append(row)
                break
        else:
            ends.append(start + len(label.text))
            rows.append(len(ends) - 1)
    return rows


# -- the chart widget -----------------------------------------------------------------------------
class SpcChart(PlotextPlot):
    """Draws one :class:`~pdsa_core.analysis.IndicatorAnalysis` (or a message when there is none).

    Drawn through Textual's line API: plotext lays the plot out in its character matrix and
    the lines are made from that matrix directly (:func:`matrix_strips`), instead of having
    plotext write ANSI text that is then parsed back; it halves the time of a repaint. The
    plot is built when it is painted, for the size it has then (the ticks and the labels
    along the top depend on it).
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self._drawn = 0
        self._cache: tuple[tuple[Any, ...], list[Strip]] | None = None
        self._analysis: Any = None
        self._lang = "da"
        self._message: str | None = None

    def render_line(self, y: int) -> Strip:
        strips = self.strips()
        return strips[y] if 0 <= y < len(strips) else Strip.blank(self.size.width)

    def strips(self) -> list[Strip]:
        """The plot's lines (made once per drawing, size and theme)."""
        key = (self._drawn, self.size, self.app.theme)
        if self._cache is None or self._cache[0] != key:
            width, height = self.size
            plot = self._plot
            plot.clear_figure()
            # the theme first: a text label takes the canvas colour it has when it is added
            plot.theme(self._get_plotext_theme_name(self.app.theme))
            if self._message is not None:
                plot.title(self._message)
            elif self._analysis is not None:
                self._build(plot, self._analysis, self._lang, width, height)
            plot.plotsize(width, height)
            plot._set_size(width, height)  # as PlotextPlot.render does (textual-plotext issue 5)
            strips = matrix_strips(plot)
            if strips is None:  # another plotext inside: its public ANSI text
                text = Text.from_ansi(plot.build())
                strips = [Strip(line.render(self.app.console)) for line in text.split("\n")]
            self._cache = (key, strips)
        return self._cache[1]

    def refresh(self, *args: Any, **kwargs: Any) -> Any:
        self._drawn += 1
        return super().refresh(*args, **kwargs)

    def show_message(self, message: str) -> None:
        self._message = message
        self._analysis = None
        self.refresh()

    def draw(self, analysis: Any, lang: str) -> None:
        """Show ``analysis`` (drawn at the next paint, for the size the widget has then)."""
        self._message = None if analysis.series.result.y else t("tui.ind.no_data")
        self._analysis = analysis
        self._lang = lang
        self.refresh()

    @property
    def chart_colors(self) -> dict[str, RGB]:
        """The chart's colours in the current theme (DOMNode.colors is Textual's own)."""
        return palette(self.app.theme)

    def signal_color(self, analysis: Any) -> RGB:
        """The colour of the signal's points: that of its meaning (better, worse, neither)."""
        return self.chart_colors[f"signal_{analysis.meaning().variation}"]

    def _build(self, plt: Any, analysis: Any, lang: str, width: int, height: int) -> None:
        series = analysis.series
        result = series.result
        verdict = analysis.verdict(lang)
        colors = self.chart_colors
        signal_colour = self.signal_color(analysis)
        n = len(result.y)
        signal_phases = {f.part for f in verdict.findings if f.scope == "phase"}
        indicator = analysis.indicator
        # the value axis: its labels' width decides how wide the plotting area is
        low, high = self._bottom(result), self._top(result)
        if low == high:
            high = low + 1
        rows = max(3, height - 3)  # the frame and the month labels take three lines
        axis = value_axis(
            low,
            high,
            unit=indicator.unit.value,
            chart=result.chart,
            multiply=indicator.multiply,
            lang=lang,
            most=max(2, min(6, rows // 2)),
        )
        label_width = max((len(label) for label in axis.labels), default=1)
        columns = max(10, width - label_width - 2)
        per_point = columns / max(1, n)
        # the labels along the top: baseline, phases, annotations (numbered as listed below)
        top_labels: list[TopLabel] = []
        if series.freeze:
            top_labels.append(TopLabel(series.freeze - 0.5, f"◂ {t('tui.chart.baseline')}", "baseline"))
        for phase, reason in zip(result.phases[1:], series.phase_reasons[1:], strict=False):
            top_labels.append(
                TopLabel(phase.first_xx - 1, visible(reason or t("tui.chart.phase"))[:24], "phase")
            )
        markers = [
            (series.periods.index(period), number)
            for number, period in enumerate(self.annotation_periods(analysis), start=1)
            if period in series.periods
        ]
        top_labels += merge_markers(markers, per_point)
        top_labels.sort(key=lambda label: label.x)
        label_rows = place_labels(top_labels, per_point, columns)
        used_rows = max(label_rows, default=-1) + 1
        upper = high
        if used_rows and rows - 1 - used_rows > 0:
            k = used_rows + 0.5  # the labels' rows lie above the highest value
            upper = (high * (rows - 1) - k * low) / (rows - 1 - k)
        row_height = (upper - low) / max(1, rows - 1)
        # the data
        for xs, ys in segments(result.y):
            plt.plot(xs, ys, marker="·", color=colors["data"])
            plt.scatter(xs, ys, marker="●", color=colors["data"])
        # centre line and limits, phase by phase (each phase has its own)
        for phase in result.phases:
            idx = list(phase.indices)
            colour = signal_colour if phase.part in signal_phases else colors["cl"]
            for xs, ys in segments([result.cl[i] for i in idx]):
                plt.plot(*level_ends([idx[x] for x in xs], ys), marker="─", color=colour)
            if result.has_limits:
                for column in (result.lcl, result.ucl):
                    for xs, ys in segments([column[i] for i in idx]):
                        plt.plot(*level_ends([idx[x] for x in xs], ys), marker="┄", color=colors["limits"])
        if series.freeze:
            plt.vline(series.freeze - 0.5, colors["baseline"])
        for phase in result.phases[1:]:
            plt.vline(phase.first_xx - 1.5, colors["phase"])
        for label, row in zip(top_labels, label_rows, strict=True):
            x = max(-0.5, min(label.x, n - 0.5 - len(label.text) / per_point))
            plt.text(label.text, x=x, y=upper - row * row_height, color=colors[label.color], alignment="left")
        # signals: the points a rule points at, and points outside the limits
        flagged = sorted({i for f in verdict.findings if f.scope == "points" for i in f.indices})
        outside = [i for i in range(n) if result.sigma_signal[i]]
        for points, colour, marker in ((flagged, signal_colour, "◆"), (outside, signal_colour, "✖")):
            points = [i for i in points if result.y[i] is not None]
            if points:
                plt.scatter(points, [result.y[i] for i in points], marker=marker, color=colour)
        # axes: months along the bottom, round values up the side
        step = max(1, math.ceil(n / max(1, columns // 9)))
        ticks = list(range(0, n, step))
        plt.xticks(
            ticks,
            [month_label(result.x[i], lang) if hasattr(result.x[i], "month") else str(i + 1) for i in ticks],
        )
        plt.yticks(axis.ticks, axis.labels)
        plt.xlim(-0.5, n - 0.5)
        plt.ylim(low, upper)

    def legend(self, analysis: Any) -> Text:
        """What the marks mean (under the chart, in the current language and the chart's colours)."""
        colors = self.chart_colors
        result = analysis.series.result
        centre = t("tui.chart.median") if result.chart in ("run", "g") else t("tui.chart.mean")
        phase_signal = any(f.scope == "phase" for f in analysis.verdict("da").findings)
        parts: list[tuple[str, Style | str]] = [
            ("● ", _rich(colors["data"])),
            (t("tui.chart.data") + "  ", ""),
            ("─ ", _rich(self.signal_color(analysis) if phase_signal else colors["cl"])),
            (centre + "  ", ""),
        ]
        if result.has_limits:
            parts += [("┄ ", _rich(colors["limits"])), (t("tui.chart.limits") + "  ", "")]
        parts += [("◆ ", _rich(self.signal_color(analysis))), (t("tui.chart.signal") + "  ", "")]
        if result.has_limits:
            parts += [("✖ ", _rich(self.signal_color(analysis))), (t("tui.chart.outside") + "  ", "")]
        if analysis.annotations:
            parts += [("▼ ", _rich(colors["annotation"])), (t("annotations"), "")]
        return Text.assemble(*parts)

    def annotation_lines(self, analysis: Any, lang: str) -> list[Text]:
        """The numbered annotations, one line each, as the chart numbers them."""
        lines = []
        colour = _rich(self.chart_colors["annotation"])
        for number, annotation in enumerate(analysis.annotations, start=1):
            split = f" · {t('tui.ind.phase_split')}" if annotation.phase_split else ""
            line = Text.assemble((f"▼{number} ", colour), (f"{annotation.date} ", "dim"))
            line.append(visible(annotation.text))
            line.append(split, style="dim")
            lines.append(line)
        return lines

    @staticmethod
    def annotation_periods(analysis: Any) -> list[str]:
        return [a.period for a in analysis.annotations]

    @staticmethod
    def _values(result: Any) -> list[float]:
        values = [v for v in result.y if v is not None]
        for column in (result.cl, result.ucl, result.lcl) if result.has_limits else (result.cl,):
            values += [v for v in column if v is not None]
        return values or [0.0]

    def _top(self, result: Any) -> float:
        return max(self._values(result))

    def _bottom(self, result: Any) -> float:
        low = min(self._values(result))
        return min(0.0, low)


# -- the reading under the chart ------------------------------------------------------------------
class ChartNotes(Widget):
    """Lines under a chart that fit the box: the ones that wrap are wrapped, one-line ones
    (the annotations) are cut with "…", and what does not fit ends in "… N more lines".

    As high as its lines, up to the stylesheet's ``max-height``; new text of the same
    number of lines repaints this box only (as :class:`~tui.widgets.textbox.TextBox`),
    which keeps stepping through indicators quick.
    """

    DEFAULT_CSS = """
    ChartNotes {
        height: auto;
        max-height: 8;
        padding: 0 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self._parts: list[tuple[Text, bool]] = []
        self._cache: tuple[tuple[int, int, int], Content] | None = None
        self._version = 0
        self._line_count = 0

    def update(self, parts: Iterable[tuple[Text, bool]] | Text | str) -> None:
        """``(text, wrap)`` pairs, or one text (wrapped)."""
        if isinstance(parts, (str, Text)):
            parts = [(parts if isinstance(parts, Text) else Text(parts), True)]
        self._parts = list(parts)
        self._version += 1
        count = len(self.lines(self.content_region.width, 0))
        self.refresh(layout=count != self._line_count)
        self._line_count = count

    @property
    def content(self) -> Text:
        """All the text (unwrapped), for tests and for reading it back."""
        return Text("\n").join(text for text, _ in self._parts)

    def lines(self, width: int, height: int) -> list[Text]:
        """The lines shown in a box of ``width`` x ``height`` (0: as many as there are)."""
        width = max(1, width)
        lines: list[Text] = []
        for text, wrap in self._parts:
            if wrap:
                lines.extend(text.wrap(_CONSOLE, width))
            else:
                line = text.copy()
                line.truncate(width, overflow="ellipsis")
                lines.append(line)
        if height > 0 and len(lines) > height:
            hidden = len(lines) - height + 1
            lines = [*lines[: height - 1], Text(t("tui.chart.more_lines", n=hidden), style="dim italic")]
        return lines

    def get_content_height(self, container: Any, viewport: Any, width: int) -> int:
        return max(1, len(self.lines(width, 0)))

    def render(self) -> Content:
        width, height = self.content_region.size
        key = (width, height, self._version)
        if self._cache is None or self._cache[0] != key:
            self._cache = (key, Content.from_rich_text(Text("\n").join(self.lines(width, height))))
        return self._cache[1]


def reading_parts(
    chart: SpcChart, analysis: Any, lang: str, hints: dict[str, str] | None = None
) -> list[tuple[Text, bool]]:
    """What the chart says, line by line: better or worse (with its symbol and colour) and the
    rules' reading, the runs statistics, why it cannot be read yet and what to do, the
    legend, then the numbered annotations. ``hints`` add a screen's keys to notes of a kind
    (``{"baseline": "b"}`` after a note about the baseline)."""
    reading = analysis.verdict(lang)
    meaning = analysis.meaning()
    if meaning.signal:  # "▲ Forbedring — Ikke-tilfældig variation: længste serie 17 (grænse 9)"
        head = meaning_text(meaning)
        head.append(" — ")
        head.append(reading.text, style="bold")
    else:  # "≈ Tilfældig variation", "… For få datapunkter (2 af mindst 10)"
        head = meaning_text(meaning, words=reading.text)
    parts: list[tuple[Text, bool]] = [(head, True)]
    for detail in reading.details:
        parts.append((Text(detail, style="dim"), True))
    for note in analysis.notes:
        line = Text(note.text(lang), style="italic")
        hint = (hints or {}).get(getattr(note, "kind", ""))
        if hint:
            line.append(f" ({hint})", style="bold")
        parts.append((line, True))
    parts.append((chart.legend(analysis), True))
    parts += [(line, False) for line in chart.annotation_lines(analysis, lang)]
    return parts


class ChartView(Vertical):
    """An indicator's chart with its reading underneath (see :func:`reading_parts`).

    ``show(analysis, lang)`` draws both; ``show_message(title, text)`` when there is nothing
    to draw. The ids of the chart and the notes can be given, so a screen can style and
    query them (the indicator view calls them ``chart`` and ``verdict``).
    """

    DEFAULT_CSS = """
    ChartView {
        height: 1fr;
    }
    ChartView > SpcChart {
        height: 1fr;
        min-height: 8;
    }
    """

    def __init__(
        self, *, id: str | None = None, chart_id: str | None = None, notes_id: str | None = None
    ) -> None:  # noqa: A002
        super().__init__(id=id)
        self.chart = SpcChart(id=chart_id)
        self.notes = ChartNotes(id=notes_id)
        self.analysis: Any = None

    def compose(self) -> ComposeResult:
        yield self.chart
        yield self.notes

    def show(self, analysis: Any, lang: str, *, hints: dict[str, str] | None = None) -> None:
        self.analysis = analysis
        self.chart.draw(analysis, lang)
        self.notes.update(reading_parts(self.chart, analysis, lang, hints))

    def show_message(self, title: str, text: Text | str = "") -> None:
        self.analysis = None
        self.chart.show_message(title)
        self.notes.update(text if isinstance(text, Text) else Text(text, style="dim"))
