"""``on_event``: called after the change is saved; a raising plugin never undoes the change."""

from __future__ import annotations

from typing import Any

from pdsa_core import hookimpl, load_plugins
from pdsa_core.workspace import Workspace


class Recorder:
    """Records each event and what the workspace held when the event arrived."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, dict[str, Any], Any]] = []

    @hookimpl
    def on_event(self, event, payload, workspace):  # noqa: ANN001
        stored = None
        if event == "measurement_added":
            measurement = payload["measurement"]
            # a fresh reader of the file, so we see what was committed, not an in-memory state
            other = Workspace.open(workspace.location)
            stored = [m.value for m in other.measurements(measurement["team_id"], measurement["indicator"])]
        self.seen.append((event, payload, stored))
        payload["measurement"] = "changed by the plugin"  # must not reach anyone else


class Raising:
    @hookimpl
    def on_event(self, event):  # noqa: ANN001 - a plugin may take only the arguments it needs
        raise RuntimeError(f"cannot handle {event}")


def test_events_arrive_after_the_commit(workspace) -> None:
    recorder = Recorder()
    plugins = load_plugins(extra=[("recorder", recorder)], include_entry_points=False)
    plugins.attach(workspace)
    plugins.attach(workspace)  # attaching twice sends each event once
    team = workspace.add_team("Team Nord")
    workspace.add_indicator(team.id, "R1", "Tvangsindlagte")
    workspace.add_measurement(team.id, "R1", "2022-01", value=3)
    workspace.add_measurement(team.id, "R1", "2022-01", value=4)
    events = [(event, stored) for event, _, stored in recorder.seen]
    assert events == [("team_added", None), ("measurement_added", [3.0]), ("measurement_added", [4.0])]
    _, payload, _ = recorder.seen[2]
    assert payload["previous"]["value"] == 3.0


def test_each_plugin_gets_its_own_copy_of_the_payload(workspace) -> None:
    first, second = Recorder(), Recorder()
    plugins = load_plugins(extra=[("first", first), ("second", second)], include_entry_points=False)
    plugins.attach(workspace)
    other: list[dict[str, Any]] = []
    workspace.listeners.append(lambda event, payload: other.append(payload))
    team = workspace.add_team("Team Nord")
    workspace.add_indicator(team.id, "R1", "Tvangsindlagte")
    workspace.add_measurement(team.id, "R1", "2022-01", value=3)
    assert second.seen[-1][1]["measurement"] == "changed by the plugin"  # its own copy, changed by itself
    assert other[-1]["measurement"]["value"] == 3.0
    assert first.seen[-1][2] == [3.0]


def test_a_raising_on_event_is_reported_and_the_change_stays(workspace, capsys) -> None:
    plugins = load_plugins(extra=[("raising", Raising())], include_entry_points=False)
    plugins.attach(workspace)
    team = workspace.add_team("Team Nord")
    workspace.add_indicator(team.id, "R1", "Tvangsindlagte")
    measurement, status = workspace.add_measurement(team.id, "R1", "2022-02", value=5)
    assert status == "added"
    reopened = Workspace.open(workspace.location)
    assert [m.value for m in reopened.measurements(team.id, "R1")] == [5.0]
    line = Raising.on_event.__code__.co_firstlineno + 2  # the raise, under @hookimpl and def
    assert [str(f) for f in plugins.errors] == [
        f"plugin raising: on_event: RuntimeError: cannot handle {event} (test_plugins_events.py, line {line})"
        for event in ("team_added", "measurement_added")
    ]
    assert capsys.readouterr().err.count("Warning: plugin raising: on_event: RuntimeError") == 2


def test_the_tui_can_take_failures_as_notifications(workspace, capsys) -> None:
    plugins = load_plugins(extra=[("raising", Raising())], include_entry_points=False)
    notified = []
    plugins.error_listeners.append(notified.append)
    plugins.attach(workspace)
    workspace.add_team("Team Nord")
    assert [(f.plugin, f.stage) for f in notified] == [("raising", "on_event")]
    assert capsys.readouterr().err == ""


def test_through_the_cli_the_command_succeeds(cli, plugin_dir) -> None:
    folder = plugin_dir(
        "alarm",
        """\
        from pdsa_core import hookimpl

        @hookimpl
        def on_event(event, payload):
            if event == "measurement_added":
                raise ConnectionError("the region's alarm service is down")
        """,
    )
    args = ["--plugins-dir", str(folder)]
    cli("init")
    cli(*args, "team", "add", "Team Nord")
    cli(*args, "indicator", "add", "R1", "--team", "Team Nord", "--name", "Tvangsindlagte")
    result = cli(
        *args,
        "data",
        "add",
        "--team",
        "Team Nord",
        "--indicator",
        "R1",
        "--period",
        "2022-03",
        "--value",
        "2",
    )
    assert result.exit_code == 0
    assert (
        "Warning: plugin alarm: on_event: ConnectionError: the region's alarm service is down"
        in result.stderr
    )
    listed = cli("data", "list", "--team", "Team Nord", "--indicator", "R1", "--json")
    assert '"2022-03"' in listed.stdout
