"""The minutes (referat) of a meeting as Markdown, in Danish or English.

The minutes follow the agenda: under each item its note, the decisions and the actions made
under it; then every decision, the new actions, and the open actions that carry over to the
next meeting (from this and earlier meetings).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pdsa_core.domain import Action, Meeting
from pdsa_core.domain.agenda import Agenda, AgendaItem, section_title
from pdsa_core.literal import markdown_text, markdown_without_html
from pdsa_core.meetings.agenda import open_actions

if TYPE_CHECKING:
    from pdsa_core.workspace import Workspace

_TEXT = {
    "title": ("Referat af tavlemøde", "Minutes of the team meeting"),
    "date": ("Dato", "Date"),
    "attendees": ("Deltagere", "Attendees"),
    "nobody": ("ingen registreret", "none recorded"),
    "draft": ("Udkast: mødet er ikke afsluttet.", "Draft: the meeting is not closed."),
    "agenda": ("Dagsorden", "Agenda"),
    "no_agenda": ("Mødet blev holdt uden en dagsorden fra pdsa.", "The meeting had no agenda from pdsa."),
    "empty_agenda": ("Intet på dagsordenen.", "Nothing on the agenda."),
    "note": ("Note", "Note"),
    "decision": ("Beslutning", "Decision"),
    "action": ("Handling", "Action"),
    "decisions": ("Beslutninger", "Decisions"),
    "no_decisions": ("Ingen beslutninger.", "No decisions."),
    "new_actions": ("Nye handlinger", "New actions"),
    "no_new_actions": ("Ingen nye handlinger.", "No new actions."),
    "carried": (
        "Åbne handlinger, der føres videre til næste møde",
        "Open actions carried over to the next meeting",
    ),
    "no_carried": ("Ingen åbne handlinger.", "No open actions."),
    "notes": ("Noter", "Notes"),
    "owner": ("Ansvarlig", "Owner"),
    "due": ("Frist", "Due"),
    "status": ("Status", "Status"),
    "from": ("Fra mødet", "From the meeting"),
    "done_here": ("udført på mødet", "done at the meeting"),
    "done": ("udført", "done"),
    "open": ("åben", "open"),
    "overdue": ("overskredet", "overdue"),
    "carried_over": ("føres videre", "carried over"),
    "since": ("Siden sidste møde", "Since the last meeting"),
    "first": ("første møde i pdsa", "first meeting in pdsa"),
}


def _t(key: str, lang: str) -> str:
    da, en = _TEXT[key]
    return da if lang == "da" else en


def md(text: object) -> str:
    """User text inside a Markdown line, shown as typed (no link, emphasis, HTML or escape)."""
    return markdown_text(text, line_start=False)


def md_cell(text: object) -> str:
    """User text safe inside a Markdown table cell (``|`` and line breaks included)."""
    return markdown_text(text, line_start=False).strip() or " "


def render_minutes(ws: Workspace, meeting: Meeting, extras: dict[str, Any], *, lang: str = "da") -> str:
    team = ws.team(meeting.team_id)
    agenda_data = extras.get("agenda")
    agenda = Agenda.from_dict(agenda_data) if agenda_data else None
    notes: dict[str, str] = dict(extras.get("item_notes") or {})
    links = extras.get("links") or {}
    decision_items: dict[str, str] = dict(links.get("decisions") or {})
    action_items: dict[str, str] = dict(links.get("actions") or {})
    completed = set(extras.get("completed_actions") or [])
    all_actions = {a.id: a for m in ws.meetings(team.id) for a in m.actions}
    all_actions.update({a.id: a for a in meeting.actions})

    lines = [f"# {_t('title', lang)}: {md(team.name)}", ""]
    lines.append(f"- **{_t('date', lang)}:** {meeting.date}")
    people = ", ".join(md(a) for a in meeting.attendees) if meeting.attendees else _t("nobody", lang)
    lines.append(f"- **{_t('attendees', lang)}:** {people}")
    if agenda is not None:
        lines.append(f"- **{_t('since', lang)}:** {agenda.since or _t('first', lang)}")
    if not meeting.closed:
        lines += ["", f"*{_t('draft', lang)}*"]
    lines += ["", f"## {_t('agenda', lang)}", ""]

    if agenda is None:
        lines.append(_t("no_agenda", lang))
    elif not agenda.items:
        lines.append(_t("empty_agenda", lang))
    else:
        for number, (kind, items) in enumerate(agenda.sections(), start=1):
            lines += [f"### {number}. {section_title(kind, lang)}", ""]
            for item in items:
                lines += _item_lines(item, lang, all_actions, completed)
                if item.id in notes:
                    lines.append(f"  - {_t('note', lang)}: {md(notes[item.id])}")
                for index, decision in enumerate(meeting.decisions):
                    if decision_items.get(str(index)) == item.id:
                        lines.append(f"  - **{_t('decision', lang)}:** {md(decision)}")
                for action in meeting.actions:
                    if action_items.get(action.id) == item.id:
                        lines.append(f"  - **{_t('action', lang)}:** {_action_text(action, lang)}")
            lines.append("")

    lines += [f"## {_t('decisions', lang)}", ""]
    if meeting.decisions:
        lines += [f"{i}. {md(d)}" for i, d in enumerate(meeting.decisions, start=1)]
    else:
        lines.append(_t("no_decisions", lang))
    lines += ["", f"## {_t('new_actions', lang)}", ""]
    if meeting.actions:
        lines += _action_table(meeting.actions, lang)
    else:
        lines.append(_t("no_new_actions", lang))

    earlier = open_actions(ws, team.id, exclude_meeting=meeting.id)
    carried = [(m, a) for m, a in earlier if m.date <= meeting.date]
    carried += [(meeting, a) for a in meeting.actions if not a.done]
    lines += ["", f"## {_t('carried', lang)}", ""]
    if carried:
        header = [_t("action", lang), _t("owner", lang), _t("due", lang), _t("from", lang)]
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "---|" * len(header))
        for origin, action in sorted(carried, key=lambda p: (p[1].due or "9999", p[0].date)):
            due = action.due or "–"
            if action.due and action.due < meeting.date:
                due += f" ({_t('overdue', lang)})"
            row = [action.text, action.owner or "–", due, origin.date]
            lines.append("| " + " | ".join(md_cell(c) for c in row) + " |")
    else:
        lines.append(_t("no_carried", lang))
    if meeting.notes:
        lines += ["", f"## {_t('notes', lang)}", "", markdown_without_html(meeting.notes)]
    return "\n".join(lines).rstrip() + "\n"


def _item_lines(item: AgendaItem, lang: str, actions: dict[str, Action], completed: set[str]) -> list[str]:
    title = md(item.title(lang))
    if item.kind == "action":
        action = actions.get(str(item.refs.get("action")))
        if action is not None and action.done and action.id in completed:
            state = _t("done_here", lang)
        elif action is not None and action.done:
            state = f"{_t('done', lang)} {action.done_at}"
        else:
            state = _t("carried_over", lang)
        return [f"- {title} ({md(item.detail(lang))}): **{state}**"]
    line = f"- {title}"
    detail = item.detail(lang)
    return [line, f"  - {md(detail)}"] if detail else [line]


def _action_text(action: Action, lang: str) -> str:
    parts = [md(action.text)]
    if action.owner:
        parts.append(f"{_t('owner', lang).lower()}: {md(action.owner)}")
    if action.due:
        parts.append(f"{_t('due', lang).lower()}: {action.due}")
    return "; ".join(parts)


def _action_table(actions: list[Action], lang: str) -> list[str]:
    header = [_t("action", lang), _t("owner", lang), _t("due", lang), _t("status", lang)]
    rows = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for action in actions:
        status = f"{_t('done', lang)} {action.done_at}" if action.done else _t("open", lang)
        cells = (action.text, action.owner or "–", action.due or "–", status)
        rows.append("| " + " | ".join(md_cell(c) for c in cells) + " |")
    return rows
