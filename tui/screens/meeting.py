"""Meeting mode: the monthly tavlemøde on a projector, one agenda item at a time.

:class:`MeetingScreen` is self-contained: ``MeetingScreen(workspace, team_id, date=None)``;
push it from any app. If the team has an open meeting it is resumed; otherwise a short form
asks who attends (the team's members are filled in) and the date, and starting the meeting
builds the agenda from the data (:mod:`pdsa_core.meetings`): actions carried over, signals,
PDSA cycles due for Study or Act, missing data, MUSIQ due.

The current item fills the screen in large, high-contrast text; the agenda list on the left
can be hidden (``l``) to give it the whole width. Keys: ``→``/``n`` next item, ``←``/``p``
previous, ``d`` decision, ``a`` action (what, who, by when), ``o`` note on the item,
``x`` mark a carried-over action done (again: open), ``e`` attendance, ``c`` close the meeting
and show the minutes, ``Esc`` back. Every change is saved at once through the workspace, so
the CLI (``pdsa meeting show``) sees the same meeting.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Footer, Header, Input, Label, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from pdsa_core.domain.common import today_iso
from pdsa_core.errors import PdsaError
from pdsa_core.i18n import add_texts, get_language, t
from tui.keys import binding, localize_bindings

add_texts(
    {
        "tui.key.meeting.next": ("Næste punkt", "Next item"),
        "tui.key.meeting.previous": ("Forrige punkt", "Previous item"),
        "tui.key.meeting.decide": ("Beslutning", "Decision"),
        "tui.key.meeting.action": ("Handling", "Action"),
        "tui.key.meeting.note": ("Note", "Note"),
        "tui.key.meeting.done": ("Udført", "Done"),
        "tui.key.meeting.attendance": ("Deltagere", "Attendance"),
        "tui.key.meeting.list": ("Vis/skjul dagsorden", "Show/hide agenda"),
        "tui.key.meeting.close": ("Afslut mødet", "Close meeting"),
        "tui.key.meeting.back": ("Tilbage", "Back"),
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
        "tui.meeting.done": ("UDFØRT", "DONE"),
        "tui.meeting.open": ("åben", "open"),
        "tui.meeting.present": ("Til stede", "Present"),
        "tui.meeting.nobody": ("ingen registreret", "none recorded"),
        "tui.meeting.counts": (
            "Beslutninger: {d} · nye handlinger: {a}",
            "Decisions: {d} · new actions: {a}",
        ),
        "tui.meeting.ask_decision": ("Beslutning", "Decision"),
        "tui.meeting.ask_note": ("Note til punktet", "Note on the item"),
        "tui.meeting.ask_attendance": ("Deltagere (adskil med komma)", "Attendees (separate with commas)"),
        "tui.meeting.action_text": ("Hvad skal gøres", "What is to be done"),
        "tui.meeting.action_owner": ("Hvem", "Who"),
        "tui.meeting.action_due": ("Frist (ÅÅÅÅ-MM-DD)", "Due (YYYY-MM-DD)"),
        "tui.meeting.save": ("Gem", "Save"),
        "tui.meeting.cancel": ("Annullér", "Cancel"),
        "tui.meeting.confirm_close": (
            "Afslut mødet og skriv referatet? Bagefter kan mødet ikke ændres.",
            "Close the meeting and write the minutes? It cannot change afterwards.",
        ),
        "tui.meeting.yes_close": ("Afslut", "Close"),
        "tui.meeting.not_action": (
            "Dette punkt er ikke en handling.",
            "This item is not an action.",
        ),
        "tui.meeting.closed_note": ("Mødet er afsluttet.", "The meeting is closed."),
        "tui.meeting.saved": ("Gemt.", "Saved."),
    }
)


class TextPrompt(ModalScreen[str | None]):
    """Ask for one line of text (a decision, a note, the attendance)."""

    BINDINGS = [binding("escape", "cancel", "meeting.back")]

    def __init__(self, prompt: str, value: str = "") -> None:
        super().__init__()
        self.prompt, self.value = prompt, value

    def compose(self) -> ComposeResult:
        with Vertical(classes="meeting-dialog"):
            yield Label(self.prompt, classes="dialog-title")
            yield Input(value=self.value, id="prompt-input")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("tui.meeting.save"), variant="primary", id="prompt-save")
                yield Button(t("tui.meeting.cancel"), id="prompt-cancel")

    def on_mount(self) -> None:
        self.query_one("#prompt-input", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(
            self.query_one("#prompt-input", Input).value if event.button.id == "prompt-save" else None
        )

    def action_cancel(self) -> None:
        self.dismiss(None)


class ActionDialog(ModalScreen[tuple[str, str, str] | None]):
    """Ask what is to be done, by whom and by when."""

    BINDINGS = [binding("escape", "cancel", "meeting.back")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="meeting-dialog"):
            yield Label(t("tui.key.meeting.action"), classes="dialog-title")
            yield Label(t("tui.meeting.action_text"))
            yield Input(id="action-text")
            yield Label(t("tui.meeting.action_owner"))
            yield Input(id="action-owner")
            yield Label(t("tui.meeting.action_due"))
            yield Input(id="action-due", placeholder="2024-02-15")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("tui.meeting.save"), variant="primary", id="action-save")
                yield Button(t("tui.meeting.cancel"), id="action-cancel")

    def on_mount(self) -> None:
        self.query_one("#action-text", Input).focus()

    def _values(self) -> tuple[str, str, str]:
        return (
            self.query_one("#action-text", Input).value,
            self.query_one("#action-owner", Input).value,
            self.query_one("#action-due", Input).value,
        )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        order = ["action-text", "action-owner", "action-due"]
        position = order.index(event.input.id or "action-text")
        if position < len(order) - 1:
            self.query_one(f"#{order[position + 1]}", Input).focus()
        else:
            self.dismiss(self._values())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(self._values() if event.button.id == "action-save" else None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmClose(ModalScreen[bool]):
    BINDINGS = [binding("escape", "cancel", "meeting.back")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="meeting-dialog"):
            yield Label(t("tui.meeting.confirm_close"), classes="dialog-title")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("tui.meeting.yes_close"), variant="warning", id="close-yes")
                yield Button(t("tui.meeting.cancel"), id="close-no")

    def on_mount(self) -> None:
        self.query_one("#close-yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "close-yes")

    def action_cancel(self) -> None:
        self.dismiss(False)


class MeetingScreen(Screen[None]):
    """A team's meeting, item by item, in full screen (see the module docstring)."""

    DEFAULT_CSS = """
    MeetingScreen { layout: vertical; }
    MeetingScreen #meeting-status { height: auto; padding: 0 2; background: $boost; color: $text; }
    MeetingScreen #meeting-start { padding: 1 4; height: auto; }
    MeetingScreen #meeting-start Input { width: 80; margin-bottom: 1; }
    MeetingScreen #meeting-start .intro { text-style: bold; margin-bottom: 1; }
    MeetingScreen #meeting-body { height: 1fr; }
    MeetingScreen #agenda-list { width: 38; height: 1fr; border-right: solid $primary; }
    MeetingScreen #agenda-list.-hidden { display: none; }
    MeetingScreen #item-panel { height: 1fr; padding: 1 4; }
    MeetingScreen #item-section { color: $text-muted; text-style: bold; margin-bottom: 1; }
    MeetingScreen #item-title { text-style: bold; color: $text; padding: 1 2; border: heavy $primary;
        margin-bottom: 1; }
    MeetingScreen #item-title.-urgent { border: heavy $warning; color: $warning; }
    MeetingScreen #item-detail { margin-bottom: 1; padding: 0 2; }
    MeetingScreen #item-recorded { padding: 0 2; }
    MeetingScreen #minutes { height: 1fr; padding: 0 2; }
    MeetingScreen .-hidden { display: none; }
    MeetingScreen .meeting-dialog { width: 80; height: auto; padding: 1 2; border: thick $primary;
        background: $surface; }
    TextPrompt, ActionDialog, ConfirmClose { align: center middle; }
    .meeting-dialog .dialog-title { text-style: bold; margin-bottom: 1; }
    .meeting-dialog .dialog-buttons { height: auto; margin-top: 1; }
    .meeting-dialog Button { margin-right: 2; }
    """

    BINDINGS = [
        binding("right,n,pagedown", "next_item", "meeting.next"),
        binding("left,p,pageup", "previous_item", "meeting.previous"),
        binding("d", "decide", "meeting.decide"),
        binding("a", "add_action", "meeting.action"),
        binding("o", "note", "meeting.note"),
        binding("x", "toggle_done", "meeting.done"),
        binding("e", "attendance", "meeting.attendance"),
        binding("l", "toggle_list", "meeting.list", show=False),
        binding("c", "close_meeting", "meeting.close"),
        binding("escape", "leave", "meeting.back"),
    ]

    def __init__(self, workspace: Any, team_id: str, *, date: str | None = None) -> None:
        super().__init__(id="screen-meeting")
        self.ws = workspace
        self.team_id = team_id
        self.date = date
        self.meeting_id: str | None = None
        self.index = 0
        self.meeting_closed = False

    # -- layout -----------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
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
            with VerticalScroll(id="item-panel"):
                yield Static(id="item-section")
                yield Static(id="item-title")
                yield Static(id="item-detail")
                yield Static(id="item-recorded")
        yield Markdown(id="minutes", classes="-hidden")
        yield Footer()

    def on_mount(self) -> None:
        localize_bindings(self)
        team = self.ws.team(self.team_id)
        self.title = f"{t('tui.meeting.title')}: {team.name}"
        running = self.ws.open_meeting(team.id)
        if running is None:
            self._show_start_form(team)
            return
        if self.ws.meeting_agenda(running.id) is None:
            self.ws.refresh_agenda(running.id)  # a meeting saved without an agenda gets one now
        self.meeting_id = running.id
        self._show_meeting()

    def _show_start_form(self, team: Any) -> None:
        self.query_one("#meeting-start").remove_class("-hidden")
        self.query_one("#attendees-input", Input).value = ", ".join(m.name for m in team.members)
        # a demo workspace tells its story on its own day (settings "as_of"), not today
        as_of = str(self.ws.settings().get("as_of") or "")
        self.query_one("#date-input", Input).value = self.date or as_of or today_iso()
        self.query_one("#attendees-input", Input).focus()
        self.query_one("#meeting-status", Static).update(Text(team.name, style="bold"))

    # -- starting ------------------------------------------------------------------------------------
    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "start-button":
            event.stop()
            self._start()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id in ("attendees-input", "date-input"):
            event.stop()
            if event.input.id == "attendees-input":
                self.query_one("#date-input", Input).focus()
            else:
                self._start()

    def _start(self) -> None:
        names = _split_names(self.query_one("#attendees-input", Input).value)
        day = self.query_one("#date-input", Input).value.strip() or None
        started = self._attempt(self.ws.start_meeting, self.team_id, date=day, attendees=names)
        if started is None:
            return
        self.meeting_id = started.id
        self.query_one("#meeting-start").add_class("-hidden")
        self._show_meeting()

    # -- showing -------------------------------------------------------------------------------------
    @property
    def agenda(self) -> Any:
        return self.ws.meeting_agenda(self.meeting_id) if self.meeting_id else None

    def _show_meeting(self) -> None:
        self.query_one("#meeting-body").remove_class("-hidden")
        options = self.query_one("#agenda-list", OptionList)
        options.clear_options()
        agenda = self.agenda
        lang = get_language()
        for number, item in enumerate(agenda.items, start=1):
            mark = "! " if item.urgent else ""
            options.add_option(Option(f"{number}. {mark}{item.title(lang)}", id=item.id))
        self.index = min(self.index, max(len(agenda.items) - 1, 0))
        if agenda.items:
            options.highlighted = self.index
        self._render_item()
        self.query_one("#item-panel").focus()

    def _render_item(self) -> None:
        from pdsa_core.meetings import section_title

        meeting = self.ws.meeting(self.meeting_id)
        agenda = self.agenda
        lang = get_language()
        extras = self.ws.meeting_extras(meeting.id)
        present = ", ".join(meeting.attendees) if meeting.attendees else t("tui.meeting.nobody")
        status = Text()
        status.append(f"{agenda.team_name} · {meeting.date}", style="bold")
        if agenda.items:
            status.append("   " + t("tui.meeting.item_of", n=self.index + 1, total=len(agenda.items)))
        status.append(f"\n{t('tui.meeting.present')}: {present}   ")
        status.append(t("tui.meeting.counts", d=len(meeting.decisions), a=len(meeting.actions)), style="dim")
        self.query_one("#meeting-status", Static).update(status)
        section = self.query_one("#item-section", Static)
        title = self.query_one("#item-title", Static)
        detail = self.query_one("#item-detail", Static)
        recorded = self.query_one("#item-recorded", Static)
        if not agenda.items:
            section.update("")
            title.update(Text(t("tui.meeting.empty")))
            title.remove_class("-urgent")
            detail.update("")
            recorded.update(self._recorded(meeting, extras, None, lang))
            return
        item = agenda.items[self.index]
        section.update(section_title(item.kind, lang).upper())
        heading = Text(item.title(lang))
        if item.kind == "action":
            action = self._action(item)
            if action is not None and action.done:
                heading.append(f"   ✔ {t('tui.meeting.done')}", style="bold green")
        title.update(heading)
        title.set_class(item.urgent, "-urgent")
        detail.update(Text(item.detail(lang)))
        recorded.update(self._recorded(meeting, extras, item.id, lang))

    def _recorded(self, meeting: Any, extras: dict[str, Any], item_id: str | None, lang: str) -> Text:
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
            out.append(note + "\n\n")
        if decisions:
            out.append(f"{t('tui.meeting.decisions_here')}\n", style="bold")
            for decision in decisions:
                out.append(f"  • {decision}\n")
            out.append("\n")
        if actions:
            out.append(f"{t('tui.meeting.actions_here')}\n", style="bold")
            for action in actions:
                facts = ", ".join(x for x in (action.owner, action.due) if x)
                out.append(f"  • {action.text}{f' ({facts})' if facts else ''}\n")
        return out

    def _action(self, item: Any) -> Any:
        wanted = item.refs.get("action")
        for meeting in self.ws.meetings(self.team_id):
            for action in meeting.actions:
                if action.id == wanted:
                    return action
        return None

    def _current_item(self) -> Any:
        agenda = self.agenda
        if agenda is None or not agenda.items:
            return None
        return agenda.items[self.index]

    # -- navigation ----------------------------------------------------------------------------------
    def _recording(self) -> bool:
        return self.meeting_id is not None and not self.meeting_closed

    def action_next_item(self) -> None:
        if self._recording() and self.index < len(self.agenda.items) - 1:
            self._go(self.index + 1)

    def action_previous_item(self) -> None:
        if self._recording() and self.index > 0:
            self._go(self.index - 1)

    def _go(self, index: int) -> None:
        self.index = index
        self.query_one("#agenda-list", OptionList).highlighted = index
        self._render_item()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if self._recording() and event.option_index != self.index:
            self.index = event.option_index
            self._render_item()

    def action_toggle_list(self) -> None:
        self.query_one("#agenda-list").toggle_class("-hidden")

    def action_leave(self) -> None:
        self.dismiss(None)

    # -- recording -----------------------------------------------------------------------------------
    def _attempt(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except PdsaError as exc:
            self.notify(str(exc), title=t("error"), severity="error", timeout=8)
            return None

    def _item_id(self) -> str:
        item = self._current_item()
        return item.id if item is not None else ""

    def action_decide(self) -> None:
        if not self._recording():
            return

        def done(text: str | None) -> None:
            if text and text.strip():
                if self._attempt(self.ws.record_decision, self.meeting_id, text, item=self._item_id()):
                    self._render_item()

        self.app.push_screen(TextPrompt(t("tui.meeting.ask_decision")), done)

    def action_note(self) -> None:
        if not self._recording() or self._current_item() is None:
            return
        item_id = self._item_id()
        current = (self.ws.meeting_extras(self.meeting_id).get("item_notes") or {}).get(item_id, "")

        def done(text: str | None) -> None:
            if text is not None and self._attempt(
                self.ws.note_item, self.meeting_id, item_id, text, seen=current
            ):
                self._render_item()

        self.app.push_screen(TextPrompt(t("tui.meeting.ask_note"), current), done)

    def action_add_action(self) -> None:
        if not self._recording():
            return

        def done(values: tuple[str, str, str] | None) -> None:
            if values is None:
                return
            text, owner, due = values
            added = self._attempt(
                self.ws.add_action,
                self.meeting_id,
                text,
                owner=owner.strip(),
                due=due.strip(),
                item=self._item_id(),
            )
            if added is not None:
                self._render_item()

        self.app.push_screen(ActionDialog(), done)

    def action_toggle_done(self) -> None:
        item = self._current_item() if self._recording() else None
        if item is None:
            return
        if item.kind != "action":
            self.notify(t("tui.meeting.not_action"), severity="warning")
            return
        action = self._action(item)
        if action is None:
            return
        if action.done:
            self._attempt(self.ws.reopen_action, action.id)
        else:
            self._attempt(self.ws.complete_action, action.id)
        self._render_item()

    def action_attendance(self) -> None:
        if not self._recording():
            return
        meeting = self.ws.meeting(self.meeting_id)

        def done(text: str | None) -> None:
            if text is not None and self._attempt(
                self.ws.set_attendees, self.meeting_id, _split_names(text), seen=meeting.attendees
            ):
                self._render_item()

        self.app.push_screen(TextPrompt(t("tui.meeting.ask_attendance"), ", ".join(meeting.attendees)), done)

    def action_close_meeting(self) -> None:
        if not self._recording():
            return

        def done(confirmed: bool | None) -> None:
            if confirmed and self._attempt(self.ws.close_meeting, self.meeting_id) is not None:
                self.meeting_closed = True
                self._show_minutes()

        self.app.push_screen(ConfirmClose(), done)

    def _show_minutes(self) -> None:
        self.query_one("#meeting-body").add_class("-hidden")
        minutes = self.query_one("#minutes", Markdown)
        minutes.remove_class("-hidden")
        minutes.update(self.ws.meeting_minutes(self.meeting_id, get_language()))
        status = Text(t("tui.meeting.closed_note"), style="bold")
        self.query_one("#meeting-status", Static).update(status)
        minutes.focus()


def _split_names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]
