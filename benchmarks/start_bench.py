"""What ``pdsa -w national.json`` does before the app runs, phase by phase.

Run from the repository root::

    python benchmarks/start_bench.py [--keep DIR] [--starts 11] [--instructions]

Each start is a fresh Python process running ``pdsa_cli.main(["--workspace", PATH])`` as the
``pdsa`` script does, stopped where the TUI's app would start running (``App.run``), on the
national workspace of ``benchmarks/tui_bench.py`` (50 teams x 30 indicators x 120 months).
The phases, in the order a start makes them:

- **python, pdsa_cli**: the interpreter's start and ``import pdsa_cli`` (click, rich);
- **prepare**: ``prepare_start`` (the dataclass methods' table read from the cache folder,
  the collector paused);
- **command line**: ``build_cli`` and click's parsing;
- **root command**: the root command up to ``open_tui``;
- **TUI import**: ``open_tui`` up to the end of ``import tui.app`` (Textual and pdsa's screens),
  while a forked process reads the first screen (:mod:`pdsa_core.overview_in_advance`: the
  workspace opened, the plugins loaded and attached, the first dashboard computed), which
  this benchmark does not time (``tui_bench.py`` does: its first paint includes it);
- **first screen or open**: waiting for that first screen; where none is read in advance
  (one processor, a server workspace), opening the workspace with its plugins here;
- **app built**: ``run_app`` up to ``App.run`` (the app and its stylesheets).

**Times** (default): the median of ``--starts`` starts of each phase, wall clock. **Instructions**
(``--instructions``): one start under valgrind's callgrind, with the count dumped at each
phase's end (steady within 0.1 % from run to run on a busy machine, where times move 20-50 %;
it leaves out what instructions do not show, and counts SHA-256 in software: valgrind hides
the CPU's SHA instructions, so the workspace's digest, ~3 ms, shows as ~130 M there).

The starts get a cache folder of the benchmark's own (``PDSA_CACHE_DIR``), filled by one
uncounted start that ends its start-up as the TUI does once its first screen is shown
(``resume_gc``: the checked workspace, the installed plugins and the dataclass methods
remembered). What happens from ``App.run`` to the first paint is ``tui_bench.py``'s.
"""

from __future__ import annotations

import time

_T0 = time.perf_counter()  # the child's own start, before any import

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PHASES = (
    "python, pdsa_cli",
    "prepare",
    "command line",
    "root command",
    "TUI import",
    "first screen or open",
    "app built",
)


# -- the child: one start, marked at the end of each phase --------------------------------------------
def child(location: str, *, fill: bool) -> None:
    """Start ``pdsa -w LOCATION`` up to ``App.run``; print each phase's end (perf_counter).

    Each mark calls ``os.getppid()`` too: under ``valgrind --dump-before=getppid`` that dumps
    the instructions counted since the last mark."""
    ends: list[float] = []

    def mark() -> None:
        ends.append(time.perf_counter())
        os.getppid()

    sys.path.insert(0, str(ROOT))
    import pdsa_cli

    mark()
    prepare, build, open_tui = pdsa_cli.prepare_start, pdsa_cli.build_cli, pdsa_cli.open_tui
    import pdsa_cli.context
    from pdsa_core import overview_in_advance

    result, workspace = overview_in_advance.FirstScreenInAdvance.result, pdsa_cli.context.AppContext.workspace

    def timed_result(advance: Any) -> Any:
        mark()  # open_tui imported the TUI, then asks for the first screen
        stop_at_run()
        try:
            return result(advance)
        finally:
            mark()

    def timed_workspace(app_ctx: Any) -> Any:
        first = len(ends) == 4  # no first screen read in advance: open_tui opens the workspace
        if first:
            mark()
            stop_at_run()
        try:
            return workspace(app_ctx)
        finally:
            if first:
                mark()

    overview_in_advance.FirstScreenInAdvance.result = timed_result  # type: ignore[method-assign]
    pdsa_cli.context.AppContext.workspace = timed_workspace  # type: ignore[method-assign]

    def timed_prepare() -> None:
        prepare()
        if len(ends) == 1:
            mark()

    def timed_build() -> Any:
        cli = build()
        mark()
        return cli

    def stop_at_run() -> None:
        """Once open_tui has imported Textual: the app's ``run`` ends the start."""
        import textual.app

        def stop(app: Any, *args: Any, **kwargs: Any) -> None:
            mark()
            if fill:  # start-up is over, as once the TUI's first screen is shown
                from pdsa_core.startup import resume_gc

                resume_gc()
            print(
                "PHASES " + json.dumps([end - start for start, end in zip([_T0, *ends], ends, strict=False)]),
                flush=True,
            )
            os._exit(0)

        textual.app.App.run = stop  # type: ignore[method-assign]

    def timed_open_tui(app_ctx: Any, **kwargs: Any) -> None:
        mark()
        open_tui(app_ctx, **kwargs)

    pdsa_cli.prepare_start = timed_prepare
    pdsa_cli.build_cli = timed_build
    pdsa_cli.open_tui = timed_open_tui
    pdsa_cli.main(["--workspace", location])


# -- the parent ------------------------------------------------------------------------------------------
def _start(workspace: Path, cache: Path, *, fill: bool = False, valgrind: list[str] = ()) -> list[float]:
    command = [*valgrind, sys.executable, str(Path(__file__).resolve()), "--child", str(workspace)]
    if fill:
        command.append("--fill")
    env = {**os.environ, "PDSA_CACHE_DIR": str(cache), "PDSA_LANG": "da", "PYTHONHASHSEED": "0"}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("PHASES ")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"the start failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    phases: list[float] = json.loads(lines[-1][len("PHASES ") :])
    return phases


def _instructions(workspace: Path, cache: Path) -> list[float]:
    """Instructions of each phase of one start (callgrind dumps one file per mark)."""
    with tempfile.TemporaryDirectory(prefix="pdsa-start-bench-callgrind-") as scratch:
        out = Path(scratch) / "callgrind.out"
        _start(
            workspace,
            cache,
            valgrind=["valgrind", "--tool=callgrind", "--dump-before=getppid", f"--callgrind-out-file={out}"],
        )
        counts = []
        dumps = [p for p in Path(scratch).glob("callgrind.out.*") if p.suffix[1:].isdigit()]
        for dump in sorted(dumps, key=lambda p: int(p.suffix[1:])):
            for line in dump.read_text(encoding="utf-8", errors="replace").splitlines():
                if line.startswith(("summary:", "totals:")):
                    counts.append(float(line.split()[1]))
                    break
    return counts[: len(PHASES)]  # one dump per mark (what follows the last is the exit)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--starts", type=int, default=11, help="starts to time (default 11)")
    parser.add_argument("--keep", metavar="DIR", help="the folder of tui_bench.py --keep (national.json)")
    parser.add_argument("--instructions", action="store_true", help="count instructions with valgrind")
    parser.add_argument("--child", metavar="WORKSPACE", help=argparse.SUPPRESS)
    parser.add_argument("--fill", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, fill=args.fill)
        return
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from tui_bench import build_national

    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="pdsa-start-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    national = folder / "national.json"
    if not national.exists():
        build_national(national)
    cache = Path(tempfile.mkdtemp(prefix="pdsa-start-bench-cache-"))
    print(f"python {sys.version.split()[0]}; load average before: {os.getloadavg()[0]:.2f}")
    print(f"national workspace: {national} ({national.stat().st_size / 1e6:.1f} MB)")
    try:
        _start(national, cache, fill=True)  # the uncounted first start fills the cache folder
        if args.instructions:
            if shutil.which("valgrind") is None:
                raise SystemExit("--instructions needs valgrind (Debian/Ubuntu: apt install valgrind)")
            counts = _instructions(national, cache)
            print("\ninstructions of each phase, one start (valgrind --tool=callgrind)")
            for name, count in zip(PHASES, counts, strict=True):
                print(f"  {name:18} {count / 1e6:8.1f} M")
            print(f"  {'to App.run':18} {sum(counts) / 1e6:8.1f} M")
        else:
            starts = [_start(national, cache) for _ in range(args.starts)]
            print(f"\nwall clock of each phase, median of {args.starts} starts")
            for index, name in enumerate(PHASES):
                print(f"  {name:18} {1000 * statistics.median(s[index] for s in starts):7.1f} ms")
            total = statistics.median(sum(s) for s in starts)
            print(f"  {'to App.run':18} {1000 * total:7.1f} ms")
        print(f"load average after: {os.getloadavg()[0]:.2f}")
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
