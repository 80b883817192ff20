"""A load test of a shared workspace the way people really edit it: stale forms, blind commands.

``run_load(url, clients=20, seconds=15)`` sets up a workspace in the (new) database ``url``
(as :mod:`pg_soak`: teams with a count indicator and PDSA cycles, one login per client with
the tovholder role on two teams, each team shared with other clients) and starts the clients
as separate processes. For ``seconds``:

- a quarter of them edit through **stale forms**: they read a month's value or a cycle's
  field, wait (others write meanwhile), then save what they typed with what they saw, through
  the same calls the TUI makes (the value form: ``add_measurement(expected=)``; the
  worksheet: ``update_cycle(seen={field: shown})``; the meeting dialog's Study text:
  ``update_cycle(expected_rev=)``);
- the others work like the CLI: ``pdsa data add`` (refused on a month that has a value),
  ``pdsa data add --replace`` (replaces, and names the value it replaced) and
  ``pdsa cycle update --FIELD`` (reads the cycle, sends only that field with what it read),
  on random fields, so two users often change *different* fields of one cycle at once.

Every write stores a value no other write stores, so the database's change log tells which
write replaced which. The checks (:meth:`LoadRun.verify`):

- every accepted write is in the change log exactly once, as its login, in its order;
- **no lost update, no silent replacement**: per month and per cycle field, in commit order,
  each accepted write replaced exactly the value its writer saw (or, for ``--replace``, the
  value it reported replacing), and the final state is the last write with every earlier
  value of a month kept as a revision;
- **every refusal a real conflict, never between different fields**: a refused write was a
  :class:`~pdsa_core.errors.ConflictError`; a cycle's names only the field the writer changed,
  with what the writer saw and a value another write really stored there; a month's names a
  value really stored; the refused value is nowhere in the final state;
- the final state equals a serial replay of the accepted writes, in commit order, through the
  same services on an in-memory store.

Only for a test server on this machine; the suite runs it against ``.ci/postgres.sh``'s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pg_soak import MONTHS, MemoryStore, _drop_logins, _g, _setup

from pdsa_core.errors import ConflictError, PdsaError
from pdsa_core.storage.base import Snapshot

#: the worksheet fields the clients edit (the meeting dialog edits study_results by version)
FIELDS = ("objective", "predictions", "plan_what", "study_results")
#: how long a stale form stays open before it is saved (seconds): long enough for others to write
#: meanwhile, short enough that the few stale clients save a few dozen forms in the suite's run
FORM_OPEN = (0.05, 0.3)


# -- a client ------------------------------------------------------------------------------------
def _value_write(ws: Any, rec: dict[str, Any], expected: Any) -> None:
    """Save a month's value the way ``rec["how"]`` does; the replaced value goes in ``rec["replaced"]``."""
    measurement, status = ws.add_measurement(
        rec["team"], "R1", rec["period"], value=rec["value"], expected=expected
    )
    rec["status"] = status
    if rec["how"] == "replace":  # the CLI names what it replaced: the revision it just kept
        rec["replaced"] = measurement.revisions[-1].value if status == "changed" else None


def _cycle_write(ws: Any, rec: dict[str, Any]) -> None:
    """Save a cycle's field as the worksheet and ``pdsa cycle update`` do (with what they showed),
    or as the meeting dialog does (with the version it read)."""
    if rec["how"] == "dialog":
        ws.update_cycle(rec["cycle"], expected_rev=rec["rev"], **{rec["field"]: rec["value"]})
    else:
        ws.update_cycle(rec["cycle"], seen={rec["field"]: rec["seen"]}, **{rec["field"]: rec["value"]})


def client(spec: dict[str, Any], go_file: Path, seconds: float, out: Path) -> None:
    from pdsa_core.services.indicators import NOT_CHECKED
    from pdsa_core.workspace import Workspace

    ws = Workspace.open(spec["url"], actor=spec["login"])
    rng = random.Random(spec["index"])
    stale = spec["index"] % 4 == 0
    cycles = {team: [c.id for c in ws.cycles(team)] for team in spec["teams"]}
    go_file.with_name(f"ready{spec['index']}").touch()
    while not go_file.exists():
        time.sleep(0.02)
    deadline = time.monotonic() + seconds
    records: list[dict[str, Any]] = []
    n = 0
    while time.monotonic() < deadline:
        n += 1
        team = rng.choice(spec["teams"])
        unique = f"{spec['index']}-{n}"
        started = time.perf_counter()
        rec: dict[str, Any] = {"team": team}
        try:
            if rng.random() < 0.5:  # a month's value
                period = rng.choice(MONTHS)
                rec.update(op="m", period=period, value=spec["index"] * 1_000_000 + n)
                if stale:
                    rec["how"] = "form"
                    rec["seen"] = {m.period: m.value for m in ws.measurements(team, "R1")}.get(period)
                    time.sleep(rng.uniform(*FORM_OPEN))
                    started = time.perf_counter()
                    _value_write(ws, rec, rec["seen"])
                    rec["replaced"] = rec["seen"]
                elif rng.random() < 0.5:
                    rec.update(how="add", seen=None)  # 'pdsa data add': the month must be empty
                    _value_write(ws, rec, None)
                    rec["replaced"] = None
                else:
                    rec["how"] = "replace"  # 'pdsa data add --replace'
                    _value_write(ws, rec, NOT_CHECKED)
            else:  # a field of a cycle
                cycle = ws.cycle(rng.choice(cycles[team]))
                field = rng.choice(FIELDS)
                how = "cli"
                if stale:
                    how = "dialog" if field == "study_results" and rng.random() < 0.5 else "worksheet"
                rec.update(op="c", cycle=cycle.id, field=field, how=how, value=f"{field}:{unique}")
                rec.update(seen=getattr(cycle, field), rev=cycle.rev)
                if stale:
                    time.sleep(rng.uniform(*FORM_OPEN))
                    started = time.perf_counter()
                _cycle_write(ws, rec)
                rec["replaced"] = rec["seen"]
            rec["ok"] = True
        except ConflictError as exc:
            rec.update(ok=False, conflict=exc.message)
            rec["fields"] = [
                {"field": c.field, "seen": c.seen, "theirs": c.theirs} for c in getattr(exc, "conflicts", [])
            ]
        except PdsaError as exc:
            rec.update(ok=False, error=str(exc))
        rec["seconds"] = time.perf_counter() - started
        records.append(rec)
    out.write_text(json.dumps({"login": spec["login"], "stale": stale, "records": records}))


# -- verification --------------------------------------------------------------------------------
def _key(rec: dict[str, Any]) -> tuple[str, str]:
    if rec["op"] == "m":
        return ("measurements", f"{rec['team']}|R1|{rec['period']}")
    return ("cycles", rec["cycle"])


def _chain_key(rec: dict[str, Any]) -> tuple[str, ...]:
    return _key(rec) if rec["op"] == "m" else ("cycles", rec["cycle"], rec["field"])


def verify(url: str, setup: Snapshot, results: list[dict[str, Any]]) -> tuple[list[str], dict[str, Any]]:
    """The problems found (none: nothing lost, nothing replaced unseen, every conflict real) and figures."""
    import psycopg

    from pdsa_core.services.indicators import NOT_CHECKED
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

    # 1. every accepted write is in the change log once, as its login, in its order
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
        for rec, (revision, tbl, doc_id) in zip(mine, entries, strict=True):
            rec["login"] = result["login"]
            if (tbl, doc_id) != _key(rec):
                problems.append(f"{result['login']}: accepted {_key(rec)} but the log has {tbl} {doc_id}")
            accepted.append((revision, rec))
        for rec in result["records"]:
            if not rec["ok"] and "conflict" not in rec:
                problems.append(f"{result['login']}: a write failed without a conflict: {rec.get('error')}")
    accepted.sort(key=lambda item: item[0])

    # 2. per month and per cycle field, in commit order: each write replaced what its writer saw
    initial_cycles = setup.table("cycles")
    chains: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for _, rec in accepted:
        chains.setdefault(_chain_key(rec), []).append(rec)
    lost = 0
    for key, chain in chains.items():
        previous = None if key[0] == "measurements" else initial_cycles[key[1]].get(key[2]) or ""
        for rec in chain:
            if not _same(rec["replaced"], previous):
                lost += 1
                problems.append(
                    f"silent replacement on {'/'.join(key[1:])}: {rec['how']} write of {rec['value']!r} "
                    f"replaced {previous!r} but its writer saw {rec['replaced']!r}"
                )
            previous = rec["value"]
        last = chain[-1]["login"]  # "entered by" / "changed by" is the database login of the last write
        if key[0] == "measurements":
            doc = final.table("measurements").get(key[1]) or {}
            if doc.get("entered_by") != last:
                problems.append(
                    f"{key[1]} says entered by {doc.get('entered_by')!r}, the last write was {last}'s"
                )
            if doc.get("value") != previous:
                problems.append(
                    f"{key[1]} ends as {doc.get('value')}, the last accepted write was {previous}"
                )
            history = [r.get("value") for r in doc.get("revisions", [])]
            if history != [r["value"] for r in chain[:-1]]:
                problems.append(f"{key[1]}: revisions {history} are not the accepted writes before the last")
        else:
            by = (final.table("cycles")[key[1]].get("edits", {}).get(key[2]) or {}).get("by")
            if by != last:
                problems.append(
                    f"cycle {key[1]} {key[2]} says changed by {by!r}, the last write was {last}'s"
                )
            stored = final.table("cycles")[key[1]].get(key[2])
            if stored != previous:
                problems.append(
                    f"cycle {key[1]} {key[2]} ends as {stored!r}, the last accepted write was {previous!r}"
                )
    for cycle_id, doc in final.table("cycles").items():
        writes = sum(1 for _, rec in accepted if rec["op"] == "c" and rec["cycle"] == cycle_id)
        if doc.get("rev", 0) != initial_cycles[cycle_id].get("rev", 0) + writes:
            problems.append(f"cycle {cycle_id} is at version {doc.get('rev')} after {writes} accepted writes")

    # 3. every refusal a real conflict on the writer's own field, naming a value really stored
    stored_values: dict[tuple[str, ...], set[Any]] = {k: {r["value"] for r in c} for k, c in chains.items()}
    final_values = {d.get("value") for d in final.table("measurements").values()} | {
        r.get("value") for d in final.table("measurements").values() for r in d.get("revisions", [])
    }
    final_texts = {d.get(f) for d in final.table("cycles").values() for f in FIELDS}
    conflicts = {"m": 0, "c": 0}
    for result in results:
        for rec in result["records"]:
            if rec["ok"] or "conflict" not in rec:
                continue
            conflicts[rec["op"]] += 1
            key = _chain_key(rec)
            legit = stored_values.get(key, set())
            if rec["op"] == "m":
                message = rec["conflict"]
                if "already has a value: " in message:
                    shown = message.split("already has a value: ", 1)[1].split(" ", 1)[0]
                    saw_right = rec["seen"] is None
                else:
                    shown = message.split("it is now ", 1)[-1].split(" ", 1)[0]
                    saw_right = f"you saw {_g(rec['seen'])}," in message
                if shown not in {_g(v) for v in legit} or not saw_right:
                    problems.append(f"conflict on {key[1]} names values never stored: {message}")
                if rec["value"] in final_values:
                    problems.append(f"refused value {rec['value']} for {key[1]} is in the final state")
                continue
            named = [c["field"] for c in rec.get("fields", [])]
            if named != [rec["field"]]:
                problems.append(
                    f"conflict between different fields on cycle {rec['cycle']}: {rec['how']} changed "
                    f"{rec['field']} but the conflict names {named or 'no field'}: {rec['conflict']}"
                )
            for c in rec.get("fields", []):
                if c["field"] != rec["field"]:
                    continue
                seen_right = rec["how"] == "dialog" or _same(
                    c["seen"], rec["seen"]
                )  # a dialog sends a version
                if not seen_right or _same(c["theirs"], rec["seen"]) or c["theirs"] not in legit:
                    problems.append(
                        f"false conflict on cycle {rec['cycle']} {rec['field']}: saw {rec['seen']!r}, "
                        f"the conflict says seen {c['seen']!r}, theirs {c['theirs']!r}"
                    )
            if rec["value"] in final_texts:
                problems.append(f"refused text {rec['value']!r} is in the final state")

    # 4. the final state equals a serial replay of the accepted writes in commit order
    replay = Workspace(MemoryStore(setup), actor="replay")
    for _, rec in accepted:
        try:
            if rec["op"] == "m":
                expected = NOT_CHECKED if rec["how"] == "replace" else rec["seen"]
                again = dict(rec)
                _value_write(replay, again, expected)
                if rec["how"] == "replace" and again.get("replaced") != rec.get("replaced"):
                    problems.append(
                        f"the replay of {rec['value']} replaced {again.get('replaced')}, "
                        f"not {rec['replaced']}"
                    )
            else:
                _cycle_write(replay, rec)
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
            "cycles": {
                k: ([d.get(f) for f in FIELDS], d.get("rev", 0)) for k, d in snap.table("cycles").items()
            },
        }

    if essence(replayed) != essence(final):
        problems.append("the final state differs from the serial replay of the accepted writes")
    records = [r for res in results for r in res["records"]]
    latencies = sorted(r["seconds"] for r in records)
    stats = {
        "attempts": len(records),
        "accepted": len(accepted),
        "conflicts_values": conflicts["m"],
        "conflicts_fields": conflicts["c"],
        "silent_replacements": lost,
        "accepted_by_kind": {
            how: sum(1 for _, r in accepted if r["how"] == how)
            for how in ("form", "add", "replace", "worksheet", "dialog", "cli")
        },
        "merged_cycle_writes": _merged(accepted, initial_cycles),
        "write_median_ms": round(statistics.median(latencies) * 1000, 2) if latencies else None,
        "write_p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 2) if latencies else None,
    }
    return problems, stats


def _merged(accepted: list[tuple[int, dict[str, Any]]], initial: Any) -> int:
    """Accepted cycle writes made on an older version than the one they landed on: another
    login changed another field of the cycle in between, and both changes were kept."""
    version = {cycle_id: doc.get("rev", 0) for cycle_id, doc in initial.items()}
    merged = 0
    for _, rec in accepted:
        if rec["op"] == "c":
            merged += version[rec["cycle"]] > rec["rev"]
            version[rec["cycle"]] += 1
    return merged


def _same(a: Any, b: Any) -> bool:
    """Equal as a form shows them (an empty cycle field is "" or None; an empty month is None)."""
    if isinstance(a, str) or isinstance(b, str):
        return (a or "") == (b or "")
    return bool(a == b)


@dataclass
class LoadRun:
    """What :func:`run_load` found: ``report`` (figures and ``problems``) and the raw records."""

    report: dict[str, Any]
    setup: Snapshot
    results: list[dict[str, Any]]
    url: str

    def verify(self) -> list[str]:
        """Check the records against the database again (tests doctor records to prove it bites)."""
        return verify(self.url, self.setup, self.results)[0]


def run_load(url: str, *, clients: int = 20, seconds: float = 15.0, teams: int | None = None) -> LoadRun:
    """Set up, run ``clients`` processes for ``seconds``, verify (``run.report["problems"]``)."""
    teams = teams or max(2, clients // 4)
    specs, setup, logins = _setup(url, clients, teams)
    failures: list[str] = []
    try:
        with tempfile.TemporaryDirectory(prefix="pdsa-load-") as folder:
            work = Path(folder)
            go = work / "go"
            processes = []
            for spec in specs:
                (work / f"spec{spec['index']}.json").write_text(json.dumps(spec))
                args = [
                    str(work / f"spec{spec['index']}.json"),
                    str(go),
                    str(seconds),
                    str(work / f"out{spec['index']}.json"),
                ]
                processes.append(
                    subprocess.Popen(
                        [sys.executable, str(Path(__file__).resolve()), "client", *args],
                        stdin=subprocess.DEVNULL,
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.PIPE,
                        env={**os.environ, "PDSA_LANG": "en"},
                    )
                )
            wait_until = time.monotonic() + 300
            while time.monotonic() < wait_until and any(p.poll() is None for p in processes):
                if all((work / f"ready{spec['index']}").exists() for spec in specs):
                    break
                time.sleep(0.05)
            started = time.monotonic()
            go.touch()
            for spec, process in zip(specs, processes, strict=True):
                try:
                    _, err = process.communicate(timeout=seconds + 180)
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
        problems, stats = verify(url, setup, results)
    finally:
        _drop_logins(url, logins)
    report = {
        "clients": clients,
        "stale_clients": sum(1 for s in specs if s["index"] % 4 == 0),
        "teams": teams,
        "seconds": seconds,
        "elapsed": round(elapsed, 1),
        **stats,
        "writes_per_second": round(stats["attempts"] / max(elapsed, 1e-9), 1),
        "problems": failures + problems,
    }
    return LoadRun(report, setup, results, url)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python tests/storage/pg_load.py")
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
