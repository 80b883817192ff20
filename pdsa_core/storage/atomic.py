"""Crash-safe file writing and a cross-process lock.

A workspace file is only ever replaced, never written in place: the new content goes to
a temporary file in the same folder, is flushed to disk, and is renamed over the old one
(an atomic operation), after which the folder entry is flushed too. A crash or kill at any
moment leaves either the old or the new file.

A path that is a symbolic link is written through the link: the file it points to is
replaced (in the target's folder) and the link stays a link. The lock of a file is taken
on its real path, so the link and the target share one lock.

A writer killed between creating its temporary file and renaming it leaves the temporary
file behind (``.NAME.XXXXXXXX.tmp``); :func:`sweep_temp_files` removes those of a file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from pdsa_core.errors import ConflictError, WorkspaceError

OWNER_ONLY = 0o600


def os_error_reason(exc: OSError) -> tuple[str, str]:
    """Why writing failed, in English and Danish, for one line (no traceback, no errno)."""
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return "the disk is full", "disken er fuld"
    if code == errno.ENAMETOOLONG:
        return "the file name is too long", "filnavnet er for langt"
    if code == errno.EROFS:
        return "the folder is on a read-only disk", "mappen ligger på et skrivebeskyttet drev"
    if code in (errno.EACCES, errno.EPERM):
        return "no permission to write in this folder", "der er ikke tilladelse til at skrive i mappen"
    if code == errno.ENOENT:
        return "the folder does not exist", "mappen findes ikke"
    if code in (errno.ENOTDIR, errno.EISDIR):
        return "a part of the path is not a folder", "en del af stien er ikke en mappe"
    reason = exc.strerror or type(exc).__name__
    return f"the file cannot be written ({reason})", f"filen kan ikke skrives ({reason})"


_SPECIAL: dict[int, tuple[str, str]] = {
    stat.S_IFDIR: ("a folder", "en mappe"),
    stat.S_IFIFO: ("a named pipe", "en navngiven pipe"),
    stat.S_IFCHR: ("a device", "en enhed"),
    stat.S_IFBLK: ("a device", "en enhed"),
    stat.S_IFSOCK: ("a socket", "en socket"),
}


def special_kind(path: Path) -> tuple[str, str] | None:
    """What ``path`` (through links) is when it exists and is not a regular file, e.g.
    ("a named pipe", "en navngiven pipe"); None for a regular file or nothing."""
    try:
        mode = os.stat(path).st_mode
    except OSError:  # missing, a name too long, a looping link: the write itself says why
        return None
    if stat.S_ISREG(mode):
        return None
    return _SPECIAL.get(stat.S_IFMT(mode), ("not a regular file", "ikke en almindelig fil"))


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def real_path(path: Path) -> Path:
    """``path`` with every symbolic link resolved (also a link whose target does not exist yet)."""
    return Path(os.path.realpath(path))


def lock_path(path: Path) -> Path:
    """The sidecar lock file of ``path``, beside its real file (a link and its target share it)."""
    real = real_path(path)
    return real.with_name(real.name + ".lock")


#: the temporary files of :func:`atomic_write_bytes` (``tempfile.mkstemp``'s eight characters)
_TEMP_SUFFIX = ".tmp"
_TEMP_RANDOM = re.compile(r"[a-z0-9_]{8}")


def _write_all(handle: BinaryIO, data: bytes) -> None:
    """Write, flush and sync: where a full disk is met (tests simulate it here)."""
    handle.write(data)
    handle.flush()
    os.fsync(handle.fileno())


def atomic_write_bytes(path: Path, data: bytes, *, sync: bool = True) -> None:
    """Replace ``path`` (through a symbolic link: its target) with ``data`` atomically;
    the file is readable by its owner only.

    ``sync=False`` leaves out flushing the file and its folder to the disk, for a cache:
    readers still see the old or the new content, never a mix, but a crash of the system
    may lose the new content or leave the file empty."""
    path = real_path(path)
    folder = path.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=_TEMP_SUFFIX, dir=folder)
    try:
        os.fchmod(fd, OWNER_ONLY) if hasattr(os, "fchmod") else None
        with os.fdopen(fd, "wb") as handle:
            if sync:
                _write_all(handle, data)
            else:  # a cache (see the docstring): its write may fail, its reader tolerates that
                handle.write(data)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    if sync:
        _fsync_dir(folder)


def _is_our_temp(name: str, prefix: str) -> bool:
    return (
        name.startswith(prefix)
        and name.endswith(_TEMP_SUFFIX)
        and _TEMP_RANDOM.fullmatch(name[len(prefix) : -len(_TEMP_SUFFIX)]) is not None
    )


def sweep_temp_files(path: Path, *, older_than: float = 60.0) -> int:
    """Remove the temporary files that killed writers of ``path`` left; how many were removed.

    Only files of :func:`atomic_write_bytes`'s own naming for this very file, regular files of
    this user, unchanged for ``older_than`` seconds, and only while no writer holds the file's
    lock (a live writer holds it from before its temporary file exists until after the rename).
    Nothing happens when there is nothing to remove or the folder cannot be changed.
    """
    real = real_path(path)
    prefix = f".{real.name}."
    try:
        with os.scandir(real.parent) as entries:
            found = [e.path for e in entries if _is_our_temp(e.name, prefix)]
    except OSError:
        return 0
    if not found:
        return 0
    removed = 0
    try:
        fd = os.open(lock_path(real), os.O_RDWR | os.O_CREAT, OWNER_ONLY)
    except OSError:
        return 0
    try:
        if not _try_lock(fd):
            return 0  # a writer is at work: its temporary file may be the one found
        try:
            cutoff = time.time() - older_than
            for name in found:
                with contextlib.suppress(OSError):
                    st = os.lstat(name)
                    mine = not hasattr(os, "geteuid") or st.st_uid == os.geteuid()
                    if stat.S_ISREG(st.st_mode) and mine and st.st_mtime < cutoff:
                        os.unlink(name)
                        removed += 1
        finally:
            _unlock(fd)
    finally:
        os.close(fd)
    return removed


@contextlib.contextmanager
def file_lock(path: Path, *, timeout: float = 15.0) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (a sidecar ``.lock`` file) across processes."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, OWNER_ONLY)
    except OSError as exc:
        en, da = os_error_reason(exc)
        raise WorkspaceError(
            f"the workspace cannot be locked for a change: {en}; nothing was changed",
            where=str(path.with_suffix("")),
            da=f"arbejdsområdet kan ikke låses til en ændring: {da}; intet er ændret",
        ) from None
    deadline = time.monotonic() + timeout
    try:
        while not _try_lock(fd):
            if time.monotonic() > deadline:
                raise ConflictError(
                    f"the workspace is locked by another pdsa process ({_holder(path)}); "
                    "wait for it to finish and try again",
                    where=str(path.with_suffix("")),
                )
            time.sleep(0.02)
        try:
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode())
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


def _holder(path: Path) -> str:
    try:
        pid = path.read_text().strip()
    except OSError:
        pid = ""
    return f"pid {pid}" if pid else "unknown process"


if sys.platform != "win32":  # POSIX
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

else:  # Windows
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
