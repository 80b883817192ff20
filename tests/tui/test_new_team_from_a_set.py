"""A new team created from the LKT Tvang set (baseline 2018-2020) with its first three months
of data: the first verdict says why it cannot judge yet and what to do, the chart starts at the
team's first month, and months count as missing only from the team's start (its first agenda
is not a list of 66 missing months)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pdsa_lkt_tvang
import pytest
from textual.widgets import Input, Select
from tui_helpers import settle

from pdsa_core.i18n import set_language
from pdsa_core.plugins import load_plugins
from tui.app import PdsaApp
from tui.screens.dashboard import IndicatorTable
from tui.screens.indicator import IndicatorScreen
from tui.screens.meeting import MeetingScreen

pytestmark = pytest.mark.anyio


@pytest.fixture()
def english() -> Iterator[None]:
    set_language("en")
    yield
    set_language(None)


async def _form(pilot: Any, **values: str) -> None:
    await pilot.pause()
    for name, value in values.items():
        widget = pilot.app.screen.query_one(f"#field-{name}")
        assert isinstance(widget, Input | Select)
        widget.value = value
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_a_new_team_from_the_lkt_set_is_judged_from_its_own_start(
    empty_workspace: Any, english: None
) -> None:
    ws = empty_workspace
    plugins = load_plugins(extra=[("lkt", pdsa_lkt_tvang)], include_entry_points=False)
    app = PdsaApp(ws, plugins)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the "Create team" button has the focus
        await _form(pilot, name="Team Nord", region="Region Nordjylland", indicator_set="lkt-tvang-voksen")
        team = ws.team("Team Nord")
        r1 = ws.indicator(team.id, "R1")
        assert (r1.baseline_start, r1.baseline_end) == ("2018-01", "2020-12")

        # the first three months of R1, entered on the indicator screen
        await pilot.press("4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, IndicatorScreen) and screen.indicator is not None
        assert screen.indicator.code == "R1"
        for period, value in (("2023-10", "5"), ("2023-11", "4"), ("2023-12", "6")):
            await pilot.press("a")
            await _form(pilot, period=period, value=value)
        # the chart starts at the team's first month, not at the set's baseline in 2018
        assert screen.analysis is not None
        assert screen.analysis.series.periods == ("2023-10", "2023-11", "2023-12")
        # "too few" says why (the baseline is empty) and what to do (choose another with b)
        reading = screen.query_one("#verdict").content.plain
        assert "Too few data points" in reading
        assert "The baseline 2018-01..2020-12 has no values" in reading
        assert " b" in reading.split("The baseline 2018-01..2020-12 has no values", 1)[1]
        # no missing months before the team's start, in the value grid
        assert not screen.query_one("#grid").border_subtitle

        # the dashboard: R1 misses nothing; the indicators without data do not count 66 months
        await pilot.press("1")
        await settle(pilot)
        table = app.screen.query_one(IndicatorTable)
        missing = {key.value: table.row_cells(str(key.value))["missing"].plain for key in table.rows}
        assert missing["R1"] == "", missing
        assert set(missing.values()) == {""}, missing

        # the first meeting's agenda: one line per indicator without data, no missing months of R1
        await pilot.press("7")
        await settle(pilot)
        meeting = app.screen
        assert isinstance(meeting, MeetingScreen)
        await pilot.press("enter", "enter")
        await settle(pilot)
        gaps = [item for item in meeting.agenda.items if item.kind == "missing_data"]
        assert "R1" not in {item.refs["indicator"] for item in gaps}
        assert all(item.refs["months"] == [] and "no data yet" in item.title_en for item in gaps)
        required = [i.code for i in ws.indicators(team.id) if not i.voluntary]  # not those opted out of
        assert sorted(item.refs["indicator"] for item in gaps) == sorted(set(required) - {"R1"})
