"""The row of screens at the top: shows where you are, the key for each screen, and takes clicks."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label

from pdsa_core.i18n import t

#: (mode, binding id) in the order of the number keys
SCREENS = (
    ("dashboard", "nav.dashboard"),
    ("diagram", "nav.diagram"),
    ("board", "nav.board"),
    ("indicator", "nav.indicator"),
    ("import", "nav.import"),
    ("musiq", "nav.musiq"),
    ("meeting", "nav.meeting"),
)


class NavTab(Label):
    """One screen's tab; a click switches to it."""

    def __init__(self, mode: str, text: str, *, current: bool) -> None:
        super().__init__(text, id=f"nav-{mode}", classes="-current" if current else "")
        self.mode = mode

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.app.switch_to(self.mode)  # type: ignore[attr-defined]


class NavBar(Horizontal):
    """``1 Oversigt  2 Driverdiagram  3 PDSA-tavle …`` with the current screen highlighted."""

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        keys = self.app.keys_for  # type: ignore[attr-defined]
        for mode, binding_id in SCREENS:
            key = keys(binding_id)
            label = f" {key} {t(f'tui.screen.{mode}')} " if key else f" {t(f'tui.screen.{mode}')} "
            yield NavTab(mode, label, current=mode == self.current)
