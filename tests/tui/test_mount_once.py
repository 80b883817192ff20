"""A screen fills itself once when first shown (Textual calls every class's ``on_mount``)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from tui_helpers import settle

from tui.app import PdsaApp
from tui.screens.base import PdsaScreen

pytestmark = pytest.mark.anyio


async def test_each_screen_syncs_once_when_first_shown(
    tui_workspace: Any, plugins: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: Counter[str] = Counter()
    sync = PdsaScreen.sync

    def counted(self: PdsaScreen) -> None:
        synced[self.MODE] += 1
        sync(self)

    monkeypatch.setattr(PdsaScreen, "sync", counted)
    app = PdsaApp(tui_workspace, plugins)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert synced == {"dashboard": 1}
        # (meeting mode is left out: this workspace's meeting has no agenda yet, and the
        # first show writes one, which shows the screen again, as any change does)
        for mode in ("diagram", "board", "indicator", "import"):
            await app.goto(mode)
            await settle(pilot)
            assert synced[mode] == 1, mode
        assert synced["dashboard"] == 1
