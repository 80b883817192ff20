"""``.xls`` and ``.ods`` workbooks (read with python-calamine), as teams still have them.

The files are made here: ``.xls`` with xlwt (a test-only dependency), ``.ods`` with the
small OpenDocument writer in :mod:`tests.importing.odsfile`.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import xlwt
from click.testing import CliRunner

from pdsa_cli import build_cli
from pdsa_core.errors import DataImportError
from pdsa_core.importing import service as imports
from pdsa_core.importing.mapping import guess_mapping
from pdsa_core.importing.measurements import read_measurements
from pdsa_core.importing.tables import list_sheets, read_table
from tests.importing.odsfile import Span, write_ods

TEAM = "Psykiatrien Midt"
CODES = ["R1", "R2", "V1"]


@pytest.fixture()
def ws(workspace):
    workspace.add_team(TEAM)
    workspace.add_indicator(TEAM, "R1", "Personer tvangsindlagt", unit="count")
    workspace.add_indicator(TEAM, "R2", "Tvangsindlæggelser", unit="count")
    workspace.add_indicator(TEAM, "V1", "Andel med UA/KP", unit="proportion", direction="up")
    workspace.add_indicator(TEAM, "F1", "Bæltefikserede personer", unit="rate")
    return workspace


def ods_workbook(path: Path) -> Path:
    """A front sheet, then a month per row with 'V1' merged over 'tæller' and 'nævner'."""
    return write_ods(
        path,
        {
            "Forside": [["Tvangsdata, afsnit S2"], ["Udfyldt af tovholderen"]],
            "Data 2022": [
                ["Måned", "R1 Personer tvangsindlagt", Span("V1 Udskrivningsaftale", 2), "F1 pr. 10.000"],
                [None, None, "tæller", "nævner", None],
                [dt.date(2022, 1, 1), 5, 3, 10, "2,5"],
                ["februar 2022", 4, 2, 9, 1.75],
                ["03-2022", None, 4, 11, "1.234,5"],
            ],
        },
    )


def xls_workbook(path: Path) -> Path:
    """A month per row on the first sheet; the same data with the months across on the second,
    the month headers being Excel dates, and a tæller/nævner row pair."""
    book = xlwt.Workbook(encoding="utf-8")
    rows = book.add_sheet("Måned for måned")
    rows.write(0, 0, "Måned")
    rows.write_merge(0, 0, 1, 2, "V1")
    rows.write(0, 3, "R2 Tvangsindlæggelser")
    for column, text in ((1, "tæller"), (2, "nævner")):
        rows.write(1, column, text)
    month = xlwt.easyxf(num_format_str="mmm-yy")
    for number, (day, num, den, r2) in enumerate(
        ((dt.datetime(2022, 1, 1), 3, 10, 7), (dt.datetime(2022, 2, 1), 2, 9, 6)), start=2
    ):
        rows.write(number, 0, day, month)
        rows.write(number, 1, num)
        rows.write(number, 2, den)
        rows.write(number, 3, r2)
    across = book.add_sheet("Skabelon")
    across.write(0, 0, "Indikator")
    for column, day in enumerate(
        (dt.datetime(2022, 1, 1), dt.datetime(2022, 2, 1), dt.datetime(2022, 3, 1)), 1
    ):
        across.write(0, column, day, month)
    across.write(0, 4, "I alt")
    for number, (label, values) in enumerate(
        (
            ("R2 Antal tvangsindlæggelser", (7, 6, "seks")),
            ("V1 tæller", (3, 2, 4)),
            ("V1 nævner", (10, 9, 11)),
        ),
        start=1,
    ):
        across.write(number, 0, label)
        for column, value in enumerate(values, 1):
            across.write(number, column, value)
        across.write(number, 4, "")
    book.save(str(path))
    return path


# -- .ods --------------------------------------------------------------------------------------------
def test_ods_sheets_merged_header_typed_dates_and_danish_text_numbers(tmp_path: Path) -> None:
    path = ods_workbook(tmp_path / "tvang.ods")
    assert list_sheets(path) == ["Forside", "Data 2022"]
    table = read_table(path, sheet="data 2022")
    assert table.source.sheet == "Data 2022"
    assert table.header_row_numbers == [1, 2] and table.row_numbers == [3, 4, 5]
    assert table.headers == [
        "Måned",
        "R1 Personer tvangsindlagt",
        "V1 Udskrivningsaftale tæller",
        "V1 Udskrivningsaftale nævner",
        "F1 pr. 10.000",
    ]
    assert table.rows[0][0] == dt.date(2022, 1, 1) and table.rows[0][1] == 5
    assert isinstance(table.rows[0][1], int)  # a whole number arrives as a number, not text
    assert table.decimal == ","
    mapping = guess_mapping(table, [*CODES, "F1"]).mapping
    assert mapping is not None
    result = read_measurements(table, mapping)
    assert result.errors == []
    f1 = {r.period: r.value for r in result.rows if r.indicator == "F1"}
    assert f1 == {"2022-01": 2.5, "2022-02": 1.75, "2022-03": 1234.5}
    assert {r.period for r in result.rows if r.indicator == "R1"} == {"2022-01", "2022-02"}
    assert read_table(path, sheet=1).source.sheet == "Data 2022"


def test_ods_is_imported_with_its_sheet_recorded(ws, tmp_path: Path) -> None:
    path = ods_workbook(tmp_path / "tvang.ods")
    plan = imports.read_file(ws, TEAM, path, sheet="Data 2022")
    assert plan.can_commit, (plan.problems, plan.errors)
    assert plan.sheets == ["Forside", "Data 2022"] and plan.mapping is not None
    assert plan.mapping.sheet == "Data 2022"
    result = imports.commit(ws, plan, save_mapping_as="ods")
    assert result.added == 2 + 3 + 3
    stored = ws.measurements(TEAM, "V1")
    assert [(m.period, m.numerator, m.denominator) for m in stored] == [
        ("2022-01", 3, 10),
        ("2022-02", 2, 9),
        ("2022-03", 4, 11),
    ]
    assert {(m.source_file, m.source_sheet) for m in stored} == {("tvang.ods", "Data 2022")}
    # the saved mapping remembers the sheet: next time no --sheet is needed
    again = imports.read_file(ws, TEAM, path, mapping="ods")
    assert again.source_sheet == "Data 2022" and again.errors == []


# -- .xls --------------------------------------------------------------------------------------------
def test_xls_month_per_row_with_merged_header_and_date_cells(tmp_path: Path) -> None:
    path = xls_workbook(tmp_path / "tvang.xls")
    assert list_sheets(path) == ["Måned for måned", "Skabelon"]
    table = read_table(path)
    assert table.headers == ["Måned", "V1 tæller", "V1 nævner", "R2 Tvangsindlæggelser"]
    assert table.rows[0][0] in (dt.datetime(2022, 1, 1), dt.date(2022, 1, 1))
    mapping = guess_mapping(table, CODES).mapping
    assert mapping is not None and mapping.months_in is None
    result = read_measurements(table, mapping)
    assert result.errors == []
    assert {(r.indicator, r.period, r.value) for r in result.rows if r.indicator == "R2"} == {
        ("R2", "2022-01", 7),
        ("R2", "2022-02", 6),
    }


def test_xls_second_sheet_with_months_across_names_the_bad_cell(ws, tmp_path: Path) -> None:
    path = xls_workbook(tmp_path / "tvang.xls")
    plan = imports.read_file(ws, TEAM, path, sheet="Skabelon")
    assert plan.table is not None and plan.table.transposed is not None
    assert plan.mapping is not None and plan.mapping.months_in == "columns"
    assert [(e.row, e.column, e.code) for e in plan.errors] == [(2, "D (2022-03-01)", "not_a_number")]
    assert "'seks'" in plan.errors[0].reason_en
    assert not plan.can_commit
    with pytest.raises(DataImportError, match="row 2"):
        imports.commit(ws, plan)
    assert ws.measurements(TEAM, "R2") == [] and ws.measurements(TEAM, "V1") == []
    # asked to skip the bad cell, the others are stored
    result = imports.commit(ws, plan, skip_errors=True)
    assert result.added == 2 + 3 and result.skipped_count == 1
    assert [m.period for m in ws.measurements(TEAM, "R2")] == ["2022-01", "2022-02"]


def test_xls_two_row_header_without_merged_ranges_reads_the_upper_cell_across(tmp_path: Path) -> None:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Ark1")
    for column, text in ((0, "Måned"), (1, "V1"), (3, "R1")):
        sheet.write(0, column, text)
    for column, text in ((1, "tæller"), (2, "nævner")):
        sheet.write(1, column, text)
    for column, value in enumerate(("jan-22", 3, 10, 5)):
        sheet.write(2, column, value)
    path = tmp_path / "uflettet.xls"
    book.save(str(path))
    table = read_table(path)
    assert table.headers == ["Måned", "V1 tæller", "V1 nævner", "R1"]


def test_damaged_or_misnamed_workbooks_are_refused_clearly(tmp_path: Path) -> None:
    csv_as_xls = tmp_path / "eksport.xls"
    csv_as_xls.write_text("Måned;R1\njan-22;5\n", encoding="utf-8")
    with pytest.raises(DataImportError, match="not a readable workbook"):
        read_table(csv_as_xls)
    broken = tmp_path / "brudt.ods"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(DataImportError, match="not a readable workbook"):
        list_sheets(broken)
    with pytest.raises(DataImportError, match="does not exist"):
        read_table(tmp_path / "mangler.ods")
    with pytest.raises(DataImportError, match="Forside, Data 2022"):
        read_table(ods_workbook(tmp_path / "tvang.ods"), sheet="Ark9")


def test_cli_lists_the_sheets_of_xls_and_ods(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PDSA_LOAD_PLUGINS", "")
    runner = CliRunner()
    for path, names in (
        (xls_workbook(tmp_path / "tvang.xls"), ["Måned for måned", "Skabelon"]),
        (ods_workbook(tmp_path / "tvang.ods"), ["Forside", "Data 2022"]),
    ):
        result = runner.invoke(build_cli(), ["--lang", "en", "import", "sheets", str(path), "--json"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout) == names
