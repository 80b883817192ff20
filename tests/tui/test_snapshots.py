"""SVG snapshots of the main screens on the deterministic test workspace.

Update after an intended change of the screens with
``python -m pytest tests/tui/test_snapshots.py --snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from textual.widgets import Input, TextArea
from tui_helpers import settle

from pdsa_core.i18n import set_language
from tui.app import PdsaApp


async def _settled(pilot: Any) -> None:
    """Settle, then hold text cursors still: a blinking cursor is drawn or not depending on
    how long the run took (half a second on a loaded machine), which made snapshots flaky."""
    await settle(pilot)
    for widget in pilot.app.screen.query(Input).results():
        widget.cursor_blink = False
    for area in pilot.app.screen.query(TextArea).results():
        area.cursor_blink = False


@pytest.fixture()
def danish() -> Iterator[None]:
    """The app in Danish, as a Danish team sees it."""
    set_language("da")
    yield
    set_language(None)


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_dashboard_snapshot_in_danish(
    snap_compare: Any, tui_workspace: Any, plugins: Any, danish: None, size: tuple[int, int]
) -> None:
    """One column at 80x24; the list full width (names of 40 characters, the missing months
    whole) at 120x40; the highlighted indicator's chart beside the list at 200x60."""
    assert snap_compare(PdsaApp(tui_workspace, plugins), terminal_size=size, run_before=_settled)


def test_empty_workspace_snapshot(snap_compare: Any, empty_workspace: Any, plugins: Any) -> None:
    assert snap_compare(PdsaApp(empty_workspace, plugins), terminal_size=(80, 24), run_before=_settled)


async def _on_screen(pilot: Any, key: str) -> None:
    await settle(pilot)
    await pilot.press(key)
    await _settled(pilot)


def test_driver_diagram_snapshot(snap_compare: Any, tui_workspace: Any, plugins: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await _on_screen(pilot, "2")

    assert snap_compare(PdsaApp(tui_workspace, plugins), terminal_size=(100, 30), run_before=run_before)


def test_board_snapshot(snap_compare: Any, tui_workspace: Any, plugins: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await _on_screen(pilot, "3")

    assert snap_compare(PdsaApp(tui_workspace, plugins), terminal_size=(130, 30), run_before=run_before)


def test_worksheet_snapshot(snap_compare: Any, tui_workspace: Any, plugins: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await _on_screen(pilot, "3")
        await pilot.press("right", "enter")
        await _settled(pilot)

    assert snap_compare(PdsaApp(tui_workspace, plugins), terminal_size=(80, 24), run_before=run_before)


def test_indicator_view_snapshot(snap_compare: Any, tui_workspace: Any, plugins: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await _on_screen(pilot, "4")

    assert snap_compare(PdsaApp(tui_workspace, plugins), terminal_size=(100, 30), run_before=run_before)


def test_indicator_view_control_chart_snapshot(snap_compare: Any, tui_workspace: Any, plugins: Any) -> None:
    tui_workspace.update_indicator(tui_workspace.teams()[0].id, "F2", chart="i")

    async def run_before(pilot: Any) -> None:
        pilot.app.indicator_code = "F2"
        await _on_screen(pilot, "4")

    assert snap_compare(PdsaApp(tui_workspace, plugins), terminal_size=(120, 34), run_before=run_before)


async def _meeting_on_the_signal(pilot: Any) -> None:
    """Meeting mode in Danish (the team's open meeting resumed), on its first signal (with its chart)."""
    await _on_screen(pilot, "7")
    assert pilot.app.screen.meeting_id == "mtg-1"
    kinds = [item.kind for item in pilot.app.screen.agenda.items]
    await pilot.press(*["right"] * kinds.index("signal"))
    await _settled(pilot)


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)])
def test_meeting_mode_snapshot(
    snap_compare: Any, tui_workspace: Any, plugins: Any, size: tuple[int, int]
) -> None:
    set_language("da")
    app = PdsaApp(tui_workspace, plugins)
    assert snap_compare(app, terminal_size=size, run_before=_meeting_on_the_signal)


def test_meeting_study_item_snapshot(snap_compare: Any, tui_workspace: Any, plugins: Any) -> None:
    """The Study item: the plan's predictions beside the Do observations and the Study."""
    set_language("da")
    ws = tui_workspace
    cycle = ws.cycle("Elektive indlæggelser", ws.teams()[0].id)
    ws.update_cycle(
        cycle.id,
        predictions="2 af 3 elektive indlæggelser bliver til noget; ingen ender som tvang.",
        do_observations="3 planlagt, 2 gennemført; den tredje patient blev indlagt akut.",
        study_results="Som forudsagt for de to; den akutte indlæggelse var uden tvang.",
    )

    async def run_before(pilot: Any) -> None:
        await _on_screen(pilot, "7")
        items = pilot.app.screen.agenda.items
        study = next(i for i, item in enumerate(items) if item.refs.get("cycle") == cycle.id)
        await pilot.press(*["right"] * study)
        await _settled(pilot)

    assert snap_compare(PdsaApp(ws, plugins), terminal_size=(120, 40), run_before=run_before)
