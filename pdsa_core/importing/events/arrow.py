"""The pyarrow engine for event extracts: the fast path for clean CSV files.

:func:`arrow_scan` reads an extract with ``pyarrow.csv`` and returns the same
:class:`~pdsa_core.importing.events.scan.RangeResult` that the Python
:class:`~pdsa_core.importing.events.scan.Scanner` returns for the whole file (without the
person-month keys, which only serve to merge two ranges), so
:func:`~pdsa_core.importing.events.merge.combine` computes the result either way.

How the work is split:

* pyarrow splits the text into rows and fields (quotes as the ``csv`` module reads
  them, ``\\n``, ``\\r\\n`` or ``\\r`` line ends, blank lines skipped), checks every row
  has as many fields as the header and keeps the needed columns as raw bytes
  (dictionary-encoded where few distinct values are expected). It reads 1 MB blocks on
  its own threads, and a thread of ours (:class:`_Prefetch`) collects them into steps
  of about 50,000 rows while the caller counts the previous step;
* each column is mapped to integer codes *per distinct value* (:class:`_Memo`): a value
  not seen before is classified once, in Python, by the very classifiers of the Python
  scanner (identifier -> person digest, timestamp -> month, kind, population columns
  -> reason bits), so both engines read every value the same way;
* the counting is done with numpy, in time proportional to the rows and memory
  proportional to the persons and months (not the rows): events per (kind, reasons) x
  month, a bitmap of persons x months per kind group, events per person x year for
  the concentration figure.

The engine gives up (returns ``None``) as soon as anything needs the exact Python
scanner: a value a classifier cannot use (the scanner reports the row error with its
row number), a row pyarrow cannot read (a wrong field count, an unclosed quote, a line
of spaces), a field longer than the ``csv`` module's limit (in any column), tables over
:data:`TABLE_BYTES`, or pyarrow or numpy missing. The caller then runs the Python
scanner from the start, so the result does not depend on which engine ran.

Privacy: the identifier column's distinct raw values are held in memory by the memo
(an arrow array) only while the file is read and are dropped before :func:`arrow_scan`
returns, also when it gives up; only salted person digests reach the result.
"""

from __future__ import annotations

import csv
import os
import queue
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from pdsa_core.importing.events.scan import (
    CODE_SPAN,
    MONTH_BITS,
    YEAR_SHIFT,
    RangeResult,
    Scanner,
    ScanSpec,
    ValueCache,
)
from pdsa_core.importing.problems import ImportProblem

#: Bytes read and parsed at a time (pyarrow parses several blocks at once on its threads,
#: and reads up to 32 blocks ahead: 32 MB).
BLOCK_SIZE = 1 << 20
#: Rows counted at a time: at least this many, read in several blocks.
STEP_ROWS = 50_000
#: The largest table of persons x months (a bitmap per kind group) or persons x years
#: (event counts) kept: 64 MB, e.g. 500,000 persons over ten years. Beyond, the exact
#: Python scanner reads the file.
TABLE_BYTES = 64 << 20
#: Timestamps are looked up by their first 11 bytes, as in the Python scanner.
HEAD_BYTES = 11
#: Roles read as plain bytes; the others (few distinct values) are dictionary-encoded
#: by pyarrow while it parses, on its threads.
PLAIN_ROLES = ("identifier", "timestamp")


class Unusable(Exception):
    """A value or row the exact Python scanner must read (it reports the row error)."""


def _classified(cache: ValueCache, value: bytes) -> int | None:
    """``value`` classified by the Python scanner's classifier behind ``cache`` (``None``:
    the scanner would not use it as it is; it reports why)."""
    try:
        return cache.classify(value)
    except ImportProblem:
        return None


def arrow_available() -> bool:
    """Whether pyarrow and numpy can be imported here."""
    try:
        import numpy  # noqa: F401
        import pyarrow  # noqa: F401
        import pyarrow.compute  # noqa: F401
        import pyarrow.csv  # noqa: F401
    except ImportError:
        return False
    return True


class _Memo:
    """The integer code of every distinct value of one column, classified once.

    ``known`` (an arrow array) holds the values seen so far and ``codes`` their codes
    at the same index; a batch is mapped with one ``index_in`` over ``known``, and only
    values not found there are classified (``classify`` returns ``None`` for a value
    that needs the exact scanner). A dictionary-encoded column is mapped through its
    dictionary.
    """

    def __init__(self, modules: Any, pool: Any, classify: Callable[[bytes], int | None],
                 limit: int) -> None:
        self.pa, self.pc, self.np = modules
        self.pool = pool
        self.known = self.pa.array([], self.pa.binary())
        self.codes = self.np.empty(0, self.np.int64)
        self.classify = classify
        self.limit = limit

    def map(self, chunks: list[Any]) -> Any:
        """The codes of the values in ``chunks`` (arrays of one column), as one array."""
        if self.pa.types.is_dictionary(chunks[0].type):
            return self.np.concatenate([self._codes(chunk.dictionary)[chunk.indices.to_numpy()]
                                        for chunk in chunks])
        return self._codes(self.pa.chunked_array(chunks))

    def _codes(self, values: Any) -> Any:
        pa, pc, np, pool = self.pa, self.pc, self.np, self.pool
        if values.null_count:
            raise Unusable
        index = pc.index_in(values, value_set=self.known, memory_pool=pool)
        if not index.null_count:
            return self.codes[index.to_numpy()]
        rows = pc.filter(values, pc.is_null(index, memory_pool=pool), memory_pool=pool)
        new = pc.unique(rows, memory_pool=pool)
        if isinstance(new, pa.ChunkedArray):
            new = new.combine_chunks()
        values = new.to_pylist()
        if max(map(len, values)) > self.limit:
            raise Unusable
        codes = list(map(self.classify, values))
        if None in codes:
            raise Unusable
        base = len(self.known)
        self.known = pa.concat_arrays([self.known, new], memory_pool=pool)
        self.codes = np.concatenate([self.codes, np.array(codes, np.int64)])
        positions = np.array(pc.fill_null(index, -1), np.int64)
        positions[positions < 0] = np.asarray(pc.index_in(rows, value_set=new,
                                                          memory_pool=pool)) + base
        return self.codes[positions]


class _Prefetch:
    """The batches of a pyarrow reader in groups of at least ``rows`` rows, the next
    groups read on a thread while the caller works on one (pyarrow parses without
    holding the GIL). ``check`` sees each batch on that thread; what it raises, the
    caller gets."""

    _END = object()

    def __init__(self, reader: Any, rows: int, check: Callable[[Any], None],
                 depth: int = 2) -> None:
        self._queue: queue.Queue[Any] = queue.Queue(depth)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(reader, rows, check),
                                        name="pdsa-arrow-reader", daemon=True)
        self._thread.start()

    def _run(self, reader: Any, rows: int, check: Callable[[Any], None]) -> None:
        try:
            group: list[Any] = []
            count = 0
            for batch in reader:
                if self._stop.is_set():
                    return
                check(batch)
                if batch.num_rows:
                    group.append(batch)
                    count += batch.num_rows
                if count >= rows:
                    self._queue.put(group)
                    group, count = [], 0
            if group:
                self._queue.put(group)
            self._queue.put(self._END)
        except BaseException as exc:  # handed to the caller, who decides
            self._queue.put(exc)
        finally:
            reader.close()  # stops pyarrow's reading ahead when the caller stopped early

    def __iter__(self) -> Iterator[Any]:
        while True:
            item = self._queue.get()
            if item is self._END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    def close(self) -> None:
        """Stop reading and wait for the thread (emptying the queue it may wait on)."""
        self._stop.set()
        while self._thread.is_alive():
            try:
                self._queue.get(timeout=0.05)
            except queue.Empty:
                pass
        self._thread.join()


def _add_counts(table: Any, counts: Any) -> None:
    """Add ``counts`` of the cells ``row * width + column`` to ``table`` (a C-ordered
    array: ``reshape(-1)`` is a view of it)."""
    table.reshape(-1)[:len(counts)] += counts


class _ArrowScan:
    """One run of the engine over one file: memos, dense numbering, counters.

    Persons, months and years get dense numbers in the order first seen. What is counted
    is kept in arrays indexed by them, grown as numbers are added: per kind group a
    bitmap of (person, month) pairs seen in the population, and for the concentration
    group the events per (person, year). Their size depends on the persons and months
    in the extract, not on its rows.
    """

    def __init__(self, spec: ScanSpec, modules: Any, pool: Any) -> None:
        self.spec = spec
        self.pa, self.pc, self.np = modules
        np = self.np
        self.pool = pool
        self.scanner = Scanner(spec)
        limit = csv.field_size_limit()
        self.limit = limit
        scanner = self.scanner
        self.person_ids: dict[int, int] = {}  # person code -> dense number
        self.month_ids: dict[int, int] = {}  # month code -> dense number
        self.year_ids: dict[int, int] = {}  # year code -> dense number
        self.year_of_month = np.zeros(16, np.int64)  # dense month -> dense year
        self.ids = _Memo(modules, pool, self._person, limit)
        self.heads = _Memo(modules, pool, self._head, limit)
        self.kinds = _Memo(modules, pool, self._shifted(scanner.kinds), limit)
        self.filters = {role: _Memo(modules, pool, self._shifted(cache), limit)
                        for role, cache in scanner.filters.items()}
        self.rows = 0
        self.events = np.zeros((16 * CODE_SPAN, 16), np.int64)  # (kind, reasons) x month
        self.seen = [np.zeros((1024, 16), bool) for _ in spec.groups]  # person x month
        self.year_events = np.zeros((1024, 4), np.int64)  # person x year

    # --- classifiers: the Python scanner's, giving dense numbers ----------------------

    def _person(self, raw: bytes) -> int | None:
        code = _classified(self.scanner.ids, raw)
        if code is None:
            return None
        return self.person_ids.setdefault(code, len(self.person_ids))

    def _month(self, code: int) -> int:
        number = self.month_ids.get(code)
        if number is None:
            number = self.month_ids[code] = len(self.month_ids)
            year = self.year_ids.setdefault(code >> YEAR_SHIFT, len(self.year_ids))
            if number >= len(self.year_of_month):
                self.year_of_month = self.np.resize(self.year_of_month, 2 * number)
            self.year_of_month[number] = year
        return number

    def _head(self, head: bytes) -> int:
        code = _classified(self.scanner.heads, head)
        return -1 if code is None else self._month(code)  # -1: read the whole timestamp

    @staticmethod
    def _shifted(cache: ValueCache) -> Callable[[bytes], int | None]:
        def classify(raw: bytes) -> int | None:
            code = _classified(cache, raw)
            return None if code is None else code >> MONTH_BITS

        return classify

    # --- per batch ----------------------------------------------------------------------

    def _months(self, chunks: list[Any]) -> Any:
        """Dense month numbers of a timestamp column (head first, then the whole date)."""
        pc, np, pool = self.pc, self.np, self.pool
        months = self.heads.map([pc.binary_slice(chunk, 0, HEAD_BYTES, memory_pool=pool)
                                 for chunk in chunks])
        later = months < 0
        if later.any():
            column = self.pa.chunked_array(chunks).combine_chunks()
            stamps = pc.filter(column, self.pa.array(later), memory_pool=pool)
            distinct = pc.unique(stamps, memory_pool=pool)
            codes = []
            for stamp in distinct.to_pylist():
                if len(stamp) > self.limit:
                    raise Unusable
                code = self.scanner.dates.one(stamp.lstrip().partition(b" ")[0])
                if code is None:
                    raise Unusable
                codes.append(self._month(code))
            index = pc.index_in(stamps, value_set=distinct, memory_pool=pool).to_numpy()
            months[later] = np.array(codes, np.int64)[index]
        return months

    def _grown(self, table: Any, rows: int, columns: int) -> Any:
        """``table``, enlarged (doubling) to hold ``rows`` x ``columns``."""
        have_rows, have_columns = table.shape
        if rows <= have_rows and columns <= have_columns:
            return table
        shape = (max(rows, 2 * have_rows) if rows > have_rows else have_rows,
                 max(columns, 2 * have_columns) if columns > have_columns else have_columns)
        if shape[0] * shape[1] * table.itemsize > TABLE_BYTES:
            raise Unusable  # too many persons x months for tables in memory: the exact path
        grown = self.np.zeros(shape, table.dtype)
        grown[:have_rows, :have_columns] = table
        return grown

    def batch(self, columns: dict[str, list[Any]]) -> None:
        """Count the rows of some batches, given as the chunks of each role's column."""
        np = self.np
        persons = self.ids.map(columns["identifier"])
        months = self._months(columns["timestamp"])
        codes = self.kinds.map(columns["kind"])  # kind number * CODE_SPAN + reason bits
        for role, memo in self.filters.items():
            codes += memo.map(columns[role])
        self.rows += len(persons)
        span = len(self.month_ids)
        self.events = table = self._grown(self.events, len(self.scanner.kind_labels) * CODE_SPAN,
                                          span)
        _add_counts(table, np.bincount(codes * table.shape[1] + months))
        inside = (codes & (CODE_SPAN - 1)) == 0
        persons, months, kinds = persons[inside], months[inside], codes[inside] // CODE_SPAN
        labels = self.scanner.kind_labels
        for index, group in enumerate(self.spec.groups):
            if group is None:
                who, when = persons, months
            else:
                counted = np.array([label in group for label in labels], bool)
                chosen = counted[kinds]
                who, when = persons[chosen], months[chosen]
            self.seen[index] = seen = self._grown(self.seen[index], len(self.person_ids), span)
            seen[who, when] = True
            if index == self.spec.concentration_group:
                self.year_events = table = self._grown(self.year_events, len(self.person_ids),
                                                       len(self.year_ids))
                _add_counts(table, np.bincount(who * table.shape[1] + self.year_of_month[when]))

    # --- the result -----------------------------------------------------------------------

    def _cells(self, table: Any, rows: int) -> tuple[Any, Any, Any]:
        """Row, column and value of the non-zero cells among the first ``rows`` rows."""
        found = self.np.flatnonzero(table[:rows])  # whole rows: contiguous, quick
        row, column = self.np.divmod(found, table.shape[1])
        return row, column, table[:rows].ravel()[found]

    def result(self) -> RangeResult:
        """What the scan found, as the Python scanner reports it for the whole file."""
        np = self.np
        scanner = self.scanner
        persons = len(self.person_ids)
        person_codes = np.fromiter(self.person_ids, np.int64, persons)
        month_codes = np.fromiter(self.month_ids, np.int64, len(self.month_ids))
        year_codes = np.fromiter(self.year_ids, np.int64, len(self.year_ids))
        distinct: list[dict[int, int]] = []
        for seen in self.seen:
            per_month = seen[:persons].sum(axis=0).tolist()
            distinct.append({int(month_codes[m]): n for m, n in enumerate(per_month) if n})
        self.seen = []
        who, year, counts = self._cells(self.year_events, persons)
        person_years: Counter[int] = Counter()
        dict.update(person_years, zip(
            ((person_codes[who] >> YEAR_SHIFT) + year_codes[year]).tolist(), counts.tolist(),
            strict=True))
        self.year_events = None
        code, month, counts = self._cells(self.events, len(self.events))
        events = dict(zip(((code << MONTH_BITS) + month_codes[month]).tolist(), counts.tolist(),
                          strict=True))
        return RangeResult(
            lines=self.rows,
            records=self.rows,
            events=events,
            kind_labels=list(scanner.kind_labels),
            kind_keys=list(scanner.kind_keys),
            person_months=[],  # the keys only merge two ranges; this one is the whole file
            distinct=distinct,
            person_years=person_years,
            checks=scanner.checks,
        )


def arrow_scan(spec: ScanSpec, data_start: int) -> RangeResult | None:
    """Scan the data lines from byte ``data_start`` on with pyarrow; ``None`` when the
    exact Python scanner must read the file (see the module docstring).

    Raises :class:`~pdsa_core.importing.events.scan.Collision` as the Python scanner does.
    """
    try:
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.csv as pacsv
    except ImportError:
        return None
    if spec.ncols < 2:
        return None  # a line of spaces would be a row; the Python scanner skips it
    pool = pa.system_memory_pool()  # measured: the lowest peak memory of arrow's pools
    scan = _ArrowScan(spec, (pa, pc, np), pool)
    try:
        if os.path.getsize(spec.path) > data_start:  # pyarrow refuses an empty text
            _read(scan, data_start, pa, pacsv)
        return scan.result()
    except (Unusable, pa.ArrowException):
        return None
    finally:
        for memo in (scan.ids, scan.heads, scan.kinds, *scan.filters.values()):
            memo.known = None  # raw values (identifiers above all): dropped now


def _read(scan: _ArrowScan, data_start: int, pa: Any, pacsv: Any) -> None:
    """Feed the extract's rows to ``scan``, in steps of several blocks."""
    spec = scan.spec
    names = [f"f{i}" for i in range(spec.ncols)]
    wanted = {role: names[position] for role, position in spec.positions.items()}
    types = dict.fromkeys(names, pa.binary())
    types.update(dict.fromkeys(wanted.values(), pa.dictionary(pa.int32(), pa.binary())))
    for role in PLAIN_ROLES:
        if role in wanted:
            types[wanted[role]] = pa.binary()
    others = [name for name in names if name not in wanted.values()]
    pc, limit = scan.pc, scan.limit

    def check(batch: Any) -> None:
        """The Python scanner refuses a field over the csv module's limit in any column
        when it reads quotes; so does this engine (used columns are checked by value)."""
        for name in others:
            longest = pc.max(pc.binary_length(batch.column(name))).as_py()
            if longest is not None and longest > limit:
                raise Unusable

    with pa.OSFile(spec.path) as source:
        source.seek(data_start)
        reader = pacsv.open_csv(
            source,
            read_options=pacsv.ReadOptions(column_names=names, block_size=BLOCK_SIZE,
                                           use_threads=True),
            parse_options=pacsv.ParseOptions(delimiter=spec.sep.decode("latin-1"),
                                             quote_char='"', double_quote=True,
                                             newlines_in_values=True, ignore_empty_lines=True),
            convert_options=pacsv.ConvertOptions(
                column_types=types, strings_can_be_null=False, quoted_strings_can_be_null=False),
            memory_pool=scan.pool,
        )
        prefetch = _Prefetch(reader, STEP_ROWS, check)
        try:
            for batches in prefetch:
                scan.batch({role: [batch.column(name) for batch in batches]
                            for role, name in wanted.items()})
        finally:
            prefetch.close()
