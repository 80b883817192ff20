"""Read a measurement table (CSV or ``.xlsx``) into a :class:`Table` of cells.

A :class:`Table` is what the user sees in Excel: a header (possibly spanning several
rows, with merged cells), then data rows, each with its Excel row number. Nothing is
interpreted here beyond text decoding; :mod:`~pdsa_core.importing.mapping` and
:mod:`~pdsa_core.importing.measurements` give the cells a meaning.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import iterparse

from pdsa_core.errors import DataImportError
from pdsa_core.importing.numbers import guess_decimal
from pdsa_core.importing.periods import parse_period
from pdsa_core.importing.problems import ImportProblem
from pdsa_core.importing.textfile import decode_text, sniff_separator

#: A cell: text (CSV, xlsx), a number or a date (xlsx), or ``None`` when empty.
Cell = str | int | float | dt.datetime | dt.date | dt.time | bool | None

MAX_HEADER_ROWS = 3
EXCEL_SUFFIXES = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class Source:
    """Where imported rows came from: the file's name and, for a workbook, the sheet."""

    file: str
    sheet: str | None = None

    def label(self) -> str:
        return f"{self.file} [{self.sheet}]" if self.sheet else self.file

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "sheet": self.sheet}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Source:
        return cls(str(data["file"]), data.get("sheet"))


@dataclass
class Table:
    """Header names, data rows and each row's Excel row number.

    ``decimal`` is the decimal mark the text numbers of the file use (``","`` or
    ``"."``); workbook cells that are real numbers do not need it.
    """

    headers: list[str]
    rows: list[list[Cell]]
    row_numbers: list[int]
    source: Source
    decimal: str = ","
    encoding: str | None = None
    separator: str | None = None
    header_row_numbers: list[int] = field(default_factory=list)

    def index(self, header: str) -> int:
        """The position of a column by its header (exact, then ignoring case/spaces)."""
        if header in self.headers:
            return self.headers.index(header)
        wanted = normalise_header(header)
        for position, name in enumerate(self.headers):
            if normalise_header(name) == wanted:
                return position
        from pdsa_core.importing.identifiers import redact

        raise DataImportError(
            redact(f"no column {header!r}; the columns are: {', '.join(self.headers)}"),
            where=self.source.label(),
        )

    def column(self, header: str) -> list[Cell]:
        position = self.index(header)
        return [row[position] if position < len(row) else None for row in self.rows]


def normalise_header(text: str) -> str:
    return " ".join(str(text).replace("_", " ").casefold().split())


def column_letter(index: int) -> str:
    """Excel's name of a 0-based column index: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --- public readers ---------------------------------------------------------------


def list_sheets(path: str | Path) -> list[str]:
    """The sheet names of a workbook, in order (a CSV file has none: ``[]``)."""
    path = Path(path)
    if path.suffix.lower() not in EXCEL_SUFFIXES:
        return []
    workbook = _open_workbook(path)
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def read_table(
    path: str | Path, *, sheet: str | int | None = None, header_rows: int | None = None
) -> Table:
    """Read a CSV file or a workbook sheet (by name, or 0-based index; default: first).

    ``header_rows`` (1-3) fixes how many rows form the header; ``None`` detects it.
    Raises :class:`~pdsa_core.errors.DataImportError` for unreadable files.
    """
    path = Path(path)
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return read_xlsx(path, sheet=sheet, header_rows=header_rows)
    if sheet not in (None, 0):
        raise DataImportError("a CSV file has no sheets", where=path.name)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataImportError(f"cannot read the file: {exc.strerror}", where=path.name) from None
    return read_csv_bytes(data, name=path.name, header_rows=header_rows)


def read_csv_bytes(data: bytes, *, name: str = "data.csv", header_rows: int | None = None,
                   separator: str | None = None) -> Table:
    """Read CSV content: detect encoding and separator, split quoted fields."""
    text, encoding = decode_text(data, name)
    sep = separator or sniff_separator(text)
    try:
        records = [
            [cell if cell.strip() else None for cell in record]
            for record in csv.reader(io.StringIO(text, newline=""), delimiter=sep, quotechar='"')
        ]
    except csv.Error as exc:
        raise DataImportError(f"the CSV text cannot be split into fields ({exc})",
                              where=name) from None
    grid = [(number, record) for number, record in enumerate(records, start=1)]
    table = _table_from_grid(grid, Source(name), header_rows)
    table.encoding, table.separator = encoding, sep
    table.decimal = guess_decimal(
        (cell for row in table.rows for cell in row), default="," if sep == ";" else "."
    )
    return table


def read_xlsx(path: str | Path, *, sheet: str | int | None = None,
              header_rows: int | None = None) -> Table:
    """Read one sheet of a workbook with openpyxl (read-only, cached formula values)."""
    path = Path(path)
    workbook = _open_workbook(path)
    try:
        worksheet = _pick_sheet(workbook, sheet, path.name)
        worksheet.reset_dimensions()
        grid = [
            (number, list(values))
            for number, values in enumerate(worksheet.iter_rows(min_row=1, values_only=True),
                                            start=1)
        ]
        merged = _merged_ranges(path, worksheet)
        title = worksheet.title
    except DataImportError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise DataImportError(f"the workbook cannot be read ({type(exc).__name__})",
                              where=path.name) from None
    finally:
        workbook.close()
    _fill_merged(grid, merged)
    grid = [(number, [_clean_cell(cell) for cell in row]) for number, row in grid]
    table = _table_from_grid(grid, Source(path.name, title), header_rows)
    table.decimal = guess_decimal(cell for row in table.rows for cell in row)
    return table


# --- workbook details ---------------------------------------------------------------


def _open_workbook(path: Path) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise DataImportError("the file does not exist", where=path.name) from None
    except Exception as exc:
        raise DataImportError(
            f"not a readable .xlsx workbook ({type(exc).__name__}); an old .xls must first "
            "be saved as .xlsx",
            where=path.name,
        ) from None


def _pick_sheet(workbook: Any, sheet: str | int | None, name: str) -> Any:
    names = list(workbook.sheetnames)
    if not names:
        raise DataImportError("the workbook has no sheets", where=name)
    if sheet is None:
        return workbook[names[0]]
    if isinstance(sheet, int):
        if 0 <= sheet < len(names):
            return workbook[names[sheet]]
    else:
        for candidate in names:
            if candidate == sheet or candidate.casefold().strip() == sheet.casefold().strip():
                return workbook[candidate]
    raise DataImportError(
        f"no sheet {sheet!r}; the sheets are: {', '.join(names)}", where=name
    )


_REF = re.compile(r"([A-Z]+)(\d+)")


def _cell_position(ref: str) -> tuple[int, int]:
    match = _REF.fullmatch(ref)
    if not match:
        raise ValueError(ref)
    column = 0
    for char in match[1]:
        column = column * 26 + ord(char) - 64
    return int(match[2]), column - 1


def _merged_ranges(path: Path, worksheet: Any) -> list[tuple[int, int, int, int]]:
    """(first row, first col, last row, last col) of each merged range in the sheet.

    openpyxl's read-only mode does not report merged cells, so the ``mergeCell``
    elements are read from the sheet's XML directly.
    """
    member = getattr(worksheet, "_worksheet_path", None)
    if not member:
        return []
    ranges = []
    with zipfile.ZipFile(path) as archive, archive.open(member.lstrip("/")) as source:
        for _, element in iterparse(source):
            if element.tag.endswith("}mergeCell"):
                ref = element.get("ref", "")
                if ":" in ref:
                    start, end = ref.split(":", 1)
                    try:
                        (r1, c1), (r2, c2) = _cell_position(start), _cell_position(end)
                    except ValueError:
                        continue
                    ranges.append((r1, c1, r2, c2))
            element.clear()
    return ranges


def _fill_merged(grid: list[tuple[int, list[Any]]], ranges: list[tuple[int, int, int, int]]
                 ) -> None:
    """Give every cell of a merged range the value of its top-left cell."""
    by_number = {number: row for number, row in grid}
    for r1, c1, r2, c2 in ranges:
        top = by_number.get(r1)
        value = top[c1] if top is not None and c1 < len(top) else None
        if value is None:
            continue
        for number in range(r1, r2 + 1):
            row = by_number.get(number)
            if row is None:
                continue
            if len(row) <= c2:
                row.extend([None] * (c2 + 1 - len(row)))
            for column in range(c1, c2 + 1):
                row[column] = value


def _clean_cell(cell: Any) -> Cell:
    if isinstance(cell, str):
        return cell if cell.strip() else None
    return cell


# --- header detection ---------------------------------------------------------------


def _is_empty(row: Sequence[Cell]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in row)


def _looks_like_data(row: Sequence[Cell]) -> bool:
    """A row with a number, a date or a month label in it is data, not header."""
    for cell in row:
        if cell is None or isinstance(cell, bool):
            continue
        if isinstance(cell, int | float | dt.date | dt.datetime | dt.time):
            return True
        text = str(cell).strip()
        if re.fullmatch(r"[-+−]?[\d.,\s]*\d[\d.,\s]*%?", text):
            return True
        try:
            parse_period(text)
        except ImportProblem:
            continue
        return True
    return False


def _header_text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat(" ")
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return " ".join(str(cell).split())


def _table_from_grid(grid: list[tuple[int, list[Cell]]], source: Source,
                     header_rows: int | None) -> Table:
    if header_rows is not None and not 1 <= header_rows <= MAX_HEADER_ROWS:
        raise DataImportError(f"header_rows must be 1-{MAX_HEADER_ROWS}", where=source.label())
    start = next((i for i, (_, row) in enumerate(grid) if not _is_empty(row)), None)
    if start is None:
        raise DataImportError("the file has no rows (it is empty)", where=source.label())
    count = header_rows or 1
    if header_rows is None:
        while (
            count < MAX_HEADER_ROWS
            and start + count < len(grid)
            and not _is_empty(grid[start + count][1])
            and not _looks_like_data(grid[start + count][1])
            and start + count + 1 < len(grid)
        ):
            count += 1
    header_part = grid[start : start + count]
    data_part = [(n, row) for n, row in grid[start + count :] if not _is_empty(row)]
    width = max((len(row) for _, row in grid[start:]), default=0)
    headers = _join_headers([row for _, row in header_part], width)
    while headers and not headers[-1] and all(
        len(row) < len(headers) or row[len(headers) - 1] is None for _, row in data_part
    ):
        headers.pop()
    headers = _name_columns(headers)
    rows = [(row + [None] * (len(headers) - len(row)))[: len(headers)] for _, row in data_part]
    return Table(
        headers=headers,
        rows=rows,
        row_numbers=[n for n, _ in data_part],
        source=source,
        header_row_numbers=[n for n, _ in header_part],
    )


def _join_headers(rows: list[list[Cell]], width: int) -> list[str]:
    headers = []
    for column in range(width):
        parts: list[str] = []
        for row in rows:
            text = _header_text(row[column]) if column < len(row) else ""
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        headers.append(" ".join(parts))
    return headers


def _name_columns(headers: list[str]) -> list[str]:
    """Empty headers become the Excel column letter; repeated ones get `` (2)``."""
    named: list[str] = []
    seen: dict[str, int] = {}
    for index, header in enumerate(headers):
        name = header or column_letter(index)
        key = name.casefold()
        if key in seen:
            seen[key] += 1
            name = f"{name} ({seen[key]})"
        else:
            seen[key] = 1
        named.append(name)
    return named
