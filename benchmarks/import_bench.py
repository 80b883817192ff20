"""Benchmark: a 1,000,000-row event extract to monthly R1/R2/F1/F2.

Each engine runs in a fresh subprocess (so peak memory is its own), several times;
the best wall time is reported with its CPU time, rows per second and peak resident
memory (``ru_maxrss`` of the process and of any worker process it forked). Engines:

* ``pdsa``: :func:`pdsa_core.importing.aggregate_events` as the program uses it
  (``engine="auto"``: the pyarrow engine for a file this size);
* ``pdsa-python``: the exact Python scanner (``engine="python"``), which also reports
  row errors; two processes when a second core is idle, else one;
* ``pdsa-1`` / ``pdsa-2``: the Python scanner forced to one / two processes;
* ``csv-loop``: a plain ``csv.reader`` loop doing the same counting (the naive way);
* ``polars`` / ``duckdb``: the fastest CSV engines available, as the limit (skipped
  when not installed; they are not dependencies of pdsa); ``polars-same`` also
  normalises labels and identifiers the way pdsa does (pdsa checks yet more: CPR and
  date validity, row errors with row numbers, the concentration figure).

All engines must agree on the totals (checked). ``wall s`` is the time from calling the
engine to having its figures, in a fresh process: for ``pdsa`` it includes importing
pyarrow and numpy (done on first use), but not importing ``pdsa_core.importing`` itself,
which is ``import s``; ``+import s`` is the sum. For polars and duckdb, ``import s`` is
importing them. The machine's load average is printed: other processes on a 2-core
machine change every figure.

Usage::

    python benchmarks/import_bench.py                 # makes benchmarks/out/events.csv
    python benchmarks/import_bench.py --rows 200000 --repeat 5 --engines pdsa,polars
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ENGINES = ("pdsa", "pdsa-python", "pdsa-1", "pdsa-2", "csv-loop", "polars", "polars-same",
           "duckdb")

# --- the engines, run inside the subprocess --------------------------------------------


def _population() -> dict:
    sys.path.insert(0, str(HERE))
    from make_event_extract import BENCH_POPULATION

    return BENCH_POPULATION


def run_pdsa(path: str, engine: str, workers: int | None) -> tuple[dict[str, dict[str, int]],
                                                                  str]:
    from pdsa_core.importing import EventLayout, Population, aggregate_events

    result = aggregate_events(path, EventLayout(), Population.from_dict(_population()),
                              workers=workers, engine=engine)
    return result.values, f"{result.engine}, {result.workers} process" + (
        "es" if result.workers > 1 else "")


def run_csv_loop(path: str) -> dict[str, dict[str, int]]:
    import csv
    from collections import Counter, defaultdict

    pop = _population()
    municipalities = {m.casefold() for m in pop["municipalities"]}
    wards = {w.casefold() for w in pop["wards"]}
    persons: dict[str, dict[str, set[str]]] = {"R": defaultdict(set), "F": defaultdict(set)}
    events: dict[str, Counter[str]] = {"R": Counter(), "F": Counter()}
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        next(reader)
        for cpr, stamp, kind, ward, age, municipality, _outpatient, forensic in reader:
            if (ward.casefold() not in wards or int(age) < pop["min_age"]
                    or municipality.casefold() not in municipalities or forensic == "ja"):
                continue
            month = f"{stamp[6:10]}-{stamp[3:5]}"
            key = hash(cpr.replace("-", ""))
            persons["F"][month].add(key)
            events["F"][month] += 1
            if kind.casefold() == "tvangsindlæggelse":
                persons["R"][month].add(key)
                events["R"][month] += 1
    months = sorted(events["F"])
    return {
        "R1": {m: len(persons["R"][m]) for m in months},
        "R2": {m: events["R"][m] for m in months},
        "F1": {m: len(persons["F"][m]) for m in months},
        "F2": {m: events["F"][m] for m in months},
    }


def run_polars(path: str) -> dict[str, dict[str, int]]:
    import polars as pl

    pop = _population()
    frame = (
        pl.scan_csv(path, separator=";", infer_schema=False)
        .with_columns(
            pl.col("tidspunkt").str.strptime(pl.Datetime, "%d.%m.%Y %H:%M")
            .dt.strftime("%Y-%m").alias("month"),
            pl.col("cpr").str.replace("-", "").hash(7).alias("person"),
            (pl.col("tvangstype").str.to_lowercase() == "tvangsindlæggelse").alias("adm"),
        )
        .filter(
            pl.col("alder").cast(pl.Int32) >= pop["min_age"],
            pl.col("bopælskommune").is_in(pop["municipalities"]),
            pl.col("afsnit").is_in(pop["wards"]),
            pl.col("retspsykiatrisk") != "ja",
        )
        .group_by("month")
        .agg(
            pl.col("person").filter(pl.col("adm")).n_unique().alias("R1"),
            pl.col("adm").sum().alias("R2"),
            pl.col("person").n_unique().alias("F1"),
            pl.len().alias("F2"),
        )
        .sort("month")
        .collect()
    )
    return {k: dict(zip(frame["month"], map(int, frame[k]), strict=True))
            for k in ("R1", "R2", "F1", "F2")}


def run_polars_same(path: str) -> dict[str, dict[str, int]]:
    """polars, normalising text the way pdsa does (case, spacing, "Kommune", CPR dash)."""
    import polars as pl

    pop = _population()

    def norm(column: str) -> pl.Expr:
        return (pl.col(column).str.strip_chars().str.to_lowercase()
                .str.replace_all(r"\s+", " ").str.replace(r" kommune$", ""))

    stamp = (pl.col("tidspunkt").str.strip_chars().str.extract(r"^([^ tT]*)")
             .str.extract_groups(r"^([0-9]{1,2})[.\-/]([0-9]{1,2})[.\-/]([0-9]{4})$"))
    identifier = pl.col("cpr").str.strip_chars()
    frame = (
        pl.scan_csv(path, separator=";", infer_schema=False)
        .with_columns(
            pl.when(identifier.str.contains(r"^[0-9]{6}-[0-9]{4}$"))
            .then(identifier.str.replace("-", "")).otherwise(identifier)
            .hash(7).alias("person"),
            (stamp.struct.field("3") + "-" + stamp.struct.field("2").str.zfill(2))
            .alias("month"),
            (norm("tvangstype") == "tvangsindlæggelse").alias("adm"),
        )
        .filter(
            pl.col("alder").str.strip_chars().cast(pl.Int32, strict=False) >= pop["min_age"],
            norm("bopælskommune").is_in([m.lower() for m in pop["municipalities"]]),
            norm("afsnit").is_in([w.lower() for w in pop["wards"]]),
            norm("retspsykiatrisk").is_in(["nej", "n", "0", "", "no", "false", "falsk", "-"]),
        )
        .group_by("month")
        .agg(
            pl.col("person").filter(pl.col("adm")).n_unique().alias("R1"),
            pl.col("adm").sum().alias("R2"),
            pl.col("person").n_unique().alias("F1"),
            pl.len().alias("F2"),
        )
        .collect(engine="streaming")
    )
    return {k: dict(zip(frame["month"], map(int, frame[k]), strict=True))
            for k in ("R1", "R2", "F1", "F2")}


def run_duckdb(path: str) -> dict[str, dict[str, int]]:
    import duckdb

    pop = _population()
    connection = duckdb.connect()
    connection.execute(f"SET threads={os.cpu_count() or 1}")
    municipalities = ", ".join("'" + m.replace("'", "''") + "'" for m in pop["municipalities"])
    wards = ", ".join("'" + w + "'" for w in pop["wards"])
    rows = connection.execute(f"""
        SELECT strftime(strptime(tidspunkt, '%d.%m.%Y %H:%M'), '%Y-%m') AS month,
               count(DISTINCT hash(replace(cpr, '-', '')))
                   FILTER (WHERE lower(tvangstype) = 'tvangsindlæggelse') AS r1,
               count(*) FILTER (WHERE lower(tvangstype) = 'tvangsindlæggelse') AS r2,
               count(DISTINCT hash(replace(cpr, '-', ''))) AS f1,
               count(*) AS f2
        FROM read_csv('{path}', delim=';', header=true, all_varchar=true)
        WHERE CAST(alder AS INTEGER) >= {pop['min_age']}
          AND bopælskommune IN ({municipalities}) AND afsnit IN ({wards})
          AND retspsykiatrisk <> 'ja'
        GROUP BY month ORDER BY month""").fetchall()
    return {key: {row[0]: int(row[i + 1]) for row in rows}
            for i, key in enumerate(("R1", "R2", "F1", "F2"))}


def child(engine: str, path: str) -> None:
    """Run one engine once in this process and print its figures as JSON."""
    import resource

    sys.path.insert(0, str(ROOT))
    started = time.perf_counter()
    if engine.startswith("polars"):
        import polars  # noqa: F401
    elif engine == "duckdb":
        import duckdb  # noqa: F401
    elif engine.startswith("pdsa"):
        import pdsa_core.importing  # noqa: F401
    imported = time.perf_counter()
    cpu = time.process_time()
    read_by = ""
    if engine == "pdsa":
        values, read_by = run_pdsa(path, "auto", None)
    elif engine == "pdsa-python":
        values, read_by = run_pdsa(path, "python", None)
    elif engine == "pdsa-1":
        values, read_by = run_pdsa(path, "python", 1)
    elif engine == "pdsa-2":
        values, read_by = run_pdsa(path, "python", 2)
    elif engine == "csv-loop":
        values = run_csv_loop(path)
    elif engine == "polars":
        values = run_polars(path)
    elif engine == "polars-same":
        values = run_polars_same(path)
    else:
        values = run_duckdb(path)
    wall = time.perf_counter() - imported
    cpu = time.process_time() - cpu
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({
        "wall": wall,
        "import": imported - started,
        "cpu": cpu + children.ru_utime + children.ru_stime,
        "peak_mb": own.ru_maxrss / 1024,
        "worker_peak_mb": children.ru_maxrss / 1024,
        "totals": {k: sum(v.values()) for k, v in values.items()},
        "read_by": read_by,
    }))


# --- the driver -----------------------------------------------------------------------------


def available(engine: str) -> bool:
    if engine.startswith(("polars", "duckdb")):
        try:
            __import__(engine.split("-")[0])
        except ImportError:
            return False
    return True


def measure(engine: str, path: Path, repeat: int) -> dict | None:
    runs = []
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, __file__, "--child", engine, str(path)],
            capture_output=True, text=True, cwd=ROOT,
        )
        if done.returncode != 0:
            print(f"{engine}: failed\n{done.stderr[-2000:]}", file=sys.stderr)
            return None
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    best = min(runs, key=lambda run: run["wall"])
    best["walls"] = [run["wall"] for run in runs]
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--path", type=Path, default=HERE / "out" / "events.csv")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--child", nargs=2, metavar=("ENGINE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    if not args.path.exists():
        sys.path.insert(0, str(HERE))
        from make_event_extract import generate

        args.path.parent.mkdir(parents=True, exist_ok=True)
        print(f"generating {args.rows:,} rows into {args.path} ...")
        generate(args.path, args.rows)
    rows = sum(1 for _ in open(args.path, "rb")) - 1
    size = args.path.stat().st_size / 1e6
    print(f"extract: {args.path} ({rows:,} rows, {size:.1f} MB); {os.cpu_count()} cores; "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'engine':<11} {'wall s':>7} {'cpu s':>7} {'rows/s':>11} {'peak MB':>8} "
          f"{'worker MB':>9} {'import s':>8} {'+import s':>9}  runs (wall s)")
    reference = None
    for engine in args.engines.split(","):
        if not available(engine):
            print(f"{engine:<11} (not installed: skipped)")
            continue
        best = measure(engine, args.path, args.repeat)
        if best is None:
            continue
        if reference is None:
            reference = best["totals"]
        agree = "" if best["totals"] == reference else f"  TOTALS DIFFER: {best['totals']}"
        read_by = f"  ({best['read_by']})" if best["read_by"] else ""
        print(f"{engine:<11} {best['wall']:>7.2f} {best['cpu']:>7.2f} "
              f"{rows / best['wall']:>11,.0f} {best['peak_mb']:>8.0f} "
              f"{best['worker_peak_mb']:>9.0f} {best['import']:>8.2f} "
              f"{best['wall'] + best['import']:>9.2f}  "
              f"{' '.join(f'{w:.2f}' for w in best['walls'])}{read_by}{agree}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
