"""Turn a :class:`~pdsa_core.importing.tables.Table` and a mapping into measurement rows.

Every cell is checked; a value that cannot be right becomes a :class:`RowError` with
the Excel row number and the column header, and the rest of the file is still read:
the user sees all problems at once. Checked: the month can be read; numbers are
numbers; nothing is negative; numerator and denominator are whole, the denominator is
not 0 and not smaller than the numerator; an indicator and month appear only once.

A table read turned round (months across the header) is read the same way; its errors
and rows are placed back where the user sees them: the row of the indicator's label and
the month's column (``"C (feb-22)"``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pdsa_core.errors import DataImportError
from pdsa_core.importing.mapping import ColumnMapping, IndicatorColumns, indicator_in_header
from pdsa_core.importing.numbers import parse_count, parse_number
from pdsa_core.importing.periods import read_period
from pdsa_core.importing.problems import ImportProblem, RowError, short
from pdsa_core.importing.tables import Cell, Source, Table


@dataclass(frozen=True)
class MeasurementRow:
    """One value of one indicator in one month, as read from a file.

    A proportion has ``numerator`` and ``denominator`` and ``value`` is their ratio
    (a fraction between 0 and 1, as :class:`pdsa_core.domain.Measurement` keeps it);
    a count or rate has ``value`` only. ``source_row`` is the Excel row number
    (``None`` for values computed from an event extract); ``source_column`` is set for a
    sheet with the months across the header: the month's column (``"C (feb-22)"``).
    """

    indicator: str
    period: str
    value: float
    numerator: float | None = None
    denominator: float | None = None
    source_row: int | None = None
    source_column: str | None = None

    def __init__(
        self,
        indicator: str,
        period: str,
        value: float,
        numerator: float | None = None,
        denominator: float | None = None,
        source_row: int | None = None,
        source_column: str | None = None,
    ) -> None:
        # the generated __init__ of a frozen dataclass sets each field through
        # object.__setattr__; a table gives one row per value (about 0.5 us less a row)
        self.__dict__.update(
            indicator=indicator,
            period=period,
            value=value,
            numerator=numerator,
            denominator=denominator,
            source_row=source_row,
            source_column=source_column,
        )

    @property
    def key(self) -> tuple[str, str]:
        return self.indicator, self.period

    def to_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "period": self.period,
            "value": self.value,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "source_row": self.source_row,
            "source_column": self.source_column,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MeasurementRow:
        return cls(data["indicator"], data["period"], data["value"], data.get("numerator"),
                   data.get("denominator"), data.get("source_row"), data.get("source_column"))


@dataclass
class TableImport:
    """The result of reading one table: good rows, row errors, and where they came from."""

    rows: list[MeasurementRow]
    errors: list[RowError]
    source: Source
    mapping: ColumnMapping | None = None
    skipped_empty: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def indicators(self) -> list[str]:
        return sorted({row.indicator for row in self.rows})

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source.to_dict(),
            "rows": [row.to_dict() for row in self.rows],
            "errors": [error.to_dict() for error in self.errors],
            "mapping": self.mapping.to_dict() if self.mapping else None,
            "skipped_empty": self.skipped_empty,
        }


def _all_none(cells: Iterable[Cell | None]) -> bool:
    """No cell has anything (a loop: ``all()`` over a generator costs twice as much, per row)."""
    for cell in cells:
        if cell is not None:
            return False
    return True


#: a label not looked up yet (its code may be None: not an indicator)
_UNREAD: Any = object()


@dataclass
class _Reader:
    table: Table
    mapping: ColumnMapping
    known: set[str] | None
    rows: list[MeasurementRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    first_row: dict[tuple[str, str], int] = field(default_factory=dict)
    skipped_empty: int = 0
    # A table repeats its month labels and indicator labels on every row: each distinct
    # label is read once (an unreadable one is still reported on every row it is on).
    _periods: dict[tuple[type, Cell], str | ImportProblem] = field(default_factory=dict)
    _labels: dict[str, str | None] = field(default_factory=dict)
    _aliases: dict[str, str] | None = None

    def error(self, row: int, column: str | None, code: str, **params: Any) -> None:
        self.errors.append(RowError.of(*self.table.locate(row, column), code, **params))

    def problem(self, row: int, column: str | None, exc: ImportProblem) -> None:
        self.errors.append(RowError.from_problem(*self.table.locate(row, column), exc))

    def cells(self) -> Iterator[tuple[int, dict[str, Cell]]]:
        positions = {name: self.table.index(name) for name in self.mapping.used_columns()}
        for number, row in zip(self.table.row_numbers, self.table.rows, strict=True):
            yield number, {name: row[pos] for name, pos in positions.items()}

    def period(self, number: int, cells: dict[str, Cell]) -> str | None:
        cell = cells[self.mapping.period]
        key = (type(cell), cell)
        read = self._periods.get(key)
        if read is None:
            try:
                read = read_period(cell)
            except ImportProblem as exc:
                read = exc
            self._periods[key] = read
        if isinstance(read, ImportProblem):
            self.problem(number, self.mapping.period, read)
            return None
        return read

    def add(self, number: int, indicator: str, period: str, columns: IndicatorColumns,
            cells: dict[str, Cell]) -> None:
        """Check and keep one measurement (``columns`` name the cells to read)."""
        value_cell = cells.get(columns.value) if columns.value else None
        num_cell = cells.get(columns.numerator) if columns.numerator else None
        den_cell = cells.get(columns.denominator) if columns.denominator else None
        if value_cell is None and num_cell is None and den_cell is None:
            return  # nothing given for this indicator in this month
        key = (indicator, period)
        if key in self.first_row:
            column = columns.value or columns.numerator
            if self.table.transposed is not None:  # the same month in two columns
                first_column = self.table.locate(self.first_row[key], column)[1]
                self.error(number, column, "duplicate_column", indicator=indicator,
                           period=period, first_column=first_column)
            else:
                self.error(number, column, "duplicate", indicator=indicator, period=period,
                           first_row=self.first_row[key])
            return
        decimal = self.table.decimal
        value = numerator = denominator = None
        failed = False
        if value_cell is not None and columns.value:
            try:
                value = parse_number(value_cell, decimal=decimal)
                if value < 0:
                    raise ImportProblem("negative", text=short(value_cell))
            except ImportProblem as exc:
                self.problem(number, columns.value, exc)
                failed = True
        if columns.numerator and columns.denominator and (num_cell is not None
                                                          or den_cell is not None):
            numerator = self._count(number, columns.numerator, num_cell, "numerator_missing")
            denominator = self._count(number, columns.denominator, den_cell,
                                      "denominator_missing")
            if numerator is None or denominator is None:
                failed = True
            elif denominator == 0:
                self.error(number, columns.denominator, "denominator_zero")
                failed = True
            elif numerator > denominator:
                self.error(number, columns.numerator, "numerator_gt_denominator",
                           numerator=f"{numerator:g}", denominator=f"{denominator:g}")
                failed = True
        self.first_row[key] = number
        if failed:
            return
        if numerator is not None and denominator is not None and value is None:
            value = numerator / denominator
        if value is None:
            return
        if self.table.transposed is None:  # a table read as it stands: the row is the row
            self.rows.append(MeasurementRow(indicator, period, value, numerator, denominator,
                                            number))
            return
        row, column = self.table.locate(number, columns.value or columns.numerator)
        self.rows.append(MeasurementRow(indicator, period, value, numerator, denominator, row,
                                        column))

    def _count(self, number: int, column: str, cell: Cell, missing_code: str) -> float | None:
        if cell is None:
            self.error(number, column, missing_code)
            return None
        try:
            return float(parse_count(cell, decimal=self.table.decimal))
        except ImportProblem as exc:
            self.problem(number, column, exc)
            return None

    def indicator(self, number: int, cell: Cell) -> str | None:
        column = self.mapping.indicator_column
        label = str(cell).strip() if cell is not None else ""
        if not label:
            self.error(number, column, "indicator_missing")
            return None
        code = self._labels.get(label, _UNREAD)
        if code is _UNREAD:
            code = self._labels[label] = self._code_of(label)
        if code is None:
            self.error(number, column, "indicator_unknown", text=short(label))
        return code

    def _code_of(self, label: str) -> str | None:
        """The indicator code a label names (None: not one of the known codes)."""
        if self._aliases is None:
            self._aliases = {k.casefold(): v for k, v in self.mapping.aliases.items()}
        if label.casefold() in self._aliases:
            return self._aliases[label.casefold()]
        if self.known is not None:
            for code in self.known:
                if code.casefold() == label.casefold():
                    return code
            return indicator_in_header(label, self.known) or None
        return label


def read_measurements(
    table: Table, mapping: ColumnMapping, *, known_indicator_codes: Iterable[str] | None = None
) -> TableImport:
    """Read every row of ``table`` as ``mapping`` says.

    Rows with problems become :class:`RowError` s; all other rows are returned. If
    ``known_indicator_codes`` is given, a long table's unknown indicator labels are
    errors (otherwise the label is taken as the code). Raises
    :class:`~pdsa_core.errors.DataImportError` if the mapping names a column the table
    does not have.
    """
    try:
        mapping.validate()
    except Exception as exc:
        raise DataImportError(str(exc), where=table.source.label()) from None
    turned = table.transposed is not None
    if (mapping.months_in == "columns" and not turned) or (mapping.months_in == "rows" and turned):
        shapes = ("a month per row", "the months across the header")
        expected, found = (shapes[1], shapes[0]) if mapping.months_in == "columns" else shapes
        raise DataImportError(f"the mapping is for a table with {expected}, but this table "
                              f"has {found}", where=table.source.label())
    known = set(known_indicator_codes) if known_indicator_codes is not None else None
    reader = _Reader(table, mapping, known)
    wide = mapping.layout == "wide"
    # a long table: the same value columns for every indicator (built once per code)
    value_columns = [c for c in (mapping.value_column, mapping.numerator_column,
                                 mapping.denominator_column) if c]
    columns_of: dict[str, IndicatorColumns] = {}
    for number, cells in reader.cells():
        if _all_none(cells.values()):
            reader.skipped_empty += 1
            continue
        period = reader.period(number, cells)
        if period is None:
            continue
        if wide:
            for item in mapping.indicators:
                reader.add(number, item.indicator, period, item, cells)
            continue
        code = reader.indicator(number, cells[mapping.indicator_column or ""])
        if code is None:
            continue
        columns = columns_of.get(code)
        if columns is None:
            columns = columns_of[code] = IndicatorColumns(
                code, mapping.value_column, mapping.numerator_column, mapping.denominator_column)
        if _all_none(map(cells.get, value_columns)):
            reader.error(number, mapping.value_column or mapping.numerator_column,
                         "value_missing")
            continue
        reader.add(number, code, period, columns, cells)
    return TableImport(reader.rows, reader.errors, table.source, mapping, reader.skipped_empty)
