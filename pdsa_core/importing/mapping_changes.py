"""Changes to a column mapping as the user gives them (``Antal=R2``, ``-Kommentar``) and
their application to a :class:`~pdsa_core.importing.mapping.ColumnMapping`.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pdsa_core.errors import DataImportError, NotFoundError, ValidationError
from pdsa_core.importing.mapping import (
    ColumnMapping,
    IndicatorColumns,
)
from pdsa_core.importing.tables import Table, normalise_header
from pdsa_core.redaction import redact, redact_optional

# -- column mappings -------------------------------------------------------------------------------------
_ROLE_WORDS = {
    "period": {"period", "periode", "måned", "maaned", "month"},
    "indicator": {"indicator", "indikator"},
    "value": {"value", "værdi", "vaerdi"},
    "numerator": {"numerator", "tæller", "taeller"},
    "denominator": {"denominator", "nævner", "naevner"},
    "ignore": {"-", "ignore", "ignorer", "skip"},
}


_PART_WORDS = {
    "value": _ROLE_WORDS["value"],
    "numerator": _ROLE_WORDS["numerator"],
    "denominator": _ROLE_WORDS["denominator"],
}


@dataclass(frozen=True)
class MappingChange:
    """One adjustment of a column mapping: ``column`` is read as ``role``.

    Written ``COLUMN=ROLE`` (split at the last ``=``), where ROLE is

    * an indicator code (``R1``): the column holds that indicator's values;
    * ``V1:numerator`` / ``V1:denominator`` (or ``:tæller`` / ``:nævner``): one half of a
      proportion;
    * ``period`` (``måned``): the month column;
    * ``indicator``, ``value``, ``numerator``, ``denominator`` (Danish words too): the
      columns of a long table (one measurement per row);
    * ``-`` (``ignore``): do not read this column.
    """

    column: str
    role: str  # period, indicator, value, numerator, denominator, ignore, code
    code: str | None = None
    part: str = "value"  # for role "code": value, numerator or denominator

    @classmethod
    def parse(cls, text: str) -> MappingChange:
        if "=" not in text:
            raise ValidationError(
                f"write a mapping change as COLUMN=ROLE, e.g. 'Antal tvangsindlagte=R1', "
                f"'Med plan=V1:numerator', 'Måned=period' or 'Kommentar=-'; got {text!r}"
            )
        column, role = (part.strip() for part in text.rsplit("=", 1))
        if not column or not role:
            raise ValidationError(f"a mapping change needs a column and a role: {text!r}")
        word = role.casefold()
        for name, words in _ROLE_WORDS.items():
            if word in words:
                return cls(column, name)
        code, _, part = role.partition(":")
        part_word = part.strip().casefold()
        if part:
            for name, words in _PART_WORDS.items():
                if part_word in words:
                    return cls(column, "code", code.strip(), name)
            raise ValidationError(
                f"{role!r}: after ':' write numerator or denominator (tæller/nævner), e.g. V1:numerator"
            )
        if not re.fullmatch(r"[A-Za-zÆØÅæøå][\w.-]{0,39}", code.strip()):
            raise ValidationError(
                f"{role!r} is neither an indicator code nor a role "
                "(period, indicator, value, numerator, denominator, -)"
            )
        return cls(column, "code", code.strip(), "value")

    def __str__(self) -> str:
        if self.role == "code":
            return f"{self.column}={self.code}" + ("" if self.part == "value" else f":{self.part}")
        return f"{self.column}={'-' if self.role == 'ignore' else self.role}"


def column_meanings(mapping: ColumnMapping | None) -> dict[str, str]:
    if mapping is None:
        return {}
    meaning = {mapping.period: "period"}
    if mapping.layout == "wide":
        for item in mapping.indicators:
            if item.value:
                meaning[item.value] = item.indicator
            if item.numerator:
                meaning[item.numerator] = f"{item.indicator}:numerator"
            if item.denominator:
                meaning[item.denominator] = f"{item.indicator}:denominator"
    else:
        for role in ("indicator", "value", "numerator", "denominator"):
            column = getattr(mapping, f"{role}_column")
            if column:
                meaning[column] = role
    return meaning


def mapping_dict(mapping: ColumnMapping | None) -> dict[str, Any] | None:
    if mapping is None:
        return None
    data = mapping.to_dict()
    return json.loads(redact(json.dumps(data, ensure_ascii=False)))


def resolve_column(table: Table, column: str) -> str:
    """The table's own header for ``column`` (exact, then ignoring case and spacing)."""
    if column in table.headers:
        return column
    wanted = normalise_header(column)
    for header in table.headers:
        if normalise_header(header) == wanted:
            return header
    shown = ", ".join(repr(redact_optional(h)) for h in table.headers)
    raise DataImportError(
        f"no column {redact_optional(column)!r}; the columns are: {shown}", where=table.source.label()
    )


def apply_changes(
    mapping: ColumnMapping | None,
    changes: Sequence[MappingChange],
    table: Table,
    indicator_codes: Iterable[str],
) -> ColumnMapping:
    """``mapping`` (or a new one) with ``changes`` applied, checked against the table's
    columns and the team's indicator codes. A change moves a column: the column is first
    removed from whatever it was mapped to."""
    codes = {c.lower(): c for c in indicator_codes}
    result = copy.deepcopy(mapping) if mapping is not None else ColumnMapping(period="")
    long_roles = {"indicator", "value", "numerator", "denominator"}
    wants_long = any(c.role in long_roles for c in changes)
    wants_wide = any(c.role == "code" for c in changes)
    if wants_long and wants_wide:
        raise ValidationError(
            "a mapping is either wide (a column per indicator: COLUMN=R1) or long (columns "
            "indicator and value); these changes mix both"
        )
    if wants_long and result.layout != "long":
        result.layout, result.indicators = "long", []
    if wants_wide and result.layout != "wide":
        result.layout = "wide"
        result.indicator_column = result.value_column = None
        result.numerator_column = result.denominator_column = None
    for change in changes:
        column = resolve_column(table, change.column)
        _unmap(result, column)
        if change.role == "ignore":
            continue
        if change.role == "period":
            result.period = column
        elif change.role in long_roles:
            setattr(result, f"{change.role}_column", column)
        else:
            code = codes.get((change.code or "").lower())
            if code is None:
                known = ", ".join(codes.values()) or "none yet"
                raise NotFoundError(f"the team has no indicator {change.code!r} (indicators: {known})")
            item = next((i for i in result.indicators if i.indicator == code), None)
            if item is None:
                item = IndicatorColumns(code)
                result.indicators.append(item)
            if change.part == "value":
                item.numerator = item.denominator = None
            else:
                item.value = None
            setattr(item, change.part, column)
    result.indicators = [i for i in result.indicators if i.columns()]
    if not result.period:
        raise ValidationError("the mapping has no month column: add COLUMN=period (or --period-column)")
    result.validate()
    return result


def _unmap(mapping: ColumnMapping, column: str) -> None:
    if mapping.period == column:
        mapping.period = ""
    for role in ("indicator", "value", "numerator", "denominator"):
        if getattr(mapping, f"{role}_column") == column:
            setattr(mapping, f"{role}_column", None)
    for item in mapping.indicators:
        for part in ("value", "numerator", "denominator"):
            if getattr(item, part) == column:
                setattr(item, part, None)
