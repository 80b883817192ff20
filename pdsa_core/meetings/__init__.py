"""Meeting mode: the monthly tavlemøde from agenda to minutes, as core functions.

The CLI (``pdsa meeting ...``) and the TUI's meeting screen both call these::

    meeting = start_meeting(ws, "vordingborg", "2022-06-01", ["Anna", "Bo"])
    agenda = meeting_agenda(ws, meeting.id)          # built when the meeting started
    record_decision(ws, meeting.id, "Fortsæt ringe hjem", item="cycle:pdsa-1")
    add_action(ws, meeting.id, "Tal med kommunen", owner="Bo", due="2022-06-15")
    complete_action(ws, "act-1")                     # an action from an earlier meeting
    minutes = close_meeting(ws, meeting.id, lang="da")

Each function is a thin wrapper over a :class:`~pdsa_core.workspace.Workspace` method of the
same name, so scripts can use either.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pdsa_core.domain import Action, Meeting
from pdsa_core.meetings.agenda import (
    ITEM_KINDS,
    Agenda,
    AgendaItem,
    build_agenda,
    last_month_before,
    month_ranges,
    months_missing,
    musiq_interval,
    open_actions,
    planned_end,
    section_title,
)
from pdsa_core.meetings.minutes import render_minutes


def start_meeting(
    ws: Any,
    team: str,
    date: str | None = None,
    attendees: Iterable[str] = (),
    *,
    musiq_months: int | None = None,
) -> Meeting:
    """Start a meeting of ``team`` on ``date`` (default today); its agenda is built now."""
    return ws.start_meeting(team, date=date, attendees=attendees, musiq_months=musiq_months)


def meeting_agenda(ws: Any, meeting_id: str) -> Agenda | None:
    return ws.meeting_agenda(meeting_id)


def record_attendance(ws: Any, meeting_id: str, attendees: Iterable[str]) -> Meeting:
    """Set who attends (replaces the list)."""
    return ws.set_attendees(meeting_id, attendees)


def record_decision(ws: Any, meeting_id: str, text: str, *, item: str = "") -> Meeting:
    return ws.record_decision(meeting_id, text, item=item)


def add_action(
    ws: Any, meeting_id: str, text: str, *, owner: str = "", due: str = "", item: str = ""
) -> Action:
    return ws.add_action(meeting_id, text, owner=owner, due=due, item=item)


def complete_action(ws: Any, action: str, *, team: str | None = None, done_at: str | None = None) -> Action:
    return ws.complete_action(action, team_ref=team, done_at=done_at)


def note_item(ws: Any, meeting_id: str, item: str, text: str) -> Meeting:
    return ws.note_item(meeting_id, item, text)


def close_meeting(ws: Any, meeting_id: str, *, lang: str = "da") -> str:
    """Close the meeting and return its minutes (Markdown) in ``lang``."""
    ws.close_meeting(meeting_id)
    return ws.meeting_minutes(meeting_id, lang)


def minutes(ws: Any, meeting_id: str, *, lang: str = "da") -> str:
    """The minutes of a closed meeting, or a draft of an open one."""
    return ws.meeting_minutes(meeting_id, lang)


__all__ = [
    "ITEM_KINDS",
    "Agenda",
    "AgendaItem",
    "add_action",
    "build_agenda",
    "close_meeting",
    "complete_action",
    "last_month_before",
    "meeting_agenda",
    "minutes",
    "month_ranges",
    "months_missing",
    "musiq_interval",
    "note_item",
    "open_actions",
    "planned_end",
    "record_attendance",
    "record_decision",
    "render_minutes",
    "section_title",
    "start_meeting",
]
