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

Before the extract, it times importing a **national measurement table**: 50 teams x 30
indicators x 120 months = 180,000 values, one long table per team (indicator; month; value, as
Danish Excel writes it) read, previewed and committed through the import service as
``pdsa import FILE --team T --yes`` does, into one workspace that grows to national size; of
the commit time, it says how much went to writing the workspace file (each commit encodes the
whole file and replaces it atomically, so this part grows with the workspace). It also times
building an :class:`ImportResult` (what a plugin importer returns) of 2,000 and of 8,000
values: a linear check gives a ratio near 4 (a quadratic one near 16).

Usage::

    python benchmarks/import_bench.py                 # makes benchmarks/out/events.csv
    python benchmarks/import_bench.py --rows 200000 --repeat 5 --engines pdsa,polars
    python benchmarks/import_bench.py --national-only
    python benchmarks/import_bench.py --national-only --national-runs 3   # the fastest of 3
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, cast

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


# --- the national measurement table ------------------------------------------------------------

TEAMS, INDICATORS, MONTHS = 50, 30, 120


def _national_periods() -> list[str]:
    return [f"{2014 + n // 12}-{n % 12 + 1:02d}" for n in range(MONTHS)]


def _write_team_table(path: Path, team: int) -> None:
    """One team's long table: a row per indicator and month, ';' and decimal comma."""
    lines = ["Indikator;Måned;Værdi"]
    for i in range(INDICATORS):
        for n, period in enumerate(_national_periods()):
            lines.append(f"X{i + 1};{period};{(team * 7 + i * 3 + n) % 23}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def national_import(folder: Path, *, listening: bool = False) -> dict[str, float]:
    """Import 50 teams' tables into one workspace; the figures in seconds.

    ``listening``: a plugin's ``on_event`` hook listens to the workspace's events, which
    turns on the check for new SPC signals after each commit (as it does in ``pdsa`` when
    such a plugin is installed; the shipped plugins have none).
    """
    sys.path.insert(0, str(ROOT))
    from pdsa_core.domain import IndicatorDefinition, Team
    from pdsa_core.importing import service
    from pdsa_core.importing.plan import commit, preview
    from pdsa_core.storage.tinydb_store import AtomicJSONStorage
    from pdsa_core.workspace import Workspace

    path = folder / "national.json"
    stamp = "2024-01-15T09:00:00+00:00"
    ws = Workspace.create(path, actor="bench")
    if listening:
        ws.listeners.append(lambda event, payload: None)
    with ws.store.transaction() as tx:  # teams and indicators (not timed: not an import)
        for t in range(TEAMS):
            team = Team(id=f"team-{t:02d}", name=f"Team {t:02d}", created_at=stamp)
            tx.put("teams", team.id, team.to_doc())
            for i in range(INDICATORS):
                indicator = IndicatorDefinition(code=f"X{i + 1}", name_da=f"Indikator {i + 1}")
                tx.put("indicators", f"{team.id}|X{i + 1}", indicator.for_team(team.id, "bench").to_doc())
    tables = []
    for t in range(TEAMS):
        table = folder / f"team-{t:02d}.csv"
        _write_team_table(table, t)
        tables.append(table)
    read = commit_s = 0.0
    written = 0
    file_s = [0.0]  # the whole workspace file encoded and replaced, once per commit
    real_write = AtomicJSONStorage.write

    def timed_write(storage: AtomicJSONStorage, data: dict) -> None:
        began = time.perf_counter()
        real_write(storage, data)
        file_s[0] += time.perf_counter() - began

    started = time.perf_counter()
    cast(Any, AtomicJSONStorage).write = timed_write
    try:
        for t, table in enumerate(tables):
            began = time.perf_counter()
            plan = service.read_file(ws, f"team-{t:02d}", table)
            preview(ws, plan)
            middle = time.perf_counter()
            result = commit(ws, plan)
            commit_s += time.perf_counter() - middle
            read += middle - began
            written += result.added
    finally:
        cast(Any, AtomicJSONStorage).write = real_write
    total = time.perf_counter() - started
    assert written == TEAMS * INDICATORS * MONTHS, written
    again = Workspace.open(path)
    assert len(again.measurements(f"team-{TEAMS - 1:02d}", f"X{INDICATORS}")) == MONTHS
    return {"total": total, "read": read, "commit": commit_s, "file": file_s[0], "values": written,
            "size_mb": path.stat().st_size / 1e6}


def import_result_scaling() -> tuple[float, float]:
    """Seconds to build an ImportResult of 2,000 and of 8,000 values (best of 7, without the GC)."""
    sys.path.insert(0, str(ROOT))
    from pdsa_core.extension_types import ImportResult, MeasurementInput

    def build(count: int) -> float:
        items = [MeasurementInput(f"X{n // MONTHS + 1}", _national_periods()[n % MONTHS], value=n)
                 for n in range(count)]
        best = math.inf
        gc.disable()  # as timeit does: a collection landing in one run is not the check's time
        try:
            for _ in range(7):
                began = time.perf_counter()
                ImportResult(measurements=items, source="bench")
                best = min(best, time.perf_counter() - began)
        finally:
            gc.enable()
        return best

    return build(2_000), build(8_000)


def print_national(runs: int = 1) -> None:
    """The national import's figures: with ``runs`` > 1, the fastest run of each, and every total.

    On a shared machine a run that waited for a core is slower, not more true: the fastest of a
    few runs is the import's own time (as ``timeit`` takes the best), the others show the noise.
    """
    import tempfile

    print(f"National measurement table: {TEAMS} teams x {INDICATORS} indicators x {MONTHS} months; "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for listening, what in ((False, "one table per team"), (True, "the same, a plugin listening")):
        measured = []
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as folder:
                cpu = time.process_time()
                figures = national_import(Path(folder), listening=listening)
                figures["cpu"] = time.process_time() - cpu
            measured.append(figures)
        figures = min(measured, key=lambda f: f["total"])
        cpu = figures["cpu"]
        totals = " ".join(f"{f['total']:.2f}" for f in measured)
        best = f"; best of {runs} runs: {totals} s" if runs > 1 else ""
        print(f"  import {figures['values']:,} values, {what}: {figures['total']:6.2f} s "
              f"(read + preview {figures['read']:.2f} s, commit {figures['commit']:.2f} s, of which "
              f"writing the whole file {figures['file']:.2f} s; process CPU {cpu:.2f} s with the "
              f"set-up; workspace {figures['size_mb']:.1f} MB{best})")
    small, large = import_result_scaling()
    print(f"  ImportResult of 2,000 values: {small * 1000:7.1f} ms; of 8,000: {large * 1000:7.1f} ms "
          f"(ratio {large / small:.1f}; linear is about 4, a little more once the data outgrow the CPU "
          "caches; quadratic is 16)")


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
    parser.add_argument("--national-only", action="store_true",
                        help="only the national measurement table, not the event extract")
    parser.add_argument("--national-runs", type=int, default=1, metavar="N",
                        help="import the national table N times and show the fastest run")
    parser.add_argument("--child", nargs=2, metavar=("ENGINE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    print_national(max(1, args.national_runs))
    if args.national_only:
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
