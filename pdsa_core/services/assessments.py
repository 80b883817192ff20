"""Context assessments (MUSIQ and other instruments): storing, reading and comparing them.

The workspace does not know the plugins, so the methods that need an instrument take it
as an argument (the CLI and the TUI look it up with ``plugins.instrument("id@version")``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from pdsa_core.domain import Annotation, Assessment, Rating
from pdsa_core.errors import DuplicateError, NotFoundError, ValidationError
from pdsa_core.services.base import ServiceBase

if TYPE_CHECKING:
    from pdsa_core.assessments import Comparison, Instrument, RatingInput


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
    ) -> Assessment:
        """Store an assessment as given; the instrument's own checks run before this is called.

        Use :meth:`record_assessment` to check the ratings against the instrument first.
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
            self.emit("assessment_added", assessment=assessment.to_dict())
        return assessment

    def record_assessment(
        self,
        team_ref: str,
        instrument: Instrument,
        ratings: Sequence[RatingInput] | Sequence[Rating] | Mapping[str, int | None],
        *,
        date: str | None = None,
        setting: str,
        participants: Iterable[str] = (),
        note: str = "",
        annotate: bool = False,
        source: str = "",
    ) -> Assessment:
        """Check a complete set of ratings against ``instrument`` and store the assessment.

        ``ratings`` are :class:`RatingInput` rows (from a file; ``source`` names it in
        messages), :class:`Rating` records, or a mapping factor id -> rating (None = not
        applicable). Every factor must be rated or marked not applicable. On any problem
        a :class:`ValidationError` lists them all and nothing is saved. ``annotate`` adds
        an annotation of kind "assessment" on the date, for all the team's indicators, in
        the same transaction.
        """
        from pdsa_core.assessments import RatingInput, check_participants, check_ratings

        team = self.team(team_ref)  # type: ignore[attr-defined]
        setting_text = (setting or "").strip()
        if not setting_text:
            raise ValidationError(
                "say where the assessment was made (the setting), e.g. 'regionspsykiatrien' "
                "or a municipality",
                da="angiv, hvor vurderingen blev lavet (stedet), fx 'regionspsykiatrien' eller en kommune",
            )
        if isinstance(ratings, Mapping):
            items = [RatingInput(factor, value) for factor, value in ratings.items()]
        else:
            items = [RatingInput(r.factor, r.value, r.note) if isinstance(r, Rating) else r for r in ratings]
        checked = check_ratings(instrument, items, source=source)
        assessment = Assessment(
            id=self.new_id("asm"),
            team_id=team.id,
            instrument=instrument.id,
            instrument_version=instrument.version,
            date=date or self.today(),
            setting=setting_text,
            participants=check_participants(participants),
            ratings=checked,
            note=note,
            created_at=self.now(),
        )
        with self.transaction() as tx:
            tx.put("assessments", assessment.id, assessment.to_dict())
            if annotate:
                annotation = self._assessment_annotation(team.id, assessment, instrument)
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

    def compare_assessments(
        self,
        team_ref: str,
        instruments: Mapping[str, Instrument],
        *,
        instrument: str | None = None,
        setting: str | None = None,
        factors_only: bool = False,
        moved_from: str | None = None,
        moved_to: str | None = None,
    ) -> Comparison:
        """A team's assessments side by side (see :func:`pdsa_core.assessments.compare`)."""
        from pdsa_core.assessments import compare

        team = self.team(team_ref)  # type: ignore[attr-defined]
        found = self.assessments(team.id, instrument=instrument, setting=setting)
        if not found:
            which = " ".join(x for x in (instrument or "", f"in {setting}" if setting else "") if x)
            kind_da = f"{instrument}-vurderinger" if instrument else "vurderinger"
            place_da = f" i {setting}" if setting else ""
            raise NotFoundError(
                f"team {team.name} has no {which + ' ' if which else ''}assessments yet",
                da=f"team {team.name} har ingen {kind_da}{place_da} endnu",
            )
        return compare(
            found, instruments, factors_only=factors_only, moved_from=moved_from, moved_to=moved_to
        )
