"""The TUI on a server workspace keeps working when the server goes away, and never shows a password.

The TUI workspace is copied to a fresh database on the test server (``PDSA_TEST_POSTGRES_URL``,
skipped without it) and opened as a team login with a password in its address. Then the
server stops taking that login: its sessions are ended and it may no longer log in, as when
the server is shut down or the network is gone. Every screen key and a save must give a
message, never a crash; the title says there is no connection; the password is nowhere. When
the login is let in again, the title says so and the same save goes through.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from typing import Any

import pytest
from textual.widgets import TextArea
from tui_helpers import screen_text, settle

from tui.app import PdsaApp
from tui.screens.worksheet import WorksheetScreen

pytestmark = pytest.mark.anyio

SCREEN_KEYS = ("1", "2", "3", "4", "5", "6", "7")


@pytest.fixture()
def server_workspace(tui_workspace: Any) -> Iterator[tuple[Any, str, str, str]]:
    """(the workspace as a tovholder login with a password, the owner's address, the login, its password)."""
    admin_url = os.environ.get("PDSA_TEST_POSTGRES_URL")
    if not admin_url:
        pytest.skip("no PostgreSQL test server: PDSA_TEST_POSTGRES_URL is not set (source .ci/postgres.sh)")
    psycopg = pytest.importorskip("psycopg")
    from pdsa_core.storage import pg_admin
    from pdsa_core.storage.pg_copy import copy_workspace
    from pdsa_core.storage.pg_schema import with_login
    from pdsa_core.workspace import Workspace

    name = f"pdsa_test_{secrets.token_hex(5)}"
    url = admin_url.rsplit("/", 1)[0] + "/" + name
    login, password = f"tova_{secrets.token_hex(3)}", f"pw{secrets.token_hex(10)}"
    copy_workspace(tui_workspace.location, url)
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            pg_admin.add_user(conn, login, password=password)
            for team in tui_workspace.teams():
                pg_admin.grant(conn, login, "tovholder", team=team.id)
        ws = Workspace.open(with_login(url, login, password), actor=login)
        yield ws, url, login, password
        ws.store.close()
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'DROP ROLE IF EXISTS "{login}"')


def _cut_off(url: str, login: str) -> None:
    """The server stops serving the login: no new sessions, the open ones ended."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'ALTER ROLE "{login}" NOLOGIN')
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", (login,))


def _let_in(url: str, login: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'ALTER ROLE "{login}" LOGIN')


def _everything_shown(app: PdsaApp) -> str:
    notes = "\n".join(f"{n.title or ''} {n.message}" for n in app._notifications)
    return "\n".join([str(app.title), str(app.sub_title), screen_text(app), notes])


async def _visit_every_screen(app: PdsaApp, pilot: Any) -> list[str]:
    """Press each screen's key from the dashboard (MUSIQ and the meeting take digits as input)."""
    shown = []
    for key in SCREEN_KEYS:
        await app.run_action("nav('dashboard')")
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        assert app.is_running, f"the TUI stopped after key {key}"
        shown.append(type(app.screen).__name__)
    return shown


@pytest.mark.slow
async def test_every_screen_and_a_save_survive_the_server_going_away(
    server_workspace: tuple[Any, str, str, str], plugins: Any
) -> None:
    from pdsa_core.i18n import t

    ws, url, login, password = server_workspace
    app = PdsaApp(ws, plugins)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        shown = await _visit_every_screen(app, pilot)  # while connected (what is read last is kept)
        _cut_off(url, login)
        assert await _visit_every_screen(app, pilot) == shown
        for _ in range(100):  # the connection watcher runs every second: wait for it, no longer
            await pilot.pause(0.05)
            if t("tui.connection.offline") in str(app.sub_title):
                break
        await settle(pilot)
        assert t("tui.connection.offline") in str(app.sub_title)
        await app.run_action("nav('dashboard')")
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        sheet = app.screen
        assert isinstance(sheet, WorksheetScreen), sheet
        before = ws.cycle(sheet.cycle_id).objective
        sheet.query_one("#ws-objective", TextArea).text = "skrevet uden forbindelse"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.is_running
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert any("nothing was saved" in m or "intet blev gemt" in m for m in errors), errors
        assert _stored_objective(url, sheet.cycle_id) == (before or "")  # the save reached nothing
        _let_in(url, login)  # the server is back: the title says so and the same save goes through
        for _ in range(400):
            await pilot.pause(0.05)
            if t("tui.connection.offline") not in str(app.sub_title):
                break
        await settle(pilot)
        assert t("tui.connection.offline") not in str(app.sub_title)
        assert any(n.message == t("tui.connection.back") for n in app._notifications)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert _stored_objective(url, sheet.cycle_id) == "skrevet uden forbindelse"
        shown = _everything_shown(app)
        assert password not in shown
        assert password not in repr(ws.store.location) and password not in ws.store.display


def _stored_objective(url: str, cycle_id: str) -> str:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT doc::json ->> 'objective' FROM pdsa.documents WHERE tbl = 'cycles' AND id = %s",
            (cycle_id,),
        ).fetchone()
    assert row is not None
    return str(row[0] or "")
