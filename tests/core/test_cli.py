"""The CLI, as a tovholder would script it (the session from the foundation issue)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pdsa_cli import build_cli


def run(*args: str, input: str | None = None) -> object:
    return CliRunner().invoke(build_cli(), list(args), input=input)


def test_scripted_session_round_trips_exactly(tmp_path: Path) -> None:
    ws = str(tmp_path / "w.json")
    assert run("--workspace", ws, "init").exit_code == 0
    result = run(
        "--workspace",
        ws,
        "team",
        "add",
        "Psykiatrien Syd",
        "--region",
        "Region Sjælland",
        "--track",
        "voksenspor",
    )
    assert result.exit_code == 0, result.output
    result = run(
        "--workspace",
        ws,
        "indicator",
        "add",
        "R1",
        "--team",
        "Psykiatrien Syd",
        "--name",
        "Personer tvangsindlagt",
        "--unit",
        "count",
    )
    assert result.exit_code == 0, result.output
    values = {f"2022-{m:02d}": (m * 7) % 5 for m in range(1, 13)}
    for period, value in values.items():
        result = run(
            "--workspace",
            ws,
            "data",
            "add",
            "--team",
            "Psykiatrien Syd",
            "--indicator",
            "R1",
            "--period",
            period,
            "--value",
            str(value),
        )
        assert result.exit_code == 0, result.output
    listed = json.loads(
        run(
            "--workspace", ws, "data", "list", "--team", "Psykiatrien Syd", "--indicator", "R1", "--json"
        ).output
    )
    assert [(row["period"], row["value"]) for row in listed] == list(values.items())
    teams = json.loads(run("--workspace", ws, "team", "list", "--json").output)
    assert [(t["name"], t["region"], t["track"]) for t in teams] == [
        ("Psykiatrien Syd", "Region Sjælland", "voksenspor")
    ]


def test_proportion_takes_numerator_and_denominator(tmp_path: Path) -> None:
    ws = str(tmp_path / "w.json")
    run("-w", ws, "init")
    run("-w", ws, "team", "add", "T")
    run(
        "-w", ws, "indicator", "add", "V1", "--team", "T", "--name", "Andel med UA/KP", "--unit", "proportion"
    )
    result = run(
        "-w",
        ws,
        "data",
        "add",
        "--team",
        "T",
        "--indicator",
        "V1",
        "--period",
        "2022-01",
        "--numerator",
        "3",
        "--denominator",
        "4",
    )
    assert result.exit_code == 0 and "3/4 = 0.75" in result.output
    result = run(
        "-w", ws, "data", "add", "--team", "T", "--indicator", "V1", "--period", "2022-01", "--value", "3"
    )
    assert result.exit_code != 0 and "give a numerator and a denominator" in result.output


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (("team", "show", "Nobody"), "no team 'Nobody'", 3),
        (
            ("data", "add", "--team", "T", "--indicator", "R9", "--period", "2022-01", "--value", "1"),
            "has no indicator 'R9'",
            3,
        ),
        (
            ("data", "add", "--team", "T", "--indicator", "R1", "--period", "2022-13", "--value", "1"),
            "month 13",
            2,
        ),
        (("team", "add", "T"), "already exists", 4),
    ],
)
def test_errors_are_one_clear_line_and_nonzero(tmp_path: Path, args: tuple, message: str, code: int) -> None:
    ws = str(tmp_path / "w.json")
    run("-w", ws, "init")
    run("-w", ws, "team", "add", "T")
    run("-w", ws, "indicator", "add", "R1", "--team", "T", "--name", "R1")
    result = run("-w", ws, *args)
    assert result.exit_code == code
    assert message in result.output and "Traceback" not in result.output


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "w.json"
    path.write_text("precious")
    result = run("-w", str(path), "init")
    assert result.exit_code != 0 and "already exists" in result.output
    assert path.read_text() == "precious"


def test_cycle_commands(tmp_path: Path) -> None:
    ws = str(tmp_path / "w.json")
    run("-w", ws, "init")
    run("-w", ws, "team", "add", "T")
    run("-w", ws, "driver", "add", "--team", "T", "--kind", "primary", "Netværksmøder")
    run(
        "-w",
        ws,
        "driver",
        "add",
        "--team",
        "T",
        "--kind",
        "change-idea",
        "--parent",
        "Netværksmøder",
        "Ringe hjem",
    )
    out = run(
        "-w",
        ws,
        "cycle",
        "add",
        "--team",
        "T",
        "Ringe hjem-ordning",
        "--change-idea",
        "Ringe hjem",
        "--objective",
        "Færre genindlæggelser",
    ).output
    cycle_id = out.split(":")[0]
    assert run("-w", ws, "cycle", "update", cycle_id, "--status", "doing").exit_code == 0
    result = run("-w", ws, "cycle", "act", cycle_id, "adapt")
    assert result.exit_code == 0 and "(cyklus 2)" in result.output
    cycles = json.loads(run("-w", ws, "cycle", "list", "--team", "T", "--json").output)
    assert [c["status"] for c in cycles] == ["done", "planned"]
    shown = json.loads(run("-w", ws, "cycle", "show", cycle_id, "--json").output)
    assert shown["act_decision"] == "adapt" and shown["objective"] == "Færre genindlæggelser"


def test_export_json(tmp_path: Path) -> None:
    ws = str(tmp_path / "w.json")
    run("-w", ws, "init")
    run("-w", ws, "team", "add", "T")
    data = json.loads(run("-w", ws, "export", "--format", "json").output)
    assert data["tables"]["teams"]["t"]["name"] == "T"


def test_version_and_console_script() -> None:
    result = subprocess.run([sys.executable, "-m", "pdsa_cli", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and "0.1.0" in result.stdout


def test_danish_messages(tmp_path: Path) -> None:
    result = run("--lang", "da", "-w", str(tmp_path / "none.json"), "team", "list")
    assert result.exit_code != 0 and result.output.startswith("Fejl:")


def test_garbage_collection_is_paused_only_while_pdsa_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``main`` pauses the collector for the start-up; the command itself runs with it on."""
    import gc

    import pdsa_cli as cli_module
    from pdsa_core import startup
    from pdsa_core.workspace import Workspace

    during_command: list[bool] = []
    create = Workspace.create.__func__  # type: ignore[attr-defined]

    def recording_create(cls: type, *args: object, **kwargs: object) -> object:
        during_command.append(gc.isenabled())
        return create(cls, *args, **kwargs)

    monkeypatch.setattr(Workspace, "create", classmethod(recording_create))
    assert gc.isenabled()
    with pytest.raises(SystemExit) as stopped:
        cli_module.main(["--workspace", str(tmp_path / "w.json"), "init"])
    assert stopped.value.code == 0
    assert during_command == [True]
    assert gc.isenabled()
    startup.pause_gc_for_startup()
    assert not gc.isenabled()
    startup.resume_gc()
    assert gc.isenabled()


def test_a_start_of_the_tui_loads_the_plugins_but_builds_no_command(tmp_path: Path) -> None:
    """``pdsa -w PATH`` opens the TUI with the plugins loaded and their problems reported on
    stderr as always (once, whether the first screen was read in advance or not), without
    importing or building pdsa's commands (or asking plugins for theirs): nothing asks click for
    a command. A command, ``--help`` or a typo asks, and the whole tree is built then."""
    workspace = tmp_path / "w.json"
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "broken.py").write_text("raise RuntimeError('a bug in a plugin')\n", encoding="utf-8")
    env = {**os.environ, "PDSA_CACHE_DIR": str(tmp_path / "cache"), "PDSA_LANG": "en"}
    init = [sys.executable, "-m", "pdsa_cli", "--workspace", str(workspace), "init"]
    subprocess.run(init, capture_output=True, check=True, env=env)
    code = (
        "import atexit, sys\n"
        "import pdsa_cli, tui.app\n"
        "def built():\n"
        "    return sorted(m for m in sys.modules if m.startswith('pdsa_cli.') and m.endswith('_cmds'))\n"
        "def opened(location, **kwargs):\n"
        "    ready = kwargs['first_screen'] is not None or kwargs['workspace'] is not None\n"
        "    print('opened', ready, location)\n"
        "atexit.register(lambda: print('built', built()))\n"
        "tui.app.run_app = opened\n"
        "pdsa_cli.main(sys.argv[1:])\n"
    )

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env)

    tui = run("-w", str(workspace), "--lang", "da", "--plugins-dir", str(folder))
    assert tui.returncode == 0, tui.stderr
    assert tui.stdout.splitlines() == [f"opened True {workspace}", "built []"]
    assert tui.stderr.count("a bug in a plugin") == 1, tui.stderr
    for args in (["-w", str(workspace), "team", "list"], ["--help"], ["nosuch"]):
        asked = run(*args)
        assert "opened" not in asked.stdout, args
        assert "'pdsa_cli.core_cmds'" in asked.stdout.splitlines()[-1], args
    assert "No such command 'nosuch'" in run("nosuch").stderr
