"""Force registrations (magtanvendelse) from a municipality's export, to F3 and F4.

Municipalities register each use of force under the social services act (serviceloven)
in their own case system, per bosted (residence). An export has one row per
registration; pdsa counts, per calendar month:

* **F3**: persons subjected to force (one person counts once per month, however many
  registrations and at however many bosteder);
* **F4**: uses of force (every registration counts, or the number in the ``antal``
  column when the export has one).

The default layout is the Danish headers below (matched ignoring case, spaces and
``_``); a municipality whose export uses other headers gives a layout (a JSON file)::

    {"date": "Dato for magtanvendelse", "residence": "Botilbud", "kind": "Indgrebstype",
     "person": "Borger-id", "count": null, "separator": ";", "sheet": null}

=========== ============================ ==========================================
key         default header               what it holds
=========== ============================ ==========================================
date        ``dato``                     the day of the use of force (15.03.2022, 2022-03-15,
                                         an Excel date; a time after it is ignored)
residence   ``bosted``                   the bosted / botilbud (may be empty)
kind        ``type``                     the kind of force (fastholdelse, ...); optional
person      ``borger``                   the citizen: a CPR number or a local pseudonym
count       ``antal`` (if present)       number of uses in the row (default 1)
=========== ============================ ==========================================

``residences`` (bosteder) and ``kinds`` restrict what is counted; rows outside are counted
by reason. Identifiers are used only in memory, as per-run salted digests
(:mod:`pdsa_core.importing.identifiers`): no result, error text or log holds one.
Other code that gets such an export (a plugin's data source that queries a municipal
system) calls :func:`read_force_registrations` with the bytes it received and
:func:`force_result` to get an :class:`~pdsa_core.ImportResult` or
:class:`~pdsa_core.SourceResult`: there is one parser.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pdsa_core.errors import DataImportError, ValidationError
from pdsa_core.importing.identifiers import PersonKeys, canonical_identifier, columns_text
from pdsa_core.importing.measurements import MeasurementRow
from pdsa_core.importing.municipal_codes import PERSONS_INDICATOR, USES_INDICATOR
from pdsa_core.importing.numbers import parse_count
from pdsa_core.importing.periods import excel_serial_date, month_span, parse_day, read_period
from pdsa_core.importing.problems import ImportProblem, RowError
from pdsa_core.importing.tables import (
    EXCEL_SUFFIXES,
    Source,
    Table,
    normalise_header,
    read_csv_bytes,
    read_table,
)
from pdsa_core.output_files import refuse_special_input
from pdsa_core.redaction import redact

#: reasons a row is not counted (Danish, English)
OUTSIDE = {
    "residence": ("andet bosted", "other bosted"),
    "kind": ("type medregnes ikke", "kind of force not counted"),
    "period": ("uden for de valgte måneder", "outside the months chosen"),
}

#: row problems of this module (code -> Danish, English); never quoting a cell
PROBLEMS = {
    "date_missing": ("datoen mangler", "the date is missing"),
    "date_invalid": (
        "ikke en gyldig dato (brug fx 15.03.2022)",
        "not a valid date (use e.g. 15.03.2022)",
    ),
    "count_invalid": (
        "antal skal være et helt tal, 1 eller mere",
        "the count must be a whole number, 1 or more",
    ),
}

_ROLES = ("date", "residence", "kind", "person", "count")


@dataclass
class ForceLayout:
    """Which header of the export holds what (see the module text). ``kind`` and
    ``count`` may be ``None`` (no such column); ``count`` defaults to ``antal`` and is
    used only when the export has it. ``separator`` (CSV) and ``sheet`` (``.xlsx``)
    are detected / the first sheet when ``None``."""

    date: str = "dato"
    residence: str | None = "bosted"
    kind: str | None = "type"
    person: str = "borger"
    count: str | None = "antal"
    separator: str | None = None
    sheet: str | int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {role: getattr(self, role) for role in (*_ROLES, "separator", "sheet")}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ForceLayout:
        if not isinstance(data, Mapping):
            raise ValidationError("a force-registration layout must be a JSON object")
        unknown = sorted(set(data) - set(cls().to_dict()))
        if unknown:
            raise ValidationError(
                f"unknown keys in the layout: {', '.join(unknown)} (keys: {', '.join(cls().to_dict())})"
            )
        values: dict[str, Any] = {}
        for role in _ROLES:
            if role not in data:
                continue
            value = data[role]
            if value is None and role in ("date", "person"):
                raise ValidationError(f"layout: the {role} column is required")
            if value is not None and (not isinstance(value, str) or not value.strip()):
                raise ValidationError(f"layout: {role} must be a column name or null")
            values[role] = value
        separator = data.get("separator")
        if separator is not None and separator not in (";", ",", "\t", "|"):
            raise ValidationError("layout: separator must be ; , tab or |")
        sheet = data.get("sheet")
        if sheet is not None and (isinstance(sheet, bool) or not isinstance(sheet, str | int)):
            raise ValidationError("layout: sheet must be a name or an index")
        return cls(**values, separator=separator, sheet=sheet)

    @classmethod
    def load(cls, path: str | Path) -> ForceLayout:
        """A layout from a JSON file."""
        refuse_special_input(path)  # a named pipe would be waited on for ever
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
        except OSError as exc:
            raise DataImportError(f"cannot read the layout file: {exc.strerror}", where=str(path)) from None
        except ValueError as exc:
            raise ValidationError(f"the layout file is not valid JSON ({exc})", where=str(path)) from None
        try:
            return cls.from_dict(data)
        except ValidationError as exc:
            raise ValidationError(exc.message, where=str(path)) from None


def normalise_residence(text: str) -> str:
    """``" Bostedet  Solhøj "`` and ``"bostedet solhøj"`` are the same bosted."""
    return " ".join(str(text).casefold().split())


@dataclass
class ForceAggregate:
    """Monthly F3/F4 from one export, per bosted too, and how the rows were used.

    ``persons[month]`` (F3) and ``uses[month]`` (F4) cover every month from the first to
    the last month with a readable row (0 when none were counted). ``by_residence[bosted]``
    holds ``{"persons": {month: n}, "uses": {month: n}}`` with the bosted as first written.
    """

    source: Source
    persons: dict[str, int]
    uses: dict[str, int]
    months: list[str]
    by_residence: dict[str, dict[str, dict[str, int]]]
    rows_read: int
    rows_counted: int
    outside: dict[str, int]
    errors: list[RowError]
    error_count: int
    residences_seen: dict[str, int]
    kinds_seen: dict[str, int]
    residences: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)

    def measurement_rows(
        self, persons_indicator: str | None = PERSONS_INDICATOR, uses_indicator: str | None = USES_INDICATOR
    ) -> list[MeasurementRow]:
        rows = []
        if persons_indicator:
            rows += [MeasurementRow(persons_indicator, m, float(self.persons[m])) for m in self.months]
        if uses_indicator:
            rows += [MeasurementRow(uses_indicator, m, float(self.uses[m])) for m in self.months]
        return rows

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source.to_dict(),
            "months": list(self.months),
            "persons": dict(self.persons),
            "uses": dict(self.uses),
            "by_residence": self.by_residence,
            "rows_read": self.rows_read,
            "rows_counted": self.rows_counted,
            "outside": dict(self.outside),
            "errors": [e.to_dict() for e in self.errors],
            "error_count": self.error_count,
            "residences_seen": dict(self.residences_seen),
            "kinds_seen": dict(self.kinds_seen),
            "residences": list(self.residences),
            "kinds": list(self.kinds),
        }


def _month_option(value: str | None, name: str) -> str | None:
    if value is None or not str(value).strip():
        return None
    try:
        return read_period(str(value))
    except ImportProblem as exc:
        raise ValidationError(f"{name} month: {exc.reason_en}") from None


def _names(values: Iterable[str] | str | None) -> list[str]:
    """A list of bosteder/kinds: a list, or one text separated by commas or semicolons."""
    if values is None:
        return []
    if isinstance(values, str):
        values = values.replace(";", ",").split(",")
    return [v.strip() for v in values if v and v.strip()]


def _table(source: str | Path | bytes, name: str | None, layout: ForceLayout) -> Table:
    if isinstance(source, bytes | bytearray):
        return read_csv_bytes(
            bytes(source), name=name or "export.csv", header_rows=1, separator=layout.separator
        )
    path = Path(source)
    refuse_special_input(path, DataImportError)  # a named pipe: never waited on
    if not path.is_file():
        raise DataImportError("no such file", where=str(path))
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return read_table(path, sheet=layout.sheet, header_rows=1)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataImportError(f"cannot read the file: {exc.strerror}", where=path.name) from None
    return read_csv_bytes(data, name=name or path.name, header_rows=1, separator=layout.separator)


def _relabelled(counts: Counter[str], shown: Any) -> Counter[str]:
    merged: Counter[str] = Counter()
    for label, count in counts.items():
        merged[shown(label)] += count
    return merged


def _relabelled_pairs(counts: Counter[tuple[str, str]], shown: Any) -> Counter[tuple[str, str]]:
    merged: Counter[tuple[str, str]] = Counter()
    for (label, month), count in counts.items():
        merged[(shown(label), month)] += count
    return merged


def _merged_sets(
    sets: dict[tuple[str, str], set[tuple[int, int]]], shown: Any
) -> dict[tuple[str, str], set[tuple[int, int]]]:
    merged: dict[tuple[str, str], set[tuple[int, int]]] = defaultdict(set)
    for (label, month), persons in sets.items():
        merged[(shown(label), month)] |= persons
    return merged


def _column(table: Table, layout: ForceLayout, role: str, *, required: bool) -> int | None:
    wanted = getattr(layout, role)
    if wanted is None:
        return None
    key = normalise_header(wanted)
    for position, header in enumerate(table.headers):
        if normalise_header(header) == key:
            return position
    if not required:
        return None
    en, da = columns_text([str(h) for h in table.headers[:30]])
    raise DataImportError(
        f"the export has no column {wanted!r} ({role}); {en}. Give the "
        "export's own headers in a layout file (keys date, residence, kind, person, count)",
        where=table.source.label(),
        da=f"eksporten har ingen kolonne {wanted!r} ({role}); {da}. Angiv eksportens egne "
        "overskrifter i en layoutfil (nøglerne date, residence, kind, person, count)",
    )


def _required_column(table: Table, layout: ForceLayout, role: str) -> int:
    position = _column(table, layout, role, required=True)
    if position is None:  # the layout itself names no column for it
        raise DataImportError(
            f"the layout names no column for {role}, and the export cannot be read without one",
            where=table.source.label(),
        )
    return position


def _month_of(cell: Any) -> str:
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        raise ImportProblem("timestamp_missing")
    if isinstance(cell, dt.datetime | dt.date):
        return f"{cell.year:04d}-{cell.month:02d}"
    if isinstance(cell, bool):
        raise ImportProblem("timestamp_invalid")
    if isinstance(cell, int | float):
        day = excel_serial_date(cell)
        return f"{day.year:04d}-{day.month:02d}"
    day = parse_day(str(cell))
    return f"{day.year:04d}-{day.month:02d}"


def _identifier_text(cell: Any) -> str:
    """A cell as identifier text: an Excel number (a CPR whose leading zero was lost) as digits."""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, int) and not isinstance(cell, bool):
        return str(cell)
    return "" if cell is None else str(cell)


def read_force_registrations(
    source: str | Path | bytes,
    *,
    name: str | None = None,
    layout: ForceLayout | None = None,
    residences: Iterable[str] | str | None = None,
    kinds: Iterable[str] | str | None = None,
    first: str | None = None,
    last: str | None = None,
    max_errors: int = 1000,
) -> ForceAggregate:
    """Count F3 and F4 per month in a municipality's export (a CSV/``.xlsx`` path, or the
    CSV bytes a data source received, named ``name``).

    ``residences`` and ``kinds`` (lists, or text separated by commas) restrict the rows
    counted; ``first`` and ``last`` (months, e.g. ``2022-01``) fix the months reported
    (default: the first and the last month with a readable row; rows outside are not
    counted). Rows that cannot be read become
    :class:`RowError` s (at most ``max_errors`` kept; ``error_count`` counts all) that
    never repeat a cell. Raises :class:`DataImportError` when the file cannot be read
    as such an export at all.
    """
    layout = layout or ForceLayout()
    chosen_residences = _names(residences)
    chosen_kinds = _names(kinds)
    first = _month_option(first, "first")
    last = _month_option(last, "last")
    if first and last and last < first:
        raise ValidationError(f"the last month ({last}) is before the first ({first})")
    table = _table(source, name, layout)
    date_at = _required_column(table, layout, "date")
    person_at = _required_column(table, layout, "person")
    residence_at = _column(table, layout, "residence", required=bool(chosen_residences))
    kind_at = _column(table, layout, "kind", required=bool(chosen_kinds))
    count_at = _column(table, layout, "count", required=False)
    header = {
        role: redact(table.headers[at])
        for role, at in (
            ("date", date_at),
            ("person", person_at),
            ("residence", residence_at),
            ("kind", kind_at),
            ("count", count_at),
        )
        if at is not None
    }
    wanted_residences = {normalise_residence(r) for r in chosen_residences}
    wanted_kinds = {normalise_residence(k) for k in chosen_kinds}
    keys = PersonKeys()
    persons: dict[str, set[tuple[int, int]]] = defaultdict(set)
    uses: Counter[str] = Counter()
    residence_persons: dict[tuple[str, str], set[tuple[int, int]]] = defaultdict(set)
    residence_uses: Counter[tuple[str, str]] = Counter()
    residence_label: dict[str, str] = {}
    residences_seen: Counter[str] = Counter()
    kinds_seen: Counter[str] = Counter()
    outside: Counter[str] = Counter()
    errors: list[RowError] = []
    error_count = 0
    readable_months: set[str] = set()
    counted = 0
    everyone: set[tuple[int, int]] = set()  # every person of the export: never shown as a label
    texts: dict[str, str] = {}  # a shown label -> the cell text it was read from

    def fail(row: int, role: str, code: str, exc: ImportProblem | None = None) -> None:
        nonlocal error_count
        error_count += 1
        if len(errors) >= max_errors:
            return
        if exc is not None:
            errors.append(RowError.from_problem(row, header.get(role), exc))
        else:
            da, en = PROBLEMS[code]
            errors.append(RowError(row, header.get(role), code, da, en))

    for number, cells in zip(table.row_numbers, table.rows, strict=True):
        try:
            month = _month_of(cells[date_at])
        except ImportProblem as exc:
            code = "date_missing" if exc.code == "timestamp_missing" else "date_invalid"
            fail(number, "date", code)
            continue
        try:
            person = keys.key(canonical_identifier(_identifier_text(cells[person_at])))
        except ImportProblem as exc:
            fail(number, "person", exc.code, exc)
            continue
        everyone.add(person)
        count = 1
        if count_at is not None and cells[count_at] is not None:
            try:
                count = parse_count(cells[count_at], decimal=table.decimal)
            except ImportProblem:
                count = 0
            if count < 1:
                fail(number, "count", "count_invalid")
                continue
        residence_text = (
            redact(" ".join(str(cells[residence_at]).split()))
            if (residence_at is not None and cells[residence_at] is not None)
            else ""
        )
        kind_text = (
            " ".join(str(cells[kind_at]).split())
            if (kind_at is not None and cells[kind_at] is not None)
            else ""
        )
        residence = normalise_residence(residence_text)
        readable_months.add(month)
        residences_seen[residence_text or "–"] += count
        texts.setdefault(residence_text or "–", residence_text)
        if kind_text:
            kinds_seen[normalise_residence(redact(kind_text))] += count
            texts.setdefault(normalise_residence(redact(kind_text)), kind_text)
        if (first and month < first) or (last and month > last):
            outside["period"] += 1
            continue
        if wanted_residences and residence not in wanted_residences:
            outside["residence"] += 1
            continue
        if wanted_kinds and normalise_residence(kind_text) not in wanted_kinds:
            outside["kind"] += 1
            continue
        counted += 1
        persons[month].add(person)
        uses[month] += count
        label = residence_label.setdefault(residence, residence_text or "–")
        residence_persons[(label, month)].add(person)
        residence_uses[(label, month)] += count

    def shown(label: str) -> str:
        """``***`` for a label that is the identifier of a person in the export (a column
        mix-up): an identifier is never shown, whatever its shape."""
        try:
            found = keys.key(canonical_identifier(texts.get(label, label)))
        except ImportProblem:
            return label
        return "***" if found in everyone else label

    kinds_seen = _relabelled(kinds_seen, shown)
    residences_seen = _relabelled(residences_seen, shown)
    residence_label = {k: shown(v) for k, v in residence_label.items()}
    residence_persons = _merged_sets(residence_persons, shown)
    residence_uses = _relabelled_pairs(residence_uses, shown)
    start = first or (min(readable_months) if readable_months else None)
    end = last or (max(readable_months) if readable_months else None)
    months = month_span(start, end) if start and end else []
    by_residence: dict[str, dict[str, dict[str, int]]] = {}
    for label in sorted(set(residence_label.values())):
        by_residence[label] = {
            "persons": {m: len(residence_persons.get((label, m), ())) for m in months},
            "uses": {m: residence_uses.get((label, m), 0) for m in months},
        }
    return ForceAggregate(
        source=table.source,
        persons={m: len(persons.get(m, ())) for m in months},
        uses={m: uses.get(m, 0) for m in months},
        months=months,
        by_residence=by_residence,
        rows_read=len(table.rows),
        rows_counted=counted,
        outside=dict(outside),
        errors=errors,
        error_count=error_count,
        residences_seen=dict(residences_seen),
        kinds_seen=dict(kinds_seen),
        residences=chosen_residences,
        kinds=chosen_kinds,
    )


def force_result(
    aggregate: ForceAggregate,
    *,
    persons_indicator: str | None = PERSONS_INDICATOR,
    uses_indicator: str | None = USES_INDICATOR,
    source: str = "",
    retrieved_at: str | None = None,
    url: str = "",
) -> Any:
    """The aggregate as an :class:`~pdsa_core.ImportResult` (or, with ``retrieved_at``, a
    :class:`~pdsa_core.SourceResult` for a data source). Row errors travel in
    ``details["row_errors"]`` so pdsa refuses the import unless the user skips them."""
    from pdsa_core.extension_types import ImportResult, SourceResult
    from pdsa_core.services.indicators import MeasurementInput

    measurements = tuple(
        MeasurementInput(row.indicator, row.period, value=row.value)
        for row in aggregate.measurement_rows(persons_indicator, uses_indicator)
    )
    warnings = []
    if aggregate.residences:
        seen = {normalise_residence(r) for r in aggregate.residences_seen}
        absent = [r for r in aggregate.residences if normalise_residence(r) not in seen]
        if absent:
            warnings.append(f"no registrations at {', '.join(absent)} in the export (check the spelling)")
    if not aggregate.rows_counted:
        warnings.append("no registration in the export was counted")
    details = {
        "months": list(aggregate.months),
        "rows_counted": aggregate.rows_counted,
        "outside": dict(aggregate.outside),
        "by_residence": aggregate.by_residence,
        "kinds_seen": dict(aggregate.kinds_seen),
        "residences": list(aggregate.residences),
    }
    if aggregate.errors:
        details["row_errors"] = [e.to_dict() for e in aggregate.errors]
    label = source or "municipal force registrations" + (
        f" ({', '.join(aggregate.residences)})" if aggregate.residences else ""
    )
    common: dict[str, Any] = {
        "measurements": measurements,
        "warnings": tuple(warnings),
        "source": label[:500],
        "source_file": aggregate.source.file,
        "source_sheet": aggregate.source.sheet or "",
        "rows_read": aggregate.rows_read,
        "rows_skipped": aggregate.error_count,
        "details": details,
    }
    if retrieved_at is not None:
        return SourceResult(**common, retrieved_at=retrieved_at, url=url)
    return ImportResult(**common)
