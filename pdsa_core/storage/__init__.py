"""Storage: open a workspace location with the backend that fits it.

The file backend (:class:`TinyDBStore`, which reads the domain's records) is imported when a
store is opened or the name is used, so that the storage's small modules (the user's
folders, atomic writes) can be imported before the domain: :mod:`pdsa_core.dataclass_code`
reads its file with them before the records are defined.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from pdsa_core.storage.base import TABLES, Document, Snapshot, Store, Transaction
from pdsa_core.storage.migrations import CURRENT_SCHEMA

if TYPE_CHECKING:
    from pdsa_core.storage.tinydb_store import TinyDBStore


def __getattr__(name: str) -> object:
    if name == "TinyDBStore":
        from pdsa_core.storage.tinydb_store import TinyDBStore

        return TinyDBStore
    raise AttributeError(f"module 'pdsa_core.storage' has no attribute {name!r}")


def open_store(location: str | os.PathLike[str]) -> Store:
    """A store for ``location``: a path to a workspace file (the embedded default)."""
    text = str(location)
    if text.startswith(("postgresql://", "postgres://")):
        from pdsa_core.storage.postgres_store import PostgresStore  # optional backend

        return PostgresStore(text)
    from pdsa_core.storage.tinydb_store import TinyDBStore

    return TinyDBStore(Path(text))


def create_store(location: str | os.PathLike[str], *, clock: Callable[[], str] | None = None) -> Store:
    """Create an empty workspace at ``location`` and return its store (``clock`` stamps its header)."""
    text = str(location)
    if text.startswith(("postgresql://", "postgres://")):
        from pdsa_core.storage.postgres_store import PostgresStore

        return PostgresStore.create(text, clock=clock)
    from pdsa_core.storage.tinydb_store import TinyDBStore

    return TinyDBStore.create(Path(text), clock=clock)


__all__ = [
    "CURRENT_SCHEMA",
    "TABLES",
    "Document",
    "Snapshot",
    "Store",
    "Transaction",
    "TinyDBStore",
    "create_store",
    "open_store",
]
