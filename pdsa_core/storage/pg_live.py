"""Live updates from a PostgreSQL workspace: LISTEN/NOTIFY, then who changed what.

Every commit increments the workspace revision and sends ``NOTIFY pdsa_changes, '<revision>'``
(see ``pdsa.tx_revision()`` in the SQL). The notification carries nothing else, because
notifications are not filtered by row-level security; on each one the listener reads the
change log since the last revision it reported, which the database filters to the teams the
user may read, and hands one :class:`ChangeEvent` per commit to the callback.

Usage (the TUI does this)::

    subscription = workspace.store.subscribe(on_change)   # None for a workspace file
    ...
    subscription.close()

``on_change(event)`` runs on the listener's own thread: hand it to the UI thread (Textual:
``app.call_from_thread``). After an event, ``workspace.snapshot()`` returns the new state
(it re-reads only what changed). A dropped connection is re-opened and the events missed
meanwhile are delivered then, so none is lost.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pdsa_core.i18n import add_texts, get_language
from pdsa_core.storage.pg_schema import CHANNEL, connect, psycopg

if TYPE_CHECKING:
    from pdsa_core.storage.postgres_store import PostgresStore

log = logging.getLogger("pdsa.live")

#: at most this many document ids are listed per (table, team, operation) of one commit
MAX_IDS = 50

_NOUNS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    # table: ((Danish singular, plural), (English singular, plural))
    "teams": (("team", "teams"), ("team", "teams")),
    "indicators": (("indikator", "indikatorer"), ("indicator", "indicators")),
    "measurements": (("værdi", "værdier"), ("value", "values")),
    "annotations": (("annotering", "annoteringer"), ("annotation", "annotations")),
    "diagrams": (("driverdiagram", "driverdiagrammer"), ("driver diagram", "driver diagrams")),
    "diagram_history": (("diagramændring", "diagramændringer"), ("diagram change", "diagram changes")),
    "cycles": (("PDSA-cirkel", "PDSA-cirkler"), ("PDSA cycle", "PDSA cycles")),
    "meetings": (("møde", "møder"), ("meeting", "meetings")),
    "assessments": (("vurdering", "vurderinger"), ("assessment", "assessments")),
    "settings": (("indstilling", "indstillinger"), ("setting", "settings")),
}

add_texts(
    {
        "live.changed": ("{actor} ændrede {what}", "{actor} changed {what}"),
        "live.deleted": ("slettede {what}", "deleted {what}"),
        "live.in_teams": ("i {teams}", "in {teams}"),
        "live.reload": (
            "{actor} ændrede hele arbejdsområdet eller adgangene; alt er indlæst igen",
            "{actor} changed the whole workspace or the access rights; everything was reloaded",
        ),
        "live.someone": ("nogen", "someone"),
    }
)


@dataclass(frozen=True)
class Change:
    """Documents of one table and team written ("put") or deleted ("delete") by one commit."""

    table: str
    team_id: str | None
    op: str
    count: int
    doc_ids: tuple[str, ...] = ()  # the first :data:`MAX_IDS` of them


@dataclass(frozen=True)
class ChangeEvent:
    """One commit by someone (or a change of access): what the TUI refreshes and reports."""

    revision: int
    actor: str  # the database login that committed
    at: str  # ISO 8601, UTC
    own: bool  # committed through the store that subscribed (this program)
    changes: tuple[Change, ...] = ()
    full_reload: bool = False  # access rights changed or the workspace was replaced

    @property
    def teams(self) -> frozenset[str]:
        return frozenset(c.team_id for c in self.changes if c.team_id)

    @property
    def tables(self) -> frozenset[str]:
        return frozenset(c.table for c in self.changes)

    def touches(self, table: str, team_id: str | None = None) -> bool:
        """Does this commit change ``table`` (of ``team_id``)? A full reload touches everything."""
        if self.full_reload:
            return True
        return any(c.table == table and (team_id is None or c.team_id == team_id) for c in self.changes)

    def summary(self, lang: str | None = None) -> str:
        """ "anna changed 3 values, 1 PDSA cycle in psykiatrien-syd" (Danish or English)."""
        from pdsa_core.i18n import t

        lang = lang or get_language()
        actor = self.actor or t("live.someone", lang)
        if self.full_reload:
            return t("live.reload", lang, actor=actor)
        counts: dict[tuple[str, str], int] = {}
        for change in self.changes:
            counts[(change.op, change.table)] = counts.get((change.op, change.table), 0) + change.count
        written = [_count(n, table, lang) for (op, table), n in sorted(counts.items()) if op == "put"]
        deleted = [_count(n, table, lang) for (op, table), n in sorted(counts.items()) if op == "delete"]
        parts = []
        if written:
            parts.append(t("live.changed", lang, actor=actor, what=", ".join(written)))
        if deleted:
            text = t("live.deleted", lang, what=", ".join(deleted))
            parts.append(text if parts else f"{actor} {text}")
        text = "; ".join(parts) or t("live.changed", lang, actor=actor, what="–")
        if self.teams:
            text += " " + t("live.in_teams", lang, teams=", ".join(sorted(self.teams)))
        return text


def _count(n: int, table: str, lang: str) -> str:
    nouns = _NOUNS.get(table)
    if nouns is None:
        return f"{n} {table}"
    singular, plural = nouns[0] if lang == "da" else nouns[1]
    return f"{n} {singular if n == 1 else plural}"


Callback = Callable[[ChangeEvent], None]


@dataclass
class PgSubscription:
    """A listener thread with its own connection; :meth:`close` stops it."""

    store: PostgresStore
    callback: Callback
    retry_seconds: float = 1.0
    _stop: threading.Event = field(default_factory=threading.Event, init=False)
    _ready: threading.Event = field(default_factory=threading.Event, init=False)
    _thread: threading.Thread | None = field(default=None, init=False)
    _conn: Any = field(default=None, init=False)
    last_revision: int = field(default=0, init=False)
    error: str = field(default="", init=False)  # the latest connection problem, "" when connected
    _epoch: int | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        # start from the revision the store sees now, so nothing between this call and the
        # listener's first read is missed
        with self.store._lock:
            row = self.store._connect().execute("SELECT revision FROM pdsa.meta").fetchone()
        self.last_revision = int(row[0]) if row else 0
        self._thread = threading.Thread(target=self._run, name="pdsa-live-updates", daemon=True)
        self._thread.start()

    def wait_ready(self, timeout: float = 10.0) -> bool:
        """Block until the listener is listening (tests and tools; the TUI need not wait)."""
        return self._ready.wait(timeout)

    @property
    def closed(self) -> bool:
        return self._stop.is_set()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        if self in self.store._subscriptions:
            self.store._subscriptions.remove(self)

    # -- the thread ---------------------------------------------------------------------------------
    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._conn = connect(self.store._url, application="pdsa-live-updates")
                with self._conn:
                    self._conn.execute(f"LISTEN {CHANNEL}")
                    if self._epoch is None:
                        self._epoch = self._read_epoch(self._conn)
                    self.error = ""
                    self._deliver(self._conn, access_changed=False)
                    self._ready.set()
                    self._listen(self._conn)
            except Exception as exc:  # noqa: BLE001 - a listener must survive a server restart
                self.error = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
                log.warning("live updates interrupted (%s); reconnecting", self.error)
                self._stop.wait(self.retry_seconds)
            finally:
                self._conn = None

    def _listen(self, conn: psycopg.Connection[Any]) -> None:
        """Wait for notifications; each one makes the listener read what was committed.

        Any login may send ``NOTIFY pdsa_changes``: a notification is only a reason to look.
        Events come from the change log (filtered by row-level security) and a full reload
        only from a real change of the access epoch, so a forged one changes nothing.
        """
        while not self._stop.is_set():
            notes = list(conn.notifies(timeout=0.5, stop_after=1))
            if not notes:
                continue
            access_changed = False
            if any(n.payload == "access" for n in notes):
                epoch = self._read_epoch(conn)
                access_changed = epoch != self._epoch
                self._epoch = epoch
            self._deliver(conn, access_changed=access_changed)

    def _read_epoch(self, conn: psycopg.Connection[Any]) -> int:
        row = conn.execute("SELECT access_epoch FROM pdsa.meta").fetchone()
        return int(row[0]) if row else 0

    def _deliver(self, conn: psycopg.Connection[Any], *, access_changed: bool) -> None:
        events = self._read_events(conn)
        if access_changed:
            events.append(
                ChangeEvent(
                    revision=self.last_revision, actor="", at="", own=False, changes=(), full_reload=True
                )
            )
        for event in events:
            if self._stop.is_set():
                return
            try:
                self.callback(event)
            except Exception:  # noqa: BLE001 - a broken callback must not stop the listener
                log.exception("a live-update callback failed")

    def _read_events(self, conn: psycopg.Connection[Any]) -> list[ChangeEvent]:
        with conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            head = conn.execute("SELECT revision FROM pdsa.meta").fetchone()
            current = int(head[0]) if head else self.last_revision
            rows = conn.execute(
                """
                SELECT revision, min(actor),
                       to_char(min(at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"'),
                       array_agg(DISTINCT backend_pid), tbl, team_id, op, count(*),
                       (array_agg(doc_id ORDER BY seq))[1:%s]
                FROM pdsa.change_log
                WHERE revision > %s AND revision <= %s
                GROUP BY revision, tbl, team_id, op
                ORDER BY revision, tbl, team_id, op
                """,
                (MAX_IDS, self.last_revision, current),
            ).fetchall()
        own_pids = self.store.own_backend_pids
        grouped: dict[int, list[Any]] = {}
        for row in rows:
            grouped.setdefault(row[0], []).append(row)
        events = []
        for revision, items in grouped.items():
            restore = any(item[6] == "restore" for item in items)
            changes = tuple(
                Change(table=tbl, team_id=team, op=op, count=int(n), doc_ids=tuple(ids or ()))
                for _, _, _, _, tbl, team, op, n, ids in items
                if op != "restore"
            )
            events.append(
                ChangeEvent(
                    revision=revision,
                    actor=items[0][1],
                    at=items[0][2],
                    own=all(pid in own_pids for item in items for pid in item[3]),
                    changes=changes,
                    full_reload=restore,
                )
            )
        self.last_revision = max(self.last_revision, current)
        return events
