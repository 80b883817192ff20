"""The storyboard: an A3 landscape poster of the team's improvement work.

What the secretariat asks teams to bring to a learning seminar: the aim, the driver
diagram, the PDSA ramps, the key charts and the lessons learnt, on one page. The key
charts are the indicators named, else up to four: result indicators first, those with a
signal before the others. Lessons learnt are the team's own text
(``pdsa report text ... lessons``) followed by what the finished PDSA cycles concluded.

Nothing is ever cut. The page is laid out from estimates of what each block takes
(:mod:`pdsa_core.reports.poster_layout`): the charts shrink (down to a readable size) to
make room for a team's many indicators; what still does not fit (more ramps, lessons, the
rest of the indicator table, a very large diagram) moves to a second page, the first page
says so where it happens, and :attr:`Report.notices` says so (the command prints it).
Charts are drawn at the size they print, so their text is 8 pt or more on paper.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pdsa_core.domain import ActDecision, CycleStatus
from pdsa_core.reports.charts import chart_svg, period_analysis, svg_height_mm
from pdsa_core.reports.common import (
    Report,
    as_of,
    default_period,
    indicator_figures,
    meaning_label,
    period_text,
    workspace_note,
)
from pdsa_core.reports.document import (
    BASE_CSS,
    DiagramBlock,
    RampsBlock,
    Table,
    esc,
    html_block,
    html_page,
    md_to_html,
    ramp_step_title,
)
from pdsa_core.reports.poster_layout import PT, Column, fit_font, rows_that_fit, text_height, text_lines
from pdsa_core.reports.progress import (
    DECISION_LABELS,
    cycles_as_of,
    diagram_as_of,
    diagram_labels,
    diagram_tree,
    label,
    period_end_day,
    ramp_labels,
    ramps,
)
from pdsa_core.reports.small_numbers import SmallNumbers
from pdsa_core.reports.texts import latest_text, report_texts
from pdsa_core.version import __version__

if TYPE_CHECKING:
    from pdsa_core.workspace import Workspace

MAX_CHARTS = 4
MAX_LESSONS = 4
#: how long a lesson drawn from a cycle may be: the first that keeps the lessons on page one
LESSON_LENGTHS = (150, 100)

_T = {
    "title": ("Storyboard", "Storyboard"),
    "continued": ("fortsat", "continued"),
    "aim": ("Vores mål", "Our aim"),
    "no_aim": ("Målet er ikke skrevet endnu.", "No aim written yet."),
    "diagram": ("Driverdiagram", "Driver diagram"),
    "charts": ("Data", "Data"),
    "no_charts": ("Ingen indikatorer med data endnu.", "No indicators with data yet."),
    "ramps": ("PDSA-ramper", "PDSA ramps"),
    "lessons": ("Erfaringer", "Lessons learnt"),
    "no_lessons": (
        'Skriv teamets erfaringer med: pdsa report text --team {team} lessons "..."',
        'Write the team\'s lessons with: pdsa report text --team {team} lessons "..."',
    ),
    "from_cycles": ("Fra PDSA-cirklerne", "From the PDSA cycles"),
    "footer": ("Lavet med pdsa {version} den {date}", "Made with pdsa {version} on {date}"),
    "members": ("{n} medlemmer", "{n} members"),
    "cycles_count": ("{n} PDSA-cirkler, {done} afsluttet", "{n} PDSA cycles, {done} finished"),
    "more": ("Fortsættes på side 2: {what}.", "Continued on page 2: {what}."),
    "table_rest": ("{n} indikatorer mere", "{n} more indicators"),
    "all": ("Alle indikatorer", "All indicators"),
    "notice": (
        "Storyboardet fylder 2 sider; på side 2: {what}.",
        "The storyboard needs 2 pages; on page 2: {what}.",
    ),
    "indicator": ("Indikator", "Indicator"),
    "months": ("Måneder", "Months"),
    "latest": ("Seneste", "Latest"),
    "verdict": ("Vurdering", "Verdict"),
}


def _t(key: str, lang: str, **values: Any) -> str:
    da, en = _T[key]
    text = da if lang == "da" else en
    return text.format(**values) if values else text


# -- geometry (millimetres): A3 landscape, 8 mm margins ------------------------------------------------
PAGE_W, PAGE_H = 404.0, 281.0
GAP = 6.0  # between columns
ROW_GAP = 4.0  # between header, columns and footer
FR = (1.25, 1.55, 0.85)  # left (diagram, lessons), middle (data), right (ramps)
COL_W = tuple(round((PAGE_W - 2 * GAP) * f / sum(FR), 1) for f in FR)
HEAD_FR = (1.0, 2.1)
HEAD_W = tuple(round((PAGE_W - GAP) * f / sum(HEAD_FR), 1) for f in HEAD_FR)
H2 = 14 * PT * 1.4 + 2.5  # a column heading with its margin
FOOTER = 8 * PT * 1.4 + 2.5
CHART_GAP = 3.0
SLACK = 5.0  # kept free in every column: estimates may be a line short
CAPTION_PT = 8.5
TABLE_PT = 8.0
TABLE_COLS = (0.55, 0.1, 0.15, 0.2)  # indicator, months, latest, verdict (table-layout: fixed)
TABLE_COLS_NARROW = (0.43, 0.16, 0.18, 0.23)
CHART_MIN = {True: 44.0, False: 50.0}  # the smallest readable chart height, by two columns or one
CHART_MAX = {True: 78.0, False: 95.0}


POSTER_CSS = f"""
@page {{ size: A3 landscape; margin: 8mm; }}
body {{ font-size: 10pt; }}
.poster {{ width: {PAGE_W}mm; min-height: {PAGE_H}mm; padding: 0; margin: 0 auto; display: grid;
  grid-template-rows: auto 1fr auto; gap: {ROW_GAP}mm; background: #fff; break-after: page; }}
.poster:last-child {{ break-after: auto; }}
.poster header {{ display: grid; grid-template-columns: {HEAD_FR[0]}fr {HEAD_FR[1]}fr; gap: {GAP}mm;
  align-items: stretch; border-bottom: 2pt solid var(--accent); padding-bottom: 3mm; }}
.poster header h1 {{ margin: 0 0 1mm; line-height: 1.15; overflow-wrap: anywhere; }}
.poster header .who {{ color: var(--muted); font-size: 10.5pt; margin: 0.5mm 0; overflow-wrap: anywhere; }}
.poster header .aim {{ background: var(--accent); color: #fff; border-radius: 3mm; padding: 4mm 6mm;
  font-weight: 600; display: flex; align-items: center; line-height: 1.3; overflow-wrap: anywhere; }}
.poster header .aim small {{ display: block; font-size: 9pt; font-weight: 400; opacity: 0.85;
  text-transform: uppercase; letter-spacing: 0.05em; }}
.columns {{ display: grid; grid-template-columns: {COL_W[0]}mm {COL_W[1]}mm {COL_W[2]}mm; gap: {GAP}mm;
  align-items: start; }}
.columns > div {{ min-width: 0; display: flex; flex-direction: column; }}
.columns h2, .continued h2 {{ font-size: 14pt; margin: 0 0 2.5mm; }}
.charts {{ display: grid; grid-template-columns: 1fr; gap: {CHART_GAP}mm; }}
.charts.two-col {{ grid-template-columns: 1fr 1fr; }}
.charts figure {{ margin: 0; border: 0.6pt solid var(--line); border-radius: 2mm; padding: 1.5mm; }}
.charts figure svg {{ width: 100%; height: auto; display: block; }}
.charts figcaption {{ font-size: {CAPTION_PT}pt; color: var(--muted); margin-top: 0.5mm; }}
.charts figcaption strong {{ color: var(--ink); }}
.charts figcaption.-concern strong {{ color: var(--concern); }}
.charts figcaption.-improvement strong {{ color: var(--improve); }}
table.all-indicators {{ font-size: {TABLE_PT}pt; margin: 2.5mm 0 0; table-layout: fixed; }}
table.all-indicators td, table.all-indicators th {{ padding: 0.4mm 1.2mm; line-height: 1.3; }}
.lessons {{ margin-top: 3mm; }}
section.moved {{ margin-top: 4mm; }}
#story-indicators {{ margin-top: 4mm; }}
.lessons ul {{ margin: 0; padding-left: 4mm; }} .lessons li {{ margin-bottom: 1.2mm; font-size: 9pt; }}
.lessons .team-text {{ background: #fffbea; border-left: 3pt solid var(--warn); padding: 1.5mm 3mm;
  margin-bottom: 2mm; font-size: 10.5pt; overflow-wrap: anywhere; }}
.lessons h3 {{ font-size: 10.5pt; margin: 2mm 0 1mm; }}
.poster footer {{ color: var(--muted); font-size: 8pt; border-top: 0.6pt solid var(--line); padding-top: 1mm;
  display: flex; justify-content: space-between; gap: 10mm; margin-top: 0; }}
.more {{ color: var(--accent); font-size: 9pt; font-weight: 600; margin: 2mm 0 0; }}
.diagram {{ font-size: 8pt; margin-top: 0; }}
.diagram .dd-heads {{ grid-template-columns: minmax(0, 0.8fr) minmax(0, 1fr) minmax(0, 1.6fr); }}
.diagram .branch.k-primary {{ grid-template-columns: minmax(0, 0.8fr) minmax(0, 2.6fr); gap: 1.5mm; }}
.diagram .branch.k-secondary {{ grid-template-columns: minmax(0, 1fr) minmax(0, 1.6fr); gap: 1.5mm; }}
.diagram .branch.k-primary > .kids > .branch.k-idea {{ margin-left: calc(38.5% + 1mm); }}
.diagram .kids {{ gap: 0.8mm; padding-left: 1.5mm; }}
.diagram .dd-body > .kids {{ gap: 1.5mm; }}
.diagram .node {{ padding: 0.5mm 1.5mm; border-radius: 1.2mm; line-height: 1.25; overflow-wrap: anywhere; }}
.diagram .badge {{ font-size: 7pt; }}
.ramps {{ gap: 1.2mm; margin: 0; }}
.ramp .idea {{ font-size: 8.5pt; margin-bottom: 0.5mm; overflow-wrap: anywhere; }}
.ramp ol {{ gap: 1mm; }}
.ramp li.step {{ min-width: 18mm; max-width: 40mm; font-size: 8pt; padding: 0.5mm 1.5mm;
  margin-bottom: calc(var(--step) * 1.2mm); }}
.ramp li.step .meta {{ font-size: 8pt; }}
.ramp li.step .title {{ overflow-wrap: anywhere; }}
.continued .flow {{ columns: 3; column-gap: {GAP}mm; }}
.continued .flow > section.short {{ break-inside: avoid-column; }}
.continued .flow > section {{ margin-bottom: 4mm; }}
.continued .flow h2 {{ break-after: avoid; }}
.continued .flow .ramp, .continued .flow tr, .continued .flow .branch.k-primary {{ break-inside: avoid; }}
@media screen {{ body {{ background: #e4e8ec; padding: 8mm 0; }}
  .poster {{ padding: 8mm; width: 420mm; min-height: 297mm; box-shadow: 0 1mm 4mm rgba(0, 0, 0, 0.2);
    margin-bottom: 8mm; }} }}
@media print {{ body {{ margin: 0; }} }}
"""


def pick_charts(ws: Workspace, team_id: str, codes: Sequence[str], end: str) -> list[tuple[Any, Any]]:
    indicators = ws.indicators(team_id)
    if codes:
        chosen = [ws.indicator(team_id, c) for c in codes]
        return [(i, period_analysis(ws, i, end)) for i in chosen]
    candidates = []
    for i in indicators:
        analysis = period_analysis(ws, i, end)
        if analysis is None:
            continue
        signal = analysis.verdict("da").status == "non_random"
        rank = (0 if i.kind.value == "result" else 1 if i.kind.value == "process" else 2, not signal)
        candidates.append((rank, i, analysis))
    candidates.sort(key=lambda c: c[0])
    chosen_items = [(i, a) for _, i, a in candidates[:MAX_CHARTS]]
    order = {i.code: n for n, i in enumerate(indicators)}
    return sorted(chosen_items, key=lambda p: order[p[0].code])


def indicator_rows(
    ws: Workspace, team_id: str, start: str, end: str, small: SmallNumbers, lang: str
) -> list[list[str]]:
    """Every indicator in one line: months delivered, latest value, what the chart says."""
    rows = []
    for indicator in ws.indicators(team_id):
        figures = indicator_figures(ws, indicator, start, end, small, lang)
        analysis = period_analysis(ws, indicator, end) if figures["n_delivered"] else None
        rows.append(
            [
                f"{indicator.code} {indicator.name(lang)}",
                f"{figures['n_delivered']}/{figures['n_months']}",
                figures["latest_text"],
                meaning_label(analysis, lang, short=True),  # one line in the poster's narrow column
            ]
        )
    return rows


def _table(rows: list[list[str]], lang: str) -> Table:
    header = [_t(k, lang) for k in ("indicator", "months", "latest", "verdict")]
    return Table(header=header, rows=rows, numeric=(1,), css="all-indicators", free=(0,))


def _shares(width: float) -> tuple[float, ...]:
    """Column shares of the indicator table: a narrow column gives the short columns more."""
    return TABLE_COLS if width >= 120 else TABLE_COLS_NARROW


def _table_html(rows: list[list[str]], lang: str, width: float) -> str:
    cols = "".join(f'<col style="width: {w * 100:.0f}%">' for w in _shares(width))
    return html_block(_table(rows, lang)).replace("<thead>", f"<colgroup>{cols}</colgroup><thead>", 1)


def _row_height(row: list[str], width: float) -> float:
    cells = zip(row, _shares(width), strict=True)
    lines = max(text_lines(cell, width * share - 2.6, TABLE_PT) for cell, share in cells)
    return lines * TABLE_PT * PT * 1.3 + 0.8 + 0.3


def lessons_from_cycles(cycles: list[Any], lang: str, *, length: int = 150) -> list[str]:
    """What the latest finished cycles concluded: title, decision and their study results (or
    next step), the text shortened to ``length`` characters with "…" (the status report has it whole).
    """
    finished = [
        c
        for c in cycles
        if c.status in (CycleStatus.DONE, CycleStatus.ABANDONED) and c.act_decision is not ActDecision.NONE
    ]
    finished.sort(key=lambda c: c.end_date or c.updated_at, reverse=True)
    lessons = []
    for cycle in finished[:MAX_LESSONS]:
        said = cycle.study_results or cycle.next_step or ""
        if len(said) > length:
            said = said[: length - 3].rstrip() + "…"
        decision = label(DECISION_LABELS, cycle.act_decision.value, lang)
        lessons.append(f"{cycle.title}: {decision.lower()}{' – ' + said if said else ''}")
    return lessons


# -- estimates of blocks ------------------------------------------------------------------------------
def _diagram_height(primaries: list[dict[str, Any]], width: float) -> float:
    """The driver diagram's height: each primary as tall as its tallest column of boxes."""
    unit = width / 3.4  # 0.8 : 1 : 1.6 columns
    widths = {"primary": unit * 0.8 - 3, "secondary": unit - 4.5, "idea": unit * 1.6 - 6}

    def box(node: dict[str, Any], kind: str) -> float:
        text = node["text"] + (f" [{node['status_label']}]" if node.get("status_label") else "")
        return text_height(text, widths[kind], 8, line=1.25, bold=kind == "primary") + 1.6

    def branch(node: dict[str, Any]) -> float:
        kind = node["kind_css"]
        kids = node["children"]
        below = sum(branch(k) + 0.8 for k in kids)
        return max(box(node, kind), below)

    if not primaries:
        return 10.0
    return 6.0 + sum(branch(p) + 1.5 for p in primaries)


def _ramp_height(ramp: dict[str, Any], width: float, lang: str) -> float:
    idea = text_height(ramp["idea"], width, 8.5, line=1.3) + 0.5 if ramp.get("idea") else 0.0
    per_row = max(1, int((width + 1) / 41))
    steps = ramp["cycles"]
    labels = ramp_labels(lang)
    step_h = [
        text_height(ramp_step_title(c, n, labels), 37, 8, bold=True)
        + text_height(f"{c['status_label']} · {c.get('dates', '')}", 37, 8)
        + (8 * PT * 1.3 if c.get("decision_label") else 0)
        + 1.6
        for n, c in enumerate(steps, start=1)
    ]
    rows = [step_h[k : k + per_row] for k in range(0, len(step_h), per_row)]
    stagger = 1.2 * max(len(steps) - 1, 0)
    return idea + sum(max(r) for r in rows) + stagger + 1.2


@dataclass
class _Moved:
    """A block that did not fit its column: placed in another column with room, else on page 2.

    ``height`` estimates it (with its heading) in a column of a given width; ``more`` is what the
    first page says is continued on page 2; ``origin`` is the column it came from.
    """

    title: str
    html: str
    origin: str
    more: str
    height: Callable[[float], float]


def storyboard(
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
    """The storyboard poster of a team (HTML, A3 landscape; a second page only when needed).

    Shown as of the end of the period: the diagram, the cycles, their decisions and the
    lessons as they stood then (``state_today``: as they are today).
    """
    start, end = default_period(period_from, period_to, as_of=as_of(ws))
    team = ws.team(team_ref)
    day = None if state_today else period_end_day(end)
    diagram = diagram_as_of(ws, team.id, day)
    cycles = cycles_as_of(ws.cycles(team.id), day)
    small = SmallNumbers(enabled=suppress_small)

    # -- header: the title and the aim, their type made smaller when they are long ------------------
    facts = [team.region.value, team.track.value]
    if team.municipalities:
        facts.append(", ".join(team.municipalities))
    if team.members:
        facts.append(_t("members", lang, n=len(team.members)))
    done = sum(1 for c in cycles if c.status in (CycleStatus.DONE, CycleStatus.ABANDONED))
    facts.append(_t("cycles_count", lang, n=len(cycles), done=done))
    title = f"{_t('title', lang)}: {team.name}"
    title_pt = fit_font(title, HEAD_W[0], 30, 24, 14)
    aim_text = diagram.aim or _t("no_aim", lang)
    aim_pt = fit_font(aim_text, HEAD_W[1] - 12, 44, 16, 10)
    left_head = (
        text_height(title, HEAD_W[0], title_pt, line=1.15, bold=True)
        + 1
        + text_height(" · ".join(facts), HEAD_W[0], 10.5, line=1.4)
        + 10.5 * PT * 1.4
        + 2
    )
    right_head = 8 + 9 * PT * 1.4 + text_height(aim_text, HEAD_W[1] - 12, aim_pt, line=1.3, bold=True)
    header_h = max(left_head, right_head) + 3 + 0.7
    aim = esc(diagram.aim) if diagram.aim else f"<em>{esc(_t('no_aim', lang))}</em>"
    header = (
        f'<header><div><h1 style="font-size: {title_pt}pt">{esc(title)}</h1>'
        f'<p class="who">{esc(" · ".join(facts))}</p>'
        f'<p class="who">{esc(period_text(start, end, lang))}</p></div>'
        f'<div class="aim" style="font-size: {aim_pt}pt">'
        f"<div><small>{esc(_t('aim', lang))}</small>{aim}</div></div>"
        "</header>"
    )
    height = PAGE_H - header_h - FOOTER - 2 * ROW_GAP - SLACK
    moved: list[_Moved] = []

    # -- middle: the key charts and every indicator ---------------------------------------------------
    middle = Column(height - H2)
    picked = [(i, a) for i, a in pick_charts(ws, team.id, indicators, end) if a is not None]
    rows = indicator_rows(ws, team.id, start, end, small, lang)
    row_heights = [_row_height(r, COL_W[1]) for r in rows]
    table_h = 2.5 + _row_height([_t(k, lang) for k in ("indicator", "months", "latest", "verdict")], COL_W[1])
    table_h += sum(row_heights)
    two = len(picked) > 2
    chart_rows = (len(picked) + 1) // 2 if two else len(picked)
    caption_h = 2 * CAPTION_PT * PT * 1.4 + 0.5 + 3.5  # planned: two lines of caption, padding, border
    # the charts are drawn, measured and redrawn until at most 1 mm taller than planned (below):
    # planned 1 mm short, so the whole table still fits under them
    spare = middle.height - table_h - chart_rows * (caption_h + CHART_GAP) - 1.0
    chart_h = CHART_MAX[two]
    if chart_rows:
        chart_h = min(CHART_MAX[two], max(CHART_MIN[two], spare / chart_rows))
    chart_w = (COL_W[1] - (CHART_GAP if two else 0)) / (2 if two else 1) - 3.6
    figures: list[str] = []
    # drawn, measured, and drawn smaller while the charts take too much room: a chart drawn smaller
    # loses less height than it was asked to (its type keeps its size), so it may take a few rounds
    for _attempt in range(5):
        figures, heights = [], []
        for indicator, analysis in picked:
            svg = chart_svg(
                analysis,
                title=f"{indicator.code} {indicator.name(lang)}",
                lang=lang,
                ident=f"story-{indicator.code}",
                size=(chart_w / 25.4, chart_h / 25.4),
                annotations=False,
                subtitle="",  # the caption under the chart says it, with what it means
                legend=False,  # a small multiple: the status report has the notes
            )
            verdict = analysis.verdict(lang)
            meaning = analysis.meaning()
            latest = indicator_figures(ws, indicator, start, end, small, lang)["latest_text"]
            reading = f" · {meaning.symbol} {meaning.word(lang)}" if meaning.signal else ""
            caption = f"{verdict.headline}{reading} · {latest}"
            caption_mm = text_height(caption, chart_w, CAPTION_PT, line=1.4, bold=True)
            heights.append(svg_height_mm(svg) + caption_mm)
            figures.append(
                f'<figure role="img" aria-label="{esc(indicator.code)}">{svg}'
                f'<figcaption class="{esc(meaning.css)}">'
                f"<strong>{esc(verdict.headline)}{esc(reading)}</strong> · "
                f"{esc(latest)}</figcaption></figure>"
            )
        # each figure: the chart, its caption (measured above), padding and border
        step = 2 if two else 1
        per_row = [max(heights[k : k + step]) + 4.0 for k in range(0, len(heights), step)]
        drawn = sum(h + CHART_GAP for h in per_row)
        excess = drawn - max(spare, CHART_MIN[two] * chart_rows) - chart_rows * (caption_h + CHART_GAP)
        if excess <= 1 or chart_h <= CHART_MIN[two] or not chart_rows:
            break
        chart_h = max(CHART_MIN[two], chart_h - excess / chart_rows)
    middle.used = sum(h + CHART_GAP for h in per_row) if picked else 0.0
    chart_html = (
        f'<div class="charts{" two-col" if two else ""}">{"".join(figures)}</div>'
        if figures
        else f"<p>{esc(_t('no_charts', lang))}</p>"
    )
    # -- left: the driver diagram and the lessons ----------------------------------------------------
    left = Column(height)
    tree = diagram_tree(diagram, cycles, lang)
    diagram_html = html_block(DiagramBlock(diagram.aim, tree, diagram_labels(lang), show_aim=False))
    if left.take(H2 + _diagram_height(tree, COL_W[0]), "diagram"):
        left_html = f'<section id="story-diagram"><h2>{esc(_t("diagram", lang))}</h2>{diagram_html}</section>'
    else:
        left_html = ""
        moved.append(
            _Moved(
                _t("diagram", lang),
                diagram_html,
                "left",
                _t("diagram", lang),
                lambda w: H2 + _diagram_height(tree, w),
            )
        )
    own = report_texts(ws, team.id, period_from=start, period_to=end).get("lessons") or latest_text(
        ws, team.id, "lessons", until=None if state_today else end
    )
    # the team's own words, then what each finished cycle concluded, as far as the column has room;
    # the rest goes on to page 2. What the cycles concluded is a summary (the status report has it
    # whole): it is shortened further when that keeps the lessons on the first page.
    for length in LESSON_LENGTHS:
        derived = lessons_from_cycles(cycles, lang, length=length)
        parts: list[tuple[float, str, str]] = []  # (height in the left column, HTML, text)
        if own:
            html = f'<div class="team-text">{md_to_html(own)}</div>'
            parts.append((text_height(own, COL_W[0] - 8, 10.5, line=1.4) + 5, html, own))
        for item in derived:
            height_mm = text_height(item, COL_W[0] - 4, 9, line=1.4) + 1.2
            parts.append((height_mm, f"<li>{esc(item)}</li>", item))
        if not parts:
            hint = _t("no_lessons", lang, team=team.id)
            parts.append((10.0, f'<p class="who">{esc(hint)}</p>', hint))
        heading_h = H2 + 3 + (10.5 * PT * 1.3 + 3 if derived else 0)
        if heading_h + sum(h for h, _html, _text in parts) <= left.left:
            break
    kept: list[str] = []
    if left.left >= heading_h + parts[0][0]:
        left.used += heading_h
        kept = [html for h, html, _text in parts if left.take(h, html)]
    rest = parts[len(kept) :]

    def lessons_html(chosen: list[str]) -> str:
        own_part = "".join(x for x in chosen if not x.startswith("<li>"))
        items = "".join(x for x in chosen if x.startswith("<li>"))
        listed = f"<h3>{esc(_t('from_cycles', lang))}</h3><ul>{items}</ul>" if items else ""
        return own_part + listed

    if kept:
        left_html += (
            f'<section id="story-lessons" class="lessons"><h2>{esc(_t("lessons", lang))}</h2>'
            f"{lessons_html(kept)}</section>"
        )
    if rest:
        heading = _t("lessons", lang) + (f" ({_t('continued', lang)})" if kept else "")
        rest_html = [html for _h, html, _text in rest]
        rest_text = [text for _h, _html, text in rest]
        moved.append(
            _Moved(
                heading,
                f'<div class="lessons">{lessons_html(rest_html)}</div>',
                "left",
                _t("lessons", lang),
                lambda w: heading_h + sum(text_height(x, w - 6, 9.5, line=1.4) + 1.5 for x in rest_text),
            )
        )

    # -- right: the PDSA ramps --------------------------------------------------------------------
    right = Column(height - H2)
    ramp_list = ramps(diagram, cycles, lang)
    shown = [r for r in ramp_list if right.take(_ramp_height(r, COL_W[2], lang) + 1.2, r)]
    ramp_html = html_block(RampsBlock(shown, ramp_labels(lang))) if shown or not ramp_list else ""
    if right.moved:
        later = list(right.moved)
        moved.append(
            _Moved(
                f"{_t('ramps', lang)} ({_t('continued', lang)})",
                html_block(RampsBlock(later, ramp_labels(lang))),
                "right",
                _t("ramps", lang),
                lambda w: H2 + sum(_ramp_height(r, w, lang) + 1.2 for r in later),
            )
        )

    # -- every indicator in a table: under the charts, else where a column has room, else split ----------
    table_in = {"left": "", "middle": "", "right": ""}
    header_row = [_t(k, lang) for k in ("indicator", "months", "latest", "verdict")]

    def table_height(width: float) -> float:
        return 2.5 + _row_height(header_row, width) + sum(_row_height(r, width) for r in rows)

    places = (("middle", middle, COL_W[1], 0.0), ("right", right, COL_W[2], H2), ("left", left, COL_W[0], H2))
    fits = [name for name, col, width, heading in places if table_height(width) + heading <= col.left]
    chosen = next((name for name, col, _w, _h in places if name in fits and not col.moved), None)
    columns_by_name = {name: (col, width, heading) for name, col, width, heading in places}
    if rows and chosen == "middle":
        table_in["middle"] = _table_html(rows, lang, COL_W[1])
        middle.used += table_height(COL_W[1])
    elif rows and chosen:
        col, width, room_above = columns_by_name[chosen]
        col.used += table_height(width) + room_above
        heading = f"<h2>{esc(_t('all', lang))}</h2>"
        table_in[chosen] = (
            f'<section id="story-indicators">{heading}{_table_html(rows, lang, width)}</section>'
        )
    elif rows:  # split: as many rows as fit under the charts, the rest where a column has room
        continued = f"{_t('all', lang)} ({_t('continued', lang)})"
        for reserve in (0.0, 8.0):  # 8: room for the line saying the rest is on page 2
            room = middle.left - (table_h - sum(row_heights)) - reserve
            fit = max(rows_that_fit(row_heights, room), 1)
            rest_rows, elsewhere = rows[fit:], ""
            for name, col, width, room_above in places[1:]:
                heights = [_row_height(r, width) for r in rest_rows]
                room = col.left - room_above - 2.5 - _row_height(header_row, width)
                if rest_rows and not col.moved and rows_that_fit(heights, room) == len(rest_rows):
                    elsewhere = name
                    break
            if elsewhere or not rest_rows:
                break
        table_in["middle"] = _table_html(rows[:fit], lang, COL_W[1])
        middle.used += table_h - sum(row_heights) + sum(row_heights[:fit])
        if elsewhere:
            col, width, room_above = columns_by_name[elsewhere]
            rest_h = sum(_row_height(r, width) for r in rest_rows)
            col.used += room_above + 2.5 + _row_height(header_row, width) + rest_h
            table_in[elsewhere] = (
                f'<section id="story-indicators"><h2>{esc(continued)}</h2>'
                f"{_table_html(rest_rows, lang, width)}</section>"
            )
        elif rest_rows:
            moved.append(
                _Moved(
                    continued,
                    _table_html(rest_rows, lang, PAGE_W / 3),
                    "middle",
                    _t("table_rest", lang, n=len(rest_rows)),
                    lambda w: float("inf"),  # the rows already went wherever there was room
                )
            )

    # -- what did not fit its own column goes where another has room, else on page 2 -------------------
    placed = {"left": "", "middle": "", "right": ""}
    for block in list(moved):
        for name, col, width, _heading in (places[1], places[2], places[0]):
            if name != block.origin and not col.moved and block.height(width) <= col.left:
                col.used += block.height(width)
                placed[name] += f'<section class="moved"><h2>{esc(block.title)}</h2>{block.html}</section>'
                moved.remove(block)
                break

    def more(origin: str) -> str:
        what = [m.more for m in moved if m.origin == origin]
        return f'<p class="more">{esc(_t("more", lang, what=", ".join(what)))}</p>' if what else ""

    columns = (
        f'<div class="columns"><div>{left_html}{table_in["left"]}{placed["left"]}{more("left")}</div>'
        f'<div><section id="story-data"><h2>{esc(_t("charts", lang))}</h2>{chart_html}{table_in["middle"]}'
        f"</section>{placed['middle']}{more('middle')}</div>"
        f'<div><section id="story-ramps"><h2>{esc(_t("ramps", lang))}</h2>{ramp_html}</section>'
        f"{table_in['right']}{placed['right']}{more('right')}</div></div>"
    )
    note = small.note(lang, charts=True)
    footer = (
        f"<footer><span>{esc(_t('footer', lang, version=__version__, date=ws.today()))}"
        f"{' · ' + esc(workspace_note(ws)) if workspace_note(ws) else ''}</span>"
        f"<span>{esc(note)}</span></footer>"
    )
    pages = [f'<div class="poster">{header}{columns}{footer}</div>']
    notices = []
    if moved:
        what = [m.title for m in moved]
        flow = "".join(
            # a block shorter than a column stays whole in one (the columns are balanced)
            f'<section class="{"short" if m.height(PAGE_W / 3) < height * 0.8 else ""}">'
            f"<h2>{esc(m.title)}</h2>{m.html}</section>"
            for m in moved
        )
        page_two_title = f"{title} ({_t('continued', lang)})"
        pages.append(
            f'<div class="poster continued"><header><div><h1 style="font-size: {min(title_pt, 20)}pt">'
            f'{esc(page_two_title)}</h1><p class="who">{esc(period_text(start, end, lang))}</p></div>'
            "<div></div>"
            f'</header><div class="flow">{flow}</div>{footer}</div>'
        )
        notices.append(_t("notice", lang, what=", ".join(what)))
    text = html_page(title, lang, "".join(pages), css=BASE_CSS + POSTER_CSS)
    return Report(
        text=text,
        format="html",
        title=title,
        hidden_cells=small.hidden,
        data={
            "team": team.id,
            "period_from": start,
            "period_to": end,
            "charts": [i.code for i, _ in picked],
            "pages": len(pages),
            "moved": [m.title for m in moved],
        },
        notices=notices,
    )
