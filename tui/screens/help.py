"""The help screen: what each screen is for, every key (with its id), remapping, the words."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Header, Label, Markdown, Static

from pdsa_core.i18n import t
from pdsa_core.literal import rich_text
from tui.keys import binding, localize_bindings
from tui.widgets.footer import PdsaFooter

if TYPE_CHECKING:  # pragma: no cover
    from tui.app import PdsaApp


class KeyCapture(ModalScreen[str | None]):
    """ "Press the new key": dismisses with the key's name (escape cancels)."""

    def __init__(self, what: str) -> None:
        super().__init__(classes="dialog")
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(t("tui.help.press_key", what=self.what), classes="dialog-text")

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        self.dismiss(None if event.key == "escape" else event.key)


class HelpScreen(Screen[None]):
    BINDINGS = [
        binding("escape,q,f1", "close", "help.close"),
        binding("r", "remap", "help.remap"),
        binding("delete,backspace", "reset_key", "help.reset"),
    ]

    @property
    def pdsa(self) -> PdsaApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        with VerticalScroll(id="help-body"):
            yield Markdown(t("tui.help.intro"), id="help-intro")
            yield Label(t("tui.help.keys"), classes="section-title")
            yield Static(rich_text(t("tui.help.remap_hint", path=_keymap_path())), classes="hint")
            yield DataTable(id="help-keys", cursor_type="row", zebra_stripes=True)
            yield Markdown(t("tui.help.words"), id="help-words")
        yield PdsaFooter()

    def on_mount(self) -> None:
        localize_bindings(self)
        self.sub_title = t("tui.screen.help")
        table = self.query_one("#help-keys", DataTable)
        table.add_columns(
            t("tui.help.col.where"), t("tui.help.col.key"), t("tui.help.col.what"), t("tui.help.col.id")
        )
        self.fill()
        table.focus()

    async def relabel(self) -> None:
        localize_bindings(self)
        await self.recompose()
        self.on_mount()

    def rows(self) -> list[tuple[str, Binding]]:
        """(where, binding) for the app, every screen and the dialogs, in that order."""
        from tui.dialogs.common import FormDialog

        app = self.pdsa
        owners: list[tuple[str, Any]] = [(t("tui.help.everywhere"), type(app))]
        from tui.modes import screen_classes

        owners += [(t(f"tui.screen.{mode}"), cls) for mode, cls in screen_classes().items()]
        owners += [(name, cls) for name, cls in app.extra_binding_owners()]
        owners += [(t("tui.screen.help"), HelpScreen), (t("tui.help.dialogs"), FormDialog)]
        rows: list[tuple[str, Binding]] = []
        seen: set[str] = set()
        for where, owner in owners:
            for b in getattr(owner, "BINDINGS", []):
                if isinstance(b, Binding) and b.id and b.id not in seen:
                    seen.add(b.id)
                    rows.append((where, b))
        return rows

    def fill(self) -> None:
        table = self.query_one("#help-keys", DataTable)
        row = table.cursor_row
        table.clear()
        for where, b in self.rows():
            table.add_row(where, self.pdsa.keys_for_display(b), t(f"tui.key.{b.id}"), b.id, key=b.id)
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    def action_close(self) -> None:
        self.dismiss()

    def _current_id(self) -> str | None:
        table = self.query_one("#help-keys", DataTable)
        if not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def action_remap(self) -> None:
        binding_id = self._current_id()
        if binding_id is None:
            return

        def chosen(key: str | None) -> None:
            if key:
                self.pdsa.remap(binding_id, key)
                self.fill()

        self.app.push_screen(KeyCapture(t(f"tui.key.{binding_id}")), chosen)

    def action_reset_key(self) -> None:
        binding_id = self._current_id()
        if binding_id is not None:
            self.pdsa.remap(binding_id, None)
            self.fill()

    @on(DataTable.RowSelected, "#help-keys")
    def _selected(self) -> None:
        self.action_remap()


def _keymap_path() -> str:
    from tui.keys import user_keymap_path

    return str(user_keymap_path())
