"""Measurements: one value per indicator and month, with the history of revisions."""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from typing import Any

from pdsa_core.domain.common import finite_number, optional_text, parse_period
from pdsa_core.domain.indicator import Unit
from pdsa_core.domain.record import Record, _plain
from pdsa_core.errors import ValidationError


def _number(value: object, *, field: str) -> float | None:
    if value is None:
        return None
    if type(value) is float and value - value == 0.0:  # a finite float (most values): as it is
        return value
    if value == "":
        return None
    return finite_number(value, field=field)


#: ``Measurement(revisions=...)`` not given: a new empty list (the field's default_factory)
_NO_REVISIONS: Any = object()

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

    def __init__(
        self,
        team_id: str,
        indicator: str,
        period: str,
        value: float | None = None,
        numerator: float | None = None,
        denominator: float | None = None,
        source: str = "manual",
        source_file: str = "",
        source_sheet: str = "",
        note: str = "",
        entered_at: str = "",
        entered_by: str = "",
        revisions: list[Revision] = _NO_REVISIONS,
    ) -> None:
        # the fields checked (checked_fields), then set at once: the generated __init__ of a
        # frozen dataclass sets each of the 13 fields through object.__setattr__ and then
        # calls __post_init__; a team's dashboard reads 3,600 stored values
        period, value, numerator, denominator, note = checked_fields(
            period, value, numerator, denominator, note
        )
        self.__dict__.update(
            team_id=team_id,
            indicator=indicator,
            period=period,
            value=value,
            numerator=numerator,
            denominator=denominator,
            source=source,
            source_file=source_file,
            source_sheet=source_sheet,
            note=note,
            entered_at=entered_at,
            entered_by=entered_by,
            revisions=[] if revisions is _NO_REVISIONS else revisions,
        )

    @classmethod
    def _from_dict(cls, data: dict[str, Any]) -> Measurement:
        """A stored measurement: as :meth:`Record._from_dict` builds it (``cls(**data)``), and for
        the common document (its own fields, the required ones, no revisions) without the call's
        13 keyword arguments: the document's fields over the defaults, checked by
        :func:`checked_fields` exactly as ``__init__`` checks them. A dashboard reads 3,600."""
        if type(data) is dict and _PLAIN_DOC.issuperset(data) and data.keys() >= _REQUIRED:
            values = {**_TEMPLATE, **data}  # every field, in the order __init__ sets them
            period, value, numerator, denominator, note = checked_fields(
                values["period"], values["value"], values["numerator"], values["denominator"], values["note"]
            )
            values["period"] = period
            values["value"] = value
            values["numerator"] = numerator
            values["denominator"] = denominator
            values["note"] = note
            values["revisions"] = []
            record = object.__new__(cls)
            object.__setattr__(record, "__dict__", values)
            return record
        return super()._from_dict(data)

    def to_dict(self) -> dict[str, Any]:
        """As :meth:`Record.to_dict` gives it, written out (a national import stores 180,000)."""
        return measurement_data(
            self.team_id,
            self.indicator,
            self.period,
            self.value,
            self.numerator,
            self.denominator,
            self.source,
            self.source_file,
            self.source_sheet,
            self.note,
            self.entered_at,
            self.entered_by,
            [_plain(revision) for revision in self.revisions],
        )

    @property
    def key(self) -> str:
        return measurement_key(self.team_id, self.indicator, self.period)

    def check_unit(self, unit: Unit) -> None:
        """Refuse a value that does not fit the indicator's unit."""
        check_unit(self.indicator, unit, self.value, self.numerator, self.denominator)

    def same_value(self, other: Measurement) -> bool:
        return (self.value, self.numerator, self.denominator) == (
            other.value,
            other.numerator,
            other.denominator,
        )


# what Measurement._from_dict needs to know of the class's fields
_PLAIN_DOC = frozenset(f.name for f in fields(Measurement)) - {"revisions"}  # none nested
_REQUIRED = frozenset(
    f.name for f in fields(Measurement) if f.default is MISSING and f.default_factory is MISSING
)
#: every field with its default (None for the required ones and revisions, always replaced)
_TEMPLATE = {f.name: None if f.default is MISSING else f.default for f in fields(Measurement)}


def checked_fields(
    period: str, value: float | None, numerator: float | None, denominator: float | None, note: str
) -> tuple[str, float | None, float | None, float | None, str]:
    """A measurement's own fields checked (what :class:`Measurement` checks when built):
    the month, the numbers, a proportion's numerator and denominator (``value`` becomes
    their ratio), and the note. Returns them in stored form: (period, value, numerator,
    denominator, note). The write path calls it directly, without building a record per value.
    """
    period = parse_period(period)
    value = _number(value, field="value")
    numerator = _number(numerator, field="numerator")
    denominator = _number(denominator, field="denominator")
    if numerator is not None or denominator is not None:
        if numerator is None or denominator is None:
            raise ValidationError(
                "a proportion needs both a numerator and a denominator",
                da="en andel kræver både en tæller og en nævner",
            )
        if numerator < 0 or denominator < 0:
            raise ValidationError(
                "numerator and denominator cannot be negative",
                da="tæller og nævner kan ikke være negative",
            )
        if denominator == 0:
            raise ValidationError(
                "denominator is 0: a proportion of nobody cannot be shown",
                da="nævneren er 0: en andel af ingen kan ikke vises",
            )
        if numerator > denominator:
            raise ValidationError(
                f"numerator ({numerator:g}) is larger than denominator ({denominator:g})",
                da=f"tælleren ({numerator:g}) er større end nævneren ({denominator:g})",
            )
        value = numerator / denominator
    elif value is None:
        raise ValidationError(
            "a measurement needs a value (or a numerator and denominator)",
            da="en måling kræver en værdi (eller en tæller og en nævner)",
        )
    if note != "":
        note = optional_text(note, field="note")
    return period, value, numerator, denominator, note


def check_unit(
    indicator: str, unit: Unit, value: float | None, numerator: float | None, denominator: float | None
) -> None:
    """Refuse a value that does not fit the indicator's unit (checked fields, :func:`checked_fields`)."""
    if unit is _PROPORTION:
        if denominator is None:
            raise ValidationError(
                f"{indicator} is a proportion: give a numerator and a denominator, not a value",
                da=f"{indicator} er en andel: angiv en tæller og en nævner, ikke en værdi",
            )
        if numerator is not None and not numerator.is_integer():
            raise ValidationError(
                f"{indicator} counts people or events: its numerator must be a whole number ({numerator:g})",
                da=f"{indicator} tæller personer eller hændelser: tælleren skal være et helt tal "
                f"({numerator:g})",
            )
        return
    if denominator is not None:
        raise ValidationError(
            f"{indicator} is a {unit.value}: give a value, not a fraction",
            da=f"{indicator} er {_UNIT_DA[unit]}: angiv en værdi, ikke en brøk",
        )
    if value is None:
        return
    if unit is _COUNT:
        if value < 0:
            raise ValidationError(
                f"{indicator} is a count and cannot be negative ({value:g})",
                da=f"{indicator} er et antal og kan ikke være negativt ({value:g})",
            )
        if value != int(value):
            raise ValidationError(
                f"{indicator} is a count and must be a whole number ({value:g})",
                da=f"{indicator} er et antal og skal være et helt tal ({value:g})",
            )
    elif unit is _RATE and value < 0:
        raise ValidationError(
            f"{indicator} is a rate and cannot be negative ({value:g})",
            da=f"{indicator} er en rate og kan ikke være negativ ({value:g})",
        )


#: the units as module constants (an enum member looked up on its class costs ~0.1 us, per value)
_PROPORTION, _COUNT, _RATE = Unit.PROPORTION, Unit.COUNT, Unit.RATE


def measurement_data(
    team_id: str,
    indicator: str,
    period: str,
    value: float | None,
    numerator: float | None,
    denominator: float | None,
    source: str,
    source_file: str,
    source_sheet: str,
    note: str,
    entered_at: str,
    entered_by: str,
    revisions: list[Any],
) -> dict[str, Any]:
    """A measurement's :meth:`Measurement.to_dict` from checked fields (revisions as dicts):
    the one place that lays out a measurement's data, for a record and for the write path."""
    return {
        "team_id": team_id,
        "indicator": indicator,
        "period": period,
        "value": value,
        "numerator": numerator,
        "denominator": denominator,
        "source": source,
        "source_file": source_file,
        "source_sheet": source_sheet,
        "note": note,
        "entered_at": entered_at,
        "entered_by": entered_by,
        "revisions": revisions,
    }


def measurement_key(team_id: str, indicator: str, period: str) -> str:
    return f"{team_id}|{indicator}|{period}"
