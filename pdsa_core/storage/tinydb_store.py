"""The embedded default store: one TinyDB JSON file per workspace, written atomically.

TinyDB's own JSONStorage rewrites the file in place, so a crash mid-write tears it. Here
the storage replaces the file atomically (see :mod:`pdsa_core.storage.atomic`), every
transaction holds a cross-process lock and starts from the latest file on disk, and all
changes of a transaction reach the disk in one write through TinyDB's CachingMiddleware.

Since schema 3 the file's ``measurements`` table holds one packed document per series
(:mod:`pdsa_core.storage.packed`): a snapshot shows it through a read-only view that
unpacks a series when asked, and a commit packs again only the series it touched. Since
schema 4 a series stores its consecutive months as runs (``["2014-01", 120]``) and its
columns of whole-number floats as integers.
"""

from __future__ import annotations

import copy
import os
import shutil
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import orjson
from tinydb import TinyDB
from tinydb.middlewares import CachingMiddleware
from tinydb.storages import Storage
from tinydb.table import Document as TinyDocument
from tinydb.table import Table

from pdsa_core.domain.common import now_iso
from pdsa_core.errors import WorkspaceError
from pdsa_core.storage.atomic import (
    OWNER_ONLY,
    atomic_write_bytes,
    file_lock,
    lock_path,
    os_error_reason,
    real_path,
    special_kind,
    sweep_temp_files,
)
from pdsa_core.storage.base import TABLES, Document, Snapshot, Store, Transaction
from pdsa_core.storage.checked import digest, digest_soon, is_checked, remember
from pdsa_core.storage.checks import column_problem, header_problem, record_problem, type_problem
from pdsa_core.storage.migrations import CURRENT_SCHEMA, FORMAT, documents_unchanged, migrate
from pdsa_core.storage.packed import (
    PACKED_TABLES,
    SEPARATOR,
    PackedTable,
    PackingError,
    as_schema_4,
    damage,
    damaged,
    pack_series,
    pack_table,
    split_id,
)

#: the first schema whose files store :data:`PACKED_TABLES` packed
PACKED_SINCE = 3

META_TABLE = "_meta"
META_ID = "meta"


def _encode(data: Any) -> bytes:
    """Compact UTF-8 JSON (orjson: a national workspace of ~50 MB takes a fraction of a second)."""
    try:
        return orjson.dumps(data)
    except TypeError as exc:
        raise WorkspaceError(
            f"a record cannot be saved as JSON: {exc}", da=f"en post kan ikke gemmes som JSON: {exc}"
        ) from None


_EXISTS = "a file already exists here; it was left untouched"
_EXISTS_DA = "her findes allerede en fil; den er ikke ændret"


def _unsaved_file(path: Path, exc: OSError) -> WorkspaceError:
    """The workspace file could not be written (a full disk, a read-only folder): nothing changed."""
    en, da = os_error_reason(exc)
    return WorkspaceError(
        f"the workspace cannot be saved: {en}; nothing was changed",
        where=str(path),
        da=f"arbejdsområdet kan ikke gemmes: {da}; intet er ændret",
    )


def _unsaved(table: str, exc: PackingError) -> WorkspaceError:
    return WorkspaceError(
        f"a record of table {table!r} cannot be saved: {exc}",
        da=f"en post i tabellen {table!r} kan ikke gemmes: {exc.da}",
    )


def _packed(name: str, table: Mapping[str, Document]) -> dict[str, Any]:
    """A table packed for the file (a packed view's own series are reused as they are)."""
    try:
        return pack_table(table)
    except PackingError as exc:
        raise _unsaved(name, exc) from None


def file_tables(tables: Mapping[str, Mapping[str, Document]]) -> dict[str, Any]:
    """The tables as a workspace file of the current schema stores them (for whole-file writers)."""
    return {name: _packed(name, t) if name in PACKED_TABLES else dict(t) for name, t in tables.items()}


def read_workspace_file(path: Path) -> dict[str, Any]:
    """Read and check a workspace file; refuse anything that is not one, with the reason.

    The tables come back as the file holds them: from schema 3 on, the packed tables hold
    packed series (each checked with :func:`pdsa_core.storage.packed.damage`). The records
    and series of a content this pdsa has checked or written before are not checked again
    (see :mod:`pdsa_core.storage.checked`); the header always is.
    """
    kind = special_kind(path)
    if kind is not None:  # reading a named pipe would wait for ever
        raise WorkspaceError(
            f"this is {kind[0]}, not a workspace file; it was left untouched",
            where=str(path),
            da=f"dette er {kind[1]}, ikke en arbejdsområdefil; den er ikke ændret",
        )
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise WorkspaceError(
            "no workspace here; create one with 'pdsa init' or try 'pdsa demo'",
            where=str(path),
            da="her er intet arbejdsområde; opret et med 'pdsa init', eller prøv 'pdsa demo'",
        ) from None
    except OSError as exc:
        raise WorkspaceError(
            f"cannot read the workspace: {exc.strerror}",
            where=str(path),
            da=f"arbejdsområdet kan ikke læses: {exc.strerror}",
        ) from None
    if not raw.strip():
        raise WorkspaceError(
            "the file is empty, so it is not a pdsa workspace (it was left untouched)",
            where=str(path),
            da="filen er tom og er derfor ikke et pdsa-arbejdsområde (den er ikke ændret)",
        )
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise WorkspaceError(
            f"the file is damaged (invalid JSON at line {exc.lineno}, column {exc.colno}; it may "
            "have been cut short). It was left untouched; restore a backup or export",
            where=str(path),
            da=f"filen er beskadiget (ugyldig JSON i linje {exc.lineno}, kolonne {exc.colno}; den er "
            "måske blevet afkortet). Den er ikke ændret; gendan en sikkerhedskopi eller en eksport",
        ) from None
    meta = data.get(META_TABLE, {}).get(META_ID) if isinstance(data, dict) else None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise WorkspaceError(
            "this JSON file is not a pdsa workspace (no pdsa header); it was left untouched",
            where=str(path),
            da="denne JSON-fil er ikke et pdsa-arbejdsområde (intet pdsa-hoved); den er ikke ændret",
        )
    problem = header_problem(meta)
    if problem is None and "schema_version" not in meta:
        problem = ("the field 'schema_version' is missing", "feltet 'schema_version' mangler")
    if problem is not None:
        raise _damaged(path, ("the header", "hovedet"), problem)
    version = meta["schema_version"]
    if version > CURRENT_SCHEMA:
        raise WorkspaceError(
            f"the workspace was written by a newer pdsa (schema {version}, this one reads up to "
            f"{CURRENT_SCHEMA}); upgrade pdsa to open it",
            where=str(path),
            da=f"arbejdsområdet er skrevet af en nyere pdsa (skema {version}, denne læser op til "
            f"{CURRENT_SCHEMA}); opgradér pdsa for at åbne det",
        )
    for name, table in data.items():
        if not isinstance(table, dict) or not all(isinstance(d, dict) for d in table.values()):
            raise WorkspaceError(
                f"table {name!r} of the workspace is damaged",
                where=str(path),
                da=f"tabellen {name!r} i arbejdsområdet er beskadiget",
            )
    content = digest(raw)
    if not is_checked(content):
        _check_tables(path, data, version)
        remember(content)
    return data


def _check_tables(path: Path, data: Mapping[str, Any], version: int) -> None:
    """Every record and packed series of the workspace's tables (absent tables are empty)."""
    for name in TABLES:
        if version >= PACKED_SINCE and name in PACKED_TABLES:
            _check_packed(path, name, data.get(name, {}))
        else:
            _check_records(path, name, data.get(name, {}))


def _passes(path: Path, data: Mapping[str, Any]) -> bool:
    """Would these tables (of the current schema) pass the reader's checks?

    Asked of what pdsa writes, to remember its digest only when they would: a writer's data
    come from checked domain records, but a plugin's document is taken as it is. A check that
    cannot judge a value says no: the next open checks the file, as it would without a memo.
    """
    try:
        _check_tables(path, data, CURRENT_SCHEMA)
    except Exception:  # noqa: BLE001 - only decides whether to remember; the write goes ahead
        return False
    return True


def _damaged(path: Path, what: tuple[str, str], problem: tuple[str, str]) -> WorkspaceError:
    """A workspace file refused because of one record or field (``what``: where, English and Danish)."""
    return WorkspaceError(
        f"the workspace is damaged: {what[0]}: {problem[0]}. It was left untouched; "
        "restore a backup or an export",
        where=str(path),
        da=f"arbejdsområdet er beskadiget: {what[1]}: {problem[1]}. "
        "Det er ikke ændret; gendan en sikkerhedskopi eller en eksport",
    )


def _check_records(path: Path, name: str, table: dict[str, Any]) -> None:
    """Every record of a table stored one document each: its keys, its fields' JSON types."""
    for doc_id, doc in table.items():
        what = (f"{name} {doc_id!r}", f"{name} {doc_id!r}")
        reason = record_problem(name, doc_id, doc)
        if reason is not None:
            raise _damaged(path, what, (reason, reason))
        problem = type_problem(name, doc)
        if problem is not None:
            raise _damaged(path, what, problem)


def _check_packed(path: Path, name: str, table: dict[str, Any]) -> None:
    """Every packed series: its structure, and its fields' JSON types column by column."""
    for series_id, series in table.items():
        reason = damage(series)
        if reason is not None:
            raise damaged(name, series_id, reason, str(path))
        absent = series.get("absent", {})
        codes = series.get("codes", {})
        for field, value in series.get("same", {}).items():
            problem = column_problem(name, field, [value])
            if problem is not None:
                raise _damaged(path, (f"{name} {series_id!r}", f"{name} {series_id!r}"), problem)
        for field, column in series.get("columns", {}).items():
            values = codes[field] if field in codes else column
            problem = column_problem(name, field, values, nullable=field in absent)
            if problem is not None:
                raise _damaged(path, (f"{name} {series_id!r}", f"{name} {series_id!r}"), problem)


class AtomicJSONStorage(Storage):
    """A TinyDB storage that checks what it reads and replaces the file atomically.

    With :attr:`checked` set, the data it writes would pass the reader's checks, and the
    digest of the bytes written is remembered, so the next open need not check them.
    """

    def __init__(self, path: str, preloaded: dict[str, Any] | None = None) -> None:
        self.path = Path(path)
        self._preloaded = preloaded
        self.checked = False

    def read(self) -> dict[str, Any] | None:
        if self._preloaded is not None:
            return self._preloaded
        return read_workspace_file(self.path)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        content = _encode(data)
        written = digest_soon(content) if self.checked else None
        try:
            atomic_write_bytes(self.path, content)
        except OSError as exc:
            raise _unsaved_file(self.path, exc) from None
        if written is not None:
            remember(written())

    def close(self) -> None:
        pass


class _StrIdTable(Table):
    """Documents keyed by stable string ids ("psykiatrien-syd", "R1|2022-03") instead of ints."""

    document_id_class = str  # type: ignore[assignment]


def _text_ids(ids: list[str]) -> list[int]:
    """TinyDB annotates document ids as int; a :class:`_StrIdTable`'s are text (``document_id_class``)."""
    return cast("list[int]", ids)


class _WorkspaceDB(TinyDB):
    table_class = _StrIdTable


class _TinyTransaction(Transaction):
    """Collects changes; :meth:`commit` applies them to TinyDB's tables and writes once.

    The packed tables are read through :class:`PackedTable` views of the file's series;
    their changes are applied per series at commit.

    ``checked_base``: the data the transaction starts from passed the reader's checks. Then
    only the changed records and series are checked at commit, and if they pass, the file
    written is remembered as checked (:attr:`checked`).
    """

    def __init__(self, db: TinyDB, *, where: str, cache: dict[str, Any], checked_base: bool = False) -> None:
        self._db = db
        self._where = where
        self.checked = checked_base
        self._base: dict[str, dict[str, Any]] = db.storage.read() or {}
        self._views = {
            name: PackedTable(self._base.get(name, {}), name=name, where=where, cache=cache)
            for name in PACKED_TABLES
        }
        self._pending: dict[str, dict[str, Document | None]] = {}

    def _table(self, table: str) -> Mapping[str, Document]:
        view = self._views.get(table)
        return view if view is not None else self._base.get(table, {})

    def get(self, table: str, doc_id: str) -> Document | None:
        pending = self._pending.get(table)  # (an import asks once per value)
        if pending is not None and doc_id in pending:
            return pending[doc_id]
        view = self._views.get(table)
        return (view if view is not None else self._base.get(table, {})).get(doc_id)

    def all(self, table: str) -> dict[str, Document]:
        merged = dict(self._table(table))
        for doc_id, doc in self._pending.get(table, {}).items():
            if doc is None:
                merged.pop(doc_id, None)
            else:
                merged[doc_id] = doc
        return merged

    def put(self, table: str, doc_id: str, doc: Document) -> None:
        """Stage a document; callers hand over fresh dicts (``Record.to_dict()``) and keep no reference."""
        self._check_id(table, doc_id)
        self._pending.setdefault(table, {})[doc_id] = doc

    def delete(self, table: str, doc_id: str) -> None:
        self._check_id(table, doc_id)
        self._pending.setdefault(table, {})[doc_id] = None

    def _check_id(self, table: str, doc_id: str) -> None:
        if table in self._views and not (type(doc_id) is str and SEPARATOR in doc_id):
            try:
                split_id(doc_id)
            except PackingError as exc:
                raise _unsaved(table, exc) from None

    def _repacked(self, table: str, changes: dict[str, Document | None]) -> dict[str, Document | None]:
        """The changed series of a packed table, packed again (None: the series is now empty)."""
        by_series: dict[str, dict[str, Document | None]] = {}
        for doc_id, doc in changes.items():  # every id was checked by put/delete (_check_id)
            by_series.setdefault(doc_id.rpartition(SEPARATOR)[0], {})[doc_id] = doc
        view = self._views[table]
        repacked: dict[str, Document | None] = {}
        for series_id, series_changes in by_series.items():
            docs = dict(view.series(series_id))
            for doc_id, doc in series_changes.items():
                if doc is None:
                    docs.pop(doc_id, None)
                else:
                    docs[doc_id] = doc
            try:
                repacked[series_id] = pack_series(docs) if docs else None
            except PackingError as exc:
                raise _unsaved(table, exc) from None
        return repacked

    @property
    def changed(self) -> bool:
        return any(self._pending.values())

    def commit(self, meta_changes: dict[str, Any]) -> None:
        for name, changes in self._pending.items():
            if name in self._views:
                changes = self._repacked(name, changes)  # series ids -> packed series
            if self.checked:  # the changes alone: the rest passed before
                changed = {doc_id: doc for doc_id, doc in changes.items() if doc is not None}
                self.checked = _passes(Path(self._where), {name: changed})
            table = self._db.table(name)
            existing = self._base.get(name, {})
            replaced = [doc_id for doc_id in changes if doc_id in existing]
            if replaced:
                table.remove(doc_ids=_text_ids(replaced))
            table.insert_multiple(
                TinyDocument(doc, doc_id=cast(int, doc_id))  # a text id (see _text_ids)
                for doc_id, doc in changes.items()
                if doc is not None
            )
        meta_table = self._db.table(META_TABLE)
        meta_table.update(meta_changes, doc_ids=_text_ids([META_ID]))
        middleware = cast(CachingMiddleware, self._db.storage)
        cast(AtomicJSONStorage, middleware.storage).checked = self.checked
        middleware.flush()


class TinyDBStore(Store):
    def __init__(self, path: str | os.PathLike[str], *, clock: Callable[[], str] | None = None) -> None:
        self.path = Path(path).expanduser()
        self._clock = clock or now_iso  # stamps the header's created_at/updated_at
        self.location = str(self.path)
        self._signature: tuple[int, int, int] | None = None
        self._snapshot: Snapshot | None = None
        #: unpacked series shared by this store's snapshots and transactions (see PackedTable)
        self._unpacked: dict[str, Any] = {}
        #: the file on disk has an older schema: the snapshot was migrated in memory only
        self._stale_schema = False
        #: the snapshot's data passed the reader's checks (read, or written from checked data)
        self._checked = False
        self._swept = False

    @property
    def _lock_path(self) -> Path:
        """The lock beside the real file (a symlinked workspace and its target share one lock)."""
        return lock_path(self.path)

    # -- creation -------------------------------------------------------------------------
    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        *,
        settings: dict[str, Any] | None = None,
        clock: Callable[[], str] | None = None,
    ) -> TinyDBStore:
        """Create an empty workspace file; refuse to overwrite anything that exists."""
        target = Path(path).expanduser()
        kind = special_kind(target)
        if kind is not None:
            raise WorkspaceError(
                f"this is {kind[0]}, not a workspace file; it was left untouched",
                where=str(target),
                da=f"dette er {kind[1]}, ikke en arbejdsområdefil; den er ikke ændret",
            )
        try:  # a name too long or a folder that cannot be made is one line, not a traceback
            if target.exists() and target.stat().st_size > 0:
                raise WorkspaceError(_EXISTS, where=str(target), da=_EXISTS_DA)
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _unsaved_file(target, exc) from None
        store = cls(target, clock=clock)
        with file_lock(store._lock_path):
            if target.exists() and target.stat().st_size > 0:
                raise WorkspaceError(_EXISTS, where=str(target), da=_EXISTS_DA)
            data: dict[str, Any] = {name: {} for name in TABLES}
            data[META_TABLE] = {
                META_ID: {
                    "format": FORMAT,
                    "schema_version": CURRENT_SCHEMA,
                    "revision": 0,
                    "created_at": store._clock(),
                    "updated_at": store._clock(),
                }
            }
            if settings:
                data["settings"]["workspace"] = dict(settings)
            content = _encode(data)
            try:
                atomic_write_bytes(target, content)
            except OSError as exc:
                raise _unsaved_file(target, exc) from None
            if _passes(target, data):
                remember(digest(content))
        return store

    # -- reading ----------------------------------------------------------------------------
    def _stat_signature(self) -> tuple[int, int, int] | None:
        try:
            st = self.path.stat()
        except OSError:  # missing, or a name the system refuses: reading it says which
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def load(self) -> Snapshot:
        signature = self._stat_signature()
        if self._snapshot is not None and signature == self._signature:
            return self._snapshot
        if not self._swept:
            self._swept = True
            sweep_temp_files(self.path)  # left by writers killed mid-write
        data = read_workspace_file(self.path)
        # an older schema is migrated in memory only: a read never writes (the first
        # write backs the file up and stores it migrated, see _base_data)
        self._stale_schema = data[META_TABLE][META_ID]["schema_version"] < CURRENT_SCHEMA
        if self._stale_schema:
            data = self._migrated(data, backup=False)
        self._checked = not self._stale_schema  # a migration's result was not checked
        self._snapshot = self._snapshot_of(data)
        self._signature = signature
        return self._snapshot

    def _snapshot_of(self, data: dict[str, Any]) -> Snapshot:
        """A snapshot of the file's data (packed tables shown through read-only views)."""
        meta = data[META_TABLE][META_ID]
        tables: dict[str, Any] = {name: data.get(name, {}) for name in TABLES}
        for name in PACKED_TABLES:
            tables[name] = PackedTable(tables[name], name=name, where=self.location, cache=self._unpacked)
        return Snapshot(revision=int(meta.get("revision", 0)), meta=meta, tables=tables)

    def read_signature(self) -> tuple[int, int, int] | None:
        """The file's (mtime, size, inode) when the current snapshot was read."""
        return self._signature

    def is_current(self, snapshot: Snapshot) -> bool:
        return self._snapshot is snapshot and self._stat_signature() == self._signature

    # -- migrations -----------------------------------------------------------------------
    def _migrated(self, data: dict[str, Any], *, backup: bool) -> dict[str, Any]:
        """The data upgraded to the current schema; with ``backup``, the file is copied first."""
        meta = data[META_TABLE][META_ID]
        old = meta["schema_version"]
        if backup:
            stamp = now_iso().replace(":", "")
            real = real_path(self.path)
            target = real.with_name(f"{real.name}.schema{old}.{stamp}.bak")
            try:
                shutil.copyfile(real, target)
            except OSError as exc:
                raise _unsaved_file(target, exc) from None
            os.chmod(target, OWNER_ONLY)
            meta["backup"] = target.name
        tables = {k: v for k, v in data.items() if k != META_TABLE}
        if old >= PACKED_SINCE and documents_unchanged(old):
            # the packed series are read as they are (a schema 3 file's series are valid
            # schema 4 ones); written, they are stored as schema 4 stores them
            for name in PACKED_TABLES:
                packed = tables.get(name, {})
                tables[name] = {k: as_schema_4(v) for k, v in packed.items()} if backup else packed
        else:
            if old >= PACKED_SINCE:  # the steps work on one document per record
                for name in PACKED_TABLES:
                    tables[name] = dict(PackedTable(tables.get(name, {}), name=name, where=str(self.path)))
            tables = migrate(tables, old)
            for name in PACKED_TABLES:
                tables[name] = _packed(name, tables.get(name, {}))
        for name in TABLES:
            tables.setdefault(name, {})
        meta.update(schema_version=CURRENT_SCHEMA, migrated_at=now_iso(), migrated_from=old)
        tables[META_TABLE] = {META_ID: meta}
        return tables

    # -- writing -----------------------------------------------------------------------------
    def _base_data(self) -> tuple[dict[str, Any], bool]:
        """The latest committed data, for a transaction holding the lock, and whether they
        passed the reader's checks.

        When the snapshot we hold is still the file's content, its tables are reused
        (copied shallowly: a transaction replaces documents, it never edits them in place);
        otherwise another process wrote in between and the file is read again.
        """
        current = self._snapshot is not None and self._stat_signature() == self._signature
        if current and not self._stale_schema and self._snapshot is not None:
            data: dict[str, Any] = {
                name: table.packed if isinstance(table, PackedTable) else table
                for name, table in self._snapshot.tables.items()
            }
            data[META_TABLE] = {META_ID: copy.deepcopy(self._snapshot.meta)}
            return data, self._checked
        data = read_workspace_file(self.path)
        if data[META_TABLE][META_ID]["schema_version"] < CURRENT_SCHEMA:
            return self._migrated(data, backup=True), False
        return data, True

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        self.load()  # refuses damaged files and applies migrations before we lock
        with file_lock(self._lock_path):
            data, checked = self._base_data()
            middleware = CachingMiddleware(AtomicJSONStorage)
            middleware.WRITE_CACHE_SIZE = 2**62  # only our explicit flush writes
            db = _WorkspaceDB(str(self.path), storage=middleware, preloaded=data)
            tx = _TinyTransaction(db, where=self.location, cache=self._unpacked, checked_base=checked)
            try:
                yield tx
            except BaseException:
                self._snapshot = None  # nothing was written; drop anything a failed step touched
                raise
            if tx.changed:
                revision = int(data[META_TABLE][META_ID].get("revision", 0)) + 1
                tx.commit({"revision": revision, "updated_at": self._clock()})
                written = middleware.cache
                self._snapshot = self._snapshot_of(written)
                self._signature = self._stat_signature()
                self._stale_schema = False
                self._checked = tx.checked
