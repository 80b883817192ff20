"""Measurement tables with the months across the header and an indicator per row.

The "dataskabelon" shape teams keep in Excel: ``Indikator | jan-22 | feb-22 | ...``. It is
read turned round, through the same mapping and checks as a month per row, and its errors
point at the indicator's row and the month's column.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from pdsa_core.errors import DataImportError, ValidationError
from pdsa_core.importing import service as imports
from pdsa_core.importing.mapping import ColumnMapping, guess_mapping
from pdsa_core.importing.measurements import read_measurements
from pdsa_core.importing.tables import MONTH_HEADER, read_csv_bytes, read_table

TEAM = "Psykiatrien Nord"
CODES = ["R1", "R2", "V1"]

#: as Danish Excel saves a dataskabelon: Windows-1252, semicolons, decimal comma,
#: æøå in the indicator names, an empty cell for a month not yet counted, a sum column
TEMPLATE_CSV = (
    "Indikator;jan-22;feb-22;mar-22;apr-22;I alt\r\n"
    "R1 Antal personer, der tvangsindlægges;5;4;6;;15\r\n"
    "R2 Antal tvangsindlæggelser på afsnittet;7;6;9;;22\r\n"
    "V1 tæller: udskrivningsaftale/koordinationsplan;3;2;4;;9\r\n"
    "V1 nævner: udskrivninger (ældre end 18 år);10;9;11;;30\r\n"
)


@pytest.fixture()
def ws(workspace):
    workspace.add_team(TEAM)
    workspace.add_indicator(TEAM, "R1", "Personer tvangsindlagt", unit="count")
    workspace.add_indicator(TEAM, "R2", "Tvangsindlæggelser", unit="count")
    workspace.add_indicator(TEAM, "V1", "Andel med UA/KP", unit="proportion", direction="up")
    return workspace


def write_csv(path: Path, text: str, encoding: str = "cp1252") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def stored(ws, code: str) -> dict[str, float]:
    return {m.period: m.value for m in ws.measurements(TEAM, code)}


# -- reading the shape ------------------------------------------------------------------------------
def test_windows_1252_template_is_turned_into_a_month_per_row() -> None:
    table = read_csv_bytes(TEMPLATE_CSV.encode("cp1252"), name="dataskabelon.csv")
    assert table.encoding == "cp1252" and table.decimal == ","
    assert table.transposed is not None
    assert table.headers[0] == MONTH_HEADER
    assert table.headers[1] == "R1 Antal personer, der tvangsindlægges"
    assert [row[0] for row in table.rows] == ["2022-01", "2022-02", "2022-03", "2022-04"]
    # the turned rows are the sheet's month columns B..E
    assert table.row_numbers == [2, 3, 4, 5]
    assert table.rows[3][1:] == [None, None, None, None]  # April: nothing counted yet
    assert table.locate(3, "R2 Antal tvangsindlæggelser på afsnittet") == (3, "C (feb-22)")
    assert table.note_texts("en") == ["column F (I alt) is a sum and is not read"]
    assert table.note_texts("da") == ["kolonne F (I alt) er en sum og læses ikke"]


def test_guess_reads_the_row_labels_as_indicator_columns() -> None:
    table = read_csv_bytes(TEMPLATE_CSV.encode("cp1252"), name="dataskabelon.csv")
    guess = guess_mapping(table, CODES)
    assert guess.complete
    mapping = guess.mapping
    assert mapping is not None and mapping.months_in == "columns" and mapping.layout == "wide"
    v1 = next(item for item in mapping.indicators if item.indicator == "V1")
    assert v1.numerator == "V1 tæller: udskrivningsaftale/koordinationsplan"
    assert v1.denominator == "V1 nævner: udskrivninger (ældre end 18 år)"
    result = read_measurements(table, mapping, known_indicator_codes=CODES)
    assert result.errors == []
    values = {(r.indicator, r.period): r for r in result.rows}
    assert values[("R1", "2022-03")].value == 6
    assert values[("R1", "2022-03")].source_row == 2
    assert values[("R1", "2022-03")].source_column == "D (mar-22)"
    assert values[("V1", "2022-02")].value == pytest.approx(2 / 9)
    assert values[("V1", "2022-02")].source_row == 4  # the numerator's row
    # empty cells are missing months, never zero
    assert not any(period == "2022-04" for _, period in values)


def test_code_and_name_in_two_columns_and_a_tæller_nævner_pair_under_a_heading() -> None:
    text = (
        "Kode;Indikator;2022-01;2022-02;2022-03\n"
        "R1;Personer tvangsindlagt;5;4;6\n"
        "V1;Andel med udskrivningsaftale;;;\n"
        ";tæller;3;2;4\n"
        ";nævner;10;9;11\n"
        "I alt;;8;6;10\n"
    )
    table = read_csv_bytes(text.encode("utf-8"), name="skabelon.csv")
    assert table.headers == [
        MONTH_HEADER,
        "R1 Personer tvangsindlagt",
        "V1 Andel med udskrivningsaftale",
        "V1 Andel med udskrivningsaftale tæller",
        "V1 Andel med udskrivningsaftale nævner",
    ]
    assert table.transposed is not None and table.transposed.label_columns == ["A", "B"]
    assert "row 6 (I alt) is a sum and is not read" in table.note_texts("en")
    mapping = guess_mapping(table, CODES).mapping
    assert mapping is not None
    result = read_measurements(table, mapping, known_indicator_codes=CODES)
    assert result.errors == []
    v1 = {r.period: r for r in result.rows if r.indicator == "V1"}
    assert v1["2022-03"].numerator == 4 and v1["2022-03"].denominator == 11


def test_month_per_row_tables_are_not_turned() -> None:
    wide = "Måned;R1;R2\njan-22;5;7\nfeb-22;4;6\n"
    long = "Indikator;Periode;Værdi\nR1;2022-01;5\nR1;2022-02;12000\n"
    for text in (wide, long):
        table = read_csv_bytes(text.encode("utf-8"), name="t.csv")
        assert table.transposed is None
    # a sum row under a month per row is passed over with a note, not a row error
    table = read_csv_bytes((wide + "I alt;9;13\n").encode("utf-8"), name="t.csv")
    assert len(table.rows) == 2 and table.note_texts("en") == ["row 4 (I alt) is a sum and is not read"]


def test_months_in_forces_or_refuses_the_shape() -> None:
    data = "Måned;R1\njan-22;5\n".encode()
    with pytest.raises(DataImportError, match="months across the header"):
        read_csv_bytes(data, name="t.csv", months_in="columns")
    turned = TEMPLATE_CSV.encode("cp1252")
    assert read_csv_bytes(turned, name="t.csv", months_in="rows").transposed is None
    mapping = ColumnMapping(period="Indikator", indicators=[], months_in="rows")
    with pytest.raises(ValidationError):
        mapping.validate()  # and a wide mapping needs indicators
    table = read_csv_bytes(turned, name="t.csv")
    month_per_row = guess_mapping(table, CODES).mapping
    assert month_per_row is not None
    month_per_row.months_in = "rows"
    with pytest.raises(DataImportError, match="a month per row"):
        read_measurements(table, month_per_row)
    with pytest.raises(ValidationError, match="months_in"):
        ColumnMapping.from_dict({**month_per_row.to_dict(), "months_in": "diagonal"})


def test_xlsx_with_excel_dates_in_the_header_and_a_title_row(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Tvang 2022"
    sheet["A1"] = "Dataskabelon, Region Nordjylland"
    sheet.append([])
    sheet.append(["Indikator", *[dt.datetime(2022, month, 1) for month in range(1, 7)], "Total"])
    for cell in sheet[3][1:7]:
        cell.number_format = "mmm-yy"
    sheet.append(["R1 Personer tvangsindlagt", 5, 4, 6, 3, None, 2, 20])
    sheet.append(["V1 tæller", 3, 2, 4, 1, None, 2, 12])
    sheet.append(["V1 nævner", 10, 9, 11, 8, None, 7, 45])
    path = tmp_path / "dataskabelon.xlsx"
    book.save(path)
    table = read_table(path)
    assert table.transposed is not None and table.header_row_numbers == [3]
    assert [row[0] for row in table.rows] == [f"2022-{m:02d}" for m in range(1, 7)]
    mapping = guess_mapping(table, CODES).mapping
    assert mapping is not None
    result = read_measurements(table, mapping, known_indicator_codes=CODES)
    assert result.errors == []
    v1 = {r.period: r for r in result.rows if r.indicator == "V1"}
    assert sorted(v1) == ["2022-01", "2022-02", "2022-03", "2022-04", "2022-06"]
    assert v1["2022-06"].value == pytest.approx(2 / 7) and v1["2022-06"].source_row == 5
    assert v1["2022-06"].source_column == "G (2022-06-01)"


def test_year_merged_over_month_names(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["", 2022, None, None, 2023, None])
    sheet.append(["Indikator", "januar", "februar", "marts", "januar", "februar"])
    sheet.append(["R2", 7, 6, 9, 8, 5])
    sheet.merge_cells("B1:D1")
    sheet.merge_cells("E1:F1")
    path = tmp_path / "to_aar.xlsx"
    book.save(path)
    table = read_table(path)
    assert table.header_row_numbers == [1, 2]
    assert [row[0] for row in table.rows] == ["2022-01", "2022-02", "2022-03", "2023-01", "2023-02"]
    assert table.rows[3][1] == 8


# -- the errors say where ---------------------------------------------------------------------------
def test_a_word_in_a_month_cell_names_the_indicator_row_and_the_month_column(ws, tmp_path) -> None:
    text = TEMPLATE_CSV.replace(
        "R2 Antal tvangsindlæggelser på afsnittet;7;6;9", "R2 Antal tvangsindlæggelser på afsnittet;7;seks;9"
    )
    path = write_csv(tmp_path / "dataskabelon.csv", text)
    plan = imports.read_file(ws, TEAM, path)
    assert plan.mapping is not None and plan.mapping.months_in == "columns"
    assert len(plan.errors) == 1
    error = plan.errors[0]
    assert (error.row, error.column, error.code) == (3, "C (feb-22)", "not_a_number")
    assert "'seks'" in error.reason_da and "'seks'" in error.reason_en
    assert not plan.can_commit
    with pytest.raises(DataImportError, match="row 3"):
        imports.commit(ws, plan)
    assert stored(ws, "R2") == {}


def test_unit_and_pair_errors_point_at_the_cell(ws, tmp_path) -> None:
    text = (
        "Indikator;jan-22;feb-22;mar-22\n"
        "R1 Personer tvangsindlagt;5;2,5;6\n"
        "V1 tæller;3;12;4\n"
        "V1 nævner;10;9;0\n"
    )
    path = write_csv(tmp_path / "fejl.csv", text, "utf-8")
    plan = imports.read_file(ws, TEAM, path)
    found = {(e.row, e.column, e.code) for e in plan.errors}
    assert found == {
        (2, "C (feb-22)", "count_not_whole"),
        (3, "C (feb-22)", "numerator_gt_denominator"),
        (4, "D (mar-22)", "denominator_zero"),
    }


def test_the_same_month_twice_names_the_first_column() -> None:
    text = "Indikator;jan-22;feb-22;01-2022\nR1;5;4;6\n"
    table = read_csv_bytes(text.encode("utf-8"), name="t.csv")
    mapping = guess_mapping(table, CODES).mapping
    assert mapping is not None
    result = read_measurements(table, mapping)
    assert [(e.row, e.column, e.code) for e in result.errors] == [(2, "D (01-2022)", "duplicate_column")]
    assert "column B (jan-22)" in result.errors[0].reason_en
    assert "kolonne B (jan-22)" in result.errors[0].reason_da


# -- the service: preview, commit, a saved mapping ------------------------------------------------------
def test_preview_commit_and_the_saved_mapping_reads_next_months_file(ws, tmp_path) -> None:
    path = write_csv(tmp_path / "dataskabelon_april.csv", TEMPLATE_CSV)
    plan = imports.read_file(ws, TEAM, path)
    assert plan.mapping_origin == "guessed" and plan.can_commit
    assert any("F (I alt)" in warning for warning in plan.warnings)
    assert dict(plan.mapping_lines())[MONTH_HEADER] == "period"
    preview = imports.preview(ws, plan)
    assert preview.to_dict()
    result = imports.commit(ws, plan, save_mapping_as="skabelon")
    assert result.added == 9 and result.mapping_saved == "skabelon"
    assert stored(ws, "R1") == {"2022-01": 5, "2022-02": 4, "2022-03": 6}
    assert stored(ws, "V1")["2022-03"] == pytest.approx(4 / 11)
    saved = imports.saved_mappings(ws, TEAM)["skabelon"]
    assert saved["months_in"] == "columns" and saved["period"] == MONTH_HEADER
    # next month: April filled in, the saved mapping fits and is used
    may = (
        TEMPLATE_CSV.replace(";;15", ";3;18")
        .replace(";;22", ";5;27")
        .replace(";;9", ";1;10")
        .replace(";;30", ";8;38")
    )
    plan = imports.read_file(ws, TEAM, write_csv(tmp_path / "dataskabelon_maj.csv", may))
    assert plan.mapping_origin == "saved" and plan.mapping_name == "skabelon"
    result = imports.commit(ws, plan)
    assert (result.added, result.changed, result.unchanged) == (3, 0, 9)
    # a saved mapping for this shape refuses a month-per-row file with a clear message
    month_rows = write_csv(tmp_path / "maaned.csv", "Måned;R1\njan-22;5\n")
    with pytest.raises(DataImportError, match="months across the header"):
        imports.read_file(ws, TEAM, month_rows, mapping="skabelon")


def test_the_mapping_of_a_turned_table_is_adjusted_by_row_label(ws, tmp_path) -> None:
    text = "Indikator;jan-22;feb-22\nPersoner tvangsindlagt;5;4\nTvangsindlæggelser;7;6\n"
    path = write_csv(tmp_path / "uden_koder.csv", text)
    plan = imports.read_file(ws, TEAM, path)
    assert plan.mapping is None and plan.problems
    changes = [
        imports.MappingChange.parse("Personer tvangsindlagt=R1"),
        imports.MappingChange.parse("tvangsindlæggelser=R2"),
    ]
    plan = imports.read_file(ws, TEAM, path, changes=changes)
    assert plan.mapping is not None and plan.can_commit
    assert {(r.indicator, r.period, r.value) for r in plan.rows} == {
        ("R1", "2022-01", 5),
        ("R1", "2022-02", 4),
        ("R2", "2022-01", 7),
        ("R2", "2022-02", 6),
    }
    assert {r.source_row for r in plan.rows if r.indicator == "R2"} == {3}


def test_dates_in_data_rows_do_not_make_a_row_of_months() -> None:
    long_from_to = "Indikator;Fra;Til;Værdi\nR1;01.01.2022;31.01.2022;5\nR1;01.02.2022;28.02.2022;4\n"
    extract = "cpr;start;slut;afsnit\n0101;01.01.2022;03.02.2022;S1\n0202;05.03.2022;07.04.2022;S2\n"
    for text in (long_from_to, extract):
        table = read_csv_bytes(text.encode("utf-8"), name="t.csv")
        assert table.transposed is None and table.headers[0] in ("Indikator", "cpr")


def test_header_rows_count_from_the_first_filled_row_and_a_title_is_not_part_of_a_month() -> None:
    text = b"Dataskabelon 2022\nIndikator;jan-22;feb-22\nR1;5;4\n"
    assert read_csv_bytes(text, name="t.csv", header_rows=1).transposed is None
    table = read_csv_bytes(text, name="t.csv", header_rows=2)
    assert table.transposed is not None and table.header_row_numbers == [1, 2]
    assert table.transposed.month_columns == {2: "B (jan-22)", 3: "C (feb-22)"}
    # a year written once over unmerged month names (a CSV saved from a merged sheet)
    table = read_csv_bytes(b";2022;;\nIndikator;jan;feb;mar\nR1;5;4;3\n", name="t.csv")
    assert [row[0] for row in table.rows] == ["2022-01", "2022-02", "2022-03"]
    assert table.locate(4, "R1") == (3, "D (2022 mar)")
