"""Built-in plugin: report sections every status report gets after its own sections.

Registered through the public ``register_report_sections`` hook exactly as a third-party
plugin would, using only what ``pdsa_core`` exports:

* ``events``: what happened in the period that a reader of the charts must know (law
  changes, a new IT system, changed data definitions, other notes), from the annotations;
* ``meetings``: the team's meetings in the period, their decisions, and the actions still open;
* ``data-basis``: where each indicator's values came from and how many were corrected.

Each renders Markdown for a :class:`pdsa_core.ReportContext` and returns "" when it has
nothing to say for the team and period (the report then leaves it out).
"""

from __future__ import annotations

from typing import Any

from pdsa_core import ReportContext, ReportSection, hookimpl
from pdsa_core.literal import markdown_text

_KINDS = {
    "law change": ("Lovændring", "Law change"),
    "it system change": ("Nyt IT-system", "New IT system"),
    "data definition change": ("Ændret datadefinition", "Changed data definition"),
    "assessment": ("Vurdering", "Assessment"),
    "other": ("Andet", "Other"),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "da" else pair[1]


def _cell(text: object) -> str:
    """User text in a Markdown table cell or after a list mark, shown as typed (no HTML, no markup)."""
    return markdown_text(text, line_start=False).strip() or " "


def _in_period(date: str, context: ReportContext) -> bool:
    month = date[:7]
    return (not context.period_from or month >= context.period_from) and (
        not context.period_to or month <= context.period_to
    )


def render_events(context: ReportContext) -> str:
    ws, lang = context.workspace, context.lang
    notes = [
        n
        for n in ws.annotations(context.team.id)
        if n.kind.value not in ("pdsa start", "pdsa end") and _in_period(n.date, context)
    ]
    if not notes:
        return ""
    head = (
        ("Dato", "Hvad", "Type", "Indikatorer", "Ny fase")
        if lang == "da"
        else ("Date", "What", "Kind", "Indicators", "New phase")
    )
    every = "alle" if lang == "da" else "all"
    yes, no = ("ja", "nej") if lang == "da" else ("yes", "no")
    lines = ["| " + " | ".join(head) + " |", "|---|---|---|---|---|"]
    for n in notes:
        kind = _pick(_KINDS.get(n.kind.value, (n.kind.value, n.kind.value)), lang)
        codes = ", ".join(n.indicators) or every
        lines.append(
            f"| {n.date} | {_cell(n.text)} | {kind} | {_cell(codes)} | {yes if n.phase_split else no} |"
        )
    return "\n".join(lines) + "\n"


def render_meetings(context: ReportContext) -> str:
    ws, lang = context.workspace, context.lang
    meetings = [m for m in ws.meetings(context.team.id) if _in_period(m.date, context)]
    if not meetings:
        return ""
    da = lang == "da"
    head = (
        ("Dato", "Deltagere", "Beslutninger", "Handlinger")
        if da
        else ("Date", "Attendees", "Decisions", "Actions")
    )
    lines = ["| " + " | ".join(head) + " |", "|---|---:|---:|---:|"]
    for m in meetings:
        lines.append(f"| {m.date} | {len(m.attendees)} | {len(m.decisions)} | {len(m.actions)} |")
    decisions = [(m.date, d) for m in meetings for d in m.decisions]
    if decisions:
        lines += ["", "**Beslutninger**" if da else "**Decisions**", ""]
        lines += [f"- {date}: {_cell(text)}" for date, text in decisions]
    last_day = f"{context.period_to}-31" if context.period_to else "9999-12-31"
    # open at the end of the period: not done, or done only after it (as of the period, like the report)
    open_actions = [
        (m, a)
        for m in ws.meetings(context.team.id)
        if m.date <= last_day
        for a in m.actions
        if not a.done or (a.done_at and a.done_at[:10] > last_day)
    ]
    if open_actions:
        lines += ["", "**Åbne handlinger**" if da else "**Open actions**", ""]
        for _, a in open_actions:
            who = f" ({_cell(a.owner)})" if a.owner else ""
            due = (f", frist {a.due}" if da else f", due {a.due}") if a.due else ""
            lines.append(f"- {_cell(a.text)}{who}{due}")
    return "\n".join(lines) + "\n"


def render_data_basis(context: ReportContext) -> str:
    ws, lang = context.workspace, context.lang
    da = lang == "da"
    rows = []
    for indicator in ws.indicators(context.team.id):
        values = [
            m for m in ws.measurements(context.team.id, indicator.code) if _in_period(m.period, context)
        ]
        if not values:
            continue
        sources = sorted({m.source_file.rsplit("/", 1)[-1] or m.source for m in values})
        revised = sum(1 for m in values if m.revisions)
        entered = max((m.entered_at[:10] for m in values if m.entered_at), default="–")
        rows.append(f"| {indicator.code} | {_cell(', '.join(sources))} | {revised} | {entered} |")
    if not rows:
        return ""
    head = (
        ("Indikator", "Kilde", "Rettede måneder", "Senest indtastet")
        if da
        else ("Indicator", "Source", "Months corrected", "Last entered")
    )
    intro = (
        "Rettede måneder har fået en ny værdi efter første indtastning; den tidligere værdi er gemt."
        if da
        else "Corrected months got a new value after they were first entered; the earlier value is kept."
    )
    return "\n".join([intro, "", "| " + " | ".join(head) + " |", "|---|---|---:|---|", *rows]) + "\n"


SECTIONS = (
    ReportSection(
        id="events",
        title_da="Begivenheder i perioden",
        title_en="Events in the period",
        render=render_events,
        order=10,
    ),
    ReportSection(
        id="meetings",
        title_da="Møder i perioden",
        title_en="Meetings in the period",
        render=render_meetings,
        order=20,
    ),
    ReportSection(
        id="data-basis", title_da="Datagrundlag", title_en="Data basis", render=render_data_basis, order=30
    ),
)


@hookimpl
def register_report_sections(register: Any) -> None:
    for section in SECTIONS:
        register(section)
