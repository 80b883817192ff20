"""A shared workspace pushes other users' commits; the open TUI refreshes and says who did what."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import pytest
from tui_helpers import settle

from tui.app import PdsaApp

pytestmark = pytest.mark.anyio


@dataclass
class FakeEvent:
    """Shaped like :class:`pdsa_core.storage.pg_live.ChangeEvent` as the TUI uses it."""

    own: bool
    text: str

    def summary(self, lang: str | None = None) -> str:
        return self.text


class PushingStore:
    """Wraps a file store and pushes events from another thread, as PostgreSQL's listener does."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.callback: Any = None
        self.closed = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def subscribe(self, callback: Any) -> Any:
        self.callback = callback
        return self

    def close(self) -> None:
        self.closed = True

    async def push(self, event: FakeEvent) -> None:
        """Deliver ``event`` from another thread while the app's event loop keeps running."""
        await asyncio.to_thread(self.callback, event)


async def test_someone_elses_change_is_shown_with_who_and_what(tui_workspace: Any, plugins: Any) -> None:
    store = PushingStore(tui_workspace.store)
    tui_workspace.store = store
    app = PdsaApp(tui_workspace, plugins)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        tui_workspace.set_aim(tui_workspace.teams()[0].id, "Et delt mål")
        await store.push(FakeEvent(own=True, text="my own change"))
        await store.push(FakeEvent(own=False, text="anna: 1 change in Psykiatrien Syd (diagrams)"))
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert "anna: 1 change in Psykiatrien Syd (diagrams)" in messages
        assert "my own change" not in messages
        assert "Et delt mål" in str(app.screen.query_one("#aim").content)
    assert store.closed
