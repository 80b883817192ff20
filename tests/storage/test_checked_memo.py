"""Contents this pdsa has checked or written are not checked again on open (issue 13, item 7).

The reader remembers the digest of every workspace content that passed its record and column
checks, and the writer the digest of what it wrote from checked data
(:mod:`pdsa_core.storage.checked`). What it does not know is checked in full, so a damaged or
hand-edited file is refused exactly as before; the memo is a cache that can be garbage,
missing or unwritable without an open ever failing.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner
from workspace_files import edited, filled_workspace

from pdsa_cli import build_cli
from pdsa_core.errors import WorkspaceError
from pdsa_core.sources.statbank import StatbankClient
from pdsa_core.storage import checked, tinydb_store
from pdsa_core.storage.tinydb_store import TinyDBStore
from pdsa_core.workspace import Workspace


def _team_name(value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        (team,) = data["teams"].values()
        team["name"] = value

    return edit


def _value_column(data: dict[str, Any]) -> None:
    (series,) = data["measurements"].values()
    series["columns"]["value"] = ["4", 5]


@pytest.fixture()
def checks(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The tables checked record by record since the list was last cleared (the real checks
    run; a writer checks the tables it changes the same way)."""
    seen: list[str] = []
    real_records, real_packed = tinydb_store._check_records, tinydb_store._check_packed

    def records(path: Path, name: str, table: dict[str, Any]) -> None:
        seen.append(name)
        real_records(path, name, table)

    def packed(path: Path, name: str, table: dict[str, Any]) -> None:
        seen.append(name)
        real_packed(path, name, table)

    monkeypatch.setattr(tinydb_store, "_check_records", records)
    monkeypatch.setattr(tinydb_store, "_check_packed", packed)
    yield seen


def _open(path: Path) -> Workspace:
    """A new process's open: a fresh store that reads the file."""
    ws = Workspace.open(path)
    ws.snapshot()
    return ws


def _checked_open(path: Path, checks: list[str]) -> tuple[Workspace, bool]:
    """Open as a new process would; and did the reader check the records?"""
    checks.clear()
    ws = _open(path)
    return ws, "teams" in checks and "measurements" in checks


def _refusal(path: Path) -> str:
    with pytest.raises(WorkspaceError) as caught:
        _open(path)
    return str(caught.value)


def _memo() -> dict[str, Any]:
    result: dict[str, Any] = orjson.loads(checked.memo_path().read_bytes())
    return result


def test_what_pdsa_wrote_opens_without_checking_its_records(tmp_path: Path, checks: list[str]) -> None:
    path = tmp_path / "workspace.json"
    filled_workspace(path)
    assert _memo()["digests"][0] == checked.digest(path.read_bytes())
    ws, checked_records = _checked_open(path, checks)
    assert not checked_records and checks == []
    assert [t.name for t in ws.teams()] == ["Psykiatrien Syd"]
    ws.add_measurement(ws.teams()[0].id, "R1", "2022-03", value=6)
    ws, checked_records = _checked_open(path, checks)
    assert not checked_records and checks == []
    assert [m.value for m in ws.measurements(ws.teams()[0].id, "R1")] == [4, 5, 6]


def test_a_hand_edited_file_is_checked_once_then_remembered(tmp_path: Path, checks: list[str]) -> None:
    path = tmp_path / "workspace.json"
    filled_workspace(path)
    edited(path, _team_name("Psykiatrien Nord"))
    ws, checked_records = _checked_open(path, checks)
    assert checked_records
    assert [t.name for t in ws.teams()] == ["Psykiatrien Nord"]
    assert not _checked_open(path, checks)[1]


def test_a_file_changed_after_it_was_remembered_is_checked_again_and_refused(tmp_path: Path) -> None:
    path = tmp_path / "workspace.json"
    filled_workspace(path)
    _open(path)  # remembered, written and read
    before = edited(path, _value_column)
    message = _refusal(path)
    assert message.startswith(f"{path}: the workspace is damaged: ")
    assert "'value' is a text, not a number or null" in message
    assert path.read_bytes() == before
    assert checked.digest(before) not in _memo()["digests"]
    assert _refusal(path) == message  # and again: a refusal is never remembered


def test_a_damaged_file_is_refused_with_the_same_message_whatever_was_remembered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    filled_workspace(good)
    bad.write_bytes(good.read_bytes())
    edited(bad, _team_name(7))
    with_memo = _refusal(bad)
    assert with_memo.startswith(f"{bad}: the workspace is damaged: ")
    assert "'name' is a whole number, not a text" in with_memo
    result = CliRunner().invoke(build_cli(), ["--workspace", str(bad), "team", "list"])
    assert result.exit_code == 5 and "Traceback" not in result.output
    (line,) = result.output.strip().splitlines()

    monkeypatch.setenv("PDSA_CACHE_DIR", str(tmp_path / "empty-cache"))  # nothing remembered
    assert _refusal(bad) == with_memo
    again = CliRunner().invoke(build_cli(), ["--workspace", str(bad), "team", "list"])
    assert again.exit_code == 5 and again.output.strip().splitlines() == [line]


def test_a_document_that_would_not_pass_is_written_but_not_remembered(tmp_path: Path) -> None:
    """A plugin's document is stored as given; the next open checks it and says what is wrong."""
    path = tmp_path / "workspace.json"
    filled_workspace(path)
    store = TinyDBStore(path)
    with store.transaction() as tx:
        tx.put("teams", "odd", {"id": "odd", "name": 7})
    assert checked.digest(path.read_bytes()) not in _memo()["digests"]
    with store.transaction() as tx:  # a later change on top of it is not trusted either
        tx.put("settings", "workspace", {"language": "da"})
    assert checked.digest(path.read_bytes()) not in _memo()["digests"]
    message = _refusal(path)
    assert "teams 'odd'" in message and "'name' is a whole number, not a text" in message


def test_an_old_schema_migrated_by_a_write_is_checked_on_the_next_open(
    tmp_path: Path, checks: list[str]
) -> None:
    path = tmp_path / "workspace.json"
    filled_workspace(path)

    def schema_2(data: dict[str, Any]) -> None:
        data["_meta"]["meta"]["schema_version"] = 2
        from pdsa_core.storage.packed import unpack_table

        data["measurements"] = unpack_table(data["measurements"])

    edited(path, schema_2)
    ws = _open(path)
    ws.add_measurement(ws.teams()[0].id, "R1", "2022-03", value=6)  # stores the migrated file
    assert _checked_open(path, checks)[1]  # the migration's result was checked once, by the reader
    assert not _checked_open(path, checks)[1]


GARBAGE: list[tuple[str, bytes]] = [
    ("empty", b""),
    ("not json", b"\x00\xff{digests"),
    ("a list", b"[1, 2]"),
    ("digests not a list", b'{"key": "x", "digests": "abc"}'),
    ("cut short", b'{"key": "pdsa'),
]


@pytest.mark.parametrize("garbage", [g[1] for g in GARBAGE], ids=[g[0] for g in GARBAGE])
def test_a_memo_of_garbage_is_ignored_and_replaced(tmp_path: Path, checks: list[str], garbage: bytes) -> None:
    path = tmp_path / "workspace.json"
    filled_workspace(path)
    checked.memo_path().write_bytes(garbage)
    assert _checked_open(path, checks)[1]
    assert _memo()["digests"] == [checked.digest(path.read_bytes())]


def test_digests_remembered_for_another_pdsa_are_not_trusted(tmp_path: Path, checks: list[str]) -> None:
    path = tmp_path / "workspace.json"
    filled_workspace(path)
    memo = _memo()
    checked.memo_path().write_bytes(orjson.dumps({**memo, "key": "pdsa 0.0.1, schema 1, code 0"}))
    assert _checked_open(path, checks)[1]
    assert not _checked_open(path, checks)[1]  # remembered again, for this pdsa


def test_a_memo_folder_that_cannot_be_made_still_opens_and_saves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, checks: list[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("PDSA_CACHE_DIR", str(blocker / "cache"))
    path = tmp_path / "workspace.json"
    ws = filled_workspace(path)
    ws.add_measurement(ws.teams()[0].id, "R1", "2022-03", value=6)
    ws, checked_records = _checked_open(path, checks)
    assert [t.name for t in ws.teams()] == ["Psykiatrien Syd"]
    assert checked_records  # nothing could be remembered: every open checks
    assert blocker.read_text() == "not a folder"


def test_a_memo_that_is_a_folder_is_ignored(tmp_path: Path, checks: list[str]) -> None:
    checked.memo_path().mkdir(parents=True)
    path = tmp_path / "workspace.json"
    filled_workspace(path)
    ws, checked_records = _checked_open(path, checks)
    assert [t.name for t in ws.teams()] == ["Psykiatrien Syd"]
    assert checked_records


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a user that permissions bind")
def test_a_read_only_cache_folder_still_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, checks: list[str]
) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    monkeypatch.setenv("PDSA_CACHE_DIR", str(cache))
    path = tmp_path / "workspace.json"
    filled_workspace(path)
    checked.memo_path().unlink()
    cache.chmod(0o500)
    try:
        ws, checked_records = _checked_open(path, checks)
        assert [t.name for t in ws.teams()] == ["Psykiatrien Syd"]
        assert checked_records
    finally:
        cache.chmod(0o700)


def test_the_memo_holds_digests_only_newest_first_and_at_most_keep(tmp_path: Path) -> None:
    path = tmp_path / "workspace.json"
    filled_workspace(path)
    raw = checked.memo_path().read_bytes()
    assert str(tmp_path).encode() not in raw and b"Psykiatrien" not in raw
    assert set(_memo()) == {"key", "digests"}

    digests = [checked.digest(str(n).encode()) for n in range(checked.KEEP + 6)]
    for d in digests:
        checked.remember(d)
    assert _memo()["digests"] == digests[::-1][: checked.KEEP]
    assert checked.is_checked(digests[-checked.KEEP])  # the oldest kept one, used again ...
    assert _memo()["digests"][0] == digests[-checked.KEEP]  # ... goes first
    assert not checked.is_checked(digests[0])  # dropped
    assert not checked.is_checked(checked.digest(b"never seen"))


def test_one_cache_folder_for_every_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PDSA_CACHE_DIR", str(tmp_path / "mine"))
    assert checked.memo_path() == tmp_path / "mine" / checked.MEMO_NAME
    assert StatbankClient().cache_dir == tmp_path / "mine" / "statbank"
    monkeypatch.delenv("PDSA_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if os.name == "posix" and os.uname().sysname != "Darwin":
        assert StatbankClient().cache_dir == tmp_path / "xdg" / "pdsa" / "statbank"


def test_a_change_of_the_checking_code_or_of_a_record_class_forgets_every_digest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pdsa 0.1.0 stays 0.1.0 across a developer's commits: the key also follows the code."""
    import shutil

    package = Path(checked.__file__).resolve().parents[1]
    copy = tmp_path / "pdsa_core"
    shutil.copytree(package / "storage", copy / "storage", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(package / "domain", copy / "domain", ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(checked, "__file__", str(copy / "storage" / "checked.py"))

    def key() -> str:
        checked._key.cache_clear()
        return checked._key()

    try:
        first = key()
        assert first == key()
        with (copy / "domain" / "team.py").open("a") as handle:
            handle.write("\n# a field's type changed\n")
        second = key()
        assert second != first
        with (copy / "storage" / "checks.py").open("a") as handle:
            handle.write("\n# a rule changed\n")
        assert key() not in (first, second)
    finally:
        checked._key.cache_clear()
