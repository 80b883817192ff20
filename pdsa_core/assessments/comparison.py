"""A team's repeated assessments side by side: scores, the factors that moved, suggested focus.

Rules (also in ``docs/musiq.md``):

* Totals and level scores are compared only between assessments made with the **same
  instrument key** (``id@version``). Asked to compare across keys, :func:`compare`
  refuses with an error naming the assessments and their versions.
* ``factors_only=True`` allows a comparison across versions of the **same instrument id
  and scale**: it shows factor ratings where the factor id is in both versions (ids are
  stable forever) and no totals at all.
* "Moved" compares the latest assessment with the previous one made in the **same
  setting** (an assessment in the municipality is not the follow-up of one in the
  regional psychiatry), unless the two are named.
* "Suggested focus" lists the lowest-rated factors of the latest assessment that the team
  can change, rated below the middle of the scale (below "neutral"), lowest first, at
  most five; ties are broken by weight, then by the instrument's order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pdsa_core.assessments.instrument import Factor, Instrument
from pdsa_core.assessments.scoring import Score, score_assessment
from pdsa_core.domain import Assessment
from pdsa_core.errors import NotFoundError, ValidationError

if TYPE_CHECKING:
    from pdsa_core.workspace import Workspace

FOCUS_LIMIT = 5


def instrument_key(assessment: Assessment) -> str:
    return f"{assessment.instrument}@{assessment.instrument_version}"


@dataclass(frozen=True)
class FactorMove:
    factor: str
    level: str
    before: int | None
    after: int | None
    change: int | None
    """after - before; None when one side is "not applicable" (shown, but not a move in size)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "factor": self.factor,
            "level": self.level,
            "before": self.before,
            "after": self.after,
            "change": self.change,
        }


@dataclass(frozen=True)
class FocusItem:
    factor: str
    level: str
    rating: int
    weight: float

    def to_dict(self) -> dict[str, Any]:
        return {"factor": self.factor, "level": self.level, "rating": self.rating, "weight": self.weight}


@dataclass
class Comparison:
    """Assessments of one team in date order, with what changed and where to focus."""

    instrument: Instrument
    """The instrument of the latest assessment (its factors give the row order)."""
    assessments: list[Assessment]
    scores: list[Score | None]
    """One per assessment; all None when ``factors_only``."""
    factors_only: bool
    moved_from: Assessment | None = None
    moved_to: Assessment | None = None
    moves: list[FactorMove] = field(default_factory=list)
    focus: list[FocusItem] = field(default_factory=list)

    def factor_values(self, factor_id: str) -> list[int | None | str]:
        """The ratings of a factor across the assessments ("" where it was not part of that version)."""
        values: list[int | None | str] = []
        for assessment in self.assessments:
            rating = assessment.rating(factor_id)
            values.append("" if rating is None else rating.value)
        return values

    def to_dict(self) -> dict[str, Any]:
        return {
            "instrument": self.instrument.key,
            "weights_official": self.instrument.weights_official,
            "weights_source": self.instrument.weights_source.to_dict(),
            "factors_only": self.factors_only,
            "assessments": [
                {
                    "id": a.id,
                    "date": a.date,
                    "setting": a.setting,
                    "instrument": instrument_key(a),
                    "scores": None if score is None else score.to_dict(),
                }
                for a, score in zip(self.assessments, self.scores, strict=True)
            ],
            "factors": [
                {
                    "factor": f.id,
                    "level": f.level,
                    "changeable": f.changeable,
                    "ratings": [None if v == "" else v for v in self.factor_values(f.id)],
                }
                for f in self.instrument.factors
            ],
            "moved": {
                "from": self.moved_from.id if self.moved_from else None,
                "to": self.moved_to.id if self.moved_to else None,
                "factors": [m.to_dict() for m in self.moves],
            },
            "focus": [item.to_dict() for item in self.focus],
        }


def _describe(a: Assessment, lang: str = "en") -> str:
    setting = f", {a.setting}" if a.setting else ""
    used = "brugte" if lang == "da" else "used"
    return f"{a.id} ({a.date}{setting}) {used} {instrument_key(a)}"


def compare(
    assessments: Sequence[Assessment],
    instruments: Mapping[str, Instrument],
    *,
    factors_only: bool = False,
    moved_from: str | None = None,
    moved_to: str | None = None,
) -> Comparison:
    """Compare a team's assessments; ``instruments`` maps instrument keys to instruments.

    Refuses (``ValidationError``) to compare scores across instrument versions, and
    (``NotFoundError``) an assessment whose instrument is not installed.
    """
    if not assessments:
        raise NotFoundError(
            "there are no assessments to compare", da="der er ingen vurderinger at sammenligne"
        )
    ordered = sorted(assessments, key=lambda a: (a.date, a.created_at, a.id))
    keys = list(dict.fromkeys(instrument_key(a) for a in ordered))
    missing = [k for k in keys if k not in instruments]
    if missing:
        known = ", ".join(sorted(instruments))
        raise NotFoundError(
            f"instrument {', '.join(missing)} is not installed "
            f"(known: {known or 'none'}); install the plugin that provides it",
            da=f"instrumentet {', '.join(missing)} er ikke installeret "
            f"(kendte: {known or 'ingen'}); installér det plugin, der leverer det",
        )
    latest_instrument = instruments[instrument_key(ordered[-1])]
    if len(keys) > 1:
        if not factors_only:
            examples: dict[str, Assessment] = {}
            for a in ordered:
                examples.setdefault(instrument_key(a), a)
            listed = "; ".join(_describe(a) for a in examples.values())
            listed_da = "; ".join(_describe(a, "da") for a in examples.values())
            raise ValidationError(
                "totals cannot be compared across instrument versions: "
                f"{listed}. Compare one version at a time (--instrument ID@VERSION) or the factor "
                "ratings only (--factors-only)",
                da="samlede scorer kan ikke sammenlignes på tværs af instrumentversioner: "
                f"{listed_da}. Sammenlign én version ad gangen (--instrument ID@VERSION) eller kun "
                "faktorernes scorer (--factors-only)",
            )
        ids = {instruments[k].id for k in keys}
        if len(ids) > 1:
            raise ValidationError(
                f"assessments made with different instruments ({', '.join(sorted(ids))}) cannot be compared, "
                "not even factor by factor",
                da=f"vurderinger lavet med forskellige instrumenter ({', '.join(sorted(ids))}) kan ikke "
                "sammenlignes, heller ikke faktor for faktor",
            )
        scales = {(instruments[k].scale.min, instruments[k].scale.max) for k in keys}
        if len(scales) > 1:
            raise ValidationError(
                f"the versions {', '.join(keys)} use different scales; their ratings cannot be compared",
                da=f"versionerne {', '.join(keys)} bruger forskellige skalaer; deres scorer kan ikke "
                "sammenlignes",
            )
    if factors_only:
        scores: list[Score | None] = [None] * len(ordered)
    else:
        scores = [score_assessment(latest_instrument, a) for a in ordered]

    comparison = Comparison(
        instrument=latest_instrument, assessments=ordered, scores=scores, factors_only=factors_only
    )
    before, after = _pair(ordered, moved_from, moved_to)
    if before is not None and after is not None:
        comparison.moved_from, comparison.moved_to = before, after
        comparison.moves = factor_moves(latest_instrument, before, after)
    comparison.focus = suggested_focus(latest_instrument, ordered[-1])
    return comparison


def _pair(
    ordered: Sequence[Assessment], moved_from: str | None, moved_to: str | None
) -> tuple[Assessment | None, Assessment | None]:
    by_id = {a.id: a for a in ordered}
    for ref in (moved_from, moved_to):
        if ref is not None and ref not in by_id:
            raise NotFoundError(
                f"no assessment {ref!r} among those compared ({', '.join(by_id)})",
                da=f"vurderingen {ref!r} er ikke blandt dem, der sammenlignes ({', '.join(by_id)})",
            )
    after = by_id[moved_to] if moved_to else ordered[-1]
    before: Assessment | None
    if moved_from:
        before = by_id[moved_from]
    else:
        earlier = [
            a
            for a in ordered
            if a is not after and (a.date, a.created_at, a.id) < (after.date, after.created_at, after.id)
        ]
        same_setting = [a for a in earlier if a.setting.casefold() == after.setting.casefold()]
        before = same_setting[-1] if same_setting else None
    return before, after


def factor_moves(instrument: Instrument, before: Assessment, after: Assessment) -> list[FactorMove]:
    """Factors whose rating differs between two assessments, biggest change first.

    Only factor ids in ``instrument`` and rated (or marked not applicable) in both are
    considered; a change to or from "not applicable" is listed with ``change=None`` last.
    """
    moves: list[FactorMove] = []
    for factor in instrument.factors:
        a, b = before.rating(factor.id), after.rating(factor.id)
        if a is None or b is None or a.value == b.value:
            continue
        change = None if a.value is None or b.value is None else b.value - a.value
        moves.append(FactorMove(factor.id, factor.level, a.value, b.value, change))
    order = {f.id: i for i, f in enumerate(instrument.factors)}
    return sorted(
        moves,
        key=lambda m: (m.change is None, -abs(m.change or 0), order[m.factor]),
    )


def suggested_focus(
    instrument: Instrument, assessment: Assessment, *, limit: int = FOCUS_LIMIT
) -> list[FocusItem]:
    """The lowest-rated changeable factors (below the middle of the scale), lowest first."""
    order = {f.id: i for i, f in enumerate(instrument.factors)}
    candidates: list[tuple[Factor, int]] = []
    for factor in instrument.factors:
        rating = assessment.rating(factor.id)
        if not factor.changeable or rating is None or rating.value is None:
            continue
        if rating.value < instrument.scale.midpoint:
            candidates.append((factor, rating.value))
    candidates.sort(key=lambda item: (item[1], -item[0].weight, order[item[0].id]))
    return [FocusItem(f.id, f.level, value, f.weight) for f, value in candidates[:limit]]


def compare_team_assessments(
    ws: Workspace,
    team_ref: str,
    instruments: Mapping[str, Instrument],
    *,
    instrument: str | None = None,
    setting: str | None = None,
    factors_only: bool = False,
    moved_from: str | None = None,
    moved_to: str | None = None,
) -> Comparison:
    """A team's assessments in a workspace side by side (see :func:`compare`)."""
    team = ws.team(team_ref)
    found = ws.assessments(team.id, instrument=instrument, setting=setting)
    if not found:
        which = " ".join(x for x in (instrument or "", f"in {setting}" if setting else "") if x)
        kind_da = f"{instrument}-vurderinger" if instrument else "vurderinger"
        place_da = f" i {setting}" if setting else ""
        raise NotFoundError(
            f"team {team.name} has no {which + ' ' if which else ''}assessments yet",
            da=f"team {team.name} har ingen {kind_da}{place_da} endnu",
        )
    return compare(found, instruments, factors_only=factors_only, moved_from=moved_from, moved_to=moved_to)
