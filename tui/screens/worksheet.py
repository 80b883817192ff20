"""The PDSA worksheet of one cycle: Plan, Do, Study, Act (the fields of the IHI worksheet).

Saving calls ``ws.update_cycle(…, expected_rev=)``, so a cycle changed by someone else
meanwhile is refused with a conflict message instead of being overwritten. Moving to the
next phase saves first, then calls ``ws.set_cycle_status``; the Act decision calls ``ws.act``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, Select, SelectionList, Static, TextArea

from pdsa_core.domain import CycleStatus, PdsaCycle
from pdsa_core.errors import PdsaError
from pdsa_core.i18n import t
from tui.dialogs.cycle import change_idea_options
from tui.keys import binding, localize_bindings
from tui.screens.board import BACK, FORWARD

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


class WorksheetScreen(Screen[None]):
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

    @property
    def pdsa(self) -> PdsaApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        cycle = self.cycle = self.pdsa.ws.cycle(self.cycle_id)
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
        yield Footer()

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
                options, value=value if value in known else "", allow_blank=False, id=widget_id, compact=True
            )
        if kind == "indicators":
            choices = [
                (f"{i.code} {i.name(self.pdsa.language)}", i.code, i.code in cycle.indicators)
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
        """The cycle changed (a status move, an Act decision, an edit elsewhere): show its status.

        While something typed here is not saved, the cycle it was typed against is kept, so
        saving it reports a change made elsewhere instead of overwriting it.
        """
        try:
            fresh = self.pdsa.ws.cycle(self.cycle_id)
        except PdsaError as exc:
            self.pdsa.show_error(exc)
            return
        if self.cycle is None or not self.changes():
            self.cycle = fresh
        self._show_status()

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
        """Fields whose value differs from the stored cycle."""
        assert self.cycle is not None
        changes: dict[str, Any] = {}
        for name, value in self.values().items():
            stored = getattr(self.cycle, name)
            if name == "indicators":
                if sorted(value) != sorted(stored):
                    changes[name] = list(value)
            elif (value or "") != (stored or ""):
                changes[name] = value
        return changes

    def save(self, *, quiet: bool = False) -> bool:
        """Store what changed; False when the core refused (the message is shown)."""
        assert self.cycle is not None
        changes = self.changes()
        if not changes:
            return True
        updated = self.pdsa.attempt(
            self.pdsa.ws.update_cycle, self.cycle.id, expected_rev=self.cycle.rev, **changes
        )
        if updated is None:
            return False
        self.cycle = updated
        if not quiet:
            self.notify(t("tui.ws.saved"), timeout=2)
        self.pdsa.changed()
        return True

    def leave(self) -> bool:
        """Called before the app leaves this screen: keep what was typed."""
        return self.save(quiet=True)

    # -- actions --------------------------------------------------------------------------------
    def action_save(self) -> None:
        self.save()

    def action_close(self) -> None:
        if self.save(quiet=True):
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
