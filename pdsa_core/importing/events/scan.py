"""The row scanner behind :func:`pdsa_core.importing.events.aggregate_events`.

Speed comes from doing per-row work only in C-level builtins and per-*distinct*-value
work in Python:

* a chunk of whole lines is split into lines, and each line with
  ``bytes.split(sep, maxsplit)`` into the columns needed (columns after the last of
  identifier/timestamp/kind stay joined as one "rest" value); ``zip(*rows,
  strict=True)`` turns rows into columns and checks the field count;
* each column is mapped to integers with ``map(cache.get, column)``: a value is decoded
  and classified (identifier -> salted person digest, timestamp -> month, kind -> kind
  number, population columns -> reason bits) only the first time it is seen; a
  timestamp is looked up by its first 11 bytes (a date and one separator);
* per row, integer keys are counted with ``set.update``/``Counter.update`` after
  ``itertools.compress`` with a per-code lookup table;
* a chunk with anything unusual (quotes, a wrong field count, an invalid value) is read
  again by the slow path, which splits with the ``csv`` module and uses the same
  classifiers, so both paths count the same, and only the slow path reports row errors.

Integer layout: a month is ``(year - 1900) << 4 | month - 1`` (12 bits); a person is
``digest << 12``; a person-month key is ``person + month`` and ``key >> 4`` is the
person-year key; a row's code is ``(kind number * 64 + reason bits) << 12``, so
``code + month`` counts events by kind, reason and month in one small ``Counter``.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import add, and_, is_, itemgetter, rshift
from pathlib import Path
from typing import Any

from pdsa_core.errors import DataImportError
from pdsa_core.importing.events.model import (
    OUTSIDE_REASONS,
    Population,
    normalise_label,
    normalise_municipality,
)
from pdsa_core.importing.identifiers import PersonKeys, canonical_identifier
from pdsa_core.importing.periods import parse_day
from pdsa_core.importing.problems import ImportProblem

MONTH_BITS = 12
MONTH_MASK = (1 << MONTH_BITS) - 1
YEAR_SHIFT = 4  # month code = year offset << 4 | month - 1
YEAR_MASK = MONTH_MASK >> YEAR_SHIFT
FIRST_YEAR = 1900
LAST_YEAR = FIRST_YEAR + YEAR_MASK
REASONS = tuple(OUTSIDE_REASONS)
REASON_BIT = {reason: 1 << i for i, reason in enumerate(REASONS)}
CODE_SPAN = 1 << len(REASONS)
FILTER_ROLES = ("ward", "age", "municipality", "outpatient", "forensic")
YES = frozenset({"ja", "j", "1", "x", "yes", "y", "true", "sand"})
NO = frozenset({"nej", "n", "0", "", "no", "false", "falsk", "-"})
SLOW_BATCH = 20_000  # rows the slow path collects before counting them
_HEAD = itemgetter(slice(0, 11))
_FIRST = itemgetter(0)

#: An error found by the slow path: (row index in the range, role, problem code, params).
RawError = tuple[int, str | None, str, dict[str, Any]]


def month_code_of(year: int, month: int) -> int:
    return (year - FIRST_YEAR) << YEAR_SHIFT | (month - 1)


def period_of_code(code: int) -> str:
    return f"{FIRST_YEAR + (code >> YEAR_SHIFT):04d}-{(code & 15) + 1:02d}"


class Quoted(Exception):
    """A quote character: from here on the file must be read by the csv module."""


class Collision(Exception):
    """Two identifiers share a person digest (practically never): retry with a new salt."""


def decode(value: bytes) -> str:
    """UTF-8, else Windows-1252 (per value, so even a mixed file reads)."""
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("cp1252", errors="replace")


@dataclass(frozen=True)
class ScanSpec:
    """Everything a scanning process needs (picklable)."""

    path: str
    sep: bytes
    line_end: bytes
    ncols: int
    positions: dict[str, int]
    population: Population
    groups: tuple[frozenset[str] | None, ...]
    concentration_group: int
    salt: bytes
    max_errors: int = 1000

    @property
    def split_at(self) -> int:
        """Index of the last of the identifier/timestamp/kind columns."""
        return max(self.positions[r] for r in ("identifier", "timestamp", "kind"))

    @property
    def has_rest(self) -> bool:
        return self.split_at < self.ncols - 1


class ValueCache(dict[Any, int | None]):
    """value -> code, classified on first sight; problems kept by value.

    A value that cannot be used (a problem, or "cannot tell from this part") maps to
    ``None``, so that one ``None in codes`` test finds unknown and unusable values.
    """

    def __init__(self, classify: Callable[[Any], int | None]) -> None:
        super().__init__()
        self.classify = classify
        self.problems: dict[Any, tuple[str, dict[str, Any]]] = {}

    def key(self, value: Any) -> Any:
        return value

    def one(self, value: Any) -> int | None:
        key = self.key(value)
        code = self.get(key)
        if code is None and key not in self:
            code = self.learn(value)
        return code

    def learn(self, value: Any) -> int | None:
        key = self.key(value)
        try:
            code = self.classify(value)
        except ImportProblem as problem:
            code = None
            self.problems[key] = (problem.code, problem.params)
        self[key] = code
        return code

    def problem(self, value: Any) -> tuple[str, dict[str, Any]] | None:
        return self.problems.get(self.key(value))

    def codes(self, values: Sequence[Any]) -> list[int] | None:
        """The codes of ``values``; ``None`` if any value is unusable."""
        got = list(map(self.get, values))
        if None in got:
            for value in set(compress(values, map(is_, got, repeat(None)))):
                if value not in self:
                    self.learn(value)
            got = list(map(self.get, values))
            if None in got:
                return None
        return got  # type: ignore[return-value]


class IdentifierCache(ValueCache):
    """A :class:`ValueCache` keyed by ``hash(raw)``: raw identifiers are not kept."""

    def key(self, value: Any) -> Any:
        return hash(value)

    def codes(self, values: Sequence[Any]) -> list[int] | None:
        got = list(map(self.get, map(hash, values)))
        if None in got:
            for value in set(compress(values, map(is_, got, repeat(None)))):
                if hash(value) not in self:
                    self.learn(value)
            got = list(map(self.get, map(hash, values)))
            if None in got:
                return None
        return got  # type: ignore[return-value]


@dataclass
class RangeResult:
    """What scanning one byte range found (sent from a worker process to the parent).

    ``events`` counts rows by ``code + month``; ``person_months`` holds, per kind
    group, the person-month keys seen (only needed to merge two ranges; the pyarrow
    engine, whose one result is the whole file, leaves it empty); ``person_years``
    counts the concentration group's events per ``person + year``.
    """

    lines: int = 0
    records: int = 0
    events: dict[int, int] = field(default_factory=dict)
    kind_labels: list[str] = field(default_factory=list)
    #: per kind label, the person digest of its text when it reads as an identifier (a column
    #: mix-up puts identifiers in the kind column: such a label is never shown)
    kind_keys: list[int | None] = field(default_factory=list)
    person_months: list[Any] = field(default_factory=list)
    distinct: list[dict[int, int]] = field(default_factory=list)
    person_years: Any = None
    checks: dict[int, int] = field(default_factory=dict)
    errors: list[RawError] = field(default_factory=list)
    error_counts: dict[str, int] = field(default_factory=dict)
    quoted: bool = False


class Scanner:
    """Scans rows of one extract (or of one byte range of it) into counters."""

    def __init__(self, spec: ScanSpec) -> None:
        self.spec = spec
        self.person_keys = PersonKeys(spec.salt)
        self.checks: dict[int, int] = {}
        self.ids = IdentifierCache(self._classify_identifier)
        self.heads = ValueCache(self._classify_head)
        self.dates = ValueCache(self._classify_date)
        self.kinds = ValueCache(self._classify_kind)
        self.filters = {role: ValueCache(getattr(self, f"_classify_{role}"))
                        for role in FILTER_ROLES if role in spec.positions}
        self.rest = ValueCache(self._classify_rest)
        self.kind_labels: list[str] = []
        self.kind_keys: list[int | None] = []
        self.kind_number: dict[str, int] = {}
        self.tables: list[dict[int, int]] = [{} for _ in spec.groups]
        self.person_months: list[set[int]] = [set() for _ in spec.groups]
        self.person_years: Counter[int] = Counter()
        self.events: Counter[int] = Counter()
        self.errors: list[RawError] = []
        self.error_counts: Counter[str] = Counter()
        self.lines = 0
        self.records = 0
        population = spec.population
        self._wards = {normalise_label(w) for w in population.wards}
        self._municipalities = {normalise_municipality(m) for m in population.municipalities}
        self._kinds = {normalise_label(k) for k in population.kinds}
        self._sep = spec.sep
        self._crlf = spec.line_end == b"\r\n"
        split_at = spec.split_at
        self._maxsplit = split_at + 1 if spec.has_rest else -1
        self._parts = split_at + 2 if spec.has_rest else spec.ncols
        self._rest_fields = spec.ncols - split_at - 1
        self._rest_roles = [(role, spec.positions[role] - split_at - 1)
                            for role in self.filters if spec.positions[role] > split_at]
        self._own_roles = [role for role in self.filters if spec.positions[role] < split_at]

    # --- classifiers: one call per distinct value -------------------------------------

    def _classify_identifier(self, raw: bytes) -> int:
        person, check = self.person_keys.key(canonical_identifier(decode(raw)))
        if self.checks.setdefault(person, check) != check:
            raise Collision
        return person << MONTH_BITS

    def _classify_date(self, raw: bytes) -> int:
        text = decode(raw)
        if not text.strip():
            raise ImportProblem("timestamp_missing")
        try:
            day = parse_day(text)
        except ImportProblem:
            raise ImportProblem("timestamp_invalid") from None
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ImportProblem("timestamp_invalid")
        return month_code_of(day.year, day.month)

    def _classify_head(self, head: bytes) -> int | None:
        if len(head) == 11 and head[10:11] not in (b" ", b"T", b"t"):
            return None  # the date may go on: read the whole timestamp
        return self._classify_date(head)

    def _person_of(self, text: str) -> int | None:
        """The person digest ``text`` would have as an identifier (None: it is not one)."""
        try:
            return self.person_keys.key(canonical_identifier(text))[0]
        except ImportProblem:
            return None

    def _classify_kind(self, raw: bytes) -> int:
        label = normalise_label(decode(raw))
        if not label:
            raise ImportProblem("kind_missing")
        number = self.kind_number.get(label)
        if number is None:
            number = self.kind_number[label] = len(self.kind_labels)
            self.kind_labels.append(label)
            self.kind_keys.append(self._person_of(decode(raw)))
            for table, group in zip(self.tables, self.spec.groups, strict=True):
                counted = group is None or label in group
                for bits in range(CODE_SPAN):
                    table[(number * CODE_SPAN + bits) << MONTH_BITS] = int(counted and not bits)
        outside = bool(self._kinds) and label not in self._kinds
        return (number * CODE_SPAN + (REASON_BIT["kind"] if outside else 0)) << MONTH_BITS

    def _classify_ward(self, raw: bytes) -> int:
        inside = normalise_label(decode(raw)) in self._wards
        return 0 if inside else REASON_BIT["ward"] << MONTH_BITS

    def _classify_municipality(self, raw: bytes) -> int:
        inside = normalise_municipality(decode(raw)) in self._municipalities
        return 0 if inside else REASON_BIT["municipality"] << MONTH_BITS

    def _classify_age(self, raw: bytes) -> int:
        text = decode(raw).strip()
        if not text:
            return REASON_BIT["age"] << MONTH_BITS
        if not (text.isascii() and text.isdigit()):
            raise ImportProblem("age_invalid")
        age = int(text)
        population = self.spec.population
        if (population.min_age is not None and age < population.min_age) or (
            population.max_age is not None and age > population.max_age
        ):
            return REASON_BIT["age"] << MONTH_BITS
        return 0

    @staticmethod
    def _yes(raw: bytes) -> bool:
        text = normalise_label(decode(raw))
        if text in YES:
            return True
        if text in NO:
            return False
        raise ImportProblem("yes_no_invalid")

    def _classify_outpatient(self, raw: bytes) -> int:
        return 0 if self._yes(raw) else REASON_BIT["outpatient"] << MONTH_BITS

    def _classify_forensic(self, raw: bytes) -> int:
        return REASON_BIT["forensic"] << MONTH_BITS if self._yes(raw) else 0

    def _classify_rest(self, rest: bytes) -> int | None:
        fields = rest.split(self._sep)
        if len(fields) != self._rest_fields:
            return None  # a wrong field count: the slow path reports it
        bits = 0
        for role, index in self._rest_roles:
            code = self.filters[role].one(fields[index])
            if code is None:
                return None
            bits |= code
        return bits

    # --- months of timestamps -------------------------------------------------------------

    def month_codes(self, stamps: Sequence[bytes]) -> list[int] | None:
        months = self.heads.codes(list(map(_HEAD, stamps)))
        if months is None:
            dates = list(map(_FIRST, map(bytes.partition, map(bytes.lstrip, stamps),
                                         repeat(b" "))))
            months = self.dates.codes(dates)
        return months

    def month_code(self, stamp: bytes) -> int | None:
        month = self.heads.one(stamp[:11])
        if month is None:
            month = self.dates.one(stamp.lstrip().partition(b" ")[0])
        return month

    def timestamp_problem(self, stamp: bytes) -> tuple[str, dict[str, Any]] | None:
        return self.heads.problem(stamp[:11]) or self.dates.problem(
            stamp.lstrip().partition(b" ")[0])

    # --- counting ---------------------------------------------------------------------------

    def accumulate(self, persons: list[int], months: list[int], codes: list[int]) -> None:
        """Count rows given as parallel lists of person, month and code."""
        keys = list(map(add, persons, months))
        self.events.update(map(add, codes, months))
        for index, (table, seen) in enumerate(zip(self.tables, self.person_months,
                                                  strict=True)):
            mask = list(map(table.__getitem__, codes))
            seen.update(compress(keys, mask))
            if index == self.spec.concentration_group:
                self.person_years.update(
                    compress(map(rshift, keys, repeat(YEAR_SHIFT)), mask))

    def fast_chunk(self, data: bytes) -> bool:
        """Count a chunk of whole lines; ``False`` if the slow path must read it."""
        if b'"' in data:
            raise Quoted
        lines = data.split(self.spec.line_end)
        if lines and not lines[-1]:
            lines.pop()
        if not lines:
            return True
        if self._crlf:
            ended = len(lines) - (0 if data.endswith(b"\r\n") else 1)
            if data.count(b"\r") != ended:
                return False  # a lone carriage return starts a new row in Excel and csv
        elif b"\r" in data:
            return False
        try:
            columns = list(zip(*map(bytes.split, lines, repeat(self._sep),
                                    repeat(self._maxsplit)), strict=True))
        except ValueError:
            return False
        if len(columns) != self._parts:
            return False
        positions = self.spec.positions
        persons = self.ids.codes(columns[positions["identifier"]])
        if persons is None:
            return False
        months = self.month_codes(columns[positions["timestamp"]])
        if months is None:
            return False
        codes = self.kinds.codes(columns[positions["kind"]])
        if codes is None:
            return False
        for role in self._own_roles:
            bits = self.filters[role].codes(columns[positions[role]])
            if bits is None:
                return False
            codes = list(map(add, codes, bits))
        if self._rest_roles:
            bits = self.rest.codes(columns[-1])
            if bits is None:
                return False
            codes = list(map(add, codes, bits))
        elif self.spec.has_rest:
            if set(map(bytes.count, columns[-1], repeat(self._sep))) != {self._rest_fields - 1}:
                return False
        self.accumulate(persons, months, codes)
        self.lines += len(lines)
        self.records += len(lines)
        return True

    def slow_records(self, records: Iterable[tuple[int, list[bytes]]]) -> None:
        """Count rows one by one; ``records`` gives (row index, fields as bytes)."""
        persons: list[int] = []
        months: list[int] = []
        codes: list[int] = []
        for index, fields in records:
            self.lines = max(self.lines, index + 1)
            if not fields or (len(fields) == 1 and not fields[0].strip()):
                continue
            self.records += 1
            row = self._slow_row(index, fields)
            if row is not None:
                persons.append(row[0])
                months.append(row[1])
                codes.append(row[2])
                if len(persons) >= SLOW_BATCH:
                    self.accumulate(persons, months, codes)
                    persons, months, codes = [], [], []
        self.accumulate(persons, months, codes)

    def _slow_row(self, index: int, fields: list[bytes]) -> tuple[int, int, int] | None:
        if len(fields) != self.spec.ncols:
            self.error(index, None, "field_count", found=len(fields), expected=self.spec.ncols)
            return None
        positions = self.spec.positions
        problems: list[tuple[str, tuple[str, dict[str, Any]] | None]] = []
        raw_id = fields[positions["identifier"]]
        person = self.ids.one(raw_id)
        if person is None:
            problems.append(("identifier", self.ids.problem(raw_id)))
        stamp = fields[positions["timestamp"]]
        month = self.month_code(stamp)
        if month is None:
            problems.append(("timestamp", self.timestamp_problem(stamp)))
        raw_kind = fields[positions["kind"]]
        code = self.kinds.one(raw_kind)
        if code is None:
            problems.append(("kind", self.kinds.problem(raw_kind)))
        for role, cache in self.filters.items():
            raw = fields[positions[role]]
            bits = cache.one(raw)
            if bits is None:
                problems.append((role, cache.problem(raw)))
            elif code is not None:
                code += bits
        for role, found in problems:
            problem_code, params = found or ("unreadable", {})
            self.error(index, role, problem_code, **params)
        if problems or person is None or month is None or code is None:
            return None
        return person, month, code

    def error(self, index: int, role: str | None, code: str, **params: Any) -> None:
        self.error_counts[code] += 1
        if len(self.errors) < self.spec.max_errors:
            self.errors.append((index, role, code, params))

    def slow_chunk(self, data: bytes, first_index: int) -> None:
        """Read a chunk without quotes with the csv module: one record per line."""
        text = io.StringIO(data.decode("latin-1"), newline="")
        self.read_csv(csv_records(text, self._sep), first_index, Path(self.spec.path).name)

    def read_csv(self, records: Iterator[list[str]], first_index: int, name: str) -> None:
        """Count the rows of a csv reader over latin-1 text (every byte kept as it was)."""
        try:
            self.slow_records(
                (first_index + i, [f.encode("latin-1") for f in record])
                for i, record in enumerate(records)
            )
        except csv.Error as exc:
            raise DataImportError(
                f"the CSV text cannot be split into fields ({exc})",
                where=name,
            ) from None

    def result(self) -> RangeResult:
        return RangeResult(
            lines=self.lines,
            records=self.records,
            events=dict(self.events),
            kind_labels=list(self.kind_labels),
            kind_keys=list(self.kind_keys),
            person_months=list(self.person_months),
            distinct=[dict(Counter(map(and_, seen, repeat(MONTH_MASK))))
                      for seen in self.person_months],
            person_years=self.person_years,
            checks=self.checks,
            errors=self.errors,
            error_counts=dict(self.error_counts),
        )


def csv_records(text: io.TextIOBase, sep: bytes) -> Iterator[list[str]]:
    """Records of latin-1 decoded CSV text (latin-1 keeps every byte as it was)."""
    return csv.reader(text, delimiter=sep.decode("latin-1"), quotechar='"')
