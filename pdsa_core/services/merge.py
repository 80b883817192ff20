"""Field-level merge: every edit carries what the editor saw.

A form (the worksheet, a dialog, ``pdsa cycle update``) changes some fields of a record. It
sends, with the new values, what it showed for those fields (``seen``). The service then
compares, inside the transaction that holds the record's lock:

- a field nobody changed since (stored == seen): written;
- a field someone else changed to exactly what this user typed: nothing to do;
- a field someone else changed to something else: a conflict. Nothing of the edit is saved
  and :class:`EditConflict` names, per field, both values and who changed it when;
- fields the edit does not touch keep what is stored (also another user's new text).

So two users changing *different* fields of one cycle both keep their change; only the same
field conflicts, and the message shows the other user's real value.

Who changed a field when is kept in the record's ``edits`` (field -> ``{"by", "at", "rev"}``),
written by :func:`stamp`. Without ``seen``, an edit may still say which version of the record
it started from (``expected_rev``): a field then counts as changed since when its stamp is of
a later version (a record from before stamps: when the record changed at all).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pdsa_core.domain.common import field_da
from pdsa_core.errors import ConflictError

#: ``seen`` for a field means "the user did not say what they saw": write without checking
UNSEEN = object()


@dataclass(frozen=True)
class FieldConflict:
    """One field changed by someone else since the editor saw it."""

    field: str
    seen: Any
    yours: Any
    theirs: Any
    by: str = ""
    at: str = ""


class EditConflict(ConflictError):
    """An edit refused because fields it changes were changed by someone else meanwhile.

    ``conflicts`` lists them (:class:`FieldConflict`), so a form can mark each field.
    """

    def __init__(self, what: str, what_da: str, conflicts: list[FieldConflict]) -> None:
        self.conflicts = conflicts
        parts = [_describe(c, "en") for c in conflicts]
        parts_da = [_describe(c, "da") for c in conflicts]
        super().__init__(
            f"{what} was changed by someone else meanwhile; nothing was saved ({'; '.join(parts)})",
            da=f"{what_da} er blevet ændret af en anden imens; intet blev gemt ({'; '.join(parts_da)})",
        )


def _shown(value: Any) -> str:
    """The value in quotes, exactly as typed (not escaped: the message shows the user's text)."""
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    elif hasattr(value, "value") and not isinstance(value, str | int | float):
        value = value.value
    return f"'{value if value is not None else ''}'"


def _describe(conflict: FieldConflict, lang: str) -> str:
    if lang == "da":
        by = f" ({conflict.by} {conflict.at})" if conflict.by or conflict.at else ""
        return (
            f"{field_da(conflict.field)}: din {_shown(conflict.yours)}, "
            f"den andens {_shown(conflict.theirs)}{by}"
        )
    by = f" (by {conflict.by or 'someone'} at {conflict.at or '?'})" if conflict.by or conflict.at else ""
    return f"{conflict.field}: yours {_shown(conflict.yours)}, theirs {_shown(conflict.theirs)}{by}"


def same(a: Any, b: Any) -> bool:
    """Equal as a form shows them: None and "" alike, lists and tuples alike, enums by value."""

    def norm(value: Any) -> Any:
        if value is None:
            return ""
        if isinstance(value, list | tuple):
            return tuple(norm(v) for v in value)
        if hasattr(value, "value") and not isinstance(value, str | int | float | bool):
            return value.value
        return value

    return bool(norm(a) == norm(b))


def field_conflicts(
    current: Mapping[str, Any],
    changes: Mapping[str, Any],
    *,
    seen: Mapping[str, Any] | None = None,
    expected_rev: int | None = None,
    edits: Mapping[str, Any] | None = None,
    current_rev: int = 0,
) -> list[FieldConflict]:
    """The fields of ``changes`` that someone else changed since the editor saw them."""
    edits = edits or {}
    found = []
    for name, yours in changes.items():
        theirs = current.get(name)
        if same(theirs, yours):
            continue  # already what the user wants: nothing to overwrite
        if seen is not None and name in seen and seen[name] is not UNSEEN:
            changed = not same(theirs, seen[name])
            was = seen[name]
        elif expected_rev is not None:
            stamp = edits.get(name)
            if isinstance(stamp, Mapping) and "rev" in stamp:
                changed = int(stamp["rev"]) > expected_rev
            else:  # an unstamped field: it may have changed whenever the record did
                changed = current_rev > expected_rev and not _stamped_since(edits, expected_rev)
            was = UNSEEN
        else:
            continue  # a blind write of this field (the caller said nothing about what was seen)
        if changed:
            stamp = edits.get(name) if isinstance(edits.get(name), Mapping) else {}
            found.append(
                FieldConflict(
                    field=name,
                    seen=None if was is UNSEEN else was,
                    yours=yours,
                    theirs=theirs,
                    by=str(stamp.get("by", "")),  # type: ignore[union-attr]
                    at=str(stamp.get("at", "")),  # type: ignore[union-attr]
                )
            )
    return found


def _stamped_since(edits: Mapping[str, Any], rev: int) -> bool:
    """Was every change after version ``rev`` stamped? (Then an unstamped field did not change.)

    Stamps begin with the first write by a pdsa that keeps them: its version is the lowest
    stamp. Changes before it are unknown.
    """
    revs = [int(s["rev"]) for s in edits.values() if isinstance(s, Mapping) and "rev" in s]
    return bool(revs) and rev >= min(revs) - 1


def stamp(
    edits: Mapping[str, Any] | None, fields: list[str] | tuple[str, ...], *, by: str, at: str, rev: int
) -> dict[str, Any]:
    """``edits`` with ``fields`` marked as changed by ``by`` at ``at`` in version ``rev``."""
    result = dict(edits or {})
    for name in fields:
        result[name] = {"by": by, "at": at, "rev": rev}
    return result
