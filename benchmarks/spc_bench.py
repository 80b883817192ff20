"""Throughput of the SPC engine: series analysed per second on one core.

Run from the repository root:  python benchmarks/spc_bench.py [--series N]

Prints three figures: 10,000 run charts of 60 points, 10,000 P charts of 60 points,
and one series of 100,000 points (run chart), each with the default Anhøj rules.
The series are generated with a fixed seed before timing starts.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pdsa_core.spc import analyze  # noqa: E402


def _run_series(rng: random.Random, count: int, length: int) -> list[list[float]]:
    return [[round(rng.gauss(50, 10), 1) for _ in range(length)] for _ in range(count)]


def _p_series(rng: random.Random, count: int, length: int) -> list[tuple[list[int], list[int]]]:
    out = []
    for _ in range(count):
        n = [rng.randint(20, 200) for _ in range(length)]
        y = [sum(1 for _ in range(k) if rng.random() < 0.3) for k in n]
        out.append((y, n))
    return out


def _time(label: str, work, count: int) -> float:
    start = time.perf_counter()
    work()
    elapsed = time.perf_counter() - start
    rate = count / elapsed
    print(f"{label:<40} {count:>7} series in {elapsed:7.3f} s = {rate:10,.0f} series/s")
    return rate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=10_000, help="series per chart type")
    parser.add_argument("--length", type=int, default=60, help="points per series")
    parser.add_argument("--long", type=int, default=100_000, help="points in the long series")
    args = parser.parse_args(argv)

    rng = random.Random(20240101)
    runs = _run_series(rng, args.series, args.length)
    ps = _p_series(rng, args.series, args.length)
    long_series = [round(rng.gauss(50, 10), 1) for _ in range(args.long)]

    print(f"python {sys.version.split()[0]}, {args.length} points per series")
    _time("run charts", lambda: [analyze(y) for y in runs], len(runs))
    _time("p charts", lambda: [analyze(y, n=n, chart="p") for y, n in ps], len(ps))
    _time(f"run chart of {args.long:,} points", lambda: analyze(long_series), 1)
    _time(f"i chart of {args.long:,} points", lambda: analyze(long_series, chart="i"), 1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
