"""A plugin that fails while the TUI runs: one notification per change, shown literally."""

from __future__ import annotations

from typing import Any

import pytest
from tui_helpers import settle

from pdsa_core import hookimpl, load_plugins
from tui.app import PdsaApp

pytestmark = pytest.mark.anyio


class Failing:
    @hookimpl
    def on_event(self, event):  # noqa: ANN001
        raise RuntimeError(f"[bold]alarm[/] for {event}")


async def test_a_failing_on_event_is_one_literal_notification(empty_workspace: Any, capsys) -> None:
    plugins = load_plugins(extra=[("alarm", Failing())], include_entry_points=False)
    plugins.attach(empty_workspace)
    app = PdsaApp(empty_workspace, plugins)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        empty_workspace.add_team("Team Nord")
        await settle(pilot)
        problems = [n for n in app._notifications if "plugin alarm" in n.message]
        assert [n.message for n in problems] == [
            "plugin alarm: on_event: RuntimeError: [bold]alarm[/] for team_added "
            "(test_plugin_problems.py, line 19)"
        ]
        assert problems[0].markup is False
    assert app.plugin_problem not in plugins.error_listeners  # nothing left behind
    assert "plugin alarm" not in capsys.readouterr().err
