"""The PDSA board and the worksheet: plan, Do, Study, Act with adapt, conflicts."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Input, Select, SelectionList, TextArea
from tui_helpers import settle

from tui.app import PdsaApp
from tui.screens.board import BoardScreen, CycleColumn
from tui.screens.worksheet import WorksheetScreen
from tui.unsaved import SaveDiscardDialog

pytestmark = pytest.mark.anyio


def _column_titles(app: PdsaApp, status: str) -> list[str]:
    column = app.screen.query_one(f"#col-{status}", CycleColumn)
    cycles = app.screen.cycles
    return [cycles[str(column.get_option_at_index(i).id)].title for i in range(column.option_count)]


async def test_board_columns_and_moving_with_keys(tui_workspace: Any, plugins: Any) -> None:
    ws = tui_workspace
    app = PdsaApp(ws, plugins)
    async with app.run_test(size=(130, 40)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
        assert _column_titles(app, "planned") == ["Kendskabsbesøg"]
        assert _column_titles(app, "doing") == ["Ringe hjem (cyklus 1)"]
        assert _column_titles(app, "done") == ["Review af tvangsindlæggelser"]
        assert app.focused is app.screen.query_one("#col-planned")
        await pilot.press("shift+right")
        await settle(pilot)
        assert _column_titles(app, "doing") == ["Ringe hjem (cyklus 1)", "Kendskabsbesøg"]
        moved = ws.cycle("Kendskabsbesøg", app.team_id)
        assert moved.status.value == "doing" and moved.start_date == "2024-01-15"
        # the cursor follows the cycle; back again with shift+left
        assert app.focused is app.screen.query_one("#col-doing")
        await pilot.press("shift+left")
        await settle(pilot)
        assert ws.cycle("Kendskabsbesøg", app.team_id).status.value == "planned"
        # a move the domain does not allow is refused with a message (planned -> back)
        await pilot.press("shift+left")
        await settle(pilot)
        assert ws.cycle("Kendskabsbesøg", app.team_id).status.value == "planned"


async def test_new_cycle_from_the_board(tui_workspace: Any, plugins: Any) -> None:
    ws = tui_workspace
    app = PdsaApp(ws, plugins)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#field-title", Input).value = "Ringe før første ambulante samtale"
        app.screen.query_one("#field-owner", Input).value = "Dorthe"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, WorksheetScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert "Ringe før første ambulante samtale" in _column_titles(app, "planned")
        assert ws.cycle("Ringe før første ambulante samtale", app.team_id).owner == "Dorthe"


async def test_worksheet_through_do_study_act_with_adapt(tui_workspace: Any, plugins: Any) -> None:
    ws = tui_workspace
    app = PdsaApp(ws, plugins)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("enter")  # open "Kendskabsbesøg" (planned)
        await settle(pilot)
        sheet = app.screen
        assert isinstance(sheet, WorksheetScreen)
        sheet.query_one("#ws-predictions", TextArea).text = "Halvdelen af bostederne siger ja"
        sheet.query_one("#ws-plan_who", Input).value = "Bo og en peer"
        sheet.query_one("#ws-indicators", SelectionList).select("R1")
        await pilot.press("ctrl+s")
        await settle(pilot)
        cycle = ws.cycle("Kendskabsbesøg", app.team_id)
        assert cycle.predictions == "Halvdelen af bostederne siger ja"
        assert cycle.indicators == ("R1",)
        # Do: starting the cycle annotates R1 (the phase key works while a text area has focus)
        observations = sheet.query_one("#ws-do_observations", TextArea)
        observations.text = "3 af 5 bosteder sagde ja"
        observations.focus()
        await pilot.press("f4")
        await settle(pilot)
        cycle = ws.cycle("Kendskabsbesøg", app.team_id)
        assert cycle.status.value == "doing"
        assert cycle.do_observations == "3 af 5 bosteder sagde ja"
        notes = [a.text for a in ws.annotations(app.team_id, "R1")]
        assert "PDSA start: Kendskabsbesøg" in notes
        await pilot.press("f4")  # Study
        await settle(pilot)
        sheet.query_one("#ws-study_results", TextArea).text = "Bedre end forudsagt"
        await pilot.press("f4")  # Act
        await settle(pilot)
        assert ws.cycle("Kendskabsbesøg", app.team_id).status.value == "acting"
        assert ws.cycle("Kendskabsbesøg", app.team_id).study_results == "Bedre end forudsagt"
        await pilot.press("f4")  # from Act, forward asks for the decision
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#field-decision", Select).value = "adapt"
        dialog.query_one("#field-next_step", TextArea).text = "Prøv med alle bosteder i kommunen"
        await pilot.press("ctrl+s")
        await settle(pilot)
        done = ws.cycle("Kendskabsbesøg", app.team_id)
        assert done.status.value == "done" and done.act_decision.value == "adapt"
        follow_up = ws.cycle("Kendskabsbesøg (cyklus 2)", app.team_id)
        assert follow_up.follows == done.id and follow_up.status.value == "planned"
        assert follow_up.plan_who == "Bo og en peer" and follow_up.indicators == ("R1",)
        # the worksheet now shows the next cycle of the ramp
        assert isinstance(app.screen, WorksheetScreen) and app.screen.cycle_id == follow_up.id
        assert app.screen.query_one("#ws-title", Input).value == "Kendskabsbesøg (cyklus 2)"
        assert "PDSA end: Kendskabsbesøg" in [a.text for a in ws.annotations(app.team_id, "R1")]
        await pilot.press("escape")
        await settle(pilot)
        assert "Kendskabsbesøg (cyklus 2)" in _column_titles(app, "planned")


async def test_a_change_made_elsewhere_is_not_overwritten(tui_workspace: Any, plugins: Any) -> None:
    from pdsa_core.workspace import Workspace

    ws = tui_workspace
    app = PdsaApp(ws, plugins)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        other = Workspace.open(ws.location, actor="colleague")
        other.update_cycle(app.screen.cycle_id, owner="Eva")
        app.screen.query_one("#ws-owner", Input).value = "Frederik"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any("changed by someone else" in n.message for n in app._notifications)
        assert ws.cycle(app.screen.cycle_id).owner == "Eva"
        # the app notices the other change (its poll, every 2 s); what was typed is still not
        # saved over it
        app._external_change()
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert ws.cycle(app.screen.cycle_id).owner == "Eva"
        # escape asks first; Cancel keeps what was typed on the worksheet
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SaveDiscardDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, WorksheetScreen)
        assert app.screen.query_one("#ws-owner", Input).value == "Frederik"


async def test_abandon_asks_first(tui_workspace: Any, plugins: Any) -> None:
    ws = tui_workspace
    app = PdsaApp(ws, plugins)
    async with app.run_test(size=(130, 40)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert ws.cycle("Kendskabsbesøg", app.team_id).status.value == "abandoned"
        assert "Kendskabsbesøg" in _column_titles(app, "abandoned")
