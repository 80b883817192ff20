"""The import service: one flow for every way values come into a workspace.

Whatever the values come from (a measurement table with a column mapping, an event
extract with a population, an importer registered by a plugin, a data source), an
import goes through the same three steps, which the CLI (``pdsa import``, ``pdsa source
fetch``) and the TUI's import screen both call:

1. **read** into an :class:`ImportPlan`: the monthly rows that can be stored, and the
   row errors (row number, column, reason in Danish and English);
2. :func:`preview` against the team's stored values: what would be added, changed
   (old -> new), left unchanged, and which months are missing;
3. :func:`commit`: refused while there are row errors unless ``skip_errors=True``; then
   every value (and any annotation) is written in one all-or-nothing transaction, each
   with its source, source file, sheet and import time. A month imported again replaces
   the stored value and keeps the earlier one as a revision with its source.

::

    from pdsa_core.importing import service as imports

    plan = imports.read_file(ws, "Psykiatrien Syd", "tvang.csv")     # mapping guessed
    plan = imports.remap(ws, plan, changes=[imports.MappingChange.parse("Antal=R2")])
    imports.preview(ws, plan)          # plan.preview.added / .changed / .missing
    done = imports.commit(ws, plan, save_mapping_as="maanedlig")

    plan = imports.read_events(ws, team, "udtraek.csv", population="voksne")
    plan = imports.run_importer(ws, plugins, "municipal-force", "magt.csv", team, {"bosted": "Solhøj"})
    plan = imports.plan_from_result(ws, team, imports.fetch(plugins, "statbank", ["FOLK1AM"],
                                                            {"municipality": "851"}))

Privacy: an event extract's identifiers never reach this module (see
:mod:`pdsa_core.importing.identifiers`); header texts and column names shown or saved
from here are passed through :func:`~pdsa_core.redaction.redact`, and a
mapping holding anything shaped like a CPR number is refused before it is saved.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pdsa_core.domain import Indicator, Unit
from pdsa_core.domain.common import parse_period_range
from pdsa_core.errors import DataImportError, NotFoundError, ValidationError
from pdsa_core.extension_types import (
    ImportResult,
    SourceResult,
)
from pdsa_core.i18n import t
from pdsa_core.importing.events import (
    OUTSIDE_REASONS,
    EventLayout,
    Population,
    aggregate_events,
)
from pdsa_core.importing.mapping import (
    ColumnMapping,
    MappingGuess,
    guess_mapping,
    period_column,
)
from pdsa_core.importing.mapping_changes import MappingChange, apply_changes
from pdsa_core.importing.measurements import MeasurementRow, read_measurements
from pdsa_core.importing.periods import read_period
from pdsa_core.importing.plan import (
    CommitResult,
    ImportPlan,
    check_rows,
    commit,
    input_to_row,
    preview,
    refusal,
    row_to_input,
    sorted_errors,
    team_indicators,
)
from pdsa_core.importing.problems import RowError
from pdsa_core.importing.saved import (
    IMPORT_KINDS,
    POPULATION_ALL,
    fitting_mapping,
    import_choice,
    load_layout,
    remove_mapping,
    save_event_settings,
    save_import_choice,
    save_mapping,
    saved_layout,
    saved_mapping,
    saved_mappings,
    with_table_headers,
)
from pdsa_core.importing.tables import Table, list_sheets, read_table
from pdsa_core.output_files import refuse_special_input
from pdsa_core.redaction import redact, redact_optional
from pdsa_core.startup import paused_gc

if TYPE_CHECKING:
    from pdsa_core.workspace import Workspace

__all__ = [
    "IMPORT_KINDS",
    "POPULATION_ALL",
    "CommitResult",
    "ImportPlan",
    "MappingChange",
    "apply_changes",
    "check_period_range",
    "commit",
    "fetch",
    "guess",
    "import_choice",
    "importer_options",
    "input_to_row",
    "list_sheets",
    "load_layout",
    "plan_from_result",
    "population_series",
    "populations",
    "preview",
    "rate_plan",
    "read_events",
    "read_file",
    "remap",
    "remove_mapping",
    "resolve_population",
    "row_to_input",
    "run_importer",
    "save_event_settings",
    "save_import_choice",
    "save_mapping",
    "saved_layout",
    "saved_mapping",
    "saved_mappings",
    "source_parameters",
    "table_import_result",
]


# -- measurement tables -----------------------------------------------------------------------------------
def guess(ws: Workspace, team_ref: str, table: Table) -> MappingGuess:
    """The guessed mapping of ``table`` for the team's indicators."""
    team = ws.team(team_ref)
    return guess_mapping(table, [i.code for i in ws.indicators(team.id)])


@paused_gc()  # a table's cells and rows: many objects, no cycles
def read_file(
    ws: Workspace,
    team_ref: str,
    path: str | Path,
    *,
    sheet: str | int | None = None,
    mapping: ColumnMapping | str | Mapping[str, Any] | None = None,
    changes: Sequence[MappingChange] = (),
    header_rows: int | None = None,
) -> ImportPlan:
    """Read a measurement table (CSV or ``.xlsx``) for the team.

    ``mapping`` is a :class:`ColumnMapping`, its dict, or the name of a mapping the team
    saved; without one, a saved mapping that fits the file's columns is used when there is
    exactly one, else the mapping is guessed. ``changes`` adjust it. A plan whose mapping
    cannot be made has ``problems`` (and no rows).
    """
    team = ws.team(team_ref)
    path = Path(path)
    origin, name = "given", None
    chosen: ColumnMapping | None
    if isinstance(mapping, str):
        chosen, origin, name = saved_mapping(ws, team.id, mapping), "saved", mapping
    elif isinstance(mapping, Mapping):
        chosen = ColumnMapping.from_dict(dict(mapping))
    else:
        chosen = mapping
    if sheet is None and chosen is not None:
        sheet = chosen.sheet
    if header_rows is None and chosen is not None:
        header_rows = chosen.header_rows
    refuse_special_input(path, DataImportError)  # a named pipe: never waited on
    if not path.is_file():
        raise DataImportError("no such file", where=str(path))
    months_in = chosen.months_in if chosen is not None else None
    table = read_table(path, sheet=sheet, header_rows=header_rows, months_in=months_in)
    warnings = []
    if chosen is None:
        fitting = fitting_mapping(ws, team.id, table)
        if fitting is not None:
            name, chosen = fitting
            origin = "saved"
            warnings.append(t("imports.mapping_saved_fits", name=name))
    plan = _table_plan(ws, team, table, chosen, changes, origin=origin, name=name)
    plan.sheet_given = sheet is not None
    plan.sheets = list_sheets(path) if table.source.sheet else []
    if plan.mapping is not None and plan.sheet_given and table.source.sheet:
        plan.mapping.sheet = table.source.sheet
    if header_rows is not None and plan.mapping is not None:
        plan.mapping.header_rows = header_rows
    plan.warnings[:0] = warnings
    return plan


@paused_gc()
def remap(
    ws: Workspace,
    plan: ImportPlan,
    mapping: ColumnMapping | None = None,
    changes: Sequence[MappingChange] = (),
) -> ImportPlan:
    """Read the same table again with another mapping, or with ``changes`` to the plan's."""
    if plan.table is None:
        raise ValidationError("only a measurement table has a column mapping")
    team = ws.team(plan.team_id)
    base = mapping if mapping is not None else plan.mapping
    origin = "given" if mapping is not None else plan.mapping_origin
    new = _table_plan(
        ws,
        team,
        plan.table,
        base,
        changes,
        origin=origin,
        name=plan.mapping_name if origin == "saved" else None,
    )
    new.changes = (plan.changes if mapping is None else []) + new.changes
    new.sheet_given = plan.sheet_given
    new.sheets = list(plan.sheets)
    if new.mapping is not None and plan.mapping is not None:
        new.mapping.sheet, new.mapping.header_rows = plan.mapping.sheet, plan.mapping.header_rows
    return new


def _table_plan(
    ws: Workspace,
    team: Any,
    table: Table,
    mapping: ColumnMapping | None,
    changes: Sequence[MappingChange],
    *,
    origin: str,
    name: str | None,
) -> ImportPlan:
    indicators = team_indicators(ws, team.id)
    codes = [i.code for i in indicators.values()]
    guessed = guess_mapping(table, codes)
    if mapping is None:
        mapping, origin = guessed.mapping, "guessed"
        if mapping is not None and guessed.problems and not changes:
            mapping = None  # an incomplete guess is shown, not used
    if changes:
        base = mapping if mapping is not None else guessed.mapping
        if base is None:  # start from the guessed month column, if any
            base = ColumnMapping(period=period_column(table) or "")
        mapping = apply_changes(base, changes, table, codes)
    elif mapping is not None:
        mapping = with_table_headers(mapping, table)
    plan = ImportPlan(
        kind="table",
        team_id=team.id,
        team_name=team.name,
        source="import",
        source_file=table.source.file,
        source_sheet=table.source.sheet or "",
        table=table,
        mapping=mapping,
        mapping_origin=origin,
        mapping_name=name,
        changes=[str(c) for c in changes],
        guess=guessed,
        rows_read=len(table.rows),
    )
    plan.warnings.extend(table.note_texts())
    if mapping is None:
        return plan
    rows, errors, skipped_empty = _read_rows(table, mapping, indicators)
    plan.rows, plan.errors, plan.error_count = rows, errors, len(errors)
    if skipped_empty:
        plan.warnings.append(t("imports.rows_without_value", count=skipped_empty))
    return plan


def _read_rows(
    table: Table, mapping: ColumnMapping, indicators: Mapping[str, Indicator]
) -> tuple[list[MeasurementRow], list[RowError], int]:
    """The one path that reads a table: ``read_measurements`` with ``mapping``, then the
    rows checked against the team's indicators (codes and units)."""
    if mapping.layout == "wide":
        for item in mapping.indicators:
            if item.indicator.lower() not in indicators:
                known = ", ".join(i.code for i in indicators.values()) or "none yet"
                raise NotFoundError(
                    f"the mapping names indicator {item.indicator!r}, which the team does not have "
                    f"(indicators: {known})"
                )
    imported = read_measurements(table, mapping, known_indicator_codes=[i.code for i in indicators.values()])
    column_of: dict[str, tuple[str | None, str | None]] = {}
    if mapping.layout == "wide":
        for item in mapping.indicators:
            code = indicators[item.indicator.lower()].code
            column_of[code] = (item.value or item.numerator, item.numerator)
    else:
        for indicator in indicators.values():
            column_of[indicator.code] = (
                mapping.value_column or mapping.numerator_column,
                mapping.numerator_column,
            )
    rows, unit_errors, _ = check_rows(imported.rows, indicators, column_of)
    errors = [
        RowError(e.row, redact_optional(e.column), e.code, redact(e.reason_da), redact(e.reason_en))
        for e in imported.errors
    ]
    return rows, sorted_errors(errors + unit_errors), imported.skipped_empty


def table_import_result(
    path: str | Path,
    *,
    mapping: ColumnMapping | Mapping[str, Any] | None = None,
    indicators: Iterable[Indicator] | None = None,
    sheet: str | int | None = None,
    header_rows: int | None = None,
    skip_errors: bool = False,
    source: str = "import",
) -> ImportResult:
    """A measurement table as an :class:`ImportResult`, read the same way as :func:`read_file`.

    For the generic table importer (an :class:`~pdsa_core.Importer` has no workspace):
    ``indicators`` are the team's (for the guess and the unit checks; without them a
    mapping is required and values are taken as they are). Row errors raise
    :class:`DataImportError` naming the first ones, unless ``skip_errors``; the number
    skipped is ``rows_skipped`` and the errors are in ``details["row_errors"]``.
    """
    path = Path(path)
    chosen = ColumnMapping.from_dict(dict(mapping)) if isinstance(mapping, Mapping) else mapping
    if sheet is None and chosen is not None:
        sheet = chosen.sheet
    table = read_table(
        path,
        sheet=sheet,
        header_rows=header_rows or (chosen.header_rows if chosen else None),
        months_in=chosen.months_in if chosen else None,
    )
    by_code = {i.code.lower(): i for i in indicators or ()}
    if chosen is None:
        guessed = guess_mapping(table, [i.code for i in by_code.values()])
        if guessed.mapping is None or guessed.problems:
            raise DataImportError(
                "no usable column mapping: " + "; ".join(en for _, en in guessed.problems),
                where=table.source.label(),
            )
        chosen = guessed.mapping
    chosen = with_table_headers(chosen, table)
    if by_code:
        rows, errors, _ = _read_rows(table, chosen, by_code)
    else:
        imported = read_measurements(table, chosen)
        rows, errors = imported.rows, sorted_errors(imported.errors)
    if errors and not skip_errors:
        raise DataImportError(refusal(errors, len(errors)), where=table.source.label())
    return ImportResult(
        measurements=tuple(row_to_input(row) for row in rows),
        source=source,
        source_file=table.source.file,
        source_sheet=table.source.sheet or "",
        rows_read=len(table.rows),
        rows_skipped=len(errors),
        details={"row_errors": [e.to_dict() for e in errors]} if errors else {},
    )


# -- event extracts --------------------------------------------------------------------------------------


def populations(ws: Workspace, team_ref: str, plugins: Any = None) -> dict[str, dict[str, Any]]:
    """Populations the team can count by: saved in the team's settings, and registered by
    plugins. ``{name: {"population": Population, "description": ..., "origin": ...}}``."""
    team = ws.team(team_ref)
    found: dict[str, dict[str, Any]] = {}
    if plugins is not None:
        for key, (population, description) in plugins.items("populations").items():
            found[key] = {
                "population": population,
                "description": description,
                "origin": f"plugin {plugins.owner('populations', key)}",
            }
    for key, data in (ws.team_settings(team.id).get("populations") or {}).items():
        try:
            population = Population.from_dict(data)
        except (ValidationError, TypeError):
            continue
        found[key] = {"population": population, "description": "", "origin": "team"}
    return found


def resolve_population(
    ws: Workspace, team_ref: str, ref: str | None, plugins: Any = None
) -> tuple[str, Population]:
    """The population named ``ref``: ``all`` (every row counts), a ``.json`` file, one
    saved for the team, or one registered by a plugin. Without ``ref``, the team's
    default population (the last one saved), else the team's only one."""
    team = ws.team(team_ref)
    settings = ws.team_settings(team.id)
    known = populations(ws, team.id, plugins)
    if ref is None:
        default = settings.get("default_population")
        if isinstance(default, str) and default in known:
            ref = default
        elif len(known) == 1:
            ref = next(iter(known))
        else:
            names = ", ".join(sorted(known)) or "none saved yet"
            raise ValidationError(
                f"name the population to count with --population (known: {names}; '{POPULATION_ALL}' "
                "counts every row; a .json file with min_age, max_age, municipalities, wards ... "
                "defines one)"
            )
    if ref == POPULATION_ALL:
        return ref, Population(exclude_forensic=False)
    if ref.lower().endswith(".json"):
        path = Path(ref)
        refuse_special_input(path)  # a named pipe would be waited on for ever
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except OSError as exc:
            raise DataImportError(f"cannot read the population file: {exc.strerror}", where=ref) from None
        except ValueError as exc:
            raise ValidationError(f"the population file is not valid JSON ({exc})", where=ref) from None
        try:
            return path.stem, Population.from_dict(data)
        except TypeError as exc:
            raise ValidationError(f"the population file is damaged ({exc})", where=ref) from None
    if ref in known:
        return ref, known[ref]["population"]
    names = ", ".join(sorted(known)) or "none saved yet"
    raise NotFoundError(f"no population {ref!r} (known: {names}; or '{POPULATION_ALL}', or a .json file)")


def read_events(
    ws: Workspace,
    team_ref: str,
    path: str | Path,
    *,
    population: Population | str | None = None,
    layout: EventLayout | None = None,
    kinds_for: Mapping[str, Any] | None = None,
    period_range: tuple[str, str] | None = None,
    indicators: Iterable[str] | None = None,
    plugins: Any = None,
    workers: int | None = None,
    population_name: str | None = None,
) -> ImportPlan:
    """Aggregate an event extract to monthly R1, R2, F1, F2 for the team.

    ``population`` is a :class:`Population` or a name for :func:`resolve_population`;
    ``layout``/``kinds_for`` default to the team's saved ones (else the Danish default
    columns). Only indicators the team has are stored (and of those only ``indicators``
    when given); ``plan.events`` summarises the extract: rows read and counted, rows
    outside the population by reason, kinds seen, the concentration of events.
    """
    team = ws.team(team_ref)
    if isinstance(population, Population):
        population_name = population_name or "(given)"
    else:
        population_name, population = resolve_population(ws, team.id, population, plugins)
    if layout is None:
        layout, saved_kinds = saved_layout(ws, team.id)
        kinds_for = kinds_for if kinds_for is not None else saved_kinds
    path = Path(path)
    refuse_special_input(path, DataImportError)  # a named pipe: never waited on
    if not path.is_file():
        raise DataImportError("no such file", where=str(path))
    aggregate = aggregate_events(
        path, layout, population, kinds_for=kinds_for, period_range=period_range, workers=workers
    )
    team_codes = team_indicators(ws, team.id)
    chosen = None if indicators is None else {c.strip().lower() for c in indicators}
    rows: list[MeasurementRow] = []
    missing, unchosen = [], []
    for row in aggregate.measurement_rows():
        key = row.indicator.lower()
        if chosen is not None and key not in chosen:
            if row.indicator not in unchosen:
                unchosen.append(row.indicator)
            continue
        if key not in team_codes:
            if row.indicator not in missing:
                missing.append(row.indicator)
            continue
        rows.append(row)
    good, unit_errors, _ = check_rows(rows, team_codes)
    plan = ImportPlan(
        kind="events",
        team_id=team.id,
        team_name=team.name,
        source="event extract",
        source_file=aggregate.source.file,
        source_sheet=aggregate.source.sheet or "",
        rows=good,
        errors=sorted_errors(list(aggregate.errors) + unit_errors),
        error_count=aggregate.error_count + len(unit_errors),
        not_stored=missing + unchosen,
        rows_read=aggregate.rows_read,
    )
    if missing:
        plan.warnings.append(t("imports.not_stored", codes=", ".join(missing)))
    if unchosen:
        plan.warnings.append(t("imports.not_chosen", codes=", ".join(unchosen)))
    summary = aggregate.to_dict()
    summary.pop("errors", None)
    summary["population"] = {"name": population_name, **population.to_dict()}
    summary["layout"] = layout.to_dict() if layout else EventLayout().to_dict()
    summary["outside_reasons"] = {k: {"da": da, "en": en} for k, (da, en) in OUTSIDE_REASONS.items()}
    plan.events = json.loads(redact(json.dumps(summary, ensure_ascii=False)))
    return plan


# -- importers and data sources ---------------------------------------------------------------------------
def run_importer(
    ws: Workspace,
    plugins: Any,
    importer_id: str,
    path: str | Path,
    team_ref: str,
    options: Mapping[str, Any] | None = None,
) -> ImportPlan:
    """Run a registered importer on ``path`` for the team and plan its result."""
    importer = plugins.importer(importer_id)
    team = ws.team(team_ref)
    path = Path(path)
    result = importer.run(path, team=team, options=options, indicators=ws.indicators(team.id))
    if result.source_file == redact(str(path)):  # the path filled in: store the file's name
        result = dataclasses.replace(result, source_file=redact(path.name))
    plan = plan_from_result(
        ws, team.id, result, kind="importer", source=result.source or f"importer {importer.id}"
    )
    plan.importer = importer.id
    return plan


def importer_options(plugins: Any, importer_id: str, given: Mapping[str, Any]) -> dict[str, str]:
    """The options typed for an importer, checked before anything is read: empty ones left
    out (the importer's default applies), an unknown one and every required one left empty
    refused with a :class:`ValidationError` naming them and what they are for."""
    importer = plugins.importer(importer_id)
    known = {p.name: p for p in importer.options}
    values = {str(k): str(v).strip() for k, v in given.items() if v is not None and str(v).strip()}
    unknown = sorted(set(values) - set(known))
    if unknown:
        names, wrong = ", ".join(known) or "none", ", ".join(unknown)
        raise ValidationError(
            f"importer {importer.id} has no option {wrong} (options: {names})",
            da=f"importøren {importer.id} har intet tilvalg {wrong} (tilvalg: {names})",
        )
    missing = [p for p in importer.options if p.required and p.name not in values]
    if missing:
        listed = "; ".join(f"{p.name} ({p.description})" if p.description else p.name for p in missing)
        several = len(missing) > 1
        raise ValidationError(
            f"{importer.name('en')} needs {'these options' if several else 'the option'}: {listed}",
            da=f"{importer.name('da')}: udfyld {'tilvalgene' if several else 'tilvalget'} {listed}",
        )
    return values


def source_parameters(
    source: Any, positional: Sequence[str] = (), named: Mapping[str, Any] | None = None
) -> dict[str, str]:
    """The parameters for ``source.run``: ``positional`` values fill its parameters in
    order; ``named`` ones (``age`` or ``--age``; ``-`` and ``_`` alike) by name."""
    names = [p.name for p in source.parameters]
    if len(positional) > len(names):
        raise ValidationError(
            f"data source {source.id} takes at most {len(names)} values in order "
            f"({', '.join(names) or 'none'}); got {len(positional)}"
        )
    values: dict[str, str] = dict(zip(names, (str(v) for v in positional), strict=False))
    for key, value in (named or {}).items():
        name = key.lstrip("-").replace("-", "_").lower()
        if name in values:
            raise ValidationError(f"data source {source.id}: {name} is given twice")
        values[name] = str(value)
    return values


def fetch(
    plugins: Any, source_id: str, positional: Sequence[str] = (), named: Mapping[str, Any] | None = None
) -> SourceResult:
    """Fetch from a registered data source (see :func:`source_parameters`)."""
    source = plugins.data_source(source_id)
    return source.run(**source_parameters(source, positional, named))


def plan_from_result(
    ws: Workspace, team_ref: str, result: ImportResult, *, kind: str = "source", source: str | None = None
) -> ImportPlan:
    """Plan an importer's or a data source's result for the team.

    A code the team has no indicator for stops the plan with a message saying how to add
    it. Row errors an importer reports in ``details["row_errors"]`` (dicts of
    :class:`RowError`) make the import refused unless skipped, like a table's.
    """
    team = ws.team(team_ref)
    indicators = team_indicators(ws, team.id)
    rows = [input_to_row(item) for item in result.measurements]
    good, errors, unknown = check_rows(rows, indicators)
    if unknown:
        known = ", ".join(i.code for i in indicators.values()) or "none yet"
        raise NotFoundError(
            f"the values are for {', '.join(unknown)}, which team {team.name} does not have "
            f"(indicators: {known}); add it with 'pdsa indicator add {unknown[0]} --team ...', "
            "or choose another indicator"
        )
    reported = []
    for item in result.details.get("row_errors", []) if isinstance(result.details, dict) else []:
        try:
            error = RowError.from_dict(item)
        except (KeyError, TypeError, AttributeError):
            continue
        reported.append(
            RowError(
                error.row,
                redact_optional(error.column),
                error.code,
                redact(error.reason_da),
                redact(error.reason_en),
            )
        )
    details = {k: v for k, v in result.details.items() if k != "row_errors"}
    plan = ImportPlan(
        kind=kind,
        team_id=team.id,
        team_name=team.name,
        source=source or result.source or kind,
        source_file=result.source_file,
        source_sheet=result.source_sheet,
        rows=good,
        errors=sorted_errors(reported + errors),
        error_count=max(len(reported), result.rows_skipped if reported else 0) + len(errors),
        annotations=list(result.annotations),
        warnings=list(result.warnings),
        rows_read=result.rows_read,
        details=details,
    )
    if isinstance(result, SourceResult):
        plan.details = {**details, "retrieved_at": result.retrieved_at, "url": result.url}
    return plan


def population_series(result: SourceResult) -> Any:
    """The residents a population source (Danmarks Statistik) returned, for rates.

    :class:`ValidationError` when the result does not describe residents by municipality
    and age (only such a source can turn counts into rates).
    """
    from pdsa_core.sources.statbank import PopulationSeries, parse_age_band

    details = result.details
    if not all(k in details for k in ("table", "municipality", "age")):
        raise ValidationError(
            "this data source does not give residents by municipality and age, so it "
            "cannot turn counts into rates (--rate-of)"
        )
    low, high = parse_age_band(str(details["age"]))
    values = {m.period: int(m.value) for m in result.measurements if m.value is not None}
    return PopulationSeries(
        str(details["table"]),
        str(details["municipality"]),
        low,
        high,
        values,
        str(details.get("retrieved_at") or result.retrieved_at),
        bool(details.get("from_cache")),
        list(details.get("notes") or []),
    )


def rate_plan(
    ws: Workspace, team_ref: str, count_code: str, series: Any, *, into: str | None = None
) -> ImportPlan:
    """Plan ``count_code`` per 10,000 residents as its own rate indicator (``into``, default
    ``CODE-rate``; created with the count's settings when committed)."""
    from pdsa_core.sources.statbank import rates_per_10000

    team = ws.team(team_ref)
    counts_indicator = ws.indicator(team.id, count_code)
    if counts_indicator.unit is not Unit.COUNT:
        raise ValidationError(
            f"{counts_indicator.code} is a {counts_indicator.unit.value}; only counts become rates"
        )
    code = into or f"{counts_indicator.code}-rate"
    counts = {
        m.period: m.value for m in ws.measurements(team.id, counts_indicator.code) if m.value is not None
    }
    if not counts:
        raise ValidationError(f"{counts_indicator.code} has no values to turn into a rate")
    rates, missing = rates_per_10000(counts, series.values)
    existing = team_indicators(ws, team.id).get(code.lower())
    code = existing.code if existing else code
    plan = ImportPlan(
        kind="rate",
        team_id=team.id,
        team_name=team.name,
        source=f"{counts_indicator.code} / Danmarks Statistik {series.table}",
        rows=[MeasurementRow(code, month, round(rate, 6)) for month, rate in sorted(rates.items())],
        rows_read=len(counts),
        details={
            "count": counts_indicator.code,
            "rate": code,
            "creates_indicator": existing is None,
            "months_without_population": missing,
            "table": series.table,
            "municipality": series.municipality,
            "age": f"{series.age_low}-{series.age_high}",
        },
    )
    plan.rate = {"count": counts_indicator.code, "into": code, "series": series}
    if missing:
        plan.warnings.append(
            f"{len(missing)} months of {counts_indicator.code} have no population figure and get no rate: "
            f"{', '.join(missing[:6])}{' …' if len(missing) > 6 else ''}"
        )
    return plan


def check_period_range(text: str) -> tuple[str, str]:
    """The months of an import (``--months``), ``FIRST..LAST`` in any month spelling the
    importer reads (``jan-22..marts 2022``): the one range parser with the importer's reader."""
    return parse_period_range(text, field="months", read=read_period)
