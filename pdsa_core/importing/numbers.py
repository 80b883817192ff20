"""Numbers as Danish (and English) spreadsheets write them.

``parse_number("1.234,5", decimal=",") == 1234.5``. The decimal mark of a file is
decided once (:func:`guess_decimal`); a value whose other mark cannot be a thousands
separator (``"12.5"`` in a decimal-comma file: a thousands group has three digits) is
still read as intended. Spaces (also non-breaking) group thousands, ``−`` is a minus,
and a trailing ``%`` is dropped (the number stays in percent).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from pdsa_core.importing.problems import ImportProblem, short

_PLAIN = re.compile(r"[-+]?\d+")
_GROUPED = {
    ",": re.compile(r"[-+]?\d{1,3}(?:\.\d{3})+(?:,\d+)?"),  # 1.234.567,89
    ".": re.compile(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?"),  # 1,234,567.89
}
_DECIMAL = {
    ",": re.compile(r"[-+]?(?:\d+(?:,\d*)?|,\d+)"),
    ".": re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)"),
}
_SCIENTIFIC = re.compile(r"[-+]?(?:\d+(?:[.,]\d*)?|[.,]\d+)[eE][-+]?\d+")
_NUMBER_TEXT = re.compile(r"[-+−]?[\d.,]*\d[\d.,]*%?")
_SPACES = dict.fromkeys(map(ord, " \u00a0\u202f\u2009'"), None)


def parse_number(value: object, *, decimal: str = ",") -> float:
    """A number from a cell: ``int``/``float`` as they are, text read with ``decimal``.

    Raises :class:`~pdsa_core.importing.problems.ImportProblem` (``not_a_number``).
    """
    if type(value) is str and value.isdigit() and value.isascii():  # "12": most cells of a file
        return float(value)
    if isinstance(value, bool):
        raise ImportProblem("not_a_number", text=short(value))
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise ImportProblem("not_a_number", text=short(value))
        return float(value)
    if not isinstance(value, str):
        raise ImportProblem("not_a_number", text=short(value))
    text = value.strip().replace("\u2212", "-").translate(_SPACES)
    if text.endswith("%"):
        text = text[:-1]
    other = "." if decimal == "," else ","
    number: float | None = None
    if _PLAIN.fullmatch(text):
        number = float(text)
    elif _GROUPED[decimal].fullmatch(text):
        number = float(text.replace(other, "").replace(decimal, "."))
    elif _DECIMAL[decimal].fullmatch(text):
        number = float(text.replace(decimal, "."))
    elif _DECIMAL[other].fullmatch(text) and not _GROUPED[other].fullmatch(text):
        number = float(text.replace(other, "."))
    elif _GROUPED[other].fullmatch(text) and not _GROUPED[decimal].fullmatch(text):
        # "1,234.5" in a decimal-comma file: grouped the other way round.
        number = float(text.replace(decimal, "").replace(other, "."))
    elif _SCIENTIFIC.fullmatch(text):
        number = float(text.replace(",", "."))
    if number is None or not math.isfinite(number):
        raise ImportProblem("not_a_number", text=short(value))
    return number


def parse_count(value: object, *, decimal: str = ",") -> int:
    """A whole, non-negative number (``not_whole`` / ``negative`` problems otherwise)."""
    number = parse_number(value, decimal=decimal)
    if number != int(number):
        raise ImportProblem("not_whole", text=short(value))
    if number < 0:
        raise ImportProblem("negative", text=short(value))
    return int(number)


def guess_decimal(values: Iterable[object], *, default: str = ",") -> str:
    """``","`` or ``"."``: the decimal mark that the text numbers in ``values`` use.

    A mark followed by other than exactly three digits, or a mark that comes after
    the other mark, is a decimal mark. Without evidence, ``default``.
    """
    votes = {",": 0, ".": 0}
    for value in values:
        if not isinstance(value, str) or ("," not in value and "." not in value):
            continue  # no mark: no evidence either way (most cells of a table)
        text = value.strip().translate(_SPACES)
        if not _NUMBER_TEXT.fullmatch(text):
            continue
        marks = [c for c in text if c in ",."]
        if not marks:
            continue
        last = marks[-1]
        if len(set(marks)) == 2:
            votes[last] += 1
            continue
        tail = text.rstrip("%").rsplit(last, 1)[1]
        if len(marks) == 1 and len(tail) != 3:
            votes[last] += 1
        elif len(marks) > 1:
            votes["." if last == "," else ","] += 1
    if votes[","] == votes["."]:
        return default
    return "," if votes[","] > votes["."] else "."
