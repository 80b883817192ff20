"""Measurements packed per series: how a workspace file (schema 3 on) stores its largest table.

A national workspace holds ~180,000 measurements. Stored one JSON object each, every one
repeats its team, indicator, source file, import time and who entered it, and reading the
file means building 180,000 dicts before anything is shown. Here the ``measurements``
table of the file holds one document per *series* (id ``team_id|code``; a measurement's id
is ``team_id|code|period``), with its rows sorted by period and its fields stored once or
column-wise::

    "team-01|R1": {
        "rows": ["2022-01", "2022-02", "2022-03"],    # the last part of each id, sorted
        "id_field": "period",                         # this field equals the row's id
        "fields": ["team_id", "indicator", "period", "value", "source", "entered_at"],
        "same": {"team_id": "team-01", "indicator": "R1", "source": "import"},  # equal in every row
        "columns": {"value": [3.0, 5.0, 4.0], "entered_at": [0, 0, 1]},         # one entry per row
        "codes": {"entered_at": ["2022-04-02T09:00:00+00:00", "2022-05-01T10:00:00+00:00"]},
        "absent": {"note": [0, 2]}                     # rows without the field (entry is a placeholder)
    }

- ``same``: a field present in every row with the same JSON value (team, indicator, and
  usually source, source file, who entered it) is stored once;
- ``columns``: any other field, one entry per row (nested values such as ``revisions``
  lists are entries like any other);
- ``codes``: a text column with repeated values is dictionary-encoded: the column holds
  small indices into this list of distinct values;
- ``absent``: a field missing from some rows (a missing field and a field holding ``null``
  are different things and both survive);
- ``fields``: the order of the fields in the documents;
- ``rows`` (schema 4 on): each run of two or more consecutive months is stored as
  ``[first month, count]``: ``["2014-01", 120]`` stands for the 120 ids ``"2014-01"`` to
  ``"2023-12"``. A national file's 180,000 month labels were most of what reading it cost.
  Rows that are not months, or stand alone, are stored as they are; a schema 3 file's rows,
  all texts, read the same;
- ``floats`` (schema 4 on): the columns of floats that are all whole numbers (``3.0``, most
  counts) stored as integers (``3``) and read back as floats. Only a column whose every value
  is such a float (or null) is listed, so an integer stored as one stays an integer, and a
  ``-0.0`` keeps its sign.

The benchmark's national workspace (50 teams x 30 indicators x 120 months) parses in 44 ms
as schema 3 wrote it (4.5 MB), 19 ms with the runs (2.7 MB) and 13 ms with the runs and the
integers (2.3 MB), measured in one process with the collector paused.

The packing is generic and exact: ``unpack_table(pack_table(docs)) == docs`` for any JSON
documents whose ids contain a ``|``. Values are compared by JSON identity when deciding
what is the same in every row (``1``, ``1.0`` and ``true`` are different values).

:class:`PackedTable` is the read-only view the rest of pdsa gets as
``snapshot.table("measurements")``: it looks like ``{"team|code|period": doc}`` and
unpacks a series only when one of its measurements is asked for.
"""

from __future__ import annotations

import copy
import math
from collections.abc import ItemsView, Iterator, Mapping, ValuesView
from itertools import chain
from typing import Any

from pdsa_core.errors import WorkspaceError

Document = dict[str, Any]
PackedSeries = dict[str, Any]

#: the tables a workspace file stores packed
PACKED_TABLES = ("measurements",)

SEPARATOR = "|"

_PARTS = ("rows", "id_field", "fields", "same", "columns", "codes", "absent", "floats")
#: the largest whole number a float holds exactly (and so comes back as the same float)
_EXACT = 2**53
#: what a column of ``floats`` may hold (a whole number, a float, a null)
_NUMBERS = frozenset({int, float, type(None)})
_MISSING = object()


class PackingError(ValueError):
    """A document, id or packed series that cannot be used; ``str()`` is English, ``da`` Danish."""

    def __init__(self, message: str, da: str) -> None:
        super().__init__(message)
        self.da = da


#: what is wrong with a packed series: (English, Danish), each completing "series 'x' ..."
Reason = tuple[str, str]


def damaged(table: str, series_id: str, reason: Reason, where: str | None) -> WorkspaceError:
    """The error for a packed series that cannot be read (``reason`` as :func:`damage` says it)."""
    return WorkspaceError(
        f"table {table!r} of the workspace is damaged: series {series_id!r} {reason[0]}. "
        "The file was left untouched; restore a backup or export",
        where=where,
        da=f"tabellen {table!r} i arbejdsområdet er beskadiget: serien {series_id!r} {reason[1]}. "
        "Filen er ikke rørt; brug en sikkerhedskopi eller en eksport",
    )


def split_id(doc_id: str) -> tuple[str, str]:
    """``"team|R1|2022-03"`` -> ``("team|R1", "2022-03")``: the series and the row of an id."""
    series_id, separator, row = doc_id.rpartition(SEPARATOR)
    if not separator:
        raise PackingError(
            f"the id {doc_id!r} has no series part (expected 'team|indicator|period')",
            f"id'et {doc_id!r} mangler en seriedel (forventet 'team|indikator|periode')",
        )
    return series_id, row


# -- runs of months ----------------------------------------------------------------------------------
def _month(row: str) -> int | None:
    """``"2014-03"`` -> its month number (year * 12 + month - 1); None for any other text."""
    if len(row) != 7 or row[4] != "-" or not row.isascii():
        return None
    year, month = row[:4], row[5:]
    if not (year.isdigit() and month.isdigit()) or not 1 <= int(month) <= 12:
        return None
    return int(year) * 12 + int(month) - 1


def _label(number: int) -> str:
    year, month = divmod(number, 12)
    return f"{year:04d}-{month + 1:02d}"


def month_runs(rows: list[str]) -> list[Any]:
    """Sorted row ids as a file stores them: each run of 2+ consecutive months as ``[first, count]``."""
    stored: list[Any] = []
    run_start = previous = None
    count = 0
    for row in [*rows, None]:
        number = _month(row) if row is not None else None
        if number is not None and previous is not None and number == previous + 1:
            previous, count = number, count + 1
            continue
        if run_start is not None:  # the run before this row ends
            stored.append([run_start, count] if count > 1 else run_start)
        run_start, previous, count = (row, number, 1) if number is not None else (None, None, 0)
        if number is None and row is not None:
            stored.append(row)
    return stored


def row_count(rows: list[Any]) -> int | None:
    """How many rows the stored ``rows`` stand for; None when one is neither an id nor a run."""
    count = 0
    for row in rows:
        if type(row) is str:
            count += 1
        elif (
            type(row) is list
            and len(row) == 2
            and type(row[0]) is str
            and type(row[1]) is int
            and row[1] >= 1
            and (first := _month(row[0])) is not None
            and first + row[1] <= 10000 * 12  # the last month is 9999-12 at most
        ):
            count += row[1]
        else:
            return None
    return count


def row_ids(rows: list[Any]) -> list[str]:
    """The row ids the stored ``rows`` stand for (runs written out); PackingError for a bad row."""
    if _all_of(rows, str):  # a schema 3 file's rows, or rows that are not months
        return rows
    if row_count(rows) is None:
        raise PackingError(
            "has a row that is neither an id nor a run of months",
            "har en række, der hverken er et id eller en række af måneder",
        )
    ids: list[str] = []
    for row in rows:
        if type(row) is str:
            ids.append(row)
        else:
            first = _month(row[0])
            assert first is not None  # checked by row_count
            ids.extend(_label(number) for number in range(first, first + row[1]))
    return ids


def as_schema_4(packed: PackedSeries) -> PackedSeries:
    """A packed series of a schema 3 file as schema 4 stores it (its months as runs, its
    columns of whole-number floats as integers), without unpacking it."""
    compact = {**packed, "rows": month_runs(row_ids(packed["rows"]))}
    columns = dict(packed.get("columns", {}))
    codes = packed.get("codes", {})
    floats = [name for name, column in columns.items() if name not in codes and _whole_floats(column)]
    for name in floats:
        columns[name] = [None if value is None else int(value) for value in columns[name]]
    if floats:
        compact["columns"] = columns
        compact["floats"] = floats
    return compact


# -- packing ---------------------------------------------------------------------------------------
def _all_of(values: list[Any], kind: type) -> bool:
    return set(map(type, values)) <= {kind}


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON values: same type (1, 1.0 and True differ), same sign of zero, same key order."""
    if a is b:
        return True
    kind = type(a)
    if kind is not type(b):
        return False
    if kind is float:
        return bool(a == b and (a != 0.0 or math.copysign(1.0, a) == math.copysign(1.0, b)))
    if kind is list:
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if kind is dict:
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    return bool(a == b)


def _all_same(values: list[Any]) -> bool:
    """Every value the same JSON value (the common cases at C speed, the rest with :func:`_same`)."""
    first = values[0]
    kind = type(first)
    if values.count(first) != len(values) or not _all_of(values, kind):
        return False
    if kind is str or kind is int or kind is bool or first is None:
        return True
    if kind is float and first != 0.0:
        return True
    return all(_same(first, value) for value in values)


def _whole_floats(values: list[Any]) -> bool:
    """Floats (some may be None) that are all whole numbers an integer gives back exactly:
    stored as integers (``floats``), ``-0.0``, infinities and NaN excluded."""
    found = False
    for value in values:
        if value is None:
            continue
        if type(value) is not float or not value.is_integer() or not -_EXACT < value < _EXACT:
            return False
        if value == 0.0 and math.copysign(1.0, value) < 0:
            return False
        found = True
    return found


def pack_series(docs: Mapping[str, Document]) -> PackedSeries:
    """One series' documents (ids sharing everything before their last ``|``) packed.

    The rows are sorted by id, so the same documents always pack to the same JSON.
    """
    items = sorted(docs.items())
    rows = []
    for doc_id, doc in items:
        if type(doc) is not dict:
            kind = type(doc).__name__
            raise PackingError(
                f"the record {doc_id!r} is a {kind}, not an object",
                f"posten {doc_id!r} er en {kind}, ikke et objekt",
            )
        _, separator, row = doc_id.rpartition(SEPARATOR)
        rows.append(row if separator else split_id(doc_id)[1])  # split_id says what is wrong
    records = [doc for _, doc in items]
    names = dict.fromkeys(chain.from_iterable(records))  # every field, in first-seen order
    id_field: str | None = None
    same: dict[str, Any] = {}
    columns: dict[str, list[Any]] = {}
    codes: dict[str, list[str]] = {}
    absent: dict[str, list[int]] = {}
    floats: list[str] = []
    for name in names:
        values = [doc.get(name, _MISSING) for doc in records]
        if _MISSING not in values:
            if id_field is None and values == rows and _all_of(values, str):
                id_field = name
                continue
            if _all_same(values):
                same[name] = values[0]
                continue
            present = values
            skip: set[int] = set()
        else:
            absent[name] = missing = [i for i, value in enumerate(values) if value is _MISSING]
            skip = set(missing)
            present = [value for i, value in enumerate(values) if i not in skip]
            values = [None if i in skip else value for i, value in enumerate(values)]  # placeholders
        distinct: dict[str, int] = {}
        if _all_of(present, str):
            for value in present:
                distinct.setdefault(value, len(distinct))
        if distinct and len(distinct) < len(present):
            codes[name] = list(distinct)
            # a row without the field gets code 0 as a placeholder (never read)
            columns[name] = [0 if i in skip else distinct[v] for i, v in enumerate(values)]
        elif _whole_floats(present):
            floats.append(name)
            columns[name] = [None if value is None else int(value) for value in values]
        else:
            columns[name] = values
    packed: PackedSeries = {"rows": month_runs(rows)}
    if id_field is not None:
        packed["id_field"] = id_field
    packed["fields"] = list(names)
    parts = (("same", same), ("columns", columns), ("codes", codes), ("absent", absent), ("floats", floats))
    for part, content in parts:
        if content:
            packed[part] = content
    return packed


def pack_table(docs: Mapping[str, Document]) -> dict[str, PackedSeries]:
    """A whole table ``{id: doc}`` packed: ``{series_id: packed series}``, in first-seen order."""
    if isinstance(docs, PackedTable):
        return docs.packed
    by_series: dict[str, dict[str, Document]] = {}
    for doc_id, doc in docs.items():
        by_series.setdefault(split_id(doc_id)[0], {})[doc_id] = doc
    return {series_id: pack_series(series) for series_id, series in by_series.items()}


# -- unpacking -------------------------------------------------------------------------------------
def unpack_series(series_id: str, packed: PackedSeries) -> dict[str, Document]:
    """``{id: doc}`` of one packed series.

    The series' structure was checked with :func:`damage` when the file was read; its row ids
    are checked here (cheaply, and only for the series that are looked at).
    """
    rows = row_ids(packed["rows"])
    count = len(rows)
    names = packed["fields"]
    id_field = packed.get("id_field")
    same = packed.get("same", {})
    columns = packed.get("columns", {})
    codes = packed.get("codes", {})
    floats = packed.get("floats", ())
    built: list[list[Any]] = []
    for name in names:
        if name == id_field:
            built.append(rows)
        elif name in same:
            value = same[name]
            if isinstance(value, list | dict):
                built.append([copy.deepcopy(value) for _ in range(count)])
            else:
                built.append([value] * count)
        else:
            column = columns[name]
            table = codes.get(name)
            if name in floats:
                if not set(map(type, column)) <= _NUMBERS:
                    raise PackingError(
                        f"has column {name!r} of floats with an entry that is not a number",
                        f"har kolonnen {name!r} af decimaltal med en værdi, der ikke er et tal",
                    )
                column = [None if value is None else float(value) for value in column]
            built.append(column if table is None else [table[c] for c in column])
    if names:
        docs = [dict(zip(names, values, strict=True)) for values in zip(*built, strict=True)]
    else:
        docs = [{} for _ in range(count)]
    for name, missing in packed.get("absent", {}).items():
        for index in missing:
            del docs[index][name]
    prefix = series_id + SEPARATOR
    unpacked = {prefix + row: doc for row, doc in zip(rows, docs, strict=True)}
    if len(unpacked) != count:
        raise PackingError("has the same row id twice", "har det samme række-id to gange")
    return unpacked


def unpack_table(packed: Mapping[str, PackedSeries]) -> dict[str, Document]:
    """The whole table ``{id: doc}`` of packed series."""
    docs: dict[str, Document] = {}
    for series_id, series in packed.items():
        docs.update(unpack_series(series_id, series))
    return docs


def damage(packed: Any) -> Reason | None:
    """What is wrong with a packed series read from a file, or None when it can be unpacked.

    Checks the structure: parts, field names, runs of months, column lengths, codes and
    absent rows in range. The row ids themselves are checked by :func:`unpack_series` (a
    national file has 180,000 of them and only a few series are looked at).
    """
    if type(packed) is not dict:
        return ("is not an object", "er ikke et objekt")
    unknown = [part for part in packed if part not in _PARTS]
    if unknown:
        return (f"has an unknown part {unknown[0]!r}", f"har en ukendt del {unknown[0]!r}")
    rows = packed.get("rows")
    if type(rows) is not list:
        return ("has no list of row ids", "har ingen liste over række-id'er")
    count = row_count(rows) if not _all_of(rows, str) else len(rows)
    if count is None:
        return (
            "has a row that is neither an id nor a run of months",
            "har en række, der hverken er et id eller en række af måneder",
        )
    names = packed.get("fields")
    if type(names) is not list or not _all_of(names, str) or len(set(names)) != len(names):
        return ("has no list of distinct field names", "har ingen liste over forskellige feltnavne")
    parts = {part: packed.get(part, {}) for part in ("same", "columns", "codes", "absent")}
    for part, content in parts.items():
        if type(content) is not dict:
            return (f"has {part!r} that is not an object", f"har {part!r}, som ikke er et objekt")
    same, columns, codes, absent = parts["same"], parts["columns"], parts["codes"], parts["absent"]
    id_field = packed.get("id_field")
    if id_field is not None and id_field not in names:
        return (
            f"names an id field {id_field!r} that is not one of its fields",
            f"angiver id-feltet {id_field!r}, som ikke er et af dens felter",
        )
    for name in names:
        stored = (name == id_field) + (name in same) + (name in columns)
        if stored != 1:
            return (
                f"stores field {name!r} {'nowhere' if not stored else 'more than once'}",
                f"gemmer feltet {name!r} {'ingen steder' if not stored else 'mere end én gang'}",
            )
    listed = set(names)
    for part in ("same", "columns"):
        for name in parts[part]:
            if name not in listed:
                return (
                    f"has {part} {name!r} that is not one of its fields",
                    f"har {part} {name!r}, som ikke er et af dens felter",
                )
    for name, column in columns.items():
        if type(column) is not list:
            return (f"has column {name!r} that is not a list", f"har kolonnen {name!r}, som ikke er en liste")
        if len(column) != count:
            return (
                f"has column {name!r} with {len(column)} entries for {count} rows",
                f"har kolonnen {name!r} med {len(column)} værdier til {count} rækker",
            )
    for name, values in codes.items():
        if name not in columns:
            return (
                f"has codes for {name!r}, which is not a column",
                f"har koder for {name!r}, som ikke er en kolonne",
            )
        if type(values) is not list or not values:
            return (
                f"has codes for {name!r} that are not a list of values",
                f"har koder for {name!r}, som ikke er en liste af værdier",
            )
        column = columns[name]
        if not _all_of(column, int):
            return (
                f"has column {name!r} with a code that is not a whole number",
                f"har kolonnen {name!r} med en kode, der ikke er et heltal",
            )
        if column and (min(column) < 0 or max(column) >= len(values)):
            bad = min(column) if min(column) < 0 else max(column)
            return (
                f"has column {name!r} with code {bad}, but only {len(values)} values",
                f"har kolonnen {name!r} med koden {bad}, men kun {len(values)} værdier",
            )
    for name, missing in absent.items():
        if name not in columns:
            return (
                f"marks field {name!r} absent, which is not a column",
                f"markerer feltet {name!r} som fraværende, men det er ikke en kolonne",
            )
        if type(missing) is not list or not _all_of(missing, int):
            return (
                f"marks field {name!r} absent in rows that are not whole numbers",
                f"markerer feltet {name!r} som fraværende i rækker, der ikke er heltal",
            )
        if len(set(missing)) != len(missing) or (missing and (min(missing) < 0 or max(missing) >= count)):
            return (
                f"marks field {name!r} absent in rows outside 0..{count - 1} or twice",
                f"markerer feltet {name!r} som fraværende i rækker uden for 0..{count - 1} eller to gange",
            )
    return _floats_damage(packed.get("floats", []), columns, codes)


def _floats_damage(floats: Any, columns: dict[str, Any], codes: dict[str, Any]) -> Reason | None:
    """What is wrong with a series' ``floats`` (the columns of whole numbers read as floats).
    Their entries are checked as the field's type when the file is checked, and as numbers
    when the series is read (:func:`unpack_series`)."""
    if type(floats) is not list or not _all_of(floats, str) or len(set(floats)) != len(floats):
        return (
            "has 'floats' that is not a list of distinct names",
            "har 'floats', som ikke er en liste af forskellige navne",
        )
    for name in floats:
        if name not in columns or name in codes:
            return (
                f"marks {name!r} as floats, which is not a column of values",
                f"markerer {name!r} som decimaltal, men det er ikke en kolonne af værdier",
            )
    return None


# -- the read-only view ------------------------------------------------------------------------------
class PackedTable(Mapping[str, Document]):
    """``{"team|code|period": doc}`` over packed series; a series is unpacked when first asked for.

    ``packed`` is the file's table (``{series_id: packed series}``), never changed here.
    ``cache`` may be shared between the views of one store: an entry is used only while its
    series is the very same object, so after a commit the untouched series keep their
    unpacked documents (the same objects) and only the changed ones are unpacked again.
    The documents are shared, like those of any snapshot: read them, never change them.
    """

    __slots__ = ("packed", "name", "where", "_cache", "_length")

    def __init__(
        self,
        packed: dict[str, PackedSeries],
        *,
        name: str = "measurements",
        where: str | None = None,
        cache: dict[str, tuple[PackedSeries, dict[str, Document]]] | None = None,
    ) -> None:
        self.packed = packed
        self.name = name  # the table's name and the file's path, for messages
        self.where = where
        self._cache = cache if cache is not None else {}
        self._length: int | None = None

    def series(self, series_id: str) -> Mapping[str, Document]:
        """``{id: doc}`` of one series (``"team|code"``), in period order; empty when there is none."""
        packed = self.packed.get(series_id)
        if packed is None:
            return {}
        hit = self._cache.get(series_id)
        if hit is not None and hit[0] is packed:
            return hit[1]
        try:
            docs = unpack_series(series_id, packed)
        except PackingError as exc:
            raise damaged(self.name, series_id, (str(exc), exc.da), self.where) from None
        self._cache[series_id] = (packed, docs)
        return docs

    def series_docs(self) -> Mapping[tuple[str, str], list[Document]]:
        """The documents by ``(doc["team_id"], doc["indicator"])``, unpacked per series when asked."""
        return _SeriesDocs(self)

    def __getitem__(self, doc_id: str) -> Document:
        series_id, separator, _ = doc_id.rpartition(SEPARATOR) if type(doc_id) is str else ("", "", "")
        if not separator:
            raise KeyError(doc_id)
        return self.series(series_id)[doc_id]

    def get(self, doc_id: str, default: Any = None) -> Any:
        """``self[doc_id]`` or ``default``, without raising (an import asks once per value)."""
        series_id, separator, _ = doc_id.rpartition(SEPARATOR) if type(doc_id) is str else ("", "", "")
        if not separator:
            return default
        return self.series(series_id).get(doc_id, default)

    def __contains__(self, doc_id: object) -> bool:
        return self.get(doc_id, _MISSING) is not _MISSING  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[str]:
        for series_id in self.packed:
            yield from self.series(series_id)

    def __len__(self) -> int:
        if self._length is None:
            self._length = sum(row_count(series["rows"]) or 0 for series in self.packed.values())
        return self._length

    def values(self) -> ValuesView[Document]:
        return _Values(self)

    def items(self) -> ItemsView[str, Document]:
        return _Items(self)

    def __repr__(self) -> str:
        return f"<PackedTable: {len(self)} documents in {len(self.packed)} series>"


class _Values(ValuesView[Document]):
    _mapping: PackedTable

    def __iter__(self) -> Iterator[Document]:
        table = self._mapping
        for series_id in table.packed:
            yield from table.series(series_id).values()


class _Items(ItemsView[str, Document]):
    _mapping: PackedTable

    def __iter__(self) -> Iterator[tuple[str, Document]]:
        table = self._mapping
        for series_id in table.packed:
            yield from table.series(series_id).items()


class _SeriesDocs(Mapping[tuple[str, str], list[Document]]):
    """Measurement documents by (team, indicator), read from the series' hoisted fields.

    A series whose team or indicator differs between rows (never written by pdsa, but a
    valid file) is unpacked at once and its documents grouped one by one, as the plain
    index does.
    """

    def __init__(self, table: PackedTable) -> None:
        self._table = table
        self._groups: dict[tuple[str, str], list[str]] = {}
        self._loose: dict[tuple[str, str], list[Document]] = {}
        self._built: dict[tuple[str, str], list[Document]] = {}
        for series_id, packed in table.packed.items():
            same = packed.get("same", {})
            if "team_id" in same and "indicator" in same:
                self._groups.setdefault((same["team_id"], same["indicator"]), []).append(series_id)
            else:
                for doc in table.series(series_id).values():
                    self._loose.setdefault((doc["team_id"], doc["indicator"]), []).append(doc)

    def __getitem__(self, key: tuple[str, str]) -> list[Document]:
        built = self._built.get(key)
        if built is not None:
            return built
        if key not in self._groups and key not in self._loose:
            raise KeyError(key)
        docs = [
            doc for series_id in self._groups.get(key, ()) for doc in self._table.series(series_id).values()
        ]
        docs.extend(self._loose.get(key, ()))
        self._built[key] = docs
        return docs

    def __iter__(self) -> Iterator[tuple[str, str]]:
        yield from self._groups
        yield from (key for key in self._loose if key not in self._groups)

    def __len__(self) -> int:
        return len(self._groups.keys() | self._loose.keys())


__all__ = [
    "PACKED_TABLES",
    "PackedTable",
    "PackingError",
    "as_schema_4",
    "damage",
    "damaged",
    "month_runs",
    "pack_series",
    "pack_table",
    "split_id",
    "unpack_series",
    "unpack_table",
]
