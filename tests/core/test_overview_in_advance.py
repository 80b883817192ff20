"""The TUI's first screen read in a forked child while the TUI starts
(pdsa_core.overview_in_advance): exactly what the start would read and compute, refused when
the file changed since, and no child is ever left behind."""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

import pytest

from pdsa_core import overview_in_advance
from pdsa_core.demo import write_demo
from pdsa_core.errors import PdsaError
from pdsa_core.overview import first_team, team_overview
from pdsa_core.overview_in_advance import (
    FirstScreen,
    can_fork,
    first_screen_of,
    open_with_plugins,
    read_first_screen,
    start_first_screen,
)
from pdsa_core.workspace import Workspace

forking = pytest.mark.skipif(
    not sys.platform.startswith("linux") or len(os.sched_getaffinity(0)) < 2,
    reason="read in advance only on Linux with two processors or more",
)


@pytest.fixture()
def demo(tmp_path: Path) -> str:
    return str(write_demo(tmp_path / "demo.json"))


def _gone(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_the_first_screen_is_what_the_start_shows(demo: str, monkeypatch: pytest.MonkeyPatch) -> None:
    ws, plugins = open_with_plugins(demo)
    first = read_first_screen(demo)
    team = first_team(ws)
    assert team is not None
    assert first.team_id == team and first.team_name == ws.team(team).name
    assert first.overview == team_overview(ws, team)
    assert first.settings == ws.settings() and first.untrusted_folder is None
    assert first.shows(ws)

    other = next(t for t in ws.teams() if t.id != team)
    monkeypatch.setenv("PDSA_TEAM", other.name)  # the team a start shows first
    assert read_first_screen(demo).overview == team_overview(ws, other.id)


def test_a_first_screen_of_a_file_changed_since_is_not_what_it_shows(demo: str) -> None:
    first = read_first_screen(demo)
    ws = Workspace.open(demo)
    assert first.shows(ws)
    Workspace.open(demo).add_team("Changed meanwhile")  # another program's change
    assert not first.shows(ws)  # ws reads the file again
    assert not FirstScreen(None, None, None, {}, [], None).shows(Workspace.open(demo))  # no identity


def test_a_first_screen_names_an_untrusted_plugins_folder_and_the_plugins_problems(
    demo: str, tmp_path: Path
) -> None:
    folder = tmp_path / "region-plugins"
    folder.mkdir()
    (folder / "broken.py").write_text("raise RuntimeError('a bug in the region plugin')\n", encoding="utf-8")
    Workspace.open(demo).update_settings(plugins_dir=str(folder))
    first = read_first_screen(demo)
    assert first.untrusted_folder == str(folder)
    assert any(str(folder) in line for line in first.plugin_problems)

    first = read_first_screen(demo, [str(folder)])  # named on the command line: it runs
    assert first.untrusted_folder is None
    assert any("a bug in the region plugin" in line for line in first.plugin_problems)


@forking
def test_the_child_reads_the_same_first_screen_and_is_ended(demo: str) -> None:
    advance = start_first_screen(demo)
    assert advance is not None
    pid = advance.pid
    first = advance.result()
    assert first == read_first_screen(demo)
    assert _gone(pid)
    assert advance.result() is None  # once


@forking
def test_a_failed_or_slow_child_gives_nothing_and_is_ended(
    demo: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    damaged = tmp_path / "damaged.json"
    damaged.write_text('{"_meta": ', encoding="utf-8")
    advance = start_first_screen(str(damaged))
    assert advance is not None and advance.result() is None and _gone(advance.pid or 0)

    def refused(*_args: object) -> None:
        raise PdsaError("a series that cannot be read")

    monkeypatch.setattr("pdsa_core.overview.team_overview", refused)
    first = read_first_screen(demo)  # the dashboard computes it again, and says why not
    assert first.overview is None and first.team_id is not None

    def bug(*_args: object) -> None:
        raise RuntimeError("a bug in the child")

    monkeypatch.setattr("pdsa_core.overview.team_overview", bug)
    advance = start_first_screen(demo)
    assert advance is not None and advance.result() is None  # the start opens it itself

    monkeypatch.setattr(overview_in_advance, "first_screen_of", lambda *_args: time.sleep(30))
    monkeypatch.setattr(overview_in_advance, "PATIENCE", 0.2)
    advance = start_first_screen(demo)
    assert advance is not None
    pid = advance.pid
    started = time.monotonic()
    assert advance.result() is None
    assert time.monotonic() - started < 5 and _gone(pid)

    advance = start_first_screen(demo)
    assert advance is not None
    pid = advance.pid
    advance.cancel()
    assert _gone(pid)


def test_not_done_for_a_missing_file_a_server_or_with_another_thread_running(
    demo: str, tmp_path: Path
) -> None:
    assert start_first_screen(str(tmp_path / "missing.json")) is None
    assert not can_fork("postgresql://pdsa@localhost/pdsa")
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert start_first_screen(demo) is None
    finally:
        stop.set()
        thread.join()


def test_first_screen_of_an_empty_workspace(tmp_path: Path) -> None:
    ws = Workspace.create(tmp_path / "empty.json")
    ws2, plugins = open_with_plugins(str(ws.location))
    first = first_screen_of(ws2, plugins)
    assert (first.team_id, first.team_name, first.overview) == (None, None, None)
