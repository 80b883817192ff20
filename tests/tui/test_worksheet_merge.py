"""The worksheet merges by field: another user's change survives a save, the same field conflicts.

tova1 has a cycle's worksheet open; "tova2" (another Workspace on the same file: another
process) changes the same cycle. Saving keeps tova2's text in the fields tova1 did not
touch, and a field both changed is a conflict naming both values; nothing is lost.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Input, Label, TextArea
from tui_helpers import settle

from pdsa_core.workspace import Workspace
from tui.app import PdsaApp
from tui.screens.worksheet import WorksheetScreen

pytestmark = pytest.mark.anyio


async def _open_worksheet(app: PdsaApp, pilot: Any) -> WorksheetScreen:
    await pilot.press("3")
    await settle(pilot)
    await pilot.press("enter")  # "Kendskabsbesøg" (planned)
    await settle(pilot)
    sheet = app.screen
    assert isinstance(sheet, WorksheetScreen)
    return sheet


async def test_save_keeps_the_other_users_untouched_field_and_conflicts_on_the_edited_one(
    tui_workspace: Any, plugins: Any
) -> None:
    ws = tui_workspace
    app = PdsaApp(ws, plugins)
    async with app.run_test(size=(120, 40)) as pilot:
        sheet = await _open_worksheet(app, pilot)
        cycle_id = sheet.cycle_id
        before = ws.cycle(cycle_id)
        sheet.query_one("#ws-objective", TextArea).text = "tova1's formål"
        sheet.query_one("#ws-plan_where", Input).value = "Afsnit 3"
        other = Workspace.open(ws.location, actor="tova2")
        other.update_cycle(
            cycle_id,
            seen={"objective": before.objective, "predictions": before.predictions},
            objective="tova2's formål",
            predictions="tova2's forudsigelse",
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        stored = ws.cycle(cycle_id)
        # nothing of tova1's save went in (the objective conflicts), tova2's text is intact
        assert stored.objective == "tova2's formål" and stored.predictions == "tova2's forudsigelse"
        assert stored.plan_where == before.plan_where
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert any("yours 'tova1's formål', theirs 'tova2's formål' (by tova2 at" in m for m in errors)
        objective_row = sheet.query_one("#ws-objective").parent
        assert objective_row.has_class("-conflict")
        assert str(objective_row.query_one(Label).content).startswith("⚠")
        # the untouched field now shows tova2's text; tova1's typing is still there
        assert sheet.query_one("#ws-predictions", TextArea).text == "tova2's forudsigelse"
        assert sheet.query_one("#ws-objective", TextArea).text == "tova1's formål"
        assert sheet.query_one("#ws-plan_where", Input).value == "Afsnit 3"
        # the message named tova2's text: tova1 decides and saves again, now knowingly
        sheet.query_one("#ws-objective", TextArea).text = "tova1's formål, efter aftale"
        await pilot.press("ctrl+s")
        await settle(pilot)
        stored = ws.cycle(cycle_id)
        assert stored.objective == "tova1's formål, efter aftale"
        assert stored.predictions == "tova2's forudsigelse" and stored.plan_where == "Afsnit 3"
        assert not objective_row.has_class("-conflict")


async def test_saving_without_typing_never_reverts_another_users_change(
    tui_workspace: Any, plugins: Any
) -> None:
    ws = tui_workspace
    app = PdsaApp(ws, plugins)
    async with app.run_test(size=(120, 40)) as pilot:
        sheet = await _open_worksheet(app, pilot)
        other = Workspace.open(ws.location, actor="tova2")
        other.update_cycle(sheet.cycle_id, seen={"study_results": ""}, study_results="tova2's Study")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert ws.cycle(sheet.cycle_id).study_results == "tova2's Study"


async def test_a_live_update_reloads_untouched_fields_and_marks_the_touched_ones(
    tui_workspace: Any, plugins: Any
) -> None:
    ws = tui_workspace
    app = PdsaApp(ws, plugins)
    async with app.run_test(size=(120, 40)) as pilot:
        sheet = await _open_worksheet(app, pilot)
        before = ws.cycle(sheet.cycle_id)
        sheet.query_one("#ws-objective", TextArea).text = "tova1's formål"
        other = Workspace.open(ws.location, actor="tova2")
        other.update_cycle(
            sheet.cycle_id,
            seen={"objective": before.objective, "plan_who": before.plan_who},
            objective="tova2's formål",
            plan_who="tova2's hvem",
        )
        sheet.sync()  # what the app does on a live update or when it sees the file changed
        await settle(pilot)
        assert sheet.query_one("#ws-plan_who", Input).value == "tova2's hvem"
        who_row = sheet.query_one("#ws-plan_who").parent
        assert who_row.has_class("-changed") and "tova2" in str(who_row.tooltip)
        objective_row = sheet.query_one("#ws-objective").parent
        assert sheet.query_one("#ws-objective", TextArea).text == "tova1's formål"
        assert objective_row.has_class("-conflict") and "tova2's formål" in str(objective_row.tooltip)
        await pilot.press("ctrl+s")  # the touched field conflicts, nothing is overwritten
        await settle(pilot)
        assert ws.cycle(sheet.cycle_id).objective == "tova2's formål"
        assert ws.cycle(sheet.cycle_id).plan_who == "tova2's hvem"
