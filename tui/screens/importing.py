"""The import screen: every kind of file the command line imports, with one preview.

What kind of file is read is chosen with the selector at the top (``k``, or the palette):

* a **measurement table** (CSV or Excel, a month per row): the column mapping is guessed
  or a saved one used, shown, and fixed column by column (``pdsa import FILE``);
* an **event extract** from the patient records, aggregated to R1/R2/F1/F2 by the team's
  population, chosen with ``p`` among the populations the team saved and the plugins
  registered (``pdsa import events FILE --population P``); identifiers never leave memory;
* an **importer of a plugin** (the municipal force registrations, a region's importer),
  whose options are asked for in a form, required ones enforced (``pdsa import with``).

Every step is the import service's (:mod:`pdsa_core.importing.service`, which ``pdsa import`` uses
too): ``read_file``/``remap``, ``read_events`` or ``run_importer`` read the file into a
plan, ``preview`` compares it with the stored values and ``commit`` writes everything in
one all-or-nothing transaction. Reading runs in a thread worker, so a large workbook or a
million-row extract does not freeze the screen. The kind chosen, the importer's options and
the population are remembered for the team (``imports.save_import_choice``).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, DataTable, Label, Select, Static, TabbedContent, TabPane
from textual.worker import get_current_worker

from pdsa_core.domain import Unit
from pdsa_core.errors import DataImportError, PdsaError
from pdsa_core.i18n import get_language, t
from pdsa_core.importing import list_sheets
from pdsa_core.importing import service as imports
from pdsa_core.importing.summary import event_summary, months_text, share_text
from pdsa_core.literal import rich_text
from pdsa_core.redaction import redact
from tui.dialogs.common import ChoiceDialog, ConfirmDialog, Field, FormDialog
from tui.dialogs.files import FilePicker
from tui.format import fmt_value, month_ranges
from tui.keys import binding
from tui.screens.base import PdsaScreen

EXCEL = (".xlsx", ".xlsm")
#: the built-in generic table importer: the "measurement table" kind reads the same files,
#: with the mapping shown and fixed column by column, so it is not offered twice
TABLE_IMPORTER = "measurement-table"
IMPORTER_PREFIX = "importer:"
TABLES = ("#imp-mapping", "#imp-preview", "#imp-errors")
#: keys of an importer's details that have a text of their own (``tui.imp.detail.<key>``)
DETAIL_WORDS = ("rows_counted", "outside", "kinds_seen", "residences")


class ImportScreen(PdsaScreen):
    MODE = "import"
    BINDINGS = [
        binding("o", "open", "import.open"),
        binding("k", "kind", "import.kind"),
        binding("p", "settings", "import.settings"),
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
        # what kind of file is read (remembered per team)
        self.kind = "table"
        self.importer_id: str | None = None
        self.options: dict[str, dict[str, str]] = {}
        self.population: str | None = None
        self._choice_team: str | None = None
        self._read_population: tuple[str, Any] | None = None
        self._started = 0.0
        self._ticker: Timer | None = None

    # -- layout ----------------------------------------------------------------------------------------
    def compose_body(self) -> Iterable[Widget]:
        team_id = self.pdsa.team_id
        if team_id is not None and team_id != self._choice_team:
            self._read_choice(team_id)  # the selector starts on the team's kind of file
        with Vertical(id="imp-body"):
            with Horizontal(id="imp-kind-row"):
                yield Label(t("tui.imp.kind_label"), id="imp-kind-label")
                yield Select(
                    self._kind_options(),
                    value=self._kind_value(),
                    allow_blank=False,
                    id="imp-kind",
                    compact=True,
                )
                yield Button(t("tui.imp.population_btn"), id="imp-settings", compact=True)
                yield Static(id="imp-setting")
            with Horizontal(id="imp-file-row"):
                yield Button(t("tui.imp.choose"), id="imp-open", compact=True)
                yield Static(t("tui.imp.no_file"), id="imp-file")
            yield Static(id="imp-summary")
            with TabbedContent(id="imp-tabs"):
                with TabPane(t("tui.imp.tab.mapping"), id="tab-mapping"):
                    yield Static(id="imp-problems")
                    yield DataTable(id="imp-mapping", cursor_type="row", zebra_stripes=True)
                with TabPane(t("tui.imp.tab.details"), id="tab-details"):
                    with VerticalScroll(id="imp-details-box"):
                        yield Static(id="imp-details")
                with TabPane(t("tui.imp.tab.preview"), id="tab-preview"):
                    yield DataTable(id="imp-preview", cursor_type="row", zebra_stripes=True)
                with TabPane(t("tui.imp.tab.errors"), id="tab-errors"):
                    yield DataTable(id="imp-errors", cursor_type="row", zebra_stripes=True)

    def _columns(self) -> None:
        """The tables' columns, in the current language (again after a language switch)."""
        columns = {
            "#imp-mapping": ("column", "meaning", "example"),
            "#imp-preview": ("indicator", "period", "old", "new", "what"),
            "#imp-errors": ("row", "column", "reason"),
        }
        for table_id, keys in columns.items():
            table = self.query_one(table_id, DataTable)
            if not table.columns:
                for key in keys:
                    table.add_column(t(f"tui.imp.col.{key}"), key=key)

    def on_mount(self) -> None:
        self._columns()

    def refresh_data(self) -> None:
        team_id = self.pdsa.team_id
        if team_id is None:
            self.query_one("#imp-summary", Static).update(t("tui.no_team"))
            return
        self._columns()
        if team_id != self._choice_team:
            self._read_choice(team_id)
        if self.plan is not None and self.plan.team_id != team_id:
            self.plan = None  # another team: the file is read again for it
            self.action_reload()
            return
        self.show_plan()

    # -- the kind of file ------------------------------------------------------------------------------
    def _importers(self) -> dict[str, Any]:
        plugins = self.pdsa.plugins
        if plugins is None:
            return {}
        found = plugins.items("importers")
        return {key: importer for key, importer in found.items() if key != TABLE_IMPORTER}

    def _kind_options(self) -> list[tuple[str, str]]:
        """(text, value) for the selector: the two kinds pdsa reads itself, then the importers."""
        lang = get_language()
        options = [(t("tui.imp.kind.table"), "table"), (t("tui.imp.kind.events"), "events")]
        for key, importer in self._importers().items():
            options.append((importer.name(lang), IMPORTER_PREFIX + key))
        return options

    def _kind_value(self) -> str:
        if self.kind == "importer" and self.importer_id:
            return IMPORTER_PREFIX + self.importer_id
        return self.kind

    def _kind_name(self) -> str:
        if self.kind == "importer":
            importer = self._importers().get(self.importer_id or "")
            return importer.name(get_language()) if importer else str(self.importer_id)
        return t(f"tui.imp.kind.{self.kind}")

    def _read_choice(self, team_id: str) -> None:
        """The kind of file this team chose last (a team that never chose: measurement tables)."""
        self._choice_team = team_id
        choice = self.attempt(imports.import_choice, self.pdsa.ws, team_id)
        if choice is None:
            return
        kind, importer = choice["kind"], choice["importer"]
        if kind == "importer" and importer not in self._importers():
            kind = "table"  # the plugin that registered it is gone
        self.kind, self.importer_id = kind, importer
        self.options = choice["options"]
        self.population = choice["population"]

    def _show_kind(self) -> None:
        select = self.query_one("#imp-kind", Select)
        value = self._kind_value()
        if select.value != value:
            with self.prevent(Select.Changed):
                select.value = value
        button = self.query_one("#imp-settings", Button)
        setting = self.query_one("#imp-setting", Static)
        button.display = self.kind != "table"
        if self.kind == "events":
            button.label = t("tui.imp.population_btn")
            setting.update(self._population_label())
        elif self.kind == "importer":
            button.label = t("tui.imp.options_btn")
            given = self.options.get(self.importer_id or "", {})
            shown = ", ".join(f"{k}={v}" for k, v in given.items()) or t("tui.imp.options_none")
            setting.update(Text(shown, style="bold" if given else "dim"))
        else:
            setting.update("")
        tabs = self.query_one("#imp-tabs", TabbedContent)
        if self.kind == "table":
            tabs.show_tab("tab-mapping")
        else:
            if tabs.active == "tab-mapping":
                tabs.active = "tab-details"
            tabs.hide_tab("tab-mapping")

    def action_kind(self) -> None:
        options = [(value, text) for text, value in self._kind_options()]

        def chosen(value: str | None) -> None:
            if value:
                self._choose_kind(value)

        self.app.push_screen(ChoiceDialog(t("tui.imp.kind_title"), options), chosen)

    @on(Select.Changed, "#imp-kind")
    def _kind_selected(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self._choose_kind(event.value)

    def _choose_kind(self, value: str) -> None:
        """Switch to another kind of file, remember it for the team, and read the file as it."""
        team_id = self.pdsa.team_id
        if value == self._kind_value() or team_id is None:
            return
        kind, importer = "table" if value == "table" else "events", None
        if value.startswith(IMPORTER_PREFIX):
            kind, importer = "importer", value[len(IMPORTER_PREFIX) :]
            if importer not in self._importers():
                return
        if self.attempt(imports.save_import_choice, self.pdsa.ws, team_id, kind, importer=importer) is None:
            self._show_kind()
            return
        self.kind = kind
        if importer is not None:
            self.importer_id = importer
        self.plan = None
        self.pdsa.changed()  # shows the kind chosen
        if importer is not None and self._importers()[importer].options:
            self._ask_options()  # at once, prefilled with the ones given last time; reads when done
        else:
            self.action_reload()  # an extract without a population asks for one first

    def action_settings(self) -> None:
        """The population of an event extract, or the options of an importer."""
        if self.pdsa.team_id is None:
            return
        if self.kind == "events":
            self._ask_population()
        elif self.kind == "importer":
            self._ask_options()
        else:
            self.notify(t("tui.imp.no_settings"), severity="information")

    @on(Button.Pressed, "#imp-settings")
    def _settings_pressed(self) -> None:
        self.action_settings()

    # -- population (event extracts) -----------------------------------------------------------------
    def _known_populations(self) -> dict[str, dict[str, Any]]:
        found = self.attempt(imports.populations, self.pdsa.ws, self.pdsa.team_id, self.pdsa.plugins)
        return found or {}

    def _population_to_read(self) -> tuple[str, Any] | None:
        """The population chosen for the team (else its default one); None when none is."""
        ref = self.population
        team_id = self.pdsa.team_id
        if team_id is None:
            return None
        if ref is not None and ref != imports.POPULATION_ALL and ref not in self._known_populations():
            ref = None  # removed since it was chosen
        try:
            return imports.resolve_population(self.pdsa.ws, team_id, ref, self.pdsa.plugins)
        except PdsaError:
            return None

    def _population_label(self) -> Text:
        population = self._population_to_read()
        if population is None:
            return Text(t("tui.imp.population_none"), style="dim")
        if population[0] == self.population:
            return Text(population[0], style="bold")
        return Text(t("tui.imp.population_default", name=population[0]), style="bold")

    def _ask_population(self) -> None:
        options = []
        for name, info in sorted(self._known_populations().items()):
            origin = t("tui.imp.origin_team") if info["origin"] == "team" else info["origin"]
            about = f" – {info['description']}" if info["description"] else ""
            options.append((name, f"{name}{about} ({origin})"))
        options.append((imports.POPULATION_ALL, t("tui.imp.population_all")))

        def chosen(name: str | None) -> None:
            if name is None or self.pdsa.team_id is None:
                return
            saved = self.attempt(
                imports.save_import_choice, self.pdsa.ws, self.pdsa.team_id, "events", population=name
            )
            if saved is None:
                return
            self.population = name
            self.pdsa.changed()
            self._show_kind()
            self.action_reload()

        self.app.push_screen(ChoiceDialog(t("tui.imp.population_title"), options), chosen)

    # -- options (plugin importers) ------------------------------------------------------------------
    def _ask_options(self) -> None:
        importer = self._importers().get(self.importer_id or "")
        team_id = self.pdsa.team_id
        if importer is None or team_id is None:
            return
        given = self.options.get(importer.id, {})
        fields = [
            Field(
                p.name,
                f"{p.name}{' *' if p.required else ''}" + (f" – {p.description}" if p.description else ""),
                given.get(p.name, ""),
                placeholder=p.default,
            )
            for p in importer.options
        ]
        plugins, ws = self.pdsa.plugins, self.pdsa.ws

        def submit(values: dict[str, Any]) -> Any:
            checked = imports.importer_options(plugins, importer.id, values)  # refuses empty required ones
            imports.save_import_choice(ws, team_id, "importer", importer=importer.id, options=checked)
            return checked

        def done(checked: Any) -> None:
            if not isinstance(checked, dict):
                return
            self.options[importer.id] = checked
            self.pdsa.changed()
            self._show_kind()
            self.action_reload()

        intro = importer.description + ("\n" if importer.description else "") + t("tui.imp.options_intro")
        title = t("tui.imp.options_title", name=importer.name(get_language()))
        self.app.push_screen(FormDialog(title, fields, submit, intro=intro), done)

    # -- reading in a worker ---------------------------------------------------------------------------
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
        team_id = self.pdsa.team_id
        if self.path is None or team_id is None:
            return
        request: tuple[Any, ...]
        if self.kind == "events":
            population = self._population_to_read()
            if population is None:
                self.notify(t("tui.imp.population_needed"), severity="warning")
                self._ask_population()
                return
            request = ("events", population)
        elif self.kind == "importer":
            importer_id = self.importer_id or ""
            options = self.attempt(
                imports.importer_options, self.pdsa.plugins, importer_id, self.options.get(importer_id, {})
            )
            if options is None:  # a required option is empty (the message says which)
                self.plan = None
                self._ask_options()
                return
            request = ("importer", importer_id, options)
        else:
            request = ("table", self.sheet)
        self.loading = True
        self._started = time.monotonic()
        if self._ticker is not None:
            self._ticker.stop()
        self._ticker = self.set_interval(0.5, self._show_reading)
        self._show_reading()
        self.read(team_id, self.path, request)

    def _show_reading(self) -> None:
        """The file being read and for how long, while the worker reads it."""
        if not self.loading or self.path is None:
            return
        path = Path(self.path)
        try:
            size = f" ({path.stat().st_size / 1_000_000:.1f} MB)"
        except OSError:
            size = ""
        seconds = int(time.monotonic() - self._started)
        text = t("tui.imp.reading", file=path.name, size=size, kind=self._kind_name())
        if seconds:
            text += f"  {seconds} s"
        self.query_one("#imp-summary", Static).update(Text(text, style="italic"))

    @work(thread=True, exclusive=True, group="import")
    def read(self, team_id: str, path: str, request: tuple[Any, ...]) -> None:
        ws, plugins = self.pdsa.ws, self.pdsa.plugins
        plan: Any
        try:
            if request[0] == "events":
                name, population = request[1]
                plan = imports.read_events(ws, team_id, path, population=population, population_name=name)
            elif request[0] == "importer":
                plan = imports.run_importer(ws, plugins, request[1], path, team_id, request[2])
            else:
                plan = imports.read_file(ws, team_id, path, sheet=request[1])
            if not plan.problems:
                imports.preview(ws, plan)
        except PdsaError as exc:
            plan = exc
        except Exception as exc:  # noqa: BLE001 - shown as a message, never a traceback on the screen
            plan = DataImportError(
                redact(f"the file could not be read ({type(exc).__name__}: {exc})"),
                where=Path(path).name,
                da=redact(f"filen kunne ikke læses ({type(exc).__name__}: {exc})"),
            )
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._read_done, plan, request)

    def _read_done(self, plan: Any, request: tuple[Any, ...]) -> None:
        self.loading = False
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
        if isinstance(plan, PdsaError):
            self.plan = None
            self.pdsa.show_error(plan)
            self.show_plan(error=str(plan))
            return
        self.plan = plan
        self._read_population = request[1] if request[0] == "events" else None
        self.show_plan()

    # -- showing the plan ------------------------------------------------------------------------------
    def show_plan(self, *, error: str = "") -> None:
        plan = self.plan
        file_label = self.query_one("#imp-file", Static)
        summary = self.query_one("#imp-summary", Static)
        self._show_kind()
        if self.path is None:
            file_label.update(t("tui.imp.no_file"))
            summary.update(Text(self._intro(), style="dim"))
            self.query_one("#imp-details", Static).update("")
            return
        sheet = f"  [{plan.source_sheet}]" if plan is not None and plan.source_sheet else ""
        file_label.update(Text.assemble((self.path, "bold"), sheet))
        if plan is None:
            if self.loading:
                self._show_reading()
            else:
                summary.update(Text(error or t("tui.imp.not_read_yet"), style="red" if error else "italic"))
            for table_id in TABLES:
                self.query_one(table_id, DataTable).clear()
            self.query_one("#imp-details", Static).update("")
            return
        self._show_mapping(plan)
        self._show_details(plan)
        self._show_preview(plan)
        self._show_errors(plan)
        summary.update(self._summary(plan))

    def _intro(self) -> str:
        if self.kind == "events":
            return t("tui.imp.intro_events")
        if self.kind == "importer":
            importer = self._importers().get(self.importer_id or "")
            about = importer.description if importer is not None else ""
            return t("tui.imp.intro_importer", name=self._kind_name(), about=about)
        return t("tui.imp.intro")

    def _summary(self, plan: Any) -> Text:
        lang = get_language()
        text = Text()
        if plan.kind == "events" and plan.events:
            events = plan.events
            text.append(
                t(
                    "tui.imp.events_read",
                    read=events["rows_read"],
                    counted=events["rows_counted"],
                    population=events["population"]["name"],
                )
            )
            outside = sum((events.get("outside") or {}).values())
            if outside:
                text.append("  ·  " + t("tui.imp.outside_n", n=outside))
            concentration = events.get("concentration") or {}
            if concentration.get("events"):
                short = t("tui.imp.concentration_short", share=share_text(concentration["share"]))
                text.append("  ·  " + short)
        elif plan.kind == "importer":
            text.append(t("tui.imp.importer_read", name=self._kind_name(), read=plan.rows_read))
        else:
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
        for warning in self._warnings(plan):
            text.append("\n" + warning, style="yellow")
        return text

    def _warnings(self, plan: Any) -> list[str]:
        warnings = list(plan.warnings)
        importer = self._importers().get(plan.importer) if plan.kind == "importer" else None
        if importer is not None and self.path and not importer.matches(self.path):
            warnings.insert(0, t("tui.imp.pattern_mismatch", patterns=" ".join(importer.file_patterns)))
        return warnings

    def _show_details(self, plan: Any) -> None:
        """What the file held: the aggregate of an extract, an importer's details, a table's format."""
        if plan.kind == "events" and plan.events:
            text = _events_text(plan.events)
        elif plan.kind == "importer":
            text = self._importer_text(plan)
        else:
            text = _table_text(plan)
        self.query_one("#imp-details", Static).update(text)

    def _importer_text(self, plan: Any) -> Text:
        text = Text()
        text.append(self._kind_name() + "\n", style="bold")
        importer = self._importers().get(plan.importer)
        if importer is not None and importer.description:
            text.append(importer.description + "\n", style="dim")
        options = self.options.get(plan.importer, {})
        if options:
            text.append(t("tui.imp.options_used", options=", ".join(f"{k}={v}" for k, v in options.items())))
            text.append("\n")
        text.append(t("tui.imp.rows_read", read=plan.rows_read, skipped=plan.error_count) + "\n")
        if plan.source and plan.source != plan.kind:
            text.append(t("tui.imp.source", source=plan.source) + "\n")
        details = plan.details if isinstance(plan.details, dict) else {}
        for key, value in details.items():
            if key == "by_residence" and isinstance(value, dict) and value:
                text.append_text(_by_residence(value))
            elif key == "months" and isinstance(value, list) and value:
                text.append(t("imports.summary.months", months=months_text(value), n=len(value)) + "\n")
            elif value in (None, "", [], {}) or isinstance(value, bool):
                continue
            else:  # what a plugin's importer reports: its own keys, named in words where pdsa knows them
                label = t(f"tui.imp.detail.{key}") if key in DETAIL_WORDS else key
                if isinstance(value, dict):
                    shown = ", ".join(f"{k} {v}" for k, v in value.items())
                elif isinstance(value, list):
                    shown = ", ".join(str(v) for v in value)
                else:
                    shown = str(value)
                text.append(f"{label}: {shown}\n")
        return text

    def _show_mapping(self, plan: Any) -> None:
        table = self.query_one("#imp-mapping", DataTable)
        row = table.cursor_row
        table.clear()
        problems = self.query_one("#imp-problems", Static)
        if plan.table is None:
            problems.display = False
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
            table.add_row(rich_text(shown), label, rich_text(examples.get(header, "")), key=header)
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
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
            old_value, old_numerator, old_denominator = change.old
            table.add_row(
                change.indicator,
                change.period,
                shown(old_value, old_numerator, old_denominator, change.indicator),
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
            table.add_row(str(error.row or ""), rich_text(error.column or ""), rich_text(reason))
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
        if self.kind != "table":
            self.notify(t("tui.imp.no_columns"), severity="information")
            return
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
        if self.kind != "table" or self.path is None or Path(self.path).suffix.lower() not in EXCEL:
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
        if plan.preview is not None and not plan.preview.has_changes and not plan.annotations:
            self.notify(t("tui.imp.nothing_new"))
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
        intro = t("tui.imp.confirm", **counts) if counts else ""
        if plan.mapping is None:  # an extract or an importer: nothing to save but the values
            if skip_errors:  # the question about the errors was the confirmation
                self._done(self.attempt(imports.commit, ws, plan, skip_errors=True))
                return

            def confirmed(yes: Any) -> None:
                if yes:
                    self._done(self.attempt(imports.commit, ws, plan))

            self.app.push_screen(ConfirmDialog(intro, yes=t("tui.imp.commit_yes")), confirmed)
            return
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

        self.app.push_screen(FormDialog(t("tui.imp.commit_title"), fields, submit, intro=intro), self._done)

    def _done(self, result: Any) -> None:
        if not isinstance(result, imports.CommitResult):
            return
        plan = self.plan
        self.notify(t("tui.imp.done", added=result.added, changed=result.changed, unchanged=result.unchanged))
        if result.skipped_count:
            self.notify(t("tui.imp.skipped", n=result.skipped_count))
        if result.annotations:
            self.notify(t("tui.imp.annotations_added", n=len(result.annotations)))
        if result.mapping_saved:
            self.notify(t("tui.imp.mapping_saved", name=result.mapping_saved))
        population = self._read_population if plan is not None and plan.kind == "events" else None
        if population is not None and population[0] != imports.POPULATION_ALL:
            # the team's default population from now on, as 'pdsa import events --save-population' does
            try:
                imports.save_event_settings(self.pdsa.ws, plan.team_id, population=population)
            except PdsaError as exc:
                self.pdsa.show_error(exc)
            else:
                self.notify(t("tui.imp.population_saved", name=population[0]))
        self.plan = None
        self.pdsa.changed()
        self.action_reload()


# -- texts of the "about the file" tab ----------------------------------------------------------------------
def _events_text(events: dict[str, Any]) -> Text:
    """The aggregate of an event extract, in the lines ``pdsa import events`` prints."""
    text = Text()
    for line in event_summary(events, get_language()):
        if line.kind == "item":
            text.append("  " + line.text + "\n")
        else:
            text.append(line.text + "\n", style="bold" if line.kind in ("title", "heading") else "")
    return text


def _by_residence(by_residence: dict[str, Any]) -> Text:
    """Persons/uses of force per month and bosted (a municipal export)."""
    names = list(by_residence)
    months = sorted({m for data in by_residence.values() for m in (data.get("uses") or {})})
    text = Text()
    text.append(t("tui.imp.by_residence") + "\n", style="bold")
    width = max([len(n) for n in names] + [9])
    text.append(" " * 9 + "".join(f"{n:>{width + 2}}" for n in names) + "\n", style="dim")
    for month in months:
        cells = [
            f"{by_residence[n]['persons'].get(month, 0)}/{by_residence[n]['uses'].get(month, 0)}"
            for n in names
        ]
        text.append(f"{month:<9}" + "".join(cell.rjust(width + 2) for cell in cells) + "\n")
    return text


def _table_text(plan: Any) -> Text:
    """How a measurement table was read: sheet, encoding, separator, decimal mark, header rows."""
    info = plan.table_info()
    text = Text()
    if not info:
        return text
    text.append(info["file"] + (f"  [{info['sheet']}]" if info["sheet"] else "") + "\n", style="bold")
    text.append(t("tui.imp.rows_n", n=info["rows"]) + "\n")
    if info["encoding"]:
        text.append(
            t(
                "tui.imp.encoding",
                encoding=info["encoding"],
                separator=repr(info["separator"]),
                decimal=repr(info["decimal"]),
            )
            + "\n"
        )
    others = [name for name in info["sheets"] if name != info["sheet"]]
    if others:
        text.append(t("tui.imp.other_sheets", sheets=", ".join(others)) + "\n")
    unmapped = plan.unmapped if plan.mapping is not None else []
    if unmapped:
        text.append(t("tui.imp.unmapped", columns=", ".join(unmapped)) + "\n", style="dim")
    return text
