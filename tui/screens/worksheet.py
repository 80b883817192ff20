"""The PDSA worksheet of one cycle: Plan, Do, Study, Act (the fields of the IHI worksheet).

The screen remembers what it showed for each field (``seen``). Saving sends only the fields
the user changed, with what they saw (``ws.update_cycle(…, seen=)``): fields someone else
changed meanwhile keep the other user's text, and a field both changed is a conflict that
names both values, who and when (nothing is saved; the field is marked). When the cycle
changes elsewhere (a live update, another process), :meth:`WorksheetScreen.sync` loads the
new text into the fields the user has not touched, marks them, and marks the touched fields
that were changed underneath. Moving to the next phase saves first, then calls
``ws.set_cycle_status``; the Act decision calls ``ws.act``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Header, Input, Label, Select, SelectionList, Static, TextArea

from pdsa_core.domain import CycleStatus, PdsaCycle
from pdsa_core.errors import PdsaError
from pdsa_core.i18n import t
from pdsa_core.literal import rich_text
from pdsa_core.services.merge import EditConflict, same
from tui.dialogs.cycle import change_idea_options
from tui.keys import binding, localize_bindings
from tui.screens.board import BACK, FORWARD
from tui.unsaved import FieldKeys, ask_before_leaving
from tui.widgets.footer import PdsaFooter

if TYPE_CHECKING:  # pragma: no cover
    from tui.app import PdsaApp

#: (section, [(field, kind)]) in worksheet order; kind "input" is one line, "text" several
SECTIONS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "plan",
        [
            ("title", "input"),
            ("change_idea", "select"),
            ("owner", "input"),
            ("objective", "text"),
            ("questions", "text"),
            ("predictions", "text"),
            ("plan_who", "input"),
            ("plan_what", "input"),
            ("plan_when", "input"),
            ("plan_where", "input"),
            ("data_to_collect", "text"),
            ("indicators", "indicators"),
        ],
    ),
    ("do", [("do_observations", "text")]),
    ("study", [("study_results", "text")]),
    ("act", [("next_step", "text")]),
]
LABELS = {"title": "tui.ws.title", "change_idea": "change_idea", "owner": "owner"}
#: how a marked field's label starts (readable without colour)
MARKS = {"changed": "⟳", "conflict": "⚠"}
FIELD_NAMES = tuple(name for _, fields in SECTIONS for name, _ in fields)


def _shown(cycle: PdsaCycle, name: str) -> Any:
    """A stored field as the form holds it (text, or the indicator codes as a tuple)."""
    return _as_shown(name, getattr(cycle, name))


def _as_shown(name: str, value: Any) -> Any:
    if name == "indicators":
        return tuple(value or ())
    return "" if value is None else str(getattr(value, "value", value))


def _text(value: Any) -> str:
    return ", ".join(value) if isinstance(value, list | tuple) else str(value or "")


class WorksheetScreen(FieldKeys, Screen[None]):
    BINDINGS = [
        binding("ctrl+s", "save", "worksheet.save"),
        binding("escape", "close", "worksheet.close"),
        # F6/F7 select text in a text area, so the phase keys are F3/F4 (or Ctrl+B/Ctrl+F)
        binding("f4,ctrl+f", "forward", "worksheet.forward"),
        binding("f3,ctrl+b", "back", "worksheet.back"),
        binding("f8", "act", "worksheet.act"),
    ]

    def __init__(self, cycle_id: str) -> None:
        super().__init__(classes="worksheet")
        self.cycle_id = cycle_id
        self.cycle: PdsaCycle | None = None
        #: field -> the value this screen showed (what an edit of the field started from)
        self.seen: dict[str, Any] = {}
        #: field -> (another user's value a conflict message showed, what the user had typed then)
        self.acknowledged: dict[str, tuple[Any, Any]] = {}

    @property
    def pdsa(self) -> PdsaApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        cycle = self.cycle = self.pdsa.ws.cycle(self.cycle_id)
        self.seen = {name: _shown(cycle, name) for name in FIELD_NAMES}
        self.acknowledged = {}
        yield Header(icon="◆")
        yield Static(id="ws-status")
        with VerticalScroll(id="ws-body"):
            for section, fields in SECTIONS:
                yield Label(t(f"tui.ws.{section}"), classes="ws-section")
                if section == "act":
                    yield Static(id="ws-decision")
                for name, kind in fields:
                    with Horizontal(classes=f"ws-row -{kind}"):
                        yield Label(t(LABELS.get(name, f"tui.ws.{name}")), classes="ws-label")
                        yield self._field(cycle, name, kind)
                if section == "act":
                    with Horizontal(classes="ws-buttons"):
                        yield Button(t("tui.ws.act_button"), id="ws-act", variant="primary")
        yield PdsaFooter()

    def _field(self, cycle: PdsaCycle, name: str, kind: str) -> Any:
        ws = self.pdsa.ws
        widget_id = f"ws-{name}"
        value = getattr(cycle, name)
        if kind == "text":
            area = TextArea(str(value or ""), id=widget_id, classes="ws-text", compact=True)
            area.show_line_numbers = False
            return area
        if kind == "select":
            options = change_idea_options(ws, cycle.team_id)
            known = [v for _, v in options]
            return Select(
                [(rich_text(label), v) for label, v in options],
                value=value if value in known else "",
                allow_blank=False,
                id=widget_id,
                compact=True,
            )
        if kind == "indicators":
            choices = [
                (rich_text(f"{i.code} {i.name(self.pdsa.language)}"), i.code, i.code in cycle.indicators)
                for i in ws.indicators(cycle.team_id)
            ]
            return SelectionList[str](*choices, id=widget_id, compact=True)
        return Input(str(value or ""), id=widget_id, compact=True)

    def on_mount(self) -> None:
        localize_bindings(self)
        self._show_status()
        self.query_one("#ws-title", Input).focus()

    async def relabel(self) -> None:
        if self.save(quiet=True):
            await self.show_cycle(self.cycle_id)

    def sync(self) -> None:
        """The cycle changed (here, elsewhere, a status move): reload what the user has not touched."""
        try:
            cycle = self.pdsa.ws.cycle(self.cycle_id)
        except PdsaError as exc:
            self.pdsa.show_error(exc)
            return
        self._reload(cycle)
        self._show_status()

    def _reload(self, cycle: PdsaCycle) -> None:
        """Take ``cycle`` as the stored state: untouched fields show it, touched ones keep the typing.

        A field changed elsewhere is marked (``-changed``: reloaded with the other user's text;
        ``-conflict``: the user's typing and someone else's change of the same field).
        """
        self.cycle = cycle
        typed = self.values()
        for name in FIELD_NAMES:
            stored = _shown(cycle, name)
            was = self.seen.get(name)
            if same(stored, was):
                continue
            stamp = cycle.edits.get(name) or {}
            who = t("tui.ws.changed_by", by=stamp.get("by") or "?", at=stamp.get("at") or "?")
            if same(typed[name], was):  # untouched: show the new text
                self._set(name, stored)
                self.seen[name] = stored
                self._mark(name, "changed", who)
            elif same(typed[name], stored):  # the other user typed the same: nothing to merge
                self.seen[name] = stored
            else:  # touched here and changed there: saving it will be a conflict
                self._mark(name, "conflict", t("tui.ws.conflict_field", theirs=_text(stored), who=who))

    def _mark(self, name: str, kind: str, tooltip: str) -> None:
        """Mark a field's row: "changed" (reloaded with another user's text), "conflict", or ""."""
        row = self.query_one(f"#ws-{name}").parent
        assert isinstance(row, Horizontal)
        row.remove_class("-changed", "-conflict")
        label = row.query_one(".ws-label", Label)
        text = t(LABELS.get(name, f"tui.ws.{name}"))
        if kind:
            row.add_class(f"-{kind}")
            text = f"{MARKS[kind]} {text}"
        label.update(text)
        row.tooltip = tooltip or None

    def _set(self, name: str, value: Any) -> None:
        widget = self.query_one(f"#ws-{name}")
        if isinstance(widget, TextArea):
            widget.text = str(value or "")
        elif isinstance(widget, Select):
            known = {v for _, v in widget._options}  # noqa: SLF001 - Select keeps its options there
            widget.value = value if value in known else ""
        elif isinstance(widget, SelectionList):
            widget.deselect_all()
            for code in value or ():
                widget.select(code)
        elif isinstance(widget, Input):
            widget.value = str(value or "")

    def _show_status(self) -> None:
        cycle = self.cycle
        if cycle is None:
            return
        self.sub_title = f"{t('tui.screen.worksheet')}: {cycle.title}"
        line = Text.assemble(
            (f" {t('status.' + cycle.status.value)} ", "bold reverse"),
            "  ",
            t("tui.ws.dates", start=cycle.start_date or t("tui.none"), end=cycle.end_date or t("tui.none")),
        )
        try:
            ramp = self.pdsa.ws.ramp(cycle.id)
        except PdsaError:
            ramp = [cycle]
        if len(ramp) > 1:
            chain = " → ".join(f"[{c.title}]" if c.id == cycle.id else c.title for c in ramp)
            line.append("   " + t("tui.ws.ramp", chain=chain), style="italic")
        self.query_one("#ws-status", Static).update(line)
        decision = cycle.act_decision.value
        text = t(f"tui.act.decided.{decision}") if decision else t("tui.ws.no_decision")
        self.query_one("#ws-decision", Static).update(
            Text.assemble((f"{t('tui.ws.decision')}: ", "bold"), text)
        )

    # -- values ---------------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for _, fields in SECTIONS:
            for name, _kind in fields:
                widget = self.query_one(f"#ws-{name}")
                if isinstance(widget, TextArea):
                    result[name] = widget.text
                elif isinstance(widget, Select):
                    result[name] = "" if widget.value is Select.NULL else widget.value
                elif isinstance(widget, SelectionList):
                    result[name] = tuple(widget.selected)
                elif isinstance(widget, Input):
                    result[name] = widget.value
        return result

    def changes(self) -> dict[str, Any]:
        """Fields whose value differs from what this screen showed (the user's edits)."""
        changes: dict[str, Any] = {}
        for name, value in self.values().items():
            if not same(value, self.seen.get(name)):
                changes[name] = list(value) if name == "indicators" else value
        return changes

    def save(self, *, quiet: bool = False) -> bool:
        """Store what the user changed; False when the core refused (the message is shown).

        Only the changed fields are sent, each with what the screen showed for it; the other
        fields keep what is stored, and the screen then shows it.
        """
        assert self.cycle is not None
        changes = self.changes()
        if not changes:
            return True
        seen = {name: self.seen.get(name) for name in changes}
        if not quiet:  # an explicit save of a field edited after the conflict message named theirs
            for name, (theirs, typed) in self.acknowledged.items():
                if name in changes and not same(changes[name], typed):
                    seen[name] = theirs
        try:
            updated = self.pdsa.ws.update_cycle(self.cycle.id, seen=seen, **changes)
        except EditConflict as exc:
            for conflict in exc.conflicts:
                who = t("tui.ws.changed_by", by=conflict.by or "?", at=conflict.at or "?")
                tip = t("tui.ws.conflict_field", theirs=_text(conflict.theirs), who=who)
                self._mark(conflict.field, "conflict", tip)
                # the message named the other value: once the user edits the field again, having
                # seen it, saving (Ctrl+S) replaces it knowingly; saving the same typing again
                # does not
                self.acknowledged[conflict.field] = (
                    _as_shown(conflict.field, conflict.theirs),
                    _as_shown(conflict.field, changes[conflict.field]),
                )
            self.pdsa.show_error(exc)
            self.sync()  # the fields the user did not touch show the other user's text now
            return False
        except PdsaError as exc:
            self.pdsa.show_error(exc)
            return False
        for name in changes:
            self.seen[name] = _shown(updated, name)
            self.acknowledged.pop(name, None)
            self._mark(name, "", "")
        self._reload(updated)
        if not quiet:
            self.notify(t("tui.ws.saved"), timeout=2)
        self.pdsa.changed()
        return True

    # -- what is typed and not saved (tui.unsaved asks before it would be lost) ------------------------
    def unsaved_input(self) -> str:
        if self.cycle is None or not self.is_mounted or not self.changes():
            return ""
        return f"{t('tui.screen.worksheet')}: {self.cycle.title}"

    def save_input(self) -> bool:
        return self.save()

    def discard_input(self) -> None:
        """Nothing to do: the fields go with the screen."""

    # -- actions --------------------------------------------------------------------------------
    def action_save(self) -> None:
        self.save()

    def action_close(self) -> None:
        """Esc: close; when something was typed, first ask whether to save it."""
        ask_before_leaving(self.app, [self], self._close)

    def _close(self) -> None:
        if self.is_current:
            self.dismiss()

    def action_forward(self) -> None:
        if self.cycle is None or not self.save(quiet=True):
            return
        if self.cycle.status is CycleStatus.ACTING:
            self.action_act()
        elif self.cycle.status in FORWARD:
            self._move(FORWARD[FORWARD.index(self.cycle.status) + 1])

    def action_back(self) -> None:
        if self.cycle is None or not self.save(quiet=True):
            return
        if self.cycle.status in BACK:
            self._move(BACK[self.cycle.status])

    def _move(self, status: CycleStatus) -> None:
        assert self.cycle is not None
        moved = self.pdsa.attempt(self.pdsa.ws.set_cycle_status, self.cycle.id, status.value)
        if moved is not None:
            self.cycle = moved
            self.notify(t("tui.cycle.moved", title=moved.title, status=t(f"status.{moved.status.value}")))
            self.pdsa.changed()

    def action_act(self) -> None:
        if self.cycle is None or not self.save(quiet=True):
            return
        self.pdsa.act_on(self.cycle.id, on_done=self._acted)

    def _acted(self, cycle: PdsaCycle, follow_up: PdsaCycle | None) -> None:
        self.cycle = cycle
        self._show_status()
        if follow_up is not None:  # show the next cycle of the ramp
            self.call_next(self.show_cycle, follow_up.id)

    async def show_cycle(self, cycle_id: str) -> None:
        """Show another cycle's worksheet on this screen."""
        self.cycle_id = cycle_id
        await self.recompose()
        self.on_mount()

    @on(Button.Pressed, "#ws-act")
    def _act_pressed(self) -> None:
        self.action_act()
