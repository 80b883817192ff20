"""Render a :class:`ChartResult` as an SVG or PNG chart in the style of qicharts2.

matplotlib is imported inside :func:`render_chart` (Agg canvas, no pyplot and no global
state), so importing :mod:`pdsa_core.spc` never loads it.

Style (qicharts2's plot): data as points and line; centre line solid, dashed amber
when the phase has a runs signal; control limits grey; 95 % lines dotted; phases
separated by vertical lines, each with its own centre line; baseline shaded; points
outside the limits amber; points on the centre line light grey; annotations as
labelled markers; the verdict of the last phase as subtitle.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import ValidationError
from .labels import check_lang, date_label, is_monthly
from .model import ChartResult
from .verdict import verdict

__all__ = ["render_chart", "COLOURS"]

COLOURS = {
    "line": "#5DA5DA",  # qicharts2 qic.linecol
    "signal": "#F28C00",  # amber, close to qicharts2 qic.signalcol #FAA43A, readable on white
    "centre": "#3C3C3C",
    "limit": "#9A9A9A",
    "on_centre": "#C8C8C8",
    "baseline": "#F0F0F0",
    "annotation": "#6A3D9A",
    "text": "#333333",
}
FORMATS = {".svg": "svg", ".png": "png"}


def _x_labels(result: ChartResult, lang: str) -> list[str]:
    if result.x_kind == "date":
        monthly = is_monthly(result.x)
        return [date_label(v, lang, monthly) for v in result.x]
    if result.x_kind == "index":
        return [str(i + 1) for i in range(len(result))]
    return [f"{v:g}" if isinstance(v, float) else str(v) for v in result.x]


def _annotation_index(result: ChartResult, where: Any) -> int:
    """An annotation's point: a 0-based index, a month ("2022-03" or a date) or an x value."""
    if isinstance(where, int) and not isinstance(where, bool) and result.x_kind != "numeric":
        if not 0 <= where < len(result):
            raise ValidationError(f"annotation index {where} is outside the chart")
        return where
    if result.x_kind == "date" and isinstance(where, (str, _dt.date)):
        from .series import parse_period

        ym = parse_period(where)
        for i, v in enumerate(result.x):
            if (v.year, v.month) == ym:
                return i
        raise ValidationError(f"annotation month {where!r} is not in the chart")
    for i, v in enumerate(result.x):
        if v == where:
            return i
    raise ValidationError(f"annotation {where!r} does not match a point of the chart")


def _fmt(v: float, lang: str = "da") -> str:
    """A line label: few decimals, decimal comma in Danish."""
    if abs(v) >= 100:
        text = f"{v:.0f}"
    elif abs(v) >= 10:
        text = f"{v:.1f}"
    else:
        text = f"{v:.2f}"
    return text.replace(".", ",") if lang == "da" else text


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
) -> Path:
    """Draw the chart to ``path``; the format follows the suffix (``.svg`` or ``.png``).

    ``annotations``: ``(where, label)`` with ``where`` a 0-based point index, a month
    (``"2022-03"``) or an x value. ``subtitle`` defaults to the verdict of the last
    phase in ``lang``. Returns the path written.
    """
    check_lang(lang)
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ValidationError(f"cannot draw '{path.name}': use a .svg or .png file name")
    if len(result) == 0:
        raise ValidationError("the chart has no points")

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    n = len(result)
    xs = list(range(n))
    nan = float("nan")
    ys = [nan if v is None else v for v in result.y]

    # baseline shading (only when a freeze splits baseline from the rest)
    if result.freeze is not None and 0 < result.freeze < n:
        ax.axvspan(-0.5, result.freeze - 0.5, color=COLOURS["baseline"], zorder=0, lw=0)
        ax.text(
            (result.freeze - 1) / 2, 1.0, "Baseline" if lang == "en" else "Basislinje",
            transform=ax.get_xaxis_transform(), ha="center", va="bottom", fontsize=8,
            color=COLOURS["text"],
        )

    # data line and points
    ax.plot(xs, ys, color=COLOURS["line"], lw=1.6, zorder=3)
    colours = []
    for i in xs:
        if result.sigma_signal[i]:
            colours.append(COLOURS["signal"])
        elif result.y[i] is not None and result.cl[i] is not None and result.y[i] == result.cl[i]:
            colours.append(COLOURS["on_centre"])
        else:
            colours.append(COLOURS["line"])
    ax.scatter(xs, ys, c=colours, s=22, zorder=4, edgecolors="white", linewidths=0.6)

    # per phase: centre line, limits, separators
    for phase in result.phases:
        idx = list(phase.indices)
        px = [idx[0] - 0.5, *idx, idx[-1] + 0.5]

        def line(values: Sequence[float | None], idx: list[int] = idx) -> list[float]:
            vals = [nan if values[i] is None else values[i] for i in idx]
            return [vals[0], *vals, vals[-1]]

        signal = phase.runs_signal
        ax.plot(
            px, line(result.cl), color=COLOURS["signal"] if signal else COLOURS["centre"],
            lw=1.4, ls="--" if signal else "-", zorder=2,
        )
        if result.has_limits:
            for values, style in (
                (result.lcl, "-"), (result.ucl, "-"), (result.lcl_95, ":"), (result.ucl_95, ":"),
            ):
                ax.plot(px, line(values), color=COLOURS["limit"], lw=1.0, ls=style, zorder=1,
                        drawstyle="steps-mid")
        last = idx[-1]
        cl_last = result.cl[last]
        if cl_last is not None:
            ax.annotate(_fmt(cl_last, lang), (last + 0.5, cl_last), xytext=(3, 0),
                        textcoords="offset points", va="center", fontsize=8,
                        color=COLOURS["text"])
        if phase.part > 1:
            ax.axvline(idx[0] - 0.5, color=COLOURS["limit"], lw=1.0, ls="--", zorder=1)
        if phase.label:
            ax.text(idx[0] - 0.4, 1.0, phase.label, transform=ax.get_xaxis_transform(),
                    ha="left", va="bottom", fontsize=8, color=COLOURS["text"])

    # annotations as labelled markers
    for k, (where, label) in enumerate(annotations):
        i = _annotation_index(result, where)
        y = ys[i] if ys[i] == ys[i] else (result.cl[i] or 0.0)
        ax.scatter([i], [y], marker="v", s=60, color=COLOURS["annotation"], zorder=5)
        ax.annotate(
            label, (i, y), xytext=(0, 14 + 10 * (k % 2)), textcoords="offset points",
            ha="center", fontsize=8, color=COLOURS["annotation"],
            arrowprops={"arrowstyle": "-", "color": COLOURS["annotation"], "lw": 0.8},
        )

    # axes
    labels = _x_labels(result, lang)
    step = max(1, -(-n // 14))
    if result.x_kind == "date" and is_monthly(result.x) and step > 1:
        step = next(s for s in (2, 3, 4, 6, 12, 24, 60, 120) if n / s <= 14 or s == 120)
    ticks = xs[::step]
    ax.set_xticks(ticks, [labels[i] for i in ticks], fontsize=8, rotation=0)
    ax.set_xlim(-0.7, n - 0.3 + max(1.5, n * 0.04))
    ax.tick_params(axis="y", labelsize=8)
    if lang == "da":
        from matplotlib.ticker import FuncFormatter

        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}".replace(".", ",")))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if ylabel:
        ax.set_ylabel(ylabel, fontsize=9)
    if subtitle is None:
        subtitle = verdict(result, -1, lang).text
        if len(result.phases) > 1:
            last_phase = result.phases[-1]
            name = last_phase.label or (
                f"{'Fase' if lang == 'da' else 'Phase'} {last_phase.part}"
            )
            subtitle = f"{name}: {subtitle}"
    import textwrap

    subtitle = textwrap.fill(subtitle, width=max(40, int(size[0] * 14)))
    ax.set_title(subtitle, loc="left", fontsize=9, color=COLOURS["text"], pad=14)
    fig.suptitle(title, x=0.01, ha="left", fontsize=12, fontweight="bold")

    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format=fmt, dpi=150 if fmt == "png" else None)
    return path
