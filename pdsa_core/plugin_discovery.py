"""The installed distributions' pdsa entry points, remembered between starts.

Finding them means reading the metadata of every installed distribution
(:func:`importlib.metadata.entry_points`; with its ``email`` imports ~25 ms of each start on a
machine with a few hundred packages, before pdsa can show anything). What is installed
changes only when a folder on ``sys.path`` changes: pip creates and removes a
distribution's ``*.dist-info`` folder when it installs, upgrades, reinstalls (an editable
install too) or uninstalls, and that changes the modification time of the folder that
holds it. So the entry points found are kept, in the user's cache folder
(``entry-points.json``, see :func:`pdsa_core.storage.user_folders.user_folder`), under a
key of ``sys.path`` with each folder's modification time and this pdsa's version; any
difference means looking again. The file holds the entry points' names, their
``module:attribute`` and their distributions' names and versions, nothing else.

It is a cache: a missing, damaged or unwritable file only means the metadata is read (a
read-only home changes nothing else). A hand edit of an installed distribution's
``entry_points.txt`` does not change a folder's time; deleting the file makes pdsa look again.
"""

from __future__ import annotations

import importlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pdsa_core.storage.user_folders import read_cache_file, user_folder, write_cache_file
from pdsa_core.version import __version__

CACHE_NAME = "entry-points.json"


@dataclass(frozen=True)
class Distribution:
    """What pdsa needs of the distribution that declares an entry point."""

    name: str
    version: str


@dataclass(frozen=True)
class FoundEntryPoint:
    """An entry point as :class:`importlib.metadata.EntryPoint` gives it: ``name``,
    ``value`` (``module`` or ``module:attribute.attribute``), ``dist`` and :meth:`load`."""

    name: str
    value: str
    dist: Distribution | None

    def load(self) -> Any:
        """Import the module and look up the attribute, as ``EntryPoint.load`` does."""
        module_name, _, attributes = self.value.partition(":")
        found: Any = importlib.import_module(module_name.strip())
        for attribute in filter(None, attributes.strip().split(".")):
            found = getattr(found, attribute)
        return found


def cache_path() -> Path:
    return user_folder("cache") / CACHE_NAME


def _path_key() -> list[list[Any]]:
    """Each ``sys.path`` entry with its modification time (None: not there)."""
    key: list[list[Any]] = []
    for entry in sys.path:
        try:
            stamp: int | None = os.stat(entry or ".").st_mtime_ns
        except (OSError, ValueError):
            stamp = None
        key.append([entry, stamp])
    return key


def _read(group: str, key: list[list[Any]]) -> list[FoundEntryPoint] | None:
    cached = read_cache_file(cache_path())
    if not isinstance(cached, dict) or [cached.get(k) for k in ("pdsa", "group", "path")] != [
        __version__,
        group,
        key,
    ]:
        return None
    found = cached.get("entry_points")
    if not isinstance(found, list):
        return None
    try:
        return [
            FoundEntryPoint(
                str(item["name"]),
                str(item["value"]),
                Distribution(str(item["dist"][0]), str(item["dist"][1])) if item.get("dist") else None,
            )
            for item in found
        ]
    except (KeyError, IndexError, TypeError, AttributeError):  # a file not written by this module
        return None


def _write(group: str, key: list[list[Any]], found: list[FoundEntryPoint]) -> None:
    items = [
        {"name": e.name, "value": e.value, "dist": [e.dist.name, e.dist.version] if e.dist else None}
        for e in found
    ]
    write_cache_file(cache_path(), {"pdsa": __version__, "group": group, "path": key, "entry_points": items})


def entry_points(group: str, *, fresh: bool = False) -> list[FoundEntryPoint]:
    """The entry points of ``group`` of every installed distribution, sorted by name.

    Read from the cache when ``sys.path`` and its folders are as they were when it was
    written; else (or ``fresh``) from the installed metadata, and the cache written again.
    """
    key = _path_key()
    if not fresh:
        cached = _read(group, key)
        if cached is not None:
            return cached
    import importlib.metadata  # with the email package it parses metadata with: only on a miss

    found = sorted(
        (
            FoundEntryPoint(
                e.name, e.value, Distribution(e.dist.name, e.dist.version) if e.dist is not None else None
            )
            for e in importlib.metadata.entry_points(group=group)
        ),
        key=lambda e: e.name,
    )
    _write(group, key, found)
    return found
