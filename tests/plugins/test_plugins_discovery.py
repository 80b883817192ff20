"""Where plugins come from: entry points, plugin folders, the workspace setting, PDSA_LOAD_PLUGINS."""

from __future__ import annotations

import importlib.metadata
import json
import os
from pathlib import Path

import pytest

from pdsa_core import hookimpl, load_plugins, temporary_plugin
from pdsa_core.plugins import clear_cache

SET_PLUGIN = """\
from pdsa_core import IndicatorDefinition, IndicatorSet, hookimpl

__version__ = "2.1"

@hookimpl
def register_indicator_sets(register):
    register(
        IndicatorSet(id="{set_id}", name_da="Sæt", indicators=[IndicatorDefinition(code="X1", name_da="X")])
    )
"""


def set_plugin(set_id: str) -> str:
    return SET_PLUGIN.replace("{set_id}", set_id)


def names(plugins) -> list[str]:
    return [p["name"] for p in plugins.plugin_list()]


def test_folder_plugins_and_what_they_report(plugin_dir) -> None:
    plugin_dir("alpha", set_plugin("alpha-set"))
    folder = plugin_dir("_helper", "raise RuntimeError('files starting with _ are not plugins')")
    plugins = load_plugins([folder], include_entry_points=False)
    assert plugins.errors == []
    info = plugins.info["alpha"]
    assert (info.origin, info.version, info.location) == ("folder", "2.1", str(folder / "alpha.py"))
    assert "_helper" not in plugins.info


def test_several_folders_in_the_environment_variable(tmp_path, monkeypatch) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (first / "one.py").write_text(set_plugin("one-set"), encoding="utf-8")
    (second / "two.py").write_text(set_plugin("two-set"), encoding="utf-8")
    monkeypatch.setenv("PDSA_PLUGINS_DIR", os.pathsep.join([str(first), str(second)]))
    plugins = load_plugins(include_entry_points=False)
    assert {"one-set", "two-set"} <= set(plugins.items("indicator_sets"))


def test_a_missing_folder_is_reported(tmp_path) -> None:
    plugins = load_plugins([tmp_path / "nowhere"], include_entry_points=False)
    assert [str(f) for f in plugins.errors] == [
        f"plugin {tmp_path / 'nowhere'}: plugins folder: not a folder (check --plugins-dir, PDSA_PLUGINS_DIR)"
    ]


def test_pdsa_load_plugins_restricts_which_load(plugin_dir, monkeypatch) -> None:
    plugin_dir("alpha", set_plugin("alpha-set"))
    folder = plugin_dir("beta", set_plugin("beta-set"))
    monkeypatch.setenv("PDSA_LOAD_PLUGINS", "alpha, missing")
    plugins = load_plugins([folder], include_entry_points=False)
    assert "alpha" in plugins.info and "beta" not in plugins.info
    assert [str(f) for f in plugins.errors] == [
        "plugin missing: not found: named in PDSA_LOAD_PLUGINS but not installed or in a plugins folder"
    ]
    assert "anhoej" in plugins.items("rule_sets")  # built-ins always load
    monkeypatch.setenv("PDSA_LOAD_PLUGINS", "")
    nothing = load_plugins([folder])
    assert nothing.plugin_list() == [] and nothing.errors == []
    assert "measurement-table" in nothing.items("importers")


def test_entry_points(tmp_path, monkeypatch) -> None:
    (tmp_path / "ep_good_plugin.py").write_text(set_plugin("ep-set"), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    fake = [
        importlib.metadata.EntryPoint(name="ep-good", value="ep_good_plugin", group="pdsa"),
        importlib.metadata.EntryPoint(name="ep-gone", value="ep_module_that_is_not_there", group="pdsa"),
    ]
    monkeypatch.setattr(importlib.metadata, "entry_points", lambda group: fake if group == "pdsa" else [])
    plugins = load_plugins()
    assert plugins.info["ep-good"].origin == "entry point"
    assert "ep-set" in plugins.items("indicator_sets")
    assert [str(f) for f in plugins.errors] == [
        "plugin ep-gone: import failed: ModuleNotFoundError: No module named 'ep_module_that_is_not_there'"
    ]
    assert plugins.info["ep-gone"].origin == "entry point"
    monkeypatch.setenv("PDSA_LOAD_PLUGINS", "ep-good")
    assert load_plugins().errors == []


def test_installed_distributions_are_listed_as_entry_points() -> None:
    installed = {e.name for e in importlib.metadata.entry_points(group="pdsa")}
    listed = {p["name"]: p for p in load_plugins().plugin_list()}
    for name in installed:
        assert listed[name]["origin"] == "entry point"
        assert listed[name]["version"]


def test_the_workspace_names_a_plugins_folder(cli, workspace_path, tmp_path) -> None:
    folder = workspace_path.parent / "region-plugins"
    folder.mkdir()
    (folder / "regional.py").write_text(set_plugin("regional-set"), encoding="utf-8")
    assert cli("init").exit_code == 0
    assert cli("plugins", "folder").stdout.startswith("The workspace names no plugins folder")
    result = cli("plugins", "folder", str(folder))
    assert result.exit_code == 0 and str(folder) in result.stdout
    stored = json.loads(workspace_path.read_text(encoding="utf-8"))["settings"]["workspace"]["plugins_dir"]
    assert stored == "region-plugins"  # beside the workspace: stored relative, moves with it
    assert cli("team", "add", "Team Vest", "--indicator-set", "regional-set").exit_code == 0
    listed = json.loads(cli("plugins", "list", "--json").stdout)
    assert [p["name"] for p in listed if p["origin"] == "folder"] == ["regional"]
    assert cli("plugins", "folder", "--clear").exit_code == 0
    assert "regional" not in [p["name"] for p in json.loads(cli("plugins", "list", "--json").stdout)]


def test_a_folder_elsewhere_is_stored_absolute_and_a_missing_one_warned(
    cli, workspace_path, tmp_path_factory
) -> None:
    cli("init")
    elsewhere = tmp_path_factory.mktemp("other") / "elsewhere"
    result = cli("plugins", "folder", str(elsewhere))
    assert result.exit_code == 0
    assert "does not exist yet" in result.stderr
    stored = json.loads(workspace_path.read_text(encoding="utf-8"))["settings"]["workspace"]["plugins_dir"]
    assert stored == str(elsewhere.resolve())


def test_load_plugins_is_cached_and_temporary_plugins_come_and_go() -> None:
    class Temporary:
        @hookimpl
        def register_indicator_sets(self, register):  # noqa: ANN001
            from pdsa_core import IndicatorDefinition, IndicatorSet

            register(
                IndicatorSet(
                    id="temporary", name_da="T", indicators=[IndicatorDefinition(code="T", name_da="T")]
                )
            )

    first = load_plugins()
    assert load_plugins() is first
    reloaded = load_plugins(fresh=True)
    assert reloaded is not first and load_plugins() is reloaded
    with temporary_plugin(Temporary(), "temporary-plugin") as name:
        assert name == "temporary-plugin"
        assert "temporary" in load_plugins().items("indicator_sets")
        assert load_plugins().info["temporary-plugin"].origin == "extra"
    assert "temporary" not in load_plugins().items("indicator_sets")


def test_the_register_plugin_fixture(register_plugin, cli) -> None:
    class FixturePlugin:
        @hookimpl
        def register_indicator_sets(self, register):  # noqa: ANN001
            from pdsa_core import IndicatorDefinition, IndicatorSet

            register(
                IndicatorSet(
                    id="from-fixture", name_da="F", indicators=[IndicatorDefinition(code="F", name_da="F")]
                )
            )

    register_plugin(FixturePlugin(), "fixture-plugin")
    listed = json.loads(cli("plugins", "list", "--json", workspace=False).stdout)
    entry = next(p for p in listed if p["name"] == "fixture-plugin")
    assert entry["registered"] == {"indicator_sets": ["from-fixture"]}


# -- commands ------------------------------------------------------------------------------------------
COMMANDS = """\
import click
from pdsa_core import hookimpl

@hookimpl
def register_commands(cli):
    @cli.command(name="hello")
    @click.argument("who")
    def hello(who):
        \"\"\"Say hello.\"\"\"
        click.echo(f"Hej {who}")
"""

HIJACK = """\
import click
from pdsa_core import hookimpl

@hookimpl
def register_commands(cli):
    @cli.command(name="team")
    def team():
        click.echo("hijacked")
"""

BROKEN_COMMANDS = """\
from pdsa_core import hookimpl

@hookimpl
def register_commands(cli):
    raise ValueError("no commands today")
"""


def test_commands_from_a_plugin_folder(plugin_dir, cli, capsys) -> None:
    plugin_dir("greeter", COMMANDS)
    plugin_dir("hijack", HIJACK)
    folder = plugin_dir("broken_commands", BROKEN_COMMANDS)
    env = {"PDSA_PLUGINS_DIR": str(folder)}
    result = cli("hello", "Aalborg", env=env, workspace=False)
    assert result.exit_code == 0 and result.stdout == "Hej Aalborg\n"
    stderr = capsys.readouterr().err + result.stderr  # command failures are reported while the CLI is built
    assert (
        "Warning: plugin hijack: register_commands: command team already exists and was not replaced"
        in stderr
    )
    assert (
        "Warning: plugin broken_commands: register_commands: ValueError: no commands today "
        "(broken_commands.py, line 5)" in stderr
    )
    assert stderr.count("no commands today") == 1
    cli("init", env=env)
    listed = cli("team", "list", env=env)
    assert listed.exit_code == 0 and "hijacked" not in listed.stdout
    plugins = json.loads(cli("plugins", "list", "--json", env=env).stdout)
    assert next(p for p in plugins if p["name"] == "greeter")["registered"] == {"commands": ["hello"]}


@pytest.fixture(autouse=True)
def _no_stale_cache() -> None:
    clear_cache()


def test_relative_workspace_folder_resolves_beside_the_workspace(tmp_path: Path) -> None:
    from pdsa_core.plugins import workspace_plugins_dir
    from pdsa_core.workspace import Workspace

    ws = Workspace.create(tmp_path / "ws" / "workspace.json")
    assert workspace_plugins_dir(ws) is None
    ws.update_settings(plugins_dir="plug")
    assert workspace_plugins_dir(ws) == (tmp_path / "ws").resolve() / "plug"
    assert (
        workspace_plugins_dir(str(tmp_path / "ws" / "workspace.json")) == (tmp_path / "ws").resolve() / "plug"
    )
    assert workspace_plugins_dir(str(tmp_path / "missing.json")) is None
