"""Which plugin folders named by a workspace the user has trusted to run.

A workspace travels by e-mail; the folder its ``plugins_dir`` setting names could hold
anything. pdsa runs the ``.py`` files of such a folder only when the user has trusted it:
given it on the command line or in ``PDSA_PLUGINS_DIR``, or confirmed it once with
``pdsa plugins trust`` (or by naming it with ``pdsa plugins folder``). That confirmation is
remembered per user, outside every workspace, in ``trusted.json`` in the user's config
folder (``PDSA_TRUST_FILE`` names another file, as tests do), under the folder's full path
with a hash of its ``.py`` files: a file added, changed, renamed or removed makes the
folder untrusted again, until the user confirms it anew.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pdsa_core.errors import PdsaError, ValidationError, WorkspaceError
from pdsa_core.storage.atomic import atomic_write_bytes
from pdsa_core.storage.user_folders import user_folder

FORMAT = "pdsa-trusted-plugin-folders/1"


def trust_file() -> Path:
    """``PDSA_TRUST_FILE``, else ``trusted.json`` in the user's pdsa config folder."""
    env = os.environ.get("PDSA_TRUST_FILE")
    if env:
        return Path(env).expanduser()
    return user_folder("config") / "trusted.json"


def plugin_files(folder: Path) -> list[Path]:
    """The ``.py`` files directly in ``folder`` (those pdsa would run, and their helpers)."""
    try:
        return sorted(p for p in folder.iterdir() if p.suffix == ".py" and p.is_file())
    except OSError:
        return []


def read_files(folder: Path) -> dict[Path, bytes]:
    """The folder's ``.py`` files and their contents, read once (an unreadable one is empty,
    with a mark that no real file can have, so it never matches a trusted hash)."""
    files = {}
    for path in plugin_files(folder):
        try:
            files[path] = path.read_bytes()
        except OSError:
            files[path] = b"\0unreadable"
    return files


def files_hash(files: dict[Path, bytes]) -> str:
    """SHA-256 over the names and contents of ``files`` (from :func:`read_files`)."""
    digest = hashlib.sha256()
    for path in sorted(files):
        content = files[path]
        name = path.name.encode("utf-8", "surrogateescape")
        digest.update(len(name).to_bytes(8, "big") + name + len(content).to_bytes(8, "big") + content)
    return digest.hexdigest()


def folder_hash(folder: Path) -> str:
    """SHA-256 over the names and contents of the folder's ``.py`` files."""
    return files_hash(read_files(folder))


def _key(folder: Path) -> str:
    return str(folder.expanduser().resolve())


def _read() -> dict[str, Any]:
    """The remembered folders; a missing file is none, a damaged one is refused (not replaced)."""
    path = trust_file()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise WorkspaceError(
            f"cannot read the trusted plugin folders: {exc}",
            da=f"kan ikke læse de betroede plugin-mapper: {exc}",
            where=str(path),
        ) from None
    folders = data.get("folders") if isinstance(data, dict) else None
    if not isinstance(folders, dict) or data.get("format") != FORMAT:
        raise WorkspaceError(
            f"not a file of trusted plugin folders ({FORMAT})",
            da=f"ikke en fil med betroede plugin-mapper ({FORMAT})",
            where=str(path),
        )
    return folders


def is_trusted(folder: Path) -> bool:
    """True when the user trusted ``folder`` with exactly the ``.py`` files it holds now."""
    return trusted_files(folder) is not None


def trusted_files(folder: Path) -> dict[Path, bytes] | None:
    """The folder's ``.py`` files as read now, when they are exactly those the user trusted;
    else None. pdsa runs these bytes, not the files read again later, so a file swapped
    after this check never runs."""
    try:
        entry = _read().get(_key(folder))
    except PdsaError:
        return None  # a damaged file trusts nothing; 'pdsa plugins trust' says why
    if not isinstance(entry, dict):
        return None
    files = read_files(folder)
    return files if entry.get("sha256") == files_hash(files) else None


def trust(folder: Path) -> str:
    """Remember ``folder`` as trusted with its current files; returns their hash."""
    if not folder.is_dir():
        raise ValidationError(f"{folder} is not a folder", da=f"{folder} er ikke en mappe")
    folders = _read()
    digest = folder_hash(folder)
    folders[_key(folder)] = {
        "sha256": digest,
        "files": [p.name for p in plugin_files(folder)],
        "trusted_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    _write(folders)
    return digest


def untrust(folder: Path) -> bool:
    """Forget ``folder``; False when it was not trusted."""
    folders = _read()
    if folders.pop(_key(folder), None) is None:
        return False
    _write(folders)
    return True


def _write(folders: dict[str, Any]) -> None:
    path = trust_file()
    data = json.dumps({"format": FORMAT, "folders": folders}, indent=2, ensure_ascii=False, sort_keys=True)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, (data + "\n").encode("utf-8"))
    except OSError as exc:
        raise WorkspaceError(
            f"cannot save the trusted plugin folders: {exc.strerror}",
            da=f"kan ikke gemme de betroede plugin-mapper: {exc.strerror}",
            where=str(path),
        ) from None
