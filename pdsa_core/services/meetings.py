"""Meetings (tavlemøder): start with a built agenda, record as you go, close to get minutes.

A meeting is stored as its :class:`~pdsa_core.domain.Meeting` record plus what belongs to
the meeting but not to the record: the agenda as it was built when the meeting started
(``agenda``), notes per agenda item (``item_notes``), which agenda item a decision or an
action was made under (``links``), which earlier actions were completed during the meeting
(``completed_actions``), and the minutes written when it was closed (``minutes``, Danish
and English). Actions stay in the meeting that created them; an action not done is on the
agenda of every later meeting until someone marks it done (it "carries over").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pdsa_core.domain import Action, Meeting
from pdsa_core.domain.agenda import Agenda
from pdsa_core.domain.common import parse_date, require_text
from pdsa_core.errors import NotFoundError, ValidationError
from pdsa_core.services.base import ServiceBase
from pdsa_core.services.merge import EditConflict, field_conflicts, same, stamp
from pdsa_core.storage import Transaction

#: keys of a meeting document that are not fields of the Meeting record
EXTRA_KEYS = ("agenda", "item_notes", "links", "completed_actions", "minutes", "closed_at", "edits")


class MeetingService(ServiceBase):
    # -- reading --------------------------------------------------------------------------------
    def meetings(self, team_ref: str) -> list[Meeting]:
        team = self.team(team_ref)  # type: ignore[attr-defined]
        docs = self.snapshot().table("meetings").values()
        return sorted(
            (Meeting.from_dict(d) for d in docs if d["team_id"] == team.id), key=lambda m: (m.date, m.id)
        )

    def meeting(self, meeting_id: str) -> Meeting:
        doc = self.snapshot().table("meetings").get(meeting_id)
        if doc is None:
            raise NotFoundError(f"no meeting {meeting_id!r}", da=f"der er intet møde {meeting_id!r}")
        return Meeting.from_dict(doc)

    def open_meeting(self, team_ref: str) -> Meeting | None:
        """The team's meeting that is started and not yet closed, if any."""
        running = [m for m in self.meetings(team_ref) if not m.closed]
        return running[-1] if running else None

    def meeting_extras(self, meeting_id: str) -> dict[str, Any]:
        """Item notes, links, completed actions and minutes of a meeting (empty when none)."""
        doc = self.snapshot().table("meetings").get(meeting_id)
        if doc is None:
            raise NotFoundError(f"no meeting {meeting_id!r}", da=f"der er intet møde {meeting_id!r}")
        return _extras(doc)

    def meeting_agenda(self, meeting_id: str) -> Any:
        """The agenda stored when the meeting started (an :class:`Agenda`), or None."""
        data = self.meeting_extras(meeting_id).get("agenda")
        return Agenda.from_dict(data) if data else None

    # -- writing --------------------------------------------------------------------------------
    def save_meeting(self, meeting: Meeting) -> Meeting:
        """Store a meeting record as given, keeping its agenda, notes and minutes."""
        self.team(meeting.team_id)  # type: ignore[attr-defined]
        with self.transaction() as tx:
            doc = tx.get("meetings", meeting.id) or {}
            tx.put("meetings", meeting.id, {**_extras(doc), **meeting.to_doc()})
        return meeting

    def check_no_open_meeting(self, team_ref: str) -> None:
        """Refuse while a meeting of the team is open: close that one first."""
        team = self.team(team_ref)  # type: ignore[attr-defined]
        running = self.open_meeting(team.id)
        if running is not None:
            raise ValidationError(
                f"the meeting of {running.date} ({running.id}) is still open; close it first "
                f"(pdsa meeting close {running.id})",
                da=f"mødet den {running.date} ({running.id}) er stadig åbent; afslut det først "
                f"(pdsa meeting close {running.id})",
            )

    def start_meeting_with(
        self, agenda: Agenda, *, attendees: Iterable[str] = (), notes: str = ""
    ) -> Meeting:
        """Store a new meeting of the agenda's team on the agenda's date, with that agenda.

        :func:`pdsa_core.meetings.start_meeting` builds the agenda and calls this. Refused
        while another meeting of the team is open: close that one first.
        """
        team = self.team(agenda.team_id)  # type: ignore[attr-defined]
        day = parse_date(agenda.date, field="meeting date")
        self.check_no_open_meeting(team.id)
        meeting = Meeting(
            id=self.new_id("mtg"),
            team_id=team.id,
            date=day,
            attendees=_names(attendees),
            notes=notes,
        )
        with self.transaction() as tx:
            tx.put(
                "meetings",
                meeting.id,
                {**meeting.to_doc(), "agenda": agenda.to_dict(), "item_notes": {}, "links": {}},
            )
        return meeting

    def set_agenda(self, meeting_id: str, agenda: Agenda) -> Agenda:
        """Replace the agenda of an open meeting (see :func:`pdsa_core.meetings.refresh_agenda`)."""
        meeting = self._open(meeting_id)
        self._change(meeting.id, lambda m, extra: (m, {**extra, "agenda": agenda.to_dict()}))
        return agenda

    def set_attendees(
        self, meeting_id: str, attendees: Iterable[str], *, seen: Iterable[str] | None = None
    ) -> Meeting:
        """Replace the attendance list; ``seen`` is the list the user edited (a conflict if it changed)."""
        names = _names(attendees)

        def change(m: Meeting, extra: dict[str, Any]) -> tuple[Meeting, dict[str, Any]]:
            extra = self._merge_field(m, extra, "attendees", m.attendees, names, seen)
            return m.replace(attendees=names), extra

        return self._change(meeting_id, change)

    def _merge_field(
        self, m: Meeting, extra: dict[str, Any], name: str, stored: Any, yours: Any, seen: Any
    ) -> dict[str, Any]:
        """Refuse (both values, who, when) if ``name`` changed since the user saw ``seen``; stamp it."""
        edits = extra.get("edits") or {}
        conflicts = field_conflicts(
            {name: stored}, {name: yours}, seen=None if seen is None else {name: seen}, edits=edits
        )
        if conflicts:
            raise EditConflict(f"the meeting of {m.date}", f"mødet den {m.date}", conflicts)
        if same(stored, yours):
            return extra
        return {**extra, "edits": stamp(edits, [name], by=self.actor, at=self.now(), rev=m.rev + 1)}

    def add_attendee(self, meeting_id: str, name: str) -> Meeting:
        person = require_text(name, field="attendee", max_length=200, single_line=True)

        def change(m: Meeting, extra: dict[str, Any]) -> tuple[Meeting, dict[str, Any]]:
            if person.lower() in (a.lower() for a in m.attendees):
                return m, extra
            return m.replace(attendees=[*m.attendees, person]), extra

        return self._change(meeting_id, change)

    def remove_attendee(self, meeting_id: str, name: str) -> Meeting:
        def change(m: Meeting, extra: dict[str, Any]) -> tuple[Meeting, dict[str, Any]]:
            kept = [a for a in m.attendees if a.lower() != name.strip().lower()]
            if len(kept) == len(m.attendees):
                raise NotFoundError(
                    f"{name!r} is not on the attendance list of the meeting of {m.date}",
                    da=f"{name!r} står ikke på deltagerlisten for mødet den {m.date}",
                )
            return m.replace(attendees=kept), extra

        return self._change(meeting_id, change)

    def record_decision(self, meeting_id: str, text: str, *, item: str = "") -> Meeting:
        """Add a decision, optionally under an agenda item (its id, e.g. ``signal:R1``)."""
        decision = require_text(text, field="decision")

        def change(m: Meeting, extra: dict[str, Any]) -> tuple[Meeting, dict[str, Any]]:
            links = _links(extra)
            if item:
                self._check_item(extra, item)
                links["decisions"][str(len(m.decisions))] = item
            return m.replace(decisions=[*m.decisions, decision]), {**extra, "links": links}

        return self._change(meeting_id, change)

    def add_action(
        self, meeting_id: str, text: str, *, owner: str = "", due: str = "", item: str = ""
    ) -> Action:
        """Add an action (who does what by when), optionally under an agenda item."""
        action = Action(id=self.new_id("act"), text=text, owner=owner, due=due)

        def change(m: Meeting, extra: dict[str, Any]) -> tuple[Meeting, dict[str, Any]]:
            links = _links(extra)
            if item:
                self._check_item(extra, item)
                links["actions"][action.id] = item
            return m.replace(actions=[*m.actions, action]), {**extra, "links": links}

        self._change(meeting_id, change)
        return action

    def note_item(self, meeting_id: str, item: str, text: str, *, seen: str | None = None) -> Meeting:
        """Write (or replace; empty text removes) the note of an agenda item.

        ``seen`` is the note the user edited: if someone else changed it since, nothing is
        saved and the conflict names both texts.
        """

        def change(m: Meeting, extra: dict[str, Any]) -> tuple[Meeting, dict[str, Any]]:
            self._check_item(extra, item)
            stored = (extra.get("item_notes") or {}).get(item, "")
            extra = self._merge_field(m, extra, f"note:{item}", stored, text.strip(), seen)
            notes = dict(extra.get("item_notes") or {})
            if text.strip():
                notes[item] = text.strip()
            else:
                notes.pop(item, None)
            return m, {**extra, "item_notes": notes}

        return self._change(meeting_id, change)

    def set_meeting_notes(self, meeting_id: str, notes: str, *, seen: str | None = None) -> Meeting:
        """Replace the meeting's notes; ``seen`` is the text the user edited (a conflict if it changed)."""

        def change(m: Meeting, extra: dict[str, Any]) -> tuple[Meeting, dict[str, Any]]:
            extra = self._merge_field(m, extra, "notes", m.notes, notes, seen)
            return m.replace(notes=notes), extra

        return self._change(meeting_id, change)

    def action(self, action_ref: str, *, team_ref: str | None = None) -> tuple[Meeting, Action]:
        """(the meeting it was agreed at, the action), by id or by its text within ``team_ref``."""
        return self._find_action(action_ref, team_ref)

    def complete_action(
        self, action_ref: str, *, team_ref: str | None = None, done_at: str | None = None
    ) -> Action:
        """Mark an action done (by id, or by its text within ``team_ref``).

        It is dated ``done_at``, else the date of the team's open meeting, else today; an
        open meeting of the team records that it was followed up there.
        """
        origin, target = self._find_action(action_ref, team_ref)
        if target.done:
            raise ValidationError(
                f"action {target.text!r} was already done on {target.done_at}",
                da=f"handlingen {target.text!r} blev allerede udført den {target.done_at}",
            )
        running = self.open_meeting(origin.team_id)
        if done_at:
            day = parse_date(done_at, field="done date")
        else:
            day = running.date if running else self.today()
        done = target.replace(done=True, done_at=day)
        with self.transaction() as tx:
            self._replace_action(tx, origin.id, done)
            if running is not None:
                running_doc = tx.get("meetings", running.id) or {}
                completed = list(running_doc.get("completed_actions") or [])
                if done.id not in completed:
                    completed.append(done.id)
                tx.put("meetings", running.id, {**running_doc, "completed_actions": completed})
        return done

    def reopen_action(self, action_ref: str, *, team_ref: str | None = None) -> Action:
        """Undo "done" on an action (marked done by mistake)."""
        origin, target = self._find_action(action_ref, team_ref)
        if not target.done:
            raise ValidationError(
                f"action {target.text!r} is not done", da=f"handlingen {target.text!r} er ikke udført"
            )
        reopened = target.replace(done=False, done_at="")
        with self.transaction() as tx:
            self._replace_action(tx, origin.id, reopened)
            for other_id, other in tx.all("meetings").items():
                if reopened.id in (other.get("completed_actions") or []) and not other.get("closed"):
                    kept = [a for a in other["completed_actions"] if a != reopened.id]
                    tx.put("meetings", other_id, {**other, "completed_actions": kept})
        return reopened

    def close_meeting(self, meeting_id: str, minutes: Mapping[str, str], *, rev: int) -> Meeting:
        """Close the meeting with its minutes (by language); it cannot change after.

        :func:`pdsa_core.meetings.close_meeting` writes the minutes from the meeting at
        revision ``rev`` and calls this; a meeting changed since then is not closed.
        """
        meeting = self._open(meeting_id)
        closed = meeting.replace(closed=True, rev=meeting.rev + 1)
        with self.transaction() as tx:
            doc = tx.get("meetings", meeting.id) or {}
            if Meeting.from_dict(doc).rev != rev:
                raise ValidationError(
                    f"the meeting of {meeting.date} changed while closing; close it again",
                    da=f"mødet den {meeting.date} blev ændret, mens det blev afsluttet; afslut det igen",
                )
            tx.put(
                "meetings",
                meeting.id,
                {**_extras(doc), **closed.to_doc(), "minutes": dict(minutes), "closed_at": self.now()},
            )
        return closed

    # -- helpers --------------------------------------------------------------------------------
    def _open(self, meeting_id: str) -> Meeting:
        meeting = self.meeting(meeting_id)
        if meeting.closed:
            raise ValidationError(
                f"the meeting of {meeting.date} ({meeting.id}) is closed; start a new meeting to record more",
                da=f"mødet den {meeting.date} ({meeting.id}) er afsluttet; start et nyt møde "
                "for at notere mere",
            )
        return meeting

    def _change(self, meeting_id: str, change: Any) -> Meeting:
        """Apply ``change(meeting, extras) -> (meeting, extras)`` to an open meeting in one transaction."""
        self._open(meeting_id)
        with self.transaction() as tx:
            doc = tx.get("meetings", meeting_id)
            if doc is None:
                raise NotFoundError(f"no meeting {meeting_id!r}", da=f"der er intet møde {meeting_id!r}")
            current = Meeting.from_dict(doc)
            if current.closed:
                raise ValidationError(
                    f"the meeting of {current.date} ({current.id}) was closed meanwhile",
                    da=f"mødet den {current.date} ({current.id}) blev afsluttet imens",
                )
            updated, extra = change(current, _extras(doc))
            updated = updated.replace(rev=current.rev + 1)
            tx.put("meetings", meeting_id, {**extra, **updated.to_doc()})
        return updated

    def _replace_action(self, tx: Transaction, meeting_id: str, action: Action) -> None:
        doc = tx.get("meetings", meeting_id)
        if doc is None:
            raise NotFoundError(f"no meeting {meeting_id!r}", da=f"der er intet møde {meeting_id!r}")
        meeting = Meeting.from_dict(doc)
        actions = [action if a.id == action.id else a for a in meeting.actions]
        updated = meeting.replace(actions=actions, rev=meeting.rev + 1)
        tx.put("meetings", meeting_id, {**_extras(doc), **updated.to_doc()})

    def _check_item(self, extra: dict[str, Any], item: str) -> None:
        data = extra.get("agenda")
        if not data:
            raise ValidationError(
                f"this meeting has no agenda, so there is no item {item!r}",
                da=f"mødet har ingen dagsorden, så der er intet punkt {item!r}",
            )
        Agenda.from_dict(data).item(item)

    def _find_action(self, action_ref: str, team_ref: str | None) -> tuple[Meeting, Action]:
        ref = action_ref.strip()
        if team_ref:
            pool = self.meetings(team_ref)
        else:
            pool = [Meeting.from_dict(d) for d in self.snapshot().table("meetings").values()]
        by_id = [(m, a) for m in pool for a in m.actions if a.id == ref]
        if by_id:
            return by_id[0]
        if team_ref:
            by_text = [(m, a) for m in pool for a in m.actions if a.text.lower() == ref.lower()]
            if len(by_text) == 1:
                return by_text[0]
            if len(by_text) > 1:
                ids = ", ".join(a.id for _, a in by_text)
                raise ValidationError(
                    f"{len(by_text)} actions are called {ref!r} ({ids}); use the id",
                    da=f"{len(by_text)} handlinger hedder {ref!r} ({ids}); brug id'et",
                )
        raise NotFoundError(f"no action {ref!r}", da=f"der er ingen handling {ref!r}")


def _extras(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: doc[k] for k in EXTRA_KEYS if k in doc}


def _links(extra: dict[str, Any]) -> dict[str, dict[str, str]]:
    links = extra.get("links") or {}
    return {"decisions": dict(links.get("decisions") or {}), "actions": dict(links.get("actions") or {})}


def _names(attendees: Iterable[str]) -> list[str]:
    names: list[str] = []
    for name in attendees:
        person = require_text(name, field="attendee", max_length=200, single_line=True)
        if person.lower() not in (n.lower() for n in names):
            names.append(person)
    return names


__all__ = ["MeetingService", "EXTRA_KEYS"]
