"""Crash safety of the workspace file: kills, concurrent writers, damaged files, old schemas.

``PDSA_CRASH_ITERATIONS`` (default 100 in the suite; 1,000 before a release) sets how many
writers are killed (the moments that matter most are reached for certain by the stage tests); the loop also
stops after ``PDSA_CRASH_SECONDS`` (default 60) so a slow machine stays within CI's budget.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import stat
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner

from pdsa_cli import build_cli
from pdsa_core.errors import WorkspaceError
from pdsa_core.storage import CURRENT_SCHEMA, TinyDBStore
from pdsa_core.storage.packed import unpack_table
from pdsa_core.workspace import Workspace

FORK = multiprocessing.get_context("fork")


def _filler(path: Path) -> None:
    """A workspace big enough that a write takes a few milliseconds (kills land mid-write)."""
    ws = Workspace.create(path, actor="setup")
    team = ws.add_team("Psykiatrien Syd", region="Sjælland")
    ws.add_indicator(team.id, "R1", "Tvangsindlagte")
    from pdsa_core.services.indicators import MeasurementInput

    ws.add_measurements(
        team.id,
        [MeasurementInput("R1", f"{2000 + n // 12}-{n % 12 + 1:02d}", value=n) for n in range(24 * 12)],
        source="import",
        source_file="filler.csv",
    )
    for n in range(30):
        ws.add_team(f"Team {n:02d}", region="Nordjylland", municipalities=[f"Kommune {n}"] * 3)


def _step(store: TinyDBStore, step: int) -> None:
    """One transaction: a counter and one new record that must agree."""
    with store.transaction() as tx:
        tx.put("settings", "counter", {"n": step})
        tx.put(
            "annotations",
            f"step-{step:05d}",
            {"id": f"step-{step:05d}", "team_id": "x", "date": "2022-01-01", "text": "step", "n": step},
        )


def _write_steps(path: str, start: int, committed: Any) -> None:
    """Commit step after step, counting the commits in ``committed`` (shared with the test)."""
    store = TinyDBStore(path)
    step = start
    committed.value = 0  # ready
    while True:
        step += 1
        _step(store, step)
        committed.value += 1


def _committed_state(path: Path) -> tuple[int, int]:
    snap = TinyDBStore(path).load()
    counter = snap.table("settings").get("counter", {"n": 0})["n"]
    steps = sorted(doc["n"] for key, doc in snap.table("annotations").items() if key.startswith("step-"))
    assert steps == list(range(1, counter + 1)), "a transaction was only partly written"
    return counter, snap.revision


def _wait_for(condition: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    """Wait until ``condition()`` holds (a writer's progress), however loaded the machine is."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.0005)


@pytest.mark.slow
def test_a_writer_killed_at_random_moments_leaves_the_old_or_the_new_workspace(tmp_path: Path) -> None:
    """Kills at random moments of the writer's own progress, not of the wall clock.

    Each kill comes after 0, 1 or 2 of the writer's commits and then a random part of one
    transaction's duration (measured here first), so kills land before, during and after
    writes on an idle machine and on a loaded one alike.
    """
    path = tmp_path / "workspace.json"
    _filler(path)
    base_revision = TinyDBStore(path).load().revision
    store = TinyDBStore(path)
    timings = []
    for step in (1, 2, 3):
        began = time.perf_counter()
        _step(store, step)
        timings.append(time.perf_counter() - began)
    transaction_seconds = sorted(timings)[1]
    iterations = int(os.environ.get("PDSA_CRASH_ITERATIONS", "100"))
    budget = float(os.environ.get("PDSA_CRASH_SECONDS", "60"))
    rng = random.Random(20240601)
    deadline = time.monotonic() + budget
    done = advanced = 0
    counter = 3
    while done < iterations and time.monotonic() < deadline:
        committed = FORK.Value("i", -1, lock=False)
        writer = FORK.Process(target=_write_steps, args=(str(path), counter, committed), daemon=True)
        writer.start()
        commits_first = rng.choice((0, 1, 2))
        _wait_for(lambda: committed.value >= commits_first, "the writer")  # noqa: B023
        time.sleep(rng.uniform(0.0, transaction_seconds))
        os.kill(writer.pid, signal.SIGKILL)
        writer.join(30)
        assert writer.exitcode == -signal.SIGKILL
        new_counter, revision = _committed_state(path)  # opens cleanly, whole transactions only
        assert new_counter >= counter + commits_first and revision == base_revision + new_counter
        advanced += new_counter > counter
        counter = new_counter
        done += 1
    assert done >= min(iterations, 50)
    assert advanced > 0
    ws = Workspace.open(path)
    assert len(ws.measurements("psykiatrien-syd", "R1")) == 24 * 12
    _only_temporary_leftovers(tmp_path)


def _only_temporary_leftovers(folder: Path) -> None:
    leftovers = [p.name for p in folder.iterdir() if p.name not in ("workspace.json", "workspace.json.lock")]
    assert all(name.startswith(".workspace.json.") and name.endswith(".tmp") for name in leftovers)


def _write_until(path: str, stage: str, reached: Any) -> None:
    """One transaction that stops at ``stage`` of the file write and waits there to be killed."""

    def stop() -> None:
        reached.value = 1
        while True:
            time.sleep(1)

    real_fsync, real_replace = os.fsync, os.replace
    if stage == "new file flushed, not renamed":
        os.fsync = lambda fd: (real_fsync(fd), stop())  # type: ignore[assignment]
    elif stage == "renamed, folder not flushed":
        os.replace = lambda src, dst: (real_replace(src, dst), stop())  # type: ignore[assignment]
    elif stage == "inside the transaction, before writing":
        import pdsa_core.storage.tinydb_store as tinydb_store

        tinydb_store.atomic_write_bytes = lambda path, data: stop()  # type: ignore[assignment]
    _step(TinyDBStore(path), 4)


@pytest.mark.parametrize(
    ("stage", "kept"),
    [
        ("inside the transaction, before writing", "old"),
        ("new file flushed, not renamed", "old"),
        ("renamed, folder not flushed", "new"),
    ],
)
def test_a_writer_killed_at_each_stage_of_a_write(tmp_path: Path, stage: str, kept: str) -> None:
    """The moments that matter, reached for certain: the old file until the rename, then the new."""
    path = tmp_path / "workspace.json"
    _filler(path)
    store = TinyDBStore(path)
    for step in (1, 2, 3):
        _step(store, step)
    reached = FORK.Value("i", 0, lock=False)
    writer = FORK.Process(target=_write_until, args=(str(path), stage, reached), daemon=True)
    writer.start()
    _wait_for(lambda: reached.value == 1 or not writer.is_alive(), stage)
    assert writer.is_alive(), f"the writer did not reach {stage!r}"
    os.kill(writer.pid, signal.SIGKILL)
    writer.join(30)
    assert _committed_state(path)[0] == (3 if kept == "old" else 4)
    if stage == "new file flushed, not renamed":  # the kill came mid-write: its new file is left over
        assert any(p.name.endswith(".tmp") for p in tmp_path.iterdir())
    _step(TinyDBStore(path), 5 if kept == "new" else 4)  # the lock died with the writer
    _only_temporary_leftovers(tmp_path)


def _add_values(path: str, code: str, count: int) -> None:
    ws = Workspace.open(path, actor=code)
    for n in range(count):
        ws.add_measurement(
            "psykiatrien-syd", code, f"2022-{n % 12 + 1:02d}" if n < 12 else f"2023-{n - 11:02d}", value=n
        )


def test_two_writer_processes_both_keep_their_values(tmp_path: Path) -> None:
    path = tmp_path / "workspace.json"
    ws = Workspace.create(path)
    team = ws.add_team("Psykiatrien Syd")
    ws.add_indicator(team.id, "R1", "Tvangsindlagte")
    ws.add_indicator(team.id, "R2", "Tvangsindlæggelser")
    writers = [FORK.Process(target=_add_values, args=(str(path), code, 24)) for code in ("R1", "R2")]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(120)
        assert writer.exitcode == 0
    fresh = Workspace.open(path)
    for code in ("R1", "R2"):
        assert [m.value for m in fresh.measurements(team.id, code)] == list(range(24))
    assert fresh.revision == 3 + 48


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b'{"teams": {}}', "not a pdsa workspace"),
        (b"[1, 2, 3]", "not a pdsa workspace"),
        (b'{"_meta": {"meta": {"format": "something-else"}}}', "not a pdsa workspace"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "damaged"),
    ],
)
def test_a_foreign_file_is_refused_and_left_untouched(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "workspace.json"
    path.write_bytes(content)
    with pytest.raises(WorkspaceError, match=message):
        Workspace.open(path)
    result = CliRunner().invoke(build_cli(), ["-w", str(path), "team", "add", "Syd"])
    assert result.exit_code == 5 and message in result.output and "Traceback" not in result.output
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) in (
        ["workspace.json"],
        ["workspace.json", "workspace.json.lock"],
    )


def test_a_truncated_workspace_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "workspace.json"
    _filler(path)
    whole = path.read_bytes()
    cut = whole[: len(whole) // 2]
    path.write_bytes(cut)
    with pytest.raises(
        WorkspaceError, match=r"damaged \(invalid JSON at line 1, column \d+; it may have been cut short\)"
    ):
        Workspace.open(path)
    store = TinyDBStore(path)
    with pytest.raises(WorkspaceError, match="damaged"), store.transaction() as tx:
        tx.put("teams", "x", {"id": "x"})
    result = CliRunner().invoke(
        build_cli(), ["-w", str(path), "data", "list", "--team", "x", "--indicator", "R1"]
    )
    assert result.exit_code == 5 and "left untouched" in result.output
    assert path.read_bytes() == cut


def test_schema_1_is_migrated_after_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "workspace.json"
    ws = Workspace.create(path, clock=lambda: "2021-05-01T08:00:00+00:00")
    team = ws.add_team("Psykiatrien Syd", region="Sjælland", municipalities=["Næstved"])
    ws.add_indicator(team.id, "R1", "Tvangsindlagte")
    ws.add_measurement(team.id, "R1", "2021-03", value=4)
    ws.add_annotation(team.id, "2021-04-01", "Ny lov", kind="law change")
    current = ws.export()

    data = orjson.loads(path.read_bytes())  # write it as the 0.0 development format
    data["_meta"]["meta"]["schema_version"] = 1
    data["measurements"] = unpack_table(data["measurements"])  # one document per measurement
    data["teams"][team.id]["municipality"] = data["teams"][team.id].pop("municipalities")[0]
    for note in data["annotations"].values():
        note["category"] = note.pop("kind")
    for measurement in data["measurements"].values():
        for name in ("revisions", "source_file", "source_sheet"):
            measurement.pop(name, None)
    old_bytes = json.dumps(data).encode()
    path.write_bytes(old_bytes)

    migrated = Workspace.open(path)
    meta = migrated.snapshot().meta
    assert meta["schema_version"] == CURRENT_SCHEMA == 4 and meta["migrated_from"] == 1
    assert path.read_bytes() == old_bytes and "backup" not in meta  # a read migrates in memory only
    migrated.update_settings(language="da")  # the first write backs the file up and migrates it
    meta = migrated.snapshot().meta
    backup = tmp_path / meta["backup"]
    assert backup.read_bytes() == old_bytes
    if os.name == "posix":
        assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert migrated.team(team.id).municipalities == ["Næstved"]
    assert [a.kind.value for a in migrated.annotations(team.id)] == ["law change"]
    assert migrated.measurements(team.id, "R1")[0].revisions == []
    # the same records as before the downgrade (the migration spells out default fields)
    from pdsa_core.domain import Annotation, Measurement, Team

    again = migrated.export()["tables"]
    for table, record in (("teams", Team), ("measurements", Measurement), ("annotations", Annotation)):
        assert {k: record.from_dict(d) for k, d in again[table].items()} == {
            k: record.from_dict(d) for k, d in current["tables"][table].items()
        }
    assert again["indicators"] == current["tables"]["indicators"]
    written = orjson.loads(path.read_bytes())
    assert written["_meta"]["meta"]["schema_version"] == CURRENT_SCHEMA
    assert list(written["measurements"]) == [f"{team.id}|R1"]  # packed per series
    assert Workspace.open(path).snapshot().meta["backup"] == meta["backup"]  # migrated once


def test_a_newer_schema_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "workspace.json"
    Workspace.create(path)
    data = orjson.loads(path.read_bytes())
    data["_meta"]["meta"]["schema_version"] = 99
    path.write_bytes(orjson.dumps(data))
    before = path.read_bytes()
    with pytest.raises(WorkspaceError, match="newer pdsa"):
        Workspace.open(path)
    assert path.read_bytes() == before
