"""Meeting mode in the pdsa app, driven from the keyboard with Textual's Pilot.

The agenda items show their evidence in place (a signal its chart and what it means, a PDSA
cycle its predictions beside the observations and the Study), Enter opens an item's full
screen and Esc comes back to the same item, the dialogs are framed and name the item, and
the app's own writes never read as "changed elsewhere".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Markdown, OptionList, Static, TextArea
from tui_helpers import settle, text_of

from pdsa_core.i18n import set_language, t
from pdsa_core.meetings import close_meeting, start_meeting
from pdsa_core.services.indicators import MeasurementInput
from tui.app import PdsaApp
from tui.dialogs.common import ConfirmDialog, FormDialog
from tui.screens.indicator import IndicatorScreen
from tui.screens.meeting import MeetingScreen
from tui.screens.meeting_items import ItemEvidence
from tui.screens.worksheet import WorksheetScreen
from tui.widgets.chart import ChartNotes, SpcChart

pytestmark = pytest.mark.anyio

DAY = "2024-01-10"
PREDICTIONS = "Halvdelen siger ja [forventet]"


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
    workspace.update_settings(as_of=DAY)
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
    workspace.update_cycle(cycle.id, predictions=PREDICTIONS, do_observations="5 af 8 sagde ja")
    workspace.set_cycle_status(cycle.id, "doing")
    workspace.set_cycle_status(cycle.id, "studying")
    return workspace


def team_id(ws: Any) -> str:
    return str(ws.teams()[0].id)


async def type_text(pilot: Any, text: str) -> None:
    for char in text:
        await pilot.press("space" if char == " " else char)


async def open_meeting(pilot: Any) -> MeetingScreen:
    """Key 7, then start the meeting from the form (attendees -> date -> start)."""
    await settle(pilot)
    await pilot.press("7")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, MeetingScreen)
    if screen.meeting_id is None:
        await pilot.press("enter", "enter")
        await settle(pilot)
    return screen


def evidence_text(screen: MeetingScreen) -> str:
    """What the current item shows: the texts of its evidence and the reading under a chart."""
    evidence = screen.query_one(ItemEvidence)
    texts = [text_of(w) for w in evidence.query(Static) if w.display and w.parent.display]
    if screen.query_one("#ev-signal").display:
        texts.append(screen.query_one("#ev-notes", ChartNotes).content.plain)
    return "\n".join(texts)


@pytest.mark.slow
async def test_a_whole_meeting_from_the_keyboard(ws: Any, plugins: Any) -> None:
    app = PdsaApp(ws, plugins)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        # the start form has the team's members filled in and the workspace's day
        assert screen.query_one("#attendees-input", Input).value == "Anne Holm, Bo Berg"
        assert screen.query_one("#date-input", Input).value == DAY
        await pilot.press("enter", "enter")  # attendees -> date -> start
        await settle(pilot)
        meeting = ws.open_meeting(team_id(ws))
        assert meeting is not None and meeting.attendees == ["Anne Holm", "Bo Berg"]
        agenda = ws.meeting_agenda(meeting.id)
        assert [i.kind for i in agenda.items] == ["signal", "cycle", "musiq"]
        assert screen.query_one("#agenda-list", OptionList).option_count == 3

        # the signal shows the indicator's chart and what the signal means for the team
        assert "New signal: R1 Persons coercively admitted" in text_of(screen.query_one("#item-head", Static))
        chart = screen.query_one("#ev-chart", SpcChart)
        assert chart.display and chart.region.height >= 8
        assert any("●" in strip.text for strip in chart.strips())  # the points are drawn
        shown = evidence_text(screen)
        assert "▲ Improvement" in shown  # R1 should go down, and it did
        assert "Non-random variation" in shown
        assert "Item 1 of 3" in text_of(screen.query_one("#meeting-status", Static))

        # a decision: a framed dialog that names the item
        await pilot.press("d")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        assert "Decision · 1. New signal: R1" in str(dialog.title_text)
        await type_text(pilot, "Keep calling")
        await pilot.press("enter")
        await settle(pilot)
        assert ws.meeting(meeting.id).decisions == ["Keep calling"]
        assert "Keep calling" in text_of(screen.query_one("#item-recorded", Static))

        # the Study item: the predictions beside the observations, and the Study is written here
        await pilot.press("right")
        await settle(pilot)
        assert "Study: Ringe hjem" in text_of(screen.query_one("#item-head", Static))
        assert text_of(screen.query_one("#ev-predictions", Static)) == PREDICTIONS
        assert text_of(screen.query_one("#ev-observations", Static)) == "5 af 8 sagde ja"
        await pilot.press("s")
        await settle(pilot)
        study = app.screen
        assert isinstance(study, FormDialog) and "Ringe hjem" in str(study.title_text)
        assert PREDICTIONS in text_of(study.query_one(".dialog-text", Static))
        study.query_one("#field-study_results", TextArea).text = "Accept 5 af 8, som forudsagt"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert ws.cycle(agenda.items[1].refs["cycle"]).study_results == "Accept 5 af 8, som forudsagt"
        assert text_of(screen.query_one("#ev-study", Static)) == "Accept 5 af 8, som forudsagt"

        await pilot.press("a")
        await settle(pilot)
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
        app.screen.query_one("#field-names", Input).value = "Anne Holm, Carl Dahl"
        await pilot.press("enter")
        await settle(pilot)
        assert ws.meeting(meeting.id).attendees == ["Anne Holm", "Carl Dahl"]

        await pilot.press("left")  # back to the signal: its decision is still shown there
        await settle(pilot)
        assert "Keep calling" in text_of(screen.query_one("#item-recorded", Static))

        # closing: Enter does what the dialog asks
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert ws.meeting(meeting.id).closed
        minutes = screen.query_one("#minutes", Markdown)
        assert minutes.display
        assert "# Minutes of the team meeting: Psykiatrien Syd, Vordingborg" in minutes.source
        assert "**Decision:** Keep calling" in minutes.source
        assert "| Ask Bo | Bo | 2024-02-01 | open |" in minutes.source
        # only what still applies is offered: no recording keys, but a new meeting and back
        offered = {b.binding.action for b in screen.active_bindings.values() if b.enabled}
        assert {"decide", "add_action", "note", "close_meeting", "next_item"}.isdisjoint(offered)
        assert {"new_meeting", "leave"} <= offered
        await pilot.press("d")
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("m")  # a new meeting: the start form again
        await settle(pilot)
        assert screen.query_one("#meeting-start").display


@pytest.mark.slow
async def test_enter_opens_the_item_and_esc_comes_back_to_the_same_item(ws: Any, plugins: Any) -> None:
    app = PdsaApp(ws, plugins)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_meeting(pilot)
        # the signal: Enter shows the indicator's full screen, Esc comes back
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, IndicatorScreen)
        assert app.screen.indicator is not None and app.screen.indicator.code == "R1"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and screen.index == 0
        # the Study item: Enter opens the PDSA worksheet over the meeting, Esc comes back
        await pilot.press("right")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, WorksheetScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and screen.index == 1
        assert "Study: Ringe hjem" in text_of(screen.query_one("#item-head", Static))
        # MUSIQ: its screen, and back to the same item again
        await pilot.press("right", "enter")
        await settle(pilot)
        assert app.current_mode == "musiq"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and screen.index == 2
        # another screen and back with 7: still the same item
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)
        assert app.screen is screen and screen.index == 2


async def test_the_apps_own_writes_are_not_changes_made_elsewhere(ws: Any, plugins: Any) -> None:
    app = PdsaApp(ws, plugins)
    notes: list[str] = []
    shown = app.notify
    app.notify = lambda message, *a, **k: (notes.append(str(message)), shown(message, *a, **k))  # type: ignore[method-assign]
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app._check_revision()  # the revision the app starts from
        await settle(pilot)
        await open_meeting(pilot)
        await pilot.press("d")
        await settle(pilot)
        await type_text(pilot, "Fortsæt")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("right", "x")
        await settle(pilot)
        app._check_revision()
        await settle(pilot)
        assert t("tui.changed_elsewhere") not in notes
        # a change from another process still is one
        other = type(ws).open(ws.location)
        other.record_decision(ws.open_meeting(team_id(ws)).id, "Besluttet et andet sted")
        app._check_revision()
        await settle(pilot)
        assert t("tui.changed_elsewhere") in notes


async def test_a_carried_over_action_is_done_with_x_and_missing_months_are_entered_here(
    ws: Any, plugins: Any
) -> None:
    set_language("da")
    first = start_meeting(ws, team_id(ws), "2023-12-05", ["Anne Holm"])
    ws.add_action(first.id, "Send data til regionen", owner="Anne Holm", due="2024-01-05")
    close_meeting(ws, first.id)
    for period in ("2023-11", "2023-12"):
        ws.remove_measurement(team_id(ws), "R1", period)
    running = start_meeting(ws, team_id(ws), DAY)
    app = PdsaApp(ws, plugins)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_meeting(pilot)
        assert screen.meeting_id == running.id
        assert not screen.query_one("#meeting-start").display
        assert not screen.query_one("#agenda-list").display  # 80 columns: the item gets the width
        head = screen.query_one("#item-head", Static)
        assert "Send data til regionen" in text_of(head)
        assert head.has_class("-urgent")  # overdue
        assert "Ansvarlig: Anne Holm" in evidence_text(screen)
        assert "overskredet" in evidence_text(screen)
        await pilot.press("x")
        await settle(pilot)
        assert ws.meetings(team_id(ws))[0].actions[0].done_at == DAY
        assert "UDFØRT" in evidence_text(screen)
        await pilot.press("x")
        await settle(pilot)
        assert not ws.meetings(team_id(ws))[0].actions[0].done
        # the missing months: shown, and entered in one dialog
        kinds = [item.kind for item in ws.meeting_agenda(running.id).items]
        await pilot.press(*["right"] * kinds.index("missing_data"))
        await settle(pilot)
        assert "2023-11–2023-12" in evidence_text(screen)
        offered = {b.binding.action for b in screen.active_bindings.values() if b.enabled}
        assert "enter_values" in offered and "toggle_done" not in offered
        await pilot.press("i")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        assert "Manglende værdier · R1" in str(dialog.title_text)
        dialog.query_one("#field-value-2023-11", Input).value = "2"
        dialog.query_one("#field-value-2023-12", Input).value = "1"
        await pilot.press("ctrl+s")
        await settle(pilot)
        stored = {m.period: m.value for m in ws.measurements(team_id(ws), "R1")}
        assert stored["2023-11"] == 2 and stored["2023-12"] == 1
        assert "Alle måneder til og med 2023-12 er udfyldt" in evidence_text(screen)


async def test_large_view_keeps_the_whole_meeting(ws: Any, plugins: Any) -> None:
    app = PdsaApp(ws, plugins)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_meeting(pilot)
        await pilot.press("z")
        await settle(pilot)
        assert app.has_class("-large")
        assert not screen.query_one("#agenda-list").display
        assert screen.query_one("#ev-chart", SpcChart).region.height > 12
        await pilot.press("right")
        await settle(pilot)
        assert screen.index == 1 and app.has_class("-large")
        assert text_of(screen.query_one("#ev-predictions", Static)) == PREDICTIONS
