"""Live updates: a subscriber hears about other users' commits (LISTEN/NOTIFY), as far as it may read."""

from __future__ import annotations

import queue

import pytest
from storage_backends import with_database

from pdsa_core.workspace import Workspace

WAIT = 10.0  # seconds; events normally arrive within milliseconds


def _next(events: queue.Queue, *, skip_own: bool = True):  # noqa: ANN202 - a ChangeEvent
    while True:
        event = events.get(timeout=WAIT)
        if not (skip_own and event.own):
            return event


@pytest.fixture()
def shared(postgres):
    import psycopg

    from pdsa_core.storage import pg_admin

    url = postgres.new_database_url()
    admin = Workspace.create(url, actor="admin")
    north = admin.add_team("Aalborg Psykiatri", region="Nordjylland")
    south = admin.add_team("Psykiatrien Syd", region="Sjælland")
    for team in (north, south):
        admin.add_indicator(team.id, "R1", "Tvangsindlagte")
    name, password = postgres.new_login("tov")
    with psycopg.connect(url, autocommit=True) as conn:
        pg_admin.add_user(conn, name, password=password)
        pg_admin.grant(conn, name, "tovholder", team=north.id)
    member = with_database(url, url.rsplit("/", 1)[1], user=name, password=password)
    return {"url": url, "admin": admin, "north": north.id, "south": south.id, "member": member, "login": name}


def test_another_users_commit_arrives_with_who_and_what(shared) -> None:
    watcher = Workspace.open(shared["url"])
    events: queue.Queue = queue.Queue()
    subscription = watcher.store.subscribe(events.put)
    try:
        assert subscription.wait_ready(WAIT)
        writer = Workspace.open(shared["member"])
        writer.add_measurement(shared["north"], "R1", "2022-01", value=3)
        event = _next(events)
        assert event.actor == shared["login"] and not event.own and not event.full_reload
        assert event.tables == {"measurements"} and event.teams == {shared["north"]}
        assert event.changes[0].doc_ids == (f"{shared['north']}|R1|2022-01",)
        assert event.touches("measurements", shared["north"]) and not event.touches("cycles")
        assert event.summary("en") == f"{shared['login']} changed 1 value in {shared['north']}"
        assert event.summary("da") == f"{shared['login']} ændrede 1 værdi i {shared['north']}"
        # the watcher's next read shows it (only the change is fetched)
        assert [m.value for m in watcher.measurements(shared["north"], "R1")] == [3]
        cycle = writer.add_cycle(shared["north"], "Ringe hjem")
        writer.set_cycle_status(cycle.id, "doing")
        writer.remove_measurement(shared["north"], "R1", "2022-01")
        added, moved, removed = _next(events), _next(events), _next(events)
        assert added.tables == {"cycles"} and moved.revision == added.revision + 1
        assert removed.summary("en") == f"{shared['login']} deleted 1 value in {shared['north']}"
        assert watcher.measurements(shared["north"], "R1") == []
    finally:
        subscription.close()
    assert subscription.closed


def test_own_commits_are_marked_as_own(shared) -> None:
    ws = Workspace.open(shared["url"])
    events: queue.Queue = queue.Queue()
    subscription = ws.store.subscribe(events.put)
    try:
        subscription.wait_ready(WAIT)
        ws.add_measurement(shared["south"], "R1", "2022-01", value=1)
        event = events.get(timeout=WAIT)
        assert event.own and event.teams == {shared["south"]}
    finally:
        subscription.close()


def test_a_member_hears_only_about_teams_they_may_read(shared) -> None:
    member = Workspace.open(shared["member"])
    events: queue.Queue = queue.Queue()
    subscription = member.store.subscribe(events.put)
    try:
        subscription.wait_ready(WAIT)
        shared["admin"].add_measurement(shared["south"], "R1", "2022-01", value=9)  # another region
        shared["admin"].add_measurement(shared["north"], "R1", "2022-01", value=2)
        event = _next(events)
        assert event.teams == {shared["north"]}
        assert events.empty()
    finally:
        subscription.close()


def test_a_change_of_access_asks_for_a_full_reload(shared) -> None:
    import psycopg

    from pdsa_core.storage import pg_admin

    member = Workspace.open(shared["member"])
    assert len(member.teams()) == 1
    events: queue.Queue = queue.Queue()
    subscription = member.store.subscribe(events.put)
    try:
        subscription.wait_ready(WAIT)
        with psycopg.connect(shared["url"], autocommit=True) as conn:
            pg_admin.grant(conn, shared["login"], "member", team=shared["south"])
        event = _next(events)
        assert event.full_reload and "reloaded" in event.summary("en")
        assert len(member.teams()) == 2
    finally:
        subscription.close()


def test_events_missed_while_disconnected_are_delivered_after_reconnecting(shared, postgres) -> None:
    import psycopg

    watcher = Workspace.open(shared["url"])
    events: queue.Queue = queue.Queue()
    subscription = watcher.store.subscribe(events.put)
    subscription.retry_seconds = 0.2
    try:
        subscription.wait_ready(WAIT)
        with psycopg.connect(postgres.admin_url, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = 'pdsa-live-updates' AND datname = %s",
                (shared["url"].rsplit("/", 1)[1],),
            )
        writer = Workspace.open(shared["member"])
        for month in (1, 2, 3):
            writer.add_measurement(shared["north"], "R1", f"2022-0{month}", value=month)
        got = [_next(events) for _ in range(3)]
        assert [e.changes[0].doc_ids[0][-7:] for e in got] == ["2022-01", "2022-02", "2022-03"]
        assert [e.revision for e in got] == sorted(e.revision for e in got)
    finally:
        subscription.close()


def test_a_failing_callback_does_not_stop_the_listener(shared) -> None:
    watcher = Workspace.open(shared["url"])
    seen: list[int] = []

    def callback(event) -> None:  # noqa: ANN001
        seen.append(event.revision)
        if len(seen) == 1:
            raise RuntimeError("a bug in the UI")

    subscription = watcher.store.subscribe(callback)
    try:
        subscription.wait_ready(WAIT)
        writer = Workspace.open(shared["member"])
        writer.add_measurement(shared["north"], "R1", "2022-01", value=1)
        writer.add_measurement(shared["north"], "R1", "2022-02", value=1)
        import time

        deadline = time.monotonic() + WAIT
        while len(seen) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(seen) == 2
    finally:
        subscription.close()


def test_a_file_workspace_does_not_push(tmp_path) -> None:
    ws = Workspace.create(tmp_path / "w.json")
    assert ws.store.subscribe(lambda event: None) is None
