"""No code from a workspace: the plugins folder a workspace names runs only once the user
trusts it (issue 17, item 4)."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

import pytest

from pdsa_core import plugin_trust
from pdsa_core.workspace import Workspace
from tests.plugins.conftest import stderr_lines

MARKING = """\
from pathlib import Path

from pdsa_core import hookimpl

Path({marker!r}).write_text("imported", encoding="utf-8")


@hookimpl
def on_event(event):
    Path({marker!r}).write_text("event " + event, encoding="utf-8")
"""


@pytest.fixture()
def received(workspace_path: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A workspace as it arrives by e-mail: its settings name a plugins folder beside it, whose
    file would leave a marker if it ran. Returns (folder, marker)."""
    folder = workspace_path.parent / "plugins-from-a-colleague"
    folder.mkdir()
    marker = tmp_path / "the-plugin-ran"
    (folder / "helper.py").write_text(MARKING.format(marker=str(marker)), encoding="utf-8")
    Workspace.create(workspace_path).update_settings(plugins_dir=folder.name)
    return folder, marker


def notice(folder: Path) -> str:
    return (
        f"Warning: plugin {folder}: not trusted: the workspace names this plugins folder; its files were "
        f"not run. Check them, then run them from now on with: pdsa plugins trust {folder}"
    )


def test_an_untrusted_workspace_folder_runs_none_of_its_files(cli, received) -> None:
    folder, marker = received
    for args in (["team", "list"], ["team", "add", "Team Nord"], ["plugins", "list", "--json"]):
        result = cli(*args)
        assert result.exit_code == 0, result.output
        assert stderr_lines(result) == [notice(folder)]
    assert not marker.exists()
    listed = json.loads(cli("plugins", "list", "--json").stdout)
    assert [(p["name"], p["errors"]) for p in listed if p["origin"] == "folder"] == [
        (str(folder), [notice(folder).split(": ", 2)[2].replace("not trusted", "untrusted", 1)])
    ]


def test_trusted_it_runs_and_a_changed_file_makes_it_untrusted_again(cli, received) -> None:
    folder, marker = received
    trusted = cli("plugins", "trust")  # the workspace's folder; asks first
    assert trusted.exit_code == 1 and "Aborted" in trusted.stderr  # no answer is no
    assert not plugin_trust.is_trusted(folder)
    result = cli("plugins", "trust", input="y\n")
    assert result.exit_code == 0, result.output
    assert "helper.py" in result.stdout and f"Trusted: {folder}" in result.stdout
    added = cli("team", "add", "Team Nord")
    assert (added.exit_code, added.stderr) == (0, "")
    assert marker.read_text(encoding="utf-8") == "event team_added"

    marker.unlink()
    helper = folder / "helper.py"
    helper.write_text(helper.read_text(encoding="utf-8") + "\n# one more line\n", encoding="utf-8")
    result = cli("team", "list")
    assert stderr_lines(result) == [notice(folder)]
    assert not marker.exists()

    assert cli("plugins", "trust", str(folder), "--yes").exit_code == 0
    assert cli("team", "list").stderr == ""
    assert marker.exists()
    marker.unlink()
    (folder / "second.py").write_text("raise SystemExit('a new file')\n", encoding="utf-8")
    assert stderr_lines(cli("team", "list")) == [notice(folder)]  # a new file: untrusted again
    assert not marker.exists()


def test_given_on_the_command_line_or_in_the_environment_it_runs(cli, received) -> None:
    folder, marker = received
    assert cli("--plugins-dir", str(folder), "team", "list").stderr == ""
    assert marker.read_text(encoding="utf-8") == "imported"
    marker.unlink()
    assert cli("team", "add", "Team Nord", env={"PDSA_PLUGINS_DIR": str(folder)}).stderr == ""
    assert marker.read_text(encoding="utf-8") == "event team_added"
    assert not plugin_trust.is_trusted(folder)  # nothing was remembered


def test_untrust_forgets_it(cli, received) -> None:
    folder, marker = received
    cli("plugins", "trust", "--yes")
    assert plugin_trust.is_trusted(folder)
    result = cli("plugins", "untrust")
    assert result.stdout == f"No longer trusted: {folder}\n"
    assert stderr_lines(cli("team", "list")) == [notice(folder)]
    assert cli("plugins", "untrust").stdout == f"{folder} was not trusted\n"


@pytest.mark.skipif(sys.platform != "linux", reason="the default place is the XDG config folder on Linux")
def test_trust_is_remembered_per_user_outside_the_workspace(
    cli, received, workspace_path, tmp_path, monkeypatch
) -> None:
    folder, _ = received
    monkeypatch.delenv("PDSA_TRUST_FILE")  # the default: in the (test's) XDG config folder
    cli("plugins", "trust", "--yes")
    remembered = Path(os.environ["XDG_CONFIG_HOME"]) / "pdsa" / "trusted.json"
    data = json.loads(remembered.read_text(encoding="utf-8"))
    assert data["format"] == "pdsa-trusted-plugin-folders/1"
    assert data["folders"][str(folder.resolve())]["files"] == ["helper.py"]
    assert data["folders"][str(folder.resolve())]["sha256"] == plugin_trust.folder_hash(folder)
    assert stat.S_IMODE(remembered.stat().st_mode) == 0o600
    assert "trust" not in workspace_path.read_text(encoding="utf-8")  # nothing in the workspace
    other = tmp_path / "another-user.json"
    assert cli("team", "list", env={"PDSA_TRUST_FILE": str(other)}).stderr != ""  # not trusted for them


def test_a_damaged_trust_file_trusts_nothing_and_says_so(cli, received) -> None:
    folder, marker = received
    remembered = plugin_trust.trust_file()
    remembered.parent.mkdir(parents=True)
    remembered.write_text("[1, 2", encoding="utf-8")
    assert stderr_lines(cli("team", "list")) == [notice(folder)]
    result = cli("plugins", "trust", "--yes")
    assert result.exit_code == 5
    assert stderr_lines(result)[-1].startswith(f"Error: {remembered}: cannot read the trusted plugin folders")
    assert remembered.read_text(encoding="utf-8") == "[1, 2"  # left as it was
    assert not marker.exists()


def test_naming_a_folder_yourself_trusts_it(cli, workspace_path, tmp_path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    marker = tmp_path / "ran"
    (folder / "mine.py").write_text(MARKING.format(marker=str(marker)), encoding="utf-8")
    cli("init")
    result = cli("plugins", "folder", str(folder))
    assert f"Trusted: {folder}" in result.stdout
    assert cli("team", "list").stderr == ""
    assert marker.exists()


def test_the_notice_is_in_danish_and_shows_a_hostile_path_inertly(cli, workspace_path, tmp_path) -> None:
    folder = workspace_path.parent / "p\x1b[2J"
    folder.mkdir()
    (folder / "x.py").write_text("raise SystemExit\n", encoding="utf-8")
    Workspace.create(workspace_path).update_settings(plugins_dir=folder.name)
    result = cli("--lang", "da", "team", "list")
    assert result.exit_code == 0
    assert "\x1b" not in result.stderr
    [line] = stderr_lines(result)
    assert line.startswith("Advarsel: plugin ") and "ikke betroet" in line
    assert "pdsa plugins trust '" in line


@pytest.mark.parametrize("setting", ["\x00x", "~no-such-user-here/plugins", "p" * 5000])
def test_an_impossible_folder_setting_is_one_line_not_a_crash(cli, workspace_path, setting) -> None:
    Workspace.create(workspace_path).update_settings(plugins_dir=setting)
    result = cli("team", "list")  # the fixture lets no exception pass: a traceback fails here
    assert result.exit_code == 0
    [line] = stderr_lines(result)
    assert line.startswith("Warning: plugin ") and line.endswith(
        ": plugins folder: not a folder (check --plugins-dir, PDSA_PLUGINS_DIR)"
    )
    assert "\x00" not in result.stderr


def test_a_file_swapped_after_the_check_never_runs(cli, received, tmp_path, monkeypatch) -> None:
    """pdsa runs the bytes it checked: a file changed or added between the trust check and the
    import (someone else writing to a shared folder at that moment) does not run."""
    folder, marker = received
    cli("plugins", "trust", "--yes")
    swapped = tmp_path / "the-swapped-file-ran"
    check = plugin_trust.trusted_files

    def check_then_swap(path: Path) -> dict[Path, bytes] | None:
        checked = check(path)
        (folder / "helper.py").write_text(MARKING.format(marker=str(swapped)), encoding="utf-8")
        (folder / "added.py").write_text(MARKING.format(marker=str(swapped)), encoding="utf-8")
        return checked

    monkeypatch.setattr(plugin_trust, "trusted_files", check_then_swap)
    result = cli("team", "add", "Team Nord")
    assert (result.exit_code, result.stderr) == (0, "")
    assert marker.read_text(encoding="utf-8") == "event team_added"  # the checked helper.py ran
    assert not swapped.exists()


@pytest.mark.parametrize(("answer", "runs"), [("y\n", True), ("n\n", False)])
def test_opening_the_tui_at_a_terminal_asks_about_the_folder(
    cli, received, monkeypatch, answer, runs
) -> None:
    folder, marker = received
    shown: list[list[str]] = []

    def tui(location: str, **kwargs: Any) -> None:  # stands in for the Textual app
        from pdsa_core.plugins import load_plugins

        workspace = kwargs["workspace"]  # asked at a terminal: opened after the answer
        plugins = load_plugins(plugins_dirs=kwargs["plugins_dirs"], workspace=workspace)
        shown.append([p["name"] for p in plugins.plugin_list() if p["origin"] == "folder"])

    monkeypatch.setattr("pdsa_cli.context.at_terminal", lambda: True)
    monkeypatch.setattr("tui.app.run_app", tui)
    result = cli(input=answer)  # 'pdsa' without a command opens the TUI
    assert result.exit_code == 0, result.output
    assert "helper.py" in result.stdout and "should they run from now on?" in result.stdout
    assert plugin_trust.is_trusted(folder) is runs
    assert marker.exists() is runs
    assert shown == [["helper"]] if runs else [[str(folder)]]  # untrusted: listed with its notice
    assert (notice(folder) in result.stderr) is not runs
    assert "should they run" not in cli("team", "list").stdout  # a command never asks


@pytest.mark.parametrize("at_terminal", [True, False])
def test_a_first_screen_read_in_advance_is_set_aside_when_the_user_is_asked(
    cli, received, workspace_path, monkeypatch, at_terminal
) -> None:
    """The first screen read in a forked process while the TUI starts (see
    pdsa_core.overview_in_advance) names the untrusted folder: at a terminal the user is asked
    and the workspace opened with the plugins as answered; elsewhere the first screen is used,
    and its notice printed once, as every start prints it."""
    from pdsa_core import overview_in_advance

    folder, marker = received
    given: list[dict[str, Any]] = []

    class ReadInAdvance:  # the child, as if it had read the workspace meanwhile
        def result(self) -> Any:
            return overview_in_advance.read_first_screen(str(workspace_path))

        def cancel(self) -> None:
            pass

    monkeypatch.setattr(overview_in_advance, "start_first_screen", lambda *_: ReadInAdvance())
    monkeypatch.setattr("pdsa_cli.context.at_terminal", lambda: at_terminal)
    monkeypatch.setattr("tui.app.run_app", lambda location, **kwargs: given.append(kwargs))
    result = cli(input="y\n")
    assert result.exit_code == 0, result.output
    (kwargs,) = given
    if at_terminal:
        assert "should they run from now on?" in result.stdout
        assert kwargs["first_screen"] is None and kwargs["workspace"] is not None
        assert plugin_trust.is_trusted(folder) and marker.exists()
    else:
        assert kwargs["first_screen"].untrusted_folder == str(folder) and kwargs["workspace"] is None
        assert stderr_lines(result) == [notice(folder)]
        assert not marker.exists()
