"""Roles on a shared workspace, enforced by the database: through pdsa and through raw SQL."""

from __future__ import annotations

import json

import pytest
from storage_backends import with_database

from pdsa_core.errors import AccessDeniedError, NotFoundError
from pdsa_core.workspace import Workspace


@pytest.fixture()
def shared(postgres):
    """A server workspace with two teams in two regions and four logins with different roles."""
    import psycopg

    from pdsa_core.storage import pg_admin

    url = postgres.new_database_url()
    admin = Workspace.create(url, actor="admin")
    north = admin.add_team("Aalborg Psykiatri", region="Nordjylland")
    south = admin.add_team("Psykiatrien Syd", region="Sjælland")
    for team in (north, south):
        admin.add_indicator(team.id, "R1", "Personer tvangsindlagt")
        admin.add_measurement(team.id, "R1", "2022-01", value=4)
        admin.add_cycle(team.id, "Ringe hjem")
    logins = {}
    with psycopg.connect(url, autocommit=True) as conn:
        for role, kwargs in (
            ("tovholder", {"team": north.id}),
            ("data consultant", {"region": "Nordjylland"}),
            ("secretariat", {}),
            ("member", {"team": south.id}),
        ):
            name, password = postgres.new_login(role.split()[0][:4])
            pg_admin.add_user(conn, name, password=password)
            pg_admin.grant(conn, name, role, **kwargs)
            logins[role] = with_database(url, url.rsplit("/", 1)[1], user=name, password=password)
    return {"url": url, "admin": admin, "north": north, "south": south, "logins": logins}


def test_a_tovholder_sees_and_edits_only_their_team(shared) -> None:
    ws = Workspace.open(shared["logins"]["tovholder"])
    north, south = shared["north"], shared["south"]
    assert [t.id for t in ws.teams()] == [north.id]
    with pytest.raises(NotFoundError, match="no team"):
        ws.team(south.id)
    assert all(doc["team_id"] == north.id for doc in ws.snapshot().table("measurements").values())
    ws.add_measurement(north.id, "R1", "2022-02", value=3)
    cycle = ws.cycles(north.id)[0]
    ws.update_cycle(cycle.id, objective="Færre tvangsindlæggelser")
    assert shared["admin"].cycle(cycle.id).objective == "Færre tvangsindlæggelser"


def test_the_secretariat_reads_every_team_and_edits_none(shared) -> None:
    ws = Workspace.open(shared["logins"]["secretariat"])
    north = shared["north"]
    assert {t.id for t in ws.teams()} == {north.id, shared["south"].id}
    before = shared["admin"].export()
    with pytest.raises(AccessDeniedError, match=r"may not change values of team .*secretariat"):
        ws.add_measurement(north.id, "R1", "2022-02", value=3)
    with pytest.raises(AccessDeniedError, match="may not change PDSA cycles"):
        ws.update_cycle(ws.cycles(north.id)[0].id, objective="x")
    with pytest.raises(AccessDeniedError):
        ws.add_team("Ny")
    assert shared["admin"].export() == before


def test_a_data_consultant_imports_for_the_region_but_does_not_plan(shared) -> None:
    from pdsa_core.services.indicators import MeasurementInput

    ws = Workspace.open(shared["logins"]["data consultant"])
    north = shared["north"]
    assert [t.id for t in ws.teams()] == [north.id]  # the region's teams only
    result = ws.add_measurements(north.id, [MeasurementInput("R1", f"2022-{m:02d}", value=m) for m in (2, 3)])
    assert result.added == 2
    with pytest.raises(AccessDeniedError, match="data consultant"):
        ws.add_cycle(north.id, "Ny cyklus")


def test_a_member_of_another_region_cannot_read_or_write_it_with_raw_sql(shared) -> None:
    import psycopg

    north = shared["north"]
    with psycopg.connect(shared["logins"]["member"], autocommit=True) as conn:
        teams = [r[0] for r in conn.execute("SELECT id FROM pdsa.documents WHERE tbl = 'teams'")]
        assert teams == [shared["south"].id]
        hidden = conn.execute(
            "SELECT count(*) FROM pdsa.documents WHERE team_id = %s", (north.id,)
        ).fetchone()
        assert hidden == (0,)
        log = conn.execute("SELECT count(*) FROM pdsa.change_log WHERE team_id = %s", (north.id,)).fetchone()
        assert log == (0,)
        updated = conn.execute(
            "UPDATE pdsa.documents SET doc = '{}'::json WHERE team_id = %s", (north.id,)
        ).rowcount
        assert updated == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute(
                "INSERT INTO pdsa.documents (tbl, id, doc) VALUES ('cycles', 'pdsa-x', %s::json)",
                (json.dumps({"team_id": north.id, "title": "x"}),),
            )
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE pdsa.meta SET revision = 0")
    with psycopg.connect(shared["logins"]["member"], autocommit=True) as conn:
        # asking about another login's access tells nothing
        assert conn.execute("SELECT pdsa.team_ids(%s)", ("pdsa_ci",)).fetchone() == ([],)
        assert conn.execute("SELECT pdsa.reads_all(%s)", ("pdsa_ci",)).fetchone() == (False,)
    assert len(shared["admin"].cycles(north.id)) == 1


def test_the_secretariat_cannot_write_with_raw_sql(shared) -> None:
    import psycopg

    before = shared["admin"].export()
    with psycopg.connect(shared["logins"]["secretariat"], autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM pdsa.documents WHERE tbl = 'teams'").fetchone() == (2,)
        assert conn.execute("UPDATE pdsa.documents SET doc = '{}'::json").rowcount == 0
        assert conn.execute("DELETE FROM pdsa.documents").rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO pdsa.documents (tbl, id, doc) VALUES ('settings', 'workspace', '{}')")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO pdsa.grants (username, scope, role) VALUES (current_user, 'all', 'admin')"
            )
    assert shared["admin"].export() == before


def test_a_login_without_roles_sees_nothing(shared, postgres) -> None:
    import psycopg

    from pdsa_core.storage import pg_admin

    name, password = postgres.new_login("none")
    with psycopg.connect(shared["url"], autocommit=True) as conn:
        pg_admin.add_user(conn, name, password=password)
    url = with_database(shared["url"], shared["url"].rsplit("/", 1)[1], user=name, password=password)
    ws = Workspace.open(url)
    assert ws.teams() == [] and ws.settings() == {}
    with pytest.raises(AccessDeniedError, match="none in this workspace"):
        ws.update_settings(language="da")


def test_revoking_takes_effect_for_an_open_workspace(shared) -> None:
    import psycopg

    from pdsa_core.storage import pg_admin

    ws = Workspace.open(shared["logins"]["tovholder"])
    assert len(ws.teams()) == 1
    login = psycopg.conninfo.conninfo_to_dict(shared["logins"]["tovholder"])["user"]
    with psycopg.connect(shared["url"], autocommit=True) as conn:
        pg_admin.revoke(conn, login, team=shared["north"].id)
    assert ws.teams() == []


# -- the database is the one judge of ownership (issue 15) ------------------------------------------
def _refused_like_rls(conn, sql: str, params: tuple) -> str:
    import psycopg

    with pytest.raises(psycopg.errors.InsufficientPrivilege) as caught:
        conn.execute(sql, params)
    return str(caught.value.diag.message_primary)


def test_no_login_can_write_under_another_teams_key_or_rename_into_it(shared) -> None:
    import psycopg

    north, south = shared["north"], shared["south"]
    insert = "INSERT INTO pdsa.documents (tbl, id, doc) VALUES (%s, %s, %s::json)"
    with psycopg.connect(shared["logins"]["tovholder"], autocommit=True) as conn:  # tovholder of north
        # a driver diagram keyed to the other team, labelled as one's own: refused
        diagram = _refused_like_rls(conn, insert, ("diagrams", south.id, json.dumps({"team_id": north.id})))
        # squatting on the other team's indicator code and month: refused alike, whether the key
        # exists (R1, 2022-01) or not (R9, 2030-01): no hint either way
        existing = _refused_like_rls(
            conn, insert, ("measurements", f"{south.id}|R1|2022-01",
                           json.dumps({"team_id": north.id, "indicator": "R1", "period": "2022-01"})),
        )
        missing = _refused_like_rls(
            conn, insert, ("measurements", f"{south.id}|R9|2030-01",
                           json.dumps({"team_id": north.id, "indicator": "R9", "period": "2030-01"})),
        )
        refusal = 'new row violates row-level security policy for table "documents"'
        assert diagram == existing == missing == refusal
        # renaming its own team record to the other team's id
        own = conn.execute("SELECT doc::text FROM pdsa.documents WHERE tbl = 'teams' AND id = %s", [north.id])
        doc = json.loads(own.fetchone()[0])
        with pytest.raises(psycopg.errors.CheckViolation, match="says it is team"):
            conn.execute(
                "UPDATE pdsa.documents SET doc = %s::json WHERE tbl = 'teams' AND id = %s",
                (json.dumps({**doc, "id": south.id}), north.id),
            )
    secretariat = Workspace.open(shared["logins"]["secretariat"])
    assert sorted(t.id for t in secretariat.teams()) == sorted([north.id, south.id])
    assert secretariat.diagram(south.id).team_id == south.id
    # through pdsa the same attempt is the ordinary refusal naming the team of the key
    ws = Workspace.open(shared["logins"]["tovholder"])
    with pytest.raises(AccessDeniedError, match=f"may not change values of team {south.id}"):
        with ws.store.transaction() as tx:
            tx.put("measurements", f"{south.id}|R1|2022-01",
                   {"team_id": north.id, "indicator": "R1", "period": "2022-01", "value": 1})


def test_a_malformed_record_is_refused_and_an_old_one_is_skipped_by_readers(shared) -> None:
    import psycopg

    from pdsa_core.errors import ValidationError

    north = shared["north"]
    with psycopg.connect(shared["logins"]["tovholder"], autocommit=True) as conn:
        with pytest.raises(psycopg.errors.CheckViolation, match="lacks indicator"):
            conn.execute(
                "INSERT INTO pdsa.documents (tbl, id, doc) VALUES ('measurements', %s, %s::json)",
                (f"{north.id}|R1|2022-05", json.dumps({"team_id": north.id, "period": "2022-05"})),
            )
    ws = Workspace.open(shared["logins"]["tovholder"])
    with pytest.raises(ValidationError, match="server refused a record: .*lacks indicator"):
        with ws.store.transaction() as tx:
            tx.put("measurements", f"{north.id}|R1|2022-05", {"team_id": north.id, "period": "2022-05"})
    # a bad record from before the check (the owner slips one past the trigger): readers skip it
    with psycopg.connect(shared["url"], autocommit=True) as conn:
        conn.execute("ALTER TABLE pdsa.documents DISABLE TRIGGER documents_check")
        conn.execute(
            "INSERT INTO pdsa.documents (tbl, id, doc) VALUES ('measurements', %s, %s::json)",
            (f"{north.id}|R1|2022-06", json.dumps({"team_id": north.id, "period": "2022-06", "value": 3})),
        )
        conn.execute("ALTER TABLE pdsa.documents ENABLE TRIGGER documents_check")
    secretariat = Workspace.open(shared["logins"]["secretariat"])
    assert [m.period for m in secretariat.measurements(north.id, "R1")] == ["2022-01"]
    assert any("lacks indicator" in problem for problem in secretariat.store.skipped)
    from pdsa_core.reports.national import rollup_data  # 'pdsa report national' reads every value

    assert rollup_data([secretariat], lang="en")


def test_revision_clock_and_notifications_only_through_pdsas_write_path(shared) -> None:
    import psycopg

    from pdsa_core.storage.pg_live import ChangeEvent

    admin = shared["admin"]
    before = admin.store.load()
    events: list[ChangeEvent] = []
    listening = Workspace.open(shared["logins"]["secretariat"])
    subscription = listening.store.subscribe(events.append)
    assert subscription.wait_ready()
    with psycopg.connect(shared["logins"]["tovholder"], autocommit=True) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT pdsa.tx_revision()")
        conn.execute("NOTIFY pdsa_changes, '999'")
        conn.execute("NOTIFY pdsa_changes, 'access'")
        # the clock from a team login is ignored: the header keeps a real time
        conn.execute("BEGIN")
        conn.execute("SELECT set_config('pdsa.clock', 'not-a-date', true)")
        conn.execute(
            "UPDATE pdsa.documents SET doc = doc WHERE tbl = 'cycles' AND team_id = %s", (shared["north"].id,)
        )
        conn.execute("COMMIT")
    import time

    # the notifications of one session arrive in the order it sent them: once the real commit's
    # has arrived, the forged ones before it have been read too (and must have made no event)
    deadline = time.monotonic() + 30
    while not any(e.revision == before.revision + 1 for e in events) and time.monotonic() < deadline:
        time.sleep(0.01)
    subscription.close()
    after = admin.store.load()
    assert after.revision == before.revision + 1  # only the real commit counted
    assert after.meta["updated_at"] != "not-a-date" and after.meta["updated_at"][:2] == "20"
    assert [e.revision for e in events] == [after.revision]  # forged notifications: no event
    assert not any(e.full_reload for e in events)


def test_a_held_lock_times_out_with_a_message_naming_the_record(shared, monkeypatch) -> None:
    monkeypatch.setenv("PDSA_PG_LOCK_TIMEOUT", "0.5")
    north = shared["north"]
    hung = Workspace.open(shared["logins"]["tovholder"])
    other = Workspace.open(shared["logins"]["tovholder"])
    cycle = hung.cycles(north.id)[0]
    with hung.store.transaction() as tx:  # a client that stops in the middle of a change
        tx.get("cycles", cycle.id)
        from pdsa_core.errors import ConflictError

        with pytest.raises(ConflictError, match=rf"PDSA cycles {cycle.id} is being changed by another user"):
            other.update_cycle(cycle.id, objective="x")
    assert other.update_cycle(cycle.id, objective="x").objective == "x"


def test_entered_by_is_the_database_login(shared) -> None:
    ws = Workspace.open(shared["logins"]["tovholder"], actor="root")
    measurement, _ = ws.add_measurement(shared["north"].id, "R1", "2022-03", value=2, expected=None)
    assert measurement.entered_by == ws.store.login() != "root"
