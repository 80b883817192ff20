"""Nothing typed is ever lost: q, Esc, a team switch and a screen switch ask Save / Discard /
Cancel, Cancel keeps every value; navigation keys never start an edit and typing in a field
never navigates; a confirmation's Enter does what it asks and declining says so."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Input, Select, TextArea
from tui_helpers import settle

from pdsa_core.i18n import t
from tui.app import PdsaApp
from tui.dialogs.common import ConfirmDialog, FormDialog
from tui.screens.importing import ImportScreen
from tui.screens.indicator import IndicatorScreen, ValueGrid
from tui.screens.musiq import FactorTable, MusiqScreen
from tui.screens.worksheet import WorksheetScreen
from tui.unsaved import SaveDiscardDialog

pytestmark = pytest.mark.anyio


def notes_of(app: PdsaApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def rate_four(pilot: Any) -> MusiqScreen:
    await settle(pilot)
    await pilot.press("6")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, MusiqScreen) and isinstance(pilot.app.focused, FactorTable)
    await pilot.press("5", "6", "2", "0")
    await settle(pilot)
    return screen


@pytest.mark.parametrize("key", ["q", "escape"])
async def test_q_and_esc_with_unsaved_musiq_ratings_ask_and_cancel_keeps_them(
    tui_workspace: Any, plugins: Any, key: str
) -> None:
    app = PdsaApp(tui_workspace, plugins)
    exited: list[bool] = []
    app.exit = lambda *a, **k: exited.append(True)  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await rate_four(pilot)
        ratings = dict(screen.ratings)
        assert len(ratings) == 4
        await pilot.press(key)
        await settle(pilot)
        assert isinstance(app.screen, SaveDiscardDialog)
        assert "4 of 25 factors answered" in app.screen.what
        await pilot.press("escape")  # Cancel
        await settle(pilot)
        assert app.screen is screen and screen.ratings == ratings and not exited
        assert t("tui.unsaved.kept") in notes_of(app)
        # the Cancel button does the same
        await pilot.press(key)
        await settle(pilot)
        await pilot.click("#unsaved-cancel")
        await settle(pilot)
        assert app.screen is screen and screen.ratings == ratings and not exited
        # Discard: the ratings go, and the key does what it was pressed for
        await pilot.press(key)
        await settle(pilot)
        await pilot.click("#unsaved-discard")
        await settle(pilot)
        assert screen.ratings == {}
        if key == "q":
            assert exited
        else:
            assert app.current_mode == "dashboard"


async def test_save_from_the_question_stores_the_assessment_or_keeps_everything(
    tui_workspace: Any, plugins: Any
) -> None:
    ws = tui_workspace
    app = PdsaApp(ws, plugins)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await rate_four(pilot)
        await pilot.press("escape", "enter")  # Enter: Save; 21 factors are not answered yet
        await settle(pilot)
        assert app.screen is screen and len(screen.ratings) == 4
        assert ws.assessments(app.team_id) == []
        await pilot.press(*["4"] * 21)
        screen.query_one("#musiq-setting", Input).value = "Regionspsykiatrien"
        await pilot.press("escape", "enter")
        await settle(pilot)
        assert len(ws.assessments(app.team_id)) == 1
        assert app.current_mode == "dashboard"


async def test_a_screen_switch_keeps_musiq_ratings_and_a_team_switch_asks(
    tui_workspace: Any, plugins: Any
) -> None:
    app = PdsaApp(tui_workspace, plugins)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await rate_four(pilot)
        await pilot.press("f3")  # the comparison: out of the factor table, digits navigate again
        await pilot.press("3")
        await settle(pilot)
        assert app.current_mode == "board"
        await pilot.press("6")
        await settle(pilot)
        assert app.screen is screen and len(screen.ratings) == 4  # switching screens dropped nothing
        other = next(team.id for team in tui_workspace.teams() if team.id != app.team_id)
        first = app.team_id
        app.set_team(other)
        await settle(pilot)
        assert isinstance(app.screen, SaveDiscardDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert app.team_id == first and len(screen.ratings) == 4
        app.set_team(other)
        await settle(pilot)
        await pilot.click("#unsaved-discard")
        await settle(pilot)
        assert app.team_id == other


async def open_worksheet(pilot: Any) -> WorksheetScreen:
    await settle(pilot)
    await pilot.press("3")
    await settle(pilot)
    await pilot.press("right", "enter")
    await settle(pilot)
    sheet = pilot.app.screen
    assert isinstance(sheet, WorksheetScreen)
    return sheet


async def test_q_on_the_change_idea_selector_asks_and_cancel_keeps_the_objective(
    tui_workspace: Any, plugins: Any
) -> None:
    ws = tui_workspace
    app = PdsaApp(ws, plugins)
    exited: list[bool] = []
    app.exit = lambda *a, **k: exited.append(True)  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        sheet = await open_worksheet(pilot)
        objective = sheet.query_one("#ws-objective", TextArea)
        objective.text = "Færre genindlæggelser inden for 30 dage"
        sheet.query_one("#ws-change_idea", Select).focus()
        await pilot.pause()
        await pilot.press("q")  # typed in a field: never navigates, never quits
        await settle(pilot)
        assert app.screen is sheet and not exited
        assert objective.text == "Færre genindlæggelser inden for 30 dage"
        await pilot.press("3", "t")  # nor do the screen and team keys
        await settle(pilot)
        assert app.screen is sheet
        # from a plain place on the worksheet q quits, but asks first
        sheet.query_one("#ws-act").focus()
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, SaveDiscardDialog) and sheet.cycle.title in app.screen.what
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is sheet and objective.text == "Færre genindlæggelser inden for 30 dage"
        assert not exited
        # Esc asks too; Save stores the objective and closes
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SaveDiscardDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, WorksheetScreen)
        assert ws.cycle(sheet.cycle_id).objective == "Færre genindlæggelser inden for 30 dage"


async def test_a_screen_switch_from_an_edited_worksheet_asks(tui_workspace: Any, plugins: Any) -> None:
    ws = tui_workspace
    app = PdsaApp(ws, plugins)
    async with app.run_test(size=(120, 40)) as pilot:
        sheet = await open_worksheet(pilot)
        sheet.query_one("#ws-owner", Input).value = "Dorthe"
        sheet.query_one("#ws-act").focus()
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, SaveDiscardDialog)
        await pilot.click("#unsaved-discard")
        await settle(pilot)
        assert app.current_mode == "dashboard" and len(app.screen_stack) == 1
        assert ws.cycle(sheet.cycle_id).owner != "Dorthe"


async def test_esc_in_a_form_with_typed_values_asks(tui_workspace: Any, plugins: Any) -> None:
    ws = tui_workspace
    app = PdsaApp(ws, plugins)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("n")  # a new cycle
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormDialog)
        await pilot.press("escape")  # nothing typed: closes at once
        await settle(pilot)
        assert not isinstance(app.screen, (FormDialog, SaveDiscardDialog))
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        form.query_one("#field-title", Input).value = "Ringe før første samtale"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SaveDiscardDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is form
        assert form.query_one("#field-title", Input).value == "Ringe før første samtale"
        await pilot.press("escape", "enter")  # Save
        await settle(pilot)
        assert ws.cycle("Ringe før første samtale", app.team_id).title == "Ringe før første samtale"


async def test_digits_on_the_focused_value_grid_navigate_and_never_open_a_dialog(
    tui_workspace: Any, plugins: Any
) -> None:
    app = PdsaApp(tui_workspace, plugins)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        grid = app.screen.query_one("#grid", ValueGrid)
        grid.focus()
        await pilot.pause()
        await pilot.press("5")
        await settle(pilot)
        assert isinstance(app.screen, ImportScreen)
        await pilot.press("4")
        await settle(pilot)
        assert isinstance(app.screen, IndicatorScreen)


async def test_a_confirmation_does_its_thing_on_enter_and_declining_says_what_did_not_happen(
    tui_workspace: Any, plugins: Any
) -> None:
    ws = tui_workspace
    app = PdsaApp(ws, plugins)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        answers: list[bool] = []
        app.push_screen(ConfirmDialog("Slet?", declined="Intet blev slettet."), answers.append)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert answers == [True]
        app.push_screen(ConfirmDialog("Slet?", declined="Intet blev slettet."), answers.append)
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert answers == [True, False]
        assert "Intet blev slettet." in notes_of(app)
