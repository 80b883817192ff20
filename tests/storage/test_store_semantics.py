"""The Store interface on both backends: snapshots, transactions, locking, conflicts."""

from __future__ import annotations

import threading
import time

import orjson
import pytest

from pdsa_core.errors import ConflictError, WorkspaceError
from pdsa_core.storage import CURRENT_SCHEMA, create_store, open_store
from pdsa_core.workspace import Workspace


def _value(period: str, value: float) -> dict[str, object]:
    """A value record as the database accepts it (its key and fields agree)."""
    return {"team_id": "t", "indicator": "R1", "period": period, "value": value}


def test_transactions_are_all_or_nothing_and_count_revisions(store_location: str) -> None:
    store = create_store(store_location)
    first = store.load()
    assert first.revision == 0 and first.meta["format"] == "pdsa-workspace"
    with store.transaction() as tx:
        tx.put("teams", "a", {"id": "a", "name": "A"})
        tx.put("teams", "b", {"id": "b", "name": "B"})
        assert tx.get("teams", "a") == {"id": "a", "name": "A"}
        assert set(tx.all("teams")) == {"a", "b"}
        tx.delete("teams", "b")
        assert tx.get("teams", "b") is None and set(tx.all("teams")) == {"a"}
    snap = store.load()
    assert snap.revision == 1 and snap.table("teams") == {"a": {"id": "a", "name": "A"}}
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.put("teams", "c", {"id": "c", "name": "C"})
        raise RuntimeError("stop")
    with store.transaction() as tx:  # reads only: no new revision
        assert tx.get("teams", "c") is None
    assert store.load().revision == 1 and "c" not in store.load().table("teams")


def test_another_store_sees_commits_and_deletions(store_location: str) -> None:
    one = create_store(store_location)
    two = open_store(store_location)
    with one.transaction() as tx:
        for n in range(3):
            tx.put("measurements", f"t|R1|2022-0{n + 1}", _value(f"2022-0{n + 1}", n))
    seen = two.load()
    assert len(seen.table("measurements")) == 3 and two.is_current(seen)
    with one.transaction() as tx:
        tx.delete("measurements", "t|R1|2022-01")
        tx.put("measurements", "t|R1|2022-02", _value("2022-02", 20))
    assert not two.is_current(seen)
    now = two.load()
    assert now.table("measurements") == {
        "t|R1|2022-02": _value("2022-02", 20),
        "t|R1|2022-03": _value("2022-03", 2),
    }
    assert seen.table("measurements")["t|R1|2022-01"] == _value("2022-01", 0)  # old snapshot intact
    assert now.revision == seen.revision + 1


def test_documents_come_back_exactly(store_location: str) -> None:
    store = create_store(store_location)
    doc = {"z": 1, "a": [0.1, 1e-7, 12345678901234, -0.0], "æ": 'Tvang ✓ "quoted"', "n": None, "t": True}
    with store.transaction() as tx:
        tx.put("settings", "workspace", doc)
    back = open_store(store_location).load().table("settings")["workspace"]
    assert back == doc and list(back) == list(doc)


def test_a_second_writer_of_the_same_record_waits_and_sees_the_first(store_location: str) -> None:
    create_store(store_location)
    first, second = open_store(store_location), open_store(store_location)
    entered = threading.Event()
    release = threading.Event()
    seen: list[object] = []

    def slow_writer() -> None:
        with first.transaction() as tx:
            tx.get("cycles", "c1")
            tx.put("cycles", "c1", {"id": "c1", "team_id": "t", "title": "C", "objective": "first"})
            entered.set()
            release.wait(10)

    def other_writer() -> None:
        with second.transaction() as tx:
            seen.append(tx.get("cycles", "c1"))
            tx.put("cycles", "c1", {"id": "c1", "team_id": "t", "title": "C", "objective": "second"})

    a = threading.Thread(target=slow_writer)
    a.start()
    assert entered.wait(10)
    b = threading.Thread(target=other_writer)
    b.start()
    time.sleep(0.3)
    assert seen == []  # still waiting for the first transaction
    release.set()
    a.join(10)
    b.join(10)
    assert seen == [{"id": "c1", "team_id": "t", "title": "C", "objective": "first"}]
    assert open_store(store_location).load().table("cycles")["c1"]["objective"] == "second"


@pytest.fixture()
def two_users(store_location: str) -> tuple[Workspace, Workspace, str]:
    anna = Workspace.create(store_location, actor="anna")
    team = anna.add_team("Psykiatrien Syd", region="Sjælland")
    anna.add_indicator(team.id, "R1", "Tvangsindlagte")
    anna.add_indicator(team.id, "V1", "Andel", unit="proportion")
    anna.add_measurement(team.id, "R1", "2022-01", value=4)
    bo = Workspace.open(store_location, actor="bo")
    return anna, bo, team.id


def test_the_same_month_edited_by_two_users_is_a_conflict_with_both_values(two_users) -> None:
    anna, bo, team = two_users
    seen_by_anna = anna.measurements(team, "R1")[0].value
    seen_by_bo = bo.measurements(team, "R1")[0].value
    anna.add_measurement(team, "R1", "2022-01", value=5, expected=seen_by_anna)
    with pytest.raises(
        ConflictError, match=r"R1 2022-01 .* you saw 4, it is now 5 \(entered by \w+ .*6 was not saved"
    ):
        bo.add_measurement(team, "R1", "2022-01", value=6, expected=seen_by_bo)
    stored = bo.measurements(team, "R1")[0]
    assert stored.value == 5 and [r.value for r in stored.revisions] == [4]
    # having seen the new value, bo may change it
    _, status = bo.add_measurement(team, "R1", "2022-01", value=6, expected=5)
    assert status == "changed"
    # the same value entered twice is no conflict
    assert anna.add_measurement(team, "R1", "2022-01", value=6, expected=5)[1] == "unchanged"


def test_an_empty_month_filled_by_someone_else_is_a_conflict(two_users) -> None:
    anna, bo, team = two_users
    anna.add_measurement(team, "V1", "2022-02", numerator=1, denominator=4, expected=None)
    with pytest.raises(ConflictError, match=r"V1 2022-02 already has a value: 0.25 \(entered by"):
        bo.add_measurement(team, "V1", "2022-02", numerator=2, denominator=4, expected=None)
    assert [m.value for m in anna.measurements(team, "V1")] == [0.25]


def test_different_months_and_different_cycles_both_succeed(two_users) -> None:
    anna, bo, team = two_users
    c1 = anna.add_cycle(team, "Ringe hjem")
    c2 = anna.add_cycle(team, "Kendskabsbesøg")
    b1 = bo.cycle(c1.id)
    b2 = bo.cycle(c2.id)
    anna.add_measurement(team, "R1", "2022-02", value=1, expected=None)
    bo.add_measurement(team, "R1", "2022-03", value=2, expected=None)
    anna.update_cycle(c1.id, expected_rev=c1.rev, objective="Anna")
    bo.update_cycle(c2.id, expected_rev=b2.rev, objective="Bo")
    with pytest.raises(ConflictError, match="yours 'Bo', theirs 'Anna'"):
        bo.update_cycle(c1.id, expected_rev=b1.rev, objective="Bo")
    assert [c.objective for c in anna.cycles(team)] == ["Anna", "Bo"]
    assert [m.period for m in bo.measurements(team, "R1")] == ["2022-01", "2022-02", "2022-03"]


def test_create_refuses_an_existing_workspace(store_location: str) -> None:
    Workspace.create(store_location).add_team("T")
    with pytest.raises(WorkspaceError, match="already"):
        Workspace.create(store_location)
    assert [t.name for t in Workspace.open(store_location).teams()] == ["T"]


# -- PostgreSQL only ------------------------------------------------------------------------------
def test_crossing_writers_are_a_conflict_not_a_hang(postgres) -> None:
    """Two transactions locking two records in opposite order: one gives way, cleanly."""
    url = postgres.new_database_url()
    create_store(url)
    stores = [open_store(url), open_store(url)]
    both_in = threading.Barrier(2)
    outcome: dict[int, str] = {}

    def writer(n: int) -> None:
        keys = ["a", "b"] if n == 0 else ["b", "a"]
        try:
            with stores[n].transaction() as tx:
                tx.put("teams", keys[0], {"id": keys[0], "name": "T", "by": n})
                both_in.wait(10)
                tx.put("teams", keys[1], {"id": keys[1], "name": "T", "by": n})
            outcome[n] = "ok"
        except ConflictError as exc:
            outcome[n] = str(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(outcome) == 2 and list(outcome.values()).count("ok") == 1
    conflict = [text for text in outcome.values() if text != "ok"][0]
    assert "at the same moment; nothing was saved, try again" in conflict
    winner = [n for n, text in outcome.items() if text == "ok"][0]
    teams = open_store(url).load().table("teams")
    assert teams == {"a": {"id": "a", "name": "T", "by": winner}, "b": {"id": "b", "name": "T", "by": winner}}


def test_a_dropped_connection_is_reopened_and_a_broken_transaction_saves_nothing(postgres) -> None:
    import psycopg

    url = postgres.new_database_url()
    store = create_store(url)
    with store.transaction() as tx:
        tx.put("teams", "a", {"id": "a", "name": "A"})

    def kill() -> None:
        with psycopg.connect(postgres.admin_url, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid = ANY(%s)",
                (url.rsplit("/", 1)[1], list(store.own_backend_pids)),
            )

    kill()
    assert store.load().table("teams") == {"a": {"id": "a", "name": "A"}}  # silently reconnected
    with pytest.raises(
        WorkspaceError, match="connection to the PostgreSQL server was lost.*nothing was saved"
    ):
        with store.transaction() as tx:
            tx.put("teams", "b", {"id": "b", "name": "B"})
            kill()
            tx.get("teams", "a")
    assert set(open_store(url).load().table("teams")) == {"a"}
    with store.transaction() as tx:
        tx.put("teams", "c", {"id": "c", "name": "C"})
    assert set(store.load().table("teams")) == {"a", "c"}


def test_schema_versions_are_recorded_and_a_newer_schema_is_refused(postgres) -> None:
    import psycopg

    from pdsa_core.storage.pg_schema import latest_version, migrations

    url = postgres.new_database_url()
    create_store(url)
    assert [m.version for m in migrations()] == list(range(1, latest_version() + 1))
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute("SELECT version, name FROM pdsa.schema_version").fetchall()
        assert rows == [(m.version, m.name) for m in migrations()]
        conn.execute(
            "INSERT INTO pdsa.schema_version (version, name) VALUES (%s, 'future')", (latest_version() + 1,)
        )
    with pytest.raises(WorkspaceError, match="newer pdsa"):
        open_store(url).load()


def test_old_documents_are_migrated_with_a_backup_table(postgres) -> None:
    import psycopg

    url = postgres.new_database_url()
    create_store(url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO pdsa.documents (tbl, id, doc) VALUES ('teams', 'syd', %s::json), "
            "('annotations', 'a1', %s::json)",
            (
                '{"id": "syd", "name": "Syd", "municipality": "Næstved"}',
                '{"id": "a1", "team_id": "syd", "date": "2022-01-01", "text": "x", "category": "law change"}',
            ),
        )
        conn.execute("UPDATE pdsa.meta SET workspace_schema = 1")
    snap = open_store(url).load()
    assert snap.meta["schema_version"] == CURRENT_SCHEMA and snap.meta["migrated_from"] == 1
    assert snap.table("teams")["syd"]["municipalities"] == ["Næstved"]
    assert snap.table("annotations")["a1"]["kind"] == "law change"
    with psycopg.connect(url, autocommit=True) as conn:
        backup = conn.execute(f"SELECT doc FROM {snap.meta['backup']} WHERE id = 'syd'").fetchone()[0]
    assert backup["municipality"] == "Næstved"


def test_a_database_without_pdsa_is_explained(postgres) -> None:
    url = postgres.new_database_url(create=True)
    with pytest.raises(
        WorkspaceError, match="holds no pdsa workspace; create one with 'pdsa server init URL'"
    ):
        Workspace.open(url)


def test_documents_of_a_schema_that_only_files_store_differently_are_read_without_an_upgrade(
    postgres, tmp_path
) -> None:
    """Schema 4 changed only how a workspace file stores its months: a server workspace of
    schema 3 holds schema 4's documents, so it is read as it is, with no backup table, and a
    copy to a file is a schema 4 file."""
    import psycopg

    from pdsa_core.storage.pg_copy import copy_workspace

    url = postgres.new_database_url()
    store = create_store(url)
    with store.transaction() as tx:
        tx.put("teams", "syd", {"id": "syd", "name": "Syd"})
    store.close()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE pdsa.meta SET workspace_schema = 3")
    snap = open_store(url).load()
    assert snap.meta["schema_version"] == CURRENT_SCHEMA == 4 and "migrated_from" not in snap.meta
    assert snap.table("teams")["syd"]["name"] == "Syd"
    with psycopg.connect(url, autocommit=True) as conn:
        assert conn.execute("SELECT workspace_schema FROM pdsa.meta").fetchone()[0] == 3
        tables = conn.execute("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'documents_schema%'")
        assert tables.fetchone()[0] == 0
    copy_workspace(url, str(tmp_path / "copy.json"))
    on_disk = orjson.loads((tmp_path / "copy.json").read_bytes())
    assert on_disk["_meta"]["meta"]["schema_version"] == 4
