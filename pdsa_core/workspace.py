"""The workspace: every user action is a method here, and the CLI and the TUI call them.

A :class:`Workspace` wraps a :class:`~pdsa_core.storage.Store`. Reads use a snapshot that
is refreshed when the store changed (another process may write between two reads);
each change runs in one store transaction, sees the latest state, and is validated by
the domain records before it is written. After a change is committed, listeners (the
plugin manager's event hook, an open TUI) are told about it.
"""

from __future__ import annotations

import getpass
import itertools
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pdsa_core.errors import ConnectionLostError, PdsaError
from pdsa_core.services.assessments import AssessmentService
from pdsa_core.services.cycles import CycleService
from pdsa_core.services.diagram import DiagramService
from pdsa_core.services.indicators import IndicatorService
from pdsa_core.services.meetings import MeetingService
from pdsa_core.services.teams import TeamService
from pdsa_core.startup import paused_gc
from pdsa_core.storage import Snapshot, Store, Transaction, create_store, open_store
from pdsa_core.storage.user_folders import user_folder

EventListener = Callable[[str, dict[str, Any]], None]

#: while the server cannot be reached, it is asked again at most this often (seconds)
RETRY_SECONDS = 2.0


def default_workspace_path() -> Path:
    """``PDSA_WORKSPACE`` or the user data folder (XDG on Linux, AppData on Windows)."""
    env = os.environ.get("PDSA_WORKSPACE")
    if env:
        return Path(env).expanduser()
    return user_folder("data") / "workspace.json"


def current_user() -> str:
    """Who is making changes: ``PDSA_USER`` or the login name."""
    name = os.environ.get("PDSA_USER")
    if name:
        return name
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "unknown"


_ID_COUNTER = itertools.count()


def time_ordered_id(prefix: str) -> str:
    """A short unique id that sorts by creation time: lists made in the same second keep their order."""
    millis = time.time_ns() // 1_000_000
    return f"{prefix}-{millis:011x}{next(_ID_COUNTER) % 4096:03x}{secrets.token_hex(1)}"


class Workspace(
    TeamService, IndicatorService, DiagramService, CycleService, MeetingService, AssessmentService
):
    """One workspace (a file or a database) and everything a user can do with it."""

    def __init__(
        self,
        store: Store,
        *,
        actor: str | None = None,
        id_factory: Callable[[str], str] | None = None,
        clock: Callable[[], str] | None = None,
    ) -> None:
        from pdsa_core.domain.common import now_iso

        self.store = store
        # on a server the database login is who changes things ("entered by", "changed by")
        self.actor = store.login() or actor or current_user()
        self._new_id = id_factory or time_ordered_id
        self.now = clock or now_iso
        self.listeners: list[EventListener] = []
        #: called once per commit with all its events (for work that should not run per value)
        self.commit_listeners: list[Callable[[list[tuple[str, dict[str, Any]]]], None]] = []
        self._snapshot: Snapshot | None = None
        #: values computed from a snapshot (:meth:`derived`), with the snapshot they belong to
        self._derived: tuple[Snapshot | None, dict[str, Any]] = (None, {})
        #: per thread, the snapshot a computation reads (:meth:`reading`) and its derived values
        self._reading = threading.local()
        #: why the server cannot be reached now (None: connected, or a file); reads then show
        #: the last state read, writes fail with a clear message and nothing is saved
        self.connection_problem: PdsaError | None = None
        self._last_good: Snapshot | None = None
        self._retry_at = 0.0
        self._pending_events: list[tuple[str, dict[str, Any]]] = []
        #: the SPC rule sets plugins registered, by id: the loaded plugins fill it when they are
        #: attached (:meth:`pdsa_core.plugins.Plugins.attach`), and the analyses read an
        #: indicator's named rule set from it (the built-in ones are always known)
        self.rule_sets: Mapping[str, Any] = {}

    # -- opening ----------------------------------------------------------------------------
    @classmethod
    def open(cls, location: str | os.PathLike[str], **kwargs: Any) -> Workspace:
        workspace = cls(open_store(location), **kwargs)
        workspace.snapshot()  # refuse a damaged or foreign file now, not at first use
        return workspace

    @classmethod
    def create(cls, location: str | os.PathLike[str], **kwargs: Any) -> Workspace:
        return cls(create_store(location, clock=kwargs.get("clock")), **kwargs)

    @property
    def location(self) -> str:
        return self.store.location

    # -- reading ----------------------------------------------------------------------------
    def snapshot(self) -> Snapshot:
        """The latest committed state (re-read only when the store changed).

        When the server cannot be reached, the last state read is returned (and
        :attr:`connection_problem` says why) instead of failing every screen; the server is
        asked again at most every :data:`RETRY_SECONDS`. Inside :meth:`reading` it is the
        snapshot the computation started with.
        """
        pinned: Snapshot | None = getattr(self._reading, "snapshot", None)
        if pinned is not None:
            return pinned
        if self.connection_problem is not None and self._last_good is not None:
            if time.monotonic() < self._retry_at:
                return self._last_good
        try:
            if self._snapshot is None or not self.store.is_current(self._snapshot):
                with paused_gc():  # a read makes a great many objects and no cycles
                    self._snapshot = self.store.load()
                self._derived = (self._snapshot, {})
        except ConnectionLostError as exc:
            if self._last_good is None:
                raise
            self.connection_problem = exc
            self._retry_at = time.monotonic() + RETRY_SECONDS
            if self._snapshot is not self._last_good:
                self._snapshot = self._last_good
                self._derived = (self._snapshot, {})
            return self._last_good
        self.connection_problem = None
        self._last_good = self._snapshot
        return self._snapshot

    def derived(self, key: str, build: Callable[[Snapshot], Any]) -> Any:
        """A value computed from the current snapshot (an index), cached until it changes.

        A value computed from an older snapshot that a :meth:`reading` holds (another thread
        read a newer one meanwhile) is kept for that reading only, never as the newer one's."""
        snap = self.snapshot()
        of, cache = self._derived
        if of is not snap:
            held: tuple[Snapshot, dict[str, Any]] | None = getattr(self._reading, "derived", None)
            if held is None or held[0] is not snap:
                if getattr(self._reading, "snapshot", None) is not snap:
                    return build(snap)  # a newer snapshot came meanwhile: this one is not kept
                held = self._reading.derived = (snap, {})
            cache = held[1]
        if key not in cache:
            cache[key] = build(snap)
        return cache[key]

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Make the reads of one computation from one snapshot.

        Every read asks the store whether the workspace changed since the snapshot was taken:
        a file's status, or a round trip to the server. A team's dashboard makes about 600
        reads, so its figures came from as many checks (and, on a server, round trips);
        inside ``with ws.reading():`` the store is asked once, at the start, and every read
        sees the same state. Only for computations that read: a write in the block ends it
        for the rest of the block. Per thread; a reading inside another keeps the outer one's.
        """
        if getattr(self._reading, "snapshot", None) is not None:
            yield
            return
        self._reading.snapshot = self.snapshot()
        try:
            yield
        finally:
            self._reading.snapshot = None
            self._reading.derived = None

    @property
    def revision(self) -> int:
        return self.snapshot().revision

    # -- writing ----------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """One all-or-nothing change; events are sent only after it is committed."""
        self._pending_events = []
        with self.store.transaction() as tx:
            yield tx
        self._snapshot = None
        self._reading.snapshot = None  # a reading that writes reads what it wrote from now on
        events, self._pending_events = self._pending_events, []
        for name, payload in events:
            self._emit_now(name, payload)
        if events:
            for commit_listener in list(self.commit_listeners):
                commit_listener(events)

    def new_id(self, prefix: str) -> str:
        return self._new_id(prefix)

    # -- events ------------------------------------------------------------------------------
    def emit(self, name: str, **payload: Any) -> None:
        """Queue an event for after the commit of the running transaction."""
        self._pending_events.append((name, payload))

    def _emit_now(self, name: str, payload: dict[str, Any]) -> None:
        for listener in list(self.listeners):
            listener(name, payload)

    def today(self) -> str:
        """The workspace's "today": its ``as_of`` setting (a demo tells its story on a fixed day),
        else the real date. Due dates, missing months and default periods are counted from it."""
        from pdsa_core.domain.common import today_iso

        return str(self.settings().get("as_of") or today_iso())

    # -- settings ----------------------------------------------------------------------------
    def settings(self) -> dict[str, Any]:
        return dict(self.snapshot().table("settings").get("workspace", {}))

    def update_settings(self, **changes: Any) -> dict[str, Any]:
        with self.transaction() as tx:
            current = dict(tx.get("settings", "workspace") or {})
            current.update(changes)
            tx.put("settings", "workspace", current)
        return current

    def team_settings(self, team_id: str) -> dict[str, Any]:
        return dict(self.snapshot().table("settings").get(f"team:{team_id}", {}))

    def update_team_settings(self, team_id: str, **changes: Any) -> dict[str, Any]:
        with self.transaction() as tx:
            current = dict(tx.get("settings", f"team:{team_id}") or {})
            current.update(changes)
            tx.put("settings", f"team:{team_id}", current)
        return current

    # -- export ------------------------------------------------------------------------------
    def export(self) -> dict[str, Any]:
        """The whole workspace as plain data (what ``pdsa export --format json`` prints)."""
        snap = self.snapshot()
        return {
            "format": snap.meta.get("format"),
            "schema_version": snap.meta.get("schema_version"),
            "revision": snap.revision,
            "tables": {name: dict(sorted(table.items())) for name, table in sorted(snap.tables.items())},
        }
