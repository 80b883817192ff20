"""Copy a whole workspace between backends (a file and a PostgreSQL database, either way).

The copy keeps every document byte for byte as JSON data, the header (format, schema
version, revision, creation time) and so ``Workspace.export()``: a round trip file ->
server -> file exports identically. The destination must be new (a file that does not
exist; a database without a workspace, or with the empty one 'pdsa server init' made).
After writing, the destination is read back and compared with the source.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pdsa_core.errors import WorkspaceError
from pdsa_core.storage import TABLES, Snapshot, open_store
from pdsa_core.storage.atomic import atomic_write_bytes, file_lock, lock_path, os_error_reason, special_kind
from pdsa_core.storage.tinydb_store import META_ID, META_TABLE, TinyDBStore, _encode, file_tables


def _shown(store: object) -> str:
    """A store's location for messages (without a password)."""
    return str(getattr(store, "display", None) or getattr(store, "location", ""))


def is_postgres(location: str) -> bool:
    return str(location).startswith(("postgresql://", "postgres://"))


@dataclass(frozen=True)
class CopyResult:
    source: str
    destination: str
    documents: int
    revision: int
    partial: bool  # the source login could not read every team (a server with roles)


def copy_workspace(source: str, destination: str) -> CopyResult:
    """Copy ``source`` to ``destination``; refuses to overwrite anything."""
    if str(source) == str(destination):
        raise WorkspaceError("source and destination are the same workspace", where=str(source))
    src = open_store(source)
    try:
        snapshot = src.load()
        partial = False
        if is_postgres(source):
            partial = not src.access()["reads_all"]  # type: ignore[attr-defined]
    finally:
        src.close()
    if is_postgres(destination):
        location, count = _to_postgres(destination, snapshot)
    else:
        location, count = _to_file(Path(destination).expanduser(), snapshot)
    _verify(destination, snapshot)
    return CopyResult(_shown(src), location, count, snapshot.revision, partial)


def _to_file(path: Path, snapshot: Snapshot) -> tuple[str, int]:
    kind = special_kind(path)
    if kind is not None:
        raise WorkspaceError(
            f"this is {kind[0]}, not a workspace file; it was left untouched", where=str(path)
        )
    if path.exists() and path.stat().st_size > 0:
        raise WorkspaceError("a file already exists here; it was left untouched", where=str(path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkspaceError(
            f"the copy cannot be written: {os_error_reason(exc)[0]}", where=str(path)
        ) from None
    data: dict[str, object] = file_tables({name: snapshot.table(name) for name in TABLES})  # packed
    data[META_TABLE] = {META_ID: dict(snapshot.meta)}
    with file_lock(lock_path(path)):
        if path.exists() and path.stat().st_size > 0:
            raise WorkspaceError("a file already exists here; it was left untouched", where=str(path))
        try:
            atomic_write_bytes(path, _encode(data))
        except OSError as exc:
            raise WorkspaceError(
                f"the copy cannot be written: {os_error_reason(exc)[0]}; nothing was written", where=str(path)
            ) from None
    return str(path), sum(len(snapshot.table(name)) for name in TABLES)


def _to_postgres(url: str, snapshot: Snapshot) -> tuple[str, int]:
    from pdsa_core.storage.pg_schema import connect, create_database, schema_state
    from pdsa_core.storage.postgres_store import PostgresStore

    create_database(url)
    with connect(url) as conn:
        state = schema_state(conn)
    store = (
        PostgresStore.create(url, create_database=False) if not state.has_workspace else PostgresStore(url)
    )
    try:
        count = store.restore(snapshot)
    finally:
        store.close()
    return store.display, count


def _verify(destination: str, snapshot: Snapshot) -> None:
    store = (
        open_store(destination) if is_postgres(destination) else TinyDBStore(Path(destination).expanduser())
    )
    try:
        copied = store.load()
    finally:
        store.close()
    same_tables = all(copied.table(name) == snapshot.table(name) for name in TABLES)
    same_head = all(
        copied.meta.get(k) == snapshot.meta.get(k) for k in ("format", "schema_version", "revision")
    )
    if not (same_tables and same_head):
        raise WorkspaceError(
            "the copy does not read back as the source did; do not use it (the source is untouched)",
            where=_shown(store),
        )
