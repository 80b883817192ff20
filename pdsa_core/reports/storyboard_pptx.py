"""The storyboard as an editable PowerPoint deck (python-pptx): teams finish their posters there.

The same content as the HTML storyboard, as of the same period (:mod:`pdsa_core.reports.storyboard`),
on 16:9 slides a team can edit: the aim and the team; the driver diagram as shapes with text
joined by lines; the key charts as high-resolution pictures with their verdicts; every indicator
in a table; the PDSA ramps as steps; the lessons. Every text is a text frame (never a picture of
text), every slide carries the period and, for a demo, the synthetic-data label. What does not fit
a slide continues on the next ("(2/3)"): nothing is left out.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pdsa_core.domain import CycleStatus
from pdsa_core.literal import visible
from pdsa_core.reports.common import Report, as_of, default_period, period_text, workspace_note
from pdsa_core.reports.poster_layout import text_height
from pdsa_core.reports.progress import (
    cycles_as_of,
    diagram_as_of,
    diagram_labels,
    diagram_tree,
    period_end_day,
    ramps,
)
from pdsa_core.reports.storyboard import indicator_rows, lessons_from_cycles, pick_charts
from pdsa_core.reports.texts import latest_text, report_texts

if TYPE_CHECKING:
    from pdsa_core.workspace import Workspace

__all__ = ["storyboard_pptx"]

_T = {
    "title": ("Storyboard", "Storyboard"),
    "aim": ("Vores mål", "Our aim"),
    "no_aim": ("Målet er ikke skrevet endnu.", "No aim written yet."),
    "diagram": ("Driverdiagram", "Driver diagram"),
    "charts": ("Data", "Data"),
    "all": ("Alle indikatorer", "All indicators"),
    "ramps": ("PDSA-ramper", "PDSA ramps"),
    "lessons": ("Erfaringer", "Lessons learnt"),
    "from_cycles": ("Fra PDSA-cirklerne", "From the PDSA cycles"),
    "no_ramps": ("Ingen PDSA-cirkler endnu.", "No PDSA cycles yet."),
    "no_charts": ("Ingen indikatorer med data endnu.", "No indicators with data yet."),
    "no_lessons": ("Ingen erfaringer skrevet endnu.", "No lessons written yet."),
    "members": ("{n} medlemmer", "{n} members"),
    "cycles_count": ("{n} PDSA-cirkler, {done} afsluttet", "{n} PDSA cycles, {done} finished"),
    "made": ("Lavet med pdsa den {date}", "Made with pdsa on {date}"),
    "indicator": ("Indikator", "Indicator"),
    "months": ("Måneder", "Months"),
    "latest": ("Seneste", "Latest"),
    "verdict": ("Vurdering", "Verdict"),
}

# 16:9, in inches
SLIDE_W, SLIDE_H = 13.333, 7.5
MARGIN = 0.45
TOP = 1.15  # below a slide's title
BOTTOM = 0.45  # the footer line
ACCENT = "1F5F8B"
MUTED = "52606D"
STATE_FILL = {
    "adopted": "E3F3E4",
    "adapted": "FFF3D6",
    "abandoned": "FBE4E4",
    "testing": "E4EEF8",
    "planned": "F4F6F8",
}
STATUS_FILL = {"done": "F1F8F1", "abandoned": "FBF0F0", "planned": "FFFFFF"}
MM = 25.4


def _t(key: str, lang: str, **values: Any) -> str:
    da, en = _T[key]
    text = da if lang == "da" else en
    return text.format(**values) if values else text


def _rgb(hex_colour: str) -> Any:
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_colour)


@dataclass
class _Deck:
    """A presentation being built, with what every slide repeats at its foot."""

    prs: Any
    footer_left: str
    footer_right: str

    def slide(self, title: str) -> Any:
        from pptx.util import Inches, Pt

        slide = self.prs.slides.add_slide(self.prs.slide_layouts[6])  # blank
        box = _text(slide, MARGIN, 0.3, SLIDE_W - 2 * MARGIN, 0.7, title, size=26, bold=True, colour=ACCENT)
        box.name = "Title"
        line = slide.shapes.add_connector(
            1, Inches(MARGIN), Inches(1.0), Inches(SLIDE_W - MARGIN), Inches(1.0)
        )
        line.line.color.rgb = _rgb(ACCENT)
        line.line.width = Pt(1.5)
        _text(slide, MARGIN, SLIDE_H - BOTTOM + 0.05, 8.0, 0.3, self.footer_left, size=9, colour=MUTED)
        if self.footer_right:
            _text(slide, SLIDE_W - MARGIN - 4.5, SLIDE_H - BOTTOM + 0.05, 4.5, 0.3, self.footer_right,
                  size=9, colour="B7791F", align="right", bold=True)  # fmt: skip
        return slide


def _text(
    slide: Any,
    x: float,
    y: float,
    w: float,
    h: float,
    text: str | Sequence[tuple[str, dict[str, Any]]],
    *,
    size: float = 12,
    bold: bool = False,
    colour: str = "1F2933",
    align: str = "left",
    fill: str | None = None,
    border: str | None = None,
    shape: int | None = None,
) -> Any:
    """A text box (or a shape with text) holding ``text`` literally; a list gives paragraphs with styles."""
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
    from pptx.util import Inches, Pt

    if shape is None:
        item = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
    else:
        item = slide.shapes.add_shape(shape, Inches(x), Inches(y), Inches(w), Inches(h))
        item.shadow.inherit = False
    if fill:
        item.fill.solid()
        item.fill.fore_color.rgb = _rgb(fill)
    elif shape is not None:
        item.fill.background()
    if shape is not None:
        if border:
            item.line.color.rgb = _rgb(border)
            item.line.width = Pt(0.75)
        else:
            item.line.fill.background()
    frame = item.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.TOP
    for side in ("margin_left", "margin_right"):
        setattr(frame, side, Inches(0.06))
    for side in ("margin_top", "margin_bottom"):
        setattr(frame, side, Inches(0.03))
    paragraphs = [(text, {})] if isinstance(text, str) else list(text)
    for k, (words, style) in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
        paragraph.alignment = {"left": PP_ALIGN.LEFT, "right": PP_ALIGN.RIGHT, "center": PP_ALIGN.CENTER}[
            style.get("align", align)
        ]
        run = paragraph.add_run()
        run.text = visible(words)
        run.font.size = Pt(style.get("size", size))
        run.font.bold = style.get("bold", bold)
        run.font.color.rgb = _rgb(style.get("colour", colour))
    return item


def _height(text: str, width_in: float, size: float, *, bold: bool = False) -> float:
    """Inches a text takes in a frame ``width_in`` wide (frame margins included)."""
    return text_height(text, width_in * MM - 3.5, size, line=1.2, bold=bold) / MM + 0.1


# -- slides ----------------------------------------------------------------------------------------
def _title_slide(deck: _Deck, title: str, aim: str, facts: str, period: str, note: str, lang: str) -> None:
    slide = deck.slide(title)
    size = 24.0
    while size > 12 and _height(aim, SLIDE_W - 2 * MARGIN - 0.6, size, bold=True) > 3.4:
        size -= 1
    height = _height(aim, SLIDE_W - 2 * MARGIN - 0.6, size, bold=True) + 0.55
    box = _text(
        slide,
        MARGIN,
        TOP + 0.2,
        SLIDE_W - 2 * MARGIN,
        height,
        [(_t("aim", lang).upper(), {"size": 11, "bold": False}), (aim, {"size": size, "bold": True})],
        colour="FFFFFF",
        fill=ACCENT,
        shape=5,  # rounded rectangle
    )
    box.name = "Aim"
    y = TOP + 0.45 + height
    _text(slide, MARGIN, y, SLIDE_W - 2 * MARGIN, 0.5, facts, size=16, colour=MUTED)
    _text(slide, MARGIN, y + 0.55, SLIDE_W - 2 * MARGIN, 0.5, period, size=16, bold=True)
    if note:
        _text(slide, MARGIN, y + 1.2, 6.0, 0.45, note, size=14, bold=True, colour="7A4E00", fill="FFF3D6",
              shape=5)  # fmt: skip


def _diagram_slides(deck: _Deck, tree: list[dict[str, Any]], aim: str, lang: str) -> None:
    """The diagram as shapes: primary -> secondary -> change idea, in columns joined by lines."""
    labels = diagram_labels(lang)
    cols = {"primary": (MARGIN, 3.3), "secondary": (MARGIN + 3.6, 3.6), "idea": (MARGIN + 7.55, 4.85)}
    room = SLIDE_H - TOP - 0.35 - BOTTOM - 0.1
    if not tree:
        slide = deck.slide(_t("diagram", lang))
        _text(slide, MARGIN, TOP + 0.2, 8, 0.5, labels["empty"], size=16)
        return
    for size in (11.0, 10.0, 9.0):
        blocks = [_layout_branch(p, cols, size) for p in tree]
        if max(b[0] for b in blocks) <= room:
            break
    pages: list[list[tuple[float, dict[str, Any]]]] = [[]]
    used = 0.0
    for (h, _), primary in zip(blocks, tree, strict=True):
        if pages[-1] and used + h > room:
            pages.append([])
            used = 0.0
        pages[-1].append((h, primary))
        used += h + 0.12
    for n, page in enumerate(pages, start=1):
        suffix = f" ({n}/{len(pages)})" if len(pages) > 1 else ""
        slide = deck.slide(_t("diagram", lang) + suffix)
        for kind, (x, w) in cols.items():
            heading = {
                "primary": labels["primary"],
                "secondary": labels["secondary"],
                "idea": labels["change_idea"],
            }
            _text(slide, x, TOP - 0.05, w, 0.3, heading[kind], size=11, bold=True, colour=MUTED)
        y = TOP + 0.3
        for h, primary in page:
            _draw_branch(slide, primary, cols, size, y, None)
            y += h + 0.12


def _node_text(node: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    parts: list[tuple[str, dict[str, Any]]] = [(node["text"], {})]
    if node.get("status_label"):
        parts.append((node["status_label"], {"size": 9, "colour": MUTED, "bold": False}))
    return parts


def _node_height(node: dict[str, Any], width: float, size: float) -> float:
    h = _height(node["text"], width, size, bold=node["kind_css"] == "primary") + 0.12
    return h + (0.2 if node.get("status_label") else 0.0)


def _layout_branch(
    node: dict[str, Any], cols: dict[str, tuple[float, float]], size: float
) -> tuple[float, Any]:
    """The height of a node's branch: its own box, or the stack of its children, whichever is taller."""
    kind = node["kind_css"] if node["kind_css"] in cols else "idea"
    own = _node_height(node, cols[kind][1], size)
    kids = [_layout_branch(k, cols, size)[0] for k in node["children"]]
    below = sum(kids) + 0.08 * max(len(kids) - 1, 0)
    return max(own, below), None


def _draw_branch(
    slide: Any, node: dict[str, Any], cols: dict[str, tuple[float, float]], size: float, y: float, parent: Any
) -> float:
    from pptx.util import Inches, Pt

    kind = node["kind_css"] if node["kind_css"] in cols else "idea"
    x, w = cols[kind]
    height, _ = _layout_branch(node, cols, size)
    own = _node_height(node, w, size)
    top = y + (height - own) / 2 if node["children"] else y
    fill = {"primary": "DBE9F4", "secondary": "EEF4F9"}.get(
        kind, STATE_FILL.get(node.get("status") or "", "FFFFFF")
    )
    box = _text(slide, x, top, w, own, _node_text(node), size=size, bold=kind == "primary", fill=fill,
                border="9FB3C8", shape=5)  # fmt: skip
    if parent is not None:
        px, py, pw = parent
        line = slide.shapes.add_connector(1, Inches(px + pw), Inches(py), Inches(x), Inches(top + own / 2))
        line.line.color.rgb = _rgb("9FB3C8")
        line.line.width = Pt(0.75)
    child_y = y
    for child in node["children"]:
        child_h, _ = _layout_branch(child, cols, size)
        _draw_branch(slide, child, cols, size, child_y, (x, top + own / 2, w))
        child_y += child_h + 0.08
    return box


def _chart_slides(deck: _Deck, charts: list[tuple[Any, Any]], lang: str) -> None:
    from pptx.util import Inches

    from pdsa_core.reports.charts import chart_png

    slide = deck.slide(_t("charts", lang))
    if not charts:
        _text(slide, MARGIN, TOP + 0.2, 8, 0.5, _t("no_charts", lang), size=16)
        return
    two = len(charts) > 1
    w = (SLIDE_W - 2 * MARGIN - 0.3) / 2 if two else SLIDE_W - 2 * MARGIN
    rows = (len(charts) + 1) // 2 if two else 1
    cell_h = (SLIDE_H - TOP - BOTTOM - 0.1) / rows
    for k, (indicator, analysis) in enumerate(charts):
        x = MARGIN + (k % 2) * (w + 0.3) if two else MARGIN
        y = TOP + (k // 2 if two else 0) * cell_h
        meaning = analysis.meaning()
        verdict = analysis.verdict(lang)
        caption = verdict.headline + (f" · {meaning.symbol} {meaning.word(lang)}" if meaning.signal else "")
        caption_h = _height(caption, w, 10) + 0.05
        image_h = cell_h - caption_h - 0.1
        png, (pw, ph) = chart_png(
            analysis, title=f"{indicator.code} {indicator.name(lang)}", lang=lang, size=(w, image_h)
        )
        scale = min(w / pw, image_h / ph)
        picture = slide.shapes.add_picture(
            io.BytesIO(png), Inches(x), Inches(y), Inches(pw * scale), Inches(ph * scale)
        )
        picture.name = f"Chart {indicator.code}"
        colour = {"-concern": "C25E00", "-improvement": "1F4E99"}.get(meaning.css, "1F2933")
        _text(slide, x, y + ph * scale + 0.02, w, caption_h, caption, size=10, bold=True, colour=colour)


def _table_slides(deck: _Deck, rows: list[list[str]], lang: str) -> None:
    from pptx.util import Inches, Pt

    header = [_t(k, lang) for k in ("indicator", "months", "latest", "verdict")]
    widths = (7.4, 1.3, 1.9, 1.83)
    room = SLIDE_H - TOP - BOTTOM - 0.2
    pages: list[list[list[str]]] = [[]]
    used = 0.4
    for row in rows:
        h = max(_height(c, w, 11) for c, w in zip(row, widths, strict=True)) + 0.02
        if pages[-1] and used + h > room:
            pages.append([])
            used = 0.4
        pages[-1].append(row)
        used += h
    for n, page in enumerate(pages, start=1):
        suffix = f" ({n}/{len(pages)})" if len(pages) > 1 else ""
        slide = deck.slide(_t("all", lang) + suffix)
        shape = slide.shapes.add_table(len(page) + 1, 4, Inches(MARGIN), Inches(TOP + 0.1),
                                       Inches(sum(widths)), Inches(0.35 * (len(page) + 1)))  # fmt: skip
        table = shape.table
        for c, w in enumerate(widths):
            table.columns[c].width = Inches(w)
        for r, values in enumerate([header, *page]):
            for c, value in enumerate(values):
                cell = table.cell(r, c)
                cell.text = visible(value)
                for paragraph in cell.text_frame.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(11)
                        run.font.bold = r == 0


def _ramp_slides(deck: _Deck, ramp_list: list[dict[str, Any]], lang: str) -> None:
    from pptx.util import Inches, Pt

    if not ramp_list:
        slide = deck.slide(_t("ramps", lang))
        _text(slide, MARGIN, TOP + 0.2, 8, 0.5, _t("no_ramps", lang), size=16)
        return
    step_w, gap, rise = 2.45, 0.35, 0.12
    per_row = int((SLIDE_W - 2 * MARGIN + gap) // (step_w + gap))
    room = SLIDE_H - TOP - BOTTOM - 0.1
    layouts = []
    for ramp in ramp_list:
        texts = [_step_text(c, n, ramp, lang) for n, c in enumerate(ramp["cycles"], start=1)]
        step_h = max(sum(_height(t, step_w, s["size"], bold=s.get("bold", False)) for t, s in parts)
                     for parts in texts) + 0.05  # fmt: skip
        rows = (len(texts) + per_row - 1) // per_row
        idea_h = _height(ramp["idea"], SLIDE_W - 2 * MARGIN, 13, bold=True) if ramp.get("idea") else 0.0
        layouts.append(
            (idea_h + rows * (step_h + rise * (min(len(texts), per_row) - 1)) + 0.2, step_h, texts)
        )
    pages: list[list[int]] = [[]]
    used = 0.0
    for k, (h, _, _) in enumerate(layouts):
        if pages[-1] and used + h > room:
            pages.append([])
            used = 0.0
        pages[-1].append(k)
        used += h
    for n, page in enumerate(pages, start=1):
        suffix = f" ({n}/{len(pages)})" if len(pages) > 1 else ""
        slide = deck.slide(_t("ramps", lang) + suffix)
        y = TOP
        for k in page:
            ramp = ramp_list[k]
            h, step_h, texts = layouts[k]
            if ramp.get("idea"):
                idea_h = _height(ramp["idea"], SLIDE_W - 2 * MARGIN, 13, bold=True)
                _text(slide, MARGIN, y, SLIDE_W - 2 * MARGIN, idea_h, ramp["idea"], size=13, bold=True)
                y += idea_h
            span = min(len(texts), per_row)
            base = y + rise * (span - 1)  # the staircase rises to the right
            previous = None
            for s, (parts, cycle) in enumerate(zip(texts, ramp["cycles"], strict=True)):
                row, col = divmod(s, per_row)
                x = MARGIN + col * (step_w + gap)
                top = base + row * (step_h + rise * (span - 1)) - col * rise
                fill = STATUS_FILL.get(cycle["status"], "EEF4F9")
                _text(slide, x, top, step_w, step_h, parts, fill=fill, border="9FB3C8", shape=5)
                if previous is not None and col:
                    px, py = previous
                    arrow = slide.shapes.add_connector(
                        1, Inches(px), Inches(py), Inches(x), Inches(top + step_h / 2)
                    )
                    arrow.line.color.rgb = _rgb(MUTED)
                    arrow.line.width = Pt(1)
                    _arrow_head(arrow)
                previous = (x + step_w, top + step_h / 2)
            y += h - (idea_h if ramp.get("idea") else 0.0)


def _arrow_head(connector: Any) -> None:
    """An arrow head at the end of a line (python-pptx has no property for it)."""
    from pptx.oxml.ns import qn

    line = connector.line._get_or_add_ln()
    tail = line.find(qn("a:tailEnd"))
    if tail is None:
        tail = line.makeelement(qn("a:tailEnd"), {})
        line.append(tail)
    tail.set("type", "triangle")


def _step_text(
    cycle: dict[str, Any], n: int, ramp: dict[str, Any], lang: str
) -> list[tuple[str, dict[str, Any]]]:
    parts: list[tuple[str, dict[str, Any]]] = [(cycle["title"], {"size": 11, "bold": True})]
    meta = cycle["status_label"] + (f" · {cycle['dates']}" if cycle.get("dates") else "")
    parts.append((meta, {"size": 9, "colour": MUTED}))
    if cycle.get("decision_label"):
        colour = {"adopt": "2F7D32", "adapt": "B7791F", "abandon": "9B2C2C"}.get(cycle["decision"], MUTED)
        parts.append((cycle["decision_label"], {"size": 10, "bold": True, "colour": colour}))
    return parts


def _lessons_slides(deck: _Deck, own: str, derived: list[str], lang: str) -> None:
    items: list[tuple[str, dict[str, Any]]] = []
    if own:
        items.append((own, {"size": 14}))
    if derived:
        items.append((_t("from_cycles", lang), {"size": 14, "bold": True}))
        items += [(f"• {x}", {"size": 12}) for x in derived]
    if not items:
        items.append((_t("no_lessons", lang), {"size": 14, "colour": MUTED}))
    width = SLIDE_W - 2 * MARGIN
    room = SLIDE_H - TOP - BOTTOM - 0.2
    pages: list[list[tuple[str, dict[str, Any]]]] = [[]]
    used = 0.0
    for text, style in items:  # a paragraph never splits; a slide takes as many as fit
        h = _height(text, width, style["size"], bold=style.get("bold", False)) + 0.08
        if pages[-1] and used + h > room:
            pages.append([])
            used = 0.0
        pages[-1].append((text, style))
        used += h
    for n, page in enumerate(pages, start=1):
        suffix = f" ({n}/{len(pages)})" if len(pages) > 1 else ""
        slide = deck.slide(_t("lessons", lang) + suffix)
        _text(slide, MARGIN, TOP + 0.05, width, room, page)


def storyboard_pptx(
    ws: Workspace,
    team_ref: str,
    *,
    period_from: str | None = None,
    period_to: str | None = None,
    lang: str = "da",
    indicators: Sequence[str] = (),
    suppress_small: bool = False,
    state_today: bool = False,
) -> Report:
    """The storyboard as PowerPoint bytes (``Report.content``); the same period and content as the HTML."""
    from pptx import Presentation
    from pptx.util import Inches

    from pdsa_core.reports.small_numbers import SmallNumbers

    start, end = default_period(period_from, period_to, as_of=as_of(ws))
    team = ws.team(team_ref)
    day = None if state_today else period_end_day(end)
    diagram = diagram_as_of(ws, team.id, day)
    cycles = cycles_as_of(ws.cycles(team.id), day)
    small = SmallNumbers(enabled=suppress_small)
    note = workspace_note(ws)
    title = f"{_t('title', lang)}: {team.name}"
    period = period_text(start, end, lang)

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)
    prs.core_properties.title = visible(title)
    deck = _Deck(prs, f"{title} · {period} · {_t('made', lang, date=ws.today())}", note)

    facts = [team.region.value, team.track.value]
    if team.municipalities:
        facts.append(", ".join(team.municipalities))
    if team.members:
        facts.append(_t("members", lang, n=len(team.members)))
    done = sum(1 for c in cycles if c.status in (CycleStatus.DONE, CycleStatus.ABANDONED))
    facts.append(_t("cycles_count", lang, n=len(cycles), done=done))
    _title_slide(deck, title, diagram.aim or _t("no_aim", lang), " · ".join(facts), period, note, lang)
    _diagram_slides(deck, diagram_tree(diagram, cycles, lang), diagram.aim, lang)
    charts = [(i, a) for i, a in pick_charts(ws, team.id, indicators, end) if a is not None]
    _chart_slides(deck, charts, lang)
    _table_slides(deck, indicator_rows(ws, team.id, start, end, small, lang), lang)
    _ramp_slides(deck, ramps(diagram, cycles, lang), lang)
    own = report_texts(ws, team.id, period_from=start, period_to=end).get("lessons") or latest_text(
        ws, team.id, "lessons", until=None if state_today else end
    )
    _lessons_slides(deck, own, lessons_from_cycles(cycles, lang), lang)

    buffer = io.BytesIO()
    prs.save(buffer)
    return Report(
        text="",
        format="pptx",
        title=title,
        hidden_cells=small.hidden,
        data={
            "team": team.id,
            "period_from": start,
            "period_to": end,
            "charts": [i.code for i, _ in charts],
            "slides": len(prs.slides),
        },
        content=buffer.getvalue(),
    )
