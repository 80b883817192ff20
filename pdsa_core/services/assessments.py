"""Context assessments (MUSIQ and other instruments): storing, reading and comparing them."""

from __future__ import annotations

from collections.abc import Iterable

from pdsa_core.domain import Assessment, Rating
from pdsa_core.errors import NotFoundError
from pdsa_core.services.base import ServiceBase


class AssessmentService(ServiceBase):
    def assessments(self, team_ref: str) -> list[Assessment]:
        team = self.team(team_ref)  # type: ignore[attr-defined]
        docs = self.snapshot().table("assessments").values()
        return sorted(
            (Assessment.from_dict(d) for d in docs if d["team_id"] == team.id), key=lambda a: (a.date, a.id)
        )

    def assessment(self, assessment_id: str) -> Assessment:
        doc = self.snapshot().table("assessments").get(assessment_id)
        if doc is None:
            raise NotFoundError(f"no assessment {assessment_id!r}")
        return Assessment.from_dict(doc)

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
            tx.put("assessments", assessment.id, assessment.to_doc())
            self.emit("assessment_added", assessment=assessment.to_dict())
        return assessment
