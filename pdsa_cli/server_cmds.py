"""Shared workspaces on a PostgreSQL server: setup, logins and roles, copying workspaces.

``pdsa server ...`` administers a workspace database (run it as the database's owner or a
superuser); ``pdsa workspace copy FROM TO`` moves a workspace between a file and a server.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import click

from pdsa_cli.output import echo, print_json, print_table
from pdsa_core.errors import ValidationError, WorkspaceError
from pdsa_core.i18n import add_texts, t

if TYPE_CHECKING:
    from pdsa_cli.context import AppContext

add_texts(
    {
        "server.initialised": (
            "Arbejdsområdet på serveren er klar: {url} (SQL-skema {version})",
            "The workspace on the server is ready: {url} (SQL schema {version})",
        ),
        "server.database_created": ("Oprettede databasen {name}", "Created the database {name}"),
        "server.migrations": ("Anvendte SQL-migrering {name}", "Applied SQL migration {name}"),
        "server.header_created": ("Oprettede et tomt arbejdsområde", "Created an empty workspace"),
        "server.header_exists": (
            "Arbejdsområdet fandtes allerede (revision {revision}); det er uændret",
            "The workspace already existed (revision {revision}); it was left as it was",
        ),
        "server.user_created": ("Oprettede login {name}", "Created login {name}"),
        "server.user_existing": (
            "Login {name} fandtes; det har nu adgang til pdsa",
            "Login {name} existed; it now has access to pdsa",
        ),
        "server.user_removed": (
            "{name} har ikke længere adgang ({count} roller fjernet)",
            "{name} no longer has access ({count} roles removed)",
        ),
        "server.granted": ("{user} er nu {role} for {scope}", "{user} is now {role} for {scope}"),
        "server.revoked": ("Fjernede {count} rolle(r) fra {user}", "Removed {count} role(s) from {user}"),
        "server.copied": (
            "Kopierede {documents} poster (revision {revision}) fra {source} til {destination}",
            "Copied {documents} records (revision {revision}) from {source} to {destination}",
        ),
        "server.partial": (
            "Bemærk: {user} kan ikke læse alle teams, så kopien rummer kun de teams, {user} har adgang til",
            "Note: {user} cannot read every team, so the copy holds only the teams {user} has access to",
        ),
        "server.scope_all": ("hele arbejdsområdet", "the whole workspace"),
        "server.no_users": ("Ingen logins med adgang til pdsa endnu", "No logins with access to pdsa yet"),
        "server.password_prompt": ("Adgangskode til {name}", "Password for {name}"),
    }
)


def _postgres_url(location: str | None) -> str:
    from pdsa_core.storage.pg_copy import is_postgres

    if not location or not is_postgres(location):
        raise ValidationError(
            "give a PostgreSQL address, postgresql://USER@HOST:PORT/DATABASE "
            "(as the argument, with --workspace or in PDSA_WORKSPACE)",
            where=location or None,
        )
    return location


def _scope_text(scope: str) -> str:
    if scope == "all":
        return t("server.scope_all")
    kind, _, value = scope.partition(":")
    return f"{t('team').lower() if kind == 'team' else t('region').lower()} {value}"


def register(cli: click.Group) -> None:
    from pdsa_cli.context import pass_app

    @cli.group()
    def server() -> None:
        """A shared workspace on a PostgreSQL server: setup, logins and roles."""

    @server.command("init")
    @click.argument("url", required=False)
    @click.option(
        "--create-database/--no-create-database",
        default=True,
        show_default=True,
        help="Create the database when it does not exist (needs CREATEDB).",
    )
    @click.option(
        "--admin", "admins", multiple=True, help="Make this existing login an administrator (repeat)."
    )
    @pass_app
    def server_init(app: AppContext, url: str | None, create_database: bool, admins: tuple[str, ...]) -> None:
        """Create or upgrade the pdsa schema, roles and workspace in a database (idempotent).

        Run it as a superuser or as the database owner with CREATEROLE; that role owns the
        workspace and administers it. URL defaults to --workspace / PDSA_WORKSPACE.
        """
        from pdsa_core.domain.common import now_iso
        from pdsa_core.storage.migrations import CURRENT_SCHEMA, FORMAT
        from pdsa_core.storage.pg_admin import grant, require_owner
        from pdsa_core.storage.pg_schema import (
            connect,
            database_name,
            latest_version,
            migrate_schema,
            redact,
        )
        from pdsa_core.storage.pg_schema import create_database as make_database

        target = _postgres_url(url or app.location)
        where = redact(target)
        if create_database and make_database(target):
            echo(t("server.database_created", name=database_name(target)))
        with connect(target) as conn:
            for migration in migrate_schema(conn, where=where):
                echo(t("server.migrations", name=f"{migration.version:03d}_{migration.name}"))
            require_owner(conn, where)
            with conn.transaction():
                conn.execute("LOCK TABLE pdsa.meta IN EXCLUSIVE MODE")
                head = conn.execute("SELECT revision FROM pdsa.meta").fetchone()
                if head is None:
                    stamp = now_iso()
                    conn.execute(
                        "INSERT INTO pdsa.meta (format, workspace_schema, created_at, updated_at) "
                        "VALUES (%s, %s, %s, %s)",
                        (FORMAT, CURRENT_SCHEMA, stamp, stamp),
                    )
                    echo(t("server.header_created"))
                else:
                    echo(t("server.header_exists", revision=head[0]))
            for name in admins:
                made = grant(conn, name, "admin")
                echo(t("server.granted", user=made.username, role=made.role, scope=_scope_text(made.scope)))
        # opening it as a workspace upgrades old documents and proves it works
        from pdsa_core.storage.postgres_store import PostgresStore

        store = PostgresStore(target)
        try:
            store.load()
        finally:
            store.close()
        echo(t("server.initialised", url=where, version=latest_version()))

    @server.command("sql")
    def server_sql() -> None:
        """Print the SQL that sets up the schema (for IT who review or apply it with psql)."""
        from pdsa_core.storage.pg_schema import install_sql

        echo(install_sql(), nl=False)

    @server.command("status")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @pass_app
    def server_status(app: AppContext, as_json: bool) -> None:
        """Schema versions, revision and record counts of the workspace database."""
        from pdsa_core.storage.pg_admin import status
        from pdsa_core.storage.pg_schema import connect

        with connect(_postgres_url(app.location)) as conn:
            info = status(conn)
        if as_json:
            print_json(info)
            return
        for key, value in info.items():
            if key != "documents":
                echo(f"{key:20} {value}")
        for table, count in info.get("documents", {}).items():
            echo(f"  {table:18} {count}")

    @server.command("whoami")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @pass_app
    def server_whoami(app: AppContext, as_json: bool) -> None:
        """Which login you use and what it may read and change."""
        from pdsa_core.storage.postgres_store import PostgresStore

        store = PostgresStore(_postgres_url(app.location))
        try:
            access = store.access()
        finally:
            store.close()
        if as_json:
            print_json(access)
            return
        echo(
            f"{access['user']}: "
            + (
                "; ".join(f"{g['role']} ({_scope_text(g['scope'])})" for g in access["grants"])
                or ("admin" if access["admin"] else "–")
            )
        )
        if access["teams"]:
            echo(f"{t('teams')}: {', '.join(access['teams'])}")

    # -- logins --------------------------------------------------------------------------------
    @server.group("user")
    def user() -> None:
        """Database logins that may use the workspace."""

    @user.command("add")
    @click.argument("name")
    @click.option("--password-env", metavar="VAR", help="Take the password from this environment variable.")
    @click.option("--password-prompt", is_flag=True, help="Ask for the password (typed twice, hidden).")
    @click.option("--no-password", is_flag=True, help="No password (the server authenticates otherwise).")
    @pass_app
    def user_add(
        app: AppContext, name: str, password_env: str | None, password_prompt: bool, no_password: bool
    ) -> None:
        """Create a login (or let an existing one use pdsa). Then give it roles with 'grant'."""
        from pdsa_core.storage.pg_admin import add_user, require_owner
        from pdsa_core.storage.pg_schema import connect, redact

        chosen = sum(bool(x) for x in (password_env, password_prompt, no_password))
        if chosen != 1:
            raise ValidationError("choose one of --password-env VAR, --password-prompt or --no-password")
        password: str | None = None
        if password_env:
            password = os.environ.get(password_env)
            if not password:
                raise ValidationError(f"the environment variable {password_env} is empty or not set")
        elif password_prompt:
            from pdsa_cli.asking import new_password

            password = new_password(t("server.password_prompt", name=name))
        url = _postgres_url(app.location)
        with connect(url) as conn:
            require_owner(conn, redact(url))
            outcome = add_user(conn, name, password=password)
        echo(t(f"server.user_{outcome}", name=name))

    @user.command("list")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @pass_app
    def user_list(app: AppContext, as_json: bool) -> None:
        """Logins with access and their roles."""
        from pdsa_core.storage.pg_admin import require_owner, users
        from pdsa_core.storage.pg_schema import connect, redact

        url = _postgres_url(app.location)
        with connect(url) as conn:
            require_owner(conn, redact(url))
            listed = users(conn)
        if as_json:
            print_json(listed)
            return
        if not listed:
            echo(t("server.no_users"))
            return
        print_table(
            None,
            ["login", "role", "scope"],
            [
                (u["user"], r["role"], _scope_text(r["scope"]))
                for u in listed
                for r in (u["roles"] or [{"role": "–", "scope": "–"}])
            ],
        )

    @user.command("remove")
    @click.argument("name")
    @click.option("--drop-login", is_flag=True, help="Also delete the login from the server.")
    @pass_app
    def user_remove(app: AppContext, name: str, drop_login: bool) -> None:
        """Take away a login's access to the workspace (and its roles)."""
        from pdsa_core.storage.pg_admin import remove_user, require_owner
        from pdsa_core.storage.pg_schema import connect, redact

        url = _postgres_url(app.location)
        with connect(url) as conn:
            require_owner(conn, redact(url))
            count = remove_user(conn, name, drop_login=drop_login)
        echo(t("server.user_removed", name=name, count=count))

    # -- roles ---------------------------------------------------------------------------------
    @server.command("grant")
    @click.argument("name")
    @click.argument("role")
    @click.option("--team", help="The team (id or name) for tovholder, member, data-consultant.")
    @click.option("--region", help="Every team of this region (e.g. Nordjylland).")
    @pass_app
    def server_grant(app: AppContext, name: str, role: str, team: str | None, region: str | None) -> None:
        """Give a login a role: tovholder, member, data-consultant (on --team or --region),
        secretariat (reads every team, edits none) or admin."""
        from pdsa_core.storage.pg_admin import grant, require_owner
        from pdsa_core.storage.pg_schema import connect, redact

        url = _postgres_url(app.location)
        with connect(url) as conn:
            require_owner(conn, redact(url))
            made = grant(conn, name, role, team=team, region=region)
        echo(t("server.granted", user=made.username, role=made.role, scope=_scope_text(made.scope)))

    @server.command("revoke")
    @click.argument("name")
    @click.option("--team", help="Only the role on this team.")
    @click.option("--region", help="Only the role on this region.")
    @pass_app
    def server_revoke(app: AppContext, name: str, team: str | None, region: str | None) -> None:
        """Take a login's role on a team or region away (all its roles when neither is given)."""
        from pdsa_core.storage.pg_admin import require_owner, revoke
        from pdsa_core.storage.pg_schema import connect, redact

        url = _postgres_url(app.location)
        with connect(url) as conn:
            require_owner(conn, redact(url))
            count = revoke(conn, name, team=team, region=region)
        echo(t("server.revoked", user=name, count=count))

    @server.command("grants")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @pass_app
    def server_grants(app: AppContext, as_json: bool) -> None:
        """Every role given in this workspace."""
        from pdsa_core.storage.pg_admin import grants, require_owner
        from pdsa_core.storage.pg_schema import connect, redact

        url = _postgres_url(app.location)
        with connect(url) as conn:
            require_owner(conn, redact(url))
            items = grants(conn)
        if as_json:
            print_json([g.to_dict() for g in items])
            return
        print_table(
            None,
            ["login", "role", "scope", "by", t("date")],
            [(g.username, g.role, _scope_text(g.scope), g.granted_by, g.granted_at) for g in items],
        )

    # -- moving workspaces ----------------------------------------------------------------------
    group = cli.commands.get("workspace")
    if not isinstance(group, click.Group):

        @cli.group("workspace")
        def workspace_group() -> None:
            """Whole workspaces: copy between a file and a PostgreSQL server."""

        group = workspace_group

    @group.command("copy")
    @click.argument("source")
    @click.argument("destination")
    def workspace_copy(source: str, destination: str) -> None:
        """Copy a whole workspace: file -> server, server -> file (or file -> file).

        SOURCE and DESTINATION are file paths or postgresql:// addresses. The destination must
        not hold a workspace yet; the copy is read back and compared before this reports success.
        """
        from pdsa_core.storage.pg_copy import copy_workspace

        result = copy_workspace(source, destination)
        if result.partial:
            echo(t("server.partial", user=_user_of(source)), err=True)
        echo(
            t(
                "server.copied",
                documents=result.documents,
                revision=result.revision,
                source=result.source,
                destination=result.destination,
            )
        )


def _user_of(url: str) -> str:
    from urllib.parse import urlsplit

    try:
        return urlsplit(url).username or "?"
    except ValueError:
        raise WorkspaceError("not a usable address", where=url) from None
