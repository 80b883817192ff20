"""Recording an assessment: its ratings checked against the instrument, then stored.

Above the workspace (which stores an assessment as given, :meth:`add_assessment`): the
instrument's checks are part of the assessments package.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from pdsa_core.assessments.instrument import Instrument
from pdsa_core.assessments.scoring import RatingInput, check_participants, check_ratings
from pdsa_core.domain import Assessment, Rating
from pdsa_core.errors import ValidationError

if TYPE_CHECKING:
    from pdsa_core.workspace import Workspace


def record_assessment(
    ws: Workspace,
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
    team = ws.team(team_ref)
    setting_text = (setting or "").strip()
    if not setting_text:
        raise ValidationError(
            "say where the assessment was made (the setting), e.g. 'regionspsykiatrien' or a municipality",
            da="angiv, hvor vurderingen blev lavet (stedet), fx 'regionspsykiatrien' eller en kommune",
        )
    if isinstance(ratings, Mapping):
        items = [RatingInput(factor, value) for factor, value in ratings.items()]
    else:
        items = [RatingInput(r.factor, r.value, r.note) if isinstance(r, Rating) else r for r in ratings]
    checked = check_ratings(instrument, items, source=source)
    return ws.add_assessment(
        team.id,
        instrument=instrument.id,
        instrument_version=instrument.version,
        date=date or ws.today(),
        setting=setting_text,
        participants=check_participants(participants),
        ratings=checked,
        note=note,
        annotate_with=instrument if annotate else None,
    )
