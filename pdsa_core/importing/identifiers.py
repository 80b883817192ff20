"""Person identifiers in event extracts: CPR numbers and local pseudonyms.

Identifiers never leave the importing package. During aggregation each identifier is
turned at once into a per-run salted BLAKE2 digest (:class:`PersonKeys`); only the
digest is kept and counted, and the salt is a fresh random key for every run, so a
digest cannot be linked to a person or to another run. No output object, error text,
log line or ``repr`` holds an identifier;
:func:`~pdsa_core.redaction.redact` removes anything CPR-shaped
from text that came from an extract (e.g. a header line) before it is shown.

Accepted identifiers:

* CPR ``ddmmyy-xxxx`` or ``ddmmyyxxxx``: both spellings are the same person;
* a CPR whose leading zero Excel removed (9 digits): zero-padded to 10;
* a local pseudonym: 1-64 letters, digits and ``_ . : / # -`` with at least one letter,
  no spaces. A value of only digits and dashes, or one starting ``ddmmyy-``, that is
  not a CPR number is refused (it is most likely a mistyped CPR number, and counting
  it as another person would be wrong).
"""

from __future__ import annotations

import os
import re
from hashlib import blake2b

from pdsa_core.importing.problems import ImportProblem
from pdsa_core.redaction import redact

_CPR = re.compile(r"(\d{6})-?(\d{4})")
_EXCEL_CPR = re.compile(r"\d{9}")
_PSEUDONYM = re.compile(r"[0-9A-Za-zÆØÅæøåÄÖÜäöüé_.:/#-]{1,64}")
_NUMERIC = re.compile(r"[\d\s-]+")
_CPR_START = re.compile(r"\d{6}-")  # begins like a CPR number: must be one

#: bits of the digest used as the person key (the rest is a collision check)
PERSON_BITS = 51


def canonical_identifier(text: str) -> str:
    """The canonical form of an identifier, or :class:`ImportProblem` if it is not one.

    The problem text never repeats the value.
    """
    value = text.strip()
    if len(value) == 11 and value[6] == "-" and value.isascii():
        digits = value[:6] + value[7:]
        if digits.isdigit():
            return digits  # the usual ddmmyy-xxxx, without the regular expressions
    if not value:
        raise ImportProblem("identifier_missing")
    match = _CPR.fullmatch(value)
    if match:
        return match[1] + match[2]
    if _EXCEL_CPR.fullmatch(value):
        return "0" + value
    if _PSEUDONYM.fullmatch(value) and not _NUMERIC.fullmatch(value) and not _CPR_START.match(
            value):
        return value
    raise ImportProblem("identifier_invalid")


def could_be_identifier(text: str) -> bool:
    """Could ``text`` be a person's identifier? A CPR-shaped number anywhere in it, or the
    whole text a valid identifier holding a digit (a local pseudonym such as ``P004711``;
    column names and kinds of coercion are words)."""
    if redact(text) != text:
        return True
    value = text.strip()
    if not any(c.isdigit() for c in value):
        return False
    try:
        canonical_identifier(value)
    except ImportProblem:
        return False
    return True


def shown_columns(names: list[str], limit: int = 300) -> str | None:
    """The column names of a file's header fit for a message, or None when the header looks
    like a data row (a cell that could be a person identifier): a file without a header line
    has its first data row there, and an identifier is never shown, whatever its shape."""
    if any(could_be_identifier(name) for name in names):
        return None
    shown = ", ".join(repr(name) for name in names)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def columns_text(names: list[str]) -> tuple[str, str]:
    """``its columns are: 'a', 'b'`` for a message about a missing column (English, Danish);
    for a header that looks like data: that it does, without a cell of it."""
    shown = shown_columns(names)
    if shown is None:
        return (
            "its first line looks like data, not column names (not shown: it may hold a person "
            "identifier); is the header line missing?",
            "dens første linje ligner data, ikke kolonnenavne (vises ikke: den kan indeholde et "
            "personnummer eller pseudonym); mangler overskriftslinjen?",
        )
    return f"its columns are: {shown}", f"dens kolonner er: {shown}"


class PersonKeys:
    """Per-run salted digests of canonical identifiers.

    ``key(canonical)`` returns ``(person, check)``: ``person`` is a
    :data:`PERSON_BITS`-bit integer used for counting, ``check`` another 64 bits of the
    same digest used to detect the (astronomically unlikely) case that two persons
    share a ``person`` value. The salt is random per instance and never stored.
    """

    __slots__ = ("_salt", "_base")

    def __init__(self, salt: bytes | None = None) -> None:
        self._salt = salt if salt is not None else os.urandom(16)
        self._base = blake2b(key=self._salt, digest_size=16)  # copied: cheaper than re-keying

    @property
    def salt(self) -> bytes:
        return self._salt

    def key(self, canonical: str) -> tuple[int, int]:
        hasher = self._base.copy()
        hasher.update(canonical.encode("utf-8"))
        number = int.from_bytes(hasher.digest(), "big")
        return number >> (128 - PERSON_BITS), number & 0xFFFF_FFFF_FFFF_FFFF

    def __repr__(self) -> str:
        return "PersonKeys(<salted>)"
