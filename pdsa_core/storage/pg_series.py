"""The values of a server workspace: read per series, parsed when first used.

A national workspace holds ~180,000 values. Read one row each, opening it spent most of its
time on rows (in the server, the driver and 180,000 small JSON parses), yet opening shows one
team and an edit changes one series. So the database keeps, per *series* (``team|code``), its
values as one JSON object text (``pdsa.series``, ``sql/003_series.sql``: rebuilt by the
database in the transaction that changes a value), and opening reads those 1,500 rows.
:class:`SeriesTable` is the read-only mapping ``{"team|code|period": doc}`` the snapshot hands
out (as a workspace file's :class:`~pdsa_core.storage.packed.PackedTable`): a series' text is
parsed, and its records checked (:func:`~pdsa_core.storage.checks.skip_bad`), when one of its
values is first asked for. After a commit a new table shares every series the commit did not
touch with the old one (parsed or not), so following an edit costs one series, not the table.

A record pdsa cannot use is skipped with a warning when its series is parsed (the database
refuses such records since migration 002, so only an older one can be there); until then it
is counted by :meth:`SeriesTable.__len__`, which reports the rows the server holds for the
series nobody has read yet.
"""

from __future__ import annotations

from collections.abc import ItemsView, Iterable, Iterator, Mapping, ValuesView
from typing import Any

import orjson

from pdsa_core.storage.checks import skip_bad

Document = dict[str, Any]


class _Series:
    """One series: the server's text until parsed, then its checked documents."""

    __slots__ = ("count", "text", "docs")

    def __init__(self, count: int, text: str | None = None, docs: dict[str, Document] | None = None) -> None:
        self.count = count
        self.text = text
        self.docs = docs


def series_of(doc_id: str) -> str:
    """The series id (``team|code``) of a value's id (``team|code|period``)."""
    return doc_id.rpartition("|")[0]


class SeriesTable(Mapping[str, Document]):
    """``{"team|code|period": doc}`` over series parsed on first use (see the module)."""

    __slots__ = ("_series", "_where", "_skipped")

    def __init__(
        self,
        series: dict[str, _Series] | None = None,
        *,
        where: str = "",
        skipped: list[str] | None = None,
    ) -> None:
        self._series: dict[str, _Series] = series if series is not None else {}
        self._where = where
        self._skipped: list[str] = skipped if skipped is not None else []

    @classmethod
    def from_rows(
        cls, rows: Iterable[tuple[str, int, str]], *, where: str = "", skipped: list[str] | None = None
    ) -> SeriesTable:
        """The table from rows of ``pdsa.series``: (series id, number of values, their JSON object text)."""
        return cls({sid: _Series(count, text) for sid, count, text in rows}, where=where, skipped=skipped)

    @classmethod
    def from_docs(cls, docs: Mapping[str, Document], *, where: str = "") -> SeriesTable:
        """The table of checked documents ``{id: doc}`` (already parsed)."""
        series: dict[str, dict[str, Document]] = {}
        for doc_id, doc in docs.items():
            series.setdefault(series_of(doc_id), {})[doc_id] = doc
        return cls({sid: _Series(len(d), docs=d) for sid, d in series.items()}, where=where)

    # -- one series -----------------------------------------------------------------------------
    def series(self, series_id: str) -> dict[str, Document]:
        """``{id: doc}`` of one series (``"team|code"``); empty when there is none."""
        entry = self._series.get(series_id)
        if entry is None:
            return {}
        docs = entry.docs
        if docs is None:
            docs = {}
            for doc_id, doc in orjson.loads(entry.text or "{}").items():
                if not skip_bad("measurements", doc_id, doc, self._where, self._skipped):
                    docs[doc_id] = doc
            entry.docs, entry.text, entry.count = docs, None, len(docs)
        return docs

    def series_docs(self) -> Mapping[tuple[str, str], list[Document]]:
        """The documents by ``(team, indicator)``, a series parsed when asked for (as the services use)."""
        return _SeriesDocs(self)

    # -- after a commit --------------------------------------------------------------------------
    def derive(self, written: Mapping[str, Document | None]) -> SeriesTable:
        """A new table: this one with ``written`` (id -> checked document, None: deleted) applied.

        Only the series ``written`` touches are copied; the others are shared with this table.
        """
        by_series: dict[str, list[str]] = {}
        for doc_id in written:
            by_series.setdefault(series_of(doc_id), []).append(doc_id)
        series = dict(self._series)
        for series_id, ids in by_series.items():
            docs = dict(self.series(series_id))
            for doc_id in ids:
                doc = written[doc_id]
                if doc is None:
                    docs.pop(doc_id, None)
                else:
                    docs[doc_id] = doc
            if docs:
                series[series_id] = _Series(len(docs), docs=docs)
            else:
                series.pop(series_id, None)
        return SeriesTable(series, where=self._where, skipped=self._skipped)

    # -- the Mapping interface ------------------------------------------------------------------
    def __getitem__(self, doc_id: str) -> Document:
        if type(doc_id) is not str:
            raise KeyError(doc_id)
        return self.series(series_of(doc_id))[doc_id]

    def __contains__(self, doc_id: object) -> bool:
        return type(doc_id) is str and doc_id in self.series(series_of(doc_id))

    def __iter__(self) -> Iterator[str]:
        for series_id in list(self._series):
            yield from self.series(series_id)

    def __len__(self) -> int:
        return sum(entry.count for entry in self._series.values())

    def values(self) -> ValuesView[Document]:
        return _Values(self)

    def items(self) -> ItemsView[str, Document]:
        return _Items(self)

    def series_ids(self) -> list[str]:
        return list(self._series)

    def __repr__(self) -> str:
        return f"<SeriesTable: {len(self)} documents in {len(self._series)} series>"


class _Values(ValuesView[Document]):
    _mapping: SeriesTable

    def __iter__(self) -> Iterator[Document]:
        table = self._mapping
        for series_id in table.series_ids():
            yield from table.series(series_id).values()


class _Items(ItemsView[str, Document]):
    _mapping: SeriesTable

    def __iter__(self) -> Iterator[tuple[str, Document]]:
        table = self._mapping
        for series_id in table.series_ids():
            yield from table.series(series_id).items()


class _SeriesDocs(Mapping[tuple[str, str], list[Document]]):
    """Values by ``(team, indicator)``: a series id is ``team|code`` (the checks hold ids to that)."""

    def __init__(self, table: SeriesTable) -> None:
        self._table = table
        self._keys: dict[tuple[str, str], str] = {}
        for series_id in table.series_ids():
            team, _, code = series_id.partition("|")
            self._keys[(team, code)] = series_id
        self._built: dict[tuple[str, str], list[Document]] = {}

    def __getitem__(self, key: tuple[str, str]) -> list[Document]:
        built = self._built.get(key)
        if built is None:
            series_id = self._keys[key]  # KeyError: no such series
            built = self._built[key] = list(self._table.series(series_id).values())
        return built

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


__all__ = ["SeriesTable", "series_of"]
