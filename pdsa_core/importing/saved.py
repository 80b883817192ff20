"""What a team keeps between imports: named column mappings, its event layout and population,
and the kind of file it imported last.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pdsa_core.errors import DataImportError, NotFoundError, ValidationError
from pdsa_core.extension_types import (
    refuse_person_identifier,
)
from pdsa_core.importing.events import (
    EventLayout,
    Population,
    resolve_kinds_for,
)
from pdsa_core.importing.mapping import (
    ColumnMapping,
)
from pdsa_core.importing.mapping_changes import resolve_column
from pdsa_core.importing.tables import Table, normalise_header

if TYPE_CHECKING:
    from pdsa_core.workspace import Workspace

#: the population name that means every row of an extract
POPULATION_ALL = "all"


def saved_mappings(ws: Workspace, team_ref: str) -> dict[str, dict[str, Any]]:
    """The team's saved column mappings by name, as plain data (see :func:`saved_mapping`)."""
    team = ws.team(team_ref)
    stored = ws.team_settings(team.id).get("mappings") or {}
    return {str(k): v for k, v in stored.items() if isinstance(v, dict)}


def saved_mapping(ws: Workspace, team_ref: str, name: str) -> ColumnMapping:
    """One saved mapping; :class:`NotFoundError` listing the names when there is none."""
    stored = saved_mappings(ws, team_ref)
    if name not in stored:
        known = ", ".join(sorted(stored)) or "none saved yet (save one with --save-mapping NAME)"
        raise NotFoundError(f"the team has no saved mapping {name!r} (mappings: {known})")
    try:
        return ColumnMapping.from_dict(stored[name])
    except ValidationError as exc:
        raise ValidationError(f"the saved mapping {name!r} is damaged: {exc.message}") from None


def save_mapping(ws: Workspace, team_ref: str, name: str, mapping: ColumnMapping) -> None:
    """Save ``mapping`` for the team under ``name`` (replacing one with that name)."""
    team = ws.team(team_ref)
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise ValidationError("a mapping name must be 1-80 characters")
    mapping.validate()
    data = mapping.to_dict()
    refuse_person_identifier(json.dumps(data, ensure_ascii=False) + name, where="the column mapping")
    mappings = dict(ws.team_settings(team.id).get("mappings") or {})
    mappings[name] = data
    ws.update_team_settings(team.id, mappings=mappings)


def remove_mapping(ws: Workspace, team_ref: str, name: str) -> None:
    team = ws.team(team_ref)
    saved_mapping(ws, team.id, name)  # NotFoundError when missing
    mappings = dict(ws.team_settings(team.id).get("mappings") or {})
    mappings.pop(name, None)
    ws.update_team_settings(team.id, mappings=mappings)


def fitting_mapping(ws: Workspace, team_id: str, table: Table) -> tuple[str, ColumnMapping] | None:
    """The one saved mapping whose columns all exist in ``table`` (None if none or several fit)."""
    headers = {normalise_header(h) for h in table.headers}
    fits = []
    for name, data in saved_mappings(ws, team_id).items():
        try:
            mapping = ColumnMapping.from_dict(data)
        except ValidationError:
            continue
        if all(normalise_header(c) in headers for c in mapping.used_columns()):
            fits.append((name, mapping))
    return fits[0] if len(fits) == 1 else None


def with_table_headers(mapping: ColumnMapping, table: Table) -> ColumnMapping:
    """The mapping with each column spelled as the table spells it (a saved mapping may
    differ in case or spacing); :class:`DataImportError` naming a missing column."""
    result = copy.deepcopy(mapping)
    result.period = resolve_column(table, result.period)
    for role in ("indicator", "value", "numerator", "denominator"):
        column = getattr(result, f"{role}_column")
        if column:
            setattr(result, f"{role}_column", resolve_column(table, column))
    for item in result.indicators:
        for part in ("value", "numerator", "denominator"):
            column = getattr(item, part)
            if column:
                setattr(item, part, resolve_column(table, column))
    return result


def load_layout(path: str | Path) -> tuple[EventLayout, dict[str, Any] | None]:
    """An event layout from a JSON file: the :class:`EventLayout` keys (``identifier``,
    ``timestamp``, ``kind``, ``ward``, ``age``, ``municipality``, ``outpatient``,
    ``forensic``, ``separator``, ``sheet``) and optionally ``kinds_for`` (which kind labels
    R1, R2, F1, F2 count)."""
    path = Path(path)
    from pdsa_core.output_files import refuse_special_input

    refuse_special_input(path)  # a named pipe would be waited on for ever
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise DataImportError(f"cannot read the layout file: {exc.strerror}", where=str(path)) from None
    except ValueError as exc:
        raise ValidationError(f"the layout file is not valid JSON ({exc})", where=str(path)) from None
    return _layout_from_data(data, where=str(path))


def _layout_from_data(data: Any, *, where: str) -> tuple[EventLayout, dict[str, Any] | None]:
    if not isinstance(data, dict):
        raise ValidationError("an event layout must be a JSON object", where=where)
    data = dict(data)
    kinds_for = data.pop("kinds_for", None)
    if kinds_for is not None:
        if not isinstance(kinds_for, dict):
            raise ValidationError("kinds_for must map R1, R2, F1, F2 to lists of kinds", where=where)
        resolve_kinds_for(kinds_for)
    try:
        return EventLayout.from_dict(data), kinds_for
    except ValidationError as exc:
        raise ValidationError(exc.message, where=where) from None


def saved_layout(ws: Workspace, team_ref: str) -> tuple[EventLayout | None, dict[str, Any] | None]:
    """The team's saved event layout (and kinds_for), or (None, None)."""
    team = ws.team(team_ref)
    data = ws.team_settings(team.id).get("event_layout")
    if not data:
        return None, None
    return _layout_from_data(data, where="the team's saved event layout")


def save_event_settings(
    ws: Workspace,
    team_ref: str,
    *,
    population: tuple[str, Population] | None = None,
    layout: EventLayout | None = None,
    kinds_for: Mapping[str, Any] | None = None,
) -> None:
    """Save a population (by name, as the team's default) and/or the event layout."""
    team = ws.team(team_ref)
    changes: dict[str, Any] = {}
    settings = ws.team_settings(team.id)
    if population is not None:
        name, value = population
        if name == POPULATION_ALL or not re.fullmatch(r"[\w.-]{1,60}", name):
            raise ValidationError(
                f"a population is saved under a short name (letters, digits, . - _), not {name!r}"
            )
        saved = dict(settings.get("populations") or {})
        saved[name] = value.to_dict()
        refuse_person_identifier(json.dumps(saved[name], ensure_ascii=False), where="the population")
        changes.update(populations=saved, default_population=name)
    if layout is not None:
        data = layout.to_dict()
        if kinds_for:
            data["kinds_for"] = dict(kinds_for)
        refuse_person_identifier(json.dumps(data, ensure_ascii=False), where="the event layout")
        changes["event_layout"] = data
    if changes:
        ws.update_team_settings(team.id, **changes)


#: the kinds of file an import reads: a measurement table, an event extract, a plugin's importer
IMPORT_KINDS = ("table", "events", "importer")


def import_choice(ws: Workspace, team_ref: str) -> dict[str, Any]:
    """What kind of file the team chose last (the TUI's import screen starts there).

    ``{"kind": "table" | "events" | "importer", "importer": id or None, "options": {importer
    id: {name: value}}, "population": name or None}``; a team that never chose gets
    ``kind`` ``table``. Saved with :func:`save_import_choice`.
    """
    team = ws.team(team_ref)
    data = ws.team_settings(team.id).get("import_choice")
    data = data if isinstance(data, dict) else {}
    choice: dict[str, Any] = {"kind": "table", "importer": None, "options": {}, "population": None}
    if data.get("kind") in IMPORT_KINDS:
        choice["kind"] = data["kind"]
    if isinstance(data.get("importer"), str) and data["importer"]:
        choice["importer"] = data["importer"]
    options = data.get("options")
    for importer_id, values in options.items() if isinstance(options, dict) else ():
        if isinstance(values, dict):
            choice["options"][str(importer_id)] = {str(k): str(v) for k, v in values.items()}
    if isinstance(data.get("population"), str) and data["population"]:
        choice["population"] = data["population"]
    if choice["kind"] == "importer" and choice["importer"] is None:
        choice["kind"] = "table"
    return choice


def save_import_choice(
    ws: Workspace,
    team_ref: str,
    kind: str,
    *,
    importer: str | None = None,
    options: Mapping[str, Any] | None = None,
    population: str | None = None,
) -> dict[str, Any]:
    """Remember the kind of file the team imports (see :func:`import_choice`).

    ``importer`` (needed for ``kind`` ``importer``), its ``options`` and the ``population``
    name replace the remembered ones when given; the others are kept. Returns the choice.
    """
    if kind not in IMPORT_KINDS:
        raise ValidationError(f"the kind of file is one of {', '.join(IMPORT_KINDS)}, not {kind!r}")
    team = ws.team(team_ref)
    choice = import_choice(ws, team.id)
    choice["kind"] = kind
    if importer is not None:
        choice["importer"] = importer
    if kind == "importer" and not choice["importer"]:
        raise ValidationError("name the importer to remember (an id from 'pdsa import importers')")
    if options is not None:
        if not choice["importer"]:
            raise ValidationError("options are remembered for an importer: name the importer too")
        choice["options"][choice["importer"]] = {str(k): str(v) for k, v in options.items()}
    if population is not None:
        choice["population"] = population
    refuse_person_identifier(json.dumps(choice, ensure_ascii=False), where="the import choice")
    ws.update_team_settings(team.id, import_choice=choice)
    return choice
