"""Files the user names: written (``-o``, ``--write``) only ever as a regular file, whole or
not at all; read (:func:`refuse_special_input`) only when it is a regular file.

Every command that writes a file somewhere the user chose (exports, reports, storyboards,
PowerPoint, Excel templates, minutes, charts, the demo) goes through :func:`write_output`:

- only a regular file is replaced: a folder, a named pipe, a device or a socket at the path
  (or at the end of a symbolic link) is refused, never replaced, never opened;
- the content goes to a temporary file beside the target and is renamed over it
  (:func:`pdsa_core.storage.atomic.atomic_write_bytes`), so a full disk or a kill leaves the
  old file or none, never a half-written one; the file is readable by its owner only;
- a missing or read-only folder, a full disk, a name too long for the file system: one
  clear line (an :class:`~pdsa_core.errors.OutputError`), never a traceback.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from pdsa_core.errors import OutputError, PdsaError, ValidationError
from pdsa_core.storage.atomic import atomic_write_bytes, os_error_reason, real_path, special_kind


def _refused(path: Path, en: str, da: str) -> OutputError:
    return OutputError(f"{en}; nothing was written", where=str(path), da=f"{da}; intet er skrevet")


def check_output_path(path: str | os.PathLike[str]) -> Path:
    """The real path a file named ``path`` would be written to, or an :class:`OutputError`
    saying why it cannot be (checked before any work is done, so a long report is not made
    for nothing; :func:`write_output` checks again)."""
    text = os.fspath(path)
    if not text or not text.strip():
        raise OutputError("no file name was given", da="der er ikke angivet et filnavn")
    if "\x00" in text:
        raise _refused(
            Path(text.replace("\x00", "\\0")),
            "a file name cannot hold a NUL character",
            "et filnavn kan ikke indeholde et NUL-tegn",
        )
    given = Path(text).expanduser()
    try:
        target = real_path(given)
        kind = special_kind(target)
    except OSError as exc:
        raise failed_write(given, exc) from None
    if kind is not None:
        en, da = kind
        raise _refused(
            given,
            f"this is {en}, not a regular file; pdsa only replaces regular files",
            f"dette er {da}, ikke en almindelig fil; pdsa erstatter kun almindelige filer",
        )
    folder = target.parent
    try:
        folder_st = os.stat(folder)
    except FileNotFoundError:
        raise _refused(given, f"the folder {folder} does not exist", f"mappen {folder} findes ikke") from None
    except OSError as exc:
        raise failed_write(given, exc) from None
    if not stat.S_ISDIR(folder_st.st_mode):
        raise _refused(given, f"{folder} is not a folder", f"{folder} er ikke en mappe")
    return target


def failed_write(path: Path, exc: OSError) -> OutputError:
    """An operating-system error while writing ``path``, as one line in the user's language."""
    return _refused(path, *os_error_reason(exc))


def write_output(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to the regular file ``path`` (created or replaced whole); the path written.

    Raises :class:`OutputError` (one line, nothing written) when ``path`` is not a regular
    file, its folder is missing or read-only, the disk is full or the name too long.
    """
    target = check_output_path(path)
    shown = Path(os.fspath(path)).expanduser()
    try:
        atomic_write_bytes(target, data)
    except OSError as exc:
        raise failed_write(shown, exc) from None
    return shown


def refuse_special_input(path: str | os.PathLike[str], error: type[PdsaError] = ValidationError) -> None:
    """Refuse to read ``path`` when it is a named pipe, a folder, a device or a socket.

    Reading a named pipe waits for a writer that may never come (the command would hang);
    every reader of a file the user names calls this first. A missing file is left to the
    caller, which says so in its own words.
    """
    kind = special_kind(Path(os.fspath(path)).expanduser())
    if kind is not None:
        raise error(
            f"this is {kind[0]}, not a regular file; pdsa reads only regular files",
            where=str(path),
            da=f"dette er {kind[1]}, ikke en almindelig fil; pdsa læser kun almindelige filer",
        )


def write_output_text(path: str | os.PathLike[str], text: str) -> Path:
    """:func:`write_output` of ``text`` in UTF-8."""
    return write_output(path, text.encode("utf-8"))
