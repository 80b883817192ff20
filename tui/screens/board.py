"""The PDSA board: one column per status (``BOARD_ORDER``); cycles move with the keys.

Moving calls ``ws.set_cycle_status`` (starting and ending a cycle annotates its indicators);
finishing a cycle goes through the Act decision (``ws.act``): adopt, adapt (the next cycle
of the ramp is planned with the plan carried over) or abandon.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual import events, on
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from pdsa_core.domain import BOARD_ORDER, CycleStatus, PdsaCycle
from pdsa_core.errors import PdsaError
from pdsa_core.i18n import t
from pdsa_core.literal import visible
from tui.dialogs.common import ConfirmDialog
from tui.format import wrap_words
from tui.keys import binding
from tui.screens.base import PdsaScreen

#: statuses in the order a cycle normally goes through them
FORWARD = [CycleStatus.PLANNED, CycleStatus.DOING, CycleStatus.STUDYING, CycleStatus.ACTING]
#: where "back" takes a cycle
BACK = {
    CycleStatus.DOING: CycleStatus.PLANNED,
    CycleStatus.STUDYING: CycleStatus.DOING,
    CycleStatus.ACTING: CycleStatus.STUDYING,
    CycleStatus.DONE: CycleStatus.ACTING,
    CycleStatus.ABANDONED: CycleStatus.PLANNED,
}
CLOSED = (CycleStatus.DONE, CycleStatus.ABANDONED)
#: below this width the closed columns are hidden unless asked for (o): at 120 columns the four
#: open ones get 30 characters each, so titles wrap between words
NARROW = 160


class CycleColumn(OptionList):
    """The cycles of one status."""

    def __init__(self, status: CycleStatus) -> None:
        super().__init__(id=f"col-{status.value}", classes="board-list")
        self.status = status


class BoardScreen(PdsaScreen):
    MODE = "board"
    BINDINGS = [
        binding("n", "new", "board.new"),
        binding("shift+right,right_square_bracket", "forward", "board.forward"),
        binding("shift+left,left_square_bracket", "back", "board.back"),
        binding("a", "act", "board.act"),
        binding("x", "abandon", "board.abandon", show=False),
        binding("delete", "delete", "board.delete", show=False),
        binding("o", "closed", "board.closed", show=False),
        binding("left", "column(-1)", "board.left", show=False),
        binding("right", "column(1)", "board.right", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.cycles: dict[str, PdsaCycle] = {}
        self.show_closed: bool | None = None
        self.focus_cycle: str | None = None
        self._ideas: dict[str, str] = {}

    def compose_body(self) -> Iterable[Widget]:
        yield Static(t("tui.board.empty"), id="board-empty")
        with Horizontal(id="board"):
            for status in BOARD_ORDER:
                with Vertical(classes="board-col", id=f"colbox-{status.value}"):
                    # the status cut with "…" and its count always whole, on one line: a long
                    # Danish status never pushes its column down
                    with Horizontal(classes="board-title"):
                        yield Label(t(f"status.{status.value}"), classes="board-status", markup=False)
                        yield Label("", classes="board-count", id=f"title-{status.value}")
                    yield CycleColumn(status)

    def on_mount(self) -> None:
        self._apply_width(self.app.size.width)

    def on_resize(self, event: events.Resize) -> None:
        self._apply_width(event.size.width)
        self.call_after_refresh(self._fill_columns)  # the cards wrap to the new widths

    def _apply_width(self, width: int) -> None:
        show = self.show_closed if self.show_closed is not None else width >= NARROW
        for status in CLOSED:
            self.query_one(f"#colbox-{status.value}").display = show

    # -- data -----------------------------------------------------------------------------------
    def refresh_data(self) -> None:
        team_id = self.pdsa.team_id
        focused = self.current_cycle()
        keep = self.focus_cycle or (focused.id if focused else None)
        self.focus_cycle = None
        try:
            cycles = self.pdsa.ws.cycles(team_id) if team_id else []
            ideas = {n.id: n.text for n in self.pdsa.ws.diagram(team_id).nodes} if team_id else {}
        except PdsaError as exc:
            self.pdsa.show_error(exc)
            return
        self.cycles = {c.id: c for c in cycles}
        self._ideas = ideas
        self.query_one("#board-empty").display = not cycles
        target = self._fill_columns(keep)
        if target is not None:
            if not target.display or not target.parent or not target.parent.display:
                self.show_closed = True
                self._apply_width(self.app.size.width)
                self.call_after_refresh(self._fill_columns)
            target.focus()
        elif self.focused is None or not isinstance(self.focused, CycleColumn):
            first = next((c for c in self.query(CycleColumn) if c.option_count), None)
            (first or self.query_one(CycleColumn)).focus()

    def _fill_columns(self, keep: str | None = None) -> CycleColumn | None:
        """Put the cards in their columns, wrapped to each column's width, a line between two
        cards; returns the column holding ``keep`` (without it, highlighted cards stay)."""
        cycles = list(self.cycles.values())
        target: CycleColumn | None = None
        for column in self.query(CycleColumn):
            if keep is None and column.highlighted is not None and column.option_count:
                current = column.get_option_at_index(column.highlighted).id
            else:
                current = keep
            items = [c for c in cycles if c.status is column.status]
            # the cards' own padding (one column each side) is not theirs to write in
            width = max(8, (column.scrollable_content_region.width or 18) - 2)
            options: list[Option | None] = []
            for cycle in items:
                if options:
                    options.append(None)  # a line between two cards
                options.append(Option(self._prompt(cycle, self._ideas, width), id=cycle.id))
            column.set_options(options)
            self.query_one(f"#title-{column.status.value}", Label).update(f" {len(items)}")
            ids = [c.id for c in items]
            if current in ids:
                column.highlighted = ids.index(current)
                if keep is not None:
                    target = column
            elif items:
                column.highlighted = 0
        return target

    def _prompt(self, cycle: PdsaCycle, ideas: dict[str, str], width: int) -> Text:
        """A card: the title in bold, then owner and start date, the change idea (two lines at
        most) and the Act decision, every line broken between words to fit ``width``."""
        lines = [Text(line, style="bold") for line in wrap_words(visible(cycle.title), width)]
        idea = ideas.get(cycle.change_idea, "")
        if idea and cycle.title.lower().startswith(idea.lower()):
            idea = ""  # the title already says it
        who = [visible(d) for d in (cycle.owner, cycle.start_date) if d]
        if len(" · ".join(who)) <= width:
            who = [" · ".join(who)] if who else []
        lines += [Text(line, style="dim") for part in who for line in wrap_words(part, width)]
        if idea:
            idea_lines = wrap_words(visible(idea), width)
            if len(idea_lines) > 2:
                last = idea_lines[1]
                idea_lines = [idea_lines[0], (last[: width - 1] if len(last) >= width else last) + "…"]
            lines += [Text(line, style="dim italic") for line in idea_lines]
        if cycle.act_decision.value:
            lines.append(Text(t(f"tui.act.decided.{cycle.act_decision.value}"), style="italic"))
        return Text("\n").join(lines)

    def current_cycle(self) -> PdsaCycle | None:
        focused = self.focused
        if isinstance(focused, CycleColumn) and focused.highlighted is not None and focused.option_count:
            option_id = focused.get_option_at_index(focused.highlighted).id
            return self.cycles.get(option_id or "")
        return None

    # -- actions --------------------------------------------------------------------------------
    @on(OptionList.OptionSelected, ".board-list")
    def _open(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.pdsa.open_cycle(event.option.id)

    def action_new(self) -> None:
        self.pdsa.new_cycle()

    def action_column(self, step: int) -> None:
        columns = [c for c in self.query(CycleColumn) if c.parent is not None and c.parent.display]
        if not columns:
            return
        focused = self.focused
        index = columns.index(focused) if focused in columns else 0
        columns[(index + step) % len(columns)].focus()

    def action_forward(self) -> None:
        cycle = self.current_cycle()
        if cycle is None:
            return
        if cycle.status is CycleStatus.ACTING:
            self.action_act()
            return
        if cycle.status not in FORWARD:  # done or abandoned: nothing comes after
            return
        self._move(cycle, FORWARD[FORWARD.index(cycle.status) + 1])

    def action_back(self) -> None:
        cycle = self.current_cycle()
        if cycle is not None and cycle.status in BACK:
            self._move(cycle, BACK[cycle.status])

    def _move(self, cycle: PdsaCycle, status: CycleStatus) -> None:
        moved = self.attempt(self.pdsa.ws.set_cycle_status, cycle.id, status.value)
        if moved is not None:
            self.focus_cycle = moved.id
            self.notify(t("tui.cycle.moved", title=moved.title, status=t(f"status.{moved.status.value}")))
            self.pdsa.changed()

    def action_act(self) -> None:
        cycle = self.current_cycle()
        if cycle is not None:
            self.pdsa.act_on(cycle.id, on_done=self._acted)

    def _acted(self, cycle: PdsaCycle, follow_up: PdsaCycle | None) -> None:
        self.focus_cycle = follow_up.id if follow_up else cycle.id

    def action_abandon(self) -> None:
        cycle = self.current_cycle()
        if cycle is None or cycle.status is CycleStatus.ABANDONED:
            return

        def confirmed(yes: Any) -> None:
            if yes:
                self._move(cycle, CycleStatus.ABANDONED)

        self.app.push_screen(ConfirmDialog(t("tui.cycle.abandon_q", title=cycle.title)), confirmed)

    def action_delete(self) -> None:
        cycle = self.current_cycle()
        if cycle is None:
            return

        def confirmed(yes: Any) -> None:
            if yes and self.attempt(self.pdsa.ws.delete_cycle, cycle.id) is not None:
                self.notify(t("tui.cycle.deleted", title=cycle.title))
                self.pdsa.changed()

        self.app.push_screen(
            ConfirmDialog(t("tui.cycle.delete_q", title=cycle.title), yes=t("tui.diagram.delete_yes")),
            confirmed,
        )

    def action_closed(self) -> None:
        shown = self.query_one(f"#colbox-{CycleStatus.DONE.value}").display
        self.show_closed = not shown
        self._apply_width(self.app.size.width)
