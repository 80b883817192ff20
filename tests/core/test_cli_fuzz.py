"""Zero tracebacks: every command of ``pdsa --help`` (found by walking the click tree, so a
new command is fuzzed without touching this file) run with hostile arguments generated
from its own click parameters.

For each run it asserts: no traceback and no uncaught exception; a refusal (non-zero exit)
is one line on stderr (click's usage errors keep their standard ``Usage:``/``Error:`` form,
``Brug:``/``Fejl:`` in Danish, whose error line is one line); after a refusal the workspace
file is byte-identical.

Each command gets ``PDSA_FUZZ_EXAMPLES`` examples (default :data:`EXAMPLES`), derandomized,
so CI runs the same command lines every time. Special files are made by the test in its
own temporary folder: a FIFO (``os.mkfifo``), a folder, a missing folder, a junk file and a
too-long name; never a system device.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pdsa_cli import build_cli

#: examples per command (the default keeps the whole module well under a minute)
EXAMPLES = int(os.environ.get("PDSA_FUZZ_EXAMPLES", "4"))

#: seconds one command line may take before it counts as hung (a FIFO opened for reading)
HANG_SECONDS = 60

#: commands not fuzzed, and why (everything else in the tree is)
SKIPPED: dict[tuple[str, ...], str] = {
    ("plugins", "install"): "runs pip install (network, changes the Python environment)",
    ("plugins", "uninstall"): "runs pip uninstall (changes the Python environment)",
    ("server", "init"): "connects to the PostgreSQL server its URL argument names (network)",
}

#: options always given to a command, so it does not open the TUI (the bare ``pdsa`` is a
#: group, never a leaf, so it is not run at all)
FORCED: dict[tuple[str, ...], tuple[str, ...]] = {
    ("demo",): ("--write", "demo-out.json"),
}

HUGE = "x" * 100_000
HOSTILE = [
    "",
    " ",
    HUGE,
    "\x1b[2J\x1b]8;;file:///etc/passwd\x07link\x1b]8;;\x07",
    "\x1b[31mred",
    "\u202etxt.exe",
    "a\x00b",
    "a\nb",
    "\t",
    "\r",
    "\x7f\x9b",
    "[/]",
    "[bold]x[/bold]",
    "Psykiatri Nord [/] Syd [antal]",
    "[@click=app.quit]x[/]",
    "$\\foo$",
    "<script>&amp;",
    "{0} {name} %s",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "1e309",
    "-1e309",
    "-1",
    "0",
    "-0",
    "0.5",
    "-99999999999999999999999",
    "99999999999999999999999",
    "2022-13",
    "0000-00",
    "9999-12",
    "2022-02-30",
    "-",
    "--",
    "../../../x",
    "0101801234",
    "Ä\u0308",
]


def _walk(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _walk(command, (*path, name))
        else:
            yield (*path, name), command


_CLI = build_cli()
COMMANDS = dict(_walk(_CLI))


def test_the_walk_finds_the_command_tree() -> None:
    """The walk reaches nested commands, and every skipped command still exists."""
    assert ("team", "add") in COMMANDS
    assert ("report", "status") in COMMANDS
    assert len(COMMANDS) > 40
    for skipped in [*SKIPPED, *FORCED]:
        assert skipped in COMMANDS, f"{' '.join(skipped)} is no longer a command: update SKIPPED/FORCED"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The demo workspace (built once) and short strings found in it (names, ids, periods),
    so generated command lines also reach past "no such team"."""
    from pdsa_core.demo.builder import write_demo

    path = write_demo(tmp_path_factory.mktemp("demo") / "demo.json")
    found: set[str] = set()

    def collect(value: Any) -> None:
        if isinstance(value, str) and 0 < len(value) <= 40:
            found.add(value)
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    collect(json.loads(path.read_text(encoding="utf-8")))
    return path, sorted(found)


def _special_paths(folder: Path) -> dict[str, str]:
    """Files the test makes itself in ``folder``: never a system device."""
    fifo = folder / "fifo"
    os.mkfifo(fifo)
    (folder / "a-folder").mkdir()
    (folder / "junk.csv").write_bytes(b"\xff\xfe\x00junk;;\n\x1b[2J\n")
    return {
        "fifo": str(fifo),
        "folder": str(folder / "a-folder"),
        "missing": str(folder / "missing" / "out.csv"),
        "junk": str(folder / "junk.csv"),
        "long": str(folder / ("n" * 300 + ".csv")),
        "new": str(folder / "new.html"),
    }


def _text(valid: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(HOSTILE),
        st.sampled_from(valid),
        st.text(max_size=12),
    )


def _value(param: click.Parameter, valid: list[str]) -> st.SearchStrategy[str]:
    kind = param.type
    if isinstance(kind, click.Choice):
        return st.one_of(st.sampled_from([str(c) for c in kind.choices]), _text(valid))
    if isinstance(kind, (click.Path, click.File)) or getattr(param, "metavar", None) == "PATH":
        return st.one_of(
            st.sampled_from(["@fifo", "@folder", "@missing", "@junk", "@long", "@new"]), _text(valid)
        )
    return _text(valid)


@st.composite
def _command_line(draw: st.DrawFn, command: click.Command, valid: list[str]) -> list[str]:
    args: list[str] = []
    for param in command.params:
        if isinstance(param, click.Option):
            if param.hidden or any(name in ("--help", "-h") for name in param.opts):
                continue
            if not param.required and not draw(st.booleans()):
                continue
            if param.is_flag or param.count:
                flags = list(param.opts) + list(param.secondary_opts)
                args.append(draw(st.sampled_from(flags)))
                continue
            repeats = draw(st.integers(1, 2)) if param.multiple else 1
            for _ in range(repeats):
                args.append(param.opts[0])
                args.extend(draw(_value(param, valid)) for _ in range(max(param.nargs, 1)))
        elif isinstance(param, click.Argument):
            if param.nargs == -1:
                count = draw(st.integers(1 if param.required else 0, 3))
            elif not param.required and not draw(st.booleans()):
                continue
            else:
                count = param.nargs
            args.extend(draw(_value(param, valid)) for _ in range(count))
    return args


@st.composite
def _root_options(draw: st.DrawFn, valid: list[str]) -> list[str]:
    """Sometimes a hostile global option too: ``--lang``, ``--plugins-dir`` or another
    ``--workspace`` (given after the test's own, so it is the one used)."""
    params = {p.name: p for p in _CLI.params}
    which = draw(st.sampled_from(["", "", "", "lang", "plugins_dirs", "workspace"]))
    if not which:
        return []
    param = params[which]
    assert isinstance(param, click.Option)
    return [param.opts[0], draw(_value(param, valid))]


class Hung(Exception):
    """A command line that did not finish in :data:`HANG_SECONDS` (e.g. it opened a FIFO)."""


def _on_alarm(signum: int, frame: object) -> None:
    raise Hung(f"no answer after {HANG_SECONDS} s")


def _run(argv: list[str], cwd: Path, env: dict[str, str]) -> Result:
    before = os.getcwd()
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, HANG_SECONDS)
    try:
        os.chdir(cwd)
        return CliRunner(env=env).invoke(_CLI, argv)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        os.chdir(before)


def _check_refusal_lines(result: Result, shown: str) -> None:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines, f"{shown}: exit {result.exit_code} with nothing on stderr"
    # notices before the refusal (a plugin folder that cannot be read) are their own lines
    lines = [line for line in lines if not line.startswith("Warning: ")] or lines
    if lines[0].startswith(("Usage:", "Brug:")):  # click's usage error: Usage, Try '-h', then one Error line
        errors = [i for i, line in enumerate(lines) if line.startswith(("Error:", "Fejl:"))]
        assert errors, f"{shown}: usage text without an error line:\n{result.stderr}"
        assert errors[-1] == len(lines) - 1, f"{shown}: the error is more than one line:\n{result.stderr}"
        return
    assert len(lines) == 1, f"{shown}: the refusal is {len(lines)} lines, not one:\n{result.stderr[:3000]}"


def _short(argv: list[str]) -> str:
    return "pdsa " + " ".join(repr(a) if len(a) < 60 else f"<{len(a)} chars>" for a in argv)


@pytest.mark.xdist_group("cli_fuzz")
@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")  # the 100,000-char repr
@pytest.mark.parametrize("name", [" ".join(path) for path in COMMANDS if path not in SKIPPED])
def test_no_command_line_gives_a_traceback(name: str, demo: tuple[Path, list[str]], tmp_path: Path) -> None:
    path = tuple(name.split(" "))
    command = COMMANDS[path]
    demo_file, valid = demo

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(root=_root_options(valid), args=_command_line(command, valid))
    def check(root: list[str], args: list[str]) -> None:
        deep = tmp_path / "a" / "b" / "c"  # so "../../../x" still lands inside tmp_path
        deep.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(dir=deep))
        try:
            workspace = folder / "workspace.json"
            shutil.copyfile(demo_file, workspace)
            specials = _special_paths(folder)
            root, args = (
                [specials.get(a[1:], a) if a.startswith("@") else a for a in v] for v in (root, args)
            )
            argv = ["--workspace", str(workspace), *root, *path, *FORCED.get(path, ()), *args]
            env = {
                "HOME": str(folder / "home"),
                "XDG_CONFIG_HOME": str(folder / "config"),
                "XDG_DATA_HOME": str(folder / "data"),
                "PDSA_LANG": "en",
            }
            original = workspace.read_bytes()
            result = _run(argv, folder, env)
            shown = _short(argv)
            output = result.stdout + result.stderr
            assert "Traceback (most recent call last)" not in output, f"{shown}:\n{output[-3000:]}"
            if result.exception is not None and not isinstance(result.exception, SystemExit):
                import traceback

                trace = "".join(traceback.format_exception(result.exception))
                raise AssertionError(f"{shown}: uncaught {result.exception!r}\n{trace}")
            if result.exit_code != 0:
                _check_refusal_lines(result, shown)
                assert workspace.read_bytes() == original, f"{shown}: refused, but the workspace changed"
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    check()
