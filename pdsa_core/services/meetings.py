"""Meetings and assessments: the records the store holds; their workflows live in later modules."""

from __future__ import annotations

from collections.abc import Iterable

from pdsa_core.domain import Assessment, Meeting, Rating
from pdsa_core.errors import NotFoundError
from pdsa_core.services.base import ServiceBase


class MeetingService(ServiceBase):
    def meetings(self, team_ref: str) -> list[Meeting]:
        team = self.team(team_ref)  # type: ignore[attr-defined]
        docs = self.snapshot().table("meetings").values()
        return sorted(
            (Meeting.from_dict(d) for d in docs if d["team_id"] == team.id), key=lambda m: (m.date, m.id)
        )

    def meeting(self, meeting_id: str) -> Meeting:
        doc = self.snapshot().table("meetings").get(meeting_id)
        if doc is None:
            raise NotFoundError(f"no meeting {meeting_id!r}")
        return Meeting.from_dict(doc)

    def save_meeting(self, meeting: Meeting) -> Meeting:
        self.team(meeting.team_id)  # type: ignore[attr-defined]
        with self.transaction() as tx:
            tx.put("meetings", meeting.id, meeting.to_dict())
        return meeting

    def assessments(self, team_ref: str) -> list[Assessment]:
        team = self.team(team_ref)  # type: ignore[attr-defined]
        docs = self.snapshot().table("assessments").values()
        return sorted(
            (Assessment.from_dict(d) for d in docs if d["team_id"] == team.id), key=lambda a: (a.date, a.id)
        )

    def add_assessment(
        self,
        team_ref: str,
        *,
        instrument: str,
        instrument_version: str,
        date: str,
        ratings: Iterable[Rating],
        setting: str = "",
        participants: Iterable[str] = (),
        note: str = "",
    ) -> Assessment:
        """Store an assessment as given; the instrument's own checks run before this is called."""
        team = self.team(team_ref)  # type: ignore[attr-defined]
        assessment = Assessment(
            id=self.new_id("asm"),
            team_id=team.id,
            instrument=instrument,
            instrument_version=instrument_version,
            date=date,
            setting=setting,
            participants=list(participants),
            ratings=list(ratings),
            note=note,
            created_at=self.now(),
        )
        with self.transaction() as tx:
            tx.put("assessments", assessment.id, assessment.to_dict())
            self.emit("assessment_added", assessment=assessment.to_dict())
        return assessment
