"""Data import: read teams' monthly tables and event extracts into measurement rows.

Nothing here writes to the workspace; the caller (the workspace/CLI layer) stores what
these functions return. The usual flows:

**A measurement table** (CSV as Danish Excel writes it, or a sheet of an ``.xlsx``, ``.xls``
or ``.ods`` workbook; the months down the rows or across the header)::

    table = read_table("tvang_2022.xlsx", sheet="Data")        # -> Table
    guess = guess_mapping(table, ["R1", "R2", "V1"])           # -> MappingGuess
    mapping = guess.mapping            # or ColumnMapping.from_dict(saved_for_team)
    result = read_measurements(table, mapping)                 # -> TableImport
    result.rows, result.errors                                 # MeasurementRow, RowError
    preview = build_preview(result.rows, existing)             # -> Preview

**An event extract** (one row per coercion event, with CPR numbers)::

    aggregate = aggregate_events("udtraek.csv", EventLayout(), Population(min_age=18))
    aggregate.measurement_rows()       # monthly R1, R2, F1, F2 as MeasurementRow
    aggregate.outside, aggregate.errors, aggregate.concentration

Errors: a file that cannot be read at all raises
:class:`~pdsa_core.errors.DataImportError`; a bad saved mapping, layout or population
raises :class:`~pdsa_core.errors.ValidationError`; a bad *row* never raises but becomes
a :class:`RowError` (row number as in Excel, column header, Danish and English reason).

Privacy: identifiers from event extracts never leave this package: they are replaced
in memory by per-run salted digests, and no result, error or ``repr`` contains them.

Public API
----------
Tables
    :func:`read_table` (path, sheet=None, header_rows=None) -> Table: CSV or a workbook sheet.
    :func:`read_csv_bytes` (data, name=..., header_rows=None) -> Table: CSV content.
    :func:`list_sheets` (path) -> list[str]: sheet names of a workbook.
    :class:`Table`, :class:`Source`.
Parsing single values
    :func:`read_period` (value) -> "YYYY-MM"; :func:`parse_number` (value, decimal=",").
Mapping
    :class:`ColumnMapping`, :class:`IndicatorColumns` (to_dict/from_dict);
    :func:`guess_mapping` (table, known_indicator_codes) -> :class:`MappingGuess`.
Measurements
    :func:`read_measurements` (table, mapping, known_indicator_codes=None) ->
    :class:`TableImport` with :class:`MeasurementRow` s and :class:`RowError` s.
Events
    :class:`EventLayout`, :class:`Population` (to_dict/from_dict);
    :func:`aggregate_events` (path, layout, population, kinds_for=..., period_range=...,
    workers=None, max_errors=1000, engine="auto") -> :class:`EventAggregate`.
Preview
    :func:`build_preview` (incoming_rows, existing) -> :class:`Preview` (to_dict).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

#: public name -> the submodule defining it. Submodules load when a name is first used, so
#: code that needs one reader (the TUI's number parsing, a plugin's importer) does not pay
#: for all of them at start-up (importing every submodule costs ~40 ms).
_SUBMODULE = {
    **dict.fromkeys(
        (
            "DEFAULT_ADMISSION_KINDS",
            "EVENT_INDICATORS",
            "OUTSIDE_REASONS",
            "Concentration",
            "EventAggregate",
            "EventLayout",
            "Population",
            "aggregate_events",
        ),
        "events",
    ),
    **dict.fromkeys(("ColumnMapping", "IndicatorColumns", "MappingGuess", "guess_mapping"), "mapping"),
    **dict.fromkeys(("MeasurementRow", "TableImport", "read_measurements"), "measurements"),
    "parse_number": "numbers",
    "read_period": "periods",
    **dict.fromkeys(("Change", "Preview", "build_preview"), "preview"),
    **dict.fromkeys(("ImportProblem", "RowError"), "problems"),
    **dict.fromkeys(("Source", "Table", "list_sheets", "read_csv_bytes", "read_table"), "tables"),
}

if TYPE_CHECKING:  # pragma: no cover
    from pdsa_core.importing.events import (
        DEFAULT_ADMISSION_KINDS,
        EVENT_INDICATORS,
        OUTSIDE_REASONS,
        Concentration,
        EventAggregate,
        EventLayout,
        Population,
        aggregate_events,
    )
    from pdsa_core.importing.mapping import ColumnMapping, IndicatorColumns, MappingGuess, guess_mapping
    from pdsa_core.importing.measurements import MeasurementRow, TableImport, read_measurements
    from pdsa_core.importing.numbers import parse_number
    from pdsa_core.importing.periods import read_period
    from pdsa_core.importing.preview import Change, Preview, build_preview
    from pdsa_core.importing.problems import ImportProblem, RowError
    from pdsa_core.importing.tables import Source, Table, list_sheets, read_csv_bytes, read_table


def __getattr__(name: str) -> Any:
    submodule = _SUBMODULE.get(name)
    if submodule is None:
        raise AttributeError(f"module 'pdsa_core.importing' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"pdsa_core.importing.{submodule}"), name)
    globals()[name] = value
    return value


__all__ = [
    "DEFAULT_ADMISSION_KINDS",
    "EVENT_INDICATORS",
    "OUTSIDE_REASONS",
    "Change",
    "ColumnMapping",
    "Concentration",
    "EventAggregate",
    "EventLayout",
    "ImportProblem",
    "IndicatorColumns",
    "MappingGuess",
    "MeasurementRow",
    "Population",
    "Preview",
    "RowError",
    "Source",
    "Table",
    "TableImport",
    "aggregate_events",
    "build_preview",
    "guess_mapping",
    "list_sheets",
    "parse_number",
    "read_period",
    "read_csv_bytes",
    "read_measurements",
    "read_table",
]
