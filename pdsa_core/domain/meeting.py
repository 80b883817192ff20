"""Meetings (tavlemøder): attendance, decisions and actions."""

from __future__ import annotations

from dataclasses import dataclass, field

from pdsa_core.domain.common import optional_text, parse_date, require_text
from pdsa_core.domain.record import Record


@dataclass(frozen=True)
class Action(Record):
    id: str
    text: str
    owner: str = ""
    due: str = ""
    done: bool = False
    done_at: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", require_text(self.text, field="action"))
        object.__setattr__(self, "owner", optional_text(self.owner, field="owner"))
        if self.due:
            object.__setattr__(self, "due", parse_date(self.due, field="due date"))


@dataclass(frozen=True)
class Meeting(Record):
    id: str
    team_id: str
    date: str
    attendees: list[str] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    notes: str = ""
    closed: bool = False
    rev: int = 0

    nested = {"actions": Action}

    def __post_init__(self) -> None:
        object.__setattr__(self, "date", parse_date(self.date, field="meeting date"))
        object.__setattr__(
            self, "attendees", [require_text(a, field="attendee", single_line=True) for a in self.attendees]
        )
        object.__setattr__(self, "decisions", [require_text(d, field="decision") for d in self.decisions])
        object.__setattr__(self, "notes", optional_text(self.notes, field="notes"))
