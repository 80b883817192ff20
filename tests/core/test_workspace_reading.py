"""Reads from one snapshot (Workspace.reading): a computation of many reads asks the store
once whether the workspace changed, sees one state throughout, and never leaves a value
computed from an older state for a newer one."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from pdsa_core.meetings.agenda import build_agenda
from pdsa_core.overview import team_overview
from pdsa_core.workspace import Workspace


@pytest.fixture()
def team(workspace: Workspace) -> Any:
    t = workspace.add_team("Psykiatrien Syd, Vordingborg", region="Sjælland")
    workspace.add_indicator(t.id, "R1", "Personer tvangsindlagt")
    workspace.add_indicator(t.id, "V1", "Andel med UA/KP", unit="proportion", direction="up")
    for month in range(1, 13):
        workspace.add_measurement(t.id, "R1", f"2021-{month:02d}", value=month % 5)
        workspace.add_measurement(t.id, "V1", f"2021-{month:02d}", numerator=month, denominator=20)
    return t


def _count_checks(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    checks = [0]
    is_current = ws.store.is_current

    def counted(snapshot: Any) -> bool:
        checks[0] += 1
        return is_current(snapshot)

    monkeypatch.setattr(ws.store, "is_current", counted)
    return checks


def test_a_dashboard_and_an_agenda_ask_the_store_once(
    workspace: Workspace, team: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = team_overview(Workspace.open(workspace.location), team.id)
    ws = Workspace.open(workspace.location)
    checks = _count_checks(ws, monkeypatch)
    assert team_overview(ws, team.id) == expected
    assert checks[0] == 1  # each of the ~60 reads asked the store before
    checks[0] = 0
    build_agenda(ws, team.id, date="2022-01-20")
    assert checks[0] == 1
    checks[0] = 0
    ws.teams()  # outside a reading every read asks, as before
    ws.teams()
    assert checks[0] == 2


def test_a_reading_sees_one_state_even_when_another_program_writes(workspace: Workspace, team: Any) -> None:
    ws = Workspace.open(workspace.location)
    other = Workspace.open(workspace.location)
    with ws.reading():
        before = [m.value for m in ws.measurements(team.id, "R1")]
        other.add_measurement(team.id, "R1", "2022-01", value=4)
        assert [m.value for m in ws.measurements(team.id, "R1")] == before  # the same state
    assert len(ws.measurements(team.id, "R1")) == len(before) + 1  # after it, the new one


def test_a_write_inside_a_reading_is_read_back(workspace: Workspace, team: Any) -> None:
    with workspace.reading():
        workspace.add_measurement(team.id, "R1", "2022-01", value=4)
        assert workspace.measurements(team.id, "R1")[-1].period == "2022-01"


def test_values_from_an_older_state_are_not_kept_for_a_newer_one(workspace: Workspace, team: Any) -> None:
    """A thread reading an older snapshot (a dashboard being computed) while another thread
    has read a newer one: what the first computes stays with its reading."""
    ws = Workspace.open(workspace.location)
    other = Workspace.open(workspace.location)
    inside = threading.Event()
    written = threading.Event()
    seen: list[int] = []

    def dashboard() -> None:
        with ws.reading():
            inside.set()
            written.wait(5)
            seen.append(len(ws.measurements(team.id, "R1")))  # computed from the older state

    thread = threading.Thread(target=dashboard)
    thread.start()
    inside.wait(5)
    other.add_measurement(team.id, "R1", "2022-01", value=4)
    assert len(ws.measurements(team.id, "R1")) == 13  # this thread reads the newer state
    written.set()
    thread.join(5)
    assert seen == [12]
    assert len(ws.measurements(team.id, "R1")) == 13  # not the reading's 12
