"""What every screen shares: command palette, key ids and remapping, help, mouse, outside changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandPalette
from textual.widgets import DataTable, Input
from tui_helpers import settle

from pdsa_core.workspace import Workspace
from tui.app import PdsaApp
from tui.commands import PdsaCommands
from tui.modes import screen_classes
from tui.screens.board import BoardScreen
from tui.screens.dashboard import DashboardScreen
from tui.screens.diagram import DiagramScreen
from tui.screens.help import HelpScreen
from tui.screens.importing import ImportScreen
from tui.screens.indicator import IndicatorScreen
from tui.screens.worksheet import WorksheetScreen

pytestmark = pytest.mark.anyio


async def _palette(pilot: Any, text: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CommandPalette)
    pilot.app.screen.query_one(Input).value = text
    await settle(pilot)  # the palette's search runs in a worker: wait for it, not for a fixed time
    await pilot.press("enter")
    await settle(pilot)


async def test_every_key_bound_action_has_an_id_a_text_and_a_palette_command(
    tui_workspace: Any, plugins: Any
) -> None:
    app = PdsaApp(tui_workspace, plugins)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        provider = PdsaCommands(app.screen)
        titles = [title for title, _, _ in provider.commands()]
        owners = [type(app), *screen_classes().values()]
        for owner in owners:
            for b in owner.BINDINGS:
                assert b.id, f"{owner.__name__}: {b.key} has no id"
                text = f"tui.key.{b.id}"
                from pdsa_core.i18n import t

                assert t(text, "da") != text and t(text, "en") != text, b.id
                if b.id != "app.palette":  # the palette's own key is not a command in it
                    assert any(t(text) in title for title in titles), b.id
        # data commands: teams, indicators, cycles of the team
        assert "Team: Regionspsykiatrien Midt" in titles
        assert "Indicator: F2 Coercive events" in titles
        assert "PDSA cycle: Kendskabsbesøg" in titles


@pytest.mark.slow
async def test_every_screen_is_reachable_from_the_palette(tui_workspace: Any, plugins: Any) -> None:
    app = PdsaApp(tui_workspace, plugins)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for text, screen in (
            ("Driver diagram", DiagramScreen),
            ("PDSA board", BoardScreen),
            ("Indicators", IndicatorScreen),
            ("Import", ImportScreen),
            ("Dashboard", DashboardScreen),
        ):
            await _palette(pilot, text)
            assert isinstance(app.screen, screen), text
        # an action of another screen: switches there and runs it
        await _palette(pilot, "Driver diagram: History")
        assert isinstance(app.screen, DiagramScreen)
        assert not app.screen.query_one("#diagram-history").display
        await _palette(pilot, "PDSA cycle: Elektive")
        assert isinstance(app.screen, WorksheetScreen)
        assert app.screen.cycle.title == "Elektive indlæggelser"


@pytest.mark.slow
async def test_remap_a_key_on_the_help_screen(tui_workspace: Any, plugins: Any) -> None:
    ws = tui_workspace
    app = PdsaApp(ws, plugins)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#help-keys", DataTable)
        ids = [str(table.get_row_at(i)[3]) for i in range(table.row_count)]
        assert {
            "app.quit",
            "nav.board",
            "diagram.add",
            "board.forward",
            "indicator.chart",
            "import.commit",
        } <= set(ids)
        assert "worksheet.act" in ids
        table.move_cursor(row=ids.index("nav.board"))
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("f3")
        await settle(pilot)
        assert ws.settings()["keymap"] == {"nav.board": "f3"}
        assert str(table.get_row_at(ids.index("nav.board"))[1]) == "f3"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
        await pilot.press("3")  # the old key does nothing now
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
        # back to the default key
        await pilot.press("f1")
        await settle(pilot)
        table = app.screen.query_one("#help-keys", DataTable)
        table.move_cursor(row=ids.index("nav.board"))
        await pilot.press("delete")
        await settle(pilot)
        assert ws.settings()["keymap"] == {}
        assert str(table.get_row_at(ids.index("nav.board"))[1]) == "3"


async def test_default_keys_are_the_bindings_keys_without_collecting_every_screen(
    tui_workspace: Any, plugins: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every binding id shows the keys of the first class that binds it (the app's, then the
    screens'); the indicator view finds its own without collecting all screens' bindings
    (that imports every screen's module), and the collection is made at most once."""
    monkeypatch.delenv("PDSA_KEYMAP", raising=False)
    app = PdsaApp(tui_workspace, plugins)
    collected: list[int] = []
    collect = app._bindings_of_classes

    def counted() -> list[Any]:
        collected.append(1)
        return collect()

    monkeypatch.setattr(app, "_bindings_of_classes", counted)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        assert isinstance(app.screen, IndicatorScreen)
        assert app.keys_for("indicator.use_baseline") == "v"
        assert collected == []  # the shown screen had the ids its hint line asks for
        expected: dict[str, str] = {}
        for b in collect():
            if b.id:
                expected.setdefault(b.id, b.key)
        assert len(expected) > 20
        for binding_id, keys in expected.items():
            assert app.binding_keys(binding_id) == [k.strip() for k in keys.split(",")], binding_id
        assert len(collected) == 1  # the other screens' bindings: collected once, then kept


async def test_keymap_file_and_workspace_settings(
    tui_workspace: Any, plugins: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keymap = tmp_path / "keymap.toml"
    keymap.write_text('[keymap]\n"nav.diagram" = "f2"\n', encoding="utf-8")
    monkeypatch.setenv("PDSA_KEYMAP", str(keymap))
    tui_workspace.update_settings(keymap={"nav.import": "f5", "nav.diagram": "f9"})
    app = PdsaApp(tui_workspace, plugins)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.keys_for("nav.diagram") == "f2"  # the user's own file wins
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, DiagramScreen)
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, ImportScreen)
        # the tabs at the top show the remapped keys
        assert "f2" in str(app.screen.query_one("#nav-diagram").content)


async def test_a_broken_keymap_file_is_a_message(
    tui_workspace: Any, plugins: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keymap = tmp_path / "keymap.toml"
    keymap.write_text("[keymap\n", encoding="utf-8")
    monkeypatch.setenv("PDSA_KEYMAP", str(keymap))
    app = PdsaApp(tui_workspace, plugins)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert any("cannot read the keymap" in n.message for n in app._notifications)
        assert isinstance(app.screen, DashboardScreen)


async def test_mouse_clicks_on_the_screen_tabs(tui_workspace: Any, plugins: Any) -> None:
    app = PdsaApp(tui_workspace, plugins)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.click("#nav-board")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
        await pilot.click("#nav-diagram")
        await settle(pilot)
        assert isinstance(app.screen, DiagramScreen)


async def test_a_change_made_by_another_program_shows_up(tui_workspace: Any, plugins: Any) -> None:
    app = PdsaApp(tui_workspace, plugins)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app._check_revision()
        await settle(pilot)
        other = Workspace.open(tui_workspace.location, actor="colleague")
        other.set_aim(app.team_id, "Et nyt mål skrevet af en kollega")
        app._check_revision()
        await settle(pilot)
        assert "Et nyt mål" in str(app.screen.query_one("#aim").content)
        assert any("changed elsewhere" in n.message for n in app._notifications)


async def test_the_first_team_can_be_chosen(
    tui_workspace: Any, plugins: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    tui_workspace.update_settings(default_team="Regionspsykiatrien Midt")
    assert PdsaApp(tui_workspace, plugins).team_id == "regionspsykiatrien-midt"
    monkeypatch.setenv("PDSA_TEAM", "Psykiatrien Syd")
    assert PdsaApp(tui_workspace, plugins).team_id == "psykiatrien-syd-vordingborg"
