"""Administration of a PostgreSQL workspace: logins, team roles, status.

These run as the owner of the ``pdsa`` schema (the role that ran ``pdsa server init``, or a
superuser): creating login roles needs CREATEROLE, and the grants table is the owner's.
Passwords are hashed here (SCRAM-SHA-256, as ``psql``'s ``\\password`` does), so the
plain password never reaches the server or its logs.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from dataclasses import dataclass
from typing import Any

from pdsa_core.domain.team import parse_region
from pdsa_core.errors import AccessDeniedError, NotFoundError, ValidationError, WorkspaceError
from pdsa_core.storage.pg_schema import GROUP_ROLE, psycopg, schema_state, sql

TEAM_ROLES = ("tovholder", "member", "data consultant")
WORKSPACE_ROLES = ("secretariat", "admin")
ROLES = TEAM_ROLES + WORKSPACE_ROLES

_ROLE_ALIASES = {
    "data-consultant": "data consultant",
    "data_consultant": "data consultant",
    "datakonsulent": "data consultant",
    "medlem": "member",
    "sekretariat": "secretariat",
    "secretariate": "secretariat",
    "administrator": "admin",
}

_NAME = re.compile(r"^[a-z_][a-z0-9_.\-]{0,62}$")


def parse_role(text: str) -> str:
    key = text.strip().lower()
    role = _ROLE_ALIASES.get(key, key)
    if role not in ROLES:
        raise ValidationError(f"unknown role {text!r}; roles are {', '.join(ROLES)}")
    return role


def check_login_name(name: str) -> str:
    """Login names: lower case letters, digits, _ . - (so they need no quoting in psql)."""
    if not _NAME.match(name):
        raise ValidationError(
            f"{name!r} is not a usable login name: use lower-case letters, digits, '_', '.', '-' "
            "(at most 63 characters, starting with a letter)"
        )
    return name


def scram_verifier(password: str, *, iterations: int = 4096, salt: bytes | None = None) -> str:
    """The SCRAM-SHA-256 verifier PostgreSQL stores for ``password`` (RFC 5802/7677)."""
    if not password:
        raise ValidationError("the password is empty")
    salt = salt or os.urandom(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()

    def b64(data: bytes) -> str:
        return base64.b64encode(data).decode("ascii")

    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


def require_owner(conn: psycopg.Connection[Any], where: str) -> None:
    state = schema_state(conn)
    if not state.exists:
        raise WorkspaceError(
            "this database has no pdsa workspace; run 'pdsa server init URL' first", where=where
        )
    if not state.owner:
        raise AccessDeniedError(
            f"user {conn.info.user} does not administer this workspace; connect as the owner of the pdsa "
            "schema (the role that ran 'pdsa server init') or a superuser",
            where=where,
        )


def add_user(conn: psycopg.Connection[Any], name: str, *, password: str | None) -> str:
    """Create the login (or give an existing role access); returns "created" or "existing"."""
    check_login_name(name)
    exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
    try:
        with conn.transaction():
            if exists:
                conn.execute(
                    sql.SQL("GRANT {} TO {}").format(sql.Identifier(GROUP_ROLE), sql.Identifier(name))
                )
                if password is not None:
                    conn.execute(
                        sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                            sql.Identifier(name), sql.Literal(scram_verifier(password))
                        )
                    )
            else:
                statement = sql.SQL("CREATE ROLE {} LOGIN IN ROLE {}").format(
                    sql.Identifier(name), sql.Identifier(GROUP_ROLE)
                )
                if password is not None:
                    statement = sql.SQL("{} PASSWORD {}").format(
                        statement, sql.Literal(scram_verifier(password))
                    )
                conn.execute(statement)
    except psycopg.errors.InsufficientPrivilege as exc:
        raise AccessDeniedError(
            f"user {conn.info.user} may not create or change logins ({exc.diag.message_primary}); "
            "this needs a superuser or a role with CREATEROLE"
        ) from None
    return "existing" if exists else "created"


def remove_user(conn: psycopg.Connection[Any], name: str, *, drop_login: bool) -> int:
    """Take every grant and the pdsa group away from ``name``; returns the grants removed."""
    if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone():
        raise NotFoundError(f"no login {name!r} on this server")
    with conn.transaction():
        removed = conn.execute("DELETE FROM pdsa.grants WHERE username = %s", (name,)).rowcount
        conn.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(GROUP_ROLE), sql.Identifier(name)))
        if drop_login:
            conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(name)))
    return removed


def resolve_team(conn: psycopg.Connection[Any], ref: str) -> str:
    """A team id from an id or a (case-insensitive) name; the team must exist."""
    rows = conn.execute(
        "SELECT id, doc ->> 'name' FROM pdsa.documents WHERE tbl = 'teams' ORDER BY id"
    ).fetchall()
    for team_id, name in rows:
        if team_id == ref or (name or "").lower() == ref.strip().lower():
            return str(team_id)
    names = ", ".join(f"{name} ({team_id})" for team_id, name in rows) or "none yet"
    raise NotFoundError(f"no team {ref!r} in this workspace (teams: {names})")


@dataclass(frozen=True)
class Grant:
    username: str
    scope: str
    role: str
    granted_by: str
    granted_at: str

    def to_dict(self) -> dict[str, str]:
        return {
            "user": self.username,
            "scope": self.scope,
            "role": self.role,
            "granted_by": self.granted_by,
            "granted_at": self.granted_at,
        }


def grant(
    conn: psycopg.Connection[Any],
    user: str,
    role: str,
    *,
    team: str | None = None,
    region: str | None = None,
) -> Grant:
    """Give ``user`` a role on a team, on every team of a region, or on the whole workspace."""
    role = parse_role(role)
    if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (user,)).fetchone():
        raise NotFoundError(f"no login {user!r} on this server; create it with 'pdsa server user add {user}'")
    if role in WORKSPACE_ROLES:
        if team or region:
            raise ValidationError(f"{role} is a role for the whole workspace; leave out --team and --region")
        scope = "all"
    else:
        if bool(team) == bool(region):
            raise ValidationError(f"a {role} works on a team (--team) or on the teams of a region (--region)")
        scope = f"team:{resolve_team(conn, team)}" if team else f"region:{parse_region(region).value}"
    with conn.transaction():
        row = conn.execute(
            """
            INSERT INTO pdsa.grants (username, scope, role) VALUES (%s, %s, %s)
            ON CONFLICT (username, scope) DO UPDATE
                SET role = EXCLUDED.role, granted_by = session_user, granted_at = now()
            RETURNING username, scope, role, granted_by,
                      to_char(granted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"')
            """,
            (user, scope, role),
        ).fetchone()
        is_member = conn.execute("SELECT pg_has_role(%s, %s, 'MEMBER')", (user, GROUP_ROLE)).fetchone()[0]  # type: ignore[index]
        if not is_member:
            conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(GROUP_ROLE), sql.Identifier(user)))
    assert row is not None
    return Grant(*row)


def revoke(
    conn: psycopg.Connection[Any], user: str, *, team: str | None = None, region: str | None = None
) -> int:
    """Remove ``user``'s role on a team or region, or every role when neither is given."""
    if team:
        scopes = [f"team:{team}"]
        try:
            scopes.append(f"team:{resolve_team(conn, team)}")
        except NotFoundError:
            pass  # a grant for a team that was deleted can still be revoked by its id
    elif region:
        scopes = [f"region:{parse_region(region).value}"]
    else:
        scopes = []
    with conn.transaction():
        if scopes:
            count = conn.execute(
                "DELETE FROM pdsa.grants WHERE username = %s AND scope = ANY(%s)", (user, scopes)
            ).rowcount
        else:
            count = conn.execute("DELETE FROM pdsa.grants WHERE username = %s", (user,)).rowcount
    if not count:
        what = f"team {team}" if team else f"region {region}" if region else "this workspace"
        raise NotFoundError(f"{user} has no role on {what}")
    return count


def grants(conn: psycopg.Connection[Any]) -> list[Grant]:
    rows = conn.execute(
        """
        SELECT username, scope, role, granted_by,
               to_char(granted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"')
        FROM pdsa.grants ORDER BY username, scope
        """
    ).fetchall()
    return [Grant(*row) for row in rows]


def users(conn: psycopg.Connection[Any]) -> list[dict[str, Any]]:
    """Logins in the pdsa group with their roles in this workspace."""
    rows = conn.execute(
        """
        SELECT r.rolname, r.rolcanlogin
        FROM pg_roles r
        WHERE pg_has_role(r.oid, (SELECT oid FROM pg_roles WHERE rolname = %s), 'MEMBER')
          AND r.rolname <> %s
        ORDER BY r.rolname
        """,
        (GROUP_ROLE, GROUP_ROLE),
    ).fetchall()
    by_user: dict[str, list[dict[str, str]]] = {}
    for g in grants(conn):
        by_user.setdefault(g.username, []).append({"scope": g.scope, "role": g.role})
    listed = [{"user": name, "login": bool(login), "roles": by_user.pop(name, [])} for name, login in rows]
    # grants of roles that left the group (or were dropped) are shown too: they are inert
    listed += [{"user": name, "login": False, "roles": roles} for name, roles in sorted(by_user.items())]
    return listed


def status(conn: psycopg.Connection[Any]) -> dict[str, Any]:
    """Schema versions, revision, counts per table, logins: what 'pdsa server status' shows."""
    state = schema_state(conn)
    info: dict[str, Any] = {
        "database": conn.info.dbname,
        "server_version": conn.info.server_version,
        "user": conn.info.user,
        "schema_exists": state.exists,
        "sql_schema_version": state.version,
        "workspace": state.has_workspace,
    }
    if not state.has_workspace:
        return info
    head = conn.execute(
        "SELECT format, workspace_schema, revision, created_at, updated_at FROM pdsa.meta"
    ).fetchone()
    assert head is not None
    info.update(
        format=head[0], workspace_schema=head[1], revision=head[2], created_at=head[3], updated_at=head[4]
    )
    info["documents"] = dict(
        conn.execute("SELECT tbl, count(*) FROM pdsa.documents GROUP BY tbl ORDER BY tbl").fetchall()
    )
    info["change_log_rows"] = conn.execute("SELECT count(*) FROM pdsa.change_log").fetchone()[0]  # type: ignore[index]
    return info
