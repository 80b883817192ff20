"""Scoring an assessment with its instrument, and checking a set of ratings against it.

A level's score and the total are formed the way the instrument says
(:class:`~pdsa_core.assessments.instrument.ScoreMethod`): the weighted sum of the rated
factors, or their weighted mean. Every summary also carries the weighted mean per rated
factor, the number of rated factors and the number of "don't know / not applicable",
so a reader can see when a lower total only means fewer factors were rated.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pdsa_core.assessments.instrument import Instrument, ScoreMethod
from pdsa_core.domain import Assessment, Rating
from pdsa_core.errors import ValidationError

#: a number shaped like a CPR number (ddmmyy-xxxx, with or without the dash or a space)
_CPR_SHAPED = re.compile(r"(?<!\d)\d{6}[- ]?\d{4}(?!\d)")


@dataclass(frozen=True)
class ScoreSummary:
    """The score of one level, or the total."""

    score: float | None
    """Formed as the instrument says; None when no factor was rated."""
    weighted_sum: float
    mean: float | None
    """Weighted mean per rated factor (the plain mean when weights are equal)."""
    rated: int
    not_applicable: int
    unrated: int
    """Factors with neither a rating nor "not applicable" (only in an incomplete form)."""
    minimum: float
    """The lowest score possible with the factors that were rated."""
    maximum: float
    """The highest score possible with the factors that were rated."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": _round(self.score),
            "weighted_sum": _round(self.weighted_sum),
            "mean": _round(self.mean),
            "rated": self.rated,
            "not_applicable": self.not_applicable,
            "unrated": self.unrated,
            "minimum": _round(self.minimum),
            "maximum": _round(self.maximum),
        }


@dataclass(frozen=True)
class Score:
    """An assessment's scores: per level (in the instrument's order) and in total."""

    instrument: str
    method: ScoreMethod
    weights_official: bool
    levels: dict[str, ScoreSummary]
    total: ScoreSummary
    factors: dict[str, int | None] = field(default_factory=dict)
    """Factor id -> rating (None = not applicable); unrated factors are left out."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "instrument": self.instrument,
            "method": self.method.value,
            "weights_official": self.weights_official,
            "total": self.total.to_dict(),
            "levels": {key: value.to_dict() for key, value in self.levels.items()},
            "factors": dict(self.factors),
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _summary(instrument: Instrument, items: Sequence[tuple[float, int | None, bool]]) -> ScoreSummary:
    """``items``: (weight, rating or None, answered) for each factor in the group."""
    rated = [(w, v) for w, v, answered in items if answered and v is not None]
    not_applicable = sum(1 for _, v, answered in items if answered and v is None)
    unrated = sum(1 for _, _, answered in items if not answered)
    weight_sum = sum(w for w, _ in rated)
    weighted_sum = sum(w * v for w, v in rated)
    mean = weighted_sum / weight_sum if rated else None
    if instrument.scoring.method is ScoreMethod.WEIGHTED_MEAN:
        score = mean
        minimum, maximum = float(instrument.scale.min), float(instrument.scale.max)
    else:
        score = weighted_sum if rated else None
        minimum, maximum = weight_sum * instrument.scale.min, weight_sum * instrument.scale.max
    return ScoreSummary(
        score=score,
        weighted_sum=weighted_sum,
        mean=mean,
        rated=len(rated),
        not_applicable=not_applicable,
        unrated=unrated,
        minimum=minimum,
        maximum=maximum,
    )


def score_ratings(instrument: Instrument, ratings: dict[str, int | None]) -> Score:
    """Scores of a (possibly incomplete) set of ratings: factor id -> rating, None = not applicable.

    Factors missing from ``ratings`` count as unrated, which the running totals of a form
    in progress need. Ratings of factors the instrument does not know are refused.
    """
    unknown = sorted(set(ratings) - set(instrument.factor_ids))
    if unknown:
        raise ValidationError(
            f"{instrument.key} has no factor {', '.join(unknown)}",
            da=f"{instrument.key} har ingen faktor {', '.join(unknown)}",
        )
    for factor_id, value in ratings.items():
        if value is not None and not instrument.scale.contains(value):
            raise ValidationError(
                f"factor {factor_id}: rating {value} is outside the scale "
                f"{instrument.scale.min}–{instrument.scale.max}",
                da=f"faktor {factor_id}: scoren {value} ligger uden for skalaen "
                f"{instrument.scale.min}–{instrument.scale.max}",
            )
    levels: dict[str, ScoreSummary] = {}
    every: list[tuple[float, int | None, bool]] = []
    for level, factors in instrument.by_level():
        items = [(f.weight, ratings.get(f.id), f.id in ratings) for f in factors]
        levels[level.id] = _summary(instrument, items)
        every.extend(items)
    ordered = {f.id: ratings[f.id] for f in instrument.factors if f.id in ratings}
    return Score(
        instrument=instrument.key,
        method=instrument.scoring.method,
        weights_official=instrument.weights_official,
        levels=levels,
        total=_summary(instrument, every),
        factors=ordered,
    )


def score_assessment(instrument: Instrument, assessment: Assessment) -> Score:
    """Scores of a stored assessment; refuses an assessment made with another instrument version."""
    key = f"{assessment.instrument}@{assessment.instrument_version}"
    if key != instrument.key:
        raise ValidationError(
            f"assessment {assessment.id} was made with {key}, not {instrument.key}; "
            "scores are only formed with the instrument version an assessment was made with",
            da=f"vurderingen {assessment.id} blev lavet med {key}, ikke {instrument.key}; "
            "scorer beregnes kun med den instrumentversion, vurderingen blev lavet med",
        )
    return score_ratings(instrument, {r.factor: r.value for r in assessment.ratings})


# -- checking a set of ratings ----------------------------------------------------------------------
@dataclass(frozen=True)
class RatingInput:
    """One rating as it came from a file or a form, before it is checked.

    ``value`` is the raw text (or a number); ``row`` is the file row it came from, if any.
    """

    factor: str
    value: str | int | None
    note: str = ""
    row: int | None = None


#: texts meaning "don't know / not applicable" (compared lower-case, without spaces at the ends)
NOT_APPLICABLE_WORDS = frozenset(
    {
        "",
        "na",
        "n/a",
        "n.a.",
        "-",
        "–",
        "?",
        "ved ikke",
        "vedikke",
        "ikke relevant",
        "ved ikke / ikke relevant",
        "ved ikke/ikke relevant",
        "don't know",
        "dont know",
        "not applicable",
        "don't know / not applicable",
    }
)


def parse_rating_value(
    raw: str | int | None, instrument: Instrument, *, where: str, where_da: str | None = None
) -> int | None:
    """A rating on the instrument's scale, or None for "don't know / not applicable".

    ``where`` (and its Danish form ``where_da``, default ``where``) begins the message of an error.
    """
    scale = instrument.scale
    here = where_da if where_da is not None else where
    if raw is None or (isinstance(raw, str) and raw.strip().lower() in NOT_APPLICABLE_WORDS):
        if not scale.allow_not_applicable:
            raise ValidationError(
                f"{where}: a rating from {scale.min} to {scale.max} is needed "
                f'({instrument.key} does not allow "not applicable")',
                da=f"{here}: der skal være en score fra {scale.min} til {scale.max} "
                f'({instrument.key} tillader ikke "ved ikke")',
            )
        return None
    if isinstance(raw, bool):
        raise ValidationError(
            f"{where}: rating must be a whole number, got {raw!r}",
            da=f"{here}: scoren skal være et helt tal, ikke {raw!r}",
        )
    if isinstance(raw, int):
        value = raw
    else:
        text = str(raw).strip().replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            na_hint = ', or NA / "ved ikke" for don\'t know' if scale.allow_not_applicable else ""
            na_hint_da = ', eller NA / "ved ikke"' if scale.allow_not_applicable else ""
            raise ValidationError(
                f"{where}: rating must be a whole number from {scale.min} to {scale.max}{na_hint}; "
                f"got {str(raw).strip()!r}",
                da=f"{here}: scoren skal være et helt tal fra {scale.min} til {scale.max}{na_hint_da}; "
                f"ikke {str(raw).strip()!r}",
            ) from None
        if not number.is_integer():
            raise ValidationError(
                f"{where}: rating must be a whole number from {scale.min} to {scale.max}; "
                f"got {str(raw).strip()}",
                da=f"{here}: scoren skal være et helt tal fra {scale.min} til {scale.max}; "
                f"ikke {str(raw).strip()}",
            )
        value = int(number)
    if not scale.contains(value):
        raise ValidationError(
            f"{where}: rating {value} is outside the scale {scale.min}–{scale.max}",
            da=f"{here}: scoren {value} ligger uden for skalaen {scale.min}–{scale.max}",
        )
    return value


def _where(item: RatingInput, source: str, lang: str = "en") -> str:
    row, factor = ("række", "faktor") if lang == "da" else ("row", "factor")
    parts = [p for p in (source, f"{row} {item.row}" if item.row is not None else "") if p]
    prefix = ", ".join(parts)
    return f"{prefix}: {factor} {item.factor}" if prefix else f"{factor} {item.factor}"


def check_ratings(
    instrument: Instrument, items: Iterable[RatingInput], *, source: str = "", complete: bool = True
) -> list[Rating]:
    """Check a set of ratings against the instrument and return them in the instrument's order.

    Every problem is collected (unknown factor id, a rating off the scale or not a whole
    number, a factor rated twice, a factor neither rated nor marked not applicable, a note
    holding a CPR-shaped number) and reported together in one :class:`ValidationError`
    naming the factor and the row; nothing is returned (and so nothing saved) on error.
    ``complete=False`` allows factors to be left out.
    """
    problems: list[tuple[str, str]] = []  # (English, Danish)
    seen: dict[str, RatingInput] = {}
    ratings: dict[str, Rating] = {}
    known = instrument.factor_ids
    for item in items:
        factor_id = (item.factor or "").strip()
        item = RatingInput(factor_id, item.value, item.note or "", item.row)
        where, where_da = _where(item, source), _where(item, source, "da")
        if not factor_id:
            at = source + ", " if source else ""
            row, row_da = (f"row {item.row}: ", f"række {item.row}: ") if item.row is not None else ("", "")
            problems.append((f"{at}{row}the factor id is empty", f"{at}{row_da}faktorens id mangler"))
            continue
        if instrument.factor(factor_id) is None:
            close = difflib.get_close_matches(factor_id.lower(), known, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]}?)" if close else " (see 'pdsa musiq template' for the ids)"
            hint_da = f" (mente du {close[0]}?)" if close else " (se id'erne i 'pdsa musiq template')"
            problems.append(
                (
                    f"{where}: unknown factor id for {instrument.key}{hint}",
                    f"{where_da}: ukendt faktor-id i {instrument.key}{hint_da}",
                )
            )
            continue
        if factor_id in seen:
            first = seen[factor_id]
            also = f" (also in row {first.row})" if first.row is not None else ""
            also_da = f" (også i række {first.row})" if first.row is not None else ""
            problems.append(
                (f"{where}: rated twice{also}", f"{where_da}: har fået en score to gange{also_da}")
            )
            continue
        seen[factor_id] = item
        try:
            value = parse_rating_value(item.value, instrument, where=where, where_da=where_da)
        except ValidationError as exc:
            problems.append((exc.message, exc.message_da or exc.message))
            continue
        note = str(item.note).strip()
        if _CPR_SHAPED.search(note):
            problems.append(
                (
                    f"{where}: the note holds a number shaped like a CPR number; pdsa never stores "
                    "person identifiers, so remove it",
                    f"{where_da}: noten indeholder et tal, der ligner et CPR-nummer; pdsa gemmer aldrig "
                    "personnumre, så fjern det",
                )
            )
            continue
        if len(note) > 2000:
            problems.append(
                (
                    f"{where}: the note is longer than 2000 characters",
                    f"{where_da}: noten er længere end 2000 tegn",
                )
            )
            continue
        ratings[factor_id] = Rating(factor=factor_id, value=value, note=note)
    if complete:
        missing = [f.id for f in instrument.factors if f.id not in seen]
        allow_na = instrument.scale.allow_not_applicable
        na = ' or mark it "NA" (don\'t know / not applicable)' if allow_na else ""
        na_da = ' eller skriv "NA" (ved ikke / ikke relevant)' if allow_na else ""
        prefix = f"{source}: " if source else ""
        if len(missing) > 3:
            problems.append(
                (
                    f"{prefix}{len(missing)} factors are missing: {', '.join(missing)}; rate each{na}",
                    f"{prefix}{len(missing)} faktorer mangler: {', '.join(missing)}; "
                    f"giv hver en score{na_da}",
                )
            )
        else:
            problems.extend(
                (
                    f"{prefix}factor {factor_id} is missing: rate it{na}",
                    f"{prefix}faktor {factor_id} mangler: giv den en score{na_da}",
                )
                for factor_id in missing
            )
    if problems:
        count = f"{len(problems)} problems" if len(problems) > 1 else "1 problem"
        count_da = f"{len(problems)} problemer" if len(problems) > 1 else "1 problem"
        raise ValidationError(
            f"the ratings for {instrument.key} were not saved ({count}):\n  "
            + "\n  ".join(en for en, _ in problems),
            da=f"scorerne for {instrument.key} blev ikke gemt ({count_da}):\n  "
            + "\n  ".join(da for _, da in problems),
        )
    return [ratings[f.id] for f in instrument.factors if f.id in ratings]


def check_participants(names: Iterable[str]) -> list[str]:
    """Participants' names (or roles): trimmed, non-empty, never a CPR-shaped number."""
    result: list[str] = []
    for name in names:
        text = str(name).strip()
        if not text:
            continue
        if _CPR_SHAPED.search(text):
            raise ValidationError(
                "a participant holds a number shaped like a CPR number; pdsa never stores person "
                "identifiers: give a name or a role",
                da="en deltager indeholder et tal, der ligner et CPR-nummer; pdsa gemmer aldrig "
                "personnumre: angiv et navn eller en rolle",
            )
        if len(text) > 120:
            raise ValidationError(
                "a participant's name is longer than 120 characters",
                da="en deltagers navn er længere end 120 tegn",
            )
        if text not in result:
            result.append(text)
    return result
