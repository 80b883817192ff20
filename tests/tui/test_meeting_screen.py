"""Meeting mode in the TUI, driven from the keyboard with Textual's Pilot on a minimal app."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.widgets import Input, Markdown, OptionList, Static
from tui_helpers import settle, text_of

from pdsa_core.i18n import set_language
from pdsa_core.services.indicators import MeasurementInput
from tui.screens.meeting import ActionDialog, ConfirmClose, MeetingScreen, TextPrompt

pytestmark = pytest.mark.anyio

DAY = "2024-01-10"


class MeetingApp(App[None]):
    """Just enough app to show the screen, as the pdsa app pushes it."""

    def __init__(self, workspace: Any, team_id: str) -> None:
        super().__init__()
        self.ws, self.team_id = workspace, team_id

    def on_mount(self) -> None:
        self.push_screen(MeetingScreen(self.ws, self.team_id, date=DAY))


@pytest.fixture()
def ws(tmp_path: Path) -> Any:
    from pdsa_core.workspace import Workspace

    counter = iter(range(1, 10**6))
    workspace = Workspace.create(
        tmp_path / "meeting.json",
        actor="tovholder",
        id_factory=lambda prefix: f"{prefix}-{next(counter):04d}",
        clock=lambda: "2024-01-02T10:00:00+00:00",
    )
    team = workspace.add_team("Psykiatrien Syd, Vordingborg", region="Sjælland")
    workspace.add_member(team.id, "Anne Holm", "tovholder", "")
    workspace.add_member(team.id, "Bo Berg", "peer", "")
    workspace.add_indicator(
        team.id,
        "R1",
        "Personer tvangsindlagt",
        name_en="Persons coercively admitted",
        baseline_start="2021-01",
        baseline_end="2021-12",
    )
    values = [4, 5, 3, 6, 4, 5, 4, 3, 5, 6, 4, 5] + [1, 2, 1, 0, 1, 2, 1, 1, 0, 1, 2, 1] * 2
    periods = [f"{y}-{m:02d}" for y in (2021, 2022, 2023) for m in range(1, 13)]
    workspace.add_measurements(
        team.id, [MeasurementInput("R1", p, value=v) for p, v in zip(periods, values, strict=True)]
    )
    cycle = workspace.add_cycle(team.id, "Ringe hjem", owner="Anne Holm")
    workspace.set_cycle_status(cycle.id, "doing")
    workspace.set_cycle_status(cycle.id, "studying")
    return workspace


def team_id(ws: Any) -> str:
    return ws.teams()[0].id


async def type_text(pilot: Any, text: str) -> None:
    for char in text:
        await pilot.press("space" if char == " " else char)


async def test_a_whole_meeting_from_the_keyboard(ws: Any) -> None:
    set_language("en")
    app = MeetingApp(ws, team_id(ws))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        # the start form has the team's members filled in and the date
        assert screen.query_one("#attendees-input", Input).value == "Anne Holm, Bo Berg"
        assert screen.query_one("#date-input", Input).value == DAY
        await pilot.press("enter", "enter")  # attendees -> date -> start
        await settle(pilot)
        meeting = ws.open_meeting(team_id(ws))
        assert meeting is not None and meeting.attendees == ["Anne Holm", "Bo Berg"]
        agenda = ws.meeting_agenda(meeting.id)
        assert [i.kind for i in agenda.items] == ["signal", "cycle", "musiq"]
        assert screen.query_one("#agenda-list", OptionList).option_count == 3
        # the first item fills the screen: the new signal of R1
        assert (
            text_of(screen.query_one("#item-title", Static)) == "New signal: R1 Persons coercively admitted"
        )
        assert "Non-random variation" in text_of(screen.query_one("#item-detail", Static))
        assert "Item 1 of 3" in text_of(screen.query_one("#meeting-status", Static))

        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, TextPrompt)
        await type_text(pilot, "Keep calling")
        await pilot.press("enter")
        await settle(pilot)
        assert ws.meeting(meeting.id).decisions == ["Keep calling"]
        assert "Keep calling" in text_of(screen.query_one("#item-recorded", Static))

        await pilot.press("right")
        await settle(pilot)
        assert text_of(screen.query_one("#item-title", Static)) == "Study: Ringe hjem"
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ActionDialog)
        await type_text(pilot, "Ask Bo")
        await pilot.press("enter")
        await type_text(pilot, "Bo")
        await pilot.press("enter")
        await type_text(pilot, "2024-02-01")
        await pilot.press("enter")
        await settle(pilot)
        stored = ws.meeting(meeting.id).actions
        assert [(a.text, a.owner, a.due) for a in stored] == [("Ask Bo", "Bo", "2024-02-01")]
        assert "Ask Bo (Bo, 2024-02-01)" in text_of(screen.query_one("#item-recorded", Static))

        await pilot.press("o")
        await settle(pilot)
        await type_text(pilot, "Study next week")
        await pilot.press("enter")
        await settle(pilot)
        assert "Note: Study next week" in text_of(screen.query_one("#item-recorded", Static))

        await pilot.press("e")
        await settle(pilot)
        prompt = app.screen.query_one("#prompt-input", Input)
        prompt.value = "Anne Holm, Carl Dahl"
        await pilot.press("enter")
        await settle(pilot)
        assert ws.meeting(meeting.id).attendees == ["Anne Holm", "Carl Dahl"]

        await pilot.press("left")  # back to the signal: its decision is still shown there
        await settle(pilot)
        assert "Keep calling" in text_of(screen.query_one("#item-recorded", Static))

        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmClose)
        await pilot.press("enter")
        await settle(pilot)
        assert ws.meeting(meeting.id).closed
        minutes = screen.query_one("#minutes", Markdown)
        assert minutes.display
        assert "# Minutes of the team meeting: Psykiatrien Syd, Vordingborg" in minutes.source
        assert "**Decision:** Keep calling" in minutes.source
        assert "| Ask Bo | Bo | 2024-02-01 | open |" in minutes.source
        # nothing more can be recorded
        await pilot.press("d")
        await settle(pilot)
        assert app.screen is screen


async def test_resuming_an_open_meeting_and_marking_a_carried_action_done(ws: Any) -> None:
    set_language("da")
    first = ws.start_meeting(team_id(ws), date="2023-12-05", attendees=["Anne Holm"])
    action = ws.add_action(first.id, "Send data til regionen", owner="Anne Holm", due="2024-01-05")
    ws.close_meeting(first.id)
    running = ws.start_meeting(team_id(ws), date=DAY)
    app = MeetingApp(ws, team_id(ws))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.meeting_id == running.id
        assert not screen.query_one("#meeting-start").display
        title = screen.query_one("#item-title", Static)
        assert text_of(title) == "Send data til regionen"
        assert title.has_class("-urgent")  # overdue
        await pilot.press("x")
        await settle(pilot)
        assert ws.meetings(team_id(ws))[0].actions[0].done_at == DAY
        assert "UDFØRT" in text_of(title)
        await pilot.press("x")
        await settle(pilot)
        assert not ws.meetings(team_id(ws))[0].actions[0].done
        await pilot.press("l")
        await settle(pilot)
        assert not screen.query_one("#agenda-list").display
        await pilot.press("right", "x")  # not an action: a warning, nothing changes
        await settle(pilot)
        assert ws.meeting(running.id).decisions == []
        assert action.id in {a.id for a in ws.meetings(team_id(ws))[0].actions}
    set_language(None)
