"""The first team's dashboard data computed in advance, in a forked process, while the TUI starts.

Between opening the workspace and showing the dashboard, pdsa's start is busy for 100-250 ms
with work that needs the dashboard's data only at its end (importing Textual, building the
app and its widgets). The data themselves (:func:`pdsa_core.overview.team_overview`: the SPC
verdict of every indicator, ~40 ms for a national team) depend on nothing of that. On a
machine with a second processor they are computed there meanwhile: the process forks, the
child computes the overview from the very snapshot the parent holds and sends it back through
a pipe, and the dashboard takes it instead of computing it (:meth:`OverviewInAdvance.take`).

The result is exactly what the parent would compute: same snapshot, same plugins (the child
is a copy of the parent at the fork), same day. It is used only when the parent's workspace
still shows that snapshot and the dashboard asks for that team; otherwise, or when the child
fails or is slow, the dashboard computes the data itself, as without this module. The child
reads only; it writes no file, prints nothing (its output goes to ``/dev/null``) and ends with
``os._exit``, running none of the parent's exit handlers.

It is done only where a fork is safe and can help: on Linux, with at least two processors
available, for a workspace file (a server workspace's connection must not be shared), and
while the process has no other thread (a fork copies only the calling thread, and a lock
another thread held would stay locked in the child).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import sys
import threading
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pdsa_core.workspace import Workspace

#: how long the dashboard waits for the child before computing the data itself
PATIENCE = 10.0


def _can_fork(ws: Workspace) -> bool:
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    if "://" in str(ws.location):  # a server workspace: its connection is not for sharing
        return False
    if threading.active_count() != 1:
        return False
    try:
        return len(os.sched_getaffinity(0)) >= 2
    except (AttributeError, OSError):
        return False


class OverviewInAdvance:
    """A forked child computing one team's overview; :meth:`take` it once, or :meth:`cancel`."""

    def __init__(self, pid: int, fd: int, snapshot: Any, team_id: str, today: str) -> None:
        self.pid = pid
        self.team_id = team_id
        self._fd: int | None = fd
        self._snapshot = snapshot
        self._today = today

    def take(self, ws: Workspace, team_id: str) -> dict[str, Any] | None:
        """The overview computed in advance, if it is what ``team_overview(ws, team_id)`` would
        return now (the same team, snapshot and day); else None. Ends the child either way."""
        if self._fd is None:
            return None
        usable = team_id == self.team_id and ws.snapshot() is self._snapshot and ws.today() == self._today
        data = self._read() if usable else None
        self.cancel()
        if data is None:
            return None
        try:
            overview = pickle.loads(data)  # noqa: S301 - from our own child, through a private pipe
        except Exception:  # noqa: BLE001 - cut short: compute it here instead
            return None
        return overview if isinstance(overview, dict) else None

    def _read(self) -> bytes | None:
        """Everything the child wrote, or None when it failed or took longer than :data:`PATIENCE`."""
        assert self._fd is not None
        chunks: list[bytes] = []
        deadline = time.monotonic() + PATIENCE
        ready = select.poll()  # not select.select, which refuses a descriptor above 1023
        ready.register(self._fd, select.POLLIN)
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not ready.poll(left * 1000):
                return None
            chunk = os.read(self._fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        return b"".join(chunks) if os.waitstatus_to_exitcode(status) == 0 else None

    def cancel(self) -> None:
        """End the child (if it still runs) and close the pipe; nothing is left behind."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        if self.pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self.pid = 0
        self._snapshot = None


def start_overview(ws: Workspace, team_id: str | None) -> OverviewInAdvance | None:
    """Start computing ``team_overview(ws, team_id)`` in a forked child; None where that is not
    done (see the module's docstring), and the dashboard computes as usual."""
    if team_id is None or not _can_fork(ws):
        return None
    snapshot = ws.snapshot()
    today = ws.today()
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # the child: compute, send, and end without running anything of the parent's
        code = 1
        try:
            os.close(read_end)
            quiet = os.open(os.devnull, os.O_WRONLY)
            os.dup2(quiet, 1)
            os.dup2(quiet, 2)
            from pdsa_core.overview import team_overview

            data = memoryview(pickle.dumps(team_overview(ws, team_id), protocol=pickle.HIGHEST_PROTOCOL))
            while data:
                data = data[os.write(write_end, data) :]
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    return OverviewInAdvance(pid, read_end, snapshot, team_id, today)


__all__ = ["OverviewInAdvance", "start_overview"]
