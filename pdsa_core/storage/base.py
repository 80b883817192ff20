"""The storage interface: the only thing the rest of pdsa knows about persistence.

A workspace is a set of named tables, each a mapping of string id -> JSON document.
Reads see a consistent :class:`Snapshot`; every change happens inside a
:meth:`Store.transaction`, which sees the latest committed state, and is written as a
whole or not at all. A backend for a database server implements the same interface.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

Document = dict[str, Any]

#: the tables of a workspace (a backend creates them all)
TABLES = (
    "teams",
    "indicators",
    "measurements",
    "annotations",
    "diagrams",
    "diagram_history",
    "cycles",
    "meetings",
    "assessments",
    "settings",
)


@dataclass(frozen=True)
class Snapshot:
    """A read-only view of the whole workspace at one revision.

    A table is a mapping of id -> document: a dict, or a read-only view (a workspace file's
    packed measurements, :class:`pdsa_core.storage.packed.PackedTable`).
    """

    revision: int
    meta: Document
    tables: dict[str, Mapping[str, Document]] = field(default_factory=dict)

    def table(self, name: str) -> Mapping[str, Document]:
        return self.tables.get(name, {})


class Transaction(ABC):
    """Changes made here are committed together when the ``with`` block ends normally."""

    @abstractmethod
    def get(self, table: str, doc_id: str) -> Document | None: ...

    @abstractmethod
    def all(self, table: str) -> dict[str, Document]: ...

    @abstractmethod
    def put(self, table: str, doc_id: str, doc: Document) -> None: ...

    @abstractmethod
    def delete(self, table: str, doc_id: str) -> None: ...

    def items(self, table: str) -> Iterator[tuple[str, Document]]:
        return iter(self.all(table).items())


class Store(ABC):
    """A workspace location (a file, a database) that can be read and changed safely."""

    location: str

    @abstractmethod
    def load(self) -> Snapshot:
        """Read the latest committed state."""

    @abstractmethod
    def is_current(self, snapshot: Snapshot) -> bool:
        """Cheap check that nothing was committed since ``snapshot`` was read."""

    @abstractmethod
    def transaction(self) -> AbstractContextManager[Transaction]:
        """Exclusive, all-or-nothing change of the workspace."""

    def login(self) -> str | None:
        """The login the backend itself knows the user by (a database login), else None.

        When there is one, it is who "entered by" and "changed by" name: the database judges
        who someone is, not the operating-system account or ``PDSA_USER``.
        """
        return None

    def close(self) -> None:  # noqa: B027 - optional for backends without resources
        """Release connections or handles."""

    def read_signature(self) -> Any:
        """What identifies the stored content last read besides its revision (a file's
        modification time, size and inode), or None where the revision says it all."""
        return None

    def subscribe(self, callback: Any) -> Any:
        """Push other users' commits to ``callback(event)`` from a background thread.

        Returns a subscription with ``close()``, or None when the backend cannot push changes
        (a workspace file: check :meth:`is_current` instead). The PostgreSQL store pushes
        :class:`pdsa_core.storage.pg_live.ChangeEvent` objects (LISTEN/NOTIFY).
        """
        return None
