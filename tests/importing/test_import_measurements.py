"""Turning tables into checked measurement rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pdsa_core.errors import DataImportError
from pdsa_core.importing import (
    ColumnMapping,
    IndicatorColumns,
    guess_mapping,
    read_csv_bytes,
    read_measurements,
    read_table,
)

from .test_import_tables import make_workbook, write_danish_csv

CODES = ["R1", "R2", "V1"]


def test_danish_csv_end_to_end(tmp_path: Path) -> None:
    table = read_table(write_danish_csv(tmp_path / "tvang.csv"))
    result = read_measurements(table, guess_mapping(table, CODES).mapping)  # type: ignore[arg-type]
    assert result.errors == []
    by_key = {(r.indicator, r.period): r for r in result.rows}
    assert by_key[("R1", "2022-01")].value == 3
    assert by_key[("R1", "2022-01")].source_row == 2
    v1 = by_key[("V1", "2022-03")]
    assert (v1.numerator, v1.denominator, v1.value) == (14, 22, pytest.approx(14 / 22))
    assert by_key[("V1", "2022-05")].denominator == 1234  # "1.234": thousands dot
    assert ("V1", "2022-04") not in by_key  # empty cells: no measurement, no error
    assert by_key[("R1", "2022-04")].value == 0
    assert result.source.file == "tvang.csv"
    json.dumps(result.to_dict())


def test_workbook_end_to_end(tmp_path: Path) -> None:
    table = read_table(make_workbook(tmp_path / "w.xlsx"), sheet="Data 2022")
    result = read_measurements(table, guess_mapping(table, CODES).mapping)  # type: ignore[arg-type]
    assert result.errors == []
    assert [(r.indicator, r.period, r.source_row) for r in result.rows if r.indicator == "R1"] == [
        ("R1", "2022-01", 5), ("R1", "2022-02", 6), ("R1", "2022-03", 7), ("R1", "2022-05", 9)]
    assert result.source.sheet == "Data 2022"


BAD = (
    "Måned;R1;V1 tæller;V1 nævner\n"
    "jan-22;-1;5;4\n"        # row 2: negative count; numerator > denominator
    "feb-22;abc;1;0\n"       # row 3: text; denominator 0
    "mar-22;2;1,5;3\n"       # row 4: numerator not whole
    "jan-22;1;;\n"           # row 5: R1 jan-22 again
    "01-22;1;1;2\n"          # row 6: ambiguous month
    ";4;;\n"                 # row 7: no month
    "apr-22;1;2;\n"          # row 8: denominator missing
    "maj-22;3;2;5\n"         # row 9: fine
)


def test_impossible_values_are_row_errors() -> None:
    table = read_csv_bytes(BAD.encode(), name="bad.csv")
    mapping = guess_mapping(table, CODES).mapping
    assert mapping is not None
    result = read_measurements(table, mapping)
    found = {(e.row, e.column, e.code) for e in result.errors}
    assert found == {
        (2, "R1", "negative"),
        (2, "V1 tæller", "numerator_gt_denominator"),
        (3, "R1", "not_a_number"),
        (3, "V1 nævner", "denominator_zero"),
        (4, "V1 tæller", "not_whole"),
        (5, "R1", "duplicate"),
        (6, "Måned", "period_ambiguous"),
        (7, "Måned", "period_missing"),
        (8, "V1 nævner", "denominator_missing"),
    }
    assert [(r.indicator, r.period) for r in result.rows] == [
        ("R1", "2022-03"), ("R1", "2022-04"), ("R1", "2022-05"), ("V1", "2022-05")]
    duplicate = next(e for e in result.errors if e.code == "duplicate")
    assert str(duplicate) == "row 5, column R1: R1 for 2022-01 is already given in row 2"
    assert duplicate.message("da") == "række 5, kolonne R1: R1 for 2022-01 står allerede i række 2"
    text = next(e for e in result.errors if e.code == "not_a_number")
    assert "'abc'" in text.reason_en and "'abc'" in text.reason_da
    assert not result.ok


def test_long_layout_with_aliases_and_unknown_indicators() -> None:
    table = read_csv_bytes(
        "Periode;Indikator;Værdi;Tæller;Nævner\n"
        "2022-01;Personer tvangsindlagt;3;;\n"
        "2022-01;V1;;5;10\n"
        "2022-01;X9;1;;\n"
        "2022-02;;1;;\n"
        "2022-02;R2;;;\n".encode()
    )
    mapping = ColumnMapping(period="Periode", layout="long", indicator_column="Indikator",
                            value_column="Værdi", numerator_column="Tæller",
                            denominator_column="Nævner",
                            aliases={"personer tvangsindlagt": "R1"})
    result = read_measurements(table, mapping, known_indicator_codes=["R1", "R2", "V1"])
    assert [(r.indicator, r.period, r.value) for r in result.rows] == [
        ("R1", "2022-01", 3.0), ("V1", "2022-01", 0.5)]
    assert {(e.row, e.code) for e in result.errors} == {
        (4, "indicator_unknown"), (5, "indicator_missing"), (6, "value_missing")}


def test_mapping_naming_missing_column_is_a_clear_error() -> None:
    table = read_csv_bytes(b"Maaned;R1\n2022-01;1\n")
    mapping = ColumnMapping(period="Maaned", indicators=[IndicatorColumns("R2", value="R2")])
    with pytest.raises(DataImportError, match="no column 'R2'"):
        read_measurements(table, mapping)
    with pytest.raises(DataImportError):
        read_measurements(table, ColumnMapping(period="Maaned"))


def test_header_lookup_ignores_case_and_spacing() -> None:
    table = read_csv_bytes(b"maaned;r1 personer\n2022-01;1\n")
    mapping = ColumnMapping(period="Maaned", indicators=[IndicatorColumns("R1", "R1  Personer")])
    assert read_measurements(table, mapping).rows[0].value == 1
