"""Files the user names with -o (and ``demo --write``): only ever a regular file, whole or not at all.

Special files are made here by the test itself (a FIFO from ``os.mkfifo`` in a temporary
folder); no test touches /dev/null or any other system device. A full disk is simulated at
the one place pdsa writes bytes (``pdsa_core.storage.atomic._write_all``); a read-only folder
too, since a test run as root may write anywhere.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from pdsa_cli import build_cli
from pdsa_core.errors import OutputError
from pdsa_core.meetings import start_meeting
from pdsa_core.output_files import check_output_path, write_output
from pdsa_core.storage import atomic
from pdsa_core.workspace import Workspace

TEAM = "Psykiatrien Syd"


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ws") / "workspace.json"
    ws = Workspace.create(path, actor="tovholder", clock=lambda: "2023-10-02T09:00:00+00:00")
    team = ws.add_team(TEAM, municipalities=["Næstved"])
    ws.add_indicator(team.id, "R1", "Tvangsindlagte")
    for month in range(1, 13):
        ws.add_measurement(team.id, "R1", f"2023-{month:02d}", value=(month * 7) % 5 + 2)
    start_meeting(ws, team.id, "2023-10-02")
    return path


@pytest.fixture()
def workspace(source: Path, tmp_path: Path) -> Path:
    path = tmp_path / "ws" / "workspace.json"
    path.parent.mkdir()
    path.write_bytes(source.read_bytes())
    return path


def _meeting(workspace: Path) -> str:
    ws = Workspace.open(workspace)
    return ws.meetings(TEAM)[0].id


#: every command that writes a file the user names: (name, arguments before the path, suffix)
COMMANDS: list[tuple[str, list[str], str]] = [
    ("export", ["export", "-o"], ".json"),
    ("export xlsx", ["export", "--format", "xlsx", "--team", TEAM, "-o"], ".xlsx"),
    ("status report", ["report", "status", "--team", TEAM, "-o"], ".html"),
    ("status report md", ["report", "status", "--team", TEAM, "-o"], ".md"),
    ("storyboard", ["report", "storyboard", "--team", TEAM, "-o"], ".html"),
    ("storyboard pptx", ["report", "storyboard", "--team", TEAM, "-o"], ".pptx"),
    ("national", ["report", "national", "-o"], ".html"),
    ("minutes", ["meeting", "minutes", "MEETING", "-o"], ".md"),
    ("chart", ["spc", "plot", "--team", TEAM, "--indicator", "R1", "-o"], ".svg"),
]
IDS = [c[0] for c in COMMANDS]


def _run(workspace: Path, args: list[str], target: Path) -> Any:
    args = [_meeting(workspace) if a == "MEETING" else a for a in args]
    return CliRunner().invoke(build_cli(), ["--workspace", str(workspace), *args, str(target)])


def _one_line(result: Any, code: int, expected: str) -> None:
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], result.output


@pytest.mark.parametrize(("args", "suffix"), [c[1:] for c in COMMANDS], ids=IDS)
def test_every_output_writes_a_regular_file(
    workspace: Path, tmp_path: Path, args: list[str], suffix: str
) -> None:
    target = tmp_path / f"out{suffix}"
    result = _run(workspace, args, target)
    assert result.exit_code == 0, result.output
    assert stat.S_ISREG(target.stat().st_mode) and target.stat().st_size > 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
@pytest.mark.parametrize(("args", "suffix"), [c[1:] for c in COMMANDS], ids=IDS)
def test_a_named_pipe_is_never_replaced(
    workspace: Path, tmp_path: Path, args: list[str], suffix: str
) -> None:
    pipe = tmp_path / f"pipe{suffix}"
    os.mkfifo(pipe)
    before = workspace.read_bytes()
    result = _run(workspace, args, pipe)
    _one_line(result, 11, "this is a named pipe, not a regular file; pdsa only replaces regular files")
    assert stat.S_ISFIFO(pipe.lstat().st_mode)
    assert workspace.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "ws") == [pipe.name]  # no charts, no temp


@pytest.mark.parametrize(("args", "suffix"), [c[1:] for c in COMMANDS], ids=IDS)
def test_a_missing_folder_is_one_line(workspace: Path, tmp_path: Path, args: list[str], suffix: str) -> None:
    target = tmp_path / "missing" / f"out{suffix}"
    result = _run(workspace, args, target)
    _one_line(result, 11, "does not exist; nothing was written")
    assert not target.parent.exists()


@pytest.mark.parametrize(("args", "suffix"), [c[1:] for c in COMMANDS], ids=IDS)
def test_a_full_disk_is_one_line_and_leaves_the_old_file(
    workspace: Path, tmp_path: Path, args: list[str], suffix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / f"out{suffix}"
    target.write_bytes(b"the old file")

    def full(handle: Any, data: bytes) -> None:
        handle.write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic, "_write_all", full)
    result = _run(workspace, args, target)
    _one_line(result, 11, "the disk is full; nothing was written")
    assert target.read_bytes() == b"the old file"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "ws") == [target.name]  # no temp file


@pytest.mark.parametrize(("args", "suffix"), [c[1:] for c in COMMANDS], ids=IDS)
def test_a_too_long_name_is_one_line(workspace: Path, tmp_path: Path, args: list[str], suffix: str) -> None:
    target = tmp_path / ("å" * 200 + suffix)  # 400 bytes: over every file system's 255
    result = _run(workspace, args, target)
    _one_line(result, 11, "the file name is too long; nothing was written")


def test_a_read_only_folder_is_one_line(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def denied(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(atomic.tempfile, "mkstemp", denied)
    result = _run(workspace, ["export", "-o"], tmp_path / "out.json")
    _one_line(result, 11, "no permission to write in this folder; nothing was written")


def test_a_folder_or_a_link_to_a_pipe_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    with pytest.raises(OutputError, match="this is a folder, not a regular file"):
        write_output(folder, b"x")
    assert folder.is_dir()
    if hasattr(os, "mkfifo"):
        pipe = tmp_path / "pipe"
        os.mkfifo(pipe)
        link = tmp_path / "link.json"
        link.symlink_to(pipe)
        with pytest.raises(OutputError, match="named pipe"):
            write_output(link, b"x")
        assert link.is_symlink() and stat.S_ISFIFO(pipe.stat().st_mode)
    with pytest.raises(OutputError, match="no file name"):
        check_output_path("")


def test_a_link_to_a_regular_file_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real.html"
    real.write_text("old")
    link = tmp_path / "report.html"
    link.symlink_to(real)
    write_output(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"


def test_demo_write_refuses_a_pipe_and_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "folder.json"
    folder.mkdir()
    result = CliRunner().invoke(build_cli(), ["demo", "--write", str(folder)])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert folder.is_dir()
    if hasattr(os, "mkfifo"):
        pipe = tmp_path / "pipe.json"
        os.mkfifo(pipe)
        result = CliRunner().invoke(build_cli(), ["demo", "--write", str(pipe)])
        _one_line(result, 5, "this is a named pipe, not a workspace file; it was left untouched")
        assert stat.S_ISFIFO(pipe.lstat().st_mode)
        result = CliRunner().invoke(build_cli(), ["--workspace", str(pipe), "init"])
        _one_line(result, 5, "this is a named pipe, not a workspace file")


def test_a_full_disk_while_saving_the_workspace_is_one_line(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = workspace.read_bytes()

    def full(handle: Any, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic, "_write_all", full)
    result = CliRunner().invoke(
        build_cli(), ["--workspace", str(workspace), "team", "add", "Psykiatrien Nord"]
    )
    _one_line(result, 5, "the workspace cannot be saved: the disk is full; nothing was changed")
    assert workspace.read_bytes() == before
    assert sorted(p.name for p in workspace.parent.iterdir()) == ["workspace.json", "workspace.json.lock"]


#: commands that read a file the user names: a named pipe there would be waited on for ever
READERS: list[tuple[str, list[str]]] = [
    ("workspace", ["--workspace", "PIPE", "team", "list"]),
    ("national report's workspace", ["report", "national", "--workspace", "PIPE"]),
    ("chart csv", ["spc", "analyze", "PIPE"]),
    ("report text file", ["report", "text", "--team", TEAM, "--file", "PIPE", "progress"]),
    ("musiq ratings", ["musiq", "new", "--team", TEAM, "--setting", "afsnit", "--ratings", "PIPE"]),
    ("measurement table", ["import", "table", "PIPE", "--team", TEAM]),
    ("workbook sheets", ["import", "sheets", "PIPE"]),
    ("event layout", ["import", "events", "PIPE", "--team", TEAM, "--population", "all", "--layout", "PIPE"]),
    ("population file", ["import", "events", "PIPE", "--team", TEAM, "--population", "PIPE.json"]),
]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
@pytest.mark.parametrize("args", [r[1] for r in READERS], ids=[r[0] for r in READERS])
def test_a_named_pipe_is_never_read(workspace: Path, tmp_path: Path, args: list[str]) -> None:
    pipe = tmp_path / "pipe.csv"
    os.mkfifo(pipe)
    os.mkfifo(tmp_path / "pipe.csv.json")
    before = workspace.read_bytes()
    argv = [str(pipe) + a[4:] if a.startswith("PIPE") else a for a in args]
    if argv[0] != "--workspace":
        argv = ["--workspace", str(workspace), *argv]
    result = CliRunner().invoke(build_cli(), argv)
    assert result.exit_code not in (0, 1), result.output
    assert (
        "Traceback" not in result.output
        and result.exception is None
        or isinstance(result.exception, SystemExit)
    )
    assert "this is a named pipe, not a" in result.output, result.output
    assert workspace.read_bytes() == before


def test_a_file_name_too_long_for_the_file_system_is_one_line(workspace: Path) -> None:
    result = CliRunner().invoke(build_cli(), ["--workspace", str(workspace), "import", "sheets", "x" * 5000])
    _one_line(result, 1, "the file cannot be used: File name too long")
    assert "x" * 100 not in result.output
