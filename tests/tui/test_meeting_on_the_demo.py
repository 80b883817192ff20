"""Meeting mode on the demo, as a new user tries it first (``pdsa demo``, key 7): a signal item
shows the indicator's chart with its verdict, a Study item shows the plan's predictions beside
the Do observations, and Enter/Esc round trips keep the agenda's position."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static
from tui_helpers import settle, text_of

from pdsa_core.demo import write_demo
from pdsa_core.i18n import set_language
from pdsa_core.plugins import load_plugins
from pdsa_core.workspace import Workspace
from tui.app import PdsaApp
from tui.screens.indicator import IndicatorScreen
from tui.screens.meeting import MeetingScreen
from tui.screens.worksheet import WorksheetScreen
from tui.widgets.chart import ChartNotes, SpcChart

pytestmark = pytest.mark.anyio


@pytest.fixture()
def demo(tmp_path: Path) -> Iterator[Any]:
    set_language("en")
    write_demo(tmp_path / "demo.json")
    yield Workspace.open(tmp_path / "demo.json")
    set_language(None)


@pytest.mark.slow
async def test_a_meeting_on_the_demo_shows_the_evidence_and_keeps_its_place(demo: Any) -> None:
    app = PdsaApp(demo, load_plugins(include_entry_points=False))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MeetingScreen) and screen.meeting_id is None
        await pilot.press("enter", "enter")  # attendees -> date -> start
        await settle(pilot)
        items = screen.agenda.items
        signal = next(i for i, item in enumerate(items) if item.kind == "signal")
        study = next(
            i
            for i, item in enumerate(items)
            if item.kind == "cycle" and item.refs.get("status") == "studying"
        )

        # a signal: the indicator's chart, drawn, with the verdict that says better or worse
        await pilot.press(*["right"] * signal)
        await settle(pilot)
        assert screen.index == signal
        code = items[signal].refs["indicator"]
        assert f"New signal: {code}" in text_of(screen.query_one("#item-head", Static))
        chart = screen.query_one("#ev-chart", SpcChart)
        assert chart.display and chart.region.height >= 8
        assert any("●" in strip.text for strip in chart.strips())
        reading = screen.query_one("#ev-notes", ChartNotes).content.plain
        assert reading.startswith(("▲ Improvement", "▼ Concern")), reading
        # the whole reading is listed under the chart, every annotation with it (not "… 3 more lines")
        notes = screen.query_one("#ev-notes", ChartNotes)
        shown = [line.plain for line in notes.lines(*notes.content_region.size)]
        assert sum(line.startswith("▼") for line in shown) >= 4 and "more lines" not in " ".join(shown), shown
        # Enter shows the indicator's own screen; Esc comes back to the same item
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, IndicatorScreen) and app.screen.indicator is not None
        assert app.screen.indicator.code == code
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and screen.index == signal

        # the Study item: the plan's predictions beside the Do observations
        await pilot.press(*["right"] * (study - signal))
        await settle(pilot)
        assert screen.index == study
        cycle = demo.cycle(items[study].refs["cycle"])
        assert cycle.predictions and cycle.do_observations
        assert text_of(screen.query_one("#ev-predictions", Static)) == cycle.predictions
        assert text_of(screen.query_one("#ev-observations", Static)) == cycle.do_observations
        assert not screen.query_one("#ev-signal").display  # no chart for a cycle
        # Enter opens the worksheet of the cycle; Esc comes back to the same item
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, WorksheetScreen) and app.screen.cycle_id == cycle.id
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and screen.index == study
        assert f"Study: {cycle.title}" in text_of(screen.query_one("#item-head", Static))
