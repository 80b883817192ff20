"""Read a measurement table (CSV, ``.xlsx``, ``.xls`` or ``.ods``) into a :class:`Table` of cells.

A :class:`Table` is what the user sees in Excel: a header (possibly spanning several
rows, with merged cells), then data rows, each with its Excel row number. Nothing is
interpreted here beyond text decoding; :mod:`~pdsa_core.importing.mapping` and
:mod:`~pdsa_core.importing.measurements` give the cells a meaning.

A sheet with **the months across the header** and an indicator per row (the
"dataskabelon" shape: ``Indikator | jan-22 | feb-22 | ...``) is turned round when it
is read: the :class:`Table` then has a month per row and a column per indicator row
(named by the row's label), so the same mapping and checks read both shapes.
``Table.transposed`` remembers where each cell came from, and :meth:`Table.locate`
turns a position in the turned table back into the sheet's row number and month column.

``.xlsx``/``.xlsm`` are read with openpyxl; ``.xls`` and ``.ods`` with python-calamine.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import iterparse

from pdsa_core.errors import DataImportError
from pdsa_core.importing.numbers import guess_decimal
from pdsa_core.importing.periods import read_period
from pdsa_core.importing.problems import ImportProblem
from pdsa_core.importing.textfile import decode_text, sniff_separator
from pdsa_core.output_files import refuse_special_input
from pdsa_core.redaction import redact

#: A cell: text (CSV, xlsx), a number or a date (xlsx), or ``None`` when empty.
Cell = str | int | float | dt.datetime | dt.date | dt.time | bool | None

MAX_HEADER_ROWS = 3
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
#: workbooks read with python-calamine (old Excel, OpenDocument)
CALAMINE_SUFFIXES = (".xls", ".ods")
WORKBOOK_SUFFIXES = EXCEL_SUFFIXES + CALAMINE_SUFFIXES
#: the header of the month column of a table read with its months across the header
MONTH_HEADER = "Måned"
#: a row or column label that holds a sum, not a month or an indicator
TOTAL_WORDS = {"i alt", "ialt", "i alt:", "total", "totalt", "total:", "sum", "sum:", "samlet",
               "samlet:", "i alt (år)", "grand total", "hovedtotal"}


@dataclass(frozen=True)
class Source:
    """Where imported rows came from: the file's name and, for a workbook, the sheet."""

    file: str
    sheet: str | None = None

    def __post_init__(self) -> None:
        # a CPR number in a file or sheet name never reaches a preview, the workspace or a report
        object.__setattr__(self, "file", redact(str(self.file)))
        if self.sheet is not None:
            object.__setattr__(self, "sheet", redact(str(self.sheet)))

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
    transposed: Transposed | None = None
    #: what was left out while reading (sum rows and columns, unlabelled rows), (Danish, English)
    notes: list[tuple[str, str]] = field(default_factory=list)

    def locate(self, number: int | None, column: str | None) -> tuple[int | None, str | None]:
        """The sheet's row number and column name of a cell at ``number``/``column``.

        The identity for a table read as it stands; for a turned table (months across
        the header) the row of the indicator's label and the month's column
        (``"C (feb-22)"``).
        """
        if self.transposed is None or number is None:
            return number, column
        return self.transposed.locate(number, column)

    def note_texts(self, lang: str | None = None) -> list[str]:
        """The notes in the user's language."""
        from pdsa_core.i18n import get_language

        danish = (lang or get_language()) == "da"
        return [da if danish else en for da, en in self.notes]

    def index(self, header: str) -> int:
        """The position of a column by its header (exact, then ignoring case/spaces)."""
        if header in self.headers:
            return self.headers.index(header)
        wanted = normalise_header(header)
        for position, name in enumerate(self.headers):
            if normalise_header(name) == wanted:
                return position
        raise DataImportError(
            redact(f"no column {header!r}; the columns are: {', '.join(self.headers)}"),
            where=self.source.label(),
        )

    def column(self, header: str) -> list[Cell]:
        position = self.index(header)
        return [row[position] if position < len(row) else None for row in self.rows]


@dataclass
class Transposed:
    """Where the cells of a turned table (months across the header) came from.

    The turned table's row numbers are the sheet's 1-based column numbers of the months;
    ``month_columns`` names each (``"C (feb-22)"``), ``label_rows`` gives the sheet row
    of each indicator label (the turned table's column headers), ``header_row`` the row
    of the month header.
    """

    month_columns: dict[int, str]
    label_rows: dict[str, int]
    header_row: int
    label_columns: list[str] = field(default_factory=list)

    def locate(self, number: int, column: str | None) -> tuple[int | None, str | None]:
        month = self.month_columns.get(number)
        if month is None:
            return number, column
        if column is None or column not in self.label_rows:
            return self.header_row, month
        return self.label_rows[column], month


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
    refuse_special_input(path, DataImportError)
    if path.suffix.lower() in CALAMINE_SUFFIXES:
        return list(_open_calamine(path).sheet_names)
    if path.suffix.lower() not in EXCEL_SUFFIXES:
        return []
    workbook = _open_workbook(path)
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def read_table(
    path: str | Path, *, sheet: str | int | None = None, header_rows: int | None = None,
    months_in: str | None = None,
) -> Table:
    """Read a CSV file or a workbook sheet (by name, or 0-based index; default: first).

    ``header_rows`` (1-3) fixes how many rows form the header; ``None`` detects it.
    ``months_in`` is ``"rows"`` (a month per row), ``"columns"`` (months across the
    header, an indicator per row: the table is turned round) or ``None`` (detect).
    Raises :class:`~pdsa_core.errors.DataImportError` for unreadable files.
    """
    path = Path(path)
    refuse_special_input(path, DataImportError)
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return read_xlsx(path, sheet=sheet, header_rows=header_rows, months_in=months_in)
    if suffix in CALAMINE_SUFFIXES:
        return read_calamine(path, sheet=sheet, header_rows=header_rows, months_in=months_in)
    if sheet not in (None, 0):
        raise DataImportError("a CSV file has no sheets", where=path.name)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataImportError(f"cannot read the file: {exc.strerror}", where=path.name) from None
    return read_csv_bytes(data, name=path.name, header_rows=header_rows, months_in=months_in)


def read_csv_bytes(data: bytes, *, name: str = "data.csv", header_rows: int | None = None,
                   separator: str | None = None, months_in: str | None = None) -> Table:
    """Read CSV content: detect encoding and separator, split quoted fields."""
    text, encoding = decode_text(data, name)
    sep = separator or sniff_separator(text)
    try:
        records: list[list[Cell]] = [
            [cell if cell.strip() else None for cell in record]
            for record in csv.reader(io.StringIO(text, newline=""), delimiter=sep, quotechar='"')
        ]
    except csv.Error as exc:
        raise DataImportError(f"the CSV text cannot be split into fields ({exc})",
                              where=name) from None
    grid = list(enumerate(records, start=1))  # (row number, cells)
    table = _table_from_grid(grid, Source(name), header_rows, months_in)
    table.encoding, table.separator = encoding, sep
    table.decimal = guess_decimal(
        chain.from_iterable(table.rows), default="," if sep == ";" else "."
    )
    return table


def read_xlsx(path: str | Path, *, sheet: str | int | None = None,
              header_rows: int | None = None, months_in: str | None = None) -> Table:
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
    table = _table_from_grid(grid, Source(path.name, title), header_rows, months_in)
    table.decimal = guess_decimal(chain.from_iterable(table.rows))
    return table


def read_calamine(path: str | Path, *, sheet: str | int | None = None,
                  header_rows: int | None = None, months_in: str | None = None) -> Table:
    """Read one sheet of an ``.xls`` or ``.ods`` workbook with python-calamine.

    Numbers and dates arrive typed. Merged ranges are filled as in ``.xlsx`` where
    calamine reports them; where it does not, an empty header cell after a filled one
    in an upper header row is read as part of it (a title spanning several columns).
    """
    path = Path(path)
    workbook = _open_calamine(path)
    names = list(workbook.sheet_names)
    title = _pick_name(names, sheet, path.name)
    try:
        worksheet = workbook.get_sheet_by_name(title)
        values = worksheet.to_python(skip_empty_area=False)
        merged = _calamine_merged(worksheet)
    except BaseException as exc:  # its own kinds, or a Rust panic, on damaged sheets
        _reraise_interrupt(exc)
        raise DataImportError(f"the workbook cannot be read ({type(exc).__name__})",
                              where=path.name) from None
    grid = [(number, [_calamine_cell(cell) for cell in row])
            for number, row in enumerate(values, start=1)]
    _fill_merged(grid, merged)
    table = _table_from_grid(grid, Source(path.name, title), header_rows, months_in,
                             fill_right=not merged)
    table.decimal = guess_decimal(chain.from_iterable(table.rows))
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
            f"not a readable .xlsx workbook ({type(exc).__name__}); an old Excel or "
            "OpenDocument workbook must keep its .xls or .ods name",
            where=path.name,
        ) from None


def _pick_sheet(workbook: Any, sheet: str | int | None, name: str) -> Any:
    return workbook[_pick_name(list(workbook.sheetnames), sheet, name)]


def _pick_name(names: list[str], sheet: str | int | None, name: str) -> str:
    """The sheet name chosen by ``sheet`` (a name, any case, or a 0-based index)."""
    if not names:
        raise DataImportError("the workbook has no sheets", where=name)
    if sheet is None:
        return names[0]
    if isinstance(sheet, int):
        if 0 <= sheet < len(names):
            return names[sheet]
    else:
        for candidate in names:
            if candidate == sheet or candidate.casefold().strip() == sheet.casefold().strip():
                return candidate
    raise DataImportError(
        f"no sheet {sheet!r}; the sheets are: {', '.join(names)}", where=name
    )


def _open_calamine(path: Path) -> Any:
    from python_calamine import CalamineWorkbook

    if not path.is_file():
        raise DataImportError("the file does not exist", where=path.name)
    try:
        return CalamineWorkbook.from_path(str(path))
    except BaseException as exc:  # its own kinds, or a Rust panic, on damaged files
        _reraise_interrupt(exc)
        kind = "an .ods" if path.suffix.lower() == ".ods" else "an .xls"
        raise DataImportError(f"not a readable workbook: {kind} file was expected "
                              f"({type(exc).__name__})", where=path.name) from None


def _reraise_interrupt(exc: BaseException) -> None:
    """Let Ctrl-C and exits through; anything else calamine raises is a damaged file.

    A panic in calamine's Rust code reaches Python as ``pyo3_runtime.PanicException``,
    which derives from ``BaseException``, so ``except Exception`` does not catch it.
    """
    if isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit):
        raise exc


def _calamine_merged(worksheet: Any) -> list[tuple[int, int, int, int]]:
    """Merged ranges as (first row, first col, last row, last col), rows 1-based."""
    try:
        ranges = worksheet.merged_cell_ranges or []
    except BaseException as exc:  # not reported for this kind of file
        _reraise_interrupt(exc)
        return []
    merged = []
    for (r1, c1), (r2, c2) in ranges:
        merged.append((r1 + 1, c1, r2 + 1, c2))
    return merged


def _calamine_cell(cell: Any) -> Cell:
    """calamine's cell as the openpyxl path gives it: ``None`` for empty, whole floats as int."""
    if isinstance(cell, str):
        return cell if cell.strip() else None
    if isinstance(cell, dt.timedelta):  # a time of day or a duration: as text
        return str(cell)
    if isinstance(cell, float) and cell.is_integer() and abs(cell) < 2**53:
        return int(cell)
    return cell


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
    for cell in row:  # a loop, not all(): most rows end at their first cell
        if cell is not None and not (isinstance(cell, str) and not cell.strip()):
            return False
    return True


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
            read_period(text)
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
                     header_rows: int | None, months_in: str | None = None, *,
                     fill_right: bool = False) -> Table:
    if header_rows is not None and not 1 <= header_rows <= MAX_HEADER_ROWS:
        raise DataImportError(f"header_rows must be 1-{MAX_HEADER_ROWS}", where=source.label())
    if months_in not in (None, "rows", "columns"):
        raise DataImportError(f"months_in must be 'rows' or 'columns', not {months_in!r}",
                              where=source.label())
    start = next((i for i, (_, row) in enumerate(grid) if not _is_empty(row)), None)
    if start is None:
        raise DataImportError("the file has no rows (it is empty)", where=source.label())
    if months_in != "rows":
        turned = _months_as_columns(grid, source, header_rows)
        if turned is not None:
            return turned
        if months_in == "columns":
            raise DataImportError(
                "the mapping is for a table with the months across the header, but no row "
                "of this sheet has months in most of its cells", where=source.label())
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
    notes: list[tuple[str, str]] = []
    data_part = [(n, row) for n, row in data_part if not _total_row(n, row, notes)]
    headers = _join_headers([row for _, row in header_part], width, fill_right=fill_right)
    while headers and not headers[-1] and all(
        len(row) < len(headers) or row[len(headers) - 1] is None for _, row in data_part
    ):
        headers.pop()
    headers = _name_columns(headers)
    size = len(headers)  # each row cut or filled to the headers (a row of that size as it is)
    rows = [row if len(row) == size else (row + [None] * (size - len(row)))[:size]
            for _, row in data_part]
    return Table(
        headers=headers,
        rows=rows,
        row_numbers=[n for n, _ in data_part],
        source=source,
        header_row_numbers=[n for n, _ in header_part],
        notes=notes,
    )


def _is_total(cell: Cell) -> bool:
    return isinstance(cell, str) and _is_total_text(cell)


@functools.lru_cache(maxsize=1024)
def _is_total_text(text: str) -> bool:
    """``I alt``, ``Total`` ... (a table repeats its labels: each is looked at once)."""
    return " ".join(text.casefold().split()) in TOTAL_WORDS


def _total_row(number: int, row: Sequence[Cell], notes: list[tuple[str, str]]) -> bool:
    """True (and a note) for a sum row: its first filled cell says ``I alt``/``Total``."""
    first = row[0] if row and row[0] is not None else next((c for c in row if c is not None), None)
    if not _is_total(first):
        return False
    notes.append((f"række {number} ({str(first).strip()}) er en sum og læses ikke",
                  f"row {number} ({str(first).strip()}) is a sum and is not read"))
    return True


def _join_headers(rows: list[list[Cell]], width: int, *, fill_right: bool = False) -> list[str]:
    """One header per column: the texts of the header rows joined.

    With ``fill_right`` (a workbook whose merged ranges are not known), an empty cell of
    an upper header row after a filled one is read as part of it when the last header
    row has a text in that column (``V1`` over ``tæller`` and ``nævner``).
    """
    texts = [[_header_text(row[column]) if column < len(row) else "" for column in range(width)]
             for row in rows]
    if fill_right and len(texts) > 1:
        for upper in texts[:-1]:
            carry = ""
            for column in range(width):
                if upper[column]:
                    carry = upper[column]
                elif carry and texts[-1][column]:
                    upper[column] = carry
                else:
                    carry = ""
    headers = []
    for column in range(width):
        parts: list[str] = []
        for row in texts:
            text = row[column]
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        headers.append(" ".join(parts))
    return headers


# --- months across the header ---------------------------------------------------------------

#: how many filled rows from the top are searched for the row of months
_MONTH_ROW_SEARCH = 12
_LABEL_PART_WORDS = {"tæller", "taeller", "nævner", "naevner", "numerator", "denominator"}


def _month_of(text: str) -> str | None:
    if not text:
        return None
    try:
        return read_period(text)
    except ImportProblem:
        return None


def _header_months(rows: list[list[Cell]], width: int) -> tuple[list[str], dict[int, str]]:
    """The joined header texts of ``rows`` and the columns whose header is a month."""
    if len(rows) == 1:
        texts = [_header_text(rows[0][c]) if c < len(rows[0]) else "" for c in range(width)]
        months = {}
        for column in range(width):
            cell = rows[0][column] if column < len(rows[0]) else None
            if cell is None or isinstance(cell, bool | int | float):
                continue  # a number is a count or a year here, never a month
            if isinstance(cell, str) and re.fullmatch(r"[\d.,\s]+", cell) and not re.fullmatch(
                r"\s*\d{6}\s*", cell
            ):
                continue  # only '202201' of the plain numbers is a month
            try:
                months[column] = read_period(cell)
            except ImportProblem:
                continue
        return texts, months
    texts = _join_headers(rows, width, fill_right=True)
    bottom = _join_headers(rows[-1:], width)
    months = {}
    for column in range(width):
        for text in (texts[column], bottom[column]):  # a title above is not part of the month
            if text and not re.fullmatch(r"[\d.,\s]+", text) and (month := _month_of(text)):
                months[column], texts[column] = month, text
                break
    return texts, months


def _months_as_columns(grid: list[tuple[int, list[Cell]]], source: Source,
                       header_rows: int | None) -> Table | None:
    """The sheet turned round when one of its top rows is a row of months, else ``None``.

    The row of months (with up to two rows above it, e.g. a merged year) is the header;
    the columns left of the first month hold each row's label (code and/or name); every
    row below with a label becomes a column of the turned table, every month column a row.
    """
    filled = list(islice((i for i, (_, row) in enumerate(grid) if not _is_empty(row)),
                         _MONTH_ROW_SEARCH))
    width = max((len(row) for _, row in grid), default=0)
    if header_rows:  # as for a month per row: the header starts at the first filled row
        filled = [filled[0] + header_rows - 1] if filled[0] + header_rows - 1 < len(grid) else []
    for position in filled:
        best: tuple[int, list[str], dict[int, str]] | None = None
        for count in (header_rows,) if header_rows else (1, 2, 3):
            top = position - count + 1
            if top < 0 or any(_is_empty(grid[i][1]) for i in range(top, position + 1)):
                continue
            texts, months = _header_months([grid[i][1] for i in range(top, position + 1)], width)
            if not months or min(months) == 0:
                continue
            first = min(months)
            others = [c for c in range(first, width) if texts[c] and c not in months]
            if len(set(months.values())) < 2 or len(months) * 10 < (len(months) + len(others)) * 6:
                continue
            if best is None or len(months) > len(best[2]):
                best = (count, texts, months)
        if best is None:
            continue
        count, texts, months = best
        body = [(n, row) for n, row in grid[position + 1:] if not _is_empty(row)]
        labels = [_row_label(row, min(months)) for _, row in body]
        if not any(labels) or _months_below(body, months):
            continue
        return _turn(grid[position - count + 1 : position + 1], body, labels, texts, months, width,
                     source)
    return None


def _months_below(body: list[tuple[int, list[Cell]]], months: dict[int, str]) -> bool:
    """True when the cells under the months are themselves months or dates (then the
    row above is data of a table with a month per row, e.g. a long table's from/to)."""
    found = filled = 0
    for _, row in body[:50]:
        for column in months:
            cell = row[column] if column < len(row) else None
            if cell is None or isinstance(cell, bool | int | float):
                continue
            filled += 1
            if isinstance(cell, dt.date) or (isinstance(cell, str) and not re.fullmatch(
                    r"[-+−]?[\d.,\s]*%?", cell) and _month_of(cell)):
                found += 1
    return found * 10 > filled


def _row_label(row: Sequence[Cell], first_month: int) -> str:
    return " ".join(t for t in (_header_text(row[c]) if c < len(row) else ""
                                for c in range(first_month)) if t)


def _turn(header: list[tuple[int, list[Cell]]], body: list[tuple[int, list[Cell]]],
          labels: list[str], texts: list[str], months: dict[int, str], width: int,
          source: Source) -> Table:
    notes: list[tuple[str, str]] = []
    first = min(months)
    for column in range(first, width):
        if column in months:
            continue
        filled = any(column < len(row) and row[column] is not None for _, row in body)
        name = texts[column] or column_letter(column)
        if _is_total(texts[column]):
            notes.append((f"kolonne {column_letter(column)} ({name}) er en sum og læses ikke",
                          f"column {column_letter(column)} ({name}) is a sum and is not read"))
        elif filled:
            notes.append((f"kolonne {column_letter(column)} ({name}) er ikke en måned og læses ikke",
                          f"column {column_letter(column)} ({name}) is not a month and is not read"))
    kept: list[tuple[int, list[Cell], str]] = []
    group = ""
    for (number, row), label in zip(body, labels, strict=True):
        has_values = any(c < len(row) and row[c] is not None for c in months)
        if not label:
            if has_values:
                notes.append((f"række {number} har ingen indikator og læses ikke",
                              f"row {number} has no indicator label and is not read"))
            continue
        if _is_total(label):
            notes.append((f"række {number} ({label}) er en sum og læses ikke",
                          f"row {number} ({label}) is a sum and is not read"))
            continue
        words = set(re.findall(r"[0-9a-zæøåäöü]+", label.casefold()))
        if words and words <= _LABEL_PART_WORDS and group:
            label = f"{group} {label}"  # 'tæller' under 'V1 Andel med plan'
        elif not words & _LABEL_PART_WORDS:
            group = label
        kept.append((number, row, label))
    names = _name_columns([label for _, _, label in kept])
    period_header = MONTH_HEADER
    while period_header.casefold() in {n.casefold() for n in names}:
        period_header += " (periode)"
    headers = [period_header, *names]
    rows: list[list[Cell]] = []
    numbers: list[int] = []
    month_columns: dict[int, str] = {}
    for column in sorted(months):
        rows.append([months[column], *[row[column] if column < len(row) else None
                                       for _, row, _ in kept]])
        numbers.append(column + 1)
        month_columns[column + 1] = f"{column_letter(column)} ({texts[column]})"
    header_numbers = [n for n, _ in header]
    return Table(
        headers=headers,
        rows=rows,
        row_numbers=numbers,
        source=source,
        header_row_numbers=header_numbers,
        transposed=Transposed(
            month_columns=month_columns,
            label_rows={name: number for name, (number, _, _) in zip(names, kept, strict=True)},
            header_row=header_numbers[-1],
            label_columns=[column_letter(c) for c in range(first)],
        ),
        notes=notes,
    )


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
