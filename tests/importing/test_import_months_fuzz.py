"""Malformed tables with the months across the header, and damaged ``.xls``/``.ods`` files,
through the import service: a clear PdsaError or a clean import, never a crash, never a
partial write, and the indicator's row number (with the month's column) when a cell is at fault."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from pdsa_core.errors import DataImportError, PdsaError
from pdsa_core.importing import service as imports
from pdsa_core.importing.numbers import parse_number
from pdsa_core.importing.problems import ImportProblem
from pdsa_core.importing.tables import column_letter
from pdsa_core.workspace import Workspace
from tests.importing.helpers import import_all_or_nothing, workspace_copy
from tests.importing.odsfile import write_ods

TEAM = "Psykiatrien Nord"
FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

MONTHS = ["jan-22", "feb-22", "mar-22", "apr-22"]
LABELS = ["R1 Personer tvangsindlagt", "R2 Tvangsindlæggelser", "V1 tæller", "V1 nævner"]
VALUES = [["5", "4", "6", "3"], ["7", "6", "9", "3"], ["3", "2", "4", "5"], ["10", "9", "11", "12"]]


@pytest.fixture(scope="module")
def template() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="pdsa-fuzz-"))
    ws = Workspace.create(folder / "template.json")
    ws.add_team(TEAM)
    for code in ("R1", "R2"):
        ws.add_indicator(TEAM, code, f"Indikator {code}")
    ws.add_indicator(TEAM, "V1", "Andel med UA/KP", unit="proportion", direction="up")
    ws.add_measurement(TEAM, "R1", "2022-01", value=2)  # something for the import to change
    yield folder / "template.json"
    shutil.rmtree(folder, ignore_errors=True)


def template_text(values: list[list[str]], sep: str = ";") -> str:
    lines = [sep.join(["Indikator", *MONTHS])]
    lines += [sep.join([label, *row]) for label, row in zip(LABELS, values, strict=True)]
    return "\r\n".join(lines) + "\r\n"


def _not_a_count(text: str) -> bool:
    try:
        number = parse_number(text)
    except ImportProblem:
        return True
    return number < 0 or number != int(number)


typed = st.characters(blacklist_categories=("Cc", "Cs"))
bad_cells = st.text(typed, min_size=1, max_size=12).filter(
    lambda s: s.strip() and _not_a_count(s) and not any(c in s for c in ';"\t\r\n')
)


@FUZZ
@given(
    row=st.integers(min_value=0, max_value=len(LABELS) - 1),
    month=st.integers(min_value=0, max_value=len(MONTHS) - 1),
    cell=bad_cells,
    encoding=st.sampled_from(["utf-8-sig", "cp1252"]),
)
@example(row=1, month=1, cell="seks", encoding="cp1252")
def test_a_bad_cell_names_the_indicator_row_and_the_month_column(
    template, row, month, cell, encoding
) -> None:
    values = [list(r) for r in VALUES]
    values[row][month] = cell
    with workspace_copy(template) as (ws, path, folder):
        file = folder / "skabelon.csv"
        file.write_bytes(template_text(values).encode(encoding, errors="replace"))
        plan = imports.read_file(ws, TEAM, file)
        assert plan.table is not None and plan.table.transposed is not None
        excel_row = row + 2  # the month header is row 1
        column = f"{column_letter(month + 1)} ({MONTHS[month]})"
        assert (excel_row, column) in {(e.row, e.column) for e in plan.errors}
        error = import_all_or_nothing(ws, TEAM, path, file)
        assert isinstance(error, DataImportError)
        assert f"row {excel_row}" in str(error)
        assert Workspace.open(path).measurements(TEAM, "R2") == []


@FUZZ
@given(
    text=st.text(alphabet=st.sampled_from(list(';"\r\n -.:/%0123456789ajnfebmrtæøåIltRV12')), max_size=300),
    encoding=st.sampled_from(["utf-8", "cp1252"]),
)
def test_text_after_a_row_of_months_never_crashes(template, text, encoding) -> None:
    with workspace_copy(template) as (ws, path, folder):
        file = folder / "skabelon.csv"
        file.write_bytes((template_text(VALUES) + text).encode(encoding, errors="replace"))
        import_all_or_nothing(ws, TEAM, path, file)


@FUZZ
@given(
    header=st.lists(
        st.sampled_from(
            ["jan-22", "feb-22", "2022-03", "april 2022", "", "I alt", "Total", "x", "2022", "202205"]
        ),
        min_size=1,
        max_size=7,
    ),
    body=st.lists(
        st.lists(
            st.sampled_from(["", "R1", "V1 tæller", "nævner", "I alt", "5", "2,5", "-1", "seks"]), max_size=8
        ),
        max_size=6,
    ),
)
def test_random_template_shapes_never_crash_and_never_half_write(template, header, body) -> None:
    lines = [";".join(["Indikator", *header])] + [";".join(row) for row in body]
    with workspace_copy(template) as (ws, path, folder):
        file = folder / "skabelon.csv"
        file.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
        try:
            plan = imports.read_file(ws, TEAM, file)
        except PdsaError as exc:  # nothing usable in the file: said, not crashed
            assert str(exc)
            return
        assert all(e.row is not None and e.column for e in plan.errors)
        error = import_all_or_nothing(ws, TEAM, path, file)
        if plan.errors and plan.rows:
            assert isinstance(error, DataImportError)
            assert f"row {plan.errors[0].row}" in str(error)


def _ods_bytes(folder: Path) -> bytes:
    rows = [
        ["Indikator", *MONTHS],
        *[[label, *map(int, row)] for label, row in zip(LABELS, VALUES, strict=True)],
    ]
    return write_ods(folder / "whole.ods", {"Forside": [["Tvang"]], "Data": rows}).read_bytes()


def _xls_bytes(folder: Path) -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Data")
    for column, text in enumerate(["Indikator", *MONTHS]):
        sheet.write(0, column, text)
    for number, (label, row) in enumerate(zip(LABELS, VALUES, strict=True), start=1):
        sheet.write(number, 0, label)
        for column, value in enumerate(row, start=1):
            sheet.write(number, column, int(value))
    book.save(str(folder / "whole.xls"))
    return (folder / "whole.xls").read_bytes()


@FUZZ
@given(
    suffix=st.sampled_from([".ods", ".xls"]),
    cut=st.integers(min_value=0, max_value=8000),
    flips=st.lists(st.tuples(st.integers(min_value=0, max_value=8000), st.integers(0, 255)), max_size=4),
)
def test_damaged_ods_and_xls_are_refused_or_read_never_crash(template, suffix, cut, flips) -> None:
    with workspace_copy(template) as (ws, path, folder):
        data = bytearray(_ods_bytes(folder) if suffix == ".ods" else _xls_bytes(folder))
        for position, value in flips:
            if position < len(data):
                data[position] = value
        assume(cut < len(data) or flips)
        file = folder / f"skadet{suffix}"
        file.write_bytes(bytes(data[:cut]) if cut < len(data) else bytes(data))
        import_all_or_nothing(ws, TEAM, path, file)


def test_whole_ods_and_xls_templates_import(template, tmp_path) -> None:
    for suffix, maker in ((".ods", _ods_bytes), (".xls", _xls_bytes)):
        with workspace_copy(template) as (ws, path, folder):
            file = folder / f"skabelon{suffix}"
            file.write_bytes(maker(tmp_path))
            plan = imports.read_file(ws, TEAM, file, sheet="Data")
            assert plan.can_commit, (suffix, plan.problems, plan.errors)
            result = imports.commit(ws, plan)
            assert (result.added, result.changed) == (11, 1)
