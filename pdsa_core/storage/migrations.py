"""Schema versions of the workspace format and the steps between them.

Each step takes the tables of version ``k`` and returns the tables of version ``k + 1``.
Steps are pure functions of plain data, so they work for every backend. The store makes
a backup before it applies any of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Tables = dict[str, dict[str, dict[str, Any]]]

FORMAT = "pdsa-workspace"
CURRENT_SCHEMA = 4


def _v1_to_v2(tables: Tables) -> Tables:
    """Version 1 (the 0.0 development format) to version 2.

    - a team's single ``municipality`` became the list ``municipalities``;
    - an annotation's ``category`` became ``kind``;
    - a measurement gained ``revisions`` (earlier values), ``source_file`` and ``source_sheet``.
    """
    for team in tables.get("teams", {}).values():
        if "municipality" in team:
            single = team.pop("municipality")
            team.setdefault("municipalities", [single] if single else [])
    for note in tables.get("annotations", {}).values():
        if "category" in note:
            note.setdefault("kind", note.pop("category") or "other")
    for measurement in tables.get("measurements", {}).values():
        measurement.setdefault("revisions", [])
        measurement.setdefault("source_file", "")
        measurement.setdefault("source_sheet", "")
    return tables


def _v2_to_v3(tables: Tables) -> Tables:
    """Version 2 to version 3: the documents stay as they are.

    Version 3 changes how a workspace *file* stores them: its ``measurements`` table holds
    one document per series, packed column-wise (:mod:`pdsa_core.storage.packed`); the
    file store packs when it writes and unpacks when asked, so every backend, and every
    reader of a snapshot, still sees one document per measurement. A file of version 1 or 2
    is backed up, migrated by these steps and written packed.
    """
    return tables


def _v3_to_v4(tables: Tables) -> Tables:
    """Version 3 to version 4: the documents stay as they are.

    Version 4 changes only how a workspace *file* stores a packed series: a run of
    consecutive months is stored as ``[first month, count]``, and a column of whole-number
    floats as integers (``floats``; see :mod:`pdsa_core.storage.packed`), which a schema 3
    pdsa cannot read, hence the new number.
    """
    return tables


#: from-version -> step to the next version
MIGRATIONS: dict[int, Callable[[Tables], Tables]] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
    3: _v3_to_v4,
}

#: the steps that leave every document as it is (only a workspace file's storage changed)
FILE_ONLY_STEPS: frozenset[int] = frozenset({2, 3})


def documents_unchanged(from_version: int) -> bool:
    """Whether the documents of ``from_version`` are already those of :data:`CURRENT_SCHEMA`:
    every step between changes only how a file stores them (a PostgreSQL workspace of that
    version is read as it is, without an upgrade)."""
    return all(version in FILE_ONLY_STEPS for version in range(from_version, CURRENT_SCHEMA))


def migrate(tables: Tables, from_version: int) -> Tables:
    """Apply every step from ``from_version`` up to :data:`CURRENT_SCHEMA`."""
    version = from_version
    while version < CURRENT_SCHEMA:
        tables = MIGRATIONS[version](tables)
        version += 1
    return tables
