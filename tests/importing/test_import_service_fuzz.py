"""Malformed files through the import service: a clear PdsaError or a clean import, never a
crash, never a partial write, and a row number whenever a row is at fault."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from pdsa_core.errors import DataImportError
from pdsa_core.importing import service as imports
from pdsa_core.importing.events import Population
from pdsa_core.importing.numbers import parse_number
from pdsa_core.importing.problems import ImportProblem
from pdsa_core.workspace import Workspace
from tests.importing.helpers import import_all_or_nothing, workspace_copy

TEAM = "Psykiatrien Syd"
FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

HEADER = ["Måned", "R1 Personer tvangsindlagt", "R2 Tvangsindlæggelser", "V1 tæller", "V1 nævner"]
ROWS = [
    ["jan-22", "5", "7", "3", "10"],
    ["februar 2022", "4", "6", "2", "9"],
    ["03-2022", "6", "9", "4", "11"],
    ["april 2022", "3", "3", "5", "12"],
]


@pytest.fixture(scope="module")
def template() -> Path:
    """A workspace with a team and its indicators, copied for every example."""
    folder = Path(tempfile.mkdtemp(prefix="pdsa-fuzz-"))
    ws = Workspace.create(folder / "template.json")
    ws.add_team(TEAM)
    for code in ("R1", "R2", "F1", "F2"):
        ws.add_indicator(TEAM, code, f"Indikator {code}")
    ws.add_indicator(TEAM, "V1", "Andel med UA/KP", unit="proportion", direction="up")
    ws.add_measurement(TEAM, "R1", "2022-01", value=2)  # something for the import to change
    yield folder / "template.json"
    shutil.rmtree(folder, ignore_errors=True)


def csv_text(rows: list[list[str]], sep: str = ";") -> str:
    return "\r\n".join(sep.join(row) for row in [HEADER, *rows]) + "\r\n"


# -- anything at all ------------------------------------------------------------------------------------
@FUZZ
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".csv", ".txt", ".xlsx"]))
@example(data=b"", suffix=".csv")
@example(data=b"\xef\xbb\xbf", suffix=".csv")
@example(data=b"PK\x03\x04\x14\x00\x00\x00", suffix=".xlsx")
@example(data=b"M\xe5ned;R1\r\n2022-01;5\r\n2022-01;6\r\n", suffix=".csv")
@example(data=b'"M\xe5ned;R1\r\n2022-01;5', suffix=".csv")
def test_random_bytes_never_crash_and_never_half_write(template, data, suffix) -> None:
    with workspace_copy(template) as (ws, path, folder):
        file = folder / f"data{suffix}"
        file.write_bytes(data)
        import_all_or_nothing(ws, TEAM, path, file)


@FUZZ
@given(
    text=st.text(
        alphabet=st.sampled_from(list(";,\t\"'\r\n -.:/%0123456789aejmnrstuæøåMRV12")), max_size=400
    ),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
)
def test_csv_like_text_never_crashes(template, text, encoding) -> None:
    with workspace_copy(template) as (ws, path, folder):
        file = folder / "data.csv"
        file.write_bytes((csv_text([]) + text).encode(encoding, errors="replace"))
        import_all_or_nothing(ws, TEAM, path, file)


@FUZZ
@given(cut=st.integers(min_value=0, max_value=4000))
def test_a_truncated_workbook_is_refused_cleanly(template, cut) -> None:
    from openpyxl import Workbook

    with workspace_copy(template) as (ws, path, folder):
        book = Workbook()
        for row in [HEADER, *ROWS]:
            book.active.append(row)
        whole = folder / "whole.xlsx"
        book.save(whole)
        data = whole.read_bytes()
        assume(cut < len(data))
        file = folder / "cut.xlsx"
        file.write_bytes(data[:cut])
        error = import_all_or_nothing(ws, TEAM, path, file)
        assert isinstance(error, DataImportError)


# -- one bad cell: the message names its row ---------------------------------------------------------------
def _not_a_count(text: str) -> bool:
    try:
        number = parse_number(text)
    except ImportProblem:
        return True
    return number < 0 or number != int(number)


#: cell text as a user could type it (no control characters: a NUL makes the file binary)
typed = st.characters(blacklist_categories=("Cc", "Cs"))
bad_cells = st.text(typed, min_size=1, max_size=12).filter(
    lambda s: (
        s.strip() and _not_a_count(s) and ";" not in s and '"' not in s and "\n" not in s and "\r" not in s
    )
)


@FUZZ
@given(
    row=st.integers(min_value=0, max_value=len(ROWS) - 1),
    column=st.integers(min_value=1, max_value=4),
    cell=bad_cells,
    sep=st.sampled_from([";", "\t"]),
)
def test_a_bad_cell_refuses_the_import_with_its_row_number(template, row, column, cell, sep) -> None:
    rows = [list(r) for r in ROWS]
    rows[row][column] = cell.replace(sep, " ")
    assume(rows[row][column].strip())
    with workspace_copy(template) as (ws, path, folder):
        file = folder / "data.csv"
        file.write_bytes(csv_text(rows, sep).encode("cp1252", errors="replace"))
        plan = imports.read_file(ws, TEAM, file)
        excel_row = row + 2  # the header is row 1
        assert excel_row in {e.row for e in plan.errors}
        error = import_all_or_nothing(ws, TEAM, path, file)
        assert isinstance(error, DataImportError)
        assert f"row {excel_row}" in str(error)


@FUZZ
@given(
    row=st.integers(min_value=0, max_value=len(ROWS) - 1),
    label=st.text(typed, min_size=1, max_size=12).filter(
        lambda s: s.strip() and not any(c in s for c in ';"\r\n')
    ),
)
def test_an_unreadable_month_names_its_row(template, row, label) -> None:
    from pdsa_core.importing.periods import read_period
    from pdsa_core.importing.tables import _is_total

    try:
        read_period(label)
        assume(False)
    except ImportProblem:
        pass
    # a sum row ("I alt", "Total") is skipped with a note by design, not an unreadable month
    assume(not _is_total(label))
    rows = [list(r) for r in ROWS]
    rows[row][0] = label
    with workspace_copy(template) as (ws, path, folder):
        file = folder / "data.csv"
        file.write_bytes(csv_text(rows).encode("utf-8"))
        plan = imports.read_file(ws, TEAM, file)
        if plan.mapping is None:  # a label that made the month column unrecognisable
            assert plan.problems
            return
        assert (row + 2, "Måned") in {(e.row, e.column) for e in plan.errors}
        error = import_all_or_nothing(ws, TEAM, path, file)
        assert f"row {row + 2}" in str(error)


# -- event extracts ------------------------------------------------------------------------------------------
EVENT_HEADER = "cpr;tidspunkt;tvangstype;afsnit;alder;bopælskommune;ambulant_forløb;retspsykiatrisk"
GOOD_EVENT = "010190-1234;01.03.2022 10:00;Tvangsindlæggelse;S1;40;Aalborg;ja;nej"


@FUZZ
@given(
    lines=st.lists(
        st.text(alphabet=st.sampled_from(list(';0123456789-.: abcjnx"\t')), max_size=70), max_size=8
    )
)
def test_malformed_event_rows_never_crash_and_never_echo_an_identifier(template, lines) -> None:
    with workspace_copy(template) as (ws, path, folder):
        file = folder / "udtraek.csv"
        file.write_bytes(("\r\n".join([EVENT_HEADER, GOOD_EVENT, *lines]) + "\r\n").encode("utf-8"))
        error = import_all_or_nothing(ws, TEAM, path, file, population=Population(exclude_forensic=False))
        if error is not None:
            assert "010190-1234" not in str(error) and "0101901234" not in str(error)
        if isinstance(error, DataImportError) and "cannot be read" in str(error):
            assert "row " in str(error)
