"""The national roll-up: every team of one or more workspaces on a few pages.

What the secretariat reads ten status reports to learn: which teams delivered which
indicators for which months ("3 of 5 teams delivered V1"), the latest verdict of every
team's indicators, and how change ideas spread (which teams adopted, adapted or abandoned
each; ideas are matched across teams by their normalised title). The roll-up leaves the
team, so small counts are hidden by default.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pdsa_core.domain import NodeKind
from pdsa_core.domain.common import today_iso
from pdsa_core.reports.charts import period_analysis
from pdsa_core.reports.common import (
    Report,
    as_of,
    check_format,
    default_period,
    indicator_figures,
    period_text,
    verdict_label,
    workspace_note,
)
from pdsa_core.reports.document import Document, Section, Table, Text, to_html, to_markdown
from pdsa_core.reports.progress import (
    IDEA_STATE_LABELS,
    cycles_as_of,
    cycles_by_idea,
    diagram_as_of,
    idea_state,
    label,
    normalise_title,
    period_end_day,
)
from pdsa_core.reports.small_numbers import SmallNumbers
from pdsa_core.services.indicators import indicator_sort_key
from pdsa_core.version import __version__

if TYPE_CHECKING:
    from pdsa_core.workspace import Workspace

_T = {
    "title": ("National opsamling", "National roll-up"),
    "teams": ("Teams", "Teams"),
    "workspaces": ("Arbejdsområder", "Workspaces"),
    "period": ("Periode", "Period"),
    "made": ("Udarbejdet", "Written"),
    "legend": ("Teams i opsamlingen", "Teams in the roll-up"),
    "label": ("Nr.", "No."),
    "name": ("Team", "Team"),
    "region": ("Region", "Region"),
    "track": ("Spor", "Track"),
    "delivery": ("Leverede indikatorer", "Indicators delivered"),
    "delivery_intro": (
        "For hver indikator: hvor mange af de teams, der har indikatoren, har leveret mindst én måned i "
        "perioden, og hvor mange måneder hvert team har leveret (af {n}).",
        "For each indicator: how many of the teams that have it delivered at least one month in the "
        "period, and how many months each team delivered (of {n}).",
    ),
    "indicator": ("Indikator", "Indicator"),
    "delivered_by": ("Leveret af", "Delivered by"),
    "of": ("{k} af {m} teams", "{k} of {m} teams"),
    "by_team": ("Indikatorer pr. team", "Indicators by team"),
    "months": ("Måneder leveret", "Months delivered"),
    "missing": ("Mangler", "Missing"),
    "latest": ("Seneste værdi", "Latest value"),
    "verdict": ("Seneste vurdering", "Latest verdict"),
    "none": ("ingen", "none"),
    "ideas": ("Spredning af forandringsidéer", "Spread of change ideas"),
    "ideas_intro": (
        "Forandringsidéer og PDSA-cirkler fra alle teams, samlet efter titel (store og små bogstaver, "
        'tegnsætning og "(cyklus N)" ses bort fra). Status er udfaldet af teamets seneste '
        "PDSA-cirkel på idéen.",
        'Change ideas and PDSA cycles of all teams, matched by title (case, punctuation and "(cycle N)" '
        "ignored). The state is the outcome of the team's latest PDSA cycle on the idea.",
    ),
    "idea": ("Forandringsidé", "Change idea"),
    "n_teams": ("Teams", "Teams"),
    "no_ideas": ("Ingen forandringsidéer endnu.", "No change ideas yet."),
    "no_teams": ("Ingen teams i arbejdsområdet.", "No teams in the workspace."),
    "footer": ("Lavet med pdsa {version} den {date}.", "Made with pdsa {version} on {date}."),
}

LANDSCAPE_CSS = """
@page { size: A4 landscape; margin: 12mm; }
main { max-width: 277mm; }
table { font-size: 8.5pt; }
"""


def _t(key: str, lang: str, **values: Any) -> str:
    da, en = _T[key]
    text = da if lang == "da" else en
    return text.format(**values) if values else text


def rollup_data(
    workspaces: Sequence[Any],
    *,
    period_from: str | None = None,
    period_to: str | None = None,
    lang: str = "da",
    suppress_small: bool = True,
    state_today: bool = False,
) -> dict[str, Any]:
    """The roll-up as plain data (what ``pdsa report national --json`` prints).

    How change ideas spread is read as of the end of the period (``state_today``: as today).
    """
    from pdsa_core.meetings.agenda import month_ranges

    start, end = default_period(period_from, period_to, as_of=as_of(*workspaces))
    small = SmallNumbers(enabled=suppress_small)
    day = None if state_today else period_end_day(end)
    teams: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    names: dict[str, Counter[str]] = {}
    ideas: dict[str, dict[str, Any]] = {}
    for ws in workspaces:
        for team in ws.teams():
            tag = f"T{len(teams) + 1}"
            teams.append(
                {
                    "label": tag,
                    "id": team.id,
                    "name": team.name,
                    "region": team.region.value,
                    "track": team.track.value,
                    "workspace": Path(str(ws.location)).name,
                }
            )
            for indicator in ws.indicators(team.id):
                names.setdefault(indicator.code, Counter())[indicator.name(lang)] += 1
                figures = indicator_figures(ws, indicator, start, end, small, lang)
                analysis = period_analysis(ws, indicator, end) if figures["n_delivered"] else None
                status = analysis.verdict(lang).status if analysis else "none"
                rows.append(
                    {
                        "team": tag,
                        "team_name": team.name,
                        "code": indicator.code,
                        "voluntary": indicator.voluntary,
                        "months": figures["delivered"],
                        "months_text": ", ".join(month_ranges(figures["delivered"])) or _t("none", lang),
                        "missing_text": ", ".join(month_ranges(figures["missing"])),
                        "n_delivered": figures["n_delivered"],
                        "n_months": figures["n_months"],
                        "latest": figures["latest_text"],
                        "verdict": status,
                        "verdict_label": verdict_label(status, lang),
                    }
                )
            _collect_ideas(ws, team, tag, ideas, day)
    indicators = []
    for code in sorted(names, key=indicator_sort_key):
        having = [r for r in rows if r["code"] == code]
        per_team = {r["team"]: f"{r['n_delivered']}/{r['n_months']}" for r in having}
        delivered = sum(1 for r in having if r["n_delivered"])
        indicators.append(
            {
                "code": code,
                "name": names[code].most_common(1)[0][0],
                "teams_with": len(having),
                "teams_delivered": delivered,
                "per_team": per_team,
            }
        )
    idea_rows = []
    for key, entry in ideas.items():
        by_state: dict[str, list[str]] = {}
        for tag, state in entry["teams"].items():
            by_state.setdefault(state, []).append(tag)
        idea_rows.append(
            {
                "key": key,
                "title": entry["titles"].most_common(1)[0][0],
                "n_teams": len(entry["teams"]),
                "states": {s: sorted(v, key=lambda t: int(t[1:])) for s, v in by_state.items()},
            }
        )
    idea_rows.sort(key=lambda r: (-r["n_teams"], r["title"].lower()))
    return {
        "period_from": start,
        "period_to": end,
        "suppress_small": suppress_small,
        "teams": teams,
        "indicators": indicators,
        "rows": rows,
        "ideas": idea_rows,
        "hidden_cells": small.hidden,
        "small_numbers_note": small.note(lang),
    }


def _collect_ideas(
    ws: Workspace, team: Any, tag: str, ideas: dict[str, dict[str, Any]], day: str | None
) -> None:
    diagram = diagram_as_of(ws, team.id, day)
    cycles = cycles_as_of(ws.cycles(team.id), day)
    grouped = cycles_by_idea(diagram, cycles)
    seen: dict[str, str] = {}
    for node in diagram.of_kind(NodeKind.CHANGE_IDEA):
        seen[node.id] = node.text
    for key in grouped:
        if key.startswith("cycle:"):
            first = next(c for c in grouped[key] if c.id == key[6:])
            seen[key] = first.title
        elif key not in seen:  # a cycle tied to a driver rather than an idea
            seen[key] = diagram.node(key).text
    for key, title in seen.items():
        normal = normalise_title(title)
        if not normal:
            continue
        entry = ideas.setdefault(normal, {"titles": Counter(), "teams": {}})
        entry["titles"][title] += 1
        state = idea_state(grouped.get(key, []))
        previous = entry["teams"].get(tag)
        # one team with the same idea twice: show the furthest state
        order = ["untested", "planned", "testing", "abandoned", "adapted", "adopted"]
        if previous is None or order.index(state) > order.index(previous):
            entry["teams"][tag] = state


def national_rollup(
    workspaces: Sequence[Any],
    *,
    period_from: str | None = None,
    period_to: str | None = None,
    lang: str = "da",
    fmt: str = "html",
    suppress_small: bool = True,
    state_today: bool = False,
) -> Report:
    """The national roll-up across ``workspaces`` as HTML (A4 landscape) or Markdown."""
    check_format(fmt)
    data = rollup_data(
        workspaces,
        period_from=period_from,
        period_to=period_to,
        lang=lang,
        suppress_small=suppress_small,
        state_today=state_today,
    )
    start, end = data["period_from"], data["period_to"]
    made = workspaces[0].today() if workspaces else today_iso()  # a demo's story has its own day
    doc = Document(title=_t("title", lang), lang=lang, subtitle=period_text(start, end, lang))
    doc.meta = [
        (_t("teams", lang), str(len(data["teams"]))),
        (_t("workspaces", lang), ", ".join(Path(str(ws.location)).name for ws in workspaces)),
        (_t("period", lang), f"{start} – {end}"),
        (_t("made", lang), made),
    ]
    if data["small_numbers_note"]:
        doc.notes.append(data["small_numbers_note"])
    if not data["teams"]:
        doc.sections.append(Section(title=_t("legend", lang), blocks=[Text(_t("no_teams", lang))]))
    else:
        doc.sections += _sections(data, lang)
    doc.footer = " ".join(
        x
        for x in (
            _t("footer", lang, version=__version__, date=made),
            workspace_note(*workspaces),
        )
        if x
    )
    if fmt == "md":
        text, _ = to_markdown(doc)
    else:
        text = _landscape_html(doc)
    return Report(text=text, format=fmt, title=doc.title, hidden_cells=data["hidden_cells"], data=data)


def _sections(data: dict[str, Any], lang: str) -> list[Section]:
    teams = data["teams"]
    tags = [t["label"] for t in teams]
    legend = Table(
        header=[_t(k, lang) for k in ("label", "name", "region", "track")],
        rows=[[t["label"], t["name"], t["region"], t["track"]] for t in teams],
        free=(1,),
    )
    months = data["rows"][0]["n_months"] if data["rows"] else 0
    delivery_rows = []
    for item in data["indicators"]:
        row = [
            f"{item['code']} {item['name']}",
            _t("of", lang, k=item["teams_delivered"], m=item["teams_with"]),
        ]
        row += [item["per_team"].get(tag, "–") for tag in tags]
        delivery_rows.append(row)
    delivery = Table(
        header=[_t("indicator", lang), _t("delivered_by", lang), *tags],
        rows=delivery_rows,
        numeric=tuple(range(2, 2 + len(tags))),
        free=(0,),
    )
    by_team = Table(
        header=[_t(k, lang) for k in ("name", "indicator", "months", "missing", "latest", "verdict")],
        rows=[
            [
                f"{r['team']} {r['team_name']}",
                r["code"],
                r["months_text"],
                r["missing_text"] or "–",
                r["latest"],
                r["verdict_label"],
            ]
            for r in data["rows"]
        ],
        free=(0, 2, 3),
    )
    idea_blocks: list[Any] = [Text(_t("ideas_intro", lang))]
    if data["ideas"]:
        states = ["adopted", "adapted", "abandoned", "testing", "planned", "untested"]
        idea_blocks.append(
            Table(
                header=[
                    _t("idea", lang),
                    _t("n_teams", lang),
                    *(label(IDEA_STATE_LABELS, s, lang) for s in states),
                ],
                rows=[
                    [
                        i["title"],
                        str(i["n_teams"]),
                        *(", ".join(i["states"].get(s, [])) or "–" for s in states),
                    ]
                    for i in data["ideas"]
                ],
                numeric=(1,),
                free=(0,),
            )
        )
    else:
        idea_blocks.append(Text(_t("no_ideas", lang)))
    return [
        Section(title=_t("legend", lang), blocks=[legend], id="teams"),
        Section(
            title=_t("delivery", lang),
            blocks=[Text(_t("delivery_intro", lang, n=months)), delivery],
            id="delivery",
        ),
        Section(title=_t("by_team", lang), blocks=[by_team], id="by-team"),
        Section(title=_t("ideas", lang), blocks=idea_blocks, id="ideas"),
    ]


def _landscape_html(doc: Document) -> str:
    page = to_html(doc)
    # the roll-up's wide tables print on A4 landscape
    return page.replace("</style>", LANDSCAPE_CSS + "</style>", 1)


__all__ = ["national_rollup", "rollup_data"]
