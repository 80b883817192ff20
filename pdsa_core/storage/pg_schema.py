"""The database side of a PostgreSQL workspace: connecting, versioned SQL migrations, setup.

The SQL lives in ``pdsa_core/storage/sql/NNN_name.sql``; each file is one schema version,
applied once, in order, inside one transaction, and recorded in ``pdsa.schema_version``.
Everything here needs psycopg 3 (``pip install "pdsa-tracker[postgres]"``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from pdsa_core.errors import ConnectionLostError, WorkspaceError, redact_text

try:
    import psycopg
    from psycopg import sql
except ModuleNotFoundError as exc:  # pragma: no cover - depends on the installation
    if exc.name != "psycopg":
        raise
    raise WorkspaceError(
        "a PostgreSQL workspace needs the psycopg driver: pip install 'pdsa-tracker[postgres]' "
        "(or: pip install 'psycopg[binary]')"
    ) from None

SCHEMA = "pdsa"
GROUP_ROLE = "pdsa_user"
CHANNEL = "pdsa_changes"
#: advisory lock (two-key form) serialising migrations and setup
MIGRATION_LOCK = (0x70647361, 0)


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """The bundled SQL migrations, in version order."""
    found = []
    folder = resources.files("pdsa_core.storage") / "sql"
    for entry in folder.iterdir():
        match = re.fullmatch(r"(\d{3})_([a-z0-9_]+)\.sql", entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    for position, migration in enumerate(found, start=1):
        if migration.version != position:
            raise WorkspaceError(
                f"SQL migrations are not numbered 001, 002, ... (found {migration.version:03d})"
            )
    return found


def latest_version() -> int:
    return migrations()[-1].version


def redact(url: str) -> str:
    """The URL without its password, for messages and titles."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


class SecretUrl(str):
    """An address whose repr never shows its password (tracebacks with locals, debuggers, logs
    of objects); ``str()`` is the address as given, to connect with."""

    __slots__ = ()

    def __repr__(self) -> str:
        return repr(redact(str(self)))


def with_login(url: str, user: str, password: str | None) -> str:
    """``url`` with another login (and password), as a postgresql:// address."""
    from urllib.parse import quote

    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    if parts.port:
        host = f"{host}:{parts.port}"
    credentials = quote(user, safe="") + (f":{quote(password, safe='')}" if password else "")
    return urlunsplit(parts._replace(netloc=f"{credentials}@{host}"))


def database_name(url: str) -> str:
    return str(psycopg.conninfo.conninfo_to_dict(url).get("dbname") or "")


def connect(url: str, *, autocommit: bool = True, application: str = "pdsa") -> psycopg.Connection[Any]:
    """A connection, or a :class:`WorkspaceError` that says why there is none."""
    try:
        return psycopg.connect(url, autocommit=autocommit, application_name=application, connect_timeout=10)
    except psycopg.OperationalError as exc:
        text = str(exc).strip()
        name = database_name(url)
        if re.search(r'database ".*" does not exist', text):
            raise WorkspaceError(
                f"the database {name!r} does not exist on the server; create it with "
                "'pdsa server init URL --create-database' (or 'createdb')",
                where=redact(url),
            ) from None
        reason = text.splitlines()[-1] if text else exc.__class__.__name__
        reason = redact_text(reason.removeprefix("FATAL:").strip())
        raise ConnectionLostError(
            f"cannot connect to the PostgreSQL server: {reason}",
            where=redact(url),
            da=f"kan ikke forbinde til PostgreSQL-serveren: {reason}",
        ) from None
    except psycopg.ProgrammingError as exc:
        raise WorkspaceError(f"not a usable PostgreSQL address: {exc}", where=redact(url)) from None


def create_database(url: str) -> bool:
    """Create the URL's database (from the server's 'postgres' database); False if it exists."""
    info = psycopg.conninfo.conninfo_to_dict(url)
    name = str(info.get("dbname") or "")
    if not name:
        raise WorkspaceError(
            "the address names no database (postgresql://user@host/DBNAME)", where=redact(url)
        )
    try:  # most often it exists: then the maintenance database is not needed at all
        psycopg.connect(url, connect_timeout=10).close()
        return False
    except psycopg.OperationalError as exc:
        if not re.search(r'database ".*" does not exist', str(exc)):
            connect(url)  # raises the clear message for this failure
    info["dbname"] = "postgres"
    maintenance = psycopg.conninfo.make_conninfo("", **info)
    with connect(maintenance) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists:
            return False
        try:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        except psycopg.errors.InsufficientPrivilege:
            raise WorkspaceError(
                f"user {info.get('user') or '(default)'} may not create databases; ask the server's "
                f"administrator to create {name!r} (createdb) and run 'pdsa server init' again",
                where=redact(url),
            ) from None
    return True


@dataclass(frozen=True)
class SchemaState:
    """What a database holds: nothing, or pdsa's schema at some version (and may we use it)."""

    exists: bool
    usable: bool  # the connected role has USAGE on the schema
    version: int  # 0 when there is no schema
    owner: bool  # the connected role owns the schema (may migrate)
    has_workspace: bool  # the header row exists


def schema_state(conn: psycopg.Connection[Any]) -> SchemaState:
    row = conn.execute(
        """
        SELECT n.oid IS NOT NULL,
               CASE WHEN n.oid IS NULL THEN false ELSE has_schema_privilege(n.oid, 'USAGE') END,
               CASE WHEN n.oid IS NULL THEN false ELSE pg_has_role(current_user, n.nspowner, 'USAGE')
                    OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) END
        FROM (SELECT (SELECT oid FROM pg_namespace WHERE nspname = %s) AS oid,
                     (SELECT nspowner FROM pg_namespace WHERE nspname = %s) AS nspowner) n
        """,
        (SCHEMA, SCHEMA),
    ).fetchone()
    assert row is not None
    exists, usable, owner = bool(row[0]), bool(row[1]), bool(row[2])
    if not exists or not usable:
        return SchemaState(exists, usable, 0, owner, False)
    tables = conn.execute(
        "SELECT to_regclass('pdsa.schema_version') IS NOT NULL, to_regclass('pdsa.meta') IS NOT NULL"
    ).fetchone()
    assert tables is not None
    version = 0
    if tables[0]:
        version = conn.execute("SELECT coalesce(max(version), 0) FROM pdsa.schema_version").fetchone()[0]  # type: ignore[index]
    has_workspace = False
    if tables[1]:
        has_workspace = conn.execute("SELECT count(*) FROM pdsa.meta").fetchone()[0] > 0  # type: ignore[index]
    return SchemaState(True, True, int(version), owner, has_workspace)


def migrate_schema(conn: psycopg.Connection[Any], *, where: str) -> list[Migration]:
    """Bring the schema to the latest version in one transaction; returns what was applied."""
    applied: list[Migration] = []
    try:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", MIGRATION_LOCK)
            conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(SCHEMA)))
            conn.execute(
                """
                CREATE TABLE IF NOT EXISTS pdsa.schema_version (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now(),
                    applied_by name NOT NULL DEFAULT session_user
                )
                """
            )
            current = conn.execute("SELECT coalesce(max(version), 0) FROM pdsa.schema_version").fetchone()[0]  # type: ignore[index]
            latest = latest_version()
            if current > latest:
                raise WorkspaceError(
                    f"the database was set up by a newer pdsa (schema {current}, this one knows up to "
                    f"{latest}); upgrade pdsa",
                    where=where,
                )
            for migration in migrations():
                if migration.version <= current:
                    continue
                conn.execute(migration.sql.encode("utf-8"))
                conn.execute(
                    "INSERT INTO pdsa.schema_version (version, name) VALUES (%s, %s)",
                    (migration.version, migration.name),
                )
                applied.append(migration)
    except psycopg.errors.InsufficientPrivilege as exc:
        raise WorkspaceError(
            "setting up the pdsa schema needs a superuser or the database owner with CREATEROLE "
            f"({exc.diag.message_primary}); ask the server's administrator to run 'pdsa server init'",
            where=where,
        ) from None
    return applied


def install_sql() -> str:
    """Every migration as one SQL script for IT who apply it by hand (``psql -f``).

    The script can be run again safely, on a new database or on one set up by an older pdsa:
    each migration runs only when ``pdsa.schema_version`` lacks it, all in one transaction.
    """
    parts = [
        "-- pdsa: set up or upgrade the workspace schema. Safe to run again (each step runs once).",
        "BEGIN;",
        f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK[0]}, {MIGRATION_LOCK[1]});",
        "CREATE SCHEMA IF NOT EXISTS pdsa;",
        "CREATE TABLE IF NOT EXISTS pdsa.schema_version (version integer PRIMARY KEY, name text NOT NULL, "
        "applied_at timestamptz NOT NULL DEFAULT now(), applied_by name NOT NULL DEFAULT session_user);",
    ]
    for migration in migrations():
        tag = f"$pdsa_migration_{migration.version:03d}$"
        if tag in migration.sql:
            raise WorkspaceError(f"migration {migration.version:03d} contains {tag}")
        parts.append(f"-- ---- {migration.version:03d}_{migration.name}.sql ----")
        parts.append(
            "DO $pdsa_step$\nBEGIN\n"
            "    IF NOT EXISTS (SELECT 1 FROM pdsa.schema_version "
            f"WHERE version = {migration.version}) THEN\n"
            f"        EXECUTE {tag}\n{migration.sql.rstrip()}\n{tag};\n"
            "        INSERT INTO pdsa.schema_version (version, name) "
            f"VALUES ({migration.version}, '{migration.name}');\n"
            "    END IF;\nEND\n$pdsa_step$;"
        )
    parts.append("COMMIT;")
    return "\n".join(parts) + "\n"
