"""Damaged, old, symlinked workspace files and the temporary files of killed writers.

A workspace file travels by e-mail and can be edited by hand: a field of the wrong JSON type
is refused on open with one line naming the file and the field, and the file is left
byte-identical; a read-only command never writes (an older schema is migrated in memory and
stored only by the first write); a symlinked workspace is written through the link, under
the target's lock; the temporary files of killed writers are removed on the next open.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner
from workspace_files import Edit, edited, filled_workspace

from pdsa_cli import build_cli
from pdsa_core.errors import WorkspaceError
from pdsa_core.storage import CURRENT_SCHEMA
from pdsa_core.storage.atomic import lock_path, sweep_temp_files
from pdsa_core.storage.packed import unpack_table
from pdsa_core.workspace import Workspace


def _meta(**changes: Any) -> Edit:
    return lambda data: data["_meta"]["meta"].update(changes)


def _team(field: str, value: Any) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        (team,) = data["teams"].values()
        team[field] = value

    return edit


def _member_role(data: dict[str, Any]) -> None:
    (team,) = data["teams"].values()
    team["members"][0]["role"] = 5


def _target(data: dict[str, Any]) -> None:
    (indicator,) = data["indicators"].values()
    indicator["target"] = {"value": "three"}


def _cycle_rev(data: dict[str, Any]) -> None:
    (cycle,) = data["cycles"].values()
    cycle["rev"] = True


def _value_column(data: dict[str, Any]) -> None:
    (series,) = data["measurements"].values()
    series["columns"]["value"] = ["4", 5]


def _same_team(data: dict[str, Any]) -> None:
    (series,) = data["measurements"].values()
    series["same"]["team_id"] = 7


def _no_team_id(data: dict[str, Any]) -> None:
    (indicator,) = data["indicators"].values()
    del indicator["team_id"]


DAMAGES: list[tuple[str, Edit, str]] = [
    ("schema version true", _meta(schema_version=True), "'schema_version' is true or false"),
    ("schema version 0", _meta(schema_version=0), "'schema_version' is 0"),
    ("revision a text", _meta(revision="7"), "'revision' is a text, not a whole number"),
    ("revision negative", _meta(revision=-1), "'revision' is -1"),
    ("created_at a number", _meta(created_at=5), "'created_at' is a whole number, not a text"),
    ("members a text", _team("members", "Anna"), "'members' is a text, not a list"),
    ("members null", _team("members", None), "'members' is null, not a list"),
    ("municipalities an object", _team("municipalities", {}), "'municipalities' is an object"),
    ("team name a number", _team("name", 7), "'name' is a whole number, not a text"),
    ("member role a number", _member_role, "'members[0].role' is a whole number, not a text"),
    ("target value a text", _target, "'target.value' is a text, not a number"),
    ("cycle rev true", _cycle_rev, "'rev' is true or false, not a whole number"),
    ("value column of texts", _value_column, "'value' is a text, not a number or null"),
    ("team stored once a number", _same_team, "'team_id' is a whole number, not a text"),
    ("indicator without team", _no_team_id, "lacks team_id"),
]


@pytest.mark.parametrize(("edit", "expected"), [d[1:] for d in DAMAGES], ids=[d[0] for d in DAMAGES])
def test_a_field_of_the_wrong_type_is_refused_and_the_file_left_untouched(
    tmp_path: Path, edit: Edit, expected: str
) -> None:
    path = tmp_path / "workspace.json"
    filled_workspace(path)
    before = edited(path, edit)
    with pytest.raises(WorkspaceError) as caught:
        Workspace.open(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: the workspace is damaged: ") and expected in message
    assert "\n" not in message
    assert path.read_bytes() == before

    for command in (
        ["team", "list"],
        ["team", "show", "Psykiatrien Syd"],
        ["data", "add", "--team", "x", "--indicator", "R1", "--period", "2022-03", "--value", "1"],
    ):
        result = CliRunner().invoke(build_cli(), ["--workspace", str(path), *command])
        assert result.exit_code == 5, (command, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert "Traceback" not in result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and expected in lines[0], result.output
        assert path.read_bytes() == before


def test_the_damage_is_named_in_danish(tmp_path: Path) -> None:
    path = tmp_path / "workspace.json"
    filled_workspace(path)
    edited(path, _team("members", "Anna"))
    result = CliRunner().invoke(build_cli(), ["--lang", "da", "--workspace", str(path), "team", "list"])
    assert result.exit_code == 5
    assert "arbejdsområdet er beskadiget" in result.output
    assert "feltet 'members' er en tekst, ikke en liste" in result.output


def test_fields_pdsa_does_not_know_are_kept_and_not_checked(tmp_path: Path) -> None:
    """A newer minor version may add fields; an unknown header key (a server's) is no damage."""
    path = tmp_path / "workspace.json"
    filled_workspace(path)

    def edit(data: dict[str, Any]) -> None:
        _team("colour", 5)(data)
        data["_meta"]["meta"]["info"] = {"x": 1}

    edited(path, edit)
    ws = Workspace.open(path)
    assert [t.name for t in ws.teams()] == ["Psykiatrien Syd"]


def test_an_old_schema_is_read_without_writing_and_stored_by_the_first_write(tmp_path: Path) -> None:
    path = tmp_path / "workspace.json"
    filled_workspace(path)

    def as_schema_2(data: dict[str, Any]) -> None:
        data["_meta"]["meta"]["schema_version"] = 2
        data["measurements"] = unpack_table(data["measurements"])

    before = edited(path, as_schema_2)
    lock_path(path).unlink()
    for command in (
        ["team", "list"],
        ["team", "show", "Psykiatrien Syd"],
        ["indicator", "list", "--team", "Psykiatrien Syd"],
        ["export"],
    ):
        result = CliRunner().invoke(build_cli(), ["--workspace", str(path), *command])
        assert result.exit_code == 0, result.output
        assert path.read_bytes() == before, command
    assert sorted(p.name for p in tmp_path.iterdir()) == ["workspace.json"]  # no backup, no lock

    result = CliRunner().invoke(build_cli(), ["--workspace", str(path), "team", "add", "Psykiatrien Nord"])
    assert result.exit_code == 0, result.output
    backups = [p for p in tmp_path.iterdir() if p.name.endswith(".bak")]
    assert len(backups) == 1 and backups[0].read_bytes() == before
    meta = orjson.loads(path.read_bytes())["_meta"]["meta"]
    assert meta["schema_version"] == CURRENT_SCHEMA and meta["migrated_from"] == 2
    assert len(Workspace.open(path).teams()) == 2


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_a_symlinked_workspace_is_written_through_the_link(tmp_path: Path) -> None:
    real_dir = tmp_path / "shared"
    real_dir.mkdir()
    target = real_dir / "team.json"
    filled_workspace(target)
    link = tmp_path / "workspace.json"
    link.symlink_to(target)
    assert lock_path(link) == lock_path(target) == real_dir / "team.json.lock"

    ws = Workspace.open(link)
    ws.add_team("Psykiatrien Nord")
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert len(Workspace.open(target).teams()) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "shared",
        "workspace.json",
    ]  # nothing beside the link
    assert not [p for p in real_dir.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_the_link_and_the_target_share_one_lock(tmp_path: Path) -> None:
    target = tmp_path / "team.json"
    filled_workspace(target)
    link = tmp_path / "link.json"
    link.symlink_to(target)
    fd = os.open(lock_path(target), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # another writer holds the target
        store = Workspace.open(link).store
        from pdsa_core.storage.atomic import file_lock

        with pytest.raises(Exception, match="locked by another pdsa process"):
            with file_lock(store._lock_path, timeout=0.05):  # type: ignore[attr-defined]
                pass
    finally:
        os.close(fd)


def _temp(folder: Path, name: str, *, age: float) -> Path:
    path = folder / name
    path.write_bytes(b'{"half": ')
    stamp = time.time() - age
    os.utime(path, (stamp, stamp))
    return path


def test_temporary_files_of_killed_writers_are_removed_on_the_next_open(tmp_path: Path) -> None:
    path = tmp_path / "workspace.json"
    filled_workspace(path)
    before = path.read_bytes()
    old = _temp(tmp_path, ".workspace.json.k3_x9a0b.tmp", age=3600)
    fresh = _temp(tmp_path, ".workspace.json.abcdefgh.tmp", age=0)
    others = [
        _temp(tmp_path, ".other.json.k3_x9a0b.tmp", age=3600),  # another file's
        _temp(tmp_path, ".workspace.json.notours.tmp", age=3600),  # not mkstemp's naming
        _temp(tmp_path, "workspace.json.k3_x9a0b.tmp", age=3600),
    ]
    Workspace.open(path)
    assert not old.exists()
    assert fresh.exists() and all(p.exists() for p in others)
    assert path.read_bytes() == before


def test_temporary_files_are_kept_while_a_writer_holds_the_lock(tmp_path: Path) -> None:
    path = tmp_path / "workspace.json"
    filled_workspace(path)
    old = _temp(tmp_path, ".workspace.json.k3_x9a0b.tmp", age=3600)
    fd = os.open(lock_path(path), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert sweep_temp_files(path) == 0
        Workspace.open(path)
        assert old.exists()
    finally:
        os.close(fd)
    assert sweep_temp_files(path) == 1 and not old.exists()


def test_a_read_only_open_of_a_clean_folder_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "workspace.json"
    filled_workspace(path)
    lock_path(path).unlink()
    before = path.read_bytes()
    result = CliRunner().invoke(build_cli(), ["--workspace", str(path), "team", "list"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["workspace.json"]
    assert path.read_bytes() == before
