"""The whole first meeting of a new team, from an empty workspace, with the keyboard only."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Input, Select, TextArea, Tree
from tui_helpers import settle

from tui.app import PdsaApp
from tui.screens.dashboard import IndicatorTable
from tui.screens.worksheet import WorksheetScreen

pytestmark = pytest.mark.anyio


async def _fill(pilot: Any, **values: str) -> None:
    await pilot.pause()
    for name, value in values.items():
        widget = pilot.app.screen.query_one(f"#field-{name}")
        if isinstance(widget, Input):
            widget.value = value
        elif isinstance(widget, TextArea):
            widget.text = value
        elif isinstance(widget, Select):
            widget.value = value
    await pilot.press("ctrl+s")
    await settle(pilot)


@pytest.mark.slow
async def test_first_meeting_of_a_new_team(empty_workspace: Any, plugins: Any) -> None:
    ws = empty_workspace
    app = PdsaApp(ws, plugins)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        # 1. create the team from the indicator set
        await pilot.press("enter")  # the "Create team" button has the focus
        await _fill(pilot, name="Team Syd", region="Region Sjælland", track="voksenspor")
        team = ws.team("Team Syd")
        assert [i.code for i in ws.indicators(team.id)] == ["R1", "V1"]
        table = app.screen.query_one(IndicatorTable)
        assert [table.row_cells(str(key.value))["verdict"].plain for key in table.rows] == ["–", "–"]
        # 2. the driver diagram: aim, a primary driver, a change idea under it
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("r")
        await _fill(pilot, text="Færre tvangsindlæggelser")
        await pilot.press("a")
        await _fill(pilot, text="Netværksmøder")
        tree = app.screen.query_one("#diagram-tree", Tree)
        await pilot.press("down")
        await pilot.press("c")
        await _fill(pilot, text="Netværksmøde inden udskrivelse")
        idea = ws.diagram(team.id).node("Netværksmøde inden udskrivelse")
        assert ws.diagram(team.id).node(idea.parents[0]).text == "Netværksmøder"
        # 3. plan a PDSA cycle for the change idea
        await pilot.press("down")
        assert "Netværksmøde inden udskrivelse" in tree.cursor_node.label.plain
        await pilot.press("p")
        await _fill(pilot, title="Netværksmøde for 3 patienter", owner="Tovholder")
        sheet = app.screen
        assert isinstance(sheet, WorksheetScreen)
        sheet.query_one("#ws-predictions", TextArea).text = "2 af 3 møder bliver holdt"
        # 4. Do, Study, Act with adapt
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        sheet.query_one("#ws-study_results", TextArea).text = "Alle 3 blev holdt"
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("f8")
        await _fill(pilot, decision="adapt", next_step="Alle udskrivelser i en måned")
        first = ws.cycle("Netværksmøde for 3 patienter", team.id)
        assert (first.status.value, first.act_decision.value) == ("done", "adapt")
        assert first.predictions == "2 af 3 møder bliver holdt"
        second = ws.cycle("Netværksmøde for 3 patienter (cyklus 2)", team.id)
        assert second.follows == first.id and second.change_idea == idea.id
        await pilot.press("escape")
        await settle(pilot)
        # 5. three months of data for R1
        await pilot.press("4")
        await settle(pilot)
        assert app.screen.query_one("#verdict").content.plain.startswith("Enter the first month")
        assert app.screen.analysis is None
        for period, value in (("2024-01", "4"), ("2024-02", "2"), ("2024-03", "3")):
            await pilot.press("a")
            await _fill(pilot, period=period, value=value)
        assert [(m.period, m.value) for m in ws.measurements(team.id, "R1")] == [
            ("2024-01", 4),
            ("2024-02", 2),
            ("2024-03", 3),
        ]
        # three points, the middle value lies on the median: two useful points (Anhøj)
        assert app.screen.query_one("#verdict").content.plain.startswith(
            "… Too few data points (2 of at least 10)"
        )
        # 6. back on the dashboard the verdict and the cycles have changed
        await pilot.press("1")
        await settle(pilot)
        table = app.screen.query_one(IndicatorTable)
        assert table.row_cells("R1")["verdict"].plain == "… Too few"
        cycles = app.screen.query_one("#dash-cycles")
        prompts = [str(cycles.get_option_at_index(i).prompt) for i in range(cycles.option_count)]
        assert any("(cyklus 2)" in p for p in prompts) and "1 done, 0 abandoned" in prompts
