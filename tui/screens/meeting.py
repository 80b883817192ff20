"""Meeting mode: the monthly tavlemøde on a projector, one agenda item at a time, with its evidence.

Key ``7`` (on the bar of screens) shows it for the current team. If the team has an open
meeting it is resumed; otherwise a short form asks who attends (the team's members are
filled in) and the date, and starting the meeting builds the agenda from the data
(:mod:`pdsa_core.meetings`): actions carried over, signals, PDSA cycles due for Study or
Act, missing data, MUSIQ due.

Each item shows its evidence in place (:mod:`tui.screens.meeting_items`): a signal its chart
and what the signal means (improvement or concern), a PDSA cycle its predictions beside the
Do observations and the Study, missing data the months, an action who, when and whether it
is done. Enter opens the item's full screen (indicator, PDSA worksheet, MUSIQ); Esc there
comes back to the same item. The agenda list on the left can be hidden (``l``); narrow
screens and the large view (``z``) hide it.

Keys: ``→``/``n`` next item, ``←``/``p`` previous, ``Enter`` open, ``d`` decision, ``a``
action (what, who, by when), ``o`` note on the item, ``x`` an action done (again: open),
``s`` Study of a cycle, ``f`` its Act decision, ``i`` enter missing values, ``e``
attendance, ``c`` close the meeting and show the minutes, ``Esc`` back. Only the keys that
apply to the current item are offered. Every change is saved at once through the
workspace, so the CLI (``pdsa meeting show``) sees the same meeting.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual import events, on
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from pdsa_core.domain import CycleStatus
from pdsa_core.errors import PdsaError
from pdsa_core.i18n import add_texts, t
from pdsa_core.literal import rich_text
from pdsa_core.meetings import close_meeting, months_missing, refresh_agenda, section_title, start_meeting
from pdsa_core.meetings import minutes as meeting_minutes
from tui.dialogs import meeting as dialogs
from tui.keys import binding
from tui.screens.base import PdsaScreen
from tui.screens.meeting_items import ItemEvidence

add_texts(
    {
        "tui.key.meeting.next": ("Næste", "Next"),
        "tui.key.meeting.previous": ("Forrige", "Previous"),
        "tui.key.meeting.open": ("Åbn", "Open"),
        "tui.key.meeting.decide": ("Beslutning", "Decision"),
        "tui.key.meeting.action": ("Handling", "Action"),
        "tui.key.meeting.note": ("Note", "Note"),
        "tui.key.meeting.done": ("Udført", "Done"),
        "tui.key.meeting.study": ("Study", "Study"),
        "tui.key.meeting.act": ("Act", "Act"),
        "tui.key.meeting.values": ("Indtast", "Enter values"),
        "tui.key.meeting.attendance": ("Deltagere", "Attendance"),
        "tui.key.meeting.list": ("Vis/skjul dagsorden", "Show/hide agenda"),
        "tui.key.meeting.close": ("Afslut møde", "Close meeting"),
        "tui.key.meeting.back": ("Tilbage", "Back"),
        "tui.key.meeting.new": ("Nyt møde", "New meeting"),
        "tui.meeting.title": ("Tavlemøde", "Team meeting"),
        "tui.meeting.start_intro": (
            "Start mødet: dagsordenen bygges ud fra teamets data.",
            "Start the meeting: the agenda is built from the team's data.",
        ),
        "tui.meeting.attendees": ("Deltagere (adskil med komma)", "Attendees (separate with commas)"),
        "tui.meeting.date": ("Dato (ÅÅÅÅ-MM-DD)", "Date (YYYY-MM-DD)"),
        "tui.meeting.start": ("Start mødet", "Start the meeting"),
        "tui.meeting.empty": (
            "Intet på dagsordenen: ingen signaler, ingen cirkler til Study/Act, ingen åbne handlinger.",
            "Nothing on the agenda: no signals, no cycles due, no open actions.",
        ),
        "tui.meeting.item_of": ("Punkt {n} af {total}", "Item {n} of {total}"),
        "tui.meeting.note": ("Note", "Note"),
        "tui.meeting.decisions_here": ("Beslutninger", "Decisions"),
        "tui.meeting.actions_here": ("Handlinger", "Actions"),
        "tui.meeting.present": ("Til stede", "Present"),
        "tui.meeting.nobody": ("ingen registreret", "none recorded"),
        "tui.meeting.counts": (
            "Beslutninger: {d} · nye handlinger: {a}",
            "Decisions: {d} · new actions: {a}",
        ),
        "tui.meeting.closed_note": (
            "Mødet er afsluttet, og referatet er gemt. m starter et nyt møde; Esc går tilbage.",
            "The meeting is closed and the minutes are saved. m starts a new meeting; Esc goes back.",
        ),
        "tui.meeting.action_done": ("Handlingen er udført: {text}", "The action is done: {text}"),
        "tui.meeting.action_open": ("Handlingen er åben igen: {text}", "The action is open again: {text}"),
    }
)

#: below this width the agenda list is hidden (``l`` shows it)
NARROW = 110

#: actions that only apply to one kind of agenda item
KIND_ACTIONS = {"toggle_done": "action", "study": "cycle", "act": "cycle", "enter_values": "missing_data"}
#: actions that record something in a running meeting
RECORDING = {
    "decide",
    "add_action",
    "note",
    "attendance",
    "close_meeting",
    "next_item",
    "previous_item",
    "open_item",
    "toggle_list",
    *KIND_ACTIONS,
}


class ItemPanel(Vertical, can_focus=True):
    """The current item (focusable, so the screen's keys work when the agenda list is hidden)."""


class MeetingScreen(PdsaScreen):
    """A team's meeting, item by item (see the module docstring)."""

    MODE = "meeting"

    SCOPED_CSS = False  # the rules below also follow the app's large view (App.-large)
    DEFAULT_CSS = """
    MeetingScreen #meeting-status { height: auto; max-height: 2; padding: 0 1; background: $boost;
        color: $text; text-wrap: nowrap; text-overflow: ellipsis; }
    App.-large MeetingScreen #meeting-status { max-height: 1; }
    MeetingScreen #meeting-start { padding: 1 2; height: auto; }
    MeetingScreen #meeting-start Input { max-width: 80; margin-bottom: 1; }
    MeetingScreen #meeting-start .intro { text-style: bold; margin-bottom: 1; }
    MeetingScreen #meeting-body { height: 1fr; }
    MeetingScreen #agenda-list { width: 36; height: 1fr; border-right: solid $primary; }
    MeetingScreen.-no-list #agenda-list { display: none; }
    MeetingScreen #item-panel { height: 1fr; padding: 0 1; }
    MeetingScreen #item-head { height: auto; border-bottom: heavy $primary; }
    MeetingScreen #item-head.-urgent { border-bottom: heavy $warning; }
    MeetingScreen #item-recorded { height: auto; max-height: 8; border-top: solid $primary 40%; }
    MeetingScreen #item-recorded.-empty { display: none; }
    MeetingScreen #minutes { height: 1fr; padding: 0 2; }
    MeetingScreen .-hidden { display: none; }
    App.-large MeetingScreen #agenda-list { display: none; }
    App.-large MeetingScreen #item-panel { padding: 0 0; }
    App.-large MeetingScreen #item-head, App.-large MeetingScreen ItemEvidence { text-style: bold; }
    App.-large MeetingScreen #ev-hint { display: none; }
    """

    BINDINGS = [
        binding("right,n,pagedown", "next_item", "meeting.next"),
        binding("left,p,pageup", "previous_item", "meeting.previous", show=False),
        binding("enter", "open_item", "meeting.open", show=False),
        binding("d", "decide", "meeting.decide"),
        binding("a", "add_action", "meeting.action"),
        binding("o", "note", "meeting.note", show=False),
        binding("x", "toggle_done", "meeting.done"),
        binding("s", "study", "meeting.study"),
        binding("f", "act", "meeting.act"),
        binding("i", "enter_values", "meeting.values"),
        binding("e", "attendance", "meeting.attendance", show=False),
        binding("l", "toggle_list", "meeting.list", show=False),
        binding("c", "close_meeting", "meeting.close"),
        binding("m", "new_meeting", "meeting.new"),
        binding("escape", "leave", "meeting.back"),
    ]

    def __init__(self, workspace: Any, team_id: str, *, date: str | None = None) -> None:
        super().__init__()
        self.ws = workspace
        self.team_id = team_id
        self.date = date
        self.meeting_id: str | None = None
        self.index = 0
        self.meeting_closed = False
        self.show_list: bool | None = None
        """The agenda list shown (True), hidden (False) or as the width allows (None)."""
        self._start_values: tuple[str, str] | None = None

    # -- layout -----------------------------------------------------------------------------------
    def compose_body(self) -> Iterable[Widget]:
        yield Static(id="meeting-status")
        with Vertical(id="meeting-start", classes="-hidden"):
            yield Static(t("tui.meeting.start_intro"), classes="intro")
            yield Label(t("tui.meeting.attendees"))
            yield Input(id="attendees-input")
            yield Label(t("tui.meeting.date"))
            yield Input(id="date-input")
            yield Button(t("tui.meeting.start"), variant="primary", id="start-button")
        with Horizontal(id="meeting-body", classes="-hidden"):
            yield OptionList(id="agenda-list")
            with ItemPanel(id="item-panel"):
                yield Static(id="item-head")
                yield ItemEvidence(id="item-evidence")
                yield Static(id="item-recorded")
        yield Markdown(id="minutes", classes="-hidden")

    def on_mount(self) -> None:
        self._apply_width(self.app.size.width)

    def on_resize(self, event: events.Resize) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        shown = self.show_list if self.show_list is not None else width >= NARROW
        self.set_class(not shown, "-no-list")
        if not shown and self.focused is not None and self.focused.id == "agenda-list":
            self.query_one("#item-panel").focus()

    async def relabel(self) -> None:
        """The language changed: rebuild the texts, keeping what the start form holds."""
        if self.meeting_id is None:
            self._start_values = (
                self.query_one("#attendees-input", Input).value,
                self.query_one("#date-input", Input).value,
            )
        await super().relabel()

    # -- showing the workspace ------------------------------------------------------------------------
    def refresh_data(self) -> None:
        team = self.ws.team(self.team_id)
        self.title = t("tui.meeting.title")
        self.sub_title = team.name
        if self.meeting_closed:
            self._show_minutes()
            return
        if self.meeting_id is None:
            running = self.ws.open_meeting(team.id)
            if running is None:
                self._show_start_form(team)
                return
            self.meeting_id = running.id
            if self.ws.meeting_agenda(running.id) is None:
                refresh_agenda(self.ws, running.id)  # a meeting saved without an agenda gets one now
                self.pdsa.changed()
                return
        if self.query_one("#meeting-body").has_class("-hidden"):
            self._show_meeting()
        else:
            self._render_item()

    def action_new_meeting(self) -> None:
        """After a closed meeting: the start form for the next one."""
        self.meeting_closed = False
        self.meeting_id = None
        self.index = 0
        self.query_one("#minutes").add_class("-hidden")
        self.sync()

    def _show_start_form(self, team: Any) -> None:
        self.query_one("#meeting-body").add_class("-hidden")
        self.query_one("#minutes").add_class("-hidden")
        form = self.query_one("#meeting-start")
        attendees = self.query_one("#attendees-input", Input)
        date = self.query_one("#date-input", Input)
        if form.has_class("-hidden"):
            form.remove_class("-hidden")
            names, day = self._start_values or ("", "")
            attendees.value = names or ", ".join(m.name for m in team.members)
            # the workspace's day: a demo tells its story on its own day (settings "as_of")
            date.value = day or self.date or self.ws.today()
            self._start_values = None
            attendees.focus()
        self.query_one("#meeting-status", Static).update(rich_text(team.name, "bold"))
        self.refresh_bindings()

    # -- starting ------------------------------------------------------------------------------------
    @on(Button.Pressed, "#start-button")
    def _start_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self._start()

    @on(Input.Submitted, "#attendees-input")
    def _attendees_entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#date-input", Input).focus()

    @on(Input.Submitted, "#date-input")
    def _date_entered(self, event: Input.Submitted) -> None:
        event.stop()
        self._start()

    def _start(self) -> None:
        names = dialogs.split_names(self.query_one("#attendees-input", Input).value)
        day = self.query_one("#date-input", Input).value.strip() or None
        started = self.attempt(start_meeting, self.ws, self.team_id, day, names)
        if started is None:
            return
        self.meeting_id = started.id
        self.index = 0
        self.query_one("#meeting-start").add_class("-hidden")
        self.pdsa.changed()

    # -- showing the meeting ----------------------------------------------------------------------------
    @property
    def agenda(self) -> Any:
        return self.ws.meeting_agenda(self.meeting_id) if self.meeting_id else None

    def _show_meeting(self) -> None:
        self.query_one("#meeting-body").remove_class("-hidden")
        options = self.query_one("#agenda-list", OptionList)
        agenda = self.agenda
        lang = self.pdsa.language
        options.set_options(
            Option(
                Text.assemble(
                    f"{n}. ", ("! " if item.urgent else "", "bold yellow"), rich_text(item.title(lang))
                ),
                id=item.id,
            )
            for n, item in enumerate(agenda.items, start=1)
        )
        self.index = min(self.index, max(len(agenda.items) - 1, 0))
        if agenda.items:
            options.highlighted = self.index
        self._render_item()
        if self.has_class("-no-list") or self.app.has_class("-large"):
            self.query_one("#item-panel").focus()
        else:
            options.focus()

    def heading(self) -> Text:
        """ "3. Nyt signal: F1 …" (the item the dialogs record on), or the meeting itself."""
        item = self._current_item()
        if item is None:
            return Text(t("tui.meeting.dlg.whole_meeting"))
        return rich_text(f"{self.index + 1}. {item.title(self.pdsa.language)}")

    def _render_item(self) -> None:
        meeting = self.ws.meeting(self.meeting_id)
        agenda = self.agenda
        lang = self.pdsa.language
        present = ", ".join(meeting.attendees) if meeting.attendees else t("tui.meeting.nobody")
        status = rich_text(f"{agenda.team_name} · {meeting.date}", "bold")
        if agenda.items:
            status.append("   " + t("tui.meeting.item_of", n=self.index + 1, total=len(agenda.items)), "bold")
        status.append("   ")
        status.append(t("tui.meeting.counts", d=len(meeting.decisions), a=len(meeting.actions)), "dim")
        present_line = Text(f"{t('tui.meeting.present')}: ")
        present_line.append_text(rich_text(present))
        self.query_one("#meeting-status", Static).update(Text("\n").join([status, present_line]))
        head = self.query_one("#item-head", Static)
        evidence = self.query_one("#item-evidence", ItemEvidence)
        recorded = self.query_one("#item-recorded", Static)
        item = self._current_item()
        if item is None:
            head.update(Text(t("tui.meeting.empty"), style="bold"))
            head.remove_class("-urgent")
            evidence.show_nothing()
        else:
            text = Text(section_title(item.kind, lang).upper(), style="bold dim")
            text.append("\n")
            if item.urgent:
                text.append("! ", style="bold yellow")
            text.append_text(rich_text(item.title(lang), "bold"))
            head.update(text)
            head.set_class(item.urgent, "-urgent")
            evidence.show(self.ws, self.team_id, meeting, item, lang)
        notes = self._recorded(meeting, item.id if item else None)
        recorded.update(notes)
        recorded.set_class(not notes.plain, "-empty")
        self.refresh_bindings()

    def _recorded(self, meeting: Any, item_id: str | None) -> Text:
        """The note, decisions and actions recorded on the item in this meeting."""
        extras = self.ws.meeting_extras(meeting.id)
        links = extras.get("links") or {}
        note = (extras.get("item_notes") or {}).get(item_id or "", "")
        decisions = [
            d
            for i, d in enumerate(meeting.decisions)
            if (links.get("decisions") or {}).get(str(i)) == item_id
        ]
        actions = [a for a in meeting.actions if (links.get("actions") or {}).get(a.id) == item_id]
        out = Text()
        if note:
            out.append(f"{t('tui.meeting.note')}: ", style="bold")
            out.append_text(rich_text(note))
            out.append("\n")
        if decisions:
            out.append(f"{t('tui.meeting.decisions_here')}:", style="bold")
            for decision in decisions:
                out.append("\n  • ")
                out.append_text(rich_text(decision))
            out.append("\n")
        if actions:
            out.append(f"{t('tui.meeting.actions_here')}:", style="bold")
            for action in actions:
                facts = ", ".join(x for x in (action.owner, action.due) if x)
                out.append("\n  • ")
                out.append_text(rich_text(f"{action.text}{f' ({facts})' if facts else ''}"))
        out.rstrip()
        return out

    def _current_item(self) -> Any:
        agenda = self.agenda
        if agenda is None or not agenda.items:
            return None
        return agenda.items[min(self.index, len(agenda.items) - 1)]

    # -- which keys apply -----------------------------------------------------------------------------
    def _recording(self) -> bool:
        return self.meeting_id is not None and not self.meeting_closed

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "new_meeting":
            return self.meeting_closed
        if action not in RECORDING:
            return True
        if not self._recording():
            return False
        kind = KIND_ACTIONS.get(action)
        item = self._current_item()
        if action == "open_item":
            return item is not None
        if kind is not None:
            if item is None or item.kind != kind:
                return False
            if action in ("study", "act"):
                return self._cycle_open(item)
        return True

    def _cycle_open(self, item: Any) -> bool:
        try:
            cycle = self.ws.cycle(item.refs.get("cycle", ""))
        except PdsaError:
            return False
        return cycle.status not in (CycleStatus.DONE, CycleStatus.ABANDONED)

    # -- navigation ----------------------------------------------------------------------------------
    def action_next_item(self) -> None:
        if self.index < len(self.agenda.items) - 1:
            self._go(self.index + 1)

    def action_previous_item(self) -> None:
        if self.index > 0:
            self._go(self.index - 1)

    def _go(self, index: int) -> None:
        self.index = index
        self.query_one("#agenda-list", OptionList).highlighted = index
        self._render_item()

    @on(OptionList.OptionHighlighted, "#agenda-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if self._recording() and event.option_index != self.index:
            self.index = event.option_index
            self._render_item()

    @on(OptionList.OptionSelected, "#agenda-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open_item()

    def action_toggle_list(self) -> None:
        self.show_list = self.has_class("-no-list")
        self._apply_width(self.app.size.width)
        if self.show_list:
            self.query_one("#agenda-list").focus()
        else:
            self.query_one("#item-panel").focus()

    def action_leave(self) -> None:
        self.pdsa.leave_mode()

    def action_open_item(self) -> None:
        """The item's full screen; Esc there comes back to this item."""
        item = self._current_item()
        if item is None:
            return
        app = self.pdsa
        if item.kind in ("signal", "missing_data"):
            app.open_indicator(item.refs.get("indicator", ""), return_to=self.MODE)
        elif item.kind == "cycle":
            app.open_cycle(item.refs.get("cycle", ""))
        elif item.kind == "musiq":
            app.switch_to("musiq", return_to=self.MODE)
        else:  # an action: the dashboard lists the actions due
            app.switch_to("dashboard", return_to=self.MODE)

    # -- recording -----------------------------------------------------------------------------------
    def _item_id(self) -> str:
        item = self._current_item()
        return item.id if item is not None else ""

    def _record(self, dialog: Any) -> None:
        """Show a recording dialog; once it stored something, the item shows it."""

        def done(result: Any) -> None:
            if result:
                self.pdsa.changed()

        self.app.push_screen(dialog, done)

    def action_decide(self) -> None:
        if self.meeting_id is None:  # no meeting is running (check_action hides the key then)
            return
        self._record(dialogs.decision_dialog(self.ws, self.meeting_id, self._item_id(), self.heading()))

    def action_note(self) -> None:
        item_id = self._item_id()
        if not item_id or self.meeting_id is None:
            return
        current = (self.ws.meeting_extras(self.meeting_id).get("item_notes") or {}).get(item_id, "")
        self._record(dialogs.note_dialog(self.ws, self.meeting_id, item_id, self.heading(), current))

    def action_add_action(self) -> None:
        if self.meeting_id is None:
            return
        self._record(dialogs.action_dialog(self.ws, self.meeting_id, self._item_id(), self.heading()))

    def action_attendance(self) -> None:
        if self.meeting_id is None:
            return
        meeting = self.ws.meeting(self.meeting_id)
        heading = rich_text(f"{meeting.date}")
        self._record(dialogs.attendance_dialog(self.ws, self.meeting_id, heading, meeting.attendees))

    def action_study(self) -> None:
        item = self._current_item()
        cycle = self.attempt(self.ws.cycle, item.refs.get("cycle", ""))
        if cycle is None:
            return

        def done(updated: Any) -> None:
            if updated:
                self.notify(t("tui.meeting.study_saved", title=updated.title), timeout=3)
                self.pdsa.changed()

        self.app.push_screen(dialogs.study_dialog(self.ws, cycle), done)

    def action_act(self) -> None:
        item = self._current_item()
        self.pdsa.act_on(item.refs.get("cycle", ""))

    def action_enter_values(self) -> None:
        item = self._current_item()
        code = item.refs.get("indicator", "")
        indicator = self.attempt(self.ws.indicator, self.team_id, code)
        if indicator is None:
            return
        meeting = self.ws.meeting(self.meeting_id)
        months = (
            months_missing(self.ws, self.team_id, code, meeting.date)
            if self.ws.measurements(self.team_id, code)
            else []
        )

        def done(count: Any) -> None:
            if count:
                self.notify(t("tui.meeting.values_saved", code=code, n=count), timeout=3)
                self.pdsa.changed()

        self.app.push_screen(dialogs.values_dialog(self.ws, indicator, months, self.pdsa.language), done)

    def action_toggle_done(self) -> None:
        item = self._current_item()
        found = self.attempt(self.ws.action, item.refs.get("action", ""), team_ref=self.team_id)
        if found is None:
            return
        _, action = found
        if action.done:
            changed = self.attempt(self.ws.reopen_action, action.id)
            message = "tui.meeting.action_open"
        else:
            changed = self.attempt(self.ws.complete_action, action.id)
            message = "tui.meeting.action_done"
        if changed is not None:
            self.notify(t(message, text=action.text), timeout=3)
            self.pdsa.changed()

    def action_close_meeting(self) -> None:
        def done(confirmed: bool | None) -> None:
            if confirmed and self.attempt(close_meeting, self.ws, self.meeting_id) is not None:
                self.meeting_closed = True
                self._show_minutes()
                self.pdsa.changed()

        self.app.push_screen(dialogs.close_dialog(), done)

    def _show_minutes(self) -> None:
        if self.meeting_id is None:
            return
        self.query_one("#meeting-body").add_class("-hidden")
        minutes = self.query_one("#minutes", Markdown)
        minutes.remove_class("-hidden")
        minutes.update(meeting_minutes(self.ws, self.meeting_id, lang=self.pdsa.language))
        self.query_one("#meeting-status", Static).update(Text(t("tui.meeting.closed_note"), style="bold"))
        minutes.focus()
        self.refresh_bindings()
