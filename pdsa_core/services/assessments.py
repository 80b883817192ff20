"""Context assessments (MUSIQ and other instruments): storing and reading them.

The workspace does not know the plugins, so the methods that need an instrument take it
as an argument (the CLI and the TUI look it up with ``plugins.instrument("id@version")``).
Checking ratings against an instrument and comparing assessments are done above the
workspace, in :mod:`pdsa_core.assessments`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from pdsa_core.domain import Annotation, Assessment, Rating
from pdsa_core.errors import DuplicateError, NotFoundError
from pdsa_core.services.base import ServiceBase

if TYPE_CHECKING:
    from pdsa_core.assessments import Instrument


class AssessmentService(ServiceBase):
    def assessments(
        self, team_ref: str, *, instrument: str | None = None, setting: str | None = None
    ) -> list[Assessment]:
        """A team's assessments, oldest first.

        ``instrument`` keeps one instrument key (``id@version``), or every version of an id;
        ``setting`` keeps one setting (case-insensitive).
        """
        team = self.team(team_ref)  # type: ignore[attr-defined]
        docs = self.snapshot().table("assessments").values()
        found = sorted(
            (Assessment.from_dict(d) for d in docs if d["team_id"] == team.id),
            key=lambda a: (a.date, a.created_at, a.id),
        )
        if instrument is not None:
            key = instrument.strip()
            found = [
                a for a in found if f"{a.instrument}@{a.instrument_version}" == key or a.instrument == key
            ]
        if setting is not None:
            found = [a for a in found if a.setting.casefold() == setting.strip().casefold()]
        return found

    def assessment(self, assessment_id: str) -> Assessment:
        doc = self.snapshot().table("assessments").get(assessment_id.strip())
        if doc is None:
            raise NotFoundError(
                f"no assessment {assessment_id!r}", da=f"der er ingen vurdering {assessment_id!r}"
            )
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
        annotate_with: Instrument | None = None,
    ) -> Assessment:
        """Store an assessment as given; the instrument's own checks run before this is called.

        Use :func:`pdsa_core.assessments.record_assessment` to check the ratings against the
        instrument first. ``annotate_with`` (the instrument) also marks the date on all of
        the team's indicator charts (an annotation of kind "assessment"), in the same
        transaction.
        """
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
            if annotate_with is not None:
                annotation = self._assessment_annotation(team.id, assessment, annotate_with)
                tx.put("annotations", annotation.id, annotation.to_dict())
            self.emit("assessment_added", assessment=assessment.to_dict())
        return assessment

    def annotate_assessment(self, assessment_id: str, instrument: Instrument | None = None) -> Annotation:
        """Mark an assessment's date on all of the team's indicator charts (kind "assessment")."""
        assessment = self.assessment(assessment_id)
        annotation = self._assessment_annotation(assessment.team_id, assessment, instrument)
        for existing in self.annotations(assessment.team_id):  # type: ignore[attr-defined]
            if (
                existing.kind == annotation.kind
                and existing.date == annotation.date
                and (existing.text == annotation.text)
            ):
                raise DuplicateError(
                    f"assessment {assessment.id} is already marked on the charts ({existing.id})",
                    da=f"vurderingen {assessment.id} er allerede markeret på diagrammerne ({existing.id})",
                )
        with self.transaction() as tx:
            tx.put("annotations", annotation.id, annotation.to_dict())
        return annotation

    def _assessment_annotation(
        self, team_id: str, assessment: Assessment, instrument: Instrument | None
    ) -> Annotation:
        from pdsa_core.i18n import t

        name = instrument.name.get() if instrument is not None else assessment.instrument.upper()
        text = t("musiq.annotation_text", name=name, setting=assessment.setting)
        return Annotation(
            id=self.new_id("ann"),
            team_id=team_id,
            date=assessment.date,
            text=text,
            kind="assessment",  # type: ignore[arg-type]
            created_at=self.now(),
        )

    def remove_assessment(self, assessment_id: str) -> Assessment:
        """Delete an assessment made by mistake (its annotation, if any, stays: remove it separately)."""
        with self.transaction() as tx:
            doc = tx.get("assessments", assessment_id.strip())
            if doc is None:
                raise NotFoundError(
                    f"no assessment {assessment_id!r}", da=f"der er ingen vurdering {assessment_id!r}"
                )
            tx.delete("assessments", assessment_id.strip())
        return Assessment.from_dict(doc)
