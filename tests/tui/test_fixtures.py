"""The fast TUI fixture hands out copies that behave exactly like a freshly built workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tui_workspaces import WorkspaceTemplate, fill_workspace, make_workspace


def test_a_copy_is_the_workspace_built_afresh_and_goes_on_with_the_same_ids(
    tmp_path: Path, tui_workspace: Any, tui_workspace_template: WorkspaceTemplate
) -> None:
    fresh = make_workspace(tmp_path / "fresh.json")
    fill_workspace(fresh)
    assert Path(tui_workspace.location).read_bytes() == Path(fresh.location).read_bytes()

    # the next thing made in the copy gets the id and time it would get in the fresh one
    made_in_copy = tui_workspace.add_team("Team tre")
    made_fresh = fresh.add_team("Team tre")
    assert made_in_copy.id == made_fresh.id
    assert Path(tui_workspace.location).read_bytes() == Path(fresh.location).read_bytes()
    assert not Path(tui_workspace.location).samefile(tui_workspace_template.path)


def test_each_test_gets_its_own_copy(tui_workspace: Any, tui_workspace_template: WorkspaceTemplate) -> None:
    before = tui_workspace_template.path.read_bytes()
    tui_workspace.add_team("Kun i denne test")
    assert tui_workspace_template.path.read_bytes() == before
    assert "Kun i denne test" not in before.decode()
