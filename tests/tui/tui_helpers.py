"""Helpers for driving the app in tests."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static


async def settle(pilot: Pilot[Any]) -> None:
    """Let messages, workers (dashboard, analysis) and the repaint finish."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def text_of(widget: Static) -> str:
    """The plain text a Static or Label shows."""
    content = widget.content
    return content.plain if hasattr(content, "plain") else str(content)


def screen_text(app: Any) -> str:
    """All text shown by Static widgets (labels, panels) on the current screen, one per line."""
    return "\n".join(text_of(w) for w in app.screen.query(Static) if w.display)
