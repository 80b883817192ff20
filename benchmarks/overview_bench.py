"""Speed of a team's first overview: ``team_overview`` on a freshly opened national workspace.

Run from the repository root::

    python benchmarks/overview_bench.py [--runs 9] [--keep DIR]

The workspace is the national one of ``tui_bench.py`` (50 teams x 30 indicators x 120 months,
written in one store transaction; ``--keep DIR`` keeps it as ``DIR/national.json`` and reuses
it next time). Each sample is a fresh Python process that imports pdsa_core (the overview and
the SPC engine), opens the workspace, and then times:

- **first**: ``team_overview(ws, "team-00")``, what the TUI's dashboard and ``pdsa team show``
  compute first: 30 indicators' records, SPC analyses, verdicts and missing months, nothing
  cached yet (wall and CPU time of the process), with the cyclic collector paused as during
  the TUI's start (``pdsa_core.startup``; a collection of the freshly read workspace would
  otherwise land in whatever runs first);
- **again**: the same call once more, the collector resumed (everything cached until the
  workspace changes);
- **open**: ``Workspace.open`` itself, measured in the same process, as the yardstick the
  first overview is compared with (a loaded machine slows both).

Prints the median and the minimum of each over the runs, and the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def child(path: str, team: str) -> None:
    """One sample: print the figures of this process as JSON."""
    import pdsa_core.analysis  # noqa: F401  (imports are not what is measured here)
    from pdsa_core.overview import team_overview
    from pdsa_core.startup import pause_gc_for_startup, resume_gc
    from pdsa_core.workspace import Workspace

    pause_gc_for_startup()  # as the TUI's start: its dashboard is computed before the collector runs
    start = time.perf_counter()
    ws = Workspace.open(path)
    opened = time.perf_counter() - start
    start, cpu = time.perf_counter(), time.process_time()
    overview = team_overview(ws, team)
    first, first_cpu = time.perf_counter() - start, time.process_time() - cpu
    resume_gc()
    start = time.perf_counter()
    team_overview(ws, team)
    again = time.perf_counter() - start
    figures = {"open": opened, "first": first, "first_cpu": first_cpu, "again": again}
    print(json.dumps({"indicators": len(overview["indicators"]), **figures}))


def _line(name: str, values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return f"  {name:<22} median {statistics.median(ms):7.1f} ms   min {min(ms):7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=9, help="fresh processes to time (default 9)")
    parser.add_argument("--keep", metavar="DIR", help="keep (and reuse) the workspace in DIR")
    parser.add_argument("--team", default="team-00", help=argparse.SUPPRESS)
    parser.add_argument("--child", metavar="WORKSPACE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.team)
        return

    from tui_bench import build_national

    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="pdsa-overview-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "national.json"
    if not path.exists():
        print(f"writing the national workspace: {build_national(path):.1f} s")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    samples: list[dict[str, float]] = []
    load = os.getloadavg()
    for _ in range(args.runs):
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(path), "--team", args.team],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        samples.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(
        f"first team_overview on the national workspace ({samples[0]['indicators']:.0f} indicators), "
        f"{args.runs} fresh processes:"
    )
    print(_line("first call (wall)", [s["first"] for s in samples]))
    print(_line("first call (CPU)", [s["first_cpu"] for s in samples]))
    print(_line("again (cached)", [s["again"] for s in samples]))
    print(_line("Workspace.open", [s["open"] for s in samples]))
    ratio = statistics.median(s["first"] / s["open"] for s in samples)
    print(f"  first call / open: {ratio:.2f} (median)")
    print(f"load average: {load[0]:.2f} before, {os.getloadavg()[0]:.2f} after")


if __name__ == "__main__":
    main()
