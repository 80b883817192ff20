"""The import screen: choose a file, see how its columns are read, fix that, see the preview
and the row errors, and import.

Every step is the import service's (:mod:`pdsa_core.imports`, which ``pdsa import`` uses
too): ``read_file`` reads the table and guesses (or reuses a saved) column mapping,
``remap`` applies a change of one column, ``preview`` compares with the stored values and
``commit`` writes everything in one all-or-nothing transaction. Reading runs in a thread
worker, so a large workbook does not freeze the screen.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, DataTable, Static, TabbedContent, TabPane
from textual.worker import get_current_worker

from pdsa_core import imports
from pdsa_core.domain import Unit
from pdsa_core.errors import PdsaError
from pdsa_core.i18n import get_language, t
from pdsa_core.importing import list_sheets
from pdsa_core.importing.identifiers import redact
from tui.dialogs.common import ChoiceDialog, ConfirmDialog, Field, FormDialog
from tui.dialogs.files import FilePicker
from tui.format import fmt_value, month_ranges
from tui.keys import binding
from tui.screens.base import PdsaScreen

EXCEL = (".xlsx", ".xlsm")


class ImportScreen(PdsaScreen):
    MODE = "import"
    BINDINGS = [
        binding("o", "open", "import.open"),
        binding("m", "remap", "import.remap"),
        binding("s", "sheet", "import.sheet", show=False),
        binding("i", "commit", "import.commit"),
        binding("ctrl+r", "reload", "import.reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.path: str | None = None
        self.sheet: str | int | None = None
        self.plan: Any = None
        self.loading = False

    def compose_body(self) -> Iterable[Widget]:
        with Vertical(id="imp-body"):
            with Horizontal(id="imp-file-row"):
                yield Button(t("tui.imp.choose"), id="imp-open", compact=True)
                yield Static(t("tui.imp.no_file"), id="imp-file")
            yield Static(id="imp-summary")
            with TabbedContent(id="imp-tabs"):
                with TabPane(t("tui.imp.tab.mapping"), id="tab-mapping"):
                    yield Static(id="imp-problems")
                    yield DataTable(id="imp-mapping", cursor_type="row", zebra_stripes=True)
                with TabPane(t("tui.imp.tab.preview"), id="tab-preview"):
                    yield DataTable(id="imp-preview", cursor_type="row", zebra_stripes=True)
                with TabPane(t("tui.imp.tab.errors"), id="tab-errors"):
                    yield DataTable(id="imp-errors", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        mapping = self.query_one("#imp-mapping", DataTable)
        mapping.add_column(t("tui.imp.col.column"), key="column")
        mapping.add_column(t("tui.imp.col.meaning"), key="meaning")
        mapping.add_column(t("tui.imp.col.example"), key="example")
        preview = self.query_one("#imp-preview", DataTable)
        for key in ("indicator", "period", "old", "new", "what"):
            preview.add_column(t(f"tui.imp.col.{key}"), key=key)
        errors = self.query_one("#imp-errors", DataTable)
        for key in ("row", "column", "reason"):
            errors.add_column(t(f"tui.imp.col.{key}"), key=key)
        super().on_mount()

    def refresh_data(self) -> None:
        if self.pdsa.team_id is None:
            self.query_one("#imp-summary", Static).update(t("tui.no_team"))
            return
        if self.plan is not None and self.plan.team_id != self.pdsa.team_id:
            self.plan = None  # another team: the file is read again for it
            self.action_reload()
            return
        self.show_plan()

    # -- reading in a worker ------------------------------------------------------------------------
    def action_open(self) -> None:
        start = Path(self.path).parent if self.path else Path.cwd()

        def chosen(path: str | None) -> None:
            if path:
                self.path, self.sheet = path, None
                self.action_reload()

        self.app.push_screen(FilePicker(start), chosen)

    @on(Button.Pressed, "#imp-open")
    def _open_pressed(self) -> None:
        self.action_open()

    def action_reload(self) -> None:
        if self.path is None or self.pdsa.team_id is None:
            return
        self.loading = True
        self.query_one("#imp-summary", Static).update(Text(t("tui.loading"), style="italic"))
        self.read(self.pdsa.team_id, self.path, self.sheet)

    @work(thread=True, exclusive=True, group="import")
    def read(self, team_id: str, path: str, sheet: str | int | None) -> None:
        try:
            plan: Any = imports.read_file(self.pdsa.ws, team_id, path, sheet=sheet)
            if not plan.problems:
                imports.preview(self.pdsa.ws, plan)
        except PdsaError as exc:
            plan = exc
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._read_done, plan)

    def _read_done(self, plan: Any) -> None:
        self.loading = False
        if isinstance(plan, PdsaError):
            self.plan = None
            self.pdsa.show_error(plan)
            self.show_plan(error=str(plan))
            return
        self.plan = plan
        self.show_plan()

    # -- showing the plan ------------------------------------------------------------------------------
    def show_plan(self, *, error: str = "") -> None:
        plan = self.plan
        file_label = self.query_one("#imp-file", Static)
        summary = self.query_one("#imp-summary", Static)
        if self.path is None:
            file_label.update(t("tui.imp.no_file"))
            summary.update(Text(t("tui.imp.intro"), style="dim"))
            return
        sheet = f"  [{plan.source_sheet}]" if plan is not None and plan.source_sheet else ""
        file_label.update(Text.assemble((self.path, "bold"), sheet))
        if plan is None:
            summary.update(Text(error or t("tui.loading"), style="red" if error else "italic"))
            for table_id in ("#imp-mapping", "#imp-preview", "#imp-errors"):
                self.query_one(table_id, DataTable).clear()
            return
        self._show_mapping(plan)
        self._show_preview(plan)
        self._show_errors(plan)
        summary.update(self._summary(plan))

    def _summary(self, plan: Any) -> Text:
        lang = get_language()
        text = Text()
        info = plan.table_info() or {}
        text.append(t("tui.imp.read", rows=info.get("rows", 0), team=plan.team_name))
        origin = plan.mapping_origin or "guessed"
        text.append("  ·  " + t(f"tui.imp.origin.{origin}", name=plan.mapping_name or ""))
        if plan.problems:
            text.append("\n" + "; ".join(da if lang == "da" else en for da, en in plan.problems), style="red")
        elif plan.preview is not None:
            counts = plan.preview.counts()
            text.append("\n")
            text.append(t("tui.imp.counts", **counts), style="bold")
            if plan.error_count:
                text.append("  ·  " + t("tui.imp.error_count", n=plan.error_count), style="bold red")
        for warning in plan.warnings:
            text.append("\n" + warning, style="yellow")
        return text

    def _show_mapping(self, plan: Any) -> None:
        table = self.query_one("#imp-mapping", DataTable)
        row = table.cursor_row
        table.clear()
        if plan.table is None:
            return
        # an incomplete guess is not used, but shown, so the user can complete it
        shown_plan = plan
        if plan.mapping is None and plan.guess is not None and plan.guess.mapping is not None:
            shown_plan = dataclasses.replace(plan, mapping=plan.guess.mapping)
        examples = self._examples(plan)
        for header, (shown, meaning) in zip(plan.table.headers, shown_plan.mapping_lines(), strict=True):
            label = (
                self._meaning_text(meaning) if meaning else Text(t("tui.imp.not_read"), style="dim italic")
            )
            table.add_row(shown, label, examples.get(header, ""), key=header)
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        problems = self.query_one("#imp-problems", Static)
        if plan.problems:
            lang = get_language()
            problems.update(
                Text(
                    t("tui.imp.fix_hint")
                    + "\n"
                    + "; ".join(da if lang == "da" else en for da, en in plan.problems),
                    style="yellow",
                )
            )
            problems.display = True
        else:
            problems.display = False

    def _meaning_text(self, meaning: str) -> Text:
        code, _, part = meaning.partition(":")
        if meaning in ("period", "indicator", "value", "numerator", "denominator"):
            return Text(t(f"tui.imp.role.{meaning}"), style="bold")
        suffix = f" ({t('numerator' if part == 'numerator' else 'denominator')})" if part else ""
        return Text.assemble((code, "bold cyan"), suffix)

    @staticmethod
    def _examples(plan: Any) -> dict[str, str]:
        """The first non-empty cell of each column, to recognise it by (a CPR number is masked)."""
        table = plan.table
        found: dict[str, str] = {}
        for position, header in enumerate(table.headers if table is not None else []):
            for row in table.rows[:20]:
                cell = row[position] if position < len(row) else None
                if cell not in (None, ""):
                    found[header] = redact(str(cell))[:30]
                    break
        return found

    def _show_preview(self, plan: Any) -> None:
        table = self.query_one("#imp-preview", DataTable)
        table.clear()
        preview = plan.preview
        if preview is None:
            return
        units = {i.code: i.unit.value for i in self.pdsa.ws.indicators(plan.team_id)}

        def shown(value: Any, numerator: Any, denominator: Any, code: str) -> str:
            if numerator is not None and denominator is not None:
                return f"{fmt_value(numerator, 'count')}/{fmt_value(denominator, 'count')}"
            return fmt_value(value, units.get(code, Unit.COUNT.value))

        for row in preview.added:
            table.add_row(
                row.indicator,
                row.period,
                "",
                shown(row.value, row.numerator, row.denominator, row.indicator),
                Text(t("tui.imp.added"), style="green"),
            )
        for change in preview.changed:
            new = change.new
            table.add_row(
                change.indicator,
                change.period,
                shown(*change.old, change.indicator),
                shown(new.value, new.numerator, new.denominator, change.indicator),
                Text(t("tui.imp.changed"), style="bold yellow"),
            )
        if preview.unchanged:
            table.add_row(
                "", "", "", "", Text(t("tui.imp.unchanged_n", n=len(preview.unchanged)), style="dim")
            )
        for code, months in preview.missing.items():
            table.add_row(
                code, month_ranges(months), "", "", Text(t("tui.imp.missing"), style="italic yellow")
            )

    def _show_errors(self, plan: Any) -> None:
        table = self.query_one("#imp-errors", DataTable)
        table.clear()
        lang = get_language()
        for error in plan.errors:
            reason = error.reason_da if lang == "da" else error.reason_en
            table.add_row(str(error.row or ""), error.column or "", reason)
        if plan.error_count > len(plan.errors):
            table.add_row("", "", t("tui.imp.more_errors", n=plan.error_count - len(plan.errors)))
        tabs = self.query_one("#imp-tabs", TabbedContent)
        tab = tabs.get_tab("tab-errors")
        tab.label = t("tui.imp.tab.errors") + (f" ({plan.error_count})" if plan.error_count else "")

    # -- fixing the mapping ----------------------------------------------------------------------------
    def _roles(self) -> list[tuple[str, str]]:
        """(role written as COLUMN=ROLE would write it, text) for every meaning a column can get."""
        team_id = self.pdsa.team_id
        options: list[tuple[str, str]] = [("period", t("tui.imp.role.period"))]
        for indicator in self.pdsa.ws.indicators(team_id) if team_id else []:
            name = f"{indicator.code}  {indicator.name(self.pdsa.language)}"
            if indicator.unit is Unit.PROPORTION:
                options.append((f"{indicator.code}:numerator", f"{name} ({t('numerator')})"))
                options.append((f"{indicator.code}:denominator", f"{name} ({t('denominator')})"))
            else:
                options.append((indicator.code, name))
        for role in ("indicator", "value", "numerator", "denominator"):
            options.append((role, t("tui.imp.role.long", role=t(f"tui.imp.role.{role}"))))
        options.append(("-", t("tui.imp.role.ignore")))
        return options

    def action_remap(self) -> None:
        plan = self.plan
        table = self.query_one("#imp-mapping", DataTable)
        if plan is None or plan.table is None or not table.row_count:
            return
        column = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        shown = str(table.get_row_at(table.cursor_row)[0])

        def chosen(role: str | None) -> None:
            if role is None:
                return
            try:
                change = imports.MappingChange.parse(f"{column}={role}")
            except PdsaError as exc:
                self.pdsa.show_error(exc)
                return
            self._apply_change(change)

        self.tabs_to("tab-mapping")
        self.app.push_screen(ChoiceDialog(t("tui.imp.remap_title", column=shown), self._roles()), chosen)

    def _apply_change(self, change: Any) -> None:
        plan = self.plan
        new = self.attempt(imports.remap, self.pdsa.ws, plan, changes=[change])
        if new is None:
            return
        if not new.problems:
            self.attempt(imports.preview, self.pdsa.ws, new)
        self.plan = new
        self.show_plan()

    @on(DataTable.RowSelected, "#imp-mapping")
    def _mapping_selected(self) -> None:
        self.action_remap()

    def action_sheet(self) -> None:
        if self.path is None or Path(self.path).suffix.lower() not in EXCEL:
            return
        sheets = self.attempt(list_sheets, self.path)
        if not sheets:
            return

        def chosen(sheet: str | None) -> None:
            if sheet is not None:
                self.sheet = sheet
                self.action_reload()

        self.app.push_screen(ChoiceDialog(t("tui.imp.sheet_title"), [(s, s) for s in sheets]), chosen)

    def tabs_to(self, pane: str) -> None:
        self.query_one("#imp-tabs", TabbedContent).active = pane

    # -- importing ----------------------------------------------------------------------------------------
    def action_commit(self) -> None:
        plan = self.plan
        if plan is None or self.loading:
            return
        if plan.problems:
            self.notify(t("tui.imp.fix_first"), severity="warning")
            self.tabs_to("tab-mapping")
            return
        if plan.error_count:
            self.tabs_to("tab-errors")

            def skip(yes: Any) -> None:
                if yes:
                    self._ask_and_commit(skip_errors=True)

            question = t("tui.imp.skip_q", n=plan.error_count, rows=len(plan.rows))
            self.app.push_screen(ConfirmDialog(question, yes=t("tui.imp.skip_yes")), skip)
            return
        self._ask_and_commit(skip_errors=False)

    def _ask_and_commit(self, *, skip_errors: bool) -> None:
        plan = self.plan
        ws = self.pdsa.ws
        counts = plan.preview.counts() if plan.preview else {}
        fields = [
            Field(
                "save_as",
                t("tui.imp.save_as"),
                plan.mapping_name or "",
                placeholder=t("tui.imp.save_as_hint"),
            )
        ]

        def submit(values: dict[str, Any]) -> Any:
            name = values["save_as"].strip() or None
            return imports.commit(ws, plan, skip_errors=skip_errors, save_mapping_as=name)

        def done(result: Any) -> None:
            if not result or result is True:
                return
            self.notify(
                t("tui.imp.done", added=result.added, changed=result.changed, unchanged=result.unchanged)
            )
            if result.mapping_saved:
                self.notify(t("tui.imp.mapping_saved", name=result.mapping_saved))
            self.plan = None
            self.pdsa.changed()
            self.action_reload()

        intro = t("tui.imp.confirm", **counts) if counts else ""
        self.app.push_screen(FormDialog(t("tui.imp.commit_title"), fields, submit, intro=intro), done)
