"""Nothing typed is lost: ask Save / Discard / Cancel before input would be dropped.

A screen or dialog that holds input not yet stored implements three methods (duck typed,
see :class:`HoldsInput`): ``unsaved_input()`` says what would be lost (a short name, or ""
when nothing is), ``save_input()`` stores it (False when the core refused; the screen has
shown why and keeps everything), ``discard_input()`` forgets it.

:func:`ask_before_leaving` is called before ``q``, Esc, a team switch or a screen switch
would drop such screens: for each one that holds input it shows :class:`SaveDiscardDialog`
(Enter saves) and goes on only after Save or Discard; Cancel (or Esc) keeps every value
and says that nothing was closed.

:class:`FieldKeys` is the other half of the rule "typing in a field never navigates": on a
screen that holds input (the worksheet, MUSIQ scoring), a character typed while a field (a
selector, a check box, a list of choices) has the focus never reaches the app's keys (``q``
quit, ``1``-``7`` screens, ``t`` team), unless the field itself uses that key. (Inputs and
text areas take every character themselves; dialogs are modal, so the app's keys do not
reach them at all.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol, runtime_checkable

from rich.text import Text
from textual import events, on
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, RadioSet, Select, SelectionList, Static, Switch, TextArea

from pdsa_core.i18n import add_texts, t
from pdsa_core.literal import rich_text
from tui.keys import binding, localize_bindings

add_texts(
    {
        "tui.unsaved.title": ("Ikke gemt: {what}", "Not saved: {what}"),
        "tui.unsaved.text": (
            "Det du har skrevet er ikke gemt endnu. Gem det, kassér det, eller fortryd og bliv her.",
            "What you typed is not saved yet. Save it, discard it, or cancel and stay here.",
        ),
        "tui.unsaved.save": ("Gem", "Save"),
        "tui.unsaved.discard": ("Kassér", "Discard"),
        "tui.unsaved.cancel": ("Fortryd", "Cancel"),
        "tui.unsaved.kept": (
            "Intet er lukket: det du har skrevet står der stadig.",
            "Nothing was closed: what you typed is still there.",
        ),
        "tui.unsaved.discarded": ("Kasseret: {what}", "Discarded: {what}"),
        "tui.key.unsaved.save": ("Gem", "Save"),
        "tui.key.unsaved.cancel": ("Fortryd", "Cancel"),
    }
)

#: widgets that take typed input without consuming every character themselves
FIELD_TYPES: tuple[type[Widget], ...] = (Input, TextArea, Select, SelectionList, Checkbox, RadioSet, Switch)


@runtime_checkable
class HoldsInput(Protocol):
    def unsaved_input(self) -> str:
        """What would be lost, in words ("PDSA-skema: Ringe hjem"); "" when nothing is."""

    def save_input(self) -> bool:
        """Store the input; False when it could not be stored (the reason is shown)."""

    def discard_input(self) -> None:
        """Forget the input (the screen is about to be left)."""


def unsaved(node: object) -> str:
    """What ``node`` would lose if it were left now ("" when nothing, or it holds no input)."""
    if isinstance(node, HoldsInput):
        return node.unsaved_input()
    return ""


class SaveDiscardDialog(ModalScreen[str | None]):
    """Save / Discard / Cancel for the input named ``what``; dismisses with "save", "discard" or None."""

    DEFAULT_CSS = """
    SaveDiscardDialog { align: center middle; background: $background 60%; }
    SaveDiscardDialog > Vertical { width: 72; max-width: 95%; height: auto; border: thick $warning;
        background: $surface; padding: 1 2; }
    SaveDiscardDialog .unsaved-title { text-style: bold; margin-bottom: 1; }
    SaveDiscardDialog .unsaved-buttons { height: auto; margin-top: 1; align-horizontal: right; }
    SaveDiscardDialog Button { margin-left: 2; }
    """

    BINDINGS = [
        binding("escape", "cancel", "unsaved.cancel"),
        binding("ctrl+s", "save", "unsaved.save"),
    ]

    def __init__(self, what: str) -> None:
        super().__init__(classes="unsaved-dialog")
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical():
            title = Text(t("tui.unsaved.title", what="").rstrip(), style="bold")
            title.append(" ")
            title.append_text(rich_text(self.what, "bold"))
            yield Static(title, classes="unsaved-title")
            yield Static(t("tui.unsaved.text"))
            with Horizontal(classes="unsaved-buttons"):
                yield Button(t("tui.unsaved.save"), variant="primary", id="unsaved-save")
                yield Button(t("tui.unsaved.discard"), variant="error", id="unsaved-discard")
                yield Button(t("tui.unsaved.cancel"), id="unsaved-cancel")

    def on_mount(self) -> None:
        localize_bindings(self)
        self.query_one("#unsaved-save", Button).focus()  # Enter saves: what the question is about

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        choice = {"unsaved-save": "save", "unsaved-discard": "discard"}.get(event.button.id or "")
        self.dismiss(choice)

    def action_save(self) -> None:
        self.dismiss("save")

    def action_cancel(self) -> None:
        self.dismiss(None)


def ask_before_leaving(app: App[Any], holders: Sequence[object], then: Callable[[], Any]) -> None:
    """Call ``then`` once every holder of unsaved input among ``holders`` is saved or discarded.

    The holders are asked one at a time, in the order given (the top screen first). Cancel
    stops: ``then`` is not called and every value stays where it was.
    """
    pending = [(holder, unsaved(holder)) for holder in holders]
    pending = [(holder, what) for holder, what in pending if what]
    if not pending:
        then()
        return
    holder, what = pending[0]
    rest = [h for h, _ in pending[1:]]

    def answered(choice: str | None) -> None:
        if choice == "save":
            if not holder.save_input():  # type: ignore[attr-defined]
                return  # the holder said why; everything typed is still there
        elif choice == "discard":
            holder.discard_input()  # type: ignore[attr-defined]
            app.notify(t("tui.unsaved.discarded", what=what), timeout=3)
        else:
            app.notify(t("tui.unsaved.kept"), timeout=4)
            return
        ask_before_leaving(app, rest, then)

    app.push_screen(SaveDiscardDialog(what), answered)


def is_field(widget: object) -> bool:
    return isinstance(widget, FIELD_TYPES)


def _bound_below(node: DOMNode | None, screen: DOMNode, key: str) -> bool:
    """Whether ``node`` or one of its parents below ``screen`` has a binding for ``key``."""
    while node is not None and node is not screen:
        bindings = getattr(node, "_bindings", None)
        if bindings is not None and key in bindings.key_to_bindings:
            return True
        node = node.parent
    return False


class FieldKeys:
    """Mixin for screens that hold input: a character typed in a field never reaches the app's keys."""

    def on_key(self, event: events.Key) -> None:
        screen: Any = self
        focused = screen.focused
        if not is_field(focused) or not event.is_printable:
            return
        if _bound_below(focused, screen, event.key):
            return  # the field uses the key itself (space opens a selector)
        event.stop()  # not for navigation: the key was meant for the field
