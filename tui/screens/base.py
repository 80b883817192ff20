"""What every main screen shares: header, the row of screens, footer, refresh on change."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header

from tui.keys import localize_bindings
from tui.widgets.footer import PdsaFooter
from tui.widgets.navbar import NavBar

if TYPE_CHECKING:  # pragma: no cover
    from tui.app import PdsaApp


class PdsaScreen(Screen[None]):
    """A main screen (one per mode). Subclasses fill :meth:`compose_body` and :meth:`refresh_data`."""

    MODE: ClassVar[str] = ""

    def __init__(self) -> None:
        super().__init__(id=f"screen-{self.MODE}")
        self._seen_version = -1
        self._seen_language = ""
        self._shown = False

    @property
    def pdsa(self) -> PdsaApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        yield NavBar(self.MODE)
        yield from self.compose_body()
        yield PdsaFooter()

    def compose_body(self) -> Iterable[Widget]:  # pragma: no cover - every screen overrides
        return ()

    def on_mount(self) -> None:
        """Keys in the current language, then the data (:meth:`sync`).

        Textual calls the ``on_mount`` of every class of the screen, the subclass's first, so
        a subclass's ``on_mount`` sets its layout and does not call ``super().on_mount()``
        (which would fill the screen twice).
        """
        localize_bindings(self)
        self._seen_language = self.pdsa.language
        self.sync()

    @on(events.ScreenResume)
    def _styled_as_mounted(self, event: events.ScreenResume) -> None:
        """Textual styles every widget of a screen again each time it is shown (a theme or the
        app's classes may have changed while another screen was on top). Shown the first time,
        the screen was styled as it mounted a moment before: 28 of the dashboard's style passes
        before its first paint. (Textual's own handler runs after this one and reads the flag.)"""
        if not self._shown:
            self._shown = True
            event.refresh_styles = False

    async def on_screen_resume(self) -> None:
        if self._seen_language != self.pdsa.language:
            await self.relabel()
        elif self._seen_version != self.pdsa.data_version:
            self.sync()

    async def relabel(self) -> None:
        """Rebuild the screen's texts in the current language."""
        self._seen_language = self.pdsa.language
        localize_bindings(self)
        await self.recompose()
        self.sync()

    def sync(self) -> None:
        """Show the current workspace state (called after every change)."""
        self._seen_version = self.pdsa.data_version
        self.refresh_data()

    def refresh_data(self) -> None:  # pragma: no cover - every screen overrides
        pass

    def attempt(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        return self.pdsa.attempt(fn, *args, **kwargs)
