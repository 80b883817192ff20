"""Reading CSV files as Danish Excel writes them, and xlsx workbooks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from pdsa_core.errors import DataImportError
from pdsa_core.importing import list_sheets, read_csv_bytes, read_table

DANISH_CSV = (
    "Måned;R1 Personer tvangsindlagt;R2 Tvangsindlæggelser;V1 tæller;V1 nævner;Bemærkning\r\n"
    "jan-22;3;4;12;20;Første måned\r\n"
    "feb-22;2;2;13;21;\r\n"
    "mar-22;1;1;14,0;22;Ændret afsnit\r\n"
    "apr-22;0;0;;;\r\n"
    "maj-22;1;1;15;1.234;\"Møde; aflyst\"\r\n"
)


def write_danish_csv(path: Path) -> Path:
    path.write_bytes(DANISH_CSV.encode("cp1252"))
    return path


def test_danish_csv_in_windows_1252(tmp_path: Path) -> None:
    table = read_table(write_danish_csv(tmp_path / "tvang.csv"))
    assert table.encoding == "cp1252"
    assert table.separator == ";"
    assert table.decimal == ","
    assert table.headers == [
        "Måned", "R1 Personer tvangsindlagt", "R2 Tvangsindlæggelser", "V1 tæller",
        "V1 nævner", "Bemærkning",
    ]
    assert table.row_numbers == [2, 3, 4, 5, 6]
    assert table.rows[0] == ["jan-22", "3", "4", "12", "20", "Første måned"]
    assert table.rows[3][3] is None  # empty cells are None
    assert table.rows[4][5] == "Møde; aflyst"  # quoted field keeps its separator
    assert table.source.file == "tvang.csv" and table.source.sheet is None


def test_utf8_with_bom_commas_and_quoted_newlines() -> None:
    data = '\ufeffMonth,R1,Note\n2022-01,1.5,"two\nlines"\n2022-02,"1,234.5",x\n'.encode()
    table = read_csv_bytes(data, name="en.csv")
    assert table.encoding == "utf-8-sig"
    assert table.separator == ","
    assert table.decimal == "."
    assert table.headers == ["Month", "R1", "Note"]
    assert table.rows[0][2] == "two\nlines"
    assert table.row_numbers == [2, 3]  # a record is one Excel row even with a newline


def test_plain_utf8_tab_separated_with_empty_leading_rows() -> None:
    data = b"\n\t\t\nPeriode\tF2\n2022-01\t5\n\n2022-02\t6\n"
    table = read_csv_bytes(data)
    assert table.encoding == "utf-8"
    assert table.separator == "\t"
    assert table.headers == ["Periode", "F2"]
    assert table.row_numbers == [4, 6]  # the user's line numbers, blank lines skipped


def test_excel_unicode_text_is_utf16_with_tabs() -> None:
    table = read_csv_bytes("Måned\tR1\r\njan-22\t3\r\n".encode("utf-16"))
    assert (table.encoding, table.separator, table.headers) == ("utf-16", "\t", ["Måned", "R1"])
    assert table.rows == [["jan-22", "3"]]


def test_two_header_rows_in_csv_are_joined() -> None:
    data = "Måned;V1;V1\n;tæller;nævner\njan-22;1;2\n".encode()
    table = read_csv_bytes(data)
    assert table.headers == ["Måned", "V1 tæller", "V1 nævner"]
    assert table.header_row_numbers == [1, 2]


def test_empty_and_duplicate_headers_get_names() -> None:
    table = read_csv_bytes(b"Maaned;;R1;R1\n2022-01;x;1;2\n")
    assert table.headers == ["Maaned", "B", "R1", "R1 (2)"]


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(DataImportError, match="empty"):
        read_csv_bytes(b"")
    with pytest.raises(DataImportError, match="workbook"):
        read_csv_bytes(b"PK\x03\x04rest-of-a-zip", name="data.csv")
    with pytest.raises(DataImportError, match="not a text file"):
        read_csv_bytes(b"a;b\n\x00\x01")
    with pytest.raises(DataImportError):
        read_table(tmp_path / "missing.csv")
    with pytest.raises(DataImportError, match="no sheets"):
        read_table(write_danish_csv(tmp_path / "x.csv"), sheet="Data")


def make_workbook(path: Path) -> Path:
    """Two sheets; the data sheet has a title, an empty row, a two-row header with merged
    cells and Danish month labels (text and real dates)."""
    workbook = Workbook()
    notes = workbook.active
    notes.title = "Noter"
    notes["A1"] = "Data fra Psykiatrien Syd"
    sheet = workbook.create_sheet("Data 2022")
    sheet["A3"] = "Måned"
    sheet.merge_cells("A3:A4")
    sheet["B3"] = "R1"
    sheet["C3"] = "V1 Andel med UA/KP"
    sheet.merge_cells("C3:D3")
    sheet["C4"] = "tæller"
    sheet["D4"] = "nævner"
    sheet.append(["januar 2022", 3, 12, 20])
    sheet.append([dt.datetime(2022, 2, 1), 2, 13, 21])
    sheet.append(["marts 2022", 1, 14, 22])
    sheet.append([None, None, None, None])
    sheet.append(["maj 2022", 1.0, 15, 23])
    workbook.save(path)
    return path


def test_xlsx_with_merged_two_row_header(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "tvang.xlsx")
    assert list_sheets(path) == ["Noter", "Data 2022"]
    table = read_table(path, sheet="data 2022")
    assert table.source.sheet == "Data 2022"
    assert table.headers == ["Måned", "R1", "V1 Andel med UA/KP tæller",
                             "V1 Andel med UA/KP nævner"]
    assert table.header_row_numbers == [3, 4]
    assert table.row_numbers == [5, 6, 7, 9]
    assert table.rows[0] == ["januar 2022", 3, 12, 20]
    assert table.rows[1][0] == dt.datetime(2022, 2, 1)


def test_xlsx_sheet_by_index_and_errors(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "tvang.xlsx")
    assert read_table(path, sheet=1).source.sheet == "Data 2022"
    with pytest.raises(DataImportError, match="Noter, Data 2022"):
        read_table(path, sheet="Ark1")
    with pytest.raises(DataImportError):
        read_table(path, sheet=5)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(DataImportError, match="xlsx"):
        read_table(broken)
    assert list_sheets(tmp_path / "x.csv") == []
