"""Meetings: the records the store holds; their workflows live in later modules."""

from __future__ import annotations

from pdsa_core.domain import Meeting
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
