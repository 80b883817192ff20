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
