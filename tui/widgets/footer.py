"""The footer of keys, rebuilt only when the keys it shows change.

Textual's :class:`~textual.widgets.Footer` rebuilds all its keys (a widget each, styled
and laid out anew) every time the screen's bindings may have changed: the focus moving,
``refresh_bindings``, a screen's data being shown. Starting the dashboard did that five
times before its first paint, 30-50 ms each, each time with the same keys.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class PdsaFooter(Footer):
    """A :class:`~textual.widgets.Footer` that skips a rebuild showing what it shows already."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._wanted: tuple[Any, ...] | None = None

    def shown_keys(self) -> tuple[Any, ...]:
        """Everything of the screen's bindings that :meth:`Footer.compose` puts on screen."""
        app = self.app
        shown: list[Any] = []
        for key, (_namespace, binding, enabled, tooltip) in self.screen.active_bindings.items():
            if not binding.show and key != app.COMMAND_PALETTE_BINDING:
                continue
            group = (binding.group.description, binding.group.compact) if binding.group else None
            shown.append(
                (binding.key, app.get_key_display(binding), binding.description, binding.action)
                + (binding.tooltip, binding.show, enabled, tooltip, group)
            )
        return (self.show_command_palette, app.ENABLE_COMMAND_PALETTE, *shown)

    def compose(self) -> ComposeResult:
        """Textual's keys, each made in the footer's style from the start.

        A :class:`FooterKey` bound to the footer's ``compact`` starts compact and takes the
        footer's (not compact) style when the binding is made after mounting, so each key was
        styled three times (mounted, made compact, made not compact): 10 of the dashboard's 83
        style passes before its first paint.
        """
        for widget in super().compose():
            if isinstance(widget, FooterKey) and "compact" in (widget._reactive_connect or {}):
                widget.set_reactive(FooterKey.compact, self.compact)  # (the palette's key is not bound)
            yield widget

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            wanted = self.shown_keys()
            if self._bindings_ready and wanted == self._wanted:
                return  # the same keys: a rebuild is made or on its way
            self._wanted = wanted
        super().bindings_changed(screen)
