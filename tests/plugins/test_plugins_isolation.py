"""A broken plugin and a plugin whose hook raises: every command still works, the errors are named."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.plugins.conftest import stderr_lines

BROKEN = """\
from pdsa_core import hookimpl

@hookimpl
def register_indicator_sets(register)
    pass
"""

RAISING = """\
from pdsa_core import IndicatorDefinition, IndicatorSet, hookimpl

@hookimpl
def register_indicator_sets(register):
    register(
        IndicatorSet(id="half-set", name_da="Halvt", indicators=[IndicatorDefinition(code="X1", name_da="X")])
    )
    raise RuntimeError("the region's server is down")
"""

GOOD = """\
from pdsa_core import IndicatorDefinition, IndicatorSet, hookimpl

@hookimpl
def register_indicator_sets(register):
    register(
        IndicatorSet(
            id="good-set",
            name_da="Godt sæt",
            indicators=[IndicatorDefinition(code="G1", name_da="Antal", name_en="Count")],
        )
    )
"""

BROKEN_WARNING = "Warning: plugin broken: import failed: SyntaxError: expected ':' (broken.py, line 4)"
RAISING_WARNING = (
    "Warning: plugin raising: register_indicator_sets: RuntimeError: the region's server is down "
    "(raising.py, line 8); nothing it registered in this hook was kept"
)


@pytest.fixture()
def folder(plugin_dir) -> Path:
    plugin_dir("broken", BROKEN)
    plugin_dir("raising", RAISING)
    return plugin_dir("good", GOOD)


COMMANDS = [
    ["init"],
    ["team", "add", "Team Nord", "--indicator-set", "good-set"],
    ["team", "list"],
    ["team", "show", "Team Nord"],
    ["indicator", "list", "--team", "Team Nord", "--json"],
    ["data", "add", "--team", "Team Nord", "--indicator", "G1", "--period", "2022-01", "--value", "3"],
    ["plugins", "list"],
]


def test_every_command_works_and_names_the_errors(cli, folder) -> None:
    for command in COMMANDS:
        result = cli("--plugins-dir", str(folder), *command)
        assert result.exit_code == 0, (command, result.output)
        lines = stderr_lines(result)
        assert lines.count(BROKEN_WARNING) == 1, (command, lines)
        assert lines.count(RAISING_WARNING) == 1, (command, lines)
    indicators = json.loads(cli("indicator", "list", "--team", "Team Nord", "--json").stdout)
    assert [i["code"] for i in indicators] == ["G1"]


def test_the_same_through_the_environment_variable(cli, folder) -> None:
    env = {"PDSA_PLUGINS_DIR": str(folder)}
    assert cli("init", env=env).exit_code == 0
    result = cli("team", "list", env=env)
    assert result.exit_code == 0
    assert BROKEN_WARNING in stderr_lines(result) and RAISING_WARNING in stderr_lines(result)


def test_what_a_raising_hook_registered_is_not_kept(cli, folder) -> None:
    cli("init")
    result = cli("--plugins-dir", str(folder), "team", "add", "Team Syd", "--indicator-set", "half-set")
    assert result.exit_code == 3  # the command's own error, not the plugin's
    assert "no indicator set 'half-set' (known: good-set" in result.stderr


def test_plugins_list_shows_the_errors(cli, folder) -> None:
    listed = json.loads(cli("--plugins-dir", str(folder), "plugins", "list", "--json").stdout)
    by_name = {p["name"]: p for p in listed}
    assert by_name["broken"]["errors"] == ["import: SyntaxError: expected ':' (broken.py, line 4)"]
    assert by_name["broken"]["origin"] == "folder" and by_name["broken"]["hooks"] == []
    assert by_name["raising"]["errors"][0].startswith("register_indicator_sets: RuntimeError")
    assert by_name["raising"]["registered"] == {}
    assert by_name["good"] == {
        "name": "good",
        "origin": "folder",
        "version": "",
        "location": str(folder / "good.py"),
        "hooks": ["register_indicator_sets"],
        "registered": {"indicator_sets": ["good-set"]},
        "errors": [],
    }


def test_a_real_process_exits_0_with_warnings_in_danish(folder, workspace_path, tmp_path) -> None:
    env = {**os.environ, "PDSA_LANG": "da", "PDSA_WORKSPACE": str(workspace_path)}
    env.pop("PDSA_LOAD_PLUGINS", None)
    run = [sys.executable, "-m", "pdsa_cli", "--plugins-dir", str(folder)]
    subprocess.run([*run, "init"], env=env, check=True, capture_output=True)
    done = subprocess.run([*run, "team", "list"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Advarsel: plugin broken: kunne ikke importeres: SyntaxError" in done.stderr
    assert "Advarsel: plugin raising: register_indicator_sets: RuntimeError" in done.stderr
    assert "Ingen teams endnu" in done.stdout
