"""The TUI's first screen read and computed in advance, in a forked process, while the TUI starts.

A start of ``pdsa`` spends 100-140 ms importing Textual and the TUI, work that needs nothing of
the workspace, and about as long on work that needs nothing of Textual: opening the workspace
file (25-35 ms for a national one), loading the plugins (20-50 ms with their imports) and
computing the first team's dashboard (:func:`pdsa_core.overview.team_overview`: the SPC verdict
of every indicator, 35-55 ms; measured on a 2-core machine). On a machine with a second
processor the two run side by side: before importing Textual, the process forks; the child
opens the workspace, loads and attaches the plugins as the start would, and sends back what the
first screen shows (:class:`FirstScreen`: the team, its dashboard, the settings the app reads
as it starts, the plugins' problems) through a pipe. The app paints its first screen from that,
and opens the workspace itself right after (:meth:`tui.app.PdsaApp.open_workspace`); anything
that needs the workspace before then opens it at once.

The first screen is what the app would show: the same file read by the same code with the
same plugins, on the same day. When the app has opened the file it checks that it still shows
what the child read (:meth:`FirstScreen.shows`: the revision, and the file's time, size and
inode); if another program changed the file meanwhile, the screen is computed again. The
child changes nothing in the workspace: it opens it as a start does (which may remember the
file as checked in pdsa's cache folder, or remove temporary files that killed writers left),
prints nothing (its output goes to ``/dev/null``) and ends with ``os._exit``, running none of
the parent's exit handlers. Whenever the child cannot
help (it fails, takes longer than :data:`PATIENCE`, or the workspace names a plugins folder
the user is to be asked about), the start opens the workspace itself, as without this module.

It is done only where a fork is safe and can help: on Linux, with at least two processors
available, for a workspace file that exists (a server workspace's connection must not be
shared), and while the process has no other thread (a fork copies only the calling thread,
and a lock another thread held would stay locked in the child).
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
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pdsa_core.plugins import Plugins
    from pdsa_core.workspace import Workspace

#: how long the start waits for the child before opening the workspace itself (seconds)
PATIENCE = 10.0


@dataclass(frozen=True)
class FirstScreen:
    """What the TUI's first screen needs of the workspace, as the child read and computed it."""

    #: the team shown first (:func:`pdsa_core.overview.first_team`; None: the workspace has none)
    team_id: str | None
    #: that team's name (the app's sub-title)
    team_name: str | None
    #: its dashboard (:func:`pdsa_core.overview.team_overview`); None when there is no team or
    #: computing it failed (the dashboard then computes it and shows why)
    overview: dict[str, Any] | None
    #: the workspace's settings (the keymap)
    settings: dict[str, Any]
    #: the plugins' problems, each the line the start prints on stderr before the app shows
    plugin_problems: list[str]
    #: the workspace's plugins folder when the user has not trusted it (else None)
    untrusted_folder: str | None
    #: what identifies the file's content that was read: revision, (mtime, size, inode), today
    identity: tuple[Any, ...] = field(default=())

    def shows(self, ws: Workspace) -> bool:
        """True when ``ws`` shows what the child read (an open workspace, read again if changed)."""
        return bool(self.identity) and identity(ws) == self.identity


def identity(ws: Workspace) -> tuple[Any, ...]:
    """The workspace's revision, its file's time, size and inode as last read, and its today."""
    snapshot = ws.snapshot()
    return (snapshot.revision, ws.store.read_signature(), ws.today())


def can_fork(location: str) -> bool:
    """A fork is safe and can help here (see the module's docstring)."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    if "://" in location:  # a server workspace: its connection is not for sharing
        return False
    if threading.active_count() != 1:
        return False
    try:
        if not Path(location).is_file():
            return False  # opening it would say why; the start does that itself
        return len(os.sched_getaffinity(0)) >= 2
    except (AttributeError, OSError, ValueError):
        return False


class FirstScreenInAdvance:
    """A forked child reading the first screen; take its :meth:`result` once, or :meth:`cancel`."""

    def __init__(self, pid: int, fd: int) -> None:
        self.pid = pid
        self._fd: int | None = fd

    def result(self) -> FirstScreen | None:
        """What the child read, or None when it failed or took longer than :data:`PATIENCE`
        (the start then opens the workspace itself). Ends the child either way."""
        if self._fd is None:
            return None
        data = self._read()
        self.cancel()
        if data is None:
            return None
        try:
            first = pickle.loads(data)  # noqa: S301 - from our own child, through a private pipe
        except Exception:  # noqa: BLE001 - cut short: the start opens the workspace itself
            return None
        return first if isinstance(first, FirstScreen) else None

    def _read(self) -> bytes | None:
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


def open_with_plugins(location: str, plugins_dirs: Sequence[str] = ()) -> tuple[Workspace, Plugins]:
    """The workspace at ``location`` opened, and the plugins loaded and attached to it, as a
    start of the TUI does (the plugins' problems are reported by the caller)."""
    from pdsa_core.plugins import load_plugins
    from pdsa_core.workspace import Workspace

    ws = Workspace.open(location)
    plugins = load_plugins(plugins_dirs=list(plugins_dirs), workspace=ws)
    plugins.attach(ws)
    return ws, plugins


def read_first_screen(location: str, plugins_dirs: Sequence[str] = ()) -> FirstScreen:
    """Open the workspace with its plugins as a start does, and read what its first screen
    shows (what the child runs; a :class:`~pdsa_core.errors.PdsaError` if it cannot be opened)."""
    ws, plugins = open_with_plugins(location, plugins_dirs)
    return first_screen_of(ws, plugins, plugins_dirs)


def first_screen_of(ws: Workspace, plugins: Plugins, plugins_dirs: Sequence[str] = ()) -> FirstScreen:
    """What the first screen of ``ws`` (opened, with ``plugins`` attached) shows."""
    from pdsa_core.errors import PdsaError
    from pdsa_core.overview import first_team, team_overview
    from pdsa_core.plugins import untrusted_workspace_folder

    problems: list[str] = []
    plugins.report_errors(echo=problems.append)
    untrusted = untrusted_workspace_folder(list(plugins_dirs), ws)
    team_id = first_team(ws)
    overview: dict[str, Any] | None = None
    name: str | None = None
    if team_id is not None:
        name = ws.team(team_id).name
        with contextlib.suppress(PdsaError):  # the dashboard computes it and says why not
            overview = team_overview(ws, team_id)
    return FirstScreen(
        team_id=team_id,
        team_name=name,
        overview=overview,
        settings=dict(ws.settings()),
        plugin_problems=problems,
        untrusted_folder=None if untrusted is None else str(untrusted),
        identity=identity(ws),
    )


def start_first_screen(location: str, plugins_dirs: Sequence[str] = ()) -> FirstScreenInAdvance | None:
    """Start reading the first screen of the workspace at ``location`` in a forked child; None
    where that is not done (see the module's docstring), and the start opens it itself."""
    if not can_fork(location):
        return None
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # the child: read, send, and end without running anything of the parent's
        code = 1
        try:
            os.close(read_end)
            quiet = os.open(os.devnull, os.O_WRONLY)
            os.dup2(quiet, 1)
            os.dup2(quiet, 2)
            first = read_first_screen(location, plugins_dirs)
            data = memoryview(pickle.dumps(first, protocol=pickle.HIGHEST_PROTOCOL))
            while data:
                data = data[os.write(write_end, data) :]
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    return FirstScreenInAdvance(pid, read_end)


__all__ = [
    "FirstScreen",
    "FirstScreenInAdvance",
    "can_fork",
    "first_screen_of",
    "identity",
    "open_with_plugins",
    "read_first_screen",
    "start_first_screen",
]
