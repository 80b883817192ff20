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
