"""A rule set from a plugin is used for an indicator that names it, like the built-in ones."""

from __future__ import annotations

import pytest

from pdsa_core import Finding, hookimpl


class ZeroMonths:
    """Three months in a row without any event."""

    id = "syd-zero-months"
    title_da = "Tre måneder i træk uden hændelser"
    title_en = "Three months in a row without events"

    def evaluate(self, result):  # noqa: ANN001
        findings, run = [], []
        for index, (y, part) in enumerate(zip(result.y, result.part, strict=True)):
            run = [*run, index] if y == 0 else []
            if len(run) == 3:
                findings.append(
                    Finding(
                        rule_set=self.id,
                        rule="zero-months",
                        part=part,
                        indices=tuple(run),
                        message_da="Tre måneder i træk uden hændelser",
                        message_en="Three months in a row without events",
                    )
                )
                run = []
        return findings


class Plugin:
    @hookimpl
    def register_rule_sets(self, register):  # noqa: ANN001
        register(ZeroMonths())


def test_an_indicator_naming_a_plugin_rule_set(register_plugin, workspace) -> None:
    from pdsa_core.analysis import analyze_indicator
    from pdsa_core.plugins import load_plugins

    register_plugin(Plugin(), "syd-rules")
    load_plugins().attach(workspace)  # the registry is passed in: as the CLI and the TUI do
    team = workspace.add_team("Team Syd")
    workspace.add_indicator(team.id, "B1", "Bæltefikseringer", rules="syd-zero-months")
    for month, value in zip(("2022-01", "2022-02", "2022-03", "2022-04"), (2, 0, 0, 0), strict=True):
        workspace.add_measurement(team.id, "B1", month, value=value)
    analysis = analyze_indicator(workspace, team.id, "B1")
    assert analysis.rules == "syd-zero-months"
    findings = analysis.series.result.findings
    assert [(f.rule, f.indices) for f in findings] == [("zero-months", (1, 2, 3))]


class Broken:
    id = "syd-broken"
    title_da = "Går i stykker"

    def evaluate(self, result):  # noqa: ANN001
        return [result.y[0] / 0]


class BrokenPlugin:
    @hookimpl
    def register_rule_sets(self, register):  # noqa: ANN001
        register(Broken())


def test_a_failing_plugin_rule_set_is_one_line_naming_it(register_plugin, workspace, cli) -> None:
    register_plugin(BrokenPlugin(), "syd-broken-rules")
    team = workspace.add_team("Team Syd")
    workspace.add_indicator(team.id, "B1", "Bæltefikseringer", rules="syd-broken")
    for month in ("2022-01", "2022-02", "2022-03", "2022-04"):
        workspace.add_measurement(team.id, "B1", month, value=2)
    line = Broken.evaluate.__code__.co_firstlineno + 1
    for command in (["team", "show", "Team Syd"], ["team", "show", "Team Syd", "--json"]):
        result = cli(*command)  # the fixture lets no exception pass: a traceback fails here
        assert result.exit_code == 9, (command, result.output)
        assert result.stderr.splitlines() == [
            "Error: rule set syd-broken (plugin syd-broken-rules) failed: ZeroDivisionError: "
            f"float division by zero (test_plugins_rule_sets.py, line {line})"
        ]


def test_the_rule_sets_are_passed_in_not_looked_up_in_loaded_plugins(register_plugin, workspace) -> None:
    """The analysis reads only the registry it is given: a workspace no plugins were attached to
    does not know a plugin's rule set, even when the plugin is loaded in this process."""
    from pdsa_core.analysis import analyze_indicator, analyze_measurements
    from pdsa_core.errors import ValidationError
    from pdsa_core.plugins import load_plugins

    register_plugin(Plugin(), "syd-rules")
    registry = load_plugins().registries["rule_sets"]
    team = workspace.add_team("Team Syd")
    indicator = workspace.add_indicator(team.id, "B1", "Bæltefikseringer", rules="syd-zero-months")
    workspace.add_measurement(team.id, "B1", "2022-01", value=2)
    with pytest.raises(ValidationError, match="unknown rule set 'syd-zero-months'"):
        analyze_indicator(workspace, team.id, "B1")
    values = workspace.measurements(team.id, "B1")
    assert analyze_measurements(indicator, values, rule_sets=registry).rules == "syd-zero-months"
