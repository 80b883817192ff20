"""The row of screens at the top: shows where you are, the key for each screen, and takes clicks."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label

from pdsa_core.i18n import add_texts, t

add_texts({"tui.screen_short.diagram": ("Diagram", "Diagram")})

#: below this width the tabs are closer together and some names shorter, so all seven fit in 80
COMPACT_WIDTH = 90

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
    """``1 Oversigt  2 Driverdiagram  3 PDSA-tavle …`` with the current screen highlighted.

    Narrower than :data:`COMPACT_WIDTH` it reads `` 1 Oversigt 2 Diagram 3 PDSA-tavle …``, so
    every screen, meeting mode included, is on the bar in 80 columns.
    """

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current
        self.compact: bool | None = None
        self._labels: list[str] = []

    def labels(self, compact: bool) -> list[str]:
        """Each screen's tab text: its key (as the keymap has it now) and its name."""
        keys = self.app.keys_for  # type: ignore[attr-defined]
        labels = []
        for mode, binding_id in SCREENS:
            key = keys(binding_id)
            name = t(f"tui.screen.{mode}")
            if compact:
                short = t(f"tui.screen_short.{mode}")
                name = short if short != f"tui.screen_short.{mode}" else name
            label = f" {key} {name}" if key else f" {name}"
            labels.append(label if compact else f"{label} ")
        return labels

    def compose(self) -> ComposeResult:
        compact = self.compact if self.compact is not None else self.app.size.width < COMPACT_WIDTH
        self._labels = self.labels(compact)
        for (mode, _), label in zip(SCREENS, self._labels, strict=True):
            yield NavTab(mode, label, current=mode == self.current)

    def on_resize(self, event: events.Resize) -> None:
        """Made again only when the tabs' texts change (80 columns: the short ones); the first
        size, as the screen starts, usually matches what :meth:`compose` made, and rebuilding
        the tabs then would cost the first paint ~40 ms."""
        compact = event.size.width < COMPACT_WIDTH
        if compact != self.compact:
            self.compact = compact
            if self.labels(compact) != self._labels:
                self.refresh(recompose=True)
