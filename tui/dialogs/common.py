"""Small modal dialogs: confirm, fill a form, choose from a list.

A form does not validate anything itself: its ``submit`` callback calls the core (a
``Workspace`` method). If the core refuses with a :class:`PdsaError`, the message is shown
and the dialog stays open with what was typed, so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from pdsa_core.errors import PdsaError
from pdsa_core.i18n import t
from pdsa_core.literal import rich_text
from tui.keys import binding, localize_bindings
from tui.unsaved import ask_before_leaving
from tui.widgets.footer import PdsaFooter


class _Dialog(ModalScreen[Any]):
    BINDINGS = [binding("escape", "cancel", "dialog.cancel")]

    def on_mount(self) -> None:
        """Textual calls it after a subclass's own ``on_mount`` (which does not call it)."""
        localize_bindings(self)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(_Dialog):
    """A yes/no question; dismisses with True or False.

    Enter does what the question is about (the "yes" button has the focus); No and Esc
    decline, and ``declined`` (when given) says what did not happen.
    """

    BINDINGS = [
        binding("escape,n", "cancel", "dialog.cancel"),
        binding("y,j", "confirm", "dialog.submit", show=False),
    ]

    def __init__(self, question: str | Text, *, yes: str | None = None, declined: str = "") -> None:
        super().__init__(classes="dialog")
        self.question = question
        self.yes = yes or t("tui.yes")
        self.declined = declined

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            question = self.question if isinstance(self.question, Text) else rich_text(self.question)
            yield Static(question, classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.yes, variant="error", id="yes")
                yield Button(t("tui.no"), id="no")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        if self.declined:
            self.app.notify(self.declined, timeout=4)
        self.dismiss(False)

    @on(Button.Pressed, "#yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def _no(self) -> None:
        self.action_cancel()


@dataclass
class Field:
    """One field of a form: ``kind`` is "input" (one line), "text" (several lines) or "select"."""

    name: str
    label: str
    value: Any = ""
    kind: str = "input"
    placeholder: str = ""
    options: Sequence[tuple[str, Any]] = field(default_factory=list)
    """For "select": (shown text, value) pairs."""


class FormDialog(_Dialog):
    """Fields and OK/Cancel; OK calls ``submit(values)`` and closes with its result."""

    BINDINGS = [
        binding("escape", "cancel", "dialog.cancel"),
        binding("ctrl+s", "submit", "dialog.submit"),
    ]

    def __init__(
        self,
        title: str | Text,
        fields: Sequence[Field],
        submit: Callable[[dict[str, Any]], Any],
        *,
        intro: str | Text = "",
    ) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.fields = list(fields)
        self.submit_fn = submit
        self.intro = intro
        self._initial: dict[str, Any] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box form"):
            yield Label(_literal(self.title_text), classes="dialog-title")
            if self.intro:
                intro = self.intro if isinstance(self.intro, Text) else rich_text(self.intro)
                yield Static(intro, classes="dialog-text")
            with VerticalScroll(classes="form-fields"):
                for f in self.fields:
                    yield Label(_literal(f.label), classes="field-label")
                    widget_id = f"field-{f.name}"
                    if f.kind == "text":
                        area = TextArea(str(f.value or ""), id=widget_id, classes="field-text", compact=True)
                        area.show_line_numbers = False
                        yield area
                    elif f.kind == "select":
                        values = [v for _, v in f.options]
                        initial = f.value if f.value in values else (values[0] if values else Select.NULL)
                        yield Select(
                            [(_literal(label), value) for label, value in f.options],
                            value=initial,
                            allow_blank=False,
                            id=widget_id,
                            compact=True,
                        )
                    else:
                        yield Input(str(f.value or ""), placeholder=f.placeholder, id=widget_id, compact=True)
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("tui.ok"), variant="primary", id="ok", compact=True)
                yield Button(t("tui.cancel"), id="cancel", compact=True)
        yield PdsaFooter()

    def on_mount(self) -> None:
        self._initial = self.values()
        if self.fields:
            self.query_one(f"#field-{self.fields[0].name}").focus()

    def values(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for f in self.fields:
            widget = self.query_one(f"#field-{f.name}")
            if isinstance(widget, TextArea):
                result[f.name] = widget.text
            elif isinstance(widget, Select):
                result[f.name] = None if widget.value is Select.NULL else widget.value
            elif isinstance(widget, Input):
                result[f.name] = widget.value
        return result

    def action_submit(self) -> None:
        self.save_input()

    def save_input(self) -> bool:
        """Submit; False (and the dialog stays open with what was typed) when the core refused."""
        try:
            outcome = self.submit_fn(self.values())
        except PdsaError as exc:
            self.app.notify(str(exc), title=t("error"), severity="error", timeout=8)
            return False
        self.dismiss(outcome if outcome is not None else True)
        return True

    def unsaved_input(self) -> str:
        if self._initial is None or not self.is_mounted or self.values() == self._initial:
            return ""
        title = self.title_text
        return title.plain if isinstance(title, Text) else title

    def discard_input(self) -> None:
        self.dismiss(None)

    def action_cancel(self) -> None:
        """Esc: close; when something was typed, first ask whether to save it."""
        ask_before_leaving(self.app, [self], self._close_unchanged)

    def _close_unchanged(self) -> None:
        if self.is_current:
            self.dismiss(None)

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = list(self.query(Input))
        if event.input is inputs[-1]:
            self.action_submit()
        else:
            self.focus_next()

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)  # the button says it: nothing is kept


class ChoiceDialog(_Dialog):
    """Choose one of ``options`` ((id, text) pairs); type to filter. Dismisses with the id or None."""

    BINDINGS = [
        binding("escape", "cancel", "dialog.cancel"),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]

    def __init__(
        self, title: str, options: Sequence[tuple[str, str]], *, filter_placeholder: str = ""
    ) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.options = list(options)
        self.filter_placeholder = filter_placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box choice"):
            yield Label(_literal(self.title_text), classes="dialog-title")
            yield Input(placeholder=self.filter_placeholder, id="choice-filter", compact=True)
            yield OptionList(*self._build(""), id="choice-list")
        yield PdsaFooter()

    def _build(self, text: str) -> list[Option]:
        needle = text.strip().lower()
        return [Option(rich_text(label), id=key) for key, label in self.options if needle in label.lower()]

    def on_mount(self) -> None:
        option_list = self.query_one("#choice-list", OptionList)
        if option_list.option_count:
            option_list.highlighted = 0
        self.query_one("#choice-filter", Input).focus()

    def action_move(self, step: int) -> None:
        option_list = self.query_one("#choice-list", OptionList)
        if option_list.option_count:
            current = option_list.highlighted if option_list.highlighted is not None else -step
            option_list.highlighted = max(0, min(option_list.option_count - 1, current + step))

    @on(Input.Changed, "#choice-filter")
    def _filter(self, event: Input.Changed) -> None:
        option_list = self.query_one("#choice-list", OptionList)
        option_list.set_options(self._build(event.value))
        if option_list.option_count:
            option_list.highlighted = 0

    @on(Input.Submitted, "#choice-filter")
    def _pick_highlighted(self, event: Input.Submitted) -> None:
        event.stop()
        option_list = self.query_one("#choice-list", OptionList)
        if option_list.option_count:
            option = option_list.get_option_at_index(option_list.highlighted or 0)
            self.dismiss(option.id)

    @on(OptionList.OptionSelected, "#choice-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


def _literal(text: str | Text) -> Text:
    """A title or label that may quote user text (a name, a cycle title), shown as typed."""
    return text if isinstance(text, Text) else rich_text(text)
