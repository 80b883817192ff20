"""What containing plugin code costs: one guarded call, and an import with an on_event plugin.

Run from the repository root:  python benchmarks/plugin_guard_bench.py [--calls N] [--values N]

Prints the time of N bare calls of a small function and of N calls through
``pdsa_core.plugin_guard.guarded`` (SIGINT counting, stdout to stderr, timing), the
difference per call, and the wall-clock time of storing N values in one transaction into a
workspace whose only plugin has an ``on_event`` hook (every event goes through the guard),
against the same without the plugin.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pdsa_core import MeasurementInput, hookimpl, load_plugins  # noqa: E402
from pdsa_core.plugin_guard import guarded  # noqa: E402
from pdsa_core.workspace import Workspace  # noqa: E402


class Counter:
    def __init__(self) -> None:
        self.events = 0

    @hookimpl
    def on_event(self, event: str) -> None:
        self.events += 1


def _calls(count: int) -> tuple[float, float]:
    def work() -> int:
        return 1

    start = time.perf_counter()
    for _ in range(count):
        work()
    bare = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(count):
        with guarded():
            work()
    return bare, time.perf_counter() - start


def _store(folder: Path, values: int, with_plugin: bool) -> tuple[float, int]:
    ws = Workspace.create(folder / f"ws-{with_plugin}-{time.monotonic_ns()}.json")
    counter = Counter()
    if with_plugin:
        load_plugins(extra=[("counter", counter)], include_entry_points=False, fresh=True).attach(ws)
    team = ws.add_team("Team Nord")
    ws.add_indicator(team.id, "R1", "Tvangsindlagte")
    months = [f"{1900 + i // 12}-{i % 12 + 1:02d}" for i in range(values)]
    start = time.perf_counter()
    ws.add_measurements(team.id, [MeasurementInput("R1", m, value=i % 7) for i, m in enumerate(months)])
    return time.perf_counter() - start, counter.events


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--values", type=int, default=1_200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    bare, contained = _calls(args.calls)
    print(
        f"{args.calls} calls: bare {bare * 1000:.1f} ms, guarded {contained * 1000:.1f} ms, "
        f"{(contained - bare) / args.calls * 1e6:.2f} µs more per call"
    )
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        _store(folder, 12, True)  # warm-up (imports)
        plain = [_store(folder, args.values, False)[0] for _ in range(args.runs)]
        listened = [_store(folder, args.values, True) for _ in range(args.runs)]
    events = listened[0][1]
    print(f"store {args.values} values, no plugin: median {statistics.median(plain) * 1000:.0f} ms")
    print(
        f"store {args.values} values, on_event plugin ({events} events through the guard): "
        f"median {statistics.median(t for t, _ in listened) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
