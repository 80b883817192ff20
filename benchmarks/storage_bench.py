"""Storage speed on both backends: load time of a national workspace and single-edit latency.

Run from the repository root (PostgreSQL from ``source .ci/postgres.sh``)::

    python benchmarks/storage_bench.py [--postgres URL] [--edits N] [--skip-soak]

The PostgreSQL part uses ``--postgres`` or ``PDSA_TEST_POSTGRES_URL`` (a superuser address on
a test server on this machine; the benchmark creates and drops its own databases and logins);
without either, only the file backend is measured.

Prints, for a TinyDB file and for PostgreSQL:

- the national workspace (50 teams x 30 indicators x 120 months = 180,000 values): opening it
  (first full read: its records checked in full, and a content pdsa has checked or written
  before, see ``pdsa_core.storage.checked``) and reading it again after another user's edit;
- single-edit latency (``add_measurement``: one transaction plus the re-read that follows),
  median and 95th percentile, on the national workspace and on a one-team workspace;
- for PostgreSQL, the soak test of ``tests/storage/pg_soak.py`` (20 client processes,
  ``PDSA_CONCURRENCY_SECONDS``, default 60) with its throughput, conflicts and checks.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pdsa_core.services.indicators import MeasurementInput  # noqa: E402
from pdsa_core.workspace import Workspace  # noqa: E402

TEAMS, INDICATORS, MONTHS = 50, 30, 120


def _periods() -> list[str]:
    return [f"{2014 + n // 12}-{n % 12 + 1:02d}" for n in range(MONTHS)]


def build_national(path: Path) -> float:
    """The national workspace as a file: domain records written in one transaction.

    (Through ``add_measurements`` each import also runs the signal check of every value it
    adds, which is not what this benchmark measures.)
    """
    from pdsa_core.domain import IndicatorDefinition, Measurement, Team
    from pdsa_core.storage import create_store

    start = time.perf_counter()
    store = create_store(path)
    stamp = "2024-01-15T09:00:00+00:00"
    with store.transaction() as tx:
        for t in range(TEAMS):
            region = ["Region Nordjylland", "Region Midtjylland", "Region Sjælland"][t % 3]
            team = Team(id=f"team-{t:02d}", name=f"Team {t:02d}", region=region, created_at=stamp)
            tx.put("teams", team.id, team.to_doc())
            for i in range(INDICATORS):
                definition = IndicatorDefinition(code=f"X{i + 1}", name_da=f"Indikator {i + 1}")
                indicator = definition.for_team(team.id, "bench")
                tx.put("indicators", f"{team.id}|{indicator.code}", indicator.to_doc())
                for n, period in enumerate(_periods()):
                    value = Measurement(
                        team_id=team.id,
                        indicator=indicator.code,
                        period=period,
                        value=(t * 7 + i * 3 + n) % 23,
                        source="import",
                        source_file="bench.csv",
                        entered_at=stamp,
                        entered_by="bench",
                    )
                    tx.put("measurements", value.key, value.to_doc())
    store.close()
    return time.perf_counter() - start


def _median_p95(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, int(round(len(ordered) * 0.95)) - 1)]


def measure_edits(location: str, team: str, code: str, count: int) -> tuple[float, float]:
    ws = Workspace.open(location, actor="bench")
    ws.snapshot()
    samples = []
    for n in range(count):
        start = time.perf_counter()
        ws.add_measurement(team, code, "2030-01", value=n % 7 + 100)
        ws.snapshot()  # what a user sees next includes the edit
        samples.append(time.perf_counter() - start)
    ws.store.close()
    return _median_p95(samples)


def measure_open(location: str, repeat: int = 3, *, remembered: bool = True) -> float:
    """The median time to open (``remembered=False``: with the memo of checked contents emptied)."""
    from pdsa_core.storage.checked import memo_path

    samples = []
    for _ in range(repeat):
        if not remembered:
            memo_path().unlink(missing_ok=True)
        start = time.perf_counter()
        ws = Workspace.open(location)
        count = len(ws.snapshot().table("measurements"))
        samples.append(time.perf_counter() - start)
        ws.store.close()
        assert count >= TEAMS * INDICATORS * MONTHS
    return statistics.median(samples)


def measure_reload_after_other_edit(location: str, repeat: int = 5) -> float:
    reader = Workspace.open(location)
    writer = Workspace.open(location, actor="other")
    reader.snapshot()
    samples = []
    for n in range(repeat):
        writer.add_measurement("team-00", "X1", "2031-01", value=n)
        start = time.perf_counter()
        reader.snapshot()
        samples.append(time.perf_counter() - start)
    reader.store.close()
    writer.store.close()
    return statistics.median(samples)


def small_workspace(location: str) -> None:
    ws = Workspace.create(location, actor="bench")
    team = ws.add_team("Team 00")
    ws.add_indicator(team.id, "X1", "Indikator 1")
    ws.add_measurements(team.id, [MeasurementInput("X1", p, value=1) for p in _periods()])
    ws.store.close()


def _row(label: str, value: str) -> None:
    print(f"  {label:52} {value}")


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def _s(seconds: float) -> str:
    return f"{seconds:8.2f} s"


def run(postgres: str | None, edits: int, soak: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="pdsa-storage-bench-") as folder:
        os.environ["PDSA_CACHE_DIR"] = str(Path(folder) / "cache")  # not the user's own
        national = Path(folder) / "national.json"
        print(f"National workspace: {TEAMS} teams x {INDICATORS} indicators x {MONTHS} months")
        _row("build as a file (one transaction)", _s(build_national(national)))
        _row("file size", f"{national.stat().st_size / 1e6:8.1f} MB")
        small_file = str(Path(folder) / "small.json")
        small_workspace(small_file)

        print("\nTinyDB file")
        checked = measure_open(str(national), 5, remembered=False)
        _row("open national workspace (records checked)", _ms(checked))
        _row("open national workspace (checked before)", _ms(measure_open(str(national), 5)))
        _row("re-read after another user's edit", _s(measure_reload_after_other_edit(str(national))))
        median, p95 = measure_edits(str(national), "team-00", "X1", max(10, edits // 10))
        _row("single edit, national workspace: median / p95", f"{_ms(median)} / {_ms(p95)}")
        median, p95 = measure_edits(small_file, "team-00", "X1", edits)
        _row("single edit, one-team workspace: median / p95", f"{_ms(median)} / {_ms(p95)}")

        if not postgres:
            print("\nPostgreSQL: skipped (no --postgres URL and PDSA_TEST_POSTGRES_URL is not set)")
            return
        _postgres(postgres, national, edits, soak)


def _postgres(admin_url: str, national: Path, edits: int, soak: bool) -> None:
    import psycopg

    from pdsa_core.storage.pg_copy import copy_workspace

    created: list[str] = []

    def new_db() -> str:
        name = f"pdsa_bench_{secrets.token_hex(4)}"
        created.append(name)
        return admin_url.rsplit("/", 1)[0] + "/" + name

    try:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            version = conn.info.server_version
        print(f"\nPostgreSQL {version // 10000}.{version % 10000} (loopback)")
        server = new_db()
        start = time.perf_counter()
        copy_workspace(str(national), server)
        _row("copy the national file to the server (verified)", _s(time.perf_counter() - start))
        _row("open national workspace (full read)", _s(measure_open(server)))
        _row("re-read after another user's edit (delta)", _ms(measure_reload_after_other_edit(server)))
        median, p95 = measure_edits(server, "team-00", "X1", edits)
        _row("single edit, national workspace: median / p95", f"{_ms(median)} / {_ms(p95)}")
        small = new_db()
        small_workspace(small)
        median, p95 = measure_edits(small, "team-00", "X1", edits)
        _row("single edit, one-team workspace: median / p95", f"{_ms(median)} / {_ms(p95)}")
        if soak:
            _soak(new_db())
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            for name in created:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _soak(url: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "storage"))
    from pg_soak import run_soak  # the soak harness lives with the tests that use it

    seconds = float(os.environ.get("PDSA_CONCURRENCY_SECONDS", "60"))
    clients = int(os.environ.get("PDSA_CONCURRENCY_CLIENTS", "20"))
    report = run_soak(url, clients=clients, seconds=seconds).report
    print(f"\nSoak: {clients} client processes for {seconds:g} s on {report['teams']} shared teams")
    _row(
        "writes attempted / accepted / conflicts",
        f"{report['attempts']} / {report['accepted']} / {report['conflicts']}",
    )
    _row("throughput (all clients)", f"{report['writes_per_second']:8.1f} writes/s")
    _row(
        "write latency under load: median / p95",
        f"{report['write_median_ms']:8.1f} ms / {report['write_p95_ms']:8.1f} ms",
    )
    verdict = "all checks passed" if not report["problems"] else f"{len(report['problems'])} PROBLEMS"
    _row("no lost update, conflicts reported, serial replay", verdict)
    for problem in report["problems"][:20]:
        print(f"    ! {problem}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", default=os.environ.get("PDSA_TEST_POSTGRES_URL"), help="superuser URL")
    parser.add_argument("--edits", type=int, default=200, help="edits per latency figure (file: a tenth)")
    parser.add_argument("--skip-soak", action="store_true", help="leave out the concurrency soak")
    args = parser.parse_args(argv)
    run(args.postgres, args.edits, not args.skip_soak)


if __name__ == "__main__":
    main()
