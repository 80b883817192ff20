"""The shared store: a workspace in a PostgreSQL database, for several users at once.

Layout (see ``sql/001_workspace.sql``): every document of every table is a row of
``pdsa.documents`` keyed by (table, id); ``pdsa.meta`` holds the header and the revision
counter; ``pdsa.change_log`` records who changed what; row-level security decides which
teams a login may read and write.

Semantics are those of the TinyDB store:

- :meth:`PostgresStore.load` reads one consistent snapshot (REPEATABLE READ). After the
  first load only what changed since is fetched (documents with a newer revision and the
  deletions in the change log), so an open workspace follows other users cheaply.
- :meth:`PostgresStore.is_current` is one primary-key read of the revision counter.
- :meth:`PostgresStore.transaction` is one database transaction. Every document it reads
  or writes is locked first (a transaction-scoped advisory lock per (table, id), exclusive;
  reading a whole table locks the table), and it reads the latest committed version after
  taking the lock. Two users changing different things therefore never wait for each
  other; two changing the same thing are serialised, and the second sees the first's
  result (the services then raise :class:`~pdsa_core.errors.ConflictError` when the user
  had seen an older version). Writes are sent at commit, where the database increments
  the revision (in commit order), logs the change and notifies listeners.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import orjson

from pdsa_core.errors import (
    AccessDeniedError,
    ConflictError,
    ConnectionLostError,
    ValidationError,
    WorkspaceError,
)
from pdsa_core.storage.base import TABLES, Document, Snapshot, Store, Transaction
from pdsa_core.storage.checks import skip_bad
from pdsa_core.storage.migrations import CURRENT_SCHEMA, FORMAT, documents_unchanged, migrate
from pdsa_core.storage.pg_schema import (
    SecretUrl,
    connect,
    latest_version,
    migrate_schema,
    psycopg,
    redact,
    schema_state,
)
from pdsa_core.storage.pg_series import SeriesTable

#: advisory lock namespace for whole tables (two-key form: namespace, hashtext(table))
TABLE_LOCK_SPACE = 0x70647362

_ROLE_TEXT = {
    "tovholder": "tovholder (edits the team)",
    "member": "member (edits the team)",
    "data consultant": "data consultant (imports values for the team)",
    "secretariat": "secretariat (reads every team, edits none)",
    "admin": "administrator",
}

_TABLE_TEXT = {
    "teams": "the team",
    "indicators": "indicators",
    "measurements": "values",
    "annotations": "annotations",
    "diagrams": "the driver diagram",
    "diagram_history": "the driver diagram",
    "cycles": "PDSA cycles",
    "meetings": "meetings",
    "assessments": "assessments",
    "settings": "settings",
}


_TABLE_TEXT_DA = {
    "teams": "teamet",
    "indicators": "indikatoren",
    "measurements": "værdien",
    "annotations": "annoteringen",
    "diagrams": "driverdiagrammet",
    "diagram_history": "driverdiagrammet",
    "cycles": "PDSA-cirklen",
    "meetings": "mødet",
    "assessments": "vurderingen",
    "settings": "indstillingerne",
}


def _seconds(variable: str, default: float) -> float:
    """A timeout in seconds from the environment (0 or less: none)."""
    text = os.environ.get(variable, "").strip()
    if not text:
        return default
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise WorkspaceError(
            f"{variable} must be a number of seconds, not {text!r}",
            da=f"{variable} skal være et antal sekunder, ikke {text!r}",
        ) from None


def lock_timeout() -> float:
    """How long a change waits for a record someone else is changing (``PDSA_PG_LOCK_TIMEOUT``, 5 s)."""
    return _seconds("PDSA_PG_LOCK_TIMEOUT", 5.0)


def statement_timeout() -> float:
    """How long one statement may run on the server (``PDSA_PG_STATEMENT_TIMEOUT``, 60 s)."""
    return _seconds("PDSA_PG_STATEMENT_TIMEOUT", 60.0)


def idle_timeout() -> float:
    """How long a hung client may hold a transaction open (``PDSA_PG_IDLE_TIMEOUT``, 30 s):
    the server then ends its session, so its locks never block the others for longer."""
    return _seconds("PDSA_PG_IDLE_TIMEOUT", 30.0)


def _dumps(doc: Document) -> str:
    """Compact JSON, written exactly as the file backend writes it (orjson)."""
    try:
        return orjson.dumps(doc).decode("utf-8")
    except TypeError as exc:
        raise WorkspaceError(f"a record cannot be saved as JSON: {exc}") from None


class _PgTransaction(Transaction):
    """Reads lock-then-fetch; writes are staged and sent in :meth:`commit`."""

    def __init__(self, store: PostgresStore, conn: psycopg.Connection[Any]) -> None:
        self._store = store
        self._conn = conn
        self._pending: dict[tuple[str, str], Document | None] = {}
        self._locked: set[tuple[str, str]] = set()
        self._tables_shared: set[str] = set()
        self._tables_exclusive: set[str] = set()

    # -- locking --------------------------------------------------------------------------------
    def _lock(self, table: str, doc_id: str) -> None:
        key = (table, doc_id)
        if key in self._locked or table in self._tables_exclusive:
            return
        _check_table(table)
        if table in self._tables_shared:
            self._conn.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (f"{table}|{doc_id}",)
            )
        else:
            self._conn.execute(
                "SELECT pg_advisory_xact_lock_shared(%s, hashtext(%s)), "
                "pg_advisory_xact_lock(hashtextextended(%s, 0))",
                (TABLE_LOCK_SPACE, table, f"{table}|{doc_id}"),
            )
            self._tables_shared.add(table)
        self._locked.add(key)

    # -- the Transaction interface ---------------------------------------------------------------
    def get(self, table: str, doc_id: str) -> Document | None:
        key = (table, doc_id)
        if key in self._pending:
            return self._pending[key]
        # the lock and the read go in one round trip: the server runs the read (with a fresh
        # snapshot) only once the lock is granted
        with self._waiting_for(table, doc_id), self._conn.pipeline():
            self._lock(table, doc_id)
            cur = self._conn.execute(
                "SELECT doc::text FROM pdsa.documents WHERE tbl = %s AND id = %s", (table, doc_id)
            )
        row = cur.fetchone()
        return orjson.loads(row[0]) if row else None

    @contextmanager
    def _waiting_for(self, table: str, doc_id: str) -> Iterator[None]:
        """A lock not granted within the lock timeout is a conflict that names the record."""
        try:
            yield
        except psycopg.errors.LockNotAvailable:
            raise self._store._busy(table, doc_id) from None

    def all(self, table: str) -> dict[str, Document]:
        _check_table(table)
        if table not in self._tables_exclusive:
            with self._waiting_for(table, ""):
                self._conn.execute(
                    "SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (TABLE_LOCK_SPACE, table)
                )
            self._tables_exclusive.add(table)
        rows = self._conn.execute(
            "SELECT id, doc::text FROM pdsa.documents WHERE tbl = %s", (table,)
        ).fetchall()
        merged = {doc_id: orjson.loads(text) for doc_id, text in rows}
        for (name, doc_id), doc in self._pending.items():
            if name != table:
                continue
            if doc is None:
                merged.pop(doc_id, None)
            else:
                merged[doc_id] = doc
        return merged

    def put(self, table: str, doc_id: str, doc: Document) -> None:
        """Stage a document; callers hand over fresh dicts (``Record.to_dict()``) and keep no reference."""
        with self._waiting_for(table, doc_id):
            self._lock(table, doc_id)
        self._pending[(table, doc_id)] = doc

    def delete(self, table: str, doc_id: str) -> None:
        with self._waiting_for(table, doc_id):
            self._lock(table, doc_id)
        self._pending[(table, doc_id)] = None

    # -- commit ----------------------------------------------------------------------------------
    @property
    def changed(self) -> bool:
        return bool(self._pending)

    def commit(self) -> None:
        """Send the staged writes and COMMIT in one round trip.

        The first write takes the revision (and the header row's lock, held until COMMIT), so
        everything after it is pipelined: no other transaction waits on a client round trip.
        Only the database's triggers move the revision (a login may not call
        ``pdsa.tx_revision()``): a transaction that deletes nothing that exists changes nothing.
        """
        puts = [(t, i, _dumps(d)) for (t, i), d in self._pending.items() if d is not None]
        deletes = [(t, i) for (t, i), d in self._pending.items() if d is None]
        self._store._check_write_access(self._conn, puts, deletes)
        clock = self._store._clock
        with self._conn.pipeline(), self._conn.cursor() as cur:
            if clock is not None:
                cur.execute("SELECT set_config('pdsa.clock', %s, true)", (clock(),))
            # one statement per kind, rows in key order: the database's statement triggers
            # (the series of values, pdsa.series) run once per commit and lock in one order
            if puts:
                puts.sort()
                cur.execute(
                    "INSERT INTO pdsa.documents (tbl, id, doc) "
                    "SELECT k.tbl, k.id, k.doc::json FROM unnest(%s::text[], %s::text[], %s::text[]) "
                    "AS k(tbl, id, doc) ON CONFLICT (tbl, id) DO UPDATE SET doc = EXCLUDED.doc",
                    ([p[0] for p in puts], [p[1] for p in puts], [p[2] for p in puts]),
                )
            if deletes:
                deletes.sort()
                cur.execute(
                    "DELETE FROM pdsa.documents d USING unnest(%s::text[], %s::text[]) AS k(tbl, id) "
                    "WHERE d.tbl = k.tbl AND d.id = k.id",
                    ([d[0] for d in deletes], [d[1] for d in deletes]),
                )
            cur.execute("COMMIT")


def _apply_delta(
    cached: Snapshot,
    written: list[tuple[str, str, str]],
    deleted: list[tuple[str, str]],
    *,
    where: str = "",
    skipped: list[str] | None = None,
) -> dict[str, Mapping[str, Document]]:
    """The cached tables with the changes committed since (new dicts; the cached ones stay intact).

    A record pdsa cannot use is left out (and noted in ``skipped``), as when reading everything.
    """
    tables: dict[str, Mapping[str, Document]] = dict(cached.tables)
    copied: dict[str, dict[str, Document]] = {}

    def table(name: str) -> dict[str, Document]:
        if name not in copied:
            copied[name] = dict(tables.get(name, {}))
            tables[name] = copied[name]
        return copied[name]

    seen: set[tuple[str, str]] = set()
    values: dict[str, Document | None] = {}  # measurements: applied together, re-indexed by series
    for tbl, doc_id, text in written:
        if tbl in TABLES:
            doc = orjson.loads(text)
            seen.add((tbl, doc_id))
            bad = skip_bad(tbl, doc_id, doc, where, skipped if skipped is not None else [])
            if tbl == "measurements":
                values[doc_id] = None if bad else doc
            elif bad:
                table(tbl).pop(doc_id, None)
            else:
                table(tbl)[doc_id] = doc
    for tbl, doc_id in deleted:
        if tbl in TABLES and (tbl, doc_id) not in seen:
            if tbl == "measurements":
                values[doc_id] = None
            else:
                table(tbl).pop(doc_id, None)
    if values:
        old = tables.get("measurements")
        base = old if isinstance(old, SeriesTable) else SeriesTable.from_docs(old or {})
        tables["measurements"] = base.derive(values)
    return tables


def _rollback(conn: psycopg.Connection[Any]) -> None:
    """End a failed transaction (or drop a connection that cannot even do that)."""
    if conn.closed or conn.broken:
        return
    try:
        conn.execute("ROLLBACK")
    except psycopg.Error:
        conn.close()


def _check_table(table: str) -> None:
    if table not in TABLES:
        raise WorkspaceError(f"no table {table!r} in a workspace (tables: {', '.join(TABLES)})")


class PostgresStore(Store):
    """A workspace in a PostgreSQL database (``postgresql://user@host:port/dbname``)."""

    def __init__(self, url: str, *, clock: Callable[[], str] | None = None) -> None:
        self._url = SecretUrl(url)
        self.location = self._url  # what to open again (the address as given; its repr is redacted)
        self.display = redact(url)  # for messages: never shows a password
        self._clock = clock
        self._lock = threading.RLock()
        self._conn: psycopg.Connection[Any] | None = None
        self._snapshot: Snapshot | None = None
        self._epoch: int | None = None
        self._own_pids: set[int] = set()
        self._subscriptions: list[Any] = []
        #: records the last read left out because pdsa cannot use them (what is wrong with each)
        self.skipped: list[str] = []

    # -- creation -------------------------------------------------------------------------------
    @classmethod
    def create(
        cls,
        url: str,
        *,
        clock: Callable[[], str] | None = None,
        settings: dict[str, Any] | None = None,
        create_database: bool = True,
    ) -> PostgresStore:
        """Set up pdsa's schema and an empty workspace; refuse if the database holds one."""
        from pdsa_core.domain.common import now_iso

        if create_database:
            from pdsa_core.storage.pg_schema import create_database as make_db

            make_db(url)
        store = cls(url, clock=clock)
        conn = store._connect(check=False)
        migrate_schema(conn, where=store.display)
        stamp = (clock or now_iso)()
        with conn.transaction():
            conn.execute("LOCK TABLE pdsa.meta IN EXCLUSIVE MODE")
            if conn.execute("SELECT count(*) FROM pdsa.meta").fetchone()[0]:  # type: ignore[index]
                raise WorkspaceError(
                    "this database already holds a pdsa workspace; it was left untouched",
                    where=store.display,
                )
            conn.execute(
                "INSERT INTO pdsa.meta (format, workspace_schema, created_at, updated_at) "
                "VALUES (%s, %s, %s, %s)",
                (FORMAT, CURRENT_SCHEMA, stamp, stamp),
            )
        if settings:
            with store.transaction() as tx:
                tx.put("settings", "workspace", dict(settings))
        return store

    # -- connection -----------------------------------------------------------------------------
    def _connect(self, *, check: bool = True) -> psycopg.Connection[Any]:
        """The store's connection (re-opened if the server dropped it)."""
        if self._conn is not None and not self._conn.closed and not self._conn.broken:
            return self._conn
        if self._conn is not None:
            self._conn.close()
        conn = connect(self._url)
        self._own_pids.add(conn.info.backend_pid)
        limits = (lock_timeout(), statement_timeout(), idle_timeout())
        conn.execute(
            "SELECT set_config('lock_timeout', %s, false), set_config('statement_timeout', %s, false), "
            "set_config('idle_in_transaction_session_timeout', %s, false)",
            tuple(f"{max(0, int(seconds * 1000))}ms" for seconds in limits),
        )
        if check:
            try:
                self._check_schema(conn)
            except BaseException:
                conn.close()
                raise
        self._conn = conn
        return conn

    def _check_schema(self, conn: psycopg.Connection[Any]) -> None:
        state = schema_state(conn)
        user = conn.info.user
        if not state.exists:
            raise WorkspaceError(
                "this database holds no pdsa workspace; create one with 'pdsa server init URL' "
                "(or 'pdsa --workspace URL init')",
                where=self.display,
            )
        if not state.usable:
            raise AccessDeniedError(
                f"user {user} has no access to the pdsa workspace in this database; ask its administrator "
                f"for access ('pdsa server user add {user}' and 'pdsa server grant')",
                where=self.display,
            )
        if state.version > latest_version():
            raise WorkspaceError(
                f"the database was set up by a newer pdsa (schema {state.version}, this one knows up to "
                f"{latest_version()}); upgrade pdsa to use it",
                where=self.display,
            )
        if state.version < latest_version():
            if not state.owner:
                raise WorkspaceError(
                    f"the database schema is version {state.version} and this pdsa needs {latest_version()}; "
                    "ask the administrator to run 'pdsa server init URL', which upgrades it",
                    where=self.display,
                )
            migrate_schema(conn, where=self.display)
        if not state.has_workspace:
            raise WorkspaceError(
                "pdsa's schema is here but the workspace header is missing; run 'pdsa server init URL'",
                where=self.display,
            )
        row = conn.execute("SELECT workspace_schema FROM pdsa.meta").fetchone()
        assert row is not None
        if row[0] > CURRENT_SCHEMA:
            raise WorkspaceError(
                f"the workspace was written by a newer pdsa (schema {row[0]}, this one reads up to "
                f"{CURRENT_SCHEMA}); upgrade pdsa to open it",
                where=self.display,
            )
        if row[0] < CURRENT_SCHEMA and not documents_unchanged(row[0]):
            if not state.owner:
                raise WorkspaceError(
                    f"the workspace's documents are schema {row[0]} and need an upgrade to {CURRENT_SCHEMA}; "
                    "ask the administrator to run 'pdsa server init URL', which upgrades them",
                    where=self.display,
                )
            self._upgrade_documents(conn, row[0])

    def _upgrade_documents(self, conn: psycopg.Connection[Any], old: int) -> None:
        """Migrate every document to the current schema in one transaction, after a backup table."""
        from pdsa_core.domain.common import now_iso

        backup = f"documents_schema{old}_backup"
        with conn.transaction():
            conn.execute("LOCK TABLE pdsa.documents IN EXCLUSIVE MODE")
            current = conn.execute("SELECT workspace_schema FROM pdsa.meta").fetchone()[0]  # type: ignore[index]
            if current >= CURRENT_SCHEMA:
                return
            conn.execute(f"CREATE TABLE IF NOT EXISTS pdsa.{backup} AS SELECT * FROM pdsa.documents")
            tables: dict[str, dict[str, Any]] = {name: {} for name in TABLES}
            for tbl, doc_id, text in conn.execute("SELECT tbl, id, doc::text FROM pdsa.documents"):
                tables.setdefault(tbl, {})[doc_id] = orjson.loads(text)
            tables = migrate(tables, old)
            rows = [(tbl, i, _dumps(doc)) for tbl, docs in tables.items() for i, doc in docs.items()]
            conn.execute(  # one statement: the series of values are rebuilt once, not per record
                "UPDATE pdsa.documents d SET doc = k.doc::json "
                "FROM unnest(%s::text[], %s::text[], %s::text[]) AS k(tbl, id, doc) "
                "WHERE d.tbl = k.tbl AND d.id = k.id",
                ([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]),
            )
            info = conn.execute("SELECT info FROM pdsa.meta").fetchone()[0]  # type: ignore[index]
            info = {**info, "migrated_at": now_iso(), "migrated_from": old, "backup": f"pdsa.{backup}"}
            conn.execute(
                "UPDATE pdsa.meta SET workspace_schema = %s, info = %s::json, "
                "access_epoch = access_epoch + 1",
                (CURRENT_SCHEMA, json.dumps(info)),
            )

    def close(self) -> None:
        with self._lock:
            for subscription in list(self._subscriptions):
                subscription.close()
            if self._conn is not None:
                self._conn.close()
                self._conn = None
            self._snapshot = None

    @property
    def user(self) -> str:
        """The database login this store works as."""
        with self._lock:
            return str(self._connect().info.user)

    def login(self) -> str | None:
        return self.user

    # -- reading --------------------------------------------------------------------------------
    def load(self) -> Snapshot:
        with self._lock:
            try:
                try:
                    return self._load(self._connect())
                except psycopg.OperationalError:
                    if self._conn is not None and not self._conn.broken:
                        raise
                    return self._load(self._connect())  # the server dropped us: once more, fresh
            except psycopg.Error as exc:
                reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                error = ConnectionLostError if isinstance(exc, psycopg.OperationalError) else WorkspaceError
                raise error(
                    f"cannot read the workspace from the server: {reason}",
                    where=self.display,
                    da=f"arbejdsområdet kan ikke læses fra serveren: {reason}",
                ) from None

    _HEAD = (
        "SELECT format, workspace_schema, revision, access_epoch, created_at, updated_at, info FROM pdsa.meta"
    )

    def _load(self, conn: psycopg.Connection[Any]) -> Snapshot:
        """One REPEATABLE READ snapshot, in one round trip (pipelined).

        With a cached snapshot, the changes since its revision are asked for in the same
        round trip; a change of access rights (or a revision that went back, e.g. a restored
        backup) reads everything instead.
        """
        cached = self._snapshot
        delta: tuple[list[Any], list[Any]] | None = None
        try:
            with conn.pipeline():
                conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                head_cur = conn.execute(self._HEAD)
                if cached is not None:
                    docs_cur = conn.execute(
                        "SELECT tbl, id, doc::text FROM pdsa.documents WHERE revision > %s",
                        (cached.revision,),
                    )
                    gone_cur = conn.execute(
                        "SELECT DISTINCT tbl, doc_id FROM pdsa.change_log "
                        "WHERE revision > %s AND op = 'delete'",
                        (cached.revision,),
                    )
                conn.execute("COMMIT")
            head = head_cur.fetchone()
            if cached is not None:
                delta = (docs_cur.fetchall(), gone_cur.fetchall())
        except BaseException:
            _rollback(conn)
            raise
        if head is None:
            raise WorkspaceError(
                "the workspace header is missing; run 'pdsa server init URL'", where=self.display
            )
        revision, epoch = head[2], head[3]
        if cached is not None and delta is not None and epoch == self._epoch and revision >= cached.revision:
            if revision == cached.revision:
                return cached
            snapshot = Snapshot(
                revision=revision,
                meta=self._meta(head),
                tables=_apply_delta(cached, *delta, where=self.display, skipped=self.skipped),
            )
        else:
            snapshot = self._full_load(conn)
        self._snapshot = snapshot
        return snapshot

    def _full_load(self, conn: psycopg.Connection[Any]) -> Snapshot:
        """Everything, in one round trip: the values as one row per series (``pdsa.series``),
        parsed when first used (:mod:`pdsa_core.storage.pg_series`), the other tables one row
        per record."""
        try:
            with conn.pipeline():
                conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                head_cur = conn.execute(self._HEAD)
                docs_cur = conn.execute(
                    "SELECT tbl, id, doc::text FROM pdsa.documents WHERE tbl <> 'measurements'"
                )
                series_cur = conn.execute("SELECT id, n, docs FROM pdsa.series")
                conn.execute("COMMIT")
            head = head_cur.fetchone()
            rows = docs_cur.fetchall()
            series_rows = series_cur.fetchall()
        except BaseException:
            _rollback(conn)
            raise
        if head is None:
            raise WorkspaceError(
                "the workspace header is missing; run 'pdsa server init URL'", where=self.display
            )
        tables: dict[str, Mapping[str, Document]] = {}
        loads = orjson.loads
        self.skipped = []
        read: dict[str, dict[str, Document]] = {name: {} for name in TABLES if name != "measurements"}
        for tbl, doc_id, text in rows:
            if tbl in read:
                doc = loads(text)
                if not skip_bad(tbl, doc_id, doc, self.display, self.skipped):
                    read[tbl][doc_id] = doc
        tables.update(read)
        tables["measurements"] = SeriesTable.from_rows(series_rows, where=self.display, skipped=self.skipped)
        self._epoch = head[3]
        return Snapshot(revision=head[2], meta=self._meta(head), tables=tables)

    @staticmethod
    def _meta(head: tuple[Any, ...]) -> dict[str, Any]:
        fmt, schema, revision, _epoch, created_at, updated_at, info = head
        return {
            **info,
            "format": fmt,
            # documents of an older schema that only a file stores differently are current ones
            "schema_version": CURRENT_SCHEMA if documents_unchanged(schema) else schema,
            "revision": revision,
            "created_at": created_at,
            "updated_at": updated_at,
        }

    def is_current(self, snapshot: Snapshot) -> bool:
        with self._lock:
            if snapshot is not self._snapshot:
                return False
            try:
                row = self._connect().execute("SELECT revision, access_epoch FROM pdsa.meta").fetchone()
            except psycopg.Error:
                return False  # the next load reconnects, or says what is wrong
            return row is not None and row[0] == snapshot.revision and row[1] == self._epoch

    # -- writing --------------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        with self._lock:
            try:
                conn = self._connect()
                try:
                    conn.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
                except psycopg.OperationalError:
                    conn = self._connect()
                    conn.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
            except ConnectionLostError as exc:  # no server: say that the change was not made
                raise ConnectionLostError(
                    f"{exc.message}; nothing was saved",
                    where=exc.where,
                    da=f"{exc.message_da or exc.message}; intet blev gemt",
                ) from None
            except psycopg.OperationalError as exc:
                raise self._translate(exc) or exc from None
            tx = _PgTransaction(self, conn)
            try:
                yield tx
                if tx.changed:
                    tx.commit()
                else:
                    conn.execute("COMMIT")
            except BaseException as exc:
                if not conn.closed and not conn.broken:
                    try:
                        conn.execute("ROLLBACK")
                    except psycopg.Error:
                        conn.close()
                translated = self._translate(exc)
                if translated is not None:
                    raise translated from None
                raise

    def _translate(self, exc: BaseException) -> Exception | None:
        """A database error as the PdsaError a user can act on (None: leave it as it is)."""
        if not isinstance(exc, psycopg.Error):
            return None
        if isinstance(exc, psycopg.errors.DeadlockDetected | psycopg.errors.SerializationFailure):
            return ConflictError(
                "another user changed the same records at the same moment; nothing was saved, try again",
                where=self.display,
            )
        if isinstance(exc, psycopg.errors.LockNotAvailable):
            return ConflictError(
                f"other users are changing the same records right now (waited {lock_timeout():g} s); "
                "nothing was saved, try again",
                where=self.display,
                da=f"andre brugere ændrer de samme poster lige nu (ventede {lock_timeout():g} s); "
                "intet blev gemt, prøv igen",
            )
        if isinstance(exc, psycopg.errors.QueryCanceled):
            return WorkspaceError(
                f"the server did not answer within {statement_timeout():g} s; nothing was saved, try again",
                where=self.display,
                da=f"serveren svarede ikke inden for {statement_timeout():g} s; intet blev gemt, prøv igen",
            )
        if isinstance(exc, psycopg.errors.CheckViolation):
            return ValidationError(
                f"the server refused a record: {exc.diag.message_primary}; nothing was saved",
                where=self.display,
                da=f"serveren afviste en post: {exc.diag.message_primary}; intet blev gemt",
            )
        if isinstance(exc, psycopg.errors.InsufficientPrivilege):
            return AccessDeniedError(
                f"user {self._safe_user()} may not make this change ({exc.diag.message_primary}); "
                "nothing was saved",
                where=self.display,
            )
        if isinstance(exc, psycopg.OperationalError):
            reason = (str(exc).strip().splitlines() or ["no reason given"])[0]
            return ConnectionLostError(
                f"the connection to the PostgreSQL server was lost ({reason}); nothing was saved, try again",
                where=self.display,
                da=f"forbindelsen til PostgreSQL-serveren blev afbrudt ({reason}); "
                "intet blev gemt, prøv igen",
            )
        return None

    def _busy(self, table: str, doc_id: str) -> ConflictError:
        """A record another transaction has held locked longer than the lock timeout."""
        what = _TABLE_TEXT.get(table, table)
        name = doc_id.replace("|", " ") if doc_id else ""
        what_da = _TABLE_TEXT_DA.get(table, table)
        return ConflictError(
            f"{what} {name} is being changed by another user right now (waited {lock_timeout():g} s); "
            "nothing was saved, try again".replace("  ", " "),
            where=self.display,
            da=f"{what_da} {name} bliver ændret af en anden bruger lige nu (ventede {lock_timeout():g} s); "
            "intet blev gemt, prøv igen".replace("  ", " "),
        )

    def _safe_user(self) -> str:
        try:
            return str(self._conn.info.user) if self._conn is not None else "?"
        except psycopg.Error:
            return "?"

    def _check_write_access(
        self, conn: psycopg.Connection[Any], puts: list[tuple[str, str, str]], deletes: list[tuple[str, str]]
    ) -> None:
        """Refuse, with who/what/why, a change row-level security would refuse (or skip)."""
        keys = [(t, i, d) for t, i, d in puts] + [(t, i, None) for t, i in deletes]
        # a put must be allowed for the document's team and, when it replaces one, for the old
        # document's team; a delete for the document it removes (deleting nothing is no change)
        refused = conn.execute(
            """
            SELECT k.tbl, k.id, CASE WHEN k.doc IS NULL THEN d.team_id
                                     ELSE pdsa.team_of(k.tbl, k.id, k.doc::json) END AS team
            FROM unnest(%s::text[], %s::text[], %s::text[]) AS k(tbl, id, doc)
            LEFT JOIN pdsa.documents d ON d.tbl = k.tbl AND d.id = k.id
            WHERE NOT (SELECT pdsa.is_admin(current_user)) AND (
                  (k.doc IS NOT NULL
                   AND NOT pdsa.can_write(current_user, k.tbl, pdsa.team_of(k.tbl, k.id, k.doc::json)))
               OR (d.id IS NOT NULL AND NOT pdsa.can_write(current_user, d.tbl, d.team_id)))
            """,
            ([k[0] for k in keys], [k[1] for k in keys], [k[2] for k in keys]),
        ).fetchall()
        if not refused:
            return
        user = conn.info.user
        roles = self._roles(conn)
        teams = sorted({team or "" for _, _, team in refused})
        what = sorted({_TABLE_TEXT.get(tbl, tbl) for tbl, _, _ in refused})
        scope = ", ".join(f"team {t}" if t else "the workspace settings" for t in teams)
        raise AccessDeniedError(
            f"user {user} may not change {', '.join(what)} of {scope} "
            f"(access: {roles or 'none in this workspace'}); nothing was saved",
            where=self.display,
        )

    @staticmethod
    def _roles(conn: psycopg.Connection[Any]) -> str:
        rows = conn.execute(
            "SELECT scope, role FROM pdsa.grants WHERE username = current_user ORDER BY scope"
        ).fetchall()
        parts = []
        for scope, role in rows:
            text = _ROLE_TEXT.get(role, role)
            parts.append(text if scope == "all" else f"{text} of {scope.replace(':', ' ', 1)}")
        return "; ".join(parts)

    def access(self) -> dict[str, Any]:
        """Who this store works as and what they may do (for 'pdsa server whoami' and messages)."""
        with self._lock:
            conn = self._connect()
            row = conn.execute(
                "SELECT current_user, pdsa.is_admin(current_user), pdsa.reads_all(current_user), "
                "pdsa.team_ids(current_user)"
            ).fetchone()
            assert row is not None
            grants = conn.execute(
                "SELECT scope, role FROM pdsa.grants WHERE username = current_user ORDER BY scope"
            ).fetchall()
            return {
                "user": row[0],
                "admin": bool(row[1]),
                "reads_all": bool(row[2]),
                "teams": sorted(row[3] or []),
                "grants": [{"scope": s, "role": r} for s, r in grants],
            }

    # -- copying -------------------------------------------------------------------------------
    def restore(self, snapshot: Snapshot) -> int:
        """Fill this (empty) workspace with ``snapshot``, keeping its revision and header.

        Only the workspace's owner may do this (it writes every team and the header).
        Returns the number of documents written.
        """
        with self._lock:
            conn = self._connect()
            if not schema_state(conn).owner:
                raise AccessDeniedError(
                    f"user {conn.info.user} may not fill a workspace; copy as the owner of the pdsa schema "
                    "(the role that ran 'pdsa server init') or a superuser",
                    where=self.display,
                )
            rows = [
                (name, doc_id, _dumps(doc)) for name in TABLES for doc_id, doc in snapshot.table(name).items()
            ]
            meta = dict(snapshot.meta)
            info = {
                k: v
                for k, v in meta.items()
                if k not in ("format", "schema_version", "revision", "created_at", "updated_at")
            }
            try:
                with conn.transaction():
                    conn.execute("LOCK TABLE pdsa.meta, pdsa.documents IN EXCLUSIVE MODE")
                    count = conn.execute("SELECT count(*) FROM pdsa.documents").fetchone()[0]  # type: ignore[index]
                    head = conn.execute("SELECT revision FROM pdsa.meta").fetchone()
                    if count or (head is not None and head[0]):
                        raise WorkspaceError(
                            f"the destination workspace is not empty ({count} records, revision "
                            f"{head[0] if head else 0}); it was left untouched",
                            where=self.display,
                        )
                    conn.execute("ALTER TABLE pdsa.documents DISABLE TRIGGER USER")
                    with conn.cursor().copy(
                        "COPY pdsa.documents (tbl, id, doc, revision) FROM STDIN"
                    ) as copy:
                        for name, doc_id, text in rows:
                            copy.write_row((name, doc_id, text, snapshot.revision))
                    conn.execute("ALTER TABLE pdsa.documents ENABLE TRIGGER USER")
                    conn.execute("SELECT pdsa.series_rebuild()")
                    conn.execute(
                        "INSERT INTO pdsa.change_log (revision, tbl, doc_id, op) "
                        "VALUES (%s, '*', '*', 'restore')",
                        (snapshot.revision,),
                    )
                    conn.execute(
                        "UPDATE pdsa.meta SET format = %s, workspace_schema = %s, revision = %s, "
                        "created_at = %s, updated_at = %s, info = %s::json, access_epoch = access_epoch + 1",
                        (
                            meta.get("format", FORMAT),
                            meta.get("schema_version", CURRENT_SCHEMA),
                            snapshot.revision,
                            meta.get("created_at", ""),
                            meta.get("updated_at", ""),
                            json.dumps(info, ensure_ascii=False),
                        ),
                    )
                    conn.execute("SELECT pg_notify('pdsa_changes', %s)", (str(snapshot.revision),))
            except psycopg.Error as exc:
                translated = self._translate(exc)
                if translated is not None:
                    raise translated from None
                raise
            self._snapshot = None
            return len(rows)

    # -- live updates ---------------------------------------------------------------------------
    def subscribe(self, callback: Callable[..., None]) -> Any:
        """Call ``callback(event)`` from a background thread after every commit by anyone.

        Returns a :class:`~pdsa_core.storage.pg_live.PgSubscription`; ``close()`` it to stop.
        See :mod:`pdsa_core.storage.pg_live` for the event.
        """
        from pdsa_core.storage.pg_live import PgSubscription

        with self._lock:
            self._connect()
        subscription = PgSubscription(self, callback)
        self._subscriptions.append(subscription)
        return subscription

    @property
    def own_backend_pids(self) -> frozenset[int]:
        """Server processes of this store's connections (to tell own changes from others')."""
        return frozenset(self._own_pids)
