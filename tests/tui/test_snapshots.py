"""SVG snapshots of the main screens on the deterministic test workspace.

Update after an intended change of the screens with
``python -m pytest tests/tui/test_snapshots.py --snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

from typing import Any

from tui_helpers import settle

from tui.app import PdsaApp


def test_dashboard_snapshot(snap_compare: Any, tui_workspace: Any, plugins: Any) -> None:
    assert snap_compare(PdsaApp(tui_workspace, plugins), terminal_size=(100, 30), run_before=settle)


def test_dashboard_snapshot_80x24(snap_compare: Any, tui_workspace: Any, plugins: Any) -> None:
    assert snap_compare(PdsaApp(tui_workspace, plugins), terminal_size=(80, 24), run_before=settle)


def test_empty_workspace_snapshot(snap_compare: Any, empty_workspace: Any, plugins: Any) -> None:
    assert snap_compare(PdsaApp(empty_workspace, plugins), terminal_size=(80, 24), run_before=settle)


async def _on_screen(pilot: Any, key: str) -> None:
    await settle(pilot)
    await pilot.press(key)
    await settle(pilot)


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
        await settle(pilot)

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
