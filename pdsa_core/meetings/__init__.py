"""Meeting mode: the monthly tavlemøde from agenda to minutes, as core functions.

The CLI (``pdsa meeting ...``) and the TUI's meeting screen both call these::

    meeting = start_meeting(ws, "vordingborg", "2022-06-01", ["Anna", "Bo"])
    agenda = meeting_agenda(ws, meeting.id)          # built when the meeting started
    record_decision(ws, meeting.id, "Fortsæt ringe hjem", item="cycle:pdsa-1")
    add_action(ws, meeting.id, "Tal med kommunen", owner="Bo", due="2022-06-15")
    complete_action(ws, "act-1")                     # an action from an earlier meeting
    minutes = close_meeting(ws, meeting.id, lang="da")

Starting a meeting (its agenda is built from the indicators' SPC verdicts), building its
agenda again, its minutes and closing it are done here, above the workspace, which only
stores what they produce; the other functions are thin wrappers over the
:class:`~pdsa_core.workspace.Workspace` method of the same name, so scripts can use either.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from pdsa_core.domain import Action, Meeting
from pdsa_core.domain.agenda import ITEM_KINDS, Agenda, AgendaItem, section_title
from pdsa_core.domain.common import parse_date
from pdsa_core.meetings.agenda import (
    build_agenda,
    last_month_before,
    month_ranges,
    months_missing,
    musiq_interval,
    open_actions,
    planned_end,
)
from pdsa_core.meetings.minutes import render_minutes

if TYPE_CHECKING:
    from pdsa_core.workspace import Workspace


def start_meeting(
    ws: Workspace,
    team: str,
    date: str | None = None,
    attendees: Iterable[str] = (),
    *,
    notes: str = "",
    musiq_months: int | None = None,
) -> Meeting:
    """Start a meeting of ``team`` on ``date`` (default today); its agenda is built now.

    Refused while another meeting of the team is open: close that one first.
    """
    team_id = ws.team(team).id
    day = parse_date(date or ws.today(), field="meeting date")
    ws.check_no_open_meeting(team_id)
    agenda = build_agenda(ws, team_id, date=day, musiq_months=musiq_months)
    return ws.start_meeting_with(agenda, attendees=attendees, notes=notes)


def refresh_agenda(ws: Workspace, meeting_id: str) -> Agenda:
    """Build the agenda of an open meeting again (data came in after it started)."""
    meeting = ws.meeting(meeting_id)
    agenda = build_agenda(ws, meeting.team_id, date=meeting.date, exclude_meeting=meeting.id)
    return ws.set_agenda(meeting.id, agenda)


def meeting_agenda(ws: Workspace, meeting_id: str) -> Agenda:
    """The agenda stored when the meeting started; for a meeting stored without one (an
    older file, a demo), the agenda built now for its date, shown but not stored, so
    reading a meeting never writes."""
    stored = ws.meeting_agenda(meeting_id)
    if stored is not None:
        return stored
    meeting = ws.meeting(meeting_id)
    return build_agenda(ws, meeting.team_id, date=meeting.date, exclude_meeting=meeting.id)


def record_attendance(ws: Workspace, meeting_id: str, attendees: Iterable[str]) -> Meeting:
    """Set who attends (replaces the list)."""
    return ws.set_attendees(meeting_id, attendees)


def record_decision(ws: Workspace, meeting_id: str, text: str, *, item: str = "") -> Meeting:
    return ws.record_decision(meeting_id, text, item=item)


def add_action(
    ws: Workspace, meeting_id: str, text: str, *, owner: str = "", due: str = "", item: str = ""
) -> Action:
    return ws.add_action(meeting_id, text, owner=owner, due=due, item=item)


def complete_action(
    ws: Workspace, action: str, *, team: str | None = None, done_at: str | None = None
) -> Action:
    return ws.complete_action(action, team_ref=team, done_at=done_at)


def note_item(ws: Workspace, meeting_id: str, item: str, text: str) -> Meeting:
    return ws.note_item(meeting_id, item, text)


def close_meeting(ws: Workspace, meeting_id: str, *, lang: str = "da") -> str:
    """Close the meeting, writing its minutes in Danish and English; returns them in ``lang``."""
    meeting = ws.meeting(meeting_id)
    closed = meeting.replace(closed=True, rev=meeting.rev + 1)
    extras = ws.meeting_extras(meeting.id)
    written = {language: render_minutes(ws, closed, extras, lang=language) for language in ("da", "en")}
    ws.close_meeting(meeting.id, written, rev=meeting.rev)
    return written[lang]


def minutes(ws: Workspace, meeting_id: str, *, lang: str = "da") -> str:
    """The minutes: as written when the meeting closed, or a draft while it is open."""
    meeting = ws.meeting(meeting_id)
    extras = ws.meeting_extras(meeting_id)
    stored = (extras.get("minutes") or {}).get(lang)
    if meeting.closed and stored:
        return str(stored)
    return render_minutes(ws, meeting, extras, lang=lang)


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
    "refresh_agenda",
    "render_minutes",
    "section_title",
    "start_meeting",
]
