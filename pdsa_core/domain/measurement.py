"""Measurements: one value per indicator and month, with the history of revisions."""

from __future__ import annotations

from dataclasses import dataclass, field

from pdsa_core.domain.common import finite_number, optional_text, parse_period
from pdsa_core.domain.indicator import Unit
from pdsa_core.domain.record import Record
from pdsa_core.errors import ValidationError


def _number(value: object, *, field: str) -> float | None:
    if value is None:
        return None
    if type(value) is float and value - value == 0.0:  # a finite float (most values): as it is
        return value
    if value == "":
        return None
    return finite_number(value, field=field)


#: A unit as the complement of "R1 er ...".
_UNIT_DA = {Unit.COUNT: "et antal", Unit.PROPORTION: "en andel", Unit.RATE: "en rate"}


@dataclass(frozen=True)
class Revision(Record):
    """An earlier value of a measurement, kept when a new value replaced it."""

    value: float | None
    numerator: float | None
    denominator: float | None
    source: str
    entered_at: str
    replaced_at: str
    note: str = ""
    entered_by: str = ""


@dataclass(frozen=True)
class Measurement(Record):
    """The value of one indicator in one month for one team.

    A proportion carries ``numerator`` and ``denominator`` and its ``value`` is their
    ratio; a count or rate carries ``value`` only.
    """

    team_id: str
    indicator: str
    period: str
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    source: str = "manual"
    source_file: str = ""
    source_sheet: str = ""
    note: str = ""
    entered_at: str = ""
    entered_by: str = ""
    revisions: list[Revision] = field(default_factory=list)

    nested = {"revisions": Revision}

    def __post_init__(self) -> None:
        object.__setattr__(self, "period", parse_period(self.period))
        for name in ("value", "numerator", "denominator"):
            object.__setattr__(self, name, _number(getattr(self, name), field=name))
        if self.numerator is not None or self.denominator is not None:
            if self.numerator is None or self.denominator is None:
                raise ValidationError(
                    "a proportion needs both a numerator and a denominator",
                    da="en andel kræver både en tæller og en nævner",
                )
            if self.numerator < 0 or self.denominator < 0:
                raise ValidationError(
                    "numerator and denominator cannot be negative",
                    da="tæller og nævner kan ikke være negative",
                )
            if self.denominator == 0:
                raise ValidationError(
                    "denominator is 0: a proportion of nobody cannot be shown",
                    da="nævneren er 0: en andel af ingen kan ikke vises",
                )
            if self.numerator > self.denominator:
                raise ValidationError(
                    f"numerator ({self.numerator:g}) is larger than denominator ({self.denominator:g})",
                    da=f"tælleren ({self.numerator:g}) er større end nævneren ({self.denominator:g})",
                )
            object.__setattr__(self, "value", self.numerator / self.denominator)
        elif self.value is None:
            raise ValidationError(
                "a measurement needs a value (or a numerator and denominator)",
                da="en måling kræver en værdi (eller en tæller og en nævner)",
            )
        if self.note != "":
            object.__setattr__(self, "note", optional_text(self.note, field="note"))

    @property
    def key(self) -> str:
        return measurement_key(self.team_id, self.indicator, self.period)

    def check_unit(self, unit: Unit) -> None:
        """Refuse a value that does not fit the indicator's unit."""
        if unit is Unit.PROPORTION and self.denominator is None:
            raise ValidationError(
                f"{self.indicator} is a proportion: give a numerator and a denominator, not a value",
                da=f"{self.indicator} er en andel: angiv en tæller og en nævner, ikke en værdi",
            )
        if unit is Unit.PROPORTION and self.numerator is not None and not self.numerator.is_integer():
            raise ValidationError(
                f"{self.indicator} counts people or events: its numerator must be a whole number "
                f"({self.numerator:g})",
                da=f"{self.indicator} tæller personer eller hændelser: tælleren skal være et helt tal "
                f"({self.numerator:g})",
            )
        if unit is not Unit.PROPORTION and self.denominator is not None:
            raise ValidationError(
                f"{self.indicator} is a {unit.value}: give a value, not a fraction",
                da=f"{self.indicator} er {_UNIT_DA[unit]}: angiv en værdi, ikke en brøk",
            )
        if unit is Unit.COUNT and self.value is not None:
            if self.value < 0:
                raise ValidationError(
                    f"{self.indicator} is a count and cannot be negative ({self.value:g})",
                    da=f"{self.indicator} er et antal og kan ikke være negativt ({self.value:g})",
                )
            if self.value != int(self.value):
                raise ValidationError(
                    f"{self.indicator} is a count and must be a whole number ({self.value:g})",
                    da=f"{self.indicator} er et antal og skal være et helt tal ({self.value:g})",
                )
        if unit is Unit.RATE and self.value is not None and self.value < 0:
            raise ValidationError(
                f"{self.indicator} is a rate and cannot be negative ({self.value:g})",
                da=f"{self.indicator} er en rate og kan ikke være negativ ({self.value:g})",
            )

    def same_value(self, other: Measurement) -> bool:
        return (self.value, self.numerator, self.denominator) == (
            other.value,
            other.numerator,
            other.denominator,
        )


def measurement_key(team_id: str, indicator: str, period: str) -> str:
    return f"{team_id}|{indicator}|{period}"
