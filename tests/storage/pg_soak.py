"""A soak test of a shared workspace: many users writing at once, then proof nothing was lost.

``run_soak(url, clients=20, seconds=60)`` sets up a workspace in the (new) database ``url``
(teams, a count indicator, PDSA cycles), one login per client with the tovholder role on two
teams (each team shared with other clients), and starts the clients as separate processes.
Each one, for ``seconds``, adds monthly values (with ``expected=`` the value it saw) and edits
cycles (with ``expected_rev=``), recording what was accepted and what was refused.

It then checks, from the database's own change log and final state:

- every accepted write is in the change log exactly once, as the client's login;
- no lost update: per month and per cycle, the accepted writes in commit order form one
  chain (each saw the value the previous one wrote), the final value is the last one, and a
  month's revisions list every earlier value of the chain;
- every refused write was a :class:`~pdsa_core.errors.ConflictError` that named a value really
  stored at some point, and its own value is nowhere in the final state;
- the final state equals a serial replay of the accepted writes, in commit order, through the
  same workspace services on an in-memory store (the replay must accept every one of them).

Only for a test server on this machine (the clients connect to ``url``): the benchmark and
the test suite run it against the loopback server of ``.ci/postgres.sh``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pdsa_core.errors import ConflictError, PdsaError
from pdsa_core.storage.base import TABLES, Snapshot, Store, Transaction

MONTHS = [f"2023-{m:02d}" for m in range(1, 7)]
CYCLES_PER_TEAM = 2


# -- an in-memory store for the serial replay --------------------------------------------------------
class _MemoryTransaction(Transaction):
    def __init__(self, tables: dict[str, dict[str, Any]]) -> None:
        self.tables = tables
        self.pending: dict[tuple[str, str], Any] = {}

    def get(self, table: str, doc_id: str) -> Any:
        if (table, doc_id) in self.pending:
            return self.pending[(table, doc_id)]
        return self.tables.get(table, {}).get(doc_id)

    def all(self, table: str) -> dict[str, Any]:
        merged = dict(self.tables.get(table, {}))
        for (name, doc_id), doc in self.pending.items():
            if name == table:
                if doc is None:
                    merged.pop(doc_id, None)
                else:
                    merged[doc_id] = doc
        return merged

    def put(self, table: str, doc_id: str, doc: Any) -> None:
        self.pending[(table, doc_id)] = json.loads(json.dumps(doc))

    def delete(self, table: str, doc_id: str) -> None:
        self.pending[(table, doc_id)] = None


class MemoryStore(Store):
    """A store in memory (the serial replay): same semantics, no persistence."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.location = "memory"
        self._snapshot = Snapshot(
            snapshot.revision, dict(snapshot.meta), {n: dict(snapshot.table(n)) for n in TABLES}
        )

    def load(self) -> Snapshot:
        return self._snapshot

    def is_current(self, snapshot: Snapshot) -> bool:
        return snapshot is self._snapshot

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        tx = _MemoryTransaction(self._snapshot.tables)
        yield tx
        if tx.pending:
            tables = {name: dict(docs) for name, docs in self._snapshot.tables.items()}
            for (name, doc_id), doc in tx.pending.items():
                if doc is None:
                    tables[name].pop(doc_id, None)
                else:
                    tables[name][doc_id] = doc
            revision = self._snapshot.revision + 1
            self._snapshot = Snapshot(revision, {**self._snapshot.meta, "revision": revision}, tables)


# -- setup ---------------------------------------------------------------------------------------
def _setup(url: str, clients: int, teams: int) -> tuple[list[dict[str, Any]], Snapshot, list[str]]:
    import psycopg

    from pdsa_core.storage import pg_admin
    from pdsa_core.storage.pg_schema import with_login
    from pdsa_core.workspace import Workspace

    counter = iter(range(1, 10**9))
    admin = Workspace.create(url, actor="soak-setup", id_factory=lambda p: f"{p}-{next(counter):04d}")
    team_ids = []
    for n in range(teams):
        team = admin.add_team(f"Soak team {n}", region="Nordjylland")
        admin.add_indicator(team.id, "R1", "Tvangsindlagte")
        for c in range(CYCLES_PER_TEAM):
            admin.add_cycle(team.id, f"Cyklus {c}")
        team_ids.append(team.id)
    logins: list[str] = []
    specs = []
    tag = secrets.token_hex(3)
    with psycopg.connect(url, autocommit=True) as conn:
        for i in range(clients):
            name, password = f"soak_{tag}_{i:02d}", secrets.token_hex(12)
            pg_admin.add_user(conn, name, password=password)
            logins.append(name)
            mine = [team_ids[i % teams], team_ids[(i + 1) % teams]]
            for team_id in mine:
                pg_admin.grant(conn, name, "tovholder", team=team_id)
            specs.append({"index": i, "login": name, "url": with_login(url, name, password), "teams": mine})
    snapshot = admin.store.load()
    admin.store.close()
    return specs, snapshot, logins


def _drop_logins(url: str, logins: list[str]) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(url, autocommit=True) as conn:
        for name in logins:
            conn.execute("DELETE FROM pdsa.grants WHERE username = %s", (name,))
            conn.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(name)))
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(name)))


# -- a client ------------------------------------------------------------------------------------
def client(spec: dict[str, Any], go_file: Path, seconds: float, out: Path) -> None:
    from pdsa_core.workspace import Workspace

    ws = Workspace.open(spec["url"], actor=spec["login"])
    rng = random.Random(spec["index"])
    cycles = {team: [c.id for c in ws.cycles(team)] for team in spec["teams"]}
    ws.snapshot()
    go_file.with_name(f"ready{spec['index']}").touch()
    while not go_file.exists():
        time.sleep(0.02)
    deadline = time.monotonic() + seconds
    records: list[dict[str, Any]] = []
    n = 0
    while time.monotonic() < deadline:
        n += 1
        team = rng.choice(spec["teams"])
        started = time.perf_counter()
        if rng.random() < 0.6:
            period = rng.choice(MONTHS)
            current = {m.period: m.value for m in ws.measurements(team, "R1")}.get(period)
            value = spec["index"] * 1_000_000 + n
            record: dict[str, Any] = {
                "op": "m",
                "team": team,
                "period": period,
                "seen": current,
                "value": value,
            }
            try:
                ws.add_measurement(team, "R1", period, value=value, expected=current)
                record["ok"] = True
            except ConflictError as exc:
                record.update(ok=False, conflict=exc.message)
            except PdsaError as exc:
                record.update(ok=False, error=str(exc))
        else:
            cycle = ws.cycle(rng.choice(cycles[team]))
            text = f"c{spec['index']}-{n}"
            record = {"op": "c", "team": team, "cycle": cycle.id, "seen": cycle.rev, "value": text}
            try:
                ws.update_cycle(cycle.id, expected_rev=cycle.rev, objective=text)
                record["ok"] = True
            except ConflictError as exc:
                record.update(ok=False, conflict=exc.message)
            except PdsaError as exc:
                record.update(ok=False, error=str(exc))
        record["seconds"] = time.perf_counter() - started
        records.append(record)
    out.write_text(json.dumps({"login": spec["login"], "records": records}))


# -- verification --------------------------------------------------------------------------------
def _verify(url: str, setup: Snapshot, results: list[dict[str, Any]]) -> tuple[list[str], dict[str, Any]]:
    import psycopg

    from pdsa_core.storage import open_store
    from pdsa_core.workspace import Workspace

    problems: list[str] = []
    with psycopg.connect(url, autocommit=True) as conn:
        log = conn.execute(
            "SELECT revision, actor, tbl, doc_id FROM pdsa.change_log WHERE revision > %s "
            "ORDER BY revision, seq",
            (setup.revision,),
        ).fetchall()
    final = open_store(url).load()

    # 1. every accepted write is in the log once, as its client, in the client's order
    by_actor: dict[str, list[tuple[int, str, str]]] = {}
    for revision, actor, tbl, doc_id in log:
        by_actor.setdefault(actor, []).append((revision, tbl, doc_id))
    accepted: list[tuple[int, dict[str, Any]]] = []
    for result in results:
        mine = [r for r in result["records"] if r["ok"]]
        entries = by_actor.get(result["login"], [])
        if len(entries) != len(mine):
            problems.append(
                f"{result['login']}: {len(mine)} accepted writes but {len(entries)} in the change log"
            )
            continue
        for record, (revision, tbl, doc_id) in zip(mine, entries, strict=True):
            key = f"{record['team']}|R1|{record['period']}" if record["op"] == "m" else record["cycle"]
            table = "measurements" if record["op"] == "m" else "cycles"
            if (tbl, doc_id) != (table, key):
                problems.append(f"{result['login']}: accepted {table} {key} but the log has {tbl} {doc_id}")
            accepted.append((revision, record))
        for record in result["records"]:
            if not record["ok"] and "conflict" not in record:
                problems.append(
                    f"{result['login']}: a write failed without a conflict: {record.get('error')}"
                )
    accepted.sort(key=lambda item: item[0])
    revisions = [r for r, _ in accepted]
    if len(set(revisions)) != len(revisions):
        problems.append("two accepted writes share a revision")

    # 2. no lost update: chains per month and per cycle
    chains: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for _, record in accepted:
        key = (
            ("m", f"{record['team']}|R1|{record['period']}")
            if record["op"] == "m"
            else ("c", record["cycle"])
        )
        chains.setdefault(key, []).append(record)
    for (kind, key), chain in chains.items():
        if kind == "m":
            previous = None
            for record in chain:
                if record["seen"] != previous:
                    problems.append(f"lost update on {key}: a write saw {record['seen']} after {previous}")
                previous = record["value"]
            doc = final.table("measurements").get(key) or {}
            if doc.get("value") != previous:
                problems.append(f"{key} ends as {doc.get('value')}, the last accepted write was {previous}")
            history = [r.get("value") for r in doc.get("revisions", [])]
            if history != [r["value"] for r in chain[:-1]]:
                problems.append(f"{key}: revisions {history} are not the accepted chain")
        else:
            first_rev = setup.table("cycles")[key].get("rev", 0)
            for offset, record in enumerate(chain):
                if record["seen"] != first_rev + offset:
                    problems.append(f"lost update on cycle {key}: a write saw rev {record['seen']}")
            doc = final.table("cycles")[key]
            if doc.get("objective") != chain[-1]["value"] or doc.get("rev", 0) != first_rev + len(chain):
                problems.append(f"cycle {key} ends as {doc.get('objective')!r}, not the last accepted write")

    # 3. every refusal was a conflict naming a value that was really stored, and lost nowhere
    stored_values: dict[str, set[Any]] = {}
    for (kind, key), chain in chains.items():
        if kind == "m":
            stored_values[key] = {r["value"] for r in chain}
    final_values = {doc.get("value") for doc in final.table("measurements").values()} | {
        r.get("value") for doc in final.table("measurements").values() for r in doc.get("revisions", [])
    }
    final_texts = {doc.get("objective") for doc in final.table("cycles").values()}
    conflicts = 0
    for result in results:
        for record in result["records"]:
            if record["ok"] or "conflict" not in record:
                continue
            conflicts += 1
            if record["op"] == "m":
                key = f"{record['team']}|R1|{record['period']}"
                message = record["conflict"]
                if "already has a value: " in message:  # the writer saw an empty month
                    shown = message.split("already has a value: ", 1)[1].split(" ", 1)[0]
                    saw_right = record["seen"] is None
                else:
                    shown = message.split("it is now ", 1)[-1].split(" ", 1)[0]
                    saw_right = f"you saw {_g(record['seen'])}," in message
                legit = {_g(v) for v in stored_values.get(key, set())} | {"no"}
                if shown not in legit or not saw_right:
                    problems.append(f"conflict on {key} names values never stored: {record['conflict']}")
                if record["value"] in final_values:
                    problems.append(f"refused value {record['value']} for {key} is in the final state")
            elif record["value"] in final_texts:
                problems.append(f"refused cycle text {record['value']} is in the final state")

    # 4. the final state equals a serial replay of the accepted writes in commit order
    replay = Workspace(MemoryStore(setup), actor="replay")
    for _, record in accepted:
        try:
            if record["op"] == "m":
                replay.add_measurement(
                    record["team"], "R1", record["period"], value=record["value"], expected=record["seen"]
                )
            else:
                replay.update_cycle(record["cycle"], expected_rev=record["seen"], objective=record["value"])
        except ConflictError as exc:
            problems.append(f"the serial replay refused an accepted write: {exc}")
            break
    replayed = replay.snapshot()

    def essence(snap: Snapshot) -> dict[str, Any]:
        return {
            "measurements": {
                k: (d.get("value"), [r.get("value") for r in d.get("revisions", [])])
                for k, d in snap.table("measurements").items()
            },
            "cycles": {k: (d.get("objective", ""), d.get("rev", 0)) for k, d in snap.table("cycles").items()},
        }

    if essence(replayed) != essence(final):
        problems.append("the final state differs from the serial replay of the accepted writes")
    if replayed.revision != final.revision:
        problems.append(f"revision {final.revision} differs from the replay's {replayed.revision}")
    latencies = sorted(r["seconds"] for res in results for r in res["records"])
    stats = {
        "accepted": len(accepted),
        "conflicts": conflicts,
        "attempts": sum(len(res["records"]) for res in results),
        "final_revision": final.revision,
        "write_median_ms": round(statistics.median(latencies) * 1000, 2) if latencies else None,
        "write_p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 2) if latencies else None,
    }
    return problems, stats


def _g(value: float | None) -> str:
    if value is None:
        return "no value"
    return str(int(value)) if float(value).is_integer() else f"{value:.6g}"


@dataclass
class SoakRun:
    """What :func:`run_soak` found: ``report`` (figures and ``problems``) and the raw records."""

    report: dict[str, Any]
    setup: Snapshot
    results: list[dict[str, Any]]
    url: str

    def verify(self) -> list[str]:
        """Check the records against the database again (tests doctor the records to prove it bites)."""
        return _verify(self.url, self.setup, self.results)[0]


def run_soak(url: str, *, clients: int = 20, seconds: float = 60.0, teams: int | None = None) -> SoakRun:
    """Set up, run ``clients`` processes for ``seconds``, verify (``run.report["problems"]``)."""
    teams = teams or max(2, clients // 4)
    specs, setup, logins = _setup(url, clients, teams)
    try:
        with tempfile.TemporaryDirectory(prefix="pdsa-soak-") as folder:
            work = Path(folder)
            go = work / "go"
            processes = []
            for spec in specs:
                (work / f"spec{spec['index']}.json").write_text(json.dumps(spec))
                processes.append(
                    subprocess.Popen(
                        [
                            sys.executable,
                            str(Path(__file__).resolve()),
                            "client",
                            str(work / f"spec{spec['index']}.json"),
                            str(go),
                            str(seconds),
                            str(work / f"out{spec['index']}.json"),
                        ],
                        stdin=subprocess.DEVNULL,
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.PIPE,
                        env={**os.environ, "PDSA_LANG": "en"},
                    )
                )
            wait_until = time.monotonic() + 180
            while time.monotonic() < wait_until and any(p.poll() is None for p in processes):
                if all((work / f"ready{spec['index']}").exists() for spec in specs):
                    break
                time.sleep(0.05)
            started = time.monotonic()
            go.touch()
            failures = []
            for spec, process in zip(specs, processes, strict=True):
                try:
                    _, err = process.communicate(timeout=seconds + 120)
                except subprocess.TimeoutExpired:
                    process.kill()
                    _, err = process.communicate()
                    failures.append(f"client {spec['index']} did not stop in time")
                    continue
                if process.returncode != 0:
                    failures.append(f"client {spec['index']} failed: {err.decode(errors='replace')[-2000:]}")
            elapsed = time.monotonic() - started
            results = [
                json.loads((work / f"out{spec['index']}.json").read_text())
                for spec in specs
                if (work / f"out{spec['index']}.json").exists()
            ]
        problems, stats = _verify(url, setup, results)
    finally:
        _drop_logins(url, logins)
    report = {
        "clients": clients,
        "teams": teams,
        "seconds": seconds,
        "elapsed": round(elapsed, 1),
        **stats,
        "writes_per_second": round(stats["attempts"] / max(elapsed, 1e-9), 1),
        "problems": failures + problems,
    }
    return SoakRun(report, setup, results, url)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python tests/storage/pg_soak.py")
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("client", help="(internal) one client process")
    one.add_argument("spec")
    one.add_argument("go")
    one.add_argument("seconds", type=float)
    one.add_argument("out")
    args = parser.parse_args(argv)
    if args.command == "client":
        client(json.loads(Path(args.spec).read_text()), Path(args.go), args.seconds, Path(args.out))


if __name__ == "__main__":
    main()
