"""The workspace contents this pdsa has already checked, so that opening them again skips the check.

Reading a workspace file checks every record and every packed column (see
:func:`pdsa_core.storage.tinydb_store.read_workspace_file`): that is what turns a damaged or
hand-edited file into one clear line. On the national workspace it is ~40 % of an open. Bytes
that passed the check once pass it again, so the reader remembers the SHA-256 digest of each
content that passed, and of each content pdsa wrote from checked data, and checks only what
it does not know.

The memo is one small file in the user's cache folder (``checked-workspaces.json``, see
:func:`pdsa_core.storage.user_folders.user_folder`): the last :data:`KEEP` digests, the one
used last first, under a key of what makes a check valid — pdsa's version, the schema, and the
source of the checking code and of the domain's records, whose fields' types the checks follow
(pdsa 0.1.0 stays 0.1.0 across a developer's commits). It holds
digests of contents only, never a path or a name. It is a cache: a missing, damaged,
unreadable or unwritable memo (a read-only home) only means the full check runs; it never
makes an open fail. Deleting the file forgets everything.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable
from functools import cache
from pathlib import Path

from pdsa_core.storage.migrations import CURRENT_SCHEMA
from pdsa_core.storage.user_folders import read_cache_file, user_folder, write_cache_file
from pdsa_core.version import __version__

#: how many contents are remembered (a user switches between a few workspaces)
KEEP = 64
MEMO_NAME = "checked-workspaces.json"
#: contents from this size on are hashed in another thread (a thread costs ~0.1 ms)
_IN_THREAD = 1 << 20

#: the modules whose code decides whether a file passes (their source is part of the key),
#: beside the domain's records, whose fields' types the checks follow
_CHECKING_CODE = ("checks.py", "packed.py", "tinydb_store.py", "migrations.py")


def digest(content: bytes) -> str:
    """The content's SHA-256 digest in hex (~1.5 ms for the 2.3 MB national workspace)."""
    return hashlib.sha256(content).hexdigest()


def digest_soon(content: bytes) -> Callable[[], str]:
    """The content's digest, computed in another thread meanwhile; call the result to wait for it.

    Hashing releases the GIL, and so do writing and syncing a file: on a second core a writer
    hashes what it writes at no cost. (A reader gains nothing: orjson holds the GIL while it
    parses.) A small content is hashed at once.
    """
    if len(content) < _IN_THREAD:
        known = digest(content)
        return lambda: known
    result: list[str] = []
    thread = threading.Thread(target=lambda: result.append(digest(content)), daemon=True)
    thread.start()

    def wait() -> str:
        thread.join()
        return result[0] if result else digest(content)

    return wait


def memo_path() -> Path:
    return user_folder("cache") / MEMO_NAME


@cache
def _key() -> str:
    """What a remembered digest is valid for: this version, schema and checking code
    (~0.3 ms, once per process)."""
    code = hashlib.sha256()
    folder = os.path.dirname(os.path.abspath(__file__))
    domain = os.path.join(os.path.dirname(folder), "domain")
    sources = [os.path.join(folder, name) for name in _CHECKING_CODE]
    try:
        sources += [os.path.join(domain, n) for n in sorted(os.listdir(domain)) if n.endswith(".py")]
    except OSError:
        pass
    for source in sources:
        try:
            with open(source, "rb") as handle:
                code.update(handle.read())
        except OSError:  # no sources beside the bytecode: the version alone decides
            code.update(os.path.basename(source).encode())
    return f"pdsa {__version__}, schema {CURRENT_SCHEMA}, code {code.hexdigest()[:16]}"


def _remembered() -> list[str]:
    """The digests remembered for this pdsa, used last first ([] for anything unusable)."""
    memo = read_cache_file(memo_path())
    if not isinstance(memo, dict) or memo.get("key") != _key():
        return []
    digests = memo.get("digests")
    if not isinstance(digests, list):
        return []
    return [d for d in digests if isinstance(d, str)][:KEEP]


def _store(digests: list[str]) -> None:
    """Write the memo (after a crash a lost or torn one only means one more full check)."""
    write_cache_file(memo_path(), {"key": _key(), "digests": digests[:KEEP]})


def is_checked(content_digest: str) -> bool:
    """Did content with this digest pass the checks of this pdsa (or did this pdsa write it)?"""
    digests = _remembered()
    if content_digest not in digests:
        return False
    if digests[0] != content_digest:  # used last goes first, so it outlives the others
        digests.remove(content_digest)
        _store([content_digest, *digests])
    return True


def remember(content_digest: str) -> None:
    """Remember that content with this digest passed the checks (only digests are stored)."""
    digests = _remembered()
    if digests[:1] == [content_digest]:
        return
    _store([content_digest, *(d for d in digests if d != content_digest)])
