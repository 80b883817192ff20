"""Helpers for driving the app in tests."""

from __future__ import annotations

from typing import Any

import pytest
from textual.css.stylesheet import Stylesheet
from textual.pilot import Pilot
from textual.widgets import Static
from textual.worker import WorkerCancelled


async def _workers_done(pilot: Pilot[Any]) -> None:
    """Wait for the running workers; one cancelled meanwhile is done too.

    An exclusive worker (the revision poll, the dashboard's analysis) is cancelled when the
    app starts its successor; on a loaded machine that can happen while we wait for it, and
    Textual then raises WorkerCancelled from ``wait_for_complete``.
    """
    for worker in list(pilot.app.workers):
        try:
            await worker.wait()
        except WorkerCancelled:
            pass


async def settle(pilot: Pilot[Any]) -> None:
    """Let messages, workers (dashboard, analysis) and the repaint finish."""
    await pilot.pause()
    await _workers_done(pilot)
    await pilot.pause()
    await _workers_done(pilot)
    await pilot.pause()


def text_of(widget: Static) -> str:
    """The plain text a Static or Label shows."""
    content = widget.content
    return content.plain if hasattr(content, "plain") else str(content)


def screen_text(app: Any) -> str:
    """All text shown by Static widgets (labels, panels) on the current screen, one per line."""
    return "\n".join(text_of(w) for w in app.screen.query(Static) if w.display)


def count_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every CSS source Textual's stylesheets parse from now on (the list fills as they do)."""
    parsed: list[str] = []
    parse_rules = Stylesheet._parse_rules

    def counted(self: Any, css: str, *args: Any, **kwargs: Any) -> Any:
        parsed.append(css)
        return parse_rules(self, css, *args, **kwargs)

    monkeypatch.setattr(Stylesheet, "_parse_rules", counted)
    return parsed
