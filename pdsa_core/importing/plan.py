"""An import plan (the rows read and the row errors), its preview against the stored values,
and its commit in one all-or-nothing transaction. See :mod:`pdsa_core.importing.service`.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pdsa_core.domain import Indicator, Unit, parse_period
from pdsa_core.domain.measurement import check_unit, checked_fields
from pdsa_core.errors import DataImportError, ValidationError
from pdsa_core.extension_types import (
    AnnotationInput,
    ImportResult,
    apply_result,
)
from pdsa_core.i18n import add_texts
from pdsa_core.importing.mapping import (
    ColumnMapping,
    MappingGuess,
)
from pdsa_core.importing.mapping_changes import column_meanings, mapping_dict
from pdsa_core.importing.measurements import MeasurementRow
from pdsa_core.importing.preview import Preview, build_preview
from pdsa_core.importing.problems import RowError, short
from pdsa_core.importing.saved import save_mapping
from pdsa_core.importing.tables import Table
from pdsa_core.redaction import redact, redact_optional
from pdsa_core.services.indicators import MeasurementInput
from pdsa_core.startup import paused_gc

if TYPE_CHECKING:
    from pdsa_core.workspace import Workspace

add_texts(
    {
        "imports.mapping_saved_fits": (
            "bruger den gemte kortlægning '{name}' (den passer til filens kolonner)",
            "using the saved mapping '{name}' (it fits the file's columns)",
        ),
        "imports.not_stored": (
            "{codes} gemmes ikke: teamet har ingen sådan indikator",
            "{codes} not stored: the team has no such indicator",
        ),
        "imports.not_chosen": (
            "{codes} gemmes ikke: ikke valgt med --indicator",
            "{codes} not stored: not chosen with --indicator",
        ),
        "imports.rows_without_value": (
            "{count} rækker uden værdier blev sprunget over",
            "{count} rows without values were passed over",
        ),
    }
)


#: problem texts of this module (code -> Danish, English)
_UNIT_PROBLEMS = {
    "unit_needs_fraction": (
        "{code} er en andel: kortlæg en tæller- og en nævnerkolonne, ikke en værdi",
        "{code} is a proportion: map a numerator and a denominator column, not a value",
    ),
    "unit_not_fraction": (
        "{code} er en {unit}: kortlæg en værdikolonne, ikke tæller og nævner",
        "{code} is a {unit}: map a value column, not a numerator and a denominator",
    ),
    "count_not_whole": (
        "{code} er et antal og skal være et helt tal: {text}",
        "{code} is a count and must be a whole number: {text}",
    ),
    "invalid_value": (
        "{code}: værdien kan ikke gemmes ({reason})",
        "{code}: the value cannot be stored ({reason})",
    ),
}


_UNIT_DA = {"count": "antal", "rate": "rate", "proportion": "andel"}


def _row_error(row: int | None, column: str | None, problem: str, **params: Any) -> RowError:
    da, en = _UNIT_PROBLEMS[problem]
    params_da = dict(params)
    if "unit" in params:
        params_da["unit"] = _UNIT_DA.get(params["unit"], params["unit"])
    return RowError(row, redact_optional(column), problem, da.format(**params_da), en.format(**params))


# -- plans and results -----------------------------------------------------------------------------------
@dataclass
class ImportPlan:
    """What an import would store, read but not yet written.

    ``kind`` is ``table``, ``events``, ``importer``, ``source`` or ``rate``. ``rows`` are the
    monthly values that can be stored (indicator codes as the team spells them);
    ``errors`` the rows that cannot be read (``error_count`` counts all of them when the
    list was cut short). ``source``, ``source_file`` and ``source_sheet`` are stored with
    each value. ``mapping``/``guess``/``table`` are set for a table, ``events`` (a summary
    with no identifier in it) for an event extract, ``details`` for a plugin's result.
    ``preview`` is filled in by :func:`preview`.
    """

    kind: str
    team_id: str
    team_name: str
    source: str
    source_file: str = ""
    source_sheet: str = ""
    rows: list[MeasurementRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    annotations: list[AnnotationInput] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    not_stored: list[str] = field(default_factory=list)
    rows_read: int = 0
    # a measurement table
    table: Table | None = field(default=None, repr=False)
    mapping: ColumnMapping | None = None
    mapping_origin: str = ""  # "guessed", "saved", "given"
    mapping_name: str | None = None
    changes: list[str] = field(default_factory=list)
    guess: MappingGuess | None = None
    sheet_given: bool = False
    sheets: list[str] = field(default_factory=list)
    # an event extract
    events: dict[str, Any] | None = None
    # an importer's or a source's result
    details: dict[str, Any] = field(default_factory=dict)
    importer: str = ""
    rate: dict[str, Any] | None = field(default=None, repr=False)
    preview: Preview | None = None

    @property
    def problems(self) -> list[tuple[str, str]]:
        """Why no mapping could be used (Danish, English); empty when there is one."""
        if self.kind != "table" or self.mapping is not None:
            return []
        if self.guess is not None and self.guess.problems:
            return list(self.guess.problems)
        return [("ingen brugbar kortlægning af kolonnerne", "no usable column mapping")]

    @property
    def can_commit(self) -> bool:
        """True when :func:`commit` would write without ``skip_errors``."""
        return not self.problems and not self.error_count and bool(self.rows or self.annotations)

    @property
    def indicators(self) -> list[str]:
        return sorted({row.indicator for row in self.rows})

    @property
    def unmapped(self) -> list[str]:
        """Columns of the table the mapping does not read (they are not imported)."""
        if self.table is None:
            return []
        used = set(column_meanings(self.mapping))
        return [redact_optional(h) or "" for h in self.table.headers if h not in used]

    def table_info(self) -> dict[str, Any] | None:
        """The file as read: name, sheet, encoding, separator, decimal mark, headers, rows."""
        if self.table is None:
            return None
        table = self.table
        return {
            "file": table.source.file,
            "sheet": table.source.sheet,
            "sheets": list(self.sheets),
            "encoding": table.encoding,
            "separator": table.separator,
            "decimal": table.decimal,
            "headers": [redact_optional(h) for h in table.headers],
            "header_rows": list(table.header_row_numbers),
            "rows": len(table.rows),
        }

    def mapping_lines(self) -> list[tuple[str, str]]:
        """(column, meaning) for each column of the table: how the mapping reads it."""
        if self.table is None:
            return []
        meaning = column_meanings(self.mapping)
        return [(redact_optional(h) or "", meaning.get(h, "")) for h in self.table.headers]

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "team": {"id": self.team_id, "name": self.team_name},
            "source": self.source,
            "source_file": self.source_file,
            "source_sheet": self.source_sheet,
            "file": self.table_info(),
            "mapping": mapping_dict(self.mapping),
            "mapping_origin": self.mapping_origin or None,
            "mapping_name": self.mapping_name,
            "changes": [redact(c) for c in self.changes],
            "guessed_mapping": mapping_dict(self.guess.mapping) if self.guess else None,
            "unmapped": self.unmapped,
            "problems": [{"da": da, "en": en} for da, en in self.problems],
            "rows": [row.to_dict() for row in self.rows],
            "errors": [error.to_dict() for error in self.errors],
            "error_count": self.error_count,
            "annotations": [
                {
                    "date": a.date,
                    "text": a.text,
                    "kind": a.kind,
                    "indicators": list(a.indicators),
                    "phase_split": a.phase_split,
                }
                for a in self.annotations
            ],
            "warnings": list(self.warnings),
            "not_stored": list(self.not_stored),
            "rows_read": self.rows_read,
            "events": self.events,
            "details": self.details,
            "importer": self.importer or None,
            "preview": self.preview.to_dict() if self.preview else None,
        }


@dataclass(frozen=True)
class CommitResult:
    """What :func:`commit` wrote: counts, the annotations added, the rows skipped."""

    added: int
    changed: int
    unchanged: int
    annotations: tuple[Any, ...] = ()
    skipped: tuple[RowError, ...] = ()
    skipped_count: int = 0
    mapping_saved: str | None = None
    created_indicator: str | None = None
    months_without_population: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "annotations": [a.to_dict() for a in self.annotations],
            "skipped": [e.to_dict() for e in self.skipped],
            "skipped_count": self.skipped_count,
            "mapping_saved": self.mapping_saved,
            "created_indicator": self.created_indicator,
            "months_without_population": list(self.months_without_population),
        }


# -- rows and inputs -------------------------------------------------------------------------------------
def row_to_input(row: MeasurementRow, note: str = "") -> MeasurementInput:
    """A row read from a file as the workspace stores it (a fraction stays a fraction)."""
    if row.numerator is not None and row.denominator is not None:
        return MeasurementInput(
            row.indicator, row.period, numerator=row.numerator, denominator=row.denominator, note=note
        )
    return MeasurementInput(row.indicator, row.period, value=row.value, note=note)


def input_to_row(item: MeasurementInput, source_row: int | None = None) -> MeasurementRow:
    """A value from an importer or source as a row for :func:`build_preview`."""
    numerator, denominator = item.numerator, item.denominator
    if numerator is not None and denominator is not None:
        value = numerator / denominator if denominator else math.nan
        return MeasurementRow(
            item.indicator, item.period, value, float(numerator), float(denominator), source_row
        )
    return MeasurementRow(
        item.indicator,
        item.period,
        float(item.value if item.value is not None else math.nan),
        None,
        None,
        source_row,
    )


def team_indicators(ws: Workspace, team_id: str) -> dict[str, Indicator]:
    return {i.code.lower(): i for i in ws.indicators(team_id)}


def check_rows(
    rows: Iterable[MeasurementRow],
    indicators: Mapping[str, Indicator],
    column_of: Mapping[str, tuple[str | None, str | None]] | None = None,
) -> tuple[list[MeasurementRow], list[RowError], list[str]]:
    """Rows with the team's spelling of each code, checked against the indicator's unit.

    Returns (good rows, row errors, codes the team does not have). ``column_of[code]`` is
    (value column, numerator column) for naming the column of an error.
    """
    good: list[MeasurementRow] = []
    errors: list[RowError] = []
    unknown: list[str] = []
    checked: dict[tuple[Any, ...], str | None] = {}
    columns = column_of or {}
    for row in rows:
        indicator = indicators.get(row.indicator.strip().lower())
        if indicator is None:
            if row.indicator not in unknown:
                unknown.append(row.indicator)
            continue
        code = indicator.code
        value_col, numerator_col = columns.get(code, (None, None))
        if row.source_column:  # months across the header: the month's column
            value_col = numerator_col = row.source_column
        fraction = row.numerator is not None and row.denominator is not None
        unit = indicator.unit
        if unit is _PROPORTION and not fraction:
            errors.append(_row_error(row.source_row, value_col, "unit_needs_fraction", code=code))
            continue
        if unit is not _PROPORTION and fraction:
            errors.append(
                _row_error(row.source_row, numerator_col, "unit_not_fraction", code=code, unit=unit.value)
            )
            continue
        if unit is _COUNT and math.isfinite(row.value) and row.value != int(row.value):
            errors.append(
                _row_error(
                    row.source_row, value_col, "count_not_whole", code=code, text=short(f"{row.value:g}")
                )
            )
            continue
        reason = _value_problem(code, unit, row, fraction, checked)
        if reason is not None:
            errors.append(
                _row_error(
                    row.source_row,
                    numerator_col if fraction else value_col,
                    "invalid_value",
                    code=code,
                    reason=reason,
                )
            )
            continue
        good.append(dataclasses.replace(row, indicator=code) if code != row.indicator else row)
    return good, errors, unknown


#: the units as module constants (an enum member looked up on its class costs ~0.1 us, per row)
_PROPORTION, _COUNT = Unit.PROPORTION, Unit.COUNT

#: the types of a value whose check can be remembered (1 and True are equal as keys, not as values)
_PLAIN_VALUES = frozenset({float, type(None)})


def _value_problem(
    code: str, unit: Unit, row: MeasurementRow, fraction: bool, checked: dict[tuple[Any, ...], str | None]
) -> str | None:
    """Why the row's value cannot be stored as the indicator's measurement, or None.

    The check is the measurement's own (``checked_fields``, then ``check_unit``). It checks
    the month first; with a valid month, its outcome depends only on the value, so it is
    decided once per distinct value (``checked``): a table repeats its values.
    """
    value = None if fraction else row.value
    key = (code, unit, value, row.numerator, row.denominator)
    plain = _PLAIN_VALUES.issuperset((type(value), type(row.numerator), type(row.denominator)))
    if plain:
        try:
            parse_period(row.period)
        except ValidationError as exc:
            return exc.message
        if key in checked:
            return checked[key]
    try:
        _, value, numerator, denominator, _ = checked_fields(
            row.period, value, row.numerator, row.denominator, ""
        )
        check_unit(code, unit, value, numerator, denominator)
    except ValidationError as exc:
        reason: str | None = exc.message
    else:
        reason = None
    if plain:
        checked[key] = reason
    return reason


def sorted_errors(errors: Iterable[RowError]) -> list[RowError]:
    return sorted(errors, key=lambda e: (e.row is None, e.row or 0, e.column or ""))


# -- preview and commit -------------------------------------------------------------------------------------
@paused_gc()
def preview(ws: Workspace, plan: ImportPlan) -> Preview:
    """Compare the plan's rows with the team's stored values; also sets ``plan.preview``."""
    existing: dict[tuple[str, str], tuple[float | None, float | None, float | None]] = {}
    indicators = team_indicators(ws, plan.team_id)
    for code in {row.indicator for row in plan.rows}:
        indicator = indicators.get(code.lower())
        if indicator is None:
            continue  # a rate indicator created by the commit
        for m in ws.measurements(plan.team_id, indicator.code):
            existing[(indicator.code, m.period)] = (m.value, m.numerator, m.denominator)
    plan.preview = build_preview(plan.rows, existing)
    return plan.preview


def refusal(errors: Sequence[RowError], count: int) -> str:
    first = "; ".join(e.message("en") for e in errors[:3])
    more = f" (and {count - 3} more)" if count > 3 else ""
    if count == len(errors):
        rows = len({e.row for e in errors})
        plural = "s" if count != 1 else ""
        what = f"{rows} row{'s' if rows != 1 else ''} cannot be read ({count} problem{plural})"
    else:
        what = f"rows cannot be read ({count} problems)"
    return (
        f"{what}, so nothing was written: {first}{more}. "
        "Correct the file, or import the other rows with --skip-errors"
    )


@paused_gc()  # a value's input, data and document each: many objects, no cycles
def commit(
    ws: Workspace, plan: ImportPlan, *, skip_errors: bool = False, save_mapping_as: str | None = None
) -> CommitResult:
    """Write the plan's values (and annotations) in one all-or-nothing transaction.

    Refused (:class:`DataImportError`, nothing written) when the table has no usable
    mapping, when there are row errors and ``skip_errors`` is False, or when there is
    nothing to write. ``save_mapping_as`` saves the table's mapping for the team after a
    successful write.
    """
    if plan.problems:
        raise DataImportError(
            "no usable column mapping: "
            + "; ".join(en for _, en in plan.problems)
            + "; adjust it with COLUMN=ROLE changes (--map)",
            where=plan.source_file or None,
        )
    if plan.error_count and not skip_errors:
        raise DataImportError(refusal(plan.errors, plan.error_count), where=plan.source_file or None)
    if not plan.rows and not plan.annotations:
        raise DataImportError("there are no values to import", where=plan.source_file or None)
    if save_mapping_as is not None and plan.mapping is None:
        raise ValidationError("only a measurement table has a column mapping to save")
    if plan.kind == "rate" and plan.rate is not None:
        return _commit_rate(ws, plan)
    result = ImportResult(
        measurements=tuple(row_to_input(row) for row in plan.rows),
        annotations=tuple(plan.annotations),
        source=plan.source,
        source_file=plan.source_file,
        source_sheet=plan.source_sheet,
    )
    written, added = apply_result(ws, plan.team_id, result)
    saved = None
    if save_mapping_as is not None and plan.mapping is not None:
        save_mapping(ws, plan.team_id, save_mapping_as, plan.mapping)
        saved = save_mapping_as
    return CommitResult(
        written.added,
        written.changed,
        written.unchanged,
        tuple(added),
        skipped=tuple(plan.errors) if skip_errors else (),
        skipped_count=plan.error_count if skip_errors else 0,
        mapping_saved=saved,
    )


def _commit_rate(ws: Workspace, plan: ImportPlan) -> CommitResult:
    from pdsa_core.sources.rates import store_rate_indicator

    assert plan.rate is not None
    spec = plan.rate
    created = spec["into"].lower() not in team_indicators(ws, plan.team_id)
    written, missing = store_rate_indicator(
        ws, plan.team_id, spec["count"], spec["series"], into=spec["into"]
    )
    return CommitResult(
        written.added,
        written.changed,
        written.unchanged,
        created_indicator=spec["into"] if created else None,
        months_without_population=tuple(missing),
    )
