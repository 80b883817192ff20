"""Time to write the demo workspace (what 'pdsa demo' does before the TUI opens).

Run from the repository root:  python benchmarks/demo_bench.py [--runs N]

Writes the demo N times (default 5) into a temporary folder, after one untimed warm-up
write (first imports), and prints the wall-clock and CPU time of each write, the median,
the file size, and whether every write produced the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pdsa_core.demo import write_demo  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        write_demo(Path(folder) / "warm-up.json")
        walls, cpus, digests = [], [], set()
        size = 0
        for run in range(args.runs):
            target = Path(folder) / f"demo-{run}.json"
            wall, cpu = time.perf_counter(), time.process_time()
            write_demo(target)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
            data = target.read_bytes()
            size = len(data)
            digests.add(hashlib.sha256(data).hexdigest())
    for run, (wall, cpu) in enumerate(zip(walls, cpus, strict=True), start=1):
        print(f"write {run}: {wall:.3f} s wall, {cpu:.3f} s CPU")
    print(f"median: {statistics.median(walls):.3f} s wall, {statistics.median(cpus):.3f} s CPU")
    print(f"file: {size / 1e6:.2f} MB; identical bytes in every write: {len(digests) == 1}")


if __name__ == "__main__":
    main()
