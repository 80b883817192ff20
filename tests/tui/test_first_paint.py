"""The dashboard's first show has its indicators; later changes are computed in a thread."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Static
from tui_helpers import settle, text_of

from tui.app import PdsaApp
from tui.screens.dashboard import DashboardScreen, IndicatorTable

pytestmark = pytest.mark.anyio


async def test_first_show_computes_the_overview_at_once_and_later_changes_in_a_thread(
    tui_workspace: Any, plugins: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    loads: list[str] = []
    load = DashboardScreen.load

    def counted(self: DashboardScreen, team_id: str, version: int) -> Any:
        loads.append(team_id)
        return load(self, team_id, version)

    monkeypatch.setattr(DashboardScreen, "load", counted)
    app = PdsaApp(tui_workspace, plugins)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        assert screen.overview is not None  # no worker to wait for
        assert loads == []
        table = screen.query_one(IndicatorTable)
        assert table.row_count == 3
        name = next(c for c in table.columns.values() if c.key.value == "name")
        assert name.width >= 30  # filled for the width the table was given, not before it had one

        team = app.team_id
        tui_workspace.set_aim(team, "Færre tvangsindlæggelser, nu målt hver uge")
        app.changed()
        await settle(pilot)
        assert loads == [team]
        assert "hver uge" in text_of(screen.query_one("#aim", Static))
