"""The shapes of an event extract and its result: layout, population, aggregate, kinds.

See :mod:`pdsa_core.importing.events` for what is counted and how.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pdsa_core.errors import ValidationError

if TYPE_CHECKING:  # the readers are imported when an extract is read, not with a plugin's population
    from pdsa_core.importing.measurements import MeasurementRow
    from pdsa_core.importing.problems import RowError
    from pdsa_core.importing.tables import Source

#: Indicators computed from event extracts.
EVENT_INDICATORS = ("R1", "R2", "F1", "F2")

#: Kind labels that are a coercive admission by default (R1/R2).
DEFAULT_ADMISSION_KINDS = ("tvangsindlæggelse",)

#: Reasons a row is outside the population, in the order they are tested; a row is
#: counted under the first reason that applies.
OUTSIDE_REASONS: dict[str, tuple[str, str]] = {
    "kind": ("tvangstype medregnes ikke", "kind of coercion not counted"),
    "ward": ("andet afsnit", "other ward"),
    "age": ("alder uden for aldersgruppen (eller ukendt)", "age outside the age band (or unknown)"),
    "municipality": ("anden bopælskommune", "other municipality of residence"),
    "outpatient": ("intet åbent ambulant forløb", "no open outpatient course"),
    "forensic": ("retspsykiatrisk patient", "forensic patient"),
}

ROLES = (
    "identifier",
    "timestamp",
    "kind",
    "ward",
    "age",
    "municipality",
    "outpatient",
    "forensic",
)


def normalise_label(text: str) -> str:
    """A label compared ignoring case and spacing: ``" Bælte fiksering"`` -> ``"bælte fiksering"``."""
    return " ".join(text.casefold().split())


def normalise_municipality(text: str) -> str:
    """``"Aalborg Kommune"`` and ``"aalborg"`` are the same municipality."""
    label = normalise_label(text)
    if label.endswith(" kommune"):
        label = label[: -len(" kommune")].rstrip()
    return label


@dataclass
class EventLayout:
    """Which header of the extract holds what. ``None`` means the extract has no such
    column (allowed unless the population needs it). Headers are matched ignoring case,
    spacing and ``_`` versus space. ``separator`` and ``encoding`` are detected when
    ``None``; ``sheet`` picks the sheet of an ``.xlsx`` extract."""

    identifier: str = "cpr"
    timestamp: str = "tidspunkt"
    kind: str = "tvangstype"
    ward: str | None = "afsnit"
    age: str | None = "alder"
    municipality: str | None = "bopælskommune"
    outpatient: str | None = "ambulant_forløb"
    forensic: str | None = "retspsykiatrisk"
    separator: str | None = None
    sheet: str | int | None = None

    def column(self, role: str) -> str | None:
        return getattr(self, role)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {role: self.column(role) for role in ROLES}
        data["separator"] = self.separator
        data["sheet"] = self.sheet
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EventLayout:
        if not isinstance(data, Mapping):
            raise ValidationError("an event layout must be a JSON object")
        unknown = set(data) - set(ROLES) - {"separator", "sheet"}
        if unknown:
            raise ValidationError(f"unknown keys in the event layout: {', '.join(sorted(unknown))}")
        values: dict[str, Any] = {}
        for role in ROLES:
            if role in data:
                value = data[role]
                if value is not None and (not isinstance(value, str) or not value.strip()):
                    raise ValidationError(f"event layout: {role} must be a column name or null")
                values[role] = value
        for role in ("identifier", "timestamp", "kind"):
            if role in values and values[role] is None:
                raise ValidationError(f"event layout: the {role} column is required")
        separator = data.get("separator")
        if separator is not None and separator not in (";", ",", "\t", "|"):
            raise ValidationError("event layout: separator must be ; , tab or |")
        sheet = data.get("sheet")
        if sheet is not None and not isinstance(sheet, str | int):
            raise ValidationError("event layout: sheet must be a name or an index")
        return cls(**values, separator=separator, sheet=sheet)


def _labels(value: Any, name: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValidationError(f"population: {name} must be a list of names")
    labels = []
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise ValidationError(f"population: {name} must be a list of names")
        labels.append(item.strip())
    return labels


@dataclass
class Population:
    """Which events a team counts. Empty lists mean "no restriction".

    ``min_age``/``max_age`` are inclusive (``18, None`` is 18+; ``12, 17`` is
    12-17); ``kinds`` restricts the kinds of coercion counted at all (for R and F).
    """

    min_age: int | None = None
    max_age: int | None = None
    municipalities: list[str] = field(default_factory=list)
    wards: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    require_outpatient_course: bool = False
    exclude_forensic: bool = True

    def __post_init__(self) -> None:
        for name in ("min_age", "max_age"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                      or not 0 <= value <= 130):
                raise ValidationError(f"population: {name} must be a whole number 0-130")
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise ValidationError("population: min_age is larger than max_age")
        self.municipalities = _labels(self.municipalities, "municipalities")
        self.wards = _labels(self.wards, "wards")
        self.kinds = _labels(self.kinds, "kinds")
        for name in ("require_outpatient_course", "exclude_forensic"):
            if not isinstance(getattr(self, name), bool):
                raise ValidationError(f"population: {name} must be true or false")

    def roles_needed(self) -> list[str]:
        """The extract columns this population filters on."""
        roles = []
        if self.wards:
            roles.append("ward")
        if self.min_age is not None or self.max_age is not None:
            roles.append("age")
        if self.municipalities:
            roles.append("municipality")
        if self.require_outpatient_course:
            roles.append("outpatient")
        if self.exclude_forensic:
            roles.append("forensic")
        return roles

    def to_dict(self) -> dict[str, Any]:
        return {
            "min_age": self.min_age,
            "max_age": self.max_age,
            "municipalities": list(self.municipalities),
            "wards": list(self.wards),
            "kinds": list(self.kinds),
            "require_outpatient_course": self.require_outpatient_course,
            "exclude_forensic": self.exclude_forensic,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Population:
        if not isinstance(data, Mapping):
            raise ValidationError("a population must be a JSON object")
        unknown = set(data) - set(cls().to_dict())
        if unknown:
            raise ValidationError(f"unknown keys in the population: {', '.join(sorted(unknown))}")
        return cls(**dict(data))


@dataclass(frozen=True)
class Concentration:
    """How concentrated coercion is: the share of events caused by the 20 % of persons
    with most events (``top_persons`` = 20 % of ``persons``, rounded up)."""

    persons: int
    events: int
    top_persons: int
    top_events: int

    @property
    def share(self) -> float | None:
        return self.top_events / self.events if self.events else None

    @classmethod
    def of(cls, events_per_person: Iterable[int], fraction: float = 0.2) -> Concentration:
        counts = sorted(events_per_person, reverse=True)
        top = math.ceil(fraction * len(counts) - 1e-9) if counts else 0
        return cls(len(counts), sum(counts), top, sum(counts[:top]))

    def to_dict(self) -> dict[str, Any]:
        return {
            "persons": self.persons,
            "events": self.events,
            "top_persons": self.top_persons,
            "top_events": self.top_events,
            "share": self.share,
        }


@dataclass
class EventAggregate:
    """Monthly R1/R2/F1/F2 from one extract, and how the rows were used.

    ``values[indicator][period]`` covers every month from ``months[0]`` to
    ``months[-1]`` (a month without events is 0, not missing). ``outside`` counts rows
    outside the population by reason (see :data:`OUTSIDE_REASONS`); ``errors`` lists
    unreadable rows (at most ``max_errors``; ``error_count`` counts all);
    ``kinds_seen`` counts readable rows per kind label, so labels missing from
    ``kinds_for`` stand out. ``concentration`` is computed from the F2 events.
    ``workers`` (processes) and ``engine`` (``"arrow"`` or ``"python"``) say how the
    extract was read; they never change the figures.
    """

    source: Source
    values: dict[str, dict[str, int]]
    months: list[str]
    rows_read: int
    rows_counted: int
    outside: dict[str, int]
    errors: list[RowError]
    error_count: int
    kinds_seen: dict[str, int]
    kinds_for: dict[str, list[str] | None]
    concentration: Concentration
    concentration_by_year: dict[str, Concentration]
    workers: int = 1
    engine: str = "python"

    def measurement_rows(self) -> list[MeasurementRow]:
        """The monthly values as rows ready for :func:`build_preview` and the workspace."""
        from pdsa_core.importing.measurements import MeasurementRow

        return [
            MeasurementRow(indicator, period, float(value))
            for indicator, by_month in self.values.items()
            for period, value in by_month.items()
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source.to_dict(),
            "values": {k: dict(v) for k, v in self.values.items()},
            "months": list(self.months),
            "rows_read": self.rows_read,
            "rows_counted": self.rows_counted,
            "outside": dict(self.outside),
            "errors": [error.to_dict() for error in self.errors],
            "error_count": self.error_count,
            "kinds_seen": dict(self.kinds_seen),
            "kinds_for": {k: (list(v) if v is not None else None)
                          for k, v in self.kinds_for.items()},
            "concentration": self.concentration.to_dict(),
            "concentration_by_year": {y: c.to_dict()
                                      for y, c in self.concentration_by_year.items()},
        }


def resolve_kinds_for(
    kinds_for: Mapping[str, Iterable[str] | None] | None,
) -> dict[str, list[str] | None]:
    """Fill in the defaults of ``kinds_for`` and check it."""
    given = dict(kinds_for or {})
    unknown = set(given) - set(EVENT_INDICATORS)
    if unknown:
        raise ValidationError(f"kinds_for: unknown indicators {', '.join(sorted(unknown))}; "
                              f"use {', '.join(EVENT_INDICATORS)}")
    resolved: dict[str, list[str] | None] = {}
    for indicator in EVENT_INDICATORS:
        default: list[str] | None = (
            list(DEFAULT_ADMISSION_KINDS) if indicator.startswith("R") else None
        )
        value = given.get(indicator, default)
        if value is None:
            resolved[indicator] = None
            continue
        if isinstance(value, str):
            value = [value]
        labels = [str(label).strip() for label in value if str(label).strip()]
        if not labels:
            raise ValidationError(f"kinds_for[{indicator}] names no kind")
        resolved[indicator] = labels
    return resolved
