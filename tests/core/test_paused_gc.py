"""Bulk work runs with the cyclic collector paused, and leaves it as it found it."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pdsa_core.startup import paused_gc


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_the_collector_is_paused_inside_and_on_again_after_even_on_an_error(collector_on: None) -> None:
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():  # nested: the inner block leaves it paused
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), paused_gc():
        raise ValueError("bad row")
    assert gc.isenabled()


def test_a_collector_paused_before_stays_paused(collector_on: None) -> None:
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_an_import_reads_and_writes_with_the_collector_paused(
    workspace: Any, tmp_path: Path, collector_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pdsa_core.importing import service
    from pdsa_core.importing.plan import commit
    from pdsa_core.storage.tinydb_store import AtomicJSONStorage

    team = workspace.add_team("Psykiatrien Syd")
    workspace.add_indicator(team.id, "R1", "Tvangsindlagte")
    table = tmp_path / "r1.csv"
    table.write_text("Indikator;Måned;Værdi\nR1;2024-01;3\nR1;2024-02;4\n", encoding="utf-8")
    seen: list[bool] = []
    real_write = AtomicJSONStorage.write

    def write(storage: AtomicJSONStorage, data: dict[str, Any]) -> None:
        seen.append(gc.isenabled())
        real_write(storage, data)

    real_read = service.read_table

    def read(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return real_read(*args, **kwargs)

    monkeypatch.setattr(AtomicJSONStorage, "write", write)
    monkeypatch.setattr(service, "read_table", read)
    plan = service.read_file(workspace, team.id, table)
    assert seen == [False] and gc.isenabled()
    assert commit(workspace, plan).added == 2
    assert seen == [False, False] and gc.isenabled()
    assert [m.value for m in workspace.measurements(team.id, "R1")] == [3.0, 4.0]


def test_a_workspace_is_read_with_the_collector_paused(
    workspace: Any, collector_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening, and reading again after another process's change (the parsed JSON has no cycles)."""
    from pdsa_core.storage import tinydb_store
    from pdsa_core.workspace import Workspace

    workspace.add_team("Psykiatrien Syd")
    seen: list[bool] = []
    real_read = tinydb_store.read_workspace_file

    def read(path: Path) -> dict[str, Any]:
        seen.append(gc.isenabled())
        return real_read(path)

    monkeypatch.setattr(tinydb_store, "read_workspace_file", read)
    reader = Workspace.open(workspace.location)
    assert seen == [False] and gc.isenabled()
    workspace.add_team("Psykiatrien Nord")
    assert [t.name for t in reader.teams()] == ["Psykiatrien Nord", "Psykiatrien Syd"]
    assert seen == [False, False] and gc.isenabled()
