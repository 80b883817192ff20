"""Indicator sets as data: a JSON file a plugin ships, read into :class:`IndicatorSet` s.

The file (format ``pdsa-indicator-sets/1``) names each indicator once and lets several sets
use it, each with its own population::

    {
      "format": "pdsa-indicator-sets/1",
      "about": "what the file holds (not read)",
      "indicators": {
        "R1": {"name_da": "Antal personer, der tvangsindlægges", "kind": "result", "unit": "count",
               "direction": "down", "baseline_start": "2018-01", "baseline_end": "2020-12"}
      },
      "sets": [
        {"id": "region-voksen", "name_da": "Regionens sæt, voksne", "population": "Voksne ...",
         "indicators": ["R1"]}
      ]
    }

An indicator takes every field of :class:`~pdsa_core.domain.IndicatorDefinition` except
``code`` (its key); one without a ``population`` of its own takes the set's. A mistake in
the file is a :class:`~pdsa_core.errors.ValidationError` naming the file and the place.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pdsa_core.domain import IndicatorDefinition, IndicatorSet
from pdsa_core.errors import PdsaError, ValidationError

FORMAT = "pdsa-indicator-sets/1"
_FILE_FIELDS = {"format", "about", "indicators", "sets"}
_SET_FIELDS = {"id", "name_da", "name_en", "description", "population", "indicators"}
_INDICATOR_FIELDS = {f.name for f in dataclasses.fields(IndicatorDefinition)} - {"code"}


def load_indicator_sets(path: str | Path) -> list[IndicatorSet]:
    """The indicator sets of the JSON file at ``path``, in the file's order."""
    where = str(path)
    from pdsa_core.output_files import refuse_special_input

    refuse_special_input(path)  # a named pipe would be waited on for ever
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ValidationError(
            f"cannot read the indicator set file: {exc.strerror}",
            where=where,
            da=f"kan ikke læse filen med indikatorsæt: {exc.strerror}",
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"not valid JSON (line {exc.lineno}, column {exc.colno})",
            where=where,
            da=f"ikke gyldig JSON (linje {exc.lineno}, kolonne {exc.colno})",
        ) from None
    return indicator_sets_from_data(data, where=where)


def indicator_sets_from_data(data: Any, *, where: str = "indicator sets") -> list[IndicatorSet]:
    """The indicator sets of an already parsed file (see the module's description)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _problem(where, f'is not an indicator set file (its "format" must be "{FORMAT}")',
                       f'er ikke en fil med indikatorsæt (dens "format" skal være "{FORMAT}")')
    _only(data, _FILE_FIELDS, where)
    definitions = data.get("indicators", {})
    if not isinstance(definitions, dict):
        raise _problem(where, '"indicators" must be an object of indicators by code',
                       '"indicators" skal være et objekt med indikatorer efter kode')
    sets = data.get("sets")
    if not isinstance(sets, list) or not sets:
        raise _problem(where, '"sets" must be a list of at least one set',
                       '"sets" skal være en liste med mindst ét sæt')
    return [_set(item, definitions, f"{where}, set {n}") for n, item in enumerate(sets, start=1)]


def _set(item: Any, definitions: Mapping[str, Any], where: str) -> IndicatorSet:
    if not isinstance(item, dict):
        raise _problem(where, "must be an object", "skal være et objekt")
    where = f"{where} ({item.get('id', '?')})"
    _only(item, _SET_FIELDS, where)
    codes = item.get("indicators", [])
    if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
        raise _problem(where, '"indicators" must be a list of indicator codes',
                       '"indicators" skal være en liste med indikatorkoder')
    unknown = [code for code in codes if code not in definitions]
    if unknown:
        raise _problem(where, f"names indicators the file does not define: {', '.join(unknown)}",
                       f"nævner indikatorer, som filen ikke definerer: {', '.join(unknown)}")
    population = item.get("population", "")
    try:
        indicators = [_definition(code, definitions[code], population) for code in codes]
        return IndicatorSet(
            id=item.get("id", ""),
            name_da=item.get("name_da", ""),
            name_en=item.get("name_en", ""),
            description=item.get("description", ""),
            indicators=indicators,
        )
    except PdsaError as exc:
        raise _problem(where, exc.message, exc.message_da or exc.message) from None


def _definition(code: str, fields: Any, population: str) -> IndicatorDefinition:
    if not isinstance(fields, dict):
        raise ValidationError(
            f"indicator {code} must be an object of its fields (its code is its key)",
            da=f"indikator {code} skal være et objekt med dens felter (dens kode er nøglen)",
        )
    unknown = sorted(set(fields) - _INDICATOR_FIELDS)
    if unknown:
        raise ValidationError(
            f"indicator {code} has unknown fields: {', '.join(unknown)}",
            da=f"indikator {code} har ukendte felter: {', '.join(unknown)}",
        )
    try:
        return IndicatorDefinition.from_dict({"population": population, **fields, "code": code})
    except PdsaError as exc:
        raise ValidationError(
            f"indicator {code}: {exc.message}", da=f"indikator {code}: {exc.message_da or exc.message}"
        ) from None


def _only(data: dict[str, Any], known: set[str], where: str) -> None:
    unknown = sorted(set(data) - known)
    if unknown:
        raise _problem(where, f"has unknown fields: {', '.join(unknown)}",
                       f"har ukendte felter: {', '.join(unknown)}")


def _problem(where: str, en: str, da: str) -> ValidationError:
    return ValidationError(en, where=where, da=da)
