"""The first team's dashboard data computed in a forked child while the TUI starts
(pdsa_core.overview_in_advance): exactly what the parent computes, used only when still true,
and no child is ever left behind."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest

from pdsa_core import overview_in_advance
from pdsa_core.demo import write_demo
from pdsa_core.overview import first_team, team_overview
from pdsa_core.overview_in_advance import start_overview
from pdsa_core.plugins import load_plugins
from pdsa_core.workspace import Workspace

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or len(os.sched_getaffinity(0)) < 2,
    reason="computed in advance only on Linux with two processors or more",
)


@pytest.fixture()
def ws(tmp_path: Path) -> Workspace:
    path = write_demo(tmp_path / "demo.json")
    workspace = Workspace.open(path)
    load_plugins().attach(workspace)
    return workspace


def _gone(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_the_data_computed_in_advance_are_the_ones_computed_here(ws: Workspace) -> None:
    for team in ws.teams():
        advance = start_overview(ws, team.id)
        assert advance is not None
        pid = advance.pid
        taken = advance.take(ws, team.id)
        assert taken == team_overview(ws, team.id)
        assert _gone(pid)
        assert advance.take(ws, team.id) is None  # once


def test_another_team_a_changed_workspace_or_a_failed_child_are_computed_here(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = first_team(ws)
    assert team is not None
    other = next(t.id for t in ws.teams() if t.id != team)
    advance = start_overview(ws, team)
    assert advance is not None and advance.take(ws, other) is None and _gone(advance.pid or 0)

    advance = start_overview(ws, team)
    assert advance is not None
    Workspace.open(ws.location).add_team("Changed meanwhile")  # another process's change
    assert advance.take(ws, team) is None

    def fails(*_args: object) -> None:
        raise RuntimeError("a bug in the child")

    monkeypatch.setattr("pdsa_core.overview.team_overview", fails)
    advance = start_overview(ws, team)
    assert advance is not None and advance.take(ws, team) is None


def test_a_slow_child_is_not_waited_for_and_a_cancelled_one_is_ended(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    team = first_team(ws)
    assert team is not None
    monkeypatch.setattr("pdsa_core.overview.team_overview", lambda *_args: time.sleep(30))
    monkeypatch.setattr(overview_in_advance, "PATIENCE", 0.2)
    advance = start_overview(ws, team)
    assert advance is not None
    pid = advance.pid
    started = time.monotonic()
    assert advance.take(ws, team) is None
    assert time.monotonic() - started < 5 and _gone(pid)

    advance = start_overview(ws, team)
    assert advance is not None
    pid = advance.pid
    advance.cancel()
    assert _gone(pid)


def test_not_done_with_another_thread_running_or_without_a_team(ws: Workspace) -> None:
    assert start_overview(ws, None) is None
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert start_overview(ws, first_team(ws)) is None
    finally:
        stop.set()
        thread.join()
