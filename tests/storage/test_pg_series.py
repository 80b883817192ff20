"""The database keeps each series of values together (pdsa.series, migration 003): always equal
to the values themselves, whoever writes them and how, readable only where the values are."""

from __future__ import annotations

import json

import pytest
from storage_backends import with_database

from pdsa_core.workspace import Workspace


def _series(conn) -> dict[str, tuple[int, dict]]:  # noqa: ANN001 - a psycopg connection
    rows = conn.execute("SELECT id, n, docs FROM pdsa.series ORDER BY id").fetchall()
    return {sid: (n, json.loads(docs)) for sid, n, docs in rows}


def _values(conn) -> dict[str, dict[str, dict]]:  # noqa: ANN001
    rows = conn.execute(
        "SELECT id, doc::text FROM pdsa.documents WHERE tbl = 'measurements' ORDER BY id"
    ).fetchall()
    grouped: dict[str, dict[str, dict]] = {}
    for doc_id, text in rows:
        grouped.setdefault(doc_id.rpartition("|")[0], {})[doc_id] = json.loads(text)
    return grouped


@pytest.fixture()
def shared(postgres):
    import psycopg

    from pdsa_core.storage import pg_admin

    url = postgres.new_database_url()
    admin = Workspace.create(url, actor="admin")
    north = admin.add_team("Aalborg Psykiatri", region="Nordjylland")
    south = admin.add_team("Psykiatrien Syd", region="Sjælland")
    for team in (north, south):
        for code in ("R1", "R2"):
            admin.add_indicator(team.id, code, code)
            for month in (1, 2, 3):
                admin.add_measurement(team.id, code, f"2022-0{month}", value=month)
    with psycopg.connect(url, autocommit=True) as conn:
        name, password = postgres.new_login("tova")
        pg_admin.add_user(conn, name, password=password)
        pg_admin.grant(conn, name, "tovholder", team=north.id)
    login = with_database(url, url.rsplit("/", 1)[1], user=name, password=password)
    return {"url": url, "admin": admin, "north": north, "south": south, "login": login}


def test_the_series_follow_every_kind_of_write(shared) -> None:
    import psycopg

    admin, north, south = shared["admin"], shared["north"], shared["south"]
    with psycopg.connect(shared["url"], autocommit=True) as conn:
        expected = {sid: (len(docs), docs) for sid, docs in _values(conn).items()}
        assert _series(conn) == expected and len(expected) == 4
    admin.add_measurement(north.id, "R1", "2022-02", value=20)  # a correction (with a revision)
    admin.remove_measurement(north.id, "R2", "2022-01")
    for month in (1, 2, 3):
        admin.remove_measurement(south.id, "R2", f"2022-0{month}")  # a whole series gone
    with psycopg.connect(shared["login"], autocommit=True) as conn:  # a team login with psql
        conn.execute(
            "UPDATE pdsa.documents SET doc = %s::json WHERE tbl = 'measurements' AND id = %s",
            (
                json.dumps({"team_id": north.id, "indicator": "R1", "period": "2022-03", "value": 33}),
                f"{north.id}|R1|2022-03",
            ),
        )
    with psycopg.connect(shared["url"], autocommit=True) as conn:
        values = _values(conn)
        assert _series(conn) == {sid: (len(docs), docs) for sid, docs in values.items()}
        assert f"{south.id}|R2" not in values
    fresh = Workspace.open(shared["url"])
    assert [m.value for m in fresh.measurements(north.id, "R1")] == [1, 20, 33]
    assert [m.period for m in fresh.measurements(north.id, "R2")] == ["2022-02", "2022-03"]
    assert fresh.measurements(south.id, "R2") == []
    # a reader that followed the edits one by one holds exactly what a fresh read holds
    assert dict(admin.snapshot().table("measurements")) == dict(fresh.snapshot().table("measurements"))


def test_a_login_reads_only_its_teams_series_and_cannot_write_them(shared) -> None:
    import psycopg

    north, south = shared["north"], shared["south"]
    with psycopg.connect(shared["login"], autocommit=True) as conn:
        assert set(_series(conn)) == {f"{north.id}|R1", f"{north.id}|R2"}
        for statement in (
            "DELETE FROM pdsa.series",
            "UPDATE pdsa.series SET docs = '{}'",
            f"INSERT INTO pdsa.series VALUES ('{south.id}|R9', '{south.id}', 0, '{{}}')",
            "SELECT pdsa.series_rebuild()",
            f"SELECT pdsa.series_refresh(ARRAY['{south.id}|R1'])",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
    ws = Workspace.open(shared["login"])
    assert {doc_id.rpartition("|")[0] for doc_id in ws.snapshot().table("measurements")} == {
        f"{north.id}|R1",
        f"{north.id}|R2",
    }


def test_the_upgrade_builds_the_series_of_an_older_database(shared) -> None:
    import psycopg

    from pdsa_core.storage.pg_schema import install_sql

    with psycopg.connect(shared["url"], autocommit=True) as conn:
        expected = _series(conn)
        conn.execute("DROP TABLE pdsa.series CASCADE")  # as a database set up before migration 003
        conn.execute("DROP TRIGGER documents_series_insert ON pdsa.documents")
        conn.execute("DELETE FROM pdsa.schema_version WHERE version >= 3")
        conn.execute(install_sql().encode())
        conn.execute(install_sql().encode())  # safe to run again
        assert _series(conn) == expected
    shared["admin"].add_measurement(shared["north"].id, "R1", "2022-04", value=4, expected=None)
    assert Workspace.open(shared["url"]).measurements(shared["north"].id, "R1")[-1].value == 4


def test_two_transactions_changing_one_series_at_once_both_reach_it(shared) -> None:
    """The second transaction waits for the first and rebuilds the series from its committed
    values: both changes are in the series (the revision counter already serialises writers
    from their first write to their commit; the rebuild's own lock per series would keep this
    true without it)."""
    import threading

    import psycopg

    north = shared["north"]

    def change(conn, month: str, value: int) -> None:  # noqa: ANN001
        doc = {"team_id": north.id, "indicator": "R1", "period": month, "value": value}
        conn.execute(
            "UPDATE pdsa.documents SET doc = %s::json WHERE tbl = 'measurements' AND id = %s",
            (json.dumps(doc), f"{north.id}|R1|{month}"),
        )

    with psycopg.connect(shared["url"]) as first, psycopg.connect(shared["url"]) as second:
        change(first, "2022-01", 100)  # the series is rebuilt and locked until this commits
        thread = threading.Thread(target=lambda: (change(second, "2022-02", 200), second.commit()))
        thread.start()
        with psycopg.connect(shared["url"], autocommit=True) as watcher:
            while not watcher.execute(  # the second transaction waits for the first
                "SELECT count(*) FROM pg_locks WHERE pid = %s AND NOT granted", (second.info.backend_pid,)
            ).fetchone()[0]:
                thread.join(0.05)
        first.commit()
        thread.join()
    with psycopg.connect(shared["url"], autocommit=True) as conn:
        series = _series(conn)[f"{north.id}|R1"][1]
        assert [doc["value"] for doc in series.values()] == [100, 200, 3]
        assert _series(conn) == {sid: (len(docs), docs) for sid, docs in _values(conn).items()}
