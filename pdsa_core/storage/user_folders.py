"""The user's own folders for pdsa: data (the default workspace), configuration (trust) and
cache (Statbank downloads, the workspace files already checked).

Per platform: AppData on Windows (LocalAppData for the cache), Application Support and Caches
on macOS, the XDG base directories elsewhere (an empty ``XDG_*`` variable counts as unset, as
the XDG specification says). ``PDSA_CACHE_DIR`` names the cache folder itself (tests point it
into a temporary folder; a user can move the cache elsewhere).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

import orjson

from pdsa_core.storage.atomic import atomic_write_bytes, special_kind


def user_folder(kind: Literal["data", "config", "cache"]) -> Path:
    """The folder pdsa keeps the user's ``kind`` of files in (``…/pdsa``; not created here)."""
    if kind == "cache":
        return _cache_folder()
    if os.name == "nt":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif os.uname().sysname == "Darwin":
        base = Path.home() / "Library" / "Application Support"
    elif kind == "config":
        base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "pdsa"


def _cache_folder() -> Path:
    """What can be thrown away at any time: pdsa makes it again (``PDSA_CACHE_DIR`` wins)."""
    chosen = os.environ.get("PDSA_CACHE_DIR")
    if chosen:
        return Path(chosen).expanduser()
    if os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif os.uname().sysname == "Darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "pdsa"


def read_cache_file(path: Path) -> Any:
    """The JSON content of a file of pdsa's cache folder, None for anything unusable (missing,
    unreadable, not JSON, a named pipe, which would never answer): a cache is only a head start."""
    data = read_cache_bytes(path)
    if data is None:
        return None
    try:
        return orjson.loads(data)
    except ValueError:  # orjson's error is a ValueError
        return None


def write_cache_file(path: Path, content: Any) -> None:
    """Replace a file of pdsa's cache folder with ``content`` as JSON (see :func:`write_cache_bytes`)."""
    write_cache_bytes(path, orjson.dumps(content))


def read_cache_bytes(path: Path) -> bytes | None:
    """The bytes of a file of pdsa's cache folder, None if it is missing, unreadable or not a
    regular file (a named pipe would never answer)."""
    if special_kind(path) is not None:
        return None
    try:
        return path.read_bytes()
    except OSError:
        return None


def write_cache_bytes(path: Path, data: bytes) -> None:
    """Replace a file of pdsa's cache folder with ``data``, atomically but without fsync (after
    a crash a lost or torn file only means the work is done again); a folder that cannot be
    made or written is left as it is."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, data, sync=False)
    except OSError:
        pass
