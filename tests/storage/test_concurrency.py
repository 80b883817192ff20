"""Many users at once on one server workspace: nothing lost, every conflict reported.

``PDSA_CONCURRENCY_SECONDS`` (default 3 here, 60 in ``benchmarks/storage_bench.py``) and
``PDSA_CONCURRENCY_CLIENTS`` (default 10; 20 in the benchmark) set the size; the checks are those of
``tests/storage/pg_soak.py`` (change log, chains per month and cycle, serial replay).
"""

from __future__ import annotations

import copy
import os

import pytest
from pg_soak import run_soak


@pytest.mark.slow
def test_twenty_clients_lose_no_update_and_report_every_conflict(postgres) -> None:
    seconds = float(os.environ.get("PDSA_CONCURRENCY_SECONDS", "3"))
    clients = int(os.environ.get("PDSA_CONCURRENCY_CLIENTS", "10"))
    run = run_soak(postgres.new_database_url(), clients=clients, seconds=seconds)
    report = run.report
    assert report["problems"] == []
    assert report["accepted"] > clients and report["conflicts"] > 0
    assert report["accepted"] + report["conflicts"] == report["attempts"]


def test_the_checks_catch_a_lost_update_and_an_unreported_refusal(postgres) -> None:
    run = run_soak(postgres.new_database_url(), clients=3, seconds=2, teams=1)
    assert run.report["problems"] == [] and run.report["conflicts"] > 0

    silent = copy.deepcopy(run)  # a refused write claimed as saved: it is not in the log
    record = next(r for res in silent.results for r in res["records"] if not r["ok"])
    record["ok"] = True
    assert any("in the change log" in p for p in silent.verify())

    lost = copy.deepcopy(run)  # an accepted write that had not seen the value before it
    accepted = [r for res in lost.results for r in res["records"] if r["ok"] and r["op"] == "m"]
    later = next(r for r in accepted if r["seen"] is not None)
    later["seen"] = -1
    problems = lost.verify()
    assert any("lost update" in p for p in problems) and any("serial replay" in p for p in problems)

    failed = copy.deepcopy(run)  # a write that failed for another reason than a conflict
    record = next(r for res in failed.results for r in res["records"] if not r["ok"])
    del record["conflict"]
    record["error"] = "connection lost"
    assert any("without a conflict" in p for p in failed.verify())
