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


class BrokenRules:
    id = "syd-broken"
    title_da = "Går i stykker"

    def evaluate(self, result):  # noqa: ANN001
        raise ValueError("no rules today")


class BrokenRulesPlugin:
    @hookimpl
    def register_rule_sets(self, register):  # noqa: ANN001
        register(BrokenRules())


async def test_a_failing_rule_set_is_a_message_not_a_crash(empty_workspace: Any, register_rules) -> None:
    team = empty_workspace.add_team("Team Syd")
    empty_workspace.add_indicator(team.id, "B1", "Bæltefikseringer", rules="syd-broken")
    for month in ("2022-01", "2022-02", "2022-03", "2022-04"):
        empty_workspace.add_measurement(team.id, "B1", month, value=2)
    register_rules.attach(empty_workspace)  # the workspace knows the plugins' rule sets
    app = PdsaApp(empty_workspace, register_rules)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        line = BrokenRules.evaluate.__code__.co_firstlineno + 1
        expected = (
            "rule set syd-broken (plugin syd-broken-rules) failed: ValueError: no rules today "
            f"(test_plugin_problems.py, line {line})"
        )
        assert any(expected in n.message for n in app._notifications)
        assert app.is_running


async def test_a_pdsa_error_from_a_worker_is_a_message(empty_workspace: Any) -> None:
    from textual.worker import WorkerFailed

    from pdsa_core.errors import PluginError

    app = PdsaApp(empty_workspace, None)
    async with app.run_test(size=(100, 30)) as pilot:
        app._handle_exception(WorkerFailed(PluginError("plugin x: [b]broke[/b]")))
        await settle(pilot)
        assert [n.message for n in app._notifications if "broke" in n.message] == ["plugin x: [b]broke[/b]"]
        assert app.is_running


@pytest.fixture()
def register_rules() -> Any:
    from pdsa_core.plugins import clear_cache, temporary_plugin

    with temporary_plugin(BrokenRulesPlugin(), "syd-broken-rules"):
        yield load_plugins(include_entry_points=False)
    clear_cache()
