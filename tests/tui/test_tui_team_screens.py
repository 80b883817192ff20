"""MUSIQ and meeting mode are reachable from the app's keys (and so from the palette and help)."""

from __future__ import annotations

from typing import Any

import pytest
from tui_helpers import settle

from tui.app import PdsaApp
from tui.screens.meeting import MeetingScreen
from tui.screens.musiq import MusiqScreen

pytestmark = pytest.mark.anyio


async def test_keys_open_musiq_and_meeting_mode(tui_workspace: Any, plugins: Any) -> None:
    app = PdsaApp(tui_workspace, plugins)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        assert isinstance(app.screen, MusiqScreen)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)
        assert isinstance(app.screen, MeetingScreen)
