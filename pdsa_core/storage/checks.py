"""Is a stored record usable? The per-record-kind check a reader runs before it trusts a record.

One definition for every backend: the PostgreSQL store skips (with a warning) a record that
fails here instead of failing the whole read (a record inserted with psql, say), and the
database refuses to store one (``pdsa.doc_problem`` in ``sql/002_ownership.sql`` checks the
same rules). A workspace file's reader can use :func:`record_problem` the same way.

The check is cheap (key lookups): a national workspace has 180,000 values to check on open.
"""

from __future__ import annotations

import logging
import re
from typing import Any

log = logging.getLogger("pdsa.storage")

#: the fields a record of each table must have (the domain records' fields without a default)
REQUIRED: dict[str, tuple[str, ...]] = {
    "teams": ("id", "name"),
    "indicators": ("team_id", "code", "name_da"),
    "measurements": ("team_id", "indicator", "period"),
    "annotations": ("id", "team_id", "date", "text"),
    "diagrams": ("team_id",),
    "diagram_history": ("id", "team_id", "at", "who", "action", "summary"),
    "cycles": ("id", "team_id", "title"),
    "meetings": ("id", "team_id", "date"),
    "assessments": ("id", "team_id", "instrument", "instrument_version", "date"),
    "settings": (),
}

_MONTH = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")


def key_team(table: str, doc_id: str) -> str | None:
    """The team a record's key names (None: its key names no team)."""
    if table in ("teams", "diagrams"):
        return doc_id
    if table == "settings":
        return doc_id[5:] if doc_id.startswith("team:") else None
    if table in ("indicators", "measurements"):
        return doc_id.split("|", 1)[0]
    return None


def record_problem(table: str, doc_id: str, doc: Any) -> str | None:
    """What makes this record unusable, in English (None: nothing)."""
    if not isinstance(doc, dict):
        return "the record is not a JSON object"
    required = REQUIRED.get(table)
    if required is None:
        return f"{table} is not a table of a pdsa workspace"
    missing = [name for name in required if doc.get(name) is None]
    if missing:
        return f"{table} {doc_id} lacks {', '.join(missing)}"
    if table == "teams":
        return None if doc["id"] == doc_id else f"team record {doc_id} says it is team {doc['id']}"
    if table == "settings":
        return None
    team = key_team(table, doc_id)
    if team is not None and doc["team_id"] != team:
        return f"{table} {doc_id} belongs to team {team} by its key but says team {doc['team_id']}"
    if table == "indicators" and doc_id != f"{doc['team_id']}|{doc['code']}":
        return f"indicator {doc_id} says code {doc['code']}"
    if table == "measurements":
        if doc_id != f"{doc['team_id']}|{doc['indicator']}|{doc['period']}":
            return f"value {doc_id} says {doc['indicator']} {doc['period']}"
        if not isinstance(doc["period"], str) or not _MONTH.match(doc["period"]):
            return f"value {doc_id} has the month {doc['period']} (not YYYY-MM)"
        value = doc.get("value")
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            return f"value {doc_id} is not a number"
    return None


_REQUIRED_KEYS = {table: frozenset(names) for table, names in REQUIRED.items()}


def usable(table: str, doc_id: str, doc: Any) -> bool:
    """:func:`record_problem` is None, answered in a few lookups for values (180,000 on open)."""
    if table != "measurements":
        return record_problem(table, doc_id, doc) is None
    if type(doc) is not dict or not _REQUIRED_KEYS["measurements"] <= doc.keys():
        return False
    period = doc["period"]
    return (
        doc_id == f"{doc['team_id']}|{doc['indicator']}|{period}"
        and type(period) is str
        and _MONTH.match(period) is not None
        and _number_or_none(doc.get("value"))
    )


def _number_or_none(value: Any) -> bool:
    return value is None or (type(value) in (int, float))


def skip_bad(table: str, doc_id: str, doc: Any, where: str, skipped: list[str]) -> bool:
    """True (and a warning logged, the problem added to ``skipped``) when the record is unusable."""
    if usable(table, doc_id, doc):
        return False
    problem = record_problem(table, doc_id, doc) or f"{table} {doc_id} is not usable"
    log.warning("%s: skipped a record that pdsa cannot use: %s", where, problem)
    skipped.append(problem)
    return True
