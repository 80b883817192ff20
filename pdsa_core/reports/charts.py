"""Charts for reports: the SPC engine's analysis drawn by ``pdsa_core.spc.render`` as inline SVG.

Reports never compute statistics: :func:`period_analysis` hands the stored values up to
the report's last month to :func:`pdsa_core.analysis.analyze_measurements` (baseline, phase
splits and rule set as everywhere else), and :func:`chart_svg` draws its result with
:func:`pdsa_core.spc.render.render_chart` into a temporary file and reads the SVG back.
The SVG is then made fit to sit inside an HTML page: no XML prologue or metadata, element
ids made unique per chart (two charts in one page must not share ids), and it scales to
the width of the page.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pdsa_core.domain import Indicator
from pdsa_core.reports.document import A4_PRINT_WIDTH_MM

if TYPE_CHECKING:
    from pdsa_core.workspace import Workspace

#: the status report's chart: as wide as the A4 page prints (rounded down to 0.01 in), so
#: the page never scales it down
A4_CHART_SIZE = (int(A4_PRINT_WIDTH_MM / 25.4 * 100) / 100, 2.7)


def period_analysis(ws: Workspace, indicator: Indicator, until: str | None = None) -> Any:
    """The indicator analysed on its values up to ``until`` (``YYYY-MM``), or None without values."""
    from pdsa_core.analysis import analyze_measurements

    values = [m for m in ws.measurements(indicator.team_id, indicator.code) if not until or m.period <= until]
    notes = [a for a in ws.annotations(indicator.team_id, indicator.code) if not until or a.date[:7] <= until]
    return analyze_measurements(indicator, values, notes, rule_sets=ws.rule_sets)


#: the words pdsa writes before a cycle's title in the notes it adds when a cycle starts or ends
_CYCLE_NOTES = {"pdsa start": ("PDSA start: ", "PDSA-start: "), "pdsa end": ("PDSA end: ", "PDSA-slut: ")}


def annotation_label(note: Any, lang: str) -> str:
    """A note's text for a chart: as typed, but the notes pdsa writes itself ("PDSA start: Ringe hjem")
    in the report's language."""
    words = _CYCLE_NOTES.get(note.kind.value)
    if words and lang == "da" and note.text.startswith(words[0]):
        return words[1] + note.text[len(words[0]) :]
    return str(note.text)


def chart_svg(
    analysis: Any,
    *,
    title: str,
    lang: str = "da",
    ident: str = "chart",
    size: tuple[float, float] = A4_CHART_SIZE,
    annotations: bool = True,
    since: str = "",
    max_annotations: int = 6,
    subtitle: str | None = None,
    legend: bool = True,
) -> str:
    """The analysed chart as an SVG element ready to inline in HTML.

    ``size`` is the printed size in inches (the default fills an A4 page between its
    margins, :data:`A4_CHART_SIZE`): the chart is drawn at that size so its texts print at their own size
    (8 pt and up), and the page never scales it up.

    With ``annotations``, the chart labels the notes from ``since`` (a month) on, the most
    recent ``max_annotations`` of them, leaving out PDSA ends (the report lists the cycles);
    notes that start a new phase are always labelled.
    """
    from pdsa_core.spc.render import render_chart

    marks: list[tuple[Any, str]] = []
    if annotations:
        periods = set(analysis.series.periods)
        shown = [
            a
            for a in analysis.annotations
            if a.date[:7] in periods
            and (a.phase_split or (a.date[:7] >= since and a.kind.value != "pdsa end"))
        ]
        phases = [a for a in shown if a.phase_split]
        others = [a for a in shown if not a.phase_split][-max_annotations:]
        chosen = sorted(phases + others, key=lambda a: a.date)
        marks = [(a.date[:7], annotation_label(a, lang)) for a in chosen]
    indicator = analysis.indicator
    with tempfile.TemporaryDirectory(prefix="pdsa-chart-") as folder:
        path = Path(folder) / "chart.svg"
        render_chart(
            analysis.series.result,
            path,
            title=title,
            annotations=marks,
            lang=lang,
            size=size,
            subtitle=subtitle,
            legend=legend,
            direction=indicator.direction.value,
            target=analysis.target_value(),
            unit=indicator.unit.value,
        )
        svg = path.read_text(encoding="utf-8")
    return inline_svg(svg, ident)


def chart_png(
    analysis: Any, *, title: str, lang: str = "da", size: tuple[float, float] = (6.0, 3.0), dpi: int = 200
) -> tuple[bytes, tuple[float, float]]:
    """The analysed chart as a high-resolution PNG for a slide, and its size in inches.

    A small multiple as on the storyboard (the verdict goes in a caption beside it).
    """
    import io

    from pdsa_core.spc.render import chart_figure

    indicator = analysis.indicator
    figure = chart_figure(
        analysis.series.result,
        title=title,
        lang=lang,
        size=size,
        subtitle="",
        legend=False,
        direction=indicator.direction.value,
        target=analysis.target_value(),
        unit=indicator.unit.value,
    )
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    width, height = figure.get_size_inches()
    return buffer.getvalue(), (float(width), float(height))


_PROLOGUE = re.compile(r"^.*?(?=<svg\b)", re.S)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.S)
_ID = re.compile(r'\bid="([^"]+)"')


def svg_height_mm(svg: str) -> float:
    """The printed height of an SVG chart from :func:`chart_svg` (its viewBox is in points)."""
    box = re.search(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"', svg)
    return float(box[2]) * 25.4 / 72 if box else 0.0


def inline_svg(svg: str, ident: str) -> str:
    """An SVG document made into an element for an HTML page (see the module docstring)."""
    svg = _PROLOGUE.sub("", svg, count=1)
    svg = _METADATA.sub("", svg)
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    prefix = re.sub(r"[^A-Za-z0-9_-]", "-", ident) + "-"
    ids = set(_ID.findall(svg))
    if ids:
        svg = _ID.sub(lambda m: f'id="{prefix}{m[1]}"', svg)
        pattern = re.compile(
            r"(url\(#|href=\"#)("
            + "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
            + r")(?=[)\"])"
        )
        svg = pattern.sub(lambda m: f"{m[1]}{prefix}{m[2]}", svg)
    # scale with the page, never above the size it was drawn at (its texts are at print size then):
    # keep the viewBox, the drawn width becomes a max-width
    width = re.search(r"<svg\b[^>]*?\swidth=\"([^\"]*)\"", svg)
    svg = re.sub(r"<svg\b([^>]*?)\swidth=\"[^\"]*\"", r"<svg\1", svg, count=1)
    svg = re.sub(r"<svg\b([^>]*?)\sheight=\"[^\"]*\"", r"<svg\1", svg, count=1)
    if width:
        svg = re.sub(r"<svg\b", f'<svg style="max-width: {width[1]}"', svg, count=1)
    return svg.strip()
