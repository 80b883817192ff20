"""Running an event aggregation: open the extract, scan it, merge what the scan found and
compute the monthly figures.

A CSV extract of :data:`ARROW_MIN_BYTES` or more is scanned by the pyarrow engine
(:mod:`pdsa_core.importing.events.arrow`) when it can read the whole file cleanly; otherwise,
and for smaller files and workbooks, by the exact Python scanner
(:mod:`pdsa_core.importing.events.scan`), in two processes when the file is large and a core
is idle. Both give the same :class:`RangeResult` s, put together by
:mod:`pdsa_core.importing.events.merge`, so the result is the same whichever ran; only the
Python scanner reports row errors.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import multiprocessing
import os
import sys
import threading
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pdsa_core.errors import DataImportError, ValidationError
from pdsa_core.importing.events.arrow import arrow_scan
from pdsa_core.importing.events.merge import combine
from pdsa_core.importing.events.model import (
    EVENT_INDICATORS,
    EventAggregate,
    EventLayout,
    Population,
    normalise_label,
)
from pdsa_core.importing.events.scan import (
    Collision,
    Quoted,
    RangeResult,
    Scanner,
    ScanSpec,
    csv_records,
    decode,
)
from pdsa_core.importing.identifiers import columns_text
from pdsa_core.importing.periods import read_period
from pdsa_core.importing.tables import EXCEL_SUFFIXES, Source, normalise_header
from pdsa_core.importing.textfile import check_not_binary, sniff_separator
from pdsa_core.output_files import refuse_special_input
from pdsa_core.redaction import redact
from pdsa_core.startup import paused_gc

CHUNK_SIZE = 1 << 17
PARALLEL_MIN_BYTES = 8 << 20
ATTEMPTS = 3
#: The smallest CSV extract the pyarrow engine reads when the engine is "auto": below it,
#: importing pyarrow (about 0.15 s) costs more than the Python scanner takes.
ARROW_MIN_BYTES = 4 << 20
ENGINES = ("auto", "arrow", "python")


# --- scanning byte ranges -----------------------------------------------------------------


def scan_range(spec: ScanSpec, start: int, end: int, *, allow_quotes: bool) -> RangeResult:
    """Scan the lines in ``[start, end)`` of the file (``start`` is a line start)."""
    scanner = Scanner(spec)
    with paused_gc(), open(spec.path, "rb") as handle:
        handle.seek(start)
        position, carry = start, b""
        while True:
            block = handle.read(min(CHUNK_SIZE, end - position)) if position < end else b""
            position += len(block)
            data = carry + block
            if block and position < end:
                cut = data.rfind(b"\n") + 1
                data, carry = data[:cut], data[cut:]
                if not data:
                    continue
            elif not data:
                break
            else:
                carry = b""
            first_index = scanner.lines
            try:
                if not scanner.fast_chunk(data):
                    scanner.slow_chunk(data, first_index)
            except Quoted:
                if not allow_quotes:
                    return RangeResult(quoted=True)
                handle.seek(position - len(carry) - len(data))
                _scan_quoted(scanner, handle, first_index)
                break
        return scanner.result()


def _scan_quoted(scanner: Scanner, handle: Any, first_index: int) -> None:
    """Read the rest of the file with the csv module (quoted fields may hold newlines)."""
    text = io.TextIOWrapper(handle, encoding="latin-1", newline="")
    try:
        scanner.read_csv(csv_records(text, scanner.spec.sep), first_index,
                         Path(scanner.spec.path).name)
    finally:
        text.detach()


def _child(conn: Any, spec: ScanSpec, start: int, end: int) -> None:
    try:
        result = scan_range(spec, start, end, allow_quotes=False)
        # Arrays pickle as raw bytes: far quicker than sets and Counters of big ints.
        result.person_months = [array("q", seen) for seen in result.person_months]
        years = result.person_years
        result.person_years = (array("q", years.keys()), array("q", years.values())) \
            if years is not None else None
        conn.send(("ok", result))
    except Collision:
        _send(conn, ("collision", None))
    except BaseException as exc:  # report, never leave the parent waiting
        _send(conn, ("error", type(exc).__name__))
    finally:
        conn.close()


def _send(conn: Any, message: tuple[str, Any]) -> None:
    try:
        conn.send(message)
    except OSError:  # the parent stopped listening
        pass


def _can_fork() -> bool:
    """Fork only where it is cheap and safe: Linux, and no other thread running."""
    return (
        sys.platform.startswith("linux")
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    )


def _split_point(path: str, start: int, size: int) -> int:
    """A line start near the middle of ``[start, size)``."""
    middle = start + (size - start) // 2
    with open(path, "rb") as handle:
        handle.seek(middle)
        while True:
            block = handle.read(65536)
            if not block:
                return size
            newline = block.find(b"\n")
            if newline >= 0:
                return middle + newline + 1
            middle += len(block)


def scan_file(spec: ScanSpec, data_start: int, workers: int) -> list[RangeResult]:
    """Scan all data lines, in two processes when asked and possible."""
    size = os.path.getsize(spec.path)
    if workers > 1 and size - data_start >= 4 * CHUNK_SIZE and _can_fork():
        middle = _split_point(spec.path, data_start, size)
        if data_start < middle < size:
            results = _scan_two(spec, data_start, middle, size)
            if results is not None:
                return results
    return [scan_range(spec, data_start, size, allow_quotes=True)]


def _scan_two(spec: ScanSpec, start: int, middle: int, end: int) -> list[RangeResult] | None:
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(send, spec, middle, end), daemon=True)
    try:
        process.start()
    except (AssertionError, OSError):  # e.g. inside a daemonic process, or out of processes
        send.close()
        receive.close()
        return None
    send.close()
    try:
        first = scan_range(spec, start, middle, allow_quotes=False)
        try:
            status, second = receive.recv()
        except EOFError:
            return None
    finally:
        receive.close()  # a child still sending now fails and ends
        process.join(timeout=10)
        if process.is_alive():
            process.kill()
            process.join()
    if status == "collision":
        raise Collision
    if status != "ok" or first.quoted or second.quoted:
        return None  # quotes, or the worker failed: scan it all in this process
    return [first, second]


# --- opening the extract --------------------------------------------------------------------


@dataclass
class _Header:
    names: list[str]
    sep: bytes
    line_end: bytes
    data_start: int
    header_row: int


def _read_header(path: Path, layout: EventLayout) -> _Header:
    refuse_special_input(path, DataImportError)
    try:
        with open(path, "rb") as handle:
            sample = handle.read(1 << 16)
    except OSError as exc:
        raise DataImportError(f"cannot read the file: {exc.strerror}", where=path.name) from None
    check_not_binary(sample, path.name)
    offset = 3 if sample.startswith(b"\xef\xbb\xbf") else 0
    row = 1
    while True:
        newline = sample.find(b"\n", offset)
        line = sample[offset:] if newline < 0 else sample[offset:newline + 1]
        if line.strip() or newline < 0:
            break
        offset = newline + 1
        row += 1
    if not line.strip():
        raise DataImportError("the extract is empty", where=path.name)
    if not line.endswith(b"\n") and len(sample) == 1 << 16:
        raise DataImportError("the header line is too long", where=path.name)
    lines = decode(sample[offset:]).splitlines()
    sep = layout.separator or sniff_separator("\n".join(lines[:20]))
    try:
        names = next(csv.reader([decode(line.rstrip(b"\r\n"))], delimiter=sep, quotechar='"'),
                     [])
    except csv.Error:
        raise DataImportError("the header line cannot be read", where=path.name) from None
    return _Header(
        names=[" ".join(name.split()) for name in names],
        sep=sep.encode("latin-1"),
        line_end=b"\r\n" if line.endswith(b"\r\n") else b"\n",
        data_start=offset + len(line),
        header_row=row,
    )


def _positions(header_names: list[str], layout: EventLayout, population: Population,
               where: str) -> tuple[dict[str, int], dict[str, str]]:
    """Column index and header name of each role the layout and population need."""
    wanted = ["identifier", "timestamp", "kind", *population.roles_needed()]
    normalised = [normalise_header(name) for name in header_names]
    positions: dict[str, int] = {}
    names: dict[str, str] = {}
    missing = []
    for role in wanted:
        column = layout.column(role)
        if column is None:
            missing.append(f"{role} (the layout names no column)")
        elif normalise_header(column) not in normalised:
            missing.append(f"{column!r} ({role})")
        else:
            positions[role] = normalised.index(normalise_header(column))
            names[role] = redact(header_names[positions[role]])
    if missing:
        en, da = columns_text(header_names)
        raise DataImportError(
            f"the extract lacks the column(s) {', '.join(missing)}; {en}",
            where=where,
            da=f"udtrækket mangler kolonne(rne) {', '.join(missing)}; {da}",
        )
    return positions, names


def default_workers(size: int) -> int:
    """2 for a large file when a second core is idle, else 1.

    Measured on a 2-core machine: with other programs keeping both cores busy, a second
    process only adds the cost of merging. The 1-minute load average counts this
    process too, so "idle" is a load below the number of cores.
    """
    cores = os.cpu_count() or 1
    if size < PARALLEL_MIN_BYTES or cores < 2:
        return 1
    try:
        busy = os.getloadavg()[0]
    except OSError:  # not available on this system
        busy = 0.0
    return 2 if busy < cores else 1


def _groups(kinds_for: dict[str, list[str] | None]) -> tuple[
        tuple[frozenset[str] | None, ...], dict[str, int]]:
    """The distinct kind sets among the indicators, and which one each indicator uses."""
    groups: list[frozenset[str] | None] = []
    index: dict[str, int] = {}
    for indicator in EVENT_INDICATORS:
        kinds = kinds_for[indicator]
        group = None if kinds is None else frozenset(normalise_label(k) for k in kinds)
        if group not in groups:
            groups.append(group)
        index[indicator] = groups.index(group)
    return tuple(groups), index


def run_aggregation(
    path: Path,
    layout: EventLayout,
    population: Population,
    kinds_for: dict[str, list[str] | None],
    *,
    period_range: tuple[str, str] | None,
    workers: int | None,
    max_errors: int,
    engine: str = "auto",
) -> EventAggregate:
    """The body of :func:`pdsa_core.importing.events.aggregate_events`."""
    if engine not in ENGINES:
        raise ValidationError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    if period_range is not None:
        period_range = (read_period(period_range[0]), read_period(period_range[1]))
        if period_range[0] > period_range[1]:
            raise ValidationError(f"period_range: {period_range[0]} is after {period_range[1]}")
    groups, group_of = _groups(kinds_for)
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return _aggregate_workbook(path, layout, population, kinds_for, groups, group_of,
                                   period_range, max_errors)
    header = _read_header(path, layout)
    positions, names = _positions(header.names, layout, population, path.name)
    size = path.stat().st_size
    use_arrow = engine == "arrow" or (engine == "auto" and size >= ARROW_MIN_BYTES)
    for _attempt in range(ATTEMPTS):
        spec = ScanSpec(
            path=str(path), sep=header.sep, line_end=header.line_end, ncols=len(header.names),
            positions=positions, population=population, groups=groups,
            concentration_group=group_of["F2"], salt=os.urandom(16), max_errors=max_errors,
        )
        try:
            if use_arrow:
                found = arrow_scan(spec, header.data_start)
                if found is not None:
                    aggregate = combine([found], Source(path.name), names, kinds_for, groups,
                                        group_of, period_range, header.header_row + 1,
                                        max_errors)
                    aggregate.engine = "arrow"
                    return aggregate
                use_arrow = False  # the exact scanner reads it (and reports row errors)
            if workers is None:
                workers = default_workers(size)
            results = scan_file(spec, header.data_start, workers)
            return combine(results, Source(path.name), names, kinds_for, groups, group_of,
                            period_range, header.header_row + 1, max_errors)
        except Collision:
            continue
    raise DataImportError("identifiers could not be told apart; try again", where=path.name)


def _aggregate_workbook(path: Path, layout: EventLayout, population: Population,
                        kinds_for: dict[str, list[str] | None],
                        groups: tuple[frozenset[str] | None, ...], group_of: dict[str, int],
                        period_range: tuple[str, str] | None, max_errors: int) -> EventAggregate:
    from pdsa_core.importing.tables import read_xlsx

    table = read_xlsx(path, sheet=layout.sheet, header_rows=1)
    positions, names = _positions(table.headers, layout, population, table.source.label())
    first_row = table.row_numbers[0] if table.row_numbers else 2
    for _attempt in range(ATTEMPTS):
        spec = ScanSpec(
            path=str(path), sep=b";", line_end=b"\n", ncols=len(table.headers),
            positions=positions, population=population, groups=groups,
            concentration_group=group_of["F2"], salt=os.urandom(16), max_errors=max_errors,
        )
        scanner = Scanner(spec)
        try:
            with paused_gc():
                scanner.slow_records(
                    (number - first_row, [_cell_bytes(cell) for cell in row])
                    for number, row in zip(table.row_numbers, table.rows, strict=True)
                )
            return combine([scanner.result()], table.source, names, kinds_for, groups,
                            group_of, period_range, first_row, max_errors)
        except Collision:
            continue
    raise DataImportError("identifiers could not be told apart; try again", where=path.name)


def _cell_bytes(cell: Any) -> bytes:
    if cell is None:
        return b""
    if isinstance(cell, dt.datetime | dt.date):
        return cell.strftime("%d.%m.%Y").encode()
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell).encode("utf-8")
