"""Render a :class:`ChartResult` as an SVG or PNG chart in the style of qicharts2.

matplotlib is imported inside :func:`chart_figure` (Agg canvas, no pyplot and no global
state), so importing :mod:`pdsa_core.spc` never loads it.

Style (qicharts2's plot): data as points and line (qicharts2's blue); centre line solid,
dashed when the phase has a runs signal; control limits grey; 95 % lines dotted; phases
separated by vertical lines, each with its own centre line; baseline shaded; the verdict
of the last phase as subtitle. Beyond qicharts2:

* **Signals by shape and colour**, so a black-and-white print keeps them: a point outside
  the limits is a triangle up (▲, improvement), a triangle down (▼, concern) or a diamond
  (◆, no direction) where normal points are circles; the colours and words come from
  :mod:`pdsa_core.spc.meaning`, the same reading the TUI and the reports show.
* The **target** is a labelled green line; the last phase's centre line and limits are
  labelled in the right margin (labels pushed apart, never on top of each other).
* **Percent axes** for proportions, **whole-number ticks** for counts, the Danish decimal
  comma (:func:`pdsa_core.formatting.fmt_number`).
* **The plot keeps its shape whatever the text**: the layout is computed, not left to a
  layout engine. Titles and subtitles wrap; annotations are numbered markers on the time
  axis with their texts in a legend under the plot; phase labels are shortened to their
  phase's width (the whole text goes to the legend). Long texts make the figure taller,
  never the plot smaller. User text is drawn literally (no mathtext: ``$5 and $10`` stays
  as typed) and nothing is written to stderr.
* No text is smaller than 8 pt at the figure's own size: reports draw charts at the size
  they print (see :mod:`pdsa_core.reports.charts`).
* Text in the reports' typeface where the machine has it (Arial, or the metrically equal
  Liberation Sans), else matplotlib's DejaVu Sans; chosen without a font warning.
"""

from __future__ import annotations

import datetime as _dt
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ValidationError
from ..formatting import fmt_number
from ..literal import visible
from ..output_files import check_output_path, write_output
from .labels import check_lang, date_label, is_monthly
from .meaning import VARIATIONS, good_side, read_meaning, side_variation
from .model import MEDIAN_CHARTS, ChartResult
from .verdict import verdict

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = ["COLOURS", "MARKERS", "chart_figure", "render_chart"]

COLOURS = {
    "line": "#5DA5DA",  # qicharts2 qic.linecol
    "centre": "#3C3C3C",
    "limit": "#8C8C8C",  # qicharts2's grey
    "on_centre": "#C8C8C8",
    "baseline": "#F0F0F0",
    "annotation": "#6A3D9A",
    "target": "#059748",  # qicharts2 qic.targetcol
    "text": "#333333",
    "muted": "#555555",
    # signals by what they mean (pdsa_core.spc.meaning): concern keeps qicharts2's signal colour
    "concern": "#E07B00",  # qicharts2 qic.signalcol #FAA43A (amber), darkened to read on white
    "improvement": "#1F4E99",
    "neither": "#7B4F9E",
}
#: marker of a point outside the limits by its variation; a normal point is a circle
MARKERS = {"normal": "o", "improvement": "^", "concern": "v", "neither": "D"}
FORMATS = {".svg": "svg", ".png": "png"}

TITLE_PT = 11.0
SUBTITLE_PT = 9.0
TEXT_PT = 8.0  # the smallest text on a chart
LINE = 1.25  # line height as a multiple of the font size
PAD = 0.08  # inches around the figure's content
_PT = 1 / 72  # one point in inches
#: the typefaces tried for chart text, in order: the reports' own (Arial; Liberation Sans has
#: its metrics), then matplotlib's bundled font, which is always there
FONT_FAMILIES = ("Arial", "Liberation Sans", "Helvetica", "DejaVu Sans")
_FAMILY: list[str] = []


def font_family() -> list[str]:
    """The first of :data:`FONT_FAMILIES` installed, looked up once (asking matplotlib for a
    missing family would log a warning on stderr), then DejaVu Sans for the glyphs it lacks
    (the symbols ▲ ▼ ◆ ≈ of a verdict)."""
    if not _FAMILY:
        from matplotlib import font_manager

        names = {f.name for f in font_manager.fontManager.ttflist}
        first = next((n for n in FONT_FAMILIES if n in names), "DejaVu Sans")
        _FAMILY.extend(dict.fromkeys([first, "DejaVu Sans"]))
    return list(_FAMILY)


_WORDS = {
    "da": {
        "baseline": "Basislinje",
        "phase": "Fase",
        "median": "Median",
        "mean": "Gns.",
        "ucl": "ØKG",
        "lcl": "NKG",
        "target": "Mål",
        "outside": "punkt uden for kontrolgrænserne",
        "runs": "stiplet centerlinje: ikke-tilfældig serie",
        "limits": "ØKG/NKG: øvre/nedre kontrolgrænse",
    },
    "en": {
        "baseline": "Baseline",
        "phase": "Phase",
        "median": "Median",
        "mean": "Mean",
        "ucl": "UCL",
        "lcl": "LCL",
        "target": "Target",
        "outside": "point outside the control limits",
        "runs": "dashed centre line: non-random run",
        "limits": "UCL/LCL: upper/lower control limit",
    },
}


# -- text measuring and wrapping -------------------------------------------------------------------
#: widths already measured, in points (text, size, weight, dpi): with matplotlib 3.11 one measure
#: costs ~20 us per character, and a report's charts measure the same legend, key and tick texts
#: again and again (two status reports of the demo: 1,526 measures of 333 texts)
_WIDTHS: dict[tuple[str, float, str, float], float] = {}
_WIDTHS_KEPT = 20_000
class _Measure:
    """Text widths in points with matplotlib's own renderer (figure at 72 dpi: 1 px = 1 pt)."""

    def __init__(self, fig: Figure) -> None:
        from matplotlib.font_manager import FontProperties

        self._renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        self._props: dict[tuple[float, str], Any] = {}
        self._font = FontProperties

    def width(self, text: str, size: float, weight: str = "normal") -> float:
        known = (text, size, weight, self._renderer.dpi)
        if known in _WIDTHS:
            return _WIDTHS[known]
        key = (size, weight)
        if key not in self._props:
            self._props[key] = self._font(family=font_family(), size=size, weight=weight)
        w, _h, _d = self._renderer.get_text_width_height_descent(text, self._props[key], ismath=False)
        if len(_WIDTHS) >= _WIDTHS_KEPT:
            _WIDTHS.clear()
        _WIDTHS[known] = float(w)
        return float(w)

    def wrap(self, text: str, size: float, width_pt: float, weight: str = "normal") -> list[str]:
        """Greedy word wrap to ``width_pt``; a word longer than a line is broken by characters."""
        lines: list[str] = []
        for paragraph in text.split("\n"):
            line = ""
            for word in paragraph.split():
                candidate = f"{line} {word}" if line else word
                if self.width(candidate, size, weight) <= width_pt:
                    line = candidate
                    continue
                if line:
                    lines.append(line)
                line = ""
                while self.width(word, size, weight) > width_pt and len(word) > 1:
                    cut = self._fit(word, size, width_pt, weight)
                    lines.append(word[:cut])
                    word = word[cut:]
                line = word
            lines.append(line)
        while len(lines) > 1 and not lines[-1]:
            lines.pop()
        return lines or [""]

    def shorten(self, text: str, size: float, width_pt: float) -> str:
        """``text`` on one line, cut with "…" to ``width_pt`` ("" when not even "…" fits)."""
        text = " ".join(text.split())
        if self.width(text, size) <= width_pt:
            return text
        if self.width("…", size) > width_pt:
            return ""
        cut = self._fit(text + "…", size, width_pt, "normal", suffix="…")
        return text[: max(cut, 0)].rstrip() + "…"

    def _fit(self, text: str, size: float, width_pt: float, weight: str, suffix: str = "") -> int:
        """The longest prefix length of ``text`` that fits (at least 1), by bisection."""
        low, high = 1, len(text)
        while low < high:
            mid = (low + high + 1) // 2
            if self.width(text[:mid] + suffix, size, weight) <= width_pt:
                low = mid
            else:
                high = mid - 1
        return low


# -- what is drawn ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Scale:
    """How y values are shown: per cent (``factor`` turns y into per cent) or plain, counts whole."""

    percent: bool
    factor: float
    counts: bool
    lang: str

    def tick(self, value: float) -> str:
        if self.percent:
            return f"{fmt_number(value * self.factor, self.lang, significant=3)} %"
        return fmt_number(value, self.lang, significant=4)

    def label(self, value: float) -> str:
        if self.percent:
            shown = value * self.factor
            return f"{fmt_number(shown, self.lang, decimals=1 if abs(shown) < 10 else 0)} %"
        return fmt_number(value, self.lang, significant=3)


def _scale(result: ChartResult, unit: str | None, lang: str) -> _Scale:
    percent = unit == "proportion" or (unit is None and result.chart in ("p", "pp"))
    factor = 100.0 / (result.multiply or 1) if percent else 1.0
    if percent and result.multiply not in (1, 100):
        percent, factor = False, 1.0  # a proportion shown per 1,000 or similar: plain numbers
    values = [v for v in result.y if v is not None]
    whole = bool(values) and all(float(v).is_integer() for v in values)
    guessed = unit is None and whole and result.chart in ("run", "i", "c", "g")
    counts = not percent and (unit == "count" or guessed)
    return _Scale(percent, factor, counts, lang)


def _x_labels(result: ChartResult, lang: str) -> list[str]:
    if result.x_kind == "date":
        monthly = is_monthly(result.x)
        return [date_label(v, lang, monthly) for v in result.x]
    if result.x_kind == "index":
        return [str(i + 1) for i in range(len(result))]
    return [f"{v:g}" if isinstance(v, float) else visible(v) for v in result.x]


def _annotation_index(result: ChartResult, where: Any) -> int:
    """An annotation's point: a 0-based index, a month ("2022-03" or a date) or an x value."""
    if isinstance(where, int) and not isinstance(where, bool) and result.x_kind != "numeric":
        if not 0 <= where < len(result):
            raise ValidationError(
                f"annotation index {where} is outside the chart",
                da=f"noten ved punkt {where} ligger uden for diagrammet",
            )
        return where
    if result.x_kind == "date" and isinstance(where, (str, _dt.date)):
        from .series import year_month

        ym = year_month(where)
        for i, v in enumerate(result.x):
            if (v.year, v.month) == ym:
                return i
        raise ValidationError(
            f"annotation month {where!r} is not in the chart",
            da=f"notens måned {where!r} er ikke med i diagrammet",
        )
    for i, v in enumerate(result.x):
        if v == where:
            return i
    raise ValidationError(
        f"annotation {where!r} does not match a point of the chart",
        da=f"noten {where!r} passer ikke til et punkt i diagrammet",
    )


def _tick_positions(result: ChartResult, labels: list[str], measure: _Measure, plot_w_pt: float) -> list[int]:
    """Which points get an x label: as many as fit side by side, months on calendar steps."""
    n = len(result)
    if n == 0:
        return []
    widest = max(measure.width(s, TEXT_PT) for s in labels) + 6.0
    per_point = plot_w_pt / max(n, 1)
    need = max(1, math.ceil(widest / max(per_point, 0.01)))
    if result.x_kind == "date" and is_monthly(result.x):
        step = next((s for s in (1, 2, 3, 4, 6, 12, 24, 36, 60, 120, 240) if s >= need), need)
        if step < 12:
            return [i for i, d in enumerate(result.x) if (d.month - 1) % step == 0] or [0]
        years = step // 12
        return [i for i, d in enumerate(result.x) if d.month == 1 and d.year % years == 0] or [0]
    return list(range(0, n, need))


def _spread(items: list[tuple[float, Any]], gap: float, low: float, high: float) -> list[float]:
    """Positions for labels wanted at ``items`` (sorted by want), at least ``gap`` apart, kept in range."""
    placed: list[float] = []
    for want, _ in items:
        pos = max(want, low)
        if placed and pos < placed[-1] + gap:
            pos = placed[-1] + gap
        placed.append(pos)
    overflow = (placed[-1] - high) if placed else 0.0
    if overflow > 0:  # push the stack down again, keeping the gaps
        for k in range(len(placed) - 1, -1, -1):
            placed[k] -= overflow
            if k and placed[k - 1] <= placed[k] - gap:
                break
            if k:
                overflow = placed[k - 1] - (placed[k] - gap)
    return placed


def _rows(positions: list[float], width: float) -> list[int]:
    """Row per marker so that markers closer than ``width`` never share a row."""
    last_in_row: list[float] = []
    rows = []
    for x in positions:
        for r, last in enumerate(last_in_row):
            if x - last >= width:
                last_in_row[r] = x
                rows.append(r)
                break
        else:
            last_in_row.append(x)
            rows.append(len(last_in_row) - 1)
    return rows


# -- the figure ------------------------------------------------------------------------------------
def chart_figure(
    result: ChartResult,
    *,
    title: str,
    annotations: Sequence[tuple[Any, str]] = (),
    lang: str = "da",
    subtitle: str | None = None,
    ylabel: str | None = None,
    size: tuple[float, float] = (10.0, 5.0),
    direction: str | None = None,
    target: float | None = None,
    unit: str | None = None,
    legend: bool = True,
) -> Figure:
    """The chart as a matplotlib figure (Agg canvas, 72 dpi), laid out and ready to save.

    ``size`` is (width, height) in inches of a chart with a one-line title and subtitle and
    no annotations; longer texts add height below or above, the plot keeps its size.
    ``direction`` (``up``/``down``/``target``) and ``target`` (in the chart's scale) colour
    the signals by what they mean and draw the target line. ``unit`` (``count``,
    ``proportion``, ...) chooses whole-number ticks or a percent axis (guessed from the
    chart type and the values when not given). ``legend=False`` draws a small multiple (a
    storyboard's key charts): no notes, no legend or key under the plot, a shorter least plot.
    """
    check_lang(lang)
    if not legend:
        annotations = ()
    if len(result) == 0:
        raise ValidationError("the chart has no points", da="diagrammet har ingen punkter")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    words = _WORDS[lang]
    width_in, nominal_h = size
    fig = Figure(figsize=size, dpi=72)
    FigureCanvasAgg(fig)
    measure = _Measure(fig)
    ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
    n = len(result)
    xs = list(range(n))
    nan = float("nan")
    ys = [nan if v is None else float(v) for v in result.y]
    scale = _scale(result, unit, lang)
    text_kw: dict[str, Any] = {"parse_math": False, "fontfamily": font_family()}

    # -- data: shading, lines per phase, points ----------------------------------------------------
    freeze = result.freeze if result.freeze is not None and 0 < result.freeze < n else None
    if freeze is not None:
        ax.axvspan(-0.5, freeze - 0.5, color=COLOURS["baseline"], zorder=0, lw=0)
    ax.plot(xs, ys, color=COLOURS["line"], lw=1.5, zorder=3)

    phase_meaning: dict[int, str] = {}
    for k, phase in enumerate(result.phases):
        idx = list(phase.indices)
        px = [idx[0] - 0.5, *idx, idx[-1] + 0.5]

        def line(values: Sequence[float | None], idx: list[int] = idx) -> list[float]:
            vals = [nan if values[i] is None else float(values[i]) for i in idx]  # type: ignore[arg-type]
            return [vals[0], *vals, vals[-1]]

        centre_colour = COLOURS["centre"]
        if phase.runs_signal:
            meaning = read_meaning(result, verdict(result, k, lang), direction, target)
            phase_meaning[phase.part] = meaning.variation
            centre_colour = COLOURS.get(meaning.variation, COLOURS["neither"])
        ax.plot(
            px,
            line(result.cl),
            color=centre_colour,
            lw=1.4,
            ls="--" if phase.runs_signal else "-",
            zorder=2,
            gid=f"centre-{phase.part}",
        )
        if result.has_limits:
            for values, style in (
                (result.lcl, "-"),
                (result.ucl, "-"),
                (result.lcl_95, ":"),
                (result.ucl_95, ":"),
            ):
                ax.plot(
                    px,
                    line(values),
                    color=COLOURS["limit"],
                    lw=0.9,
                    ls=style,
                    zorder=1,
                    drawstyle="steps-mid",
                )
        if phase.part > 1:
            ax.axvline(idx[0] - 0.5, color=COLOURS["limit"], lw=1.0, ls="--", zorder=1)

    groups: dict[str, list[int]] = {"normal": [], "on_centre": []}
    for i in xs:
        y = result.y[i]
        if y is None:
            continue
        if result.sigma_signal[i]:
            cl = result.cl[i]
            side = 0 if cl is None else (y > cl) - (y < cl)
            part = result.part[i]
            variation = side_variation(side, good_side(result, part, direction, target))
            groups.setdefault(variation, []).append(i)
        elif result.cl[i] is not None and y == result.cl[i]:
            groups["on_centre"].append(i)
        else:
            groups["normal"].append(i)
    for key, members in groups.items():
        if not members:
            continue
        signal = key in MARKERS and key != "normal"
        ax.scatter(
            members,
            [ys[i] for i in members],
            marker=MARKERS[key] if signal else "o",
            s=46 if signal else 18,
            c=COLOURS[key] if signal else COLOURS["on_centre" if key == "on_centre" else "line"],
            edgecolors="#1A1A1A" if signal else "white",
            linewidths=0.7 if signal else 0.5,
            zorder=5 if signal else 4,
            gid=f"points-{key}",
        )
    target_line = float(target) if target is not None and math.isfinite(target) else None
    if target_line is not None:
        ax.axhline(target_line, color=COLOURS["target"], lw=1.3, ls=(0, (6, 3)), zorder=2, gid="target")

    # -- y axis ------------------------------------------------------------------------------------
    ax.set_xlim(-0.6, n - 0.4)
    finite = [v for v in ys if v == v]
    for column in (result.cl, result.lcl, result.ucl):
        finite += [float(v) for v in column if v is not None]
    if target_line is not None:
        finite.append(target_line)
    low, high = (min(finite), max(finite)) if finite else (0.0, 1.0)
    if high - low < 1e-12:
        low, high = low - 1, high + 1
    margin = (high - low) * 0.06
    ax.set_ylim(low - margin, high + margin)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=6, integer=scale.counts))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: scale.tick(v)))
    ax.tick_params(
        axis="both", labelsize=TEXT_PT, labelfontfamily=font_family(), colors=COLOURS["text"], length=3
    )
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    y_ticks = [t for t in ax.yaxis.get_major_locator()() if low - margin <= t <= high + margin]
    ytick_w = max((measure.width(scale.tick(t), TEXT_PT) for t in y_ticks), default=10.0)

    # -- right margin labels: the last phase's centre line, limits, and the target ------------------
    last = result.phases[-1]
    end = last.indices[-1]
    right: list[tuple[float, str, str]] = []
    cl_end = result.cl[end]
    if cl_end is not None:
        name = words["median"] if result.chart in MEDIAN_CHARTS else words["mean"]
        right.append((cl_end, f"{name} {scale.label(cl_end)}", COLOURS["centre"]))
    if result.has_limits:
        for key, values in (("ucl", result.ucl), ("lcl", result.lcl)):
            value = values[end]
            if value is not None:
                right.append((value, f"{words[key]} {scale.label(value)}", COLOURS["muted"]))
    if target_line is not None:
        right.append((target_line, f"{words['target']} {scale.label(target_line)}", COLOURS["target"]))
    right_w = max((measure.width(s, TEXT_PT) for _, s, _ in right), default=0.0)

    # -- widths (points) ---------------------------------------------------------------------------
    fig_w = width_in * 72
    pad = PAD * 72
    ylabel_text = visible(ylabel) if ylabel else ""
    ylabel_w = (TEXT_PT * LINE + 2) if ylabel_text else 0.0
    left = pad + ylabel_w + ytick_w + 3 + 4
    right_margin = pad + (right_w + 6 if right else 4)
    plot_w = max(fig_w - left - right_margin, fig_w * 0.3)
    content_w = fig_w - 2 * pad

    # -- texts above the plot ----------------------------------------------------------------------
    title_lines = measure.wrap(visible(title), TITLE_PT, content_w, "bold")
    if subtitle is None:
        v_last = verdict(result, -1, lang)
        subtitle = v_last.text
        if len(result.phases) > 1:
            name = f"{words['phase']} {last.part}"
            if last.label:
                name = measure.shorten(visible(last.label), SUBTITLE_PT, content_w * 0.4) or name
            subtitle = f"{name}: {subtitle}"
        reading = read_meaning(result, v_last, direction, target)
        if direction and reading.signal:
            subtitle += f" · {reading.label(lang)}"
        elif direction and reading.assurance:
            subtitle += f" · {reading.assurance_symbol} {reading.assurance_words(lang)}"
    subtitle_lines = measure.wrap(visible(subtitle), SUBTITLE_PT, content_w) if subtitle else []

    # labels over the plot: the baseline, and each labelled phase at its start (shortened to fit)
    def x_to_pt(x: float) -> float:
        return left + (x + 0.6) / (n - 0.4 + 0.6) * plot_w

    strip: list[tuple[float, str, str]] = []  # (x in points, text, alignment)
    legend_phases: list[str] = []
    if freeze is not None:
        span = x_to_pt(freeze - 0.5) - x_to_pt(-0.5) - 4
        label = measure.shorten(words["baseline"], TEXT_PT, span)
        if label:
            strip.append(((x_to_pt(-0.5) + x_to_pt(freeze - 0.5)) / 2, label, "center"))
    notes_text = {visible(text).strip() for _, text in annotations}
    for phase in result.phases:
        if not phase.label:
            continue
        full = visible(phase.label)
        start_pt = x_to_pt(phase.indices[0] - 0.5) + 2
        span = x_to_pt(phase.indices[-1] + 0.5) - start_pt - 4
        label = measure.shorten(full, TEXT_PT, span)
        if label:
            strip.append((start_pt, label, "left"))
        if label != " ".join(full.split()) and full.strip() not in notes_text:
            legend_phases.append(f"{words['phase']} {phase.part}: {full}")

    # -- the time axis: ticks, annotation markers ---------------------------------------------------
    labels = _x_labels(result, lang)
    ticks = _tick_positions(result, labels, measure, plot_w)
    # numbered in the order of the time axis, so the legend reads from first to last
    marks = sorted(
        ((_annotation_index(result, where), visible(text)) for where, text in annotations),
        key=lambda m: m[0],
    )
    marker_d = TEXT_PT * 1.9  # circle around a number
    marker_x = [x_to_pt(i) for i, _ in marks]
    order = sorted(range(len(marks)), key=lambda k: (marker_x[k], k))
    rows_sorted = _rows([marker_x[k] for k in order], marker_d + 1.5)
    marker_row = {k: r for k, r in zip(order, rows_sorted, strict=True)}
    n_rows = (max(rows_sorted) + 1) if rows_sorted else 0
    marker_band = n_rows * (marker_d + 1.5) + (2 if n_rows else 0)

    # -- texts under the plot: annotation legend, phase labels in full, the key ---------------------
    number_w = measure.width(str(max(len(marks), 1)), TEXT_PT, "bold") + 5
    items: list[tuple[str, list[str]]] = []
    for k, (_i, text) in enumerate(marks):
        items.append((str(k + 1), measure.wrap(text, TEXT_PT, content_w - number_w)))
    if legend:
        for text in legend_phases:
            items.append(("", measure.wrap(text, TEXT_PT, content_w)))
    key_parts = []
    for variation in ("improvement", "concern", "neither"):
        if groups.get(variation):
            symbol, da, en = VARIATIONS[variation]
            key_parts.append(f"{symbol} {words['outside']}: {(da if lang == 'da' else en).lower()}")
    if phase_meaning:
        key_parts.append(words["runs"])
    if result.has_limits and key_parts:
        key_parts.append(words["limits"])
    key_lines = measure.wrap(" · ".join(key_parts), TEXT_PT, content_w) if key_parts and legend else []

    # -- heights (points), from the top ------------------------------------------------------------
    line_t, line_s, line_8 = TITLE_PT * LINE, SUBTITLE_PT * LINE, TEXT_PT * LINE
    strip_h = line_8 + 2 if strip else 0.0
    subtitle_h = len(subtitle_lines) * line_s + 3 if subtitle_lines else 0.0
    top = pad + len(title_lines) * line_t + subtitle_h + 4 + strip_h
    tick_band = 3 + 3.5 + line_8  # tick length, pad, label
    legend_h = sum(len(lines) * line_8 + 1.5 for _, lines in items)
    key_h = len(key_lines) * line_8
    bottom = tick_band + marker_band + (4 + legend_h if items else 0) + (3 + key_h if key_lines else 0) + pad
    standard = pad + line_t + line_s + 3 + 4 + strip_h + tick_band + pad  # the figure at ``size``
    plot_h = max(nominal_h * 72 - standard, 72 * (1.2 if legend else 0.9))
    fig_h = top + plot_h + bottom
    fig.set_size_inches(width_in, fig_h / 72)
    ax.set_position((left / fig_w, bottom / fig_h, plot_w / fig_w, plot_h / fig_h))

    def put(x: float, y_from_top: float, text: str, size: float, **kw: Any) -> Any:
        """Text at (x, y) in points from the figure's top-left corner."""
        return fig.text(x / fig_w, 1 - y_from_top / fig_h, text, fontsize=size, **text_kw, **kw)

    y = pad
    for line_text in title_lines:
        put(pad, y, line_text, TITLE_PT, weight="bold", va="top", color="#111111")
        y += line_t
    if subtitle_lines:
        y += 3
        for line_text in subtitle_lines:
            put(pad, y, line_text, SUBTITLE_PT, va="top", color=COLOURS["text"])
            y += line_s
    strip_y = top - 2  # baseline of the labels just above the plot
    for x_pt, text, align in strip:
        put(x_pt, strip_y, text, TEXT_PT, ha=align, va="bottom", color=COLOURS["text"])

    # right labels, pushed apart so they never overlap
    if right:
        ylo, yhi = ax.get_ylim()

        def y_pt(v: float) -> float:  # from the figure's top
            return top + plot_h * (1 - (v - ylo) / (yhi - ylo))

        wanted = sorted(((y_pt(v), (s, c)) for v, s, c in right), key=lambda t: t[0])
        places = _spread(wanted, line_8, top - line_8 / 2, top + plot_h + line_8)
        for (_, (s, c)), pos in zip(wanted, places, strict=True):
            put(left + plot_w + 4, pos, s, TEXT_PT, va="center", ha="left", color=c)

    # x ticks; the annotation markers go in a band under their labels
    ax.set_xticks(ticks, [labels[i] for i in ticks])
    ax.tick_params(axis="x", pad=3.5)
    for tick_label in ax.get_xticklabels() + ax.get_yticklabels():
        tick_label.set_fontsize(TEXT_PT)
    if ylabel_text:
        put(
            pad + TEXT_PT * LINE / 2,
            top + plot_h / 2,
            ylabel_text,
            TEXT_PT,
            rotation=90,
            ha="center",
            va="center",
            color=COLOURS["text"],
        )

    # numbered annotation markers on the time axis, each with a guide line to its point
    for k, (i, _text) in enumerate(marks):
        ax.axvline(i, color=COLOURS["annotation"], lw=0.7, ls=":", alpha=0.8, zorder=1)
        row = marker_row[k]
        centre = top + plot_h + tick_band + 2 + marker_d / 2 + row * (marker_d + 1.5)
        put(
            marker_x[k],
            centre,
            str(k + 1),
            TEXT_PT,
            ha="center",
            va="center",
            weight="bold",
            color="white",
            bbox={"boxstyle": "circle,pad=0.2", "fc": COLOURS["annotation"], "ec": "none"},
            gid=f"marker-{k + 1}",
        )

    y = top + plot_h + tick_band + marker_band + 4
    for number, lines in items:
        if number:
            put(pad, y, number, TEXT_PT, weight="bold", va="top", color=COLOURS["annotation"])
        x = pad + number_w if number else pad
        put(x, y, "\n".join(lines), TEXT_PT, va="top", color=COLOURS["text"], linespacing=LINE, gid="legend")
        y += len(lines) * line_8 + 1.5
    if key_lines:
        y += 3
        put(
            pad,
            y,
            "\n".join(key_lines),
            TEXT_PT,
            va="top",
            color=COLOURS["muted"],
            linespacing=LINE,
            gid="key",
        )
    return fig


def render_chart(
    result: ChartResult,
    path: str | Path,
    *,
    title: str,
    annotations: Sequence[tuple[Any, str]] = (),
    lang: str = "da",
    subtitle: str | None = None,
    ylabel: str | None = None,
    size: tuple[float, float] = (10.0, 5.0),
    direction: str | None = None,
    target: float | None = None,
    unit: str | None = None,
    legend: bool = True,
) -> Path:
    """Draw the chart to ``path``; the format follows the suffix (``.svg`` or ``.png``).

    ``annotations``: ``(where, label)`` with ``where`` a 0-based point index, a month
    (``"2022-03"``) or an x value. ``subtitle`` defaults to the verdict of the last
    phase in ``lang`` (with the improvement/concern reading when ``direction`` is given).
    See :func:`chart_figure` for the rest. Returns the path written.
    """
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ValidationError(
            f"cannot draw '{path.name}': use a .svg or .png file name",
            da=f"kan ikke tegne '{path.name}': brug et filnavn, der ender på .svg eller .png",
        )
    check_output_path(path)  # before drawing: a path that cannot be written is refused at once
    fig = chart_figure(
        result,
        title=title,
        annotations=annotations,
        lang=lang,
        subtitle=subtitle,
        ylabel=ylabel,
        size=size,
        direction=direction,
        target=target,
        unit=unit,
        legend=legend,
    )
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, dpi=200 if fmt == "png" else 72, metadata=_metadata(fmt))
    write_output(path, buffer.getvalue())  # whole or not at all, only ever a regular file
    return path


def _metadata(fmt: str) -> dict[str, Any]:
    """No creation date in the file: the same chart gives the same bytes."""
    return {"Date": None} if fmt == "svg" else {}
