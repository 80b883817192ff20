"""The status report of a team for a period, in the structure the national secretariat uses.

The LKT Tvang status report (``shared/seeds/lkt_tvang_statusrapport_2022.txt``) has, per
team: an introduction, the data per indicator (chart and verdict in words), progress
(fremdrift: the PDSA cycles and the driver diagram), barriers, and an overall assessment
(samlet vurdering). This report has the same sections; barriers and the overall
assessment are the team's own words (:func:`pdsa_core.reports.texts.set_report_text`),
everything else comes from the workspace. Sections added by plugins follow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pdsa_core.i18n import t
from pdsa_core.reports.charts import chart_svg, period_analysis
from pdsa_core.reports.common import (
    Report,
    as_of,
    check_format,
    default_period,
    indicator_figures,
    kind_label,
    meaning_label,
    period_text,
    target_text,
    workspace_note,
)
from pdsa_core.reports.document import (
    Callout,
    Chart,
    DiagramBlock,
    Document,
    RampsBlock,
    Section,
    Table,
    Text,
    to_html,
    to_markdown,
)
from pdsa_core.reports.progress import (
    IDEA_STATE_LABELS,
    STATUS_LABELS,
    cycle_display,
    cycles_as_of,
    diagram_as_of,
    diagram_labels,
    diagram_tree,
    label,
    period_end_day,
    ramp_labels,
    ramps,
)
from pdsa_core.reports.sections import plugin_sections, registered_sections
from pdsa_core.reports.small_numbers import SmallNumbers
from pdsa_core.reports.texts import TEXT_FIELDS, report_texts
from pdsa_core.version import __version__

if TYPE_CHECKING:
    from pdsa_core.workspace import Workspace

_T = {
    "title": ("Statusrapport", "Status report"),
    "team": ("Team", "Team"),
    "region": ("Region", "Region"),
    "track": ("Spor", "Track"),
    "municipalities": ("Kommuner", "Municipalities"),
    "period": ("Periode", "Period"),
    "made": ("Udarbejdet", "Written"),
    "intro": ("1. Indledning", "1. Introduction"),
    "aim": ("Overordnet mål", "Aim"),
    "no_aim": (
        "Teamet har ikke skrevet sit mål i pdsa endnu.",
        "The team has not written its aim in pdsa yet.",
    ),
    "members": ("Forbedringsteamet", "The improvement team"),
    "data": ("2. Data", "2. Data"),
    "overview": ("Indikatorer i perioden", "Indicators in the period"),
    "indicator": ("Indikator", "Indicator"),
    "kind": ("Type", "Kind"),
    "delivered": ("Måneder med data", "Months with data"),
    "latest": ("Seneste værdi", "Latest value"),
    "verdict": ("Vurdering", "Verdict"),
    "no_indicators": ("Teamet har ingen indikatorer.", "The team has no indicators."),
    "no_data": ("Ingen data i perioden.", "No data in the period."),
    "missing": ("Manglende måneder i perioden", "Months missing in the period"),
    "population": ("Population", "Population"),
    "definition": ("Definition", "Definition"),
    "target": ("Mål", "Target"),
    "delivery": (
        "Teamet har leveret data for {n} af {m} indikatorer i perioden.",
        "The team delivered data for {n} of {m} indicators in the period.",
    ),
    "progress": ("3. Fremdrift", "3. Progress"),
    "cycles": ("PDSA-cirkler i perioden", "PDSA cycles in the period"),
    "cycle": ("PDSA-cirkel", "PDSA cycle"),
    "idea": ("Forandringsidé", "Change idea"),
    "status": ("Status", "Status"),
    "dates": ("Periode", "Dates"),
    "decision": ("Act-beslutning", "Act decision"),
    "no_cycles": ("Ingen PDSA-cirkler i perioden.", "No PDSA cycles in the period."),
    "cycle_counts": ("Status for cirklerne", "Cycles by status"),
    "ramps": ("Ramper af PDSA-cirkler", "PDSA ramps"),
    "diagram": ("Driverdiagram", "Driver diagram"),
    "diagram_changes": (
        "Driverdiagrammet blev ændret {n} gange i perioden.",
        "The driver diagram was changed {n} times in the period.",
    ),
    "diagram_unchanged": (
        "Driverdiagrammet blev ikke ændret i perioden.",
        "The driver diagram did not change in the period.",
    ),
    "barriers": ("4. Barrierer", "4. Barriers"),
    "assessment": ("5. Samlet vurdering", "5. Overall assessment"),
    "not_written": (
        "Ikke skrevet endnu. Teamet skriver det med: "
        'pdsa report text --team {team} --from {start} --to {end} {field} "..."',
        "Not written yet. The team writes it with: "
        'pdsa report text --team {team} --from {start} --to {end} {field} "..."',
    ),
    "footer": (
        "Lavet med pdsa {version} den {date}. Diagrammer beregnet som qicharts2; vurderinger efter "
        "hver indikators regelsæt (Anhøj-reglerne, hvis intet andet er valgt).",
        "Made with pdsa {version} on {date}. Charts computed as qicharts2; verdicts by each indicator's "
        "rule set (the Anhøj rules unless another is chosen).",
    ),
    "chart_alt": ("Diagram for {code}", "Chart of {code}"),
    "as_of": (
        "PDSA-cirkler, beslutninger og driverdiagram vises, som de stod ved periodens udgang ({day}).",
        "PDSA cycles, decisions and the driver diagram are shown as they stood at the end of the "
        "period ({day}).",
    ),
    "as_of_today": (
        "PDSA-cirkler, beslutninger og driverdiagram vises, som de står i dag ({day}).",
        "PDSA cycles, decisions and the driver diagram are shown as they are today ({day}).",
    ),
    "runs": ("Serieanalyse", "Runs analysis"),
    "outside": ("{n} uden for kontrolgrænserne", "{n} outside the control limits"),
    "note": ("Bemærk", "Note"),
    "meaning": ("Betydning", "Meaning"),
}


def _t(key: str, lang: str, **values: Any) -> str:
    da, en = _T[key]
    text = da if lang == "da" else en
    return text.format(**values) if values else text


def status_report(
    ws: Workspace,
    team_ref: str,
    *,
    period_from: str | None = None,
    period_to: str | None = None,
    lang: str = "da",
    fmt: str = "html",
    suppress_small: bool = False,
    sections: Any = None,
    plugins: Any = None,
    chart_dir: str = "",
    charts: bool = True,
    state_today: bool = False,
) -> Report:
    """The status report of a team for ``period_from``..``period_to`` as HTML or Markdown.

    Everything is shown as of the end of the period: data, notes, PDSA cycles and their
    decisions, the driver diagram (from its history). ``state_today`` shows the cycles and
    the diagram as they are today instead.

    ``sections`` are the plugin report sections to include (default: every one registered
    by ``plugins``, the loaded plugins the caller passes in; with neither, none). For
    Markdown, ``chart_dir`` names the folder (relative to the report) the charts are written
    to; they are in ``Report.attachments``.
    """
    check_format(fmt)
    start, end = default_period(period_from, period_to, as_of=as_of(ws))
    team = ws.team(team_ref)
    small = SmallNumbers(enabled=suppress_small)
    day = None if state_today else period_end_day(end)
    diagram = diagram_as_of(ws, team.id, day)
    cycles = cycles_as_of(ws.cycles(team.id), day)
    doc = Document(
        title=f"{_t('title', lang)}: {team.name}", lang=lang, subtitle=period_text(start, end, lang)
    )
    doc.meta = [
        (_t("team", lang), team.name),
        (_t("region", lang), team.region.value),
        (_t("track", lang), team.track.value),
        (_t("period", lang), f"{start} – {end}"),
        (_t("made", lang), ws.today()),
    ]
    if team.municipalities:
        doc.meta.insert(3, (_t("municipalities", lang), ", ".join(team.municipalities)))

    if state_today:
        doc.notes.append(_t("as_of_today", lang, day=ws.today()))
    else:
        doc.notes.append(_t("as_of", lang, day=day))
    doc.sections.append(_introduction(team, diagram, lang))
    doc.sections += _data_sections(ws, team, start, end, lang, small, fmt, charts=charts)
    doc.sections += _progress_sections(ws, team, diagram, cycles, start, end, lang)
    texts = report_texts(ws, team.id, period_from=start, period_to=end)
    for key, field in (("barriers", "barriers"), ("assessment", "assessment")):
        written = texts.get(field, "")
        block = (
            Text(written, markdown=True)
            if written
            else Callout(
                _t("not_written", lang, team=team.id, start=start, end=end, field=field), kind="none"
            )
        )
        doc.sections.append(Section(title=_t(key, lang), blocks=[block], id=key))

    if sections is not None:
        chosen = list(sections)
    else:
        chosen = registered_sections(plugins) if plugins is not None else []
    doc.sections += plugin_sections(
        chosen,
        workspace=ws,
        team=team,
        period_from=start,
        period_to=end,
        lang=lang,
        fmt=fmt,
        hide_small_counts=suppress_small,
    )
    note = small.note(lang, charts=charts)
    if note:
        doc.notes.append(note)
    doc.footer = " ".join(
        x for x in (_t("footer", lang, version=__version__, date=ws.today()), workspace_note(ws)) if x
    )
    attachments: dict[str, str] = {}
    if fmt == "html":
        text = to_html(doc)
    else:
        text, attachments = to_markdown(doc, chart_dir=chart_dir)
    return Report(
        text=text,
        format=fmt,
        title=doc.title,
        attachments=attachments,
        hidden_cells=small.hidden,
        data={"team": team.id, "period_from": start, "period_to": end},
    )


def _introduction(team: Any, diagram: Any, lang: str) -> Section:
    blocks: list[Any] = []
    if diagram.aim:
        blocks.append(Callout(diagram.aim, kind="info", label=f"{_t('aim', lang)}:"))
    else:
        blocks.append(Callout(_t("no_aim", lang), kind="none"))
    if team.description:
        blocks.append(Text(team.description, markdown=True))
    if team.members:
        names = ", ".join(
            f"{m.name} ({t(f'role.{m.role.value}', lang)})" if m.role.value != "other" else m.name
            for m in team.members
        )
        blocks.append(Text(f"{_t('members', lang)}: {names}."))
    return Section(title=_t("intro", lang), blocks=blocks, id="introduction")


def _data_sections(
    ws: Workspace, team: Any, start: str, end: str, lang: str, small: SmallNumbers, fmt: str, *, charts: bool
) -> list[Section]:
    indicators = ws.indicators(team.id)
    overview = Section(title=_t("data", lang), id="data")
    if not indicators:
        overview.blocks.append(Text(_t("no_indicators", lang)))
        return [overview]
    rows = []
    details: list[Section] = []
    delivered = 0
    for indicator in indicators:
        figures = indicator_figures(ws, indicator, start, end, small, lang)
        delivered += 1 if figures["n_delivered"] else 0
        analysis = period_analysis(ws, indicator, end) if figures["n_delivered"] else None
        verdict = analysis.verdict(lang) if analysis else None
        rows.append(
            [
                f"{indicator.code} {indicator.name(lang)}",
                kind_label(indicator, lang),
                f"{figures['n_delivered']}/{figures['n_months']}",
                figures["latest_text"],
                meaning_label(analysis, lang),
            ]
        )
        details.append(_indicator_section(indicator, analysis, verdict, figures, lang, fmt, charts=charts))
    overview.blocks.append(Text(_t("delivery", lang, n=delivered, m=len(indicators))))
    overview.blocks.append(
        Table(
            header=[_t(k, lang) for k in ("indicator", "kind", "delivered", "latest", "verdict")],
            rows=rows,
            caption=_t("overview", lang),
            numeric=(2,),
            free=(0,),
        )
    )
    return [overview, *details]


def _indicator_section(
    indicator: Any, analysis: Any, verdict: Any, figures: dict[str, Any], lang: str, fmt: str, *, charts: bool
) -> Section:
    from pdsa_core.meetings.agenda import month_ranges

    section = Section(
        title=f"{indicator.code}: {indicator.name(lang)}",
        level=3,
        id=f"indicator-{indicator.code}",
        css="indicator",
    )
    facts = []
    if indicator.description:
        facts.append(f"{_t('definition', lang)}: {indicator.description}")
    if indicator.population:
        facts.append(f"{_t('population', lang)}: {indicator.population}")
    if indicator.target is not None:
        facts.append(f"{_t('target', lang)}: {target_text(indicator, lang)}")
    if facts:
        section.blocks.append(Text(". ".join(f.rstrip(".") for f in facts) + "."))
    if analysis is None:
        section.blocks.append(Callout(_t("no_data", lang), kind="none"))
        return section
    if charts:
        svg = chart_svg(
            analysis,
            title=f"{indicator.code} {indicator.name(lang)}",
            lang=lang,
            ident=f"chart-{indicator.code}",
            since=figures["months"][0],
        )
        section.blocks.append(
            Chart(svg=svg, name=indicator.code, alt=_t("chart_alt", lang, code=indicator.code))
        )
    meaning = analysis.meaning()
    details = [f"{_t('runs', lang)}: {d}." for d in verdict.details]
    if analysis.series.result.has_limits and verdict.status != "too_few":
        phase = analysis.series.result.phases[-1]
        details.append(f"{_t('outside', lang, n=phase.sigma_signal_count)}.")
    if meaning.signal or meaning.assurance:  # "random" says it all when there is no more to say
        details.append(f"{_t('meaning', lang)}: {meaning.label(lang)}.")
    section.blocks.append(
        Callout(verdict.text, kind=meaning.css.lstrip("-"), label=f"{_t('verdict', lang)}:", details=details)
    )
    for note in analysis.series.notes:
        section.blocks.append(Text(f"{_t('note', lang)}: {note.text(lang)}.", css="series-note"))
    if figures["missing"]:
        ranges = ", ".join(month_ranges(figures["missing"]))
        section.blocks.append(Text(f"{_t('missing', lang)}: {ranges}."))
    return section


def _in_period(cycle: Any, start: str, end: str) -> bool:
    """A cycle belongs to the period when it ran in it, or is still open at its end."""
    first = (cycle.start_date or cycle.created_at[:10])[:7]
    last = (cycle.end_date or "9999-12")[:7]
    return first <= end and last >= start


def _progress_sections(
    ws: Workspace, team: Any, diagram: Any, cycles: list[Any], start: str, end: str, lang: str
) -> list[Section]:
    in_period = [c for c in cycles if _in_period(c, start, end)]
    nodes = {n.id: n for n in diagram.nodes}
    section = Section(title=_t("progress", lang), id="progress")
    texts = report_texts(ws, team.id, period_from=start, period_to=end)
    if texts.get("progress"):
        section.blocks.append(Text(texts["progress"], markdown=True))
    counts: dict[str, int] = {}
    for cycle in in_period:
        counts[cycle.status.value] = counts.get(cycle.status.value, 0) + 1
    if in_period:
        summary = ", ".join(f"{label(STATUS_LABELS, s, lang)}: {n}" for s, n in counts.items())
        section.blocks.append(Text(f"{_t('cycle_counts', lang)}: {summary}."))
        rows = []
        for cycle in in_period:
            shown = cycle_display(cycle, lang)
            idea = nodes[cycle.change_idea].text if cycle.change_idea in nodes else "–"
            rows.append(
                [
                    cycle.title,
                    idea,
                    shown["status_label"],
                    shown["dates"] or "–",
                    shown["decision_label"] or "–",
                ]
            )
        section.blocks.append(
            Table(
                header=[_t(k, lang) for k in ("cycle", "idea", "status", "dates", "decision")],
                rows=rows,
                caption=_t("cycles", lang),
                free=(0, 1),
            )
        )
    else:
        section.blocks.append(Text(_t("no_cycles", lang)))
    ramp_section = Section(title=_t("ramps", lang), level=3, id="ramps")
    ramp_section.blocks.append(RampsBlock(ramps(diagram, in_period, lang), ramp_labels(lang)))
    diagram_section = Section(title=_t("diagram", lang), level=3, id="diagram")
    diagram_section.blocks.append(
        DiagramBlock(diagram.aim, diagram_tree(diagram, cycles, lang), diagram_labels(lang))
    )
    changes = [c for c in ws.diagram_history(team.id) if start <= c.at[:7] <= end]
    if changes:
        diagram_section.blocks.append(Text(_t("diagram_changes", lang, n=len(changes))))
        section_rows = [[c.at[:10], c.who, c.describe(lang)] for c in sorted(changes, key=lambda c: c.seq)]
        date_h, who_h, what_h = ("Dato", "Hvem", "Ændring") if lang == "da" else ("Date", "Who", "Change")
        diagram_section.blocks.append(Table(header=[date_h, who_h, what_h], rows=section_rows, free=(1, 2)))
    else:
        diagram_section.blocks.append(Text(_t("diagram_unchanged", lang)))
    return [section, ramp_section, diagram_section]


__all__ = ["status_report", "TEXT_FIELDS", "IDEA_STATE_LABELS"]
