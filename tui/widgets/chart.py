"""A run or control chart drawn in the terminal (textual-plotext) from the SPC engine's result.

Nothing is computed here: the centre line, the limits, the phases, the baseline and the
signal points are the ones :func:`pdsa_core.analysis.analyze_indicator` returned; this
widget only places them on the screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from plotext import _utility as plotext_utility
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip
from textual_plotext import PlotextPlot

from pdsa_core.i18n import t
from pdsa_core.spc.labels import month_label

_CONSOLE = Console()

#: plotext colours of each element (plotext names; they work in every terminal)
COLORS = {
    "data": "blue+",
    "cl": "green+",
    "cl_signal": "red+",
    "limits": "orange",
    "baseline": "gray",
    "phase": "magenta+",
    "annotation": "cyan+",
    "signal": "red+",
    "outside": "red+",
}


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


class SpcChart(PlotextPlot):
    """Draws one :class:`~pdsa_core.analysis.IndicatorAnalysis` (or a message when there is none).

    Drawn through Textual's line API: plotext lays the plot out in its character matrix and
    the lines are made from that matrix directly (:func:`matrix_strips`), instead of having
    plotext write ANSI text that is then parsed back; it halves the time of a repaint.
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self._drawn = 0
        self._cache: tuple[tuple[Any, ...], list[Strip]] | None = None

    def render_line(self, y: int) -> Strip:
        strips = self.strips()
        return strips[y] if 0 <= y < len(strips) else Strip.blank(self.size.width)

    def strips(self) -> list[Strip]:
        """The plot's lines (made once per drawing, size and theme)."""
        key = (self._drawn, self.size, self.app.theme)
        if self._cache is None or self._cache[0] != key:
            width, height = self.size
            plot = self._plot
            plot.plotsize(width, height)
            plot._set_size(width, height)  # as PlotextPlot.render does (textual-plotext issue 5)
            plot.theme(self._get_plotext_theme_name(self.app.theme))
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
        plt = self.plt
        plt.clear_figure()
        plt.title(message)
        self.refresh()

    def draw(self, analysis: Any, lang: str) -> None:
        series = analysis.series
        result = series.result
        verdict = analysis.verdict(lang)
        plt = self.plt
        plt.clear_figure()
        n = len(result.y)
        if n == 0:
            self.show_message(t("tui.ind.no_data"))
            return
        signal_phases = {f.part for f in verdict.findings if f.scope == "phase"}
        # the data
        for xs, ys in segments(result.y):
            plt.plot(xs, ys, marker="·", color=COLORS["data"])
            plt.scatter(xs, ys, marker="●", color=COLORS["data"])
        # centre line and limits, phase by phase (each phase has its own)
        for phase in result.phases:
            idx = list(phase.indices)
            colour = COLORS["cl_signal"] if phase.part in signal_phases else COLORS["cl"]
            for xs, ys in segments([result.cl[i] for i in idx]):
                plt.plot([idx[x] for x in xs], ys, marker="─", color=colour)
            if result.has_limits:
                for column in (result.lcl, result.ucl):
                    for xs, ys in segments([column[i] for i in idx]):
                        plt.plot([idx[x] for x in xs], ys, marker="┄", color=COLORS["limits"])
        top = self._top(result)
        # baseline: where the centre line was frozen
        if series.freeze:
            plt.vline(series.freeze - 0.5, COLORS["baseline"])
            plt.text(
                f"◂ {t('tui.chart.baseline')}",
                x=series.freeze - 0.5,
                y=top,
                color=COLORS["baseline"],
                alignment="left",
            )
        # phases: a line where each new phase starts, with its reason
        for phase, reason in zip(result.phases[1:], series.phase_reasons[1:], strict=False):
            x = phase.first_xx - 1
            plt.vline(x - 0.5, COLORS["phase"])
            plt.text(
                (reason or t("tui.chart.phase"))[:24], x=x, y=top, color=COLORS["phase"], alignment="left"
            )
        # annotations (PDSA start/end, law changes …), numbered as in the list under the chart
        for number, period in enumerate(self.annotation_periods(analysis), start=1):
            if period in series.periods:
                x = series.periods.index(period)
                plt.text(f"▼{number}", x=x, y=top, color=COLORS["annotation"], alignment="center")
        # signals: the points a rule points at, and points outside the limits
        flagged = sorted({i for f in verdict.findings if f.scope == "points" for i in f.indices})
        outside = [i for i in range(n) if result.sigma_signal[i]]
        for points, colour, marker in ((flagged, COLORS["signal"], "◆"), (outside, COLORS["outside"], "✖")):
            points = [i for i in points if result.y[i] is not None]
            if points:
                plt.scatter(points, [result.y[i] for i in points], marker=marker, color=colour)
        # axis: months
        step = max(1, n // 8)
        ticks = list(range(0, n, step))
        plt.xticks(
            ticks,
            [month_label(result.x[i], lang) if hasattr(result.x[i], "month") else str(i + 1) for i in ticks],
        )
        plt.xlim(-0.5, n - 0.5)
        plt.ylim(self._bottom(result), top * 1.08 if top > 0 else 1)
        self.refresh()

    @staticmethod
    def legend(analysis: Any) -> Text:
        """What the marks mean (under the chart, in the current language)."""
        result = analysis.series.result
        centre = t("tui.chart.median") if result.chart in ("run", "g") else t("tui.chart.mean")
        phase_signal = any(f.scope == "phase" for f in analysis.verdict("da").findings)
        parts: list[tuple[str, str]] = [
            ("● ", "bold blue"),
            (t("tui.chart.data") + "  ", ""),
            ("─ ", "bold red" if phase_signal else "bold green"),
            (centre + "  ", ""),
        ]
        if result.has_limits:
            parts += [("┄ ", "bold dark_orange"), (t("tui.chart.limits") + "  ", "")]
        parts += [("◆ ", "bold red"), (t("tui.chart.signal") + "  ", "")]
        if result.has_limits:
            parts += [("✖ ", "bold red"), (t("tui.chart.outside") + "  ", "")]
        if analysis.annotations:
            parts += [("▼ ", "bold cyan"), (t("annotations"), "")]
        return Text.assemble(*parts)

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
