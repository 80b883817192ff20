"""Stale forms and blind commands at once on one server workspace: nothing lost or replaced unseen.

``PDSA_LOAD_CLIENTS`` (default 10) client processes for ``PDSA_LOAD_SECONDS`` (default 4 in
the suite; the closing figures are from 60) edit overlapping teams; the checks are those of
``tests/storage/pg_load.py``. Skipped without ``PDSA_TEST_POSTGRES_URL``.
"""

from __future__ import annotations

import copy
import os

import pytest
from pg_load import run_load


@pytest.mark.slow
def test_stale_forms_and_blind_commands_lose_nothing_and_conflict_only_on_the_same_field(postgres) -> None:
    seconds = float(os.environ.get("PDSA_LOAD_SECONDS", "4"))
    clients = int(os.environ.get("PDSA_LOAD_CLIENTS", "10"))
    report = run_load(postgres.new_database_url(), clients=clients, seconds=seconds).report
    print(report)  # the figures, with -s
    assert report["problems"] == []
    assert report["silent_replacements"] == 0
    kinds = report["accepted_by_kind"]
    assert all(kinds[how] > 0 for how in ("form", "add", "replace", "worksheet", "cli")), kinds
    assert report["conflicts_values"] > 0 and report["conflicts_fields"] > 0
    assert report["merged_cycle_writes"] > 0  # different fields changed at once were both kept


@pytest.mark.slow
def test_the_checks_catch_a_silent_replacement_a_false_conflict_and_a_lost_refusal(postgres) -> None:
    run = run_load(postgres.new_database_url(), clients=4, seconds=3, teams=1)
    assert run.report["problems"] == []
    records = [r for res in run.results for r in res["records"]]

    silent = copy.deepcopy(run)  # a form that replaced a value its user had not seen
    rec = next(
        r for res in silent.results for r in res["records"] if r["ok"] and r["op"] == "c" and r["replaced"]
    )
    rec["replaced"] = "something else"
    assert any("silent replacement" in p for p in silent.verify())

    false = copy.deepcopy(run)  # a conflict that names another field than the one the writer changed
    rec = next(r for res in false.results for r in res["records"] if r["op"] == "c")
    rec.update(ok=False, conflict="cycle was changed by someone else meanwhile")
    rec["fields"] = [{"field": "title", "seen": "", "theirs": "x"}]
    assert any("conflict between different fields" in p for p in false.verify())
    assert any(not r["ok"] for r in records)

    claimed = copy.deepcopy(run)  # a refused write claimed as saved: it is not in the change log
    rec = next(r for res in claimed.results for r in res["records"] if not r["ok"])
    rec["ok"] = True
    rec.setdefault("replaced", rec.get("seen"))
    assert any("in the change log" in p for p in claimed.verify())
