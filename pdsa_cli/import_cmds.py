"""``pdsa import`` and ``pdsa source``: values from files and data sources, with a preview.

Every command reads first, shows what would happen (the column mapping, the values added
and changed, the missing months, the rows that cannot be read) and writes only after a
confirmation: ``--yes``, or an answer at the terminal. ``--dry-run`` only shows. The work
is done by :mod:`pdsa_core.importing.service`, which the TUI's import screen calls too.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

from pdsa_cli.asking import confirm
from pdsa_cli.output import cell, console, print_json, print_text
from pdsa_core.errors import DataImportError, PdsaError, ValidationError
from pdsa_core.formatting import fmt_number
from pdsa_core.i18n import add_texts, get_language, t
from pdsa_core.output_files import refuse_special_input

if TYPE_CHECKING:
    from pdsa_cli.context import AppContext

MAX_ERRORS_SHOWN = 50

add_texts(
    {
        "imp.file": ("Fil", "File"),
        "imp.sheet": ("ark", "sheet"),
        "imp.rows": ("{n} rækker", "{n} rows"),
        "imp.encoding": (
            "tegnsæt {encoding}, skilletegn {separator}, decimaltegn {decimal}",
            "encoding {encoding}, separator {separator}, decimal mark {decimal}",
        ),
        "imp.mapping": ("Kortlægning af kolonner", "Column mapping"),
        "imp.origin.guessed": ("gættet", "guessed"),
        "imp.origin.saved": ("gemt som '{name}'", "saved as '{name}'"),
        "imp.origin.given": ("angivet", "given"),
        "imp.origin.changed": ("tilpasset med {changes}", "adjusted with {changes}"),
        "imp.column": ("Kolonne", "Column"),
        "imp.read_as": ("Læses som", "Read as"),
        "imp.not_imported": ("– (importeres ikke)", "– (not imported)"),
        "imp.role.period": ("måned", "month"),
        "imp.role.indicator": ("indikator", "indicator"),
        "imp.role.value": ("værdi", "value"),
        "imp.role.numerator": ("tæller", "numerator"),
        "imp.role.denominator": ("nævner", "denominator"),
        "imp.no_mapping": (
            "Kolonnerne kan ikke kortlægges: {problems}",
            "The columns cannot be mapped: {problems}",
        ),
        "imp.map_hint": (
            "Angiv kolonnerne med --map 'KOLONNE=R1', --map 'KOLONNE=V1:tæller', --map 'KOLONNE=-' "
            "og --period-column KOLONNE (se pdsa import table --help).",
            "Name the columns with --map 'COLUMN=R1', --map 'COLUMN=V1:numerator', --map 'COLUMN=-' "
            "and --period-column COLUMN (see pdsa import table --help).",
        ),
        "imp.other_sheets": (
            "Projektmappen har også arkene: {sheets} (vælg med --sheet).",
            "The workbook also has the sheets: {sheets} (choose one with --sheet).",
        ),
        "imp.looks_like_events": (
            "Filen ligner et hændelsesudtræk med person-id: brug 'pdsa import events FIL --team ...'.",
            "The file looks like an event extract with person identifiers: use "
            "'pdsa import events FILE --team ...'.",
        ),
        "imp.preview": (
            "Forhåndsvisning for {team}: {added} nye, {changed} ændrede, {unchanged} uændrede",
            "Preview for {team}: {added} new, {changed} changed, {unchanged} unchanged",
        ),
        "imp.legend": (
            "(gammel → ny: ændret, den gamle værdi gemmes som revision; '=': findes allerede)",
            "(old → new: changed, the old value is kept as a revision; '=': already stored)",
        ),
        "imp.month": ("Måned", "Month"),
        "imp.missing": ("Manglende måneder", "Missing months"),
        "imp.errors": (
            "Fejl i rækker, der ikke kan læses ({n})",
            "Problems in rows that cannot be read ({n})",
        ),
        "imp.row": ("Række", "Row"),
        "imp.reason": ("Årsag", "Reason"),
        "imp.more_errors": ("… og {n} flere (--json viser alle)", "… and {n} more (--json shows all)"),
        "imp.warning": ("Bemærk", "Note"),
        "imp.dry_run": ("Prøvekørsel: intet er skrevet.", "Dry run: nothing was written."),
        "imp.would_refuse": (
            "Importen ville blive afvist på grund af rækker, der ikke kan læses (fejl: {n}); "
            "--skip-errors importerer resten.",
            "The import would be refused because of rows that cannot be read (problems: {n}); "
            "--skip-errors imports the rest.",
        ),
        "imp.nothing_new": (
            "Alle værdier findes allerede; intet at skrive.",
            "Every value is already stored; nothing to write.",
        ),
        "imp.confirm": ("Skriv {n} værdier til {team}?", "Write {n} values to {team}?"),
        "imp.declined": ("Intet er skrevet.", "Nothing was written."),
        "imp.needs_yes": (
            "intet er skrevet: bekræft med --yes (standardinput er ikke en terminal), eller brug "
            "--dry-run for kun at se forhåndsvisningen",
            "nothing was written: confirm with --yes (standard input is not a terminal), or use "
            "--dry-run to see the preview only",
        ),
        "imp.done": (
            "Importeret til {team}: {added} nye, {changed} ændrede (tidligere værdier gemt som revisioner), "
            "{unchanged} uændrede.",
            "Imported into {team}: {added} new, {changed} changed (earlier values kept as revisions), "
            "{unchanged} unchanged.",
        ),
        "imp.skipped": (
            "Fejl i rækker, der er sprunget over: {n}.",
            "Problems in rows that were skipped: {n}.",
        ),
        "imp.annotations_added": ("Annoteringer tilføjet: {n}", "Annotations added: {n}"),
        "imp.mapping_saved": (
            "Kortlægningen er gemt som '{name}': næste gang er det 'pdsa import FIL --team {team} "
            "--mapping {name}'.",
            "The mapping is saved as '{name}': next time it is 'pdsa import FILE --team {team} "
            "--mapping {name}'.",
        ),
        "imp.mapping_not_saved": (
            "Kortlægningen er ikke gemt (prøvekørsel).",
            "The mapping was not saved (dry run).",
        ),
        "imp.created_indicator": ("Oprettede indikatoren {code}.", "Created the indicator {code}."),
        "imp.by_residence": (
            "Pr. bosted (personer/magtanvendelser):",
            "Per bosted (persons/uses of force):",
        ),
        "imp.saved_population": (
            "Populationen er gemt som '{name}' (teamets standard).",
            "The population is saved as '{name}' (the team's default).",
        ),
        "imp.saved_layout": (
            "Udtrækkets layout er gemt for teamet.",
            "The extract's layout is saved for the team.",
        ),
        "imp.importer": ("Importør", "Importer"),
        "imp.rows_read": (
            "{read} rækker læst, {skipped} sprunget over",
            "{read} rows read, {skipped} skipped",
        ),
        "imp.sheets": ("Ark i {file}", "Sheets in {file}"),
        "imp.no_sheets": (
            "{file} er ikke en Excel-projektmappe (en CSV-fil har ingen ark).",
            "{file} is not an Excel workbook (a CSV file has no sheets).",
        ),
        "imp.importers": ("Importører", "Importers"),
        "imp.options": ("Tilvalg", "Options"),
        "imp.files": ("Filer", "Files"),
        "imp.plugin": ("Plugin", "Plugin"),
        "imp.mappings": ("Gemte kortlægninger for {team}", "Saved mappings of {team}"),
        "imp.no_mappings": ("{team} har ingen gemte kortlægninger.", "{team} has no saved mappings."),
        "imp.removed_mapping": ("Fjernede kortlægningen '{name}'.", "Removed the mapping '{name}'."),
        "imp.populations": ("Populationer", "Populations"),
        "src.sources": ("Datakilder", "Data sources"),
        "src.parameters": ("Parametre", "Parameters"),
        "src.fetched": ("{name}: {n} værdier", "{name}: {n} values"),
        "src.retrieved": ("hentet {when}{cached}", "retrieved {when}{cached}"),
        "src.cached": (" (fra cache)", " (from the cache)"),
        "src.rate_needs_team": ("--rate-of kræver --team", "--rate-of needs --team"),
        "src.into_needs_rate": ("--into kræver --rate-of", "--into needs --rate-of"),
        "src.rate_preview": (
            "{count} pr. 10.000 indbyggere ({age} år, kommune {municipality}) som {code}",
            "{count} per 10,000 residents (ages {age}, municipality {municipality}) as {code}",
        ),
    }
)


def _pass_app(f: Any) -> Any:
    from pdsa_cli.context import pass_app

    return pass_app(f)


def stdin_is_interactive() -> bool:
    """True when a person can answer a question (tests replace this)."""
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def _lang() -> str:
    return get_language()


def _echo(text: str = "") -> None:
    print_text(text)


def _table(title: str | None, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    from rich.table import Table

    table = Table(title=cell(title) if title else None, header_style="bold", title_justify="left")
    for column in columns:
        table.add_column(cell(column), overflow="fold")
    for row in rows:
        table.add_row(*(cell(v) for v in row))
    console.print(table)


# -- showing a plan --------------------------------------------------------------------------------------
def _role_text(meaning: str) -> str:
    if not meaning:
        return t("imp.not_imported")
    code, _, part = meaning.partition(":")
    if code in ("period", "indicator", "value", "numerator", "denominator") and not part:
        return t(f"imp.role.{code}")
    return f"{code} ({t('imp.role.' + part)})" if part else code


def _show_file(plan: Any) -> None:
    info = plan.table_info()
    if not info:
        return
    name = info["file"] + (f" [{t('imp.sheet')} {info['sheet']}]" if info["sheet"] else "")
    parts = [t("imp.rows", n=info["rows"])]
    if info["encoding"]:
        parts.append(
            t(
                "imp.encoding",
                encoding=info["encoding"],
                separator=repr(info["separator"]),
                decimal=repr(info["decimal"]),
            )
        )
    _echo(f"{t('imp.file')}: {name} ({'; '.join(parts)})")


def _show_mapping(plan: Any) -> None:
    if plan.table is None:
        return
    origin = plan.mapping_origin or "guessed"
    label = t(f"imp.origin.{origin}", name=plan.mapping_name or "")
    if plan.changes:
        label += ", " + t("imp.origin.changed", changes=" ".join(f"--map '{c}'" for c in plan.changes))
    if plan.mapping is None and plan.guess is not None and plan.guess.mapping is not None:
        from pdsa_core.importing.mapping_changes import column_meanings

        meanings = column_meanings(plan.guess.mapping)
        lines = [(h, meanings.get(h, "")) for h in plan.table.headers]
        from pdsa_core.redaction import redact

        lines = [(redact(h), m) for h, m in lines]
    else:
        lines = plan.mapping_lines()
    _echo(f"{t('imp.mapping')} ({label}):")
    _table(
        None,
        [t("imp.column"), t("imp.read_as")],
        [(column, _role_text(meaning)) for column, meaning in lines],
    )
    if plan.problems:
        lang = _lang()
        _echo(t("imp.no_mapping", problems="; ".join(da if lang == "da" else en for da, en in plan.problems)))
        headers = {h.casefold() for h in plan.table.headers}
        if headers & {"cpr", "cpr-nr", "cprnr", "cpr nr", "personnummer", "borger", "patient", "pseudonym"}:
            _echo(t("imp.looks_like_events"))
        others = [name for name in plan.sheets if name != plan.table.source.sheet]
        if others:
            _echo(t("imp.other_sheets", sheets=", ".join(others)))
        _echo(t("imp.map_hint"))


def _cell(row: Any) -> str:
    if row.numerator is not None and row.denominator is not None:
        return f"{fmt_number(row.numerator)}/{fmt_number(row.denominator)}"
    return fmt_number(row.value)


def _old_cell(old: tuple[Any, Any, Any]) -> str:
    value, numerator, denominator = old
    if numerator is not None and denominator is not None:
        return f"{fmt_number(numerator)}/{fmt_number(denominator)}"
    return fmt_number(value)


def _show_preview(plan: Any) -> None:
    preview = plan.preview
    if preview is None:
        return
    counts = preview.counts()
    _echo(
        t(
            "imp.preview",
            team=plan.team_name,
            added=counts["added"],
            changed=counts["changed"],
            unchanged=counts["unchanged"],
        )
    )
    cells: dict[tuple[str, str], str] = {}
    for row in preview.added:
        cells[(row.period, row.indicator)] = _cell(row)
    for change in preview.changed:
        cells[(change.period, change.indicator)] = f"{_old_cell(change.old)} → {_cell(change.new)}"
    for row in preview.unchanged:
        cells[(row.period, row.indicator)] = f"= {_cell(row)}"
    if cells:
        from pdsa_core.services.indicators import indicator_sort_key

        codes = sorted({code for _, code in cells}, key=indicator_sort_key)
        months = sorted({month for month, _ in cells})
        _table(None, [t("imp.month"), *codes], [(m, *(cells.get((m, c), "") for c in codes)) for m in months])
        if preview.changed or preview.unchanged:
            _echo(t("imp.legend"))
    for code, months in preview.missing.items():
        _echo(f"{t('imp.missing')} {code}: {', '.join(months)}")


def _show_errors(plan: Any) -> None:
    if not plan.error_count:
        return
    lang = _lang()
    shown = plan.errors[:MAX_ERRORS_SHOWN]
    _table(
        t("imp.errors", n=plan.error_count),
        [t("imp.row"), t("imp.column"), t("imp.reason")],
        [
            ("–" if e.row is None else e.row, e.column or "–", e.reason_da if lang == "da" else e.reason_en)
            for e in shown
        ],
    )
    if plan.error_count > len(shown):
        _echo(t("imp.more_errors", n=plan.error_count - len(shown)))


def _show_warnings(plan: Any) -> None:
    for warning in plan.warnings:
        _echo(f"{t('imp.warning')}: {warning}")


def _show_events(plan: Any) -> None:
    """What the event extract's plan read and counted (the lines the TUI shows too)."""
    from pdsa_core.importing.summary import event_summary

    if not plan.events:
        return
    for line in event_summary(plan.events, _lang()):
        _echo(("  " if line.kind == "item" else "") + line.text)


def _show_details(plan: Any) -> None:
    if plan.kind in ("importer", "source") and plan.rows_read:
        _echo(t("imp.rows_read", read=plan.rows_read, skipped=plan.error_count))
    by_residence = plan.details.get("by_residence") if isinstance(plan.details, dict) else None
    if isinstance(by_residence, dict) and by_residence:
        months = sorted({m for d in by_residence.values() for m in d.get("uses", {})})
        names = list(by_residence)
        _echo(t("imp.by_residence"))
        _table(
            None,
            [t("imp.month"), *names],
            [
                (
                    m,
                    *(
                        f"{by_residence[n]['persons'].get(m, 0)}/{by_residence[n]['uses'].get(m, 0)}"
                        for n in names
                    ),
                )
                for m in months
            ],
        )


def _show_plan(plan: Any) -> None:
    _show_file(plan)
    _show_mapping(plan)
    _show_events(plan)
    _show_details(plan)
    _show_warnings(plan)
    _show_preview(plan)
    _show_errors(plan)


# -- finishing an import ---------------------------------------------------------------------------------
def finish(
    ws: Any,
    plan: Any,
    *,
    dry_run: bool,
    yes: bool,
    skip_errors: bool,
    as_json: bool,
    save_mapping: str | None = None,
    extra: dict[str, Any] | None = None,
    after_commit: Any = None,
) -> None:
    """Preview, show, confirm and commit ``plan`` (one place for every import command)."""
    from pdsa_core.importing import service as imports

    if not plan.problems:
        imports.preview(ws, plan)
    output = {**(extra or {}), "plan": plan.to_dict(), "dry_run": dry_run, "written": None}

    def emit_json() -> None:
        if as_json:
            print_json(output)

    if not as_json:
        _show_plan(plan)
    if plan.problems:
        emit_json()
        raise DataImportError(
            "the columns cannot be mapped: "
            + "; ".join(en for _, en in plan.problems)
            + "; name them with --map COLUMN=ROLE",
            where=plan.source_file or None,
        )
    if dry_run:
        if not as_json:
            if plan.error_count and not skip_errors:
                _echo(t("imp.would_refuse", n=plan.error_count))
            if save_mapping:
                _echo(t("imp.mapping_not_saved"))
            _echo(t("imp.dry_run"))
        emit_json()
        return
    if plan.error_count and not skip_errors:
        emit_json()
        imports.commit(ws, plan)  # raises the refusal, naming the first rows
    changes = plan.preview.has_changes if plan.preview else True
    if changes or plan.annotations:
        if not yes:
            if as_json or not stdin_is_interactive():
                emit_json()
                raise PdsaError(t("imp.needs_yes"))
            count = len(plan.preview.added) + len(plan.preview.changed) if plan.preview else len(plan.rows)
            if not confirm(t("imp.confirm", n=count, team=plan.team_name)):
                _echo(t("imp.declined"))
                return
    elif not as_json:
        _echo(t("imp.nothing_new"))
    done = imports.commit(ws, plan, skip_errors=skip_errors, save_mapping_as=save_mapping)
    output["written"] = done.to_dict()
    if as_json:
        if after_commit is not None:
            after_commit(done)
        print_json(output)
        return
    _echo(
        t("imp.done", team=plan.team_name, added=done.added, changed=done.changed, unchanged=done.unchanged)
    )
    if done.created_indicator:
        _echo(t("imp.created_indicator", code=done.created_indicator))
    if done.skipped_count:
        _echo(t("imp.skipped", n=done.skipped_count))
    if done.annotations:
        _echo(t("imp.annotations_added", n=len(done.annotations)))
    if done.mapping_saved:
        _echo(t("imp.mapping_saved", name=done.mapping_saved, team=plan.team_name))
    if after_commit is not None:
        after_commit(done)


def _sheet_argument(path: str, sheet: str | None) -> str | int | None:
    """A sheet by name, or by its number counted from 1 when no sheet has that name."""
    if sheet is None:
        return None
    from pdsa_core.importing.tables import list_sheets

    try:
        names = list_sheets(path)
    except PdsaError:
        return sheet
    if sheet in names or not sheet.isdigit():
        return sheet
    return int(sheet) - 1


def _options(pairs: Sequence[str], what: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        if "=" not in pair:
            raise ValidationError(f"write {what} as NAME=VALUE, e.g. bosted=Solhøj; got {pair!r}")
        key, value = pair.split("=", 1)
        values[key.strip().replace("-", "_")] = value.strip()
    return values


_COMMON = [
    click.option("--dry-run", is_flag=True, help="Only show the preview; write nothing."),
    click.option("--skip-errors", is_flag=True, help="Import the readable rows and list the others."),
    click.option("--yes", "-y", is_flag=True, help="Write without asking."),
    click.option("--json", "as_json", is_flag=True, help="Print JSON."),
]


def _common(f: Any) -> Any:
    for option in reversed(_COMMON):
        f = option(f)
    return f


def register(cli: click.Group) -> None:
    from pdsa_cli.context import PdsaGroup

    class ImportGroup(PdsaGroup):
        """``pdsa import FILE ...`` is ``pdsa import table FILE ...``."""

        def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
            if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
                args = ["table", *args]
            return super().parse_args(ctx, args)

    @cli.group("import", cls=ImportGroup)
    def import_group() -> None:
        """Import values from files: measurement tables, event extracts, plugin importers.

        \b
        pdsa import FILE --team T            a measurement table (CSV or .xlsx)
        pdsa import events FILE --team T     an event extract, aggregated to R1, R2, F1, F2
        pdsa import with IMPORTER FILE ...   an importer of a plugin (pdsa import importers)
        pdsa import sheets FILE              the sheets of a workbook
        pdsa import mappings --team T        the team's saved column mappings

        Every import shows a preview first and writes only after --yes or a confirmation.
        """

    @import_group.command("table")
    @click.argument("file", type=click.Path(dir_okay=False))
    @click.option("--team", "team_name", required=True, help="The team to import into.")
    @click.option("--mapping", "mapping_name", help="Use the team's saved mapping NAME.")
    @click.option("--save-mapping", metavar="NAME", help="Save the mapping used under NAME for next time.")
    @click.option("--sheet", help="Workbook sheet: its name, or its number counted from 1.")
    @click.option(
        "--header-rows", type=click.IntRange(1, 3), help="Rows forming the header (default: detected)."
    )
    @click.option(
        "--map",
        "changes",
        multiple=True,
        metavar="COLUMN=ROLE",
        help="Read COLUMN as ROLE: an indicator code (R1), CODE:numerator or CODE:denominator (also "
        ":tæller/:nævner), period, -, or for a long table indicator/value/numerator/denominator. Repeat.",
    )
    @click.option("--period-column", metavar="COLUMN", help="The column holding the month.")
    @_common
    @_pass_app
    def import_table(
        app: AppContext,
        file: str,
        team_name: str,
        mapping_name: str | None,
        save_mapping: str | None,
        sheet: str | None,
        header_rows: int | None,
        changes: tuple[str, ...],
        period_column: str | None,
        dry_run: bool,
        skip_errors: bool,
        yes: bool,
        as_json: bool,
    ) -> None:
        """Import a measurement table: a month per row, indicators in columns (or long).

        The column mapping is guessed from the headers (Måned, R1, 'V1 tæller', 'V1 nævner'
        ...), or a saved one is used, and can be adjusted with --map. Danish Excel CSV
        (semicolon, decimal comma, Windows-1252 or UTF-8) and .xlsx workbooks are read.

        \b
        pdsa import tvang.csv --team "Psykiatrien Syd" --dry-run
        pdsa import tvang.xlsx --team Syd --sheet 2022 --map "Antal personer=R1" --save-mapping maaned
        pdsa import tvang_marts.xlsx --team Syd --mapping maaned --yes
        """
        from pdsa_core.importing import service as imports

        ws = app.workspace()
        parsed = [imports.MappingChange.parse(c) for c in changes]
        if period_column:
            parsed.insert(0, imports.MappingChange(period_column, "period"))
        plan = imports.read_file(
            ws,
            team_name,
            file,
            sheet=_sheet_argument(file, sheet),
            mapping=mapping_name,
            changes=parsed,
            header_rows=header_rows,
        )
        finish(
            ws,
            plan,
            dry_run=dry_run,
            yes=yes,
            skip_errors=skip_errors,
            as_json=as_json,
            save_mapping=save_mapping,
        )

    @import_group.command("events")
    @click.argument("file", type=click.Path(dir_okay=False))
    @click.option("--team", "team_name", required=True, help="The team to import into.")
    @click.option(
        "--population",
        help="Who is counted: a population saved for the team or registered by a plugin, a .json "
        "file, or 'all' (default: the team's default population).",
    )
    @click.option(
        "--layout",
        "layout_file",
        type=click.Path(dir_okay=False),
        help="JSON file naming the extract's columns (and kinds_for).",
    )
    @click.option(
        "--save-population", metavar="NAME", help="Save the population under NAME as the team's default."
    )
    @click.option("--save-layout", is_flag=True, help="Save --layout as the team's event layout.")
    @click.option("--indicator", "indicators", multiple=True, help="Only store this indicator (repeat).")
    @click.option("--months", help="Only these months, FIRST..LAST (e.g. 2022-01..2022-12).")
    @_common
    @_pass_app
    def import_events(
        app: AppContext,
        file: str,
        team_name: str,
        population: str | None,
        layout_file: str | None,
        save_population: str | None,
        save_layout: bool,
        indicators: tuple[str, ...],
        months: str | None,
        dry_run: bool,
        skip_errors: bool,
        yes: bool,
        as_json: bool,
    ) -> None:
        """Aggregate an event extract (one row per coercion event) to monthly R1, R2, F1, F2.

        R1/F1 count unique persons per month, R2/F2 events. Person identifiers (CPR or
        pseudonyms) are used only in memory and never written or shown.

        \b
        pdsa import events udtraek.csv --team "Psykiatrien Syd" --population voksne-aalborg --dry-run
        pdsa import events udtraek.csv --team Syd --population voksne.json --save-population voksne --yes
        """
        from pdsa_core.importing import service as imports

        ws = app.workspace()
        plugins = app.plugins()
        layout = kinds_for = None
        if layout_file:
            layout, kinds_for = imports.load_layout(layout_file)
        elif save_layout:
            raise ValidationError("--save-layout saves the layout given with --layout")
        chosen = imports.resolve_population(ws, team_name, population, plugins)
        plan = imports.read_events(
            ws,
            team_name,
            file,
            population=chosen[1],
            layout=layout,
            kinds_for=kinds_for,
            period_range=imports.check_period_range(months) if months else None,
            indicators=indicators or None,
            population_name=chosen[0],
        )

        def remember(_done: Any) -> None:
            imports.save_event_settings(
                ws,
                team_name,
                population=(save_population, chosen[1]) if save_population else None,
                layout=layout if save_layout else None,
                kinds_for=kinds_for if save_layout else None,
            )
            if not as_json:
                if save_population:
                    _echo(t("imp.saved_population", name=save_population))
                if save_layout:
                    _echo(t("imp.saved_layout"))

        finish(
            ws,
            plan,
            dry_run=dry_run,
            yes=yes,
            skip_errors=skip_errors,
            as_json=as_json,
            extra={"population": chosen[0]},
            after_commit=remember,
        )

    @import_group.command("with")
    @click.argument("importer_id", metavar="IMPORTER")
    @click.argument("file", type=click.Path(dir_okay=False))
    @click.option("--team", "team_name", required=True, help="The team to import into.")
    @click.option(
        "--option",
        "-o",
        "options",
        multiple=True,
        metavar="NAME=VALUE",
        help="An option of the importer (repeat; see pdsa import importers).",
    )
    @_common
    @_pass_app
    def import_with(
        app: AppContext,
        importer_id: str,
        file: str,
        team_name: str,
        options: tuple[str, ...],
        dry_run: bool,
        skip_errors: bool,
        yes: bool,
        as_json: bool,
    ) -> None:
        """Import FILE with an importer registered by a plugin.

        \b
        pdsa import with municipal-force magt.csv --team Syd --option bosted="Bostedet Solhøj"
        """
        from pdsa_core.importing import service as imports

        ws = app.workspace()
        plan = imports.run_importer(
            ws, app.plugins(), importer_id, file, team_name, _options(options, "an option")
        )
        finish(
            ws,
            plan,
            dry_run=dry_run,
            yes=yes,
            skip_errors=skip_errors,
            as_json=as_json,
            extra={"importer": importer_id},
        )

    @import_group.command("sheets")
    @click.argument("file", type=click.Path(dir_okay=False))
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    def import_sheets(file: str, as_json: bool) -> None:
        """List the sheets of an .xlsx workbook (for --sheet)."""
        from pathlib import Path

        from pdsa_core.importing.tables import list_sheets

        refuse_special_input(file, DataImportError)  # a named pipe: never waited on
        if not Path(file).is_file():
            raise DataImportError("no such file", where=file)
        names = list_sheets(file)
        if as_json:
            print_json(names)
            return
        if not names:
            _echo(t("imp.no_sheets", file=Path(file).name))
            return
        _table(
            t("imp.sheets", file=Path(file).name),
            ["#", t("name")],
            [(n, name) for n, name in enumerate(names, start=1)],
        )

    @import_group.command("importers")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @_pass_app
    def import_importers(app: AppContext, as_json: bool) -> None:
        """List the importers (built in and from plugins) and their options."""
        importers = app.plugins().items("importers")
        lang = _lang()
        if as_json:
            print_json(
                [
                    {
                        "id": i.id,
                        "name": i.name(lang),
                        "description": i.description,
                        "plugin": i.plugin,
                        "file_patterns": list(i.file_patterns),
                        "options": [
                            {
                                "name": p.name,
                                "description": p.description,
                                "required": p.required,
                                "default": p.default,
                            }
                            for p in i.options
                        ],
                    }
                    for i in importers.values()
                ]
            )
            return
        _table(
            t("imp.importers"),
            ["id", t("name"), t("imp.files"), t("imp.options"), t("imp.plugin")],
            [
                (
                    i.id,
                    i.name(lang),
                    " ".join(i.file_patterns),
                    ", ".join(p.name + ("*" if p.required else "") for p in i.options) or "–",
                    i.plugin,
                )
                for i in importers.values()
            ],
        )

    @import_group.command("mappings")
    @click.option("--team", "team_name", required=True, help="The team (name or id).")
    @click.option("--remove", "remove_name", metavar="NAME", help="Remove the saved mapping NAME.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @_pass_app
    def import_mappings(app: AppContext, team_name: str, remove_name: str | None, as_json: bool) -> None:
        """List (or --remove) the team's saved column mappings."""
        from pdsa_core.importing import service as imports

        ws = app.workspace()
        team = ws.team(team_name)
        if remove_name:
            imports.remove_mapping(ws, team.id, remove_name)
            _echo(t("imp.removed_mapping", name=remove_name))
            return
        saved = imports.saved_mappings(ws, team.id)
        if as_json:
            print_json(saved)
            return
        if not saved:
            _echo(t("imp.no_mappings", team=team.name))
            return
        rows = []
        for name, data in saved.items():
            columns = [f"{data.get('period')}=period"]
            for item in data.get("indicators") or []:
                for part in ("value", "numerator", "denominator"):
                    if item.get(part):
                        columns.append(
                            f"{item[part]}={item['indicator']}" + ("" if part == "value" else f":{part}")
                        )
            for role in ("indicator", "value", "numerator", "denominator"):
                if data.get(f"{role}_column"):
                    columns.append(f"{data[f'{role}_column']}={role}")
            rows.append((name, data.get("sheet") or "", "; ".join(columns)))
        _table(t("imp.mappings", team=team.name), [t("name"), t("imp.sheet"), t("imp.mapping")], rows)

    _register_sources(cli)


def _named_values(tokens: Sequence[str]) -> tuple[list[str], dict[str, str]]:
    """Split ``FOLK1A --municipality 851 --age=18-64`` into positional and named values."""
    positional: list[str] = []
    named: dict[str, str] = {}
    items = list(tokens)
    index = 0
    while index < len(items):
        token = items[index]
        if token.startswith("--") and len(token) > 2:
            name, sep, value = token[2:].partition("=")
            if not sep:
                if index + 1 >= len(items) or items[index + 1].startswith("--"):
                    raise ValidationError(f"--{name} needs a value")
                index += 1
                value = items[index]
            key = name.replace("-", "_").lower()
            if key in named:
                raise ValidationError(f"--{name} is given twice")
            named[key] = value
        else:
            positional.append(token)
        index += 1
    return positional, named


def _register_sources(cli: click.Group) -> None:
    @cli.group("source")
    def source_group() -> None:
        """Data sources: values fetched from elsewhere (Danmarks Statistik, municipal systems)."""

    @source_group.command("list")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @_pass_app
    def source_list(app: AppContext, as_json: bool) -> None:
        """List the data sources and their parameters."""
        sources = app.plugins().items("data_sources")
        lang = _lang()
        if as_json:
            print_json(
                [
                    {
                        "id": s.id,
                        "name": s.name(lang),
                        "description": s.description,
                        "plugin": s.plugin,
                        "parameters": [
                            {
                                "name": p.name,
                                "description": p.description,
                                "required": p.required,
                                "default": p.default,
                            }
                            for p in s.parameters
                        ],
                    }
                    for s in sources.values()
                ]
            )
            return
        _table(
            t("src.sources"),
            ["id", t("name"), t("src.parameters"), t("imp.plugin")],
            [
                (
                    s.id,
                    s.name(lang),
                    ", ".join(
                        p.name + ("*" if p.required else f"={p.default}" if p.default else "")
                        for p in s.parameters
                    )
                    or "–",
                    s.plugin,
                )
                for s in sources.values()
            ],
        )

    @source_group.command(
        "fetch", context_settings={"ignore_unknown_options": True, "allow_extra_args": True}
    )
    @click.argument("source_id", metavar="SOURCE")
    @click.argument("values", nargs=-1, type=click.UNPROCESSED)
    @click.option("--team", "team_name", help="Store the values for this team.")
    @click.option(
        "--rate-of",
        "rate_of",
        metavar="CODE",
        help="With population figures: store CODE per 10,000 residents (needs --team).",
    )
    @click.option("--into", "into", metavar="CODE", help="The rate indicator (default CODE-rate).")
    @click.option("--dry-run", is_flag=True, help="Only show what would be stored.")
    @click.option("--yes", "-y", is_flag=True, help="Write without asking.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @_pass_app
    def source_fetch(
        app: AppContext,
        source_id: str,
        values: tuple[str, ...],
        team_name: str | None,
        rate_of: str | None,
        into: str | None,
        dry_run: bool,
        yes: bool,
        as_json: bool,
    ) -> None:
        """Fetch from a data source: VALUES fill its parameters in order, --NAME VALUE by name.

        Without --team the values are only shown.

        \b
        pdsa source fetch statbank FOLK1A --municipality 851 --age 18-64
        pdsa source fetch statbank FOLK1AM --municipality 851 --age 18- --team Syd --rate-of R1
        """
        from pdsa_core.importing import service as imports

        if rate_of and not team_name:
            raise ValidationError(t("src.rate_needs_team"))
        if into and not rate_of:
            raise ValidationError(t("src.into_needs_rate"))
        positional, named = _named_values(values)
        plugins = app.plugins()
        source = plugins.data_source(source_id)
        parameters = imports.source_parameters(source, positional, named)
        result = source.run(**parameters)
        extra = {
            "source": source.id,
            "parameters": parameters,
            "retrieved_at": result.retrieved_at,
            "url": result.url,
        }
        if not team_name:
            _show_result(source, result, as_json, extra)
            return
        ws = app.workspace()
        if rate_of:
            series = imports.population_series(result)
            plan = imports.rate_plan(ws, team_name, rate_of, series, into=into)
            if not as_json:
                _echo(
                    t(
                        "src.rate_preview",
                        count=plan.details["count"],
                        age=plan.details["age"],
                        municipality=plan.details["municipality"],
                        code=plan.details["rate"],
                    )
                )
        else:
            plan = imports.plan_from_result(ws, team_name, result, kind="source")
        if not as_json:
            _echo(_source_line(source, result))
        finish(ws, plan, dry_run=dry_run, yes=yes, skip_errors=False, as_json=as_json, extra=extra)


def _source_line(source: Any, result: Any) -> str:
    cached = t("src.cached") if (result.details or {}).get("from_cache") else ""
    line = t("src.fetched", name=result.source or source.name(_lang()), n=len(result.measurements))
    if result.retrieved_at:
        line += ", " + t("src.retrieved", when=result.retrieved_at, cached=cached)
    return line


def _show_result(source: Any, result: Any, as_json: bool, extra: dict[str, Any]) -> None:
    if as_json:
        print_json(
            {
                **extra,
                "measurements": [
                    {
                        "indicator": m.indicator,
                        "period": m.period,
                        "value": m.value,
                        "numerator": m.numerator,
                        "denominator": m.denominator,
                    }
                    for m in result.measurements
                ],
                "warnings": list(result.warnings),
                "source_label": result.source,
                "details": result.details,
            }
        )
        return
    _echo(_source_line(source, result))
    for warning in result.warnings:
        _echo(f"{t('imp.warning')}: {warning}")
    from pdsa_core.services.indicators import indicator_sort_key

    codes = sorted({m.indicator for m in result.measurements}, key=indicator_sort_key)
    cells = {
        (m.period, m.indicator): (
            f"{fmt_number(m.numerator)}/{fmt_number(m.denominator)}"
            if m.denominator is not None
            else fmt_number(m.value)
        )
        for m in result.measurements
    }
    months = sorted({m.period for m in result.measurements})
    _table(None, [t("imp.month"), *codes], [(m, *(cells.get((m, c), "") for c in codes)) for m in months])
