"""Tracebacks the CLI fuzz test (tests/core/test_cli_fuzz.py) found, each pinned here."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pdsa_cli import build_cli


def _run(*args: str) -> object:
    return CliRunner().invoke(build_cli(), list(args))


@pytest.mark.parametrize("command", [["init"], ["team", "list"], ["demo", "--write", "x.json"]])
def test_a_too_long_workspace_name_is_one_line(tmp_path: Path, command: list[str]) -> None:
    long = str(tmp_path / ("n" * 300 + ".json"))
    where = ["--workspace", long] if command[0] != "demo" else []
    args = (
        [*where, *command]
        if command[0] != "demo"
        else ["--workspace", str(tmp_path / "w.json"), "demo", "--write", long]
    )
    result = _run(*args)
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:"), result.stderr
    assert "too long" in lines[0]


def test_demo_with_an_empty_write_name_is_refused_not_the_tui(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = _run("--workspace", str(tmp_path / "w.json"), "demo", "--write", "")
    assert result.exit_code != 0
    assert result.stderr.startswith("Error:") and len(result.stderr.strip().splitlines()) == 1, result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["plugins", "trust", "a\x00b"],
        ["plugins", "untrust", "\x00"],
        ["plugins", "new", "x" * 1000],
        ["plugins", "folder", "n" * 300],
        ["import", "sheets", "n" * 300 + ".xlsx"],
    ],
)
def test_a_path_the_system_refuses_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    from pdsa_core.demo import write_demo

    monkeypatch.chdir(tmp_path)
    path = write_demo(tmp_path / "w.json")
    before = path.read_bytes()
    result = _run("--workspace", str(path), *command)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:"), result.stderr
    assert path.read_bytes() == before


def test_redacting_a_long_message_is_linear_and_still_redacts() -> None:
    """A 100,000-character name in an error message made redaction take minutes (the fuzz
    test's ``musiq template --instrument`` hung); it is one pass now, passwords still hidden."""
    from pdsa_core.errors import PdsaError, redact_text

    long = "x" * 100_000
    assert PdsaError(f"no instrument {long!r}; known: a@1, b=2").message.startswith("no instrument")
    assert (
        redact_text(f"{long} postgresql://anna:hemmelig@db/pdsa") == f"{long} postgresql://anna:***@db/pdsa"
    )
    assert redact_text("postgresql://anna:hemmelig@db/pdsa") == "postgresql://anna:***@db/pdsa"


def test_a_plugin_folder_notice_is_one_line_and_a_nul_is_a_usage_error(tmp_path: Path) -> None:
    ws = str(tmp_path / "w.json")
    result = _run("--workspace", ws, "--plugins-dir", "a\nb", "team", "list")
    assert [line for line in result.stderr.splitlines() if "a\u240ab" in line], result.stderr
    result = _run("--workspace", ws, "--plugins-dir", "\x00", "team", "list")
    assert result.exit_code == 2 and result.exception is None or isinstance(result.exception, SystemExit)
    assert (
        result.stderr.strip().splitlines()[-1] == "Error: a file or folder name cannot hold a NUL character"
    )


def test_a_refusal_naming_a_path_with_a_newline_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = _run("--workspace", str(tmp_path / "w.json"), "workspace", "copy", "\n", "")
    assert result.exit_code != 0
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
