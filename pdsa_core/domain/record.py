"""Serialisation shared by every domain record.

Records are plain dataclasses. ``to_dict`` gives JSON-ready data (enums as their values,
nested records as dicts); ``from_dict`` rebuilds and re-validates a record, ignoring keys
it does not know (a newer minor version may add fields) so stored data stay readable.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from enum import Enum
from typing import Any, ClassVar, Self

from pdsa_core.domain.common import restore, tolerance_chosen, tolerate, tolerating
from pdsa_core.errors import ValidationError

_SCALARS = frozenset({str, int, float, bool, type(None)})


def _plain(value: Any) -> Any:
    if type(value) in _SCALARS:  # most fields: no conversion (and no isinstance chain per field)
        return value
    if type(value) is list and not value:  # a record's empty list (a measurement's revisions)
        return []
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


_DEFAULTS: dict[type, tuple[tuple[str, Any], ...]] = {}
_FIELD_NAMES: dict[type, frozenset[str]] = {}
_FIELD_ORDER: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> frozenset[str]:
    """The field names of a record class (``dataclasses.fields`` is slow to call per record)."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = frozenset(_field_order(cls))
    return names


def _field_order(cls: type) -> tuple[str, ...]:
    """The field names of a record class in declaration order (what ``to_dict`` gives)."""
    order = _FIELD_ORDER.get(cls)
    if order is None:
        order = _FIELD_ORDER[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return order


def _defaults(cls: type) -> tuple[tuple[str, Any], ...]:
    """(field name, default value in stored form) of the fields that have a default."""
    if cls not in _DEFAULTS:
        found: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            if f.default is not dataclasses.MISSING:
                found[f.name] = _plain(f.default)
            elif f.default_factory is not dataclasses.MISSING:
                found[f.name] = _plain(f.default_factory())
        _DEFAULTS[cls] = tuple(found.items())
    return _DEFAULTS[cls]


class Record:
    """Mixin for dataclass records: ``to_dict``/``from_dict`` with nested records."""

    #: field name -> record class, for fields holding a record or a list of records
    nested: ClassVar[dict[str, type[Record]]] = {}

    def to_dict(self) -> dict[str, Any]:
        return {name: _plain(getattr(self, name)) for name in _field_order(type(self))}

    def to_doc(self) -> dict[str, Any]:
        """The stored form: like :meth:`to_dict` but without fields that hold their default.

        A national workspace holds hundreds of thousands of records; leaving out empty
        notes, empty revision lists and the like halves the file and its parse time.
        :meth:`from_dict` fills the defaults back in.
        """
        return self.doc_of(self.to_dict())

    @classmethod
    def doc_of(cls, data: dict[str, Any]) -> dict[str, Any]:
        """The stored form of ``data``, a record's :meth:`to_dict` (for a caller that has both)."""
        doc = dict(data)
        for name, default in _defaults(cls):
            if name in doc and doc[name] == default:
                del doc[name]
        return doc

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """The record stored as ``data``, validated; its texts are taken as stored.

        A text with a control character that an older version let in stays readable (it
        is shown with visible marks); new input is checked (:meth:`from_input`).
        """
        if tolerance_chosen():
            return cls._from_dict(data)
        tokens = tolerate(None)
        try:
            return cls._from_dict(data)
        finally:
            restore(tokens)

    @classmethod
    def from_dicts(cls, docs: Iterable[dict[str, Any]]) -> list[Self]:
        """Many stored records, each as :meth:`from_dict` reads it; the stored texts are
        taken as they are once for all of them (a team's 3,600 measurements at start)."""
        if tolerance_chosen():
            return [cls._from_dict(doc) for doc in docs]
        tokens = tolerate(None)
        try:
            return [cls._from_dict(doc) for doc in docs]
        finally:
            restore(tokens)

    @classmethod
    def from_input(cls, data: dict[str, Any], *, was: Record | None = None) -> Self:
        """The record built from ``data`` typed by a user: every text is checked as input,
        but for texts the record ``was`` already had (an edit of other fields never fails on them).
        """
        with tolerating(frozenset(_texts(was)) if was is not None else frozenset()):
            return cls._from_dict(data)

    @classmethod
    def _from_dict(cls, data: dict[str, Any]) -> Self:
        if not isinstance(data, dict):
            raise ValidationError(
                f"{cls.__name__} record must be an object, got {type(data).__name__}",
                da=f"en {cls.__name__}-post skal være et objekt, ikke {type(data).__name__}",
            )
        names = _field_names(cls)
        kwargs: dict[str, Any]
        if names.issuperset(data) and cls.nested.keys().isdisjoint(data):
            kwargs = data  # the common stored record: its own fields, none nested (a measurement)
        else:
            kwargs = {}
            for key, value in data.items():
                if key not in names:
                    continue
                sub = cls.nested.get(key)
                if sub is not None and value is not None:
                    if isinstance(value, list):
                        value = [sub.from_dict(v) if isinstance(v, dict) else v for v in value]
                    elif isinstance(value, dict):
                        value = sub.from_dict(value)
                kwargs[key] = value
        try:
            return cls(**kwargs)
        except TypeError as exc:  # a required field is missing
            raise ValidationError(
                f"{cls.__name__} record is incomplete: {exc}",
                da=f"en {cls.__name__}-post er ufuldstændig: {exc}",
            ) from None

    def replace(self, **changes: Any) -> Self:
        """A copy with some fields changed, validated again (new texts as input)."""
        if tolerance_chosen():
            return dataclasses.replace(self, **changes)  # type: ignore[type-var]
        with tolerating(frozenset(_texts(self))):
            return dataclasses.replace(self, **changes)  # type: ignore[type-var]


def _texts(record: Record) -> Iterator[str]:
    """The texts in a record's own fields (and lists of texts); nested records are not read again."""
    for name in _field_order(type(record)):
        value = getattr(record, name)
        if isinstance(value, str):
            yield value
        elif isinstance(value, list):
            yield from (v for v in value if isinstance(v, str))
