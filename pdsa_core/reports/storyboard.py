"""The storyboard: a one-page A3 landscape poster of the team's improvement work.

What the secretariat asks teams to bring to a learning seminar: the aim, the driver
diagram, the PDSA ramps, the key charts and the lessons learnt, on one page. The key
charts are the indicators named, else up to four: result indicators first, those with a
signal before the others. Lessons learnt are the team's own text
(``pdsa report text ... lessons``) followed by what the finished PDSA cycles concluded.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pdsa_core import __version__
from pdsa_core.domain import ActDecision, CycleStatus
from pdsa_core.reports.charts import chart_svg, period_analysis
from pdsa_core.reports.common import (
    Report,
    as_of,
    default_period,
    indicator_figures,
    period_text,
    verdict_label,
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
)
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

MAX_CHARTS = 4
MAX_RAMPS = 8
MAX_LESSONS = 4

_T = {
    "title": ("Storyboard", "Storyboard"),
    "aim": ("Vores mål", "Our aim"),
    "no_aim": ("Målet er ikke skrevet endnu.", "No aim written yet."),
    "team": ("Teamet", "The team"),
    "diagram": ("Driverdiagram", "Driver diagram"),
    "charts": ("Data", "Data"),
    "no_charts": ("Ingen indikatorer med data endnu.", "No indicators with data yet."),
    "ramps": ("PDSA-ramper", "PDSA ramps"),
    "more_ramps": ("… og {n} ramper mere", "… and {n} more ramps"),
    "lessons": ("Erfaringer", "Lessons learnt"),
    "no_lessons": (
        'Skriv teamets erfaringer med: pdsa report text --team {team} lessons "..."',
        'Write the team\'s lessons with: pdsa report text --team {team} lessons "..."',
    ),
    "from_cycles": ("Fra PDSA-cirklerne", "From the PDSA cycles"),
    "footer": ("Lavet med pdsa {version} den {date}", "Made with pdsa {version} on {date}"),
    "members": ("{n} medlemmer", "{n} members"),
    "cycles_count": ("{n} PDSA-cirkler, {done} afsluttet", "{n} PDSA cycles, {done} finished"),
}


def _t(key: str, lang: str, **values: Any) -> str:
    da, en = _T[key]
    text = da if lang == "da" else en
    return text.format(**values) if values else text


POSTER_CSS = """
@page { size: A3 landscape; margin: 8mm; }
body { font-size: 10pt; }
.poster { width: 404mm; height: 280mm; padding: 0; margin: 0 auto; display: grid;
  grid-template-rows: auto 1fr auto; gap: 4mm; overflow: hidden; background: #fff; }
.poster header { display: grid; grid-template-columns: 1fr 2.1fr; gap: 6mm; align-items: stretch;
  border-bottom: 2pt solid var(--accent); padding-bottom: 3mm; }
.poster header h1 { font-size: 26pt; margin: 0 0 1mm; line-height: 1.15; }
.poster header .who { color: var(--muted); font-size: 10.5pt; margin: 0.5mm 0; }
.poster header .aim { background: var(--accent); color: #fff; border-radius: 3mm; padding: 4mm 6mm;
  font-size: 17pt; font-weight: 600; display: flex; align-items: center; line-height: 1.3; }
.poster header .aim small { display: block; font-size: 9pt; font-weight: 400; opacity: 0.85;
  text-transform: uppercase; letter-spacing: 0.05em; }
.columns { display: grid; grid-template-columns: 1.25fr 1.55fr 0.85fr; gap: 6mm; min-height: 0; }
.columns > section { min-height: 0; overflow: hidden; display: flex; flex-direction: column; }
.columns h2 { font-size: 14pt; margin: 0 0 2.5mm; }
.charts { display: grid; grid-template-columns: 1fr; gap: 3mm; }
.charts.two-col { grid-template-columns: 1fr 1fr; }
.charts figure { margin: 0; border: 0.6pt solid var(--line); border-radius: 2mm; padding: 1.5mm; }
.charts figcaption { font-size: 8.5pt; color: var(--muted); margin-top: 0.5mm; }
.charts figcaption strong { color: var(--ink); }
.charts figcaption.signal strong { color: var(--signal); }
table.all-indicators { font-size: 8pt; margin-top: 2.5mm; }
table.all-indicators td, table.all-indicators th { padding: 0.4mm 1.2mm; }
.lessons { margin-top: 3mm; }
.lessons ul { margin: 0; padding-left: 4mm; } .lessons li { margin-bottom: 1.2mm; }
.lessons .team-text { background: #fffbea; border-left: 3pt solid var(--warn); padding: 1.5mm 3mm;
  margin-bottom: 2mm; font-size: 10.5pt; }
.lessons h3 { font-size: 10.5pt; margin: 2mm 0 1mm; }
.poster footer { color: var(--muted); font-size: 8pt; border-top: 0.6pt solid var(--line); padding-top: 1mm;
  display: flex; justify-content: space-between; gap: 10mm; }
.diagram { font-size: 7.8pt; margin-top: 0; }
.diagram .dd-heads { grid-template-columns: minmax(0, 0.8fr) minmax(0, 1fr) minmax(0, 1.6fr); }
.diagram .branch.k-primary { grid-template-columns: minmax(0, 0.8fr) minmax(0, 2.6fr); gap: 1.5mm; }
.diagram .branch.k-secondary { grid-template-columns: minmax(0, 1fr) minmax(0, 1.6fr); gap: 1.5mm; }
.diagram .branch.k-primary > .kids > .branch.k-idea { margin-left: calc(38.5% + 1mm); }
.diagram .kids { gap: 0.8mm; padding-left: 1.5mm; }
.diagram .dd-body > .kids { gap: 1.5mm; }
.diagram .node { padding: 0.5mm 1.5mm; border-radius: 1.2mm; line-height: 1.25; }
.diagram .badge { font-size: 6.5pt; }
.ramps { gap: 1.2mm; margin: 0; }
.ramp .idea { font-size: 8.5pt; margin-bottom: 0.5mm; }
.ramp ol { gap: 1mm; }
.ramp li.step { min-width: 18mm; max-width: 40mm; font-size: 7.5pt; padding: 0.5mm 1.5mm;
  margin-bottom: calc(var(--step) * 1.2mm); }
.ramp li.step .meta { font-size: 7pt; }
.ramp li.step .title { overflow-wrap: anywhere; }
.lessons li { font-size: 9pt; }
@media screen { body { background: #e4e8ec; padding: 8mm 0; }
  .poster { padding: 8mm; width: 420mm; height: 297mm; box-shadow: 0 1mm 4mm rgba(0, 0, 0, 0.2); } }
@media print { body { margin: 0; } }
"""


def _pick_charts(ws: Any, team_id: str, codes: Sequence[str], end: str) -> list[tuple[Any, Any]]:
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


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _indicator_table(ws: Any, team_id: str, start: str, end: str, small: SmallNumbers, lang: str) -> Table:
    """Every indicator in one line: months delivered, latest value, verdict."""
    rows = []
    for indicator in ws.indicators(team_id):
        figures = indicator_figures(ws, indicator, start, end, small, lang)
        analysis = period_analysis(ws, indicator, end) if figures["n_delivered"] else None
        status = analysis.verdict(lang).status if analysis else "none"
        rows.append(
            [
                f"{indicator.code} {indicator.name(lang)}",
                f"{figures['n_delivered']}/{figures['n_months']}",
                figures["latest_text"],
                verdict_label(status, lang),
            ]
        )
    header = (
        ["Indikator", "Måneder", "Seneste", "Vurdering"]
        if lang == "da"
        else ["Indicator", "Months", "Latest", "Verdict"]
    )
    return Table(header=header, rows=rows, numeric=(1,), css="all-indicators", free=(0,))


def _lessons_from_cycles(cycles: list[Any], lang: str) -> list[str]:
    finished = [
        c
        for c in cycles
        if c.status in (CycleStatus.DONE, CycleStatus.ABANDONED) and c.act_decision is not ActDecision.NONE
    ]
    finished.sort(key=lambda c: c.end_date or c.updated_at, reverse=True)
    lessons = []
    for cycle in finished[:MAX_LESSONS]:
        said = cycle.study_results or cycle.next_step or ""
        if len(said) > 150:
            said = said[:147].rstrip() + "…"
        decision = label(DECISION_LABELS, cycle.act_decision.value, lang)
        lessons.append(f"{cycle.title}: {decision.lower()}{' – ' + said if said else ''}")
    return lessons


def storyboard(
    ws: Any,
    team_ref: str,
    *,
    period_from: str | None = None,
    period_to: str | None = None,
    lang: str = "da",
    indicators: Sequence[str] = (),
    suppress_small: bool = False,
    state_today: bool = False,
) -> Report:
    """The storyboard poster of a team (HTML, A3 landscape, one page).

    Shown as of the end of the period: the diagram, the cycles, their decisions and the
    lessons as they stood then (``state_today``: as they are today).
    """
    start, end = default_period(period_from, period_to, as_of=as_of(ws))
    team = ws.team(team_ref)
    day = None if state_today else period_end_day(end)
    diagram = diagram_as_of(ws, team.id, day)
    cycles = cycles_as_of(ws.cycles(team.id), day)
    small = SmallNumbers(enabled=suppress_small)

    aim = esc(diagram.aim) if diagram.aim else f"<em>{esc(_t('no_aim', lang))}</em>"
    facts = [team.region.value, team.track.value]
    if team.municipalities:
        facts.append(", ".join(team.municipalities))
    if team.members:
        facts.append(_t("members", lang, n=len(team.members)))
    done = sum(1 for c in cycles if c.status in (CycleStatus.DONE, CycleStatus.ABANDONED))
    facts.append(_t("cycles_count", lang, n=len(cycles), done=done))
    header = (
        "<header><div>"
        f"<h1>{esc(_t('title', lang))}: {esc(team.name)}</h1>"
        f'<p class="who">{esc(" · ".join(facts))}</p>'
        f'<p class="who">{esc(period_text(start, end, lang))}</p>'
        f'</div><div class="aim"><div><small>{esc(_t("aim", lang))}</small>{aim}</div></div></header>'
    )

    diagram_html = html_block(
        DiagramBlock(diagram.aim, diagram_tree(diagram, cycles, lang), diagram_labels(lang), show_aim=False)
    )

    picked = [(i, a) for i, a in _pick_charts(ws, team.id, indicators, end) if a is not None]
    two_columns = len(picked) > 2
    figures = []
    for indicator, analysis in picked:
        svg = chart_svg(
            analysis,
            title=_short(f"{indicator.code} {indicator.name(lang)}", 50 if two_columns else 80),
            lang=lang,
            ident=f"story-{indicator.code}",
            size=(6.4, 4.1) if two_columns else (9.0, 4.2),
            annotations=False,
        )
        verdict = analysis.verdict(lang)
        facts_line = indicator_figures(ws, indicator, start, end, small, lang)["latest_text"]
        css = "signal" if verdict.status == "non_random" else ""
        figures.append(
            f'<figure role="img" aria-label="{esc(indicator.code)}">{svg}'
            f'<figcaption class="{css}"><strong>{esc(verdict.headline)}</strong> · '
            f"{esc(facts_line)}</figcaption>"
            "</figure>"
        )
    charts_css = "charts two-col" if two_columns else "charts"
    chart_html = (
        f'<div class="{charts_css}">{"".join(figures)}</div>'
        if figures
        else f"<p>{esc(_t('no_charts', lang))}</p>"
    )
    chart_html += html_block(_indicator_table(ws, team.id, start, end, small, lang))
    middle = f'<section id="story-data"><h2>{esc(_t("charts", lang))}</h2>{chart_html}</section>'

    ramp_list = ramps(diagram, cycles, lang)
    shown = ramp_list[:MAX_RAMPS]
    ramp_html = html_block(RampsBlock(shown, ramp_labels(lang)))
    if len(ramp_list) > len(shown):
        ramp_html += f'<p class="who">{esc(_t("more_ramps", lang, n=len(ramp_list) - len(shown)))}</p>'
    own = report_texts(ws, team.id, period_from=start, period_to=end).get("lessons") or latest_text(
        ws, team.id, "lessons", until=None if state_today else end
    )
    lesson_parts = []
    if own:
        lesson_parts.append(f'<div class="team-text">{md_to_html(own)}</div>')
    derived = _lessons_from_cycles(cycles, lang)
    if derived:
        items = "".join(f"<li>{esc(x)}</li>" for x in derived)
        lesson_parts.append(f"<h3>{esc(_t('from_cycles', lang))}</h3><ul>{items}</ul>")
    if not lesson_parts:
        lesson_parts.append(f'<p class="who">{esc(_t("no_lessons", lang, team=team.id))}</p>')
    left = (
        f'<section id="story-diagram"><h2>{esc(_t("diagram", lang))}</h2>{diagram_html}</section>'
        f'<section id="story-lessons" class="lessons"><h2>{esc(_t("lessons", lang))}</h2>'
        f'{"".join(lesson_parts)}</section>'
    )
    right = f'<section id="story-ramps"><h2>{esc(_t("ramps", lang))}</h2>{ramp_html}</section>'
    note = small.note(lang, charts=True)
    footer = (
        f"<footer><span>{esc(_t('footer', lang, version=__version__, date=ws.today()))}"
        f"{' · ' + esc(workspace_note(ws)) if workspace_note(ws) else ''}</span>"
        f"<span>{esc(note)}</span></footer>"
    )
    body = f'<div class="poster">{header}<div class="columns">{left}{middle}{right}</div>{footer}</div>'
    title = f"{_t('title', lang)}: {team.name}"
    text = html_page(title, lang, body, css=BASE_CSS + POSTER_CSS)
    return Report(
        text=text,
        format="html",
        title=title,
        hidden_cells=small.hidden,
        data={"team": team.id, "period_from": start, "period_to": end, "charts": [i.code for i, _ in picked]},
    )
