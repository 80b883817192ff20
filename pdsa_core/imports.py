"""The import service: one flow for every way values come into a workspace.

Whatever the values come from (a measurement table with a column mapping, an event
extract with a population, an importer registered by a plugin, a data source), an
import goes through the same three steps, which the CLI (``pdsa import``, ``pdsa source
fetch``) and the TUI's import screen both call:

1. **read** into an :class:`ImportPlan`: the monthly rows that can be stored, and the
   row errors (row number, column, reason in Danish and English);
2. :func:`preview` against the team's stored values: what would be added, changed
   (old -> new), left unchanged, and which months are missing;
3. :func:`commit`: refused while there are row errors unless ``skip_errors=True``; then
   every value (and any annotation) is written in one all-or-nothing transaction, each
   with its source, source file, sheet and import time. A month imported again replaces
   the stored value and keeps the earlier one as a revision with its source.

::

    from pdsa_core import imports

    plan = imports.read_file(ws, "Psykiatrien Syd", "tvang.csv")     # mapping guessed
    plan = imports.remap(ws, plan, changes=[imports.MappingChange.parse("Antal=R2")])
    imports.preview(ws, plan)          # plan.preview.added / .changed / .missing
    done = imports.commit(ws, plan, save_mapping_as="maanedlig")

    plan = imports.read_events(ws, team, "udtraek.csv", population="voksne")
    plan = imports.run_importer(ws, plugins, "municipal-force", "magt.csv", team, {"bosted": "Solhøj"})
    plan = imports.plan_from_result(ws, team, imports.fetch(plugins, "statbank", ["FOLK1AM"],
                                                            {"municipality": "851"}))

Privacy: an event extract's identifiers never reach this module (see
:mod:`pdsa_core.importing.identifiers`); header texts and column names shown or saved
from here are passed through :func:`~pdsa_core.importing.identifiers.redact`, and a
mapping holding anything shaped like a CPR number is refused before it is saved.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pdsa_core.domain import Indicator, Measurement, Unit
from pdsa_core.errors import DataImportError, NotFoundError, ValidationError
from pdsa_core.extension_types import (
    AnnotationInput,
    ImportResult,
    SourceResult,
    apply_result,
    refuse_person_identifier,
)
from pdsa_core.i18n import add_texts, t
from pdsa_core.importing.events import (
    OUTSIDE_REASONS,
    EventLayout,
    Population,
    aggregate_events,
    resolve_kinds_for,
)
from pdsa_core.importing.identifiers import redact
from pdsa_core.importing.mapping import (
    ColumnMapping,
    IndicatorColumns,
    MappingGuess,
    _period_column,
    guess_mapping,
)
from pdsa_core.importing.measurements import MeasurementRow, read_measurements
from pdsa_core.importing.periods import parse_period
from pdsa_core.importing.preview import Preview, build_preview
from pdsa_core.importing.problems import ImportProblem, RowError, short
from pdsa_core.importing.tables import Table, list_sheets, normalise_header, read_table
from pdsa_core.services.indicators import MeasurementInput

__all__ = [
    "CommitResult",
    "ImportPlan",
    "MappingChange",
    "apply_changes",
    "check_period_range",
    "commit",
    "fetch",
    "guess",
    "import_choice",
    "importer_options",
    "input_to_row",
    "list_sheets",
    "load_layout",
    "plan_from_result",
    "population_series",
    "populations",
    "preview",
    "rate_plan",
    "read_events",
    "read_file",
    "remap",
    "remove_mapping",
    "resolve_population",
    "row_to_input",
    "run_importer",
    "save_event_settings",
    "save_import_choice",
    "save_mapping",
    "saved_layout",
    "saved_mapping",
    "saved_mappings",
    "source_parameters",
    "table_import_result",
]

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
    return RowError(row, _safe(column), problem, da.format(**params_da), en.format(**params))


def _safe(text: str | None) -> str | None:
    """A header text or column name fit to show or save: CPR-shaped numbers removed."""
    return None if text is None else redact(str(text))


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
        used = set(_column_meanings(self.mapping))
        return [_safe(h) or "" for h in self.table.headers if h not in used]

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
            "headers": [_safe(h) for h in table.headers],
            "header_rows": list(table.header_row_numbers),
            "rows": len(table.rows),
        }

    def mapping_lines(self) -> list[tuple[str, str]]:
        """(column, meaning) for each column of the table: how the mapping reads it."""
        if self.table is None:
            return []
        meaning = _column_meanings(self.mapping)
        return [(_safe(h) or "", meaning.get(h, "")) for h in self.table.headers]

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "team": {"id": self.team_id, "name": self.team_name},
            "source": self.source,
            "source_file": self.source_file,
            "source_sheet": self.source_sheet,
            "file": self.table_info(),
            "mapping": _mapping_dict(self.mapping),
            "mapping_origin": self.mapping_origin or None,
            "mapping_name": self.mapping_name,
            "changes": [redact(c) for c in self.changes],
            "guessed_mapping": _mapping_dict(self.guess.mapping) if self.guess else None,
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


def _team_indicators(ws: Any, team_id: str) -> dict[str, Indicator]:
    return {i.code.lower(): i for i in ws.indicators(team_id)}


def _check_rows(
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
    for row in rows:
        indicator = indicators.get(row.indicator.strip().lower())
        if indicator is None:
            if row.indicator not in unknown:
                unknown.append(row.indicator)
            continue
        code = indicator.code
        value_col, numerator_col = (column_of or {}).get(code, (None, None))
        if row.source_column:  # months across the header: the month's column
            value_col = numerator_col = row.source_column
        fraction = row.numerator is not None and row.denominator is not None
        if indicator.unit is Unit.PROPORTION and not fraction:
            errors.append(_row_error(row.source_row, value_col, "unit_needs_fraction", code=code))
            continue
        if indicator.unit is not Unit.PROPORTION and fraction:
            errors.append(
                _row_error(
                    row.source_row, numerator_col, "unit_not_fraction", code=code, unit=indicator.unit.value
                )
            )
            continue
        if indicator.unit is Unit.COUNT and math.isfinite(row.value) and row.value != int(row.value):
            errors.append(
                _row_error(
                    row.source_row, value_col, "count_not_whole", code=code, text=short(f"{row.value:g}")
                )
            )
            continue
        try:
            Measurement(
                team_id="import",
                indicator=code,
                period=row.period,
                value=None if fraction else row.value,
                numerator=row.numerator,
                denominator=row.denominator,
            ).check_unit(indicator.unit)
        except ValidationError as exc:
            errors.append(
                _row_error(
                    row.source_row,
                    numerator_col if fraction else value_col,
                    "invalid_value",
                    code=code,
                    reason=exc.message,
                )
            )
            continue
        good.append(dataclasses.replace(row, indicator=code) if code != row.indicator else row)
    return good, errors, unknown


def _sorted_errors(errors: Iterable[RowError]) -> list[RowError]:
    return sorted(errors, key=lambda e: (e.row is None, e.row or 0, e.column or ""))


# -- column mappings -------------------------------------------------------------------------------------
_ROLE_WORDS = {
    "period": {"period", "periode", "måned", "maaned", "month"},
    "indicator": {"indicator", "indikator"},
    "value": {"value", "værdi", "vaerdi"},
    "numerator": {"numerator", "tæller", "taeller"},
    "denominator": {"denominator", "nævner", "naevner"},
    "ignore": {"-", "ignore", "ignorer", "skip"},
}
_PART_WORDS = {
    "value": _ROLE_WORDS["value"],
    "numerator": _ROLE_WORDS["numerator"],
    "denominator": _ROLE_WORDS["denominator"],
}


@dataclass(frozen=True)
class MappingChange:
    """One adjustment of a column mapping: ``column`` is read as ``role``.

    Written ``COLUMN=ROLE`` (split at the last ``=``), where ROLE is

    * an indicator code (``R1``): the column holds that indicator's values;
    * ``V1:numerator`` / ``V1:denominator`` (or ``:tæller`` / ``:nævner``): one half of a
      proportion;
    * ``period`` (``måned``): the month column;
    * ``indicator``, ``value``, ``numerator``, ``denominator`` (Danish words too): the
      columns of a long table (one measurement per row);
    * ``-`` (``ignore``): do not read this column.
    """

    column: str
    role: str  # period, indicator, value, numerator, denominator, ignore, code
    code: str | None = None
    part: str = "value"  # for role "code": value, numerator or denominator

    @classmethod
    def parse(cls, text: str) -> MappingChange:
        if "=" not in text:
            raise ValidationError(
                f"write a mapping change as COLUMN=ROLE, e.g. 'Antal tvangsindlagte=R1', "
                f"'Med plan=V1:numerator', 'Måned=period' or 'Kommentar=-'; got {text!r}"
            )
        column, role = (part.strip() for part in text.rsplit("=", 1))
        if not column or not role:
            raise ValidationError(f"a mapping change needs a column and a role: {text!r}")
        word = role.casefold()
        for name, words in _ROLE_WORDS.items():
            if word in words:
                return cls(column, name)
        code, _, part = role.partition(":")
        part_word = part.strip().casefold()
        if part:
            for name, words in _PART_WORDS.items():
                if part_word in words:
                    return cls(column, "code", code.strip(), name)
            raise ValidationError(
                f"{role!r}: after ':' write numerator or denominator (tæller/nævner), e.g. V1:numerator"
            )
        if not re.fullmatch(r"[A-Za-zÆØÅæøå][\w.-]{0,39}", code.strip()):
            raise ValidationError(
                f"{role!r} is neither an indicator code nor a role "
                "(period, indicator, value, numerator, denominator, -)"
            )
        return cls(column, "code", code.strip(), "value")

    def __str__(self) -> str:
        if self.role == "code":
            return f"{self.column}={self.code}" + ("" if self.part == "value" else f":{self.part}")
        return f"{self.column}={'-' if self.role == 'ignore' else self.role}"


def _column_meanings(mapping: ColumnMapping | None) -> dict[str, str]:
    if mapping is None:
        return {}
    meaning = {mapping.period: "period"}
    if mapping.layout == "wide":
        for item in mapping.indicators:
            if item.value:
                meaning[item.value] = item.indicator
            if item.numerator:
                meaning[item.numerator] = f"{item.indicator}:numerator"
            if item.denominator:
                meaning[item.denominator] = f"{item.indicator}:denominator"
    else:
        for role in ("indicator", "value", "numerator", "denominator"):
            column = getattr(mapping, f"{role}_column")
            if column:
                meaning[column] = role
    return meaning


def _mapping_dict(mapping: ColumnMapping | None) -> dict[str, Any] | None:
    if mapping is None:
        return None
    data = mapping.to_dict()
    return json.loads(redact(json.dumps(data, ensure_ascii=False)))


def _resolve_column(table: Table, column: str) -> str:
    """The table's own header for ``column`` (exact, then ignoring case and spacing)."""
    if column in table.headers:
        return column
    wanted = normalise_header(column)
    for header in table.headers:
        if normalise_header(header) == wanted:
            return header
    shown = ", ".join(repr(_safe(h)) for h in table.headers)
    raise DataImportError(
        f"no column {_safe(column)!r}; the columns are: {shown}", where=table.source.label()
    )


def apply_changes(
    mapping: ColumnMapping | None,
    changes: Sequence[MappingChange],
    table: Table,
    indicator_codes: Iterable[str],
) -> ColumnMapping:
    """``mapping`` (or a new one) with ``changes`` applied, checked against the table's
    columns and the team's indicator codes. A change moves a column: the column is first
    removed from whatever it was mapped to."""
    codes = {c.lower(): c for c in indicator_codes}
    result = copy.deepcopy(mapping) if mapping is not None else ColumnMapping(period="")
    long_roles = {"indicator", "value", "numerator", "denominator"}
    wants_long = any(c.role in long_roles for c in changes)
    wants_wide = any(c.role == "code" for c in changes)
    if wants_long and wants_wide:
        raise ValidationError(
            "a mapping is either wide (a column per indicator: COLUMN=R1) or long (columns "
            "indicator and value); these changes mix both"
        )
    if wants_long and result.layout != "long":
        result.layout, result.indicators = "long", []
    if wants_wide and result.layout != "wide":
        result.layout = "wide"
        result.indicator_column = result.value_column = None
        result.numerator_column = result.denominator_column = None
    for change in changes:
        column = _resolve_column(table, change.column)
        _unmap(result, column)
        if change.role == "ignore":
            continue
        if change.role == "period":
            result.period = column
        elif change.role in long_roles:
            setattr(result, f"{change.role}_column", column)
        else:
            code = codes.get((change.code or "").lower())
            if code is None:
                known = ", ".join(codes.values()) or "none yet"
                raise NotFoundError(f"the team has no indicator {change.code!r} (indicators: {known})")
            item = next((i for i in result.indicators if i.indicator == code), None)
            if item is None:
                item = IndicatorColumns(code)
                result.indicators.append(item)
            if change.part == "value":
                item.numerator = item.denominator = None
            else:
                item.value = None
            setattr(item, change.part, column)
    result.indicators = [i for i in result.indicators if i.columns()]
    if not result.period:
        raise ValidationError("the mapping has no month column: add COLUMN=period (or --period-column)")
    result.validate()
    return result


def _unmap(mapping: ColumnMapping, column: str) -> None:
    if mapping.period == column:
        mapping.period = ""
    for role in ("indicator", "value", "numerator", "denominator"):
        if getattr(mapping, f"{role}_column") == column:
            setattr(mapping, f"{role}_column", None)
    for item in mapping.indicators:
        for part in ("value", "numerator", "denominator"):
            if getattr(item, part) == column:
                setattr(item, part, None)


def saved_mappings(ws: Any, team_ref: str) -> dict[str, dict[str, Any]]:
    """The team's saved column mappings by name, as plain data (see :func:`saved_mapping`)."""
    team = ws.team(team_ref)
    stored = ws.team_settings(team.id).get("mappings") or {}
    return {str(k): v for k, v in stored.items() if isinstance(v, dict)}


def saved_mapping(ws: Any, team_ref: str, name: str) -> ColumnMapping:
    """One saved mapping; :class:`NotFoundError` listing the names when there is none."""
    stored = saved_mappings(ws, team_ref)
    if name not in stored:
        known = ", ".join(sorted(stored)) or "none saved yet (save one with --save-mapping NAME)"
        raise NotFoundError(f"the team has no saved mapping {name!r} (mappings: {known})")
    try:
        return ColumnMapping.from_dict(stored[name])
    except ValidationError as exc:
        raise ValidationError(f"the saved mapping {name!r} is damaged: {exc.message}") from None


def save_mapping(ws: Any, team_ref: str, name: str, mapping: ColumnMapping) -> None:
    """Save ``mapping`` for the team under ``name`` (replacing one with that name)."""
    team = ws.team(team_ref)
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise ValidationError("a mapping name must be 1-80 characters")
    mapping.validate()
    data = mapping.to_dict()
    refuse_person_identifier(json.dumps(data, ensure_ascii=False) + name, where="the column mapping")
    mappings = dict(ws.team_settings(team.id).get("mappings") or {})
    mappings[name] = data
    ws.update_team_settings(team.id, mappings=mappings)


def remove_mapping(ws: Any, team_ref: str, name: str) -> None:
    team = ws.team(team_ref)
    saved_mapping(ws, team.id, name)  # NotFoundError when missing
    mappings = dict(ws.team_settings(team.id).get("mappings") or {})
    mappings.pop(name, None)
    ws.update_team_settings(team.id, mappings=mappings)


def _fitting_mapping(ws: Any, team_id: str, table: Table) -> tuple[str, ColumnMapping] | None:
    """The one saved mapping whose columns all exist in ``table`` (None if none or several fit)."""
    headers = {normalise_header(h) for h in table.headers}
    fits = []
    for name, data in saved_mappings(ws, team_id).items():
        try:
            mapping = ColumnMapping.from_dict(data)
        except ValidationError:
            continue
        if all(normalise_header(c) in headers for c in mapping.used_columns()):
            fits.append((name, mapping))
    return fits[0] if len(fits) == 1 else None


def _with_table_headers(mapping: ColumnMapping, table: Table) -> ColumnMapping:
    """The mapping with each column spelled as the table spells it (a saved mapping may
    differ in case or spacing); :class:`DataImportError` naming a missing column."""
    result = copy.deepcopy(mapping)
    result.period = _resolve_column(table, result.period)
    for role in ("indicator", "value", "numerator", "denominator"):
        column = getattr(result, f"{role}_column")
        if column:
            setattr(result, f"{role}_column", _resolve_column(table, column))
    for item in result.indicators:
        for part in ("value", "numerator", "denominator"):
            column = getattr(item, part)
            if column:
                setattr(item, part, _resolve_column(table, column))
    return result


# -- measurement tables -----------------------------------------------------------------------------------
def guess(ws: Any, team_ref: str, table: Table) -> MappingGuess:
    """The guessed mapping of ``table`` for the team's indicators."""
    team = ws.team(team_ref)
    return guess_mapping(table, [i.code for i in ws.indicators(team.id)])


def read_file(
    ws: Any,
    team_ref: str,
    path: str | Path,
    *,
    sheet: str | int | None = None,
    mapping: ColumnMapping | str | Mapping[str, Any] | None = None,
    changes: Sequence[MappingChange] = (),
    header_rows: int | None = None,
) -> ImportPlan:
    """Read a measurement table (CSV or ``.xlsx``) for the team.

    ``mapping`` is a :class:`ColumnMapping`, its dict, or the name of a mapping the team
    saved; without one, a saved mapping that fits the file's columns is used when there is
    exactly one, else the mapping is guessed. ``changes`` adjust it. A plan whose mapping
    cannot be made has ``problems`` (and no rows).
    """
    team = ws.team(team_ref)
    path = Path(path)
    origin, name = "given", None
    chosen: ColumnMapping | None
    if isinstance(mapping, str):
        chosen, origin, name = saved_mapping(ws, team.id, mapping), "saved", mapping
    elif isinstance(mapping, Mapping):
        chosen = ColumnMapping.from_dict(dict(mapping))
    else:
        chosen = mapping
    if sheet is None and chosen is not None:
        sheet = chosen.sheet
    if header_rows is None and chosen is not None:
        header_rows = chosen.header_rows
    if not path.is_file():
        raise DataImportError("no such file", where=str(path))
    months_in = chosen.months_in if chosen is not None else None
    table = read_table(path, sheet=sheet, header_rows=header_rows, months_in=months_in)
    warnings = []
    if chosen is None:
        fitting = _fitting_mapping(ws, team.id, table)
        if fitting is not None:
            name, chosen = fitting
            origin = "saved"
            warnings.append(t("imports.mapping_saved_fits", name=name))
    plan = _table_plan(ws, team, table, chosen, changes, origin=origin, name=name)
    plan.sheet_given = sheet is not None
    plan.sheets = list_sheets(path) if table.source.sheet else []
    if plan.mapping is not None and plan.sheet_given and table.source.sheet:
        plan.mapping.sheet = table.source.sheet
    if header_rows is not None and plan.mapping is not None:
        plan.mapping.header_rows = header_rows
    plan.warnings[:0] = warnings
    return plan


def remap(
    ws: Any,
    plan: ImportPlan,
    mapping: ColumnMapping | None = None,
    changes: Sequence[MappingChange] = (),
) -> ImportPlan:
    """Read the same table again with another mapping, or with ``changes`` to the plan's."""
    if plan.table is None:
        raise ValidationError("only a measurement table has a column mapping")
    team = ws.team(plan.team_id)
    base = mapping if mapping is not None else plan.mapping
    origin = "given" if mapping is not None else plan.mapping_origin
    new = _table_plan(
        ws,
        team,
        plan.table,
        base,
        changes,
        origin=origin,
        name=plan.mapping_name if origin == "saved" else None,
    )
    new.changes = (plan.changes if mapping is None else []) + new.changes
    new.sheet_given = plan.sheet_given
    new.sheets = list(plan.sheets)
    if new.mapping is not None and plan.mapping is not None:
        new.mapping.sheet, new.mapping.header_rows = plan.mapping.sheet, plan.mapping.header_rows
    return new


def _table_plan(
    ws: Any,
    team: Any,
    table: Table,
    mapping: ColumnMapping | None,
    changes: Sequence[MappingChange],
    *,
    origin: str,
    name: str | None,
) -> ImportPlan:
    indicators = _team_indicators(ws, team.id)
    codes = [i.code for i in indicators.values()]
    guessed = guess_mapping(table, codes)
    if mapping is None:
        mapping, origin = guessed.mapping, "guessed"
        if mapping is not None and guessed.problems and not changes:
            mapping = None  # an incomplete guess is shown, not used
    if changes:
        base = mapping if mapping is not None else guessed.mapping
        if base is None:  # start from the guessed month column, if any
            base = ColumnMapping(period=_period_column(table) or "")
        mapping = apply_changes(base, changes, table, codes)
    elif mapping is not None:
        mapping = _with_table_headers(mapping, table)
    plan = ImportPlan(
        kind="table",
        team_id=team.id,
        team_name=team.name,
        source="import",
        source_file=table.source.file,
        source_sheet=table.source.sheet or "",
        table=table,
        mapping=mapping,
        mapping_origin=origin,
        mapping_name=name,
        changes=[str(c) for c in changes],
        guess=guessed,
        rows_read=len(table.rows),
    )
    plan.warnings.extend(table.note_texts())
    if mapping is None:
        return plan
    rows, errors, skipped_empty = _read_rows(table, mapping, indicators)
    plan.rows, plan.errors, plan.error_count = rows, errors, len(errors)
    if skipped_empty:
        plan.warnings.append(t("imports.rows_without_value", count=skipped_empty))
    return plan


def _read_rows(
    table: Table, mapping: ColumnMapping, indicators: Mapping[str, Indicator]
) -> tuple[list[MeasurementRow], list[RowError], int]:
    """The one path that reads a table: ``read_measurements`` with ``mapping``, then the
    rows checked against the team's indicators (codes and units)."""
    if mapping.layout == "wide":
        for item in mapping.indicators:
            if item.indicator.lower() not in indicators:
                known = ", ".join(i.code for i in indicators.values()) or "none yet"
                raise NotFoundError(
                    f"the mapping names indicator {item.indicator!r}, which the team does not have "
                    f"(indicators: {known})"
                )
    imported = read_measurements(table, mapping, known_indicator_codes=[i.code for i in indicators.values()])
    column_of: dict[str, tuple[str | None, str | None]] = {}
    if mapping.layout == "wide":
        for item in mapping.indicators:
            code = indicators[item.indicator.lower()].code
            column_of[code] = (item.value or item.numerator, item.numerator)
    else:
        for indicator in indicators.values():
            column_of[indicator.code] = (
                mapping.value_column or mapping.numerator_column,
                mapping.numerator_column,
            )
    rows, unit_errors, _ = _check_rows(imported.rows, indicators, column_of)
    errors = [
        RowError(e.row, _safe(e.column), e.code, redact(e.reason_da), redact(e.reason_en))
        for e in imported.errors
    ]
    return rows, _sorted_errors(errors + unit_errors), imported.skipped_empty


def table_import_result(
    path: str | Path,
    *,
    mapping: ColumnMapping | Mapping[str, Any] | None = None,
    indicators: Iterable[Indicator] | None = None,
    sheet: str | int | None = None,
    header_rows: int | None = None,
    skip_errors: bool = False,
    source: str = "import",
) -> ImportResult:
    """A measurement table as an :class:`ImportResult`, read the same way as :func:`read_file`.

    For the generic table importer (an :class:`~pdsa_core.Importer` has no workspace):
    ``indicators`` are the team's (for the guess and the unit checks; without them a
    mapping is required and values are taken as they are). Row errors raise
    :class:`DataImportError` naming the first ones, unless ``skip_errors``; the number
    skipped is ``rows_skipped`` and the errors are in ``details["row_errors"]``.
    """
    path = Path(path)
    chosen = ColumnMapping.from_dict(dict(mapping)) if isinstance(mapping, Mapping) else mapping
    if sheet is None and chosen is not None:
        sheet = chosen.sheet
    table = read_table(
        path,
        sheet=sheet,
        header_rows=header_rows or (chosen.header_rows if chosen else None),
        months_in=chosen.months_in if chosen else None,
    )
    by_code = {i.code.lower(): i for i in indicators or ()}
    if chosen is None:
        guessed = guess_mapping(table, [i.code for i in by_code.values()])
        if guessed.mapping is None or guessed.problems:
            raise DataImportError(
                "no usable column mapping: " + "; ".join(en for _, en in guessed.problems),
                where=table.source.label(),
            )
        chosen = guessed.mapping
    chosen = _with_table_headers(chosen, table)
    if by_code:
        rows, errors, _ = _read_rows(table, chosen, by_code)
    else:
        imported = read_measurements(table, chosen)
        rows, errors = imported.rows, _sorted_errors(imported.errors)
    if errors and not skip_errors:
        raise DataImportError(_refusal(errors, len(errors)), where=table.source.label())
    return ImportResult(
        measurements=tuple(row_to_input(row) for row in rows),
        source=source,
        source_file=table.source.file,
        source_sheet=table.source.sheet or "",
        rows_read=len(table.rows),
        rows_skipped=len(errors),
        details={"row_errors": [e.to_dict() for e in errors]} if errors else {},
    )


# -- event extracts --------------------------------------------------------------------------------------
POPULATION_ALL = "all"


def populations(ws: Any, team_ref: str, plugins: Any = None) -> dict[str, dict[str, Any]]:
    """Populations the team can count by: saved in the team's settings, and registered by
    plugins. ``{name: {"population": Population, "description": ..., "origin": ...}}``."""
    team = ws.team(team_ref)
    found: dict[str, dict[str, Any]] = {}
    if plugins is not None:
        for key, (population, description) in plugins.items("populations").items():
            found[key] = {
                "population": population,
                "description": description,
                "origin": f"plugin {plugins.owner('populations', key)}",
            }
    for key, data in (ws.team_settings(team.id).get("populations") or {}).items():
        try:
            population = Population.from_dict(data)
        except (ValidationError, TypeError):
            continue
        found[key] = {"population": population, "description": "", "origin": "team"}
    return found


def resolve_population(
    ws: Any, team_ref: str, ref: str | None, plugins: Any = None
) -> tuple[str, Population]:
    """The population named ``ref``: ``all`` (every row counts), a ``.json`` file, one
    saved for the team, or one registered by a plugin. Without ``ref``, the team's
    default population (the last one saved), else the team's only one."""
    team = ws.team(team_ref)
    settings = ws.team_settings(team.id)
    known = populations(ws, team.id, plugins)
    if ref is None:
        default = settings.get("default_population")
        if isinstance(default, str) and default in known:
            ref = default
        elif len(known) == 1:
            ref = next(iter(known))
        else:
            names = ", ".join(sorted(known)) or "none saved yet"
            raise ValidationError(
                f"name the population to count with --population (known: {names}; '{POPULATION_ALL}' "
                "counts every row; a .json file with min_age, max_age, municipalities, wards ... "
                "defines one)"
            )
    if ref == POPULATION_ALL:
        return ref, Population(exclude_forensic=False)
    if ref.lower().endswith(".json"):
        path = Path(ref)
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except OSError as exc:
            raise DataImportError(f"cannot read the population file: {exc.strerror}", where=ref) from None
        except ValueError as exc:
            raise ValidationError(f"the population file is not valid JSON ({exc})", where=ref) from None
        try:
            return path.stem, Population.from_dict(data)
        except TypeError as exc:
            raise ValidationError(f"the population file is damaged ({exc})", where=ref) from None
    if ref in known:
        return ref, known[ref]["population"]
    names = ", ".join(sorted(known)) or "none saved yet"
    raise NotFoundError(f"no population {ref!r} (known: {names}; or '{POPULATION_ALL}', or a .json file)")


def load_layout(path: str | Path) -> tuple[EventLayout, dict[str, Any] | None]:
    """An event layout from a JSON file: the :class:`EventLayout` keys (``identifier``,
    ``timestamp``, ``kind``, ``ward``, ``age``, ``municipality``, ``outpatient``,
    ``forensic``, ``separator``, ``sheet``) and optionally ``kinds_for`` (which kind labels
    R1, R2, F1, F2 count)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise DataImportError(f"cannot read the layout file: {exc.strerror}", where=str(path)) from None
    except ValueError as exc:
        raise ValidationError(f"the layout file is not valid JSON ({exc})", where=str(path)) from None
    return _layout_from_data(data, where=str(path))


def _layout_from_data(data: Any, *, where: str) -> tuple[EventLayout, dict[str, Any] | None]:
    if not isinstance(data, dict):
        raise ValidationError("an event layout must be a JSON object", where=where)
    data = dict(data)
    kinds_for = data.pop("kinds_for", None)
    if kinds_for is not None:
        if not isinstance(kinds_for, dict):
            raise ValidationError("kinds_for must map R1, R2, F1, F2 to lists of kinds", where=where)
        resolve_kinds_for(kinds_for)
    try:
        return EventLayout.from_dict(data), kinds_for
    except ValidationError as exc:
        raise ValidationError(exc.message, where=where) from None


def saved_layout(ws: Any, team_ref: str) -> tuple[EventLayout | None, dict[str, Any] | None]:
    """The team's saved event layout (and kinds_for), or (None, None)."""
    team = ws.team(team_ref)
    data = ws.team_settings(team.id).get("event_layout")
    if not data:
        return None, None
    return _layout_from_data(data, where="the team's saved event layout")


def save_event_settings(
    ws: Any,
    team_ref: str,
    *,
    population: tuple[str, Population] | None = None,
    layout: EventLayout | None = None,
    kinds_for: Mapping[str, Any] | None = None,
) -> None:
    """Save a population (by name, as the team's default) and/or the event layout."""
    team = ws.team(team_ref)
    changes: dict[str, Any] = {}
    settings = ws.team_settings(team.id)
    if population is not None:
        name, value = population
        if name == POPULATION_ALL or not re.fullmatch(r"[\w.-]{1,60}", name):
            raise ValidationError(
                f"a population is saved under a short name (letters, digits, . - _), not {name!r}"
            )
        saved = dict(settings.get("populations") or {})
        saved[name] = value.to_dict()
        refuse_person_identifier(json.dumps(saved[name], ensure_ascii=False), where="the population")
        changes.update(populations=saved, default_population=name)
    if layout is not None:
        data = layout.to_dict()
        if kinds_for:
            data["kinds_for"] = dict(kinds_for)
        refuse_person_identifier(json.dumps(data, ensure_ascii=False), where="the event layout")
        changes["event_layout"] = data
    if changes:
        ws.update_team_settings(team.id, **changes)


def read_events(
    ws: Any,
    team_ref: str,
    path: str | Path,
    *,
    population: Population | str | None = None,
    layout: EventLayout | None = None,
    kinds_for: Mapping[str, Any] | None = None,
    period_range: tuple[str, str] | None = None,
    indicators: Iterable[str] | None = None,
    plugins: Any = None,
    workers: int | None = None,
    population_name: str | None = None,
) -> ImportPlan:
    """Aggregate an event extract to monthly R1, R2, F1, F2 for the team.

    ``population`` is a :class:`Population` or a name for :func:`resolve_population`;
    ``layout``/``kinds_for`` default to the team's saved ones (else the Danish default
    columns). Only indicators the team has are stored (and of those only ``indicators``
    when given); ``plan.events`` summarises the extract: rows read and counted, rows
    outside the population by reason, kinds seen, the concentration of events.
    """
    team = ws.team(team_ref)
    if isinstance(population, Population):
        population_name = population_name or "(given)"
    else:
        population_name, population = resolve_population(ws, team.id, population, plugins)
    if layout is None:
        layout, saved_kinds = saved_layout(ws, team.id)
        kinds_for = kinds_for if kinds_for is not None else saved_kinds
    path = Path(path)
    if not path.is_file():
        raise DataImportError("no such file", where=str(path))
    aggregate = aggregate_events(
        path, layout, population, kinds_for=kinds_for, period_range=period_range, workers=workers
    )
    team_codes = _team_indicators(ws, team.id)
    chosen = None if indicators is None else {c.strip().lower() for c in indicators}
    rows: list[MeasurementRow] = []
    missing, unchosen = [], []
    for row in aggregate.measurement_rows():
        key = row.indicator.lower()
        if chosen is not None and key not in chosen:
            if row.indicator not in unchosen:
                unchosen.append(row.indicator)
            continue
        if key not in team_codes:
            if row.indicator not in missing:
                missing.append(row.indicator)
            continue
        rows.append(row)
    good, unit_errors, _ = _check_rows(rows, team_codes)
    plan = ImportPlan(
        kind="events",
        team_id=team.id,
        team_name=team.name,
        source="event extract",
        source_file=aggregate.source.file,
        source_sheet=aggregate.source.sheet or "",
        rows=good,
        errors=_sorted_errors(list(aggregate.errors) + unit_errors),
        error_count=aggregate.error_count + len(unit_errors),
        not_stored=missing + unchosen,
        rows_read=aggregate.rows_read,
    )
    if missing:
        plan.warnings.append(t("imports.not_stored", codes=", ".join(missing)))
    if unchosen:
        plan.warnings.append(t("imports.not_chosen", codes=", ".join(unchosen)))
    summary = aggregate.to_dict()
    summary.pop("errors", None)
    summary["population"] = {"name": population_name, **population.to_dict()}
    summary["layout"] = layout.to_dict() if layout else EventLayout().to_dict()
    summary["outside_reasons"] = {k: {"da": da, "en": en} for k, (da, en) in OUTSIDE_REASONS.items()}
    plan.events = json.loads(redact(json.dumps(summary, ensure_ascii=False)))
    return plan


# -- importers and data sources ---------------------------------------------------------------------------
def run_importer(
    ws: Any,
    plugins: Any,
    importer_id: str,
    path: str | Path,
    team_ref: str,
    options: Mapping[str, Any] | None = None,
) -> ImportPlan:
    """Run a registered importer on ``path`` for the team and plan its result."""
    importer = plugins.importer(importer_id)
    team = ws.team(team_ref)
    path = Path(path)
    result = importer.run(path, team=team, options=options, indicators=ws.indicators(team.id))
    if result.source_file == str(path):
        result = dataclasses.replace(result, source_file=path.name)
    plan = plan_from_result(
        ws, team.id, result, kind="importer", source=result.source or f"importer {importer.id}"
    )
    plan.importer = importer.id
    return plan


def importer_options(plugins: Any, importer_id: str, given: Mapping[str, Any]) -> dict[str, str]:
    """The options typed for an importer, checked before anything is read: empty ones left
    out (the importer's default applies), an unknown one and every required one left empty
    refused with a :class:`ValidationError` naming them and what they are for."""
    importer = plugins.importer(importer_id)
    known = {p.name: p for p in importer.options}
    values = {str(k): str(v).strip() for k, v in given.items() if v is not None and str(v).strip()}
    unknown = sorted(set(values) - set(known))
    if unknown:
        names, wrong = ", ".join(known) or "none", ", ".join(unknown)
        raise ValidationError(
            f"importer {importer.id} has no option {wrong} (options: {names})",
            da=f"importøren {importer.id} har intet tilvalg {wrong} (tilvalg: {names})",
        )
    missing = [p for p in importer.options if p.required and p.name not in values]
    if missing:
        listed = "; ".join(f"{p.name} ({p.description})" if p.description else p.name for p in missing)
        several = len(missing) > 1
        raise ValidationError(
            f"{importer.name('en')} needs {'these options' if several else 'the option'}: {listed}",
            da=f"{importer.name('da')}: udfyld {'tilvalgene' if several else 'tilvalget'} {listed}",
        )
    return values


#: the kinds of file an import reads: a measurement table, an event extract, a plugin's importer
IMPORT_KINDS = ("table", "events", "importer")


def import_choice(ws: Any, team_ref: str) -> dict[str, Any]:
    """What kind of file the team chose last (the TUI's import screen starts there).

    ``{"kind": "table" | "events" | "importer", "importer": id or None, "options": {importer
    id: {name: value}}, "population": name or None}``; a team that never chose gets
    ``kind`` ``table``. Saved with :func:`save_import_choice`.
    """
    team = ws.team(team_ref)
    data = ws.team_settings(team.id).get("import_choice")
    data = data if isinstance(data, dict) else {}
    choice: dict[str, Any] = {"kind": "table", "importer": None, "options": {}, "population": None}
    if data.get("kind") in IMPORT_KINDS:
        choice["kind"] = data["kind"]
    if isinstance(data.get("importer"), str) and data["importer"]:
        choice["importer"] = data["importer"]
    options = data.get("options")
    for importer_id, values in options.items() if isinstance(options, dict) else ():
        if isinstance(values, dict):
            choice["options"][str(importer_id)] = {str(k): str(v) for k, v in values.items()}
    if isinstance(data.get("population"), str) and data["population"]:
        choice["population"] = data["population"]
    if choice["kind"] == "importer" and choice["importer"] is None:
        choice["kind"] = "table"
    return choice


def save_import_choice(
    ws: Any,
    team_ref: str,
    kind: str,
    *,
    importer: str | None = None,
    options: Mapping[str, Any] | None = None,
    population: str | None = None,
) -> dict[str, Any]:
    """Remember the kind of file the team imports (see :func:`import_choice`).

    ``importer`` (needed for ``kind`` ``importer``), its ``options`` and the ``population``
    name replace the remembered ones when given; the others are kept. Returns the choice.
    """
    if kind not in IMPORT_KINDS:
        raise ValidationError(f"the kind of file is one of {', '.join(IMPORT_KINDS)}, not {kind!r}")
    team = ws.team(team_ref)
    choice = import_choice(ws, team.id)
    choice["kind"] = kind
    if importer is not None:
        choice["importer"] = importer
    if kind == "importer" and not choice["importer"]:
        raise ValidationError("name the importer to remember (an id from 'pdsa import importers')")
    if options is not None:
        if not choice["importer"]:
            raise ValidationError("options are remembered for an importer: name the importer too")
        choice["options"][choice["importer"]] = {str(k): str(v) for k, v in options.items()}
    if population is not None:
        choice["population"] = population
    refuse_person_identifier(json.dumps(choice, ensure_ascii=False), where="the import choice")
    ws.update_team_settings(team.id, import_choice=choice)
    return choice


def source_parameters(
    source: Any, positional: Sequence[str] = (), named: Mapping[str, Any] | None = None
) -> dict[str, str]:
    """The parameters for ``source.run``: ``positional`` values fill its parameters in
    order; ``named`` ones (``age`` or ``--age``; ``-`` and ``_`` alike) by name."""
    names = [p.name for p in source.parameters]
    if len(positional) > len(names):
        raise ValidationError(
            f"data source {source.id} takes at most {len(names)} values in order "
            f"({', '.join(names) or 'none'}); got {len(positional)}"
        )
    values: dict[str, str] = dict(zip(names, (str(v) for v in positional), strict=False))
    for key, value in (named or {}).items():
        name = key.lstrip("-").replace("-", "_").lower()
        if name in values:
            raise ValidationError(f"data source {source.id}: {name} is given twice")
        values[name] = str(value)
    return values


def fetch(
    plugins: Any, source_id: str, positional: Sequence[str] = (), named: Mapping[str, Any] | None = None
) -> SourceResult:
    """Fetch from a registered data source (see :func:`source_parameters`)."""
    source = plugins.data_source(source_id)
    return source.run(**source_parameters(source, positional, named))


def plan_from_result(
    ws: Any, team_ref: str, result: ImportResult, *, kind: str = "source", source: str | None = None
) -> ImportPlan:
    """Plan an importer's or a data source's result for the team.

    A code the team has no indicator for stops the plan with a message saying how to add
    it. Row errors an importer reports in ``details["row_errors"]`` (dicts of
    :class:`RowError`) make the import refused unless skipped, like a table's.
    """
    team = ws.team(team_ref)
    indicators = _team_indicators(ws, team.id)
    rows = [input_to_row(item) for item in result.measurements]
    good, errors, unknown = _check_rows(rows, indicators)
    if unknown:
        known = ", ".join(i.code for i in indicators.values()) or "none yet"
        raise NotFoundError(
            f"the values are for {', '.join(unknown)}, which team {team.name} does not have "
            f"(indicators: {known}); add it with 'pdsa indicator add {unknown[0]} --team ...', "
            "or choose another indicator"
        )
    reported = []
    for item in result.details.get("row_errors", []) if isinstance(result.details, dict) else []:
        try:
            error = RowError.from_dict(item)
        except (KeyError, TypeError, AttributeError):
            continue
        reported.append(
            RowError(
                error.row, _safe(error.column), error.code, redact(error.reason_da), redact(error.reason_en)
            )
        )
    details = {k: v for k, v in result.details.items() if k != "row_errors"}
    plan = ImportPlan(
        kind=kind,
        team_id=team.id,
        team_name=team.name,
        source=source or result.source or kind,
        source_file=result.source_file,
        source_sheet=result.source_sheet,
        rows=good,
        errors=_sorted_errors(reported + errors),
        error_count=max(len(reported), result.rows_skipped if reported else 0) + len(errors),
        annotations=list(result.annotations),
        warnings=list(result.warnings),
        rows_read=result.rows_read,
        details=details,
    )
    if isinstance(result, SourceResult):
        plan.details = {**details, "retrieved_at": result.retrieved_at, "url": result.url}
    return plan


def population_series(result: SourceResult) -> Any:
    """The residents a population source (Danmarks Statistik) returned, for rates.

    :class:`ValidationError` when the result does not describe residents by municipality
    and age (only such a source can turn counts into rates).
    """
    from pdsa_core.sources.statbank import PopulationSeries, parse_age_band

    details = result.details
    if not all(k in details for k in ("table", "municipality", "age")):
        raise ValidationError(
            "this data source does not give residents by municipality and age, so it "
            "cannot turn counts into rates (--rate-of)"
        )
    low, high = parse_age_band(str(details["age"]))
    values = {m.period: int(m.value) for m in result.measurements if m.value is not None}
    return PopulationSeries(
        str(details["table"]),
        str(details["municipality"]),
        low,
        high,
        values,
        str(details.get("retrieved_at") or result.retrieved_at),
        bool(details.get("from_cache")),
        list(details.get("notes") or []),
    )


def rate_plan(ws: Any, team_ref: str, count_code: str, series: Any, *, into: str | None = None) -> ImportPlan:
    """Plan ``count_code`` per 10,000 residents as its own rate indicator (``into``, default
    ``CODE-rate``; created with the count's settings when committed)."""
    from pdsa_core.sources.statbank import rates_per_10000

    team = ws.team(team_ref)
    counts_indicator = ws.indicator(team.id, count_code)
    if counts_indicator.unit is not Unit.COUNT:
        raise ValidationError(
            f"{counts_indicator.code} is a {counts_indicator.unit.value}; only counts become rates"
        )
    code = into or f"{counts_indicator.code}-rate"
    counts = {
        m.period: m.value for m in ws.measurements(team.id, counts_indicator.code) if m.value is not None
    }
    if not counts:
        raise ValidationError(f"{counts_indicator.code} has no values to turn into a rate")
    rates, missing = rates_per_10000(counts, series.values)
    existing = _team_indicators(ws, team.id).get(code.lower())
    code = existing.code if existing else code
    plan = ImportPlan(
        kind="rate",
        team_id=team.id,
        team_name=team.name,
        source=f"{counts_indicator.code} / Danmarks Statistik {series.table}",
        rows=[MeasurementRow(code, month, round(rate, 6)) for month, rate in sorted(rates.items())],
        rows_read=len(counts),
        details={
            "count": counts_indicator.code,
            "rate": code,
            "creates_indicator": existing is None,
            "months_without_population": missing,
            "table": series.table,
            "municipality": series.municipality,
            "age": f"{series.age_low}-{series.age_high}",
        },
    )
    plan.rate = {"count": counts_indicator.code, "into": code, "series": series}
    if missing:
        plan.warnings.append(
            f"{len(missing)} months of {counts_indicator.code} have no population figure and get no rate: "
            f"{', '.join(missing[:6])}{' …' if len(missing) > 6 else ''}"
        )
    return plan


# -- preview and commit -------------------------------------------------------------------------------------
def preview(ws: Any, plan: ImportPlan) -> Preview:
    """Compare the plan's rows with the team's stored values; also sets ``plan.preview``."""
    existing: dict[tuple[str, str], tuple[float | None, float | None, float | None]] = {}
    indicators = _team_indicators(ws, plan.team_id)
    for code in {row.indicator for row in plan.rows}:
        indicator = indicators.get(code.lower())
        if indicator is None:
            continue  # a rate indicator created by the commit
        for m in ws.measurements(plan.team_id, indicator.code):
            existing[(indicator.code, m.period)] = (m.value, m.numerator, m.denominator)
    plan.preview = build_preview(plan.rows, existing)
    return plan.preview


def _refusal(errors: Sequence[RowError], count: int) -> str:
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


def commit(
    ws: Any, plan: ImportPlan, *, skip_errors: bool = False, save_mapping_as: str | None = None
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
        raise DataImportError(_refusal(plan.errors, plan.error_count), where=plan.source_file or None)
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


def _commit_rate(ws: Any, plan: ImportPlan) -> CommitResult:
    from pdsa_core.sources.rates import store_rate_indicator

    assert plan.rate is not None
    spec = plan.rate
    created = spec["into"].lower() not in _team_indicators(ws, plan.team_id)
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


def check_period_range(text: str) -> tuple[str, str]:
    """``2022-01..2022-12`` (any month spelling the importer reads) -> ``("2022-01", "2022-12")``."""
    parts = re.split(r"\s*\.\.\s*", text.strip())
    if len(parts) != 2:
        raise ValidationError(f"write the months as FIRST..LAST, e.g. 2022-01..2022-12; got {text!r}")
    try:
        first, last = (parse_period(p) for p in parts)
    except ImportProblem as exc:
        raise ValidationError(exc.reason_en) from None
    if last < first:
        raise ValidationError(f"{text!r}: the last month is before the first")
    return first, last
