"""Is a stored record usable? The per-record-kind check a reader runs before it trusts a record.

One definition for every backend: the PostgreSQL store skips (with a warning) a record that
fails here instead of failing the whole read (a record inserted with psql, say), and the
database refuses to store one (``pdsa.doc_problem`` in ``sql/002_ownership.sql`` checks the
same rules). A workspace file's reader can use :func:`record_problem` the same way.

The check is cheap (key lookups): a national workspace has 180,000 values to check on open.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from dataclasses import dataclass
from enum import Enum
from functools import cache
from types import UnionType
from typing import Any, Union, get_args, get_origin, get_type_hints

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


# -- field types --------------------------------------------------------------------------------
# A workspace file is JSON that anyone can edit: a field of the wrong JSON type ("members": "Anna",
# "rev": true) would crash the code that reads it much later. The expected type of every field
# comes from the domain record's own annotations (one definition: a new field is checked as soon
# as it is declared); only the JSON type is checked here, never the domain's rules (a stricter
# rule in a newer pdsa must not lock anyone out of a file an older one wrote).

#: a kind name for messages: (English, Danish)
_KIND_NAMES: dict[type, tuple[str, str]] = {
    str: ("a text", "en tekst"),
    int: ("a whole number", "et heltal"),
    float: ("a number", "et tal"),
    bool: ("true or false", "sand eller falsk"),
    list: ("a list", "en liste"),
    dict: ("an object", "et objekt"),
    type(None): ("null", "null"),
}

#: (English, Danish) of one problem
Problem = tuple[str, str]


@dataclass(frozen=True)
class _Shape:
    """The JSON types a field may hold (None: any), its list items' shape, its record class."""

    kinds: frozenset[type] | None
    item: _Shape | None = None
    record: type | None = None


_ANY = _Shape(None)


def _shape(hint: Any) -> _Shape:
    """The JSON shape of a record field annotated ``hint``."""
    origin = get_origin(hint)
    if hint is Any:
        return _ANY
    if origin is Union or origin is UnionType:
        parts = [_shape(arg) for arg in get_args(hint)]
        if any(part.kinds is None for part in parts):
            return _ANY
        kinds = frozenset().union(*(part.kinds or () for part in parts))
        item = next((part.item for part in parts if part.item is not None), None)
        record = next((part.record for part in parts if part.record is not None), None)
        return _Shape(kinds, item, record)
    if hint is None or hint is type(None):
        return _Shape(frozenset({type(None)}))
    if origin in (list, tuple) or hint in (list, tuple):
        args = [arg for arg in get_args(hint) if arg is not Ellipsis]
        return _Shape(frozenset({list}), item=_shape(args[0]) if len(args) == 1 else None)
    if origin is dict or hint is dict:
        return _Shape(frozenset({dict}))
    if isinstance(hint, type):
        if issubclass(hint, bool):
            return _Shape(frozenset({bool}))
        if issubclass(hint, Enum):  # stored as its value
            return _Shape(frozenset({type(next(iter(hint)).value)}))
        if issubclass(hint, str):
            return _Shape(frozenset({str}))
        if issubclass(hint, int):
            return _Shape(frozenset({int}))
        if issubclass(hint, float):  # null too: JSON has no NaN, and an older pdsa stored one as null
            return _Shape(frozenset({int, float, type(None)}))
        if dataclasses.is_dataclass(hint):
            return _Shape(frozenset({dict}), record=hint)
    return _ANY


@cache
def _fields(cls: type) -> dict[str, _Shape]:
    """Field name -> JSON shape of a record class."""
    hints = get_type_hints(cls)
    return {f.name: _shape(hints[f.name]) for f in dataclasses.fields(cls)}


@cache
def _record_classes() -> dict[str, type]:
    """The record class of each table (imported here: the domain never imports storage)."""
    from pdsa_core.domain import (
        Annotation,
        Assessment,
        DiagramChange,
        DriverDiagram,
        Indicator,
        Measurement,
        Meeting,
        PdsaCycle,
        Team,
    )

    return {
        "teams": Team,
        "indicators": Indicator,
        "measurements": Measurement,
        "annotations": Annotation,
        "diagrams": DriverDiagram,
        "diagram_history": DiagramChange,
        "cycles": PdsaCycle,
        "meetings": Meeting,
        "assessments": Assessment,
    }


def _kind(value: Any) -> tuple[str, str]:
    return _KIND_NAMES.get(type(value), (type(value).__name__, type(value).__name__))


def _expected(kinds: frozenset[type]) -> tuple[str, str]:
    if kinds >= {int, float}:
        kinds = kinds - {int}
    names = [_KIND_NAMES[k] for k in (str, int, float, bool, list, dict, type(None)) if k in kinds]
    return " or ".join(n[0] for n in names), " eller ".join(n[1] for n in names)


def _value_problem(value: Any, shape: _Shape, path: str) -> Problem | None:
    if shape.kinds is not None and type(value) not in shape.kinds:
        is_en, is_da = _kind(value)
        want_en, want_da = _expected(shape.kinds)
        return (
            f"the field {path!r} is {is_en}, not {want_en}",
            f"feltet {path!r} er {is_da}, ikke {want_da}",
        )
    if shape.item is not None and type(value) is list:
        for index, item in enumerate(value):
            problem = _value_problem(item, shape.item, f"{path}[{index}]")
            if problem is not None:
                return problem
    if shape.record is not None and type(value) is dict:
        return _fields_problem(value, shape.record, f"{path}.")
    return None


def _fields_problem(doc: dict[str, Any], cls: type, prefix: str = "") -> Problem | None:
    for name, shape in _fields(cls).items():
        if name in doc:
            problem = _value_problem(doc[name], shape, prefix + name)
            if problem is not None:
                return problem
    return None


def type_problem(table: str, doc: dict[str, Any]) -> Problem | None:
    """Which field of a record (an unpacked document of ``table``) holds the wrong JSON type."""
    cls = _record_classes().get(table)
    if cls is None:
        return None
    if table == "indicators" and _null_target(doc):
        doc = {name: value for name, value in doc.items() if name != "target"}
    return _fields_problem(doc, cls)


def _null_target(doc: dict[str, Any]) -> bool:
    """An indicator target whose value is null: what an older pdsa stored for ``--target nan``
    (or ``inf``). Not damage: the domain reads the indicator without it, names it in a warning,
    and ``pdsa indicator update --target`` repairs it (:meth:`Indicator._from_dict`)."""
    target = doc.get("target")
    return isinstance(target, dict) and "value" in target and target["value"] is None


def column_problem(table: str, field: str, values: list[Any], *, nullable: bool = False) -> Problem | None:
    """The same check for one field's values across many records (a packed column), at C speed
    for the common case of one plain type; ``nullable``: a None stands for a missing field."""
    cls = _record_classes().get(table)
    shape = _fields(cls).get(field) if cls is not None else None
    if shape is None or shape.kinds is None:
        return None
    kinds = set(map(type, values))
    if nullable:
        kinds.discard(type(None))
    if kinds <= shape.kinds and shape.item is None and shape.record is None:
        return None
    for value in values:
        if value is None and nullable:
            continue
        problem = _value_problem(value, shape, field)
        if problem is not None:
            return problem
    return None


#: the header's fields and their types (other keys are kept as they are: a server's header
#: carries more)
HEADER: dict[str, frozenset[type]] = {
    "format": frozenset({str}),
    "schema_version": frozenset({int}),
    "revision": frozenset({int}),
    "created_at": frozenset({str}),
    "updated_at": frozenset({str}),
    "backup": frozenset({str}),
    "migrated_at": frozenset({str}),
    "migrated_from": frozenset({int}),
}


def header_problem(meta: dict[str, Any]) -> Problem | None:
    """Which field of a workspace header holds the wrong type or an impossible number."""
    for name, kinds in HEADER.items():
        if name in meta:
            problem = _value_problem(meta[name], _Shape(kinds), name)
            if problem is not None:
                return problem
    for name in ("schema_version", "migrated_from"):
        if name in meta and meta[name] < 1:
            return (
                f"the field {name!r} is {meta[name]}, not 1 or more",
                f"feltet {name!r} er {meta[name]}, ikke 1 eller mere",
            )
    if meta.get("revision", 0) < 0:
        return (
            f"the field 'revision' is {meta['revision']}, not 0 or more",
            f"feltet 'revision' er {meta['revision']}, ikke 0 eller mere",
        )
    return None
