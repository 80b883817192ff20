"""Read the columns of a chart from CSV text (``y``, optional ``x``, ``n``, ``part``, ``cl``).

Separators: comma, semicolon or tab (taken from the header line). Numbers may use a
decimal comma ("3,5"; in a comma-separated file it must be quoted) and thousands
separators ("1.234,5"). Empty cells and NA/NaN/null are missing values; in a file of one
column (``y`` alone) an empty line is a missing value too, kept as a point, as qicharts2
keeps NA (empty lines at the end of the file are not). Errors name the line of the file
(the header is line 1) and the column.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass

from ..errors import ValidationError

__all__ = ["ChartData", "parse_chart_csv", "parse_number"]

MISSING = frozenset({"", "na", "n/a", "nan", "null", "none", "-", "."})
KNOWN = ("x", "y", "n", "part", "cl")


@dataclass(frozen=True)
class ChartData:
    """Columns read from a file; ``rows`` are the file line numbers of the data rows."""

    y: list[float | None]
    x: list[object] | None
    n: list[float | None] | None
    part: list[str | None] | None
    cl: list[float | None] | None
    rows: list[int]


def parse_number(text: str, row: int, column: str) -> float | None:
    """One cell as a float (None when missing); ValidationError naming row and column."""
    raw = text
    s = text.strip().replace("\u00a0", "").replace(" ", "")
    if s.lower() in MISSING:
        return None
    if "," in s and "." in s:
        if s.rfind(",") > s.rfind("."):  # 1.234,5
            s = s.replace(".", "").replace(",", ".")
        else:  # 1,234.5
            s = s.replace(",", "")
    elif "," in s:
        s = s.replace(",", ".")
    try:
        value = float(s)
    except ValueError:
        raise ValidationError(f"row {row}, column '{column}': '{raw}' is not a number") from None
    if not math.isfinite(value):
        raise ValidationError(f"row {row}, column '{column}': '{raw}' is not a finite number")
    return value


def _delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def parse_chart_csv(text: str) -> ChartData:
    """Parse CSV text with a header row into :class:`ChartData`."""
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    first = next((ln for ln in lines if ln.strip()), None)
    if first is None:
        raise ValidationError("the file is empty")
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(first))
    header: list[str] | None = None
    records: list[tuple[int, list[str]]] = []
    for cells in reader:
        blank = not any(c.strip() for c in cells)
        if header is None:
            if not blank:
                header = [c.strip().lower() for c in cells]
            continue
        if blank and len(header) > 1:
            continue  # a blank line between rows of several columns is no row
        # in a one-column file a blank line is a missing value, kept as a point (qicharts2's NA)
        records.append((reader.line_num, cells or [""]))
    assert header is not None
    while records and not any(c.strip() for c in records[-1][1]):
        records.pop()  # blank lines at the end of the file are no values
    if "y" not in header:
        raise ValidationError(
            f"the file has no 'y' column (columns: {', '.join(h or '?' for h in header)})"
        )
    dupes = sorted({h for h in header if h in KNOWN and header.count(h) > 1})
    if dupes:
        raise ValidationError(f"column '{dupes[0]}' occurs more than once")
    if not records:
        raise ValidationError("the file has a header but no data rows")
    pos = {name: header.index(name) for name in KNOWN if name in header}

    def cell(cells: list[str], name: str) -> str:
        i = pos[name]
        return cells[i] if i < len(cells) else ""

    rows = [line for line, _ in records]
    y = [parse_number(cell(c, "y"), line, "y") for line, c in records]
    n = [parse_number(cell(c, "n"), line, "n") for line, c in records] if "n" in pos else None
    cl = [parse_number(cell(c, "cl"), line, "cl") for line, c in records] if "cl" in pos else None
    part = None
    if "part" in pos:
        part = [cell(c, "part").strip() or None for _, c in records]
    x: list[object] | None = None
    if "x" in pos:
        raw = [cell(c, "x").strip() for _, c in records]
        try:
            x = [parse_number(v, line, "x") if v else None for v, line in zip(raw, rows, strict=True)]
        except ValidationError:
            x = [v or None for v in raw]  # dates ("2022-03") or categories
    return ChartData(y=y, x=x, n=n, part=part, cl=cl, rows=rows)
