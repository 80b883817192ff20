"""Storage: open a workspace location with the backend that fits it."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from pdsa_core.storage.base import TABLES, Document, Snapshot, Store, Transaction
from pdsa_core.storage.migrations import CURRENT_SCHEMA
from pdsa_core.storage.tinydb_store import TinyDBStore


def open_store(location: str | os.PathLike[str]) -> Store:
    """A store for ``location``: a path to a workspace file (the embedded default)."""
    text = str(location)
    if text.startswith(("postgresql://", "postgres://")):
        from pdsa_core.storage.postgres_store import PostgresStore  # optional backend

        return PostgresStore(text)
    return TinyDBStore(Path(text))


def create_store(location: str | os.PathLike[str], *, clock: Callable[[], str] | None = None) -> Store:
    """Create an empty workspace at ``location`` and return its store (``clock`` stamps its header)."""
    text = str(location)
    if text.startswith(("postgresql://", "postgres://")):
        from pdsa_core.storage.postgres_store import PostgresStore

        return PostgresStore.create(text, clock=clock)
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
