"""The indicator view: the run or control chart, its verdict in words, and the monthly values.

The chart comes from :func:`pdsa_core.analysis.analyze_indicator` (in a thread worker, so
the screen never waits for it); chart type, rule set, baseline and phase splits can be
switched from the keyboard. Values are entered and corrected in the grid with
``ws.add_measurement`` (a changed value keeps the old one as a revision); months without a
value are listed as missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual import events, on, work
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import DataTable, OptionList
from textual.widgets.data_table import RowKey
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from pdsa_core.analysis import analyze_indicator
from pdsa_core.domain import Indicator, Unit
from pdsa_core.domain.annotation import AnnotationKind
from pdsa_core.errors import PdsaError, ValidationError
from pdsa_core.i18n import get_language, t
from pdsa_core.importing import ImportProblem, parse_number, read_period
from pdsa_core.literal import rich_text
from pdsa_core.services.indicators import last_complete_month
from pdsa_core.spc import BUILTIN_RULE_SETS, CHART_TYPES
from tui.dialogs.common import ChoiceDialog, ConfirmDialog, Field, FormDialog
from tui.format import fmt_value, local_name, month_ranges, source_text
from tui.keys import binding
from tui.screens.base import PdsaScreen
from tui.widgets.chart import ChartView
from tui.widgets.textbox import TextBox

#: below this width the list of indicators is hidden ([ and ] still switch)
NARROW = 110
#: below this height the value grid and the reading under the chart get fewer lines
SHORT = 30
#: from this height they get more
TALL = 50
#: a series up to this many months is analysed at once; a longer one in a thread worker
INLINE_POINTS = 600


def chart_name(chart: str) -> str:
    key = f"tui.chart.type.{chart}"
    text = t(key)
    return text if text != key else CHART_TYPES.get(chart, chart)


def user_number(text: str, field: str) -> float | None:
    """A number as a Danish or English user types it ("3", "2,5", "2.5"); empty is None."""
    if not text.strip():
        return None
    try:
        return parse_number(text.strip(), decimal=",")
    except ImportProblem as exc:
        reason = exc.reason_da if get_language() == "da" else exc.reason_en
        raise ValidationError(reason, where=field) from None


def user_period(text: str) -> str:
    try:
        return read_period(text.strip())
    except ImportProblem as exc:
        reason = exc.reason_da if get_language() == "da" else exc.reason_en
        raise ValidationError(reason, where=t("period")) from None


class ValueGrid(DataTable[Any]):
    """The months of one indicator. Enter (or ``e``) edits the month under the cursor; digits
    are navigation keys here (``5`` shows the import screen) and never start an edit."""

    def show_rows(self, rows: list[tuple[str, list[Text]]]) -> None:
        """Show ``(key, cells)`` rows; when the keys are the ones shown, only changed cells change.

        Indicators of a team usually cover the same months, so moving to the next indicator
        rewrites a few cells in place instead of rebuilding (and re-measuring) every row:
        the columns have fixed widths, so nothing needs measuring.
        """
        keys = [key for key, _ in rows]
        if keys != [row_key.value for row_key in self.rows]:
            self.clear()
            for key, cells in rows:
                self.add_row(*cells, key=key)
            return
        columns = list(self.columns)
        data = getattr(self, "_data", None)
        if not isinstance(data, dict) or not isinstance(getattr(self, "_update_count", None), int):
            for key, cells in rows:  # Textual changed its internals: the public way, cell by cell
                for column, old, cell in zip(columns, self.get_row(key), cells, strict=True):
                    if old != cell:
                        self.update_cell(key, column, cell, update_width=False)
            return
        # DataTable.update_cell, once for all cells: each call would repaint the whole table
        # (a national series changes ~200 cells per indicator, 17 ms of a key press)
        changed = False
        for key, cells in rows:
            shown = data[RowKey(key)]
            for column, cell in zip(columns, cells, strict=True):
                if shown[column] != cell:
                    shown[column] = cell
                    changed = True
        if changed:
            self._update_count += 1
            self.refresh()


class IndicatorPicker(OptionList):
    """The list of indicators beside the chart. Moving the highlight (``]``, a click) repaints
    the two options concerned; Textual's OptionList repaints every option shown (~7 ms of a
    key press with 30 indicators)."""

    highlighted: reactive[int | None] = reactive(None, repaint=False)

    def _watch_highlighted(self, old: int | None, new: int | None) -> None:
        """Before OptionList's own watcher, which scrolls to the option (a scroll repaints all)."""
        lines, heights = getattr(self, "_index_to_line", None), getattr(self, "_heights", None)
        if not isinstance(lines, dict) or not isinstance(heights, dict):  # Textual changed inside
            self.refresh()
            return
        for index in (old, new):
            if index is None:
                continue
            if index in lines and index in heights:
                self.refresh_lines(lines[index], heights[index])
            else:
                self.refresh()


class IndicatorScreen(PdsaScreen):
    MODE = "indicator"
    BINDINGS = [
        binding("c", "chart_type", "indicator.chart"),
        binding("r", "rule_set", "indicator.rules"),
        binding("b", "baseline", "indicator.baseline"),
        binding("v", "toggle_baseline", "indicator.use_baseline", show=False),
        binding("s", "split", "indicator.split"),
        binding("p", "toggle_phases", "indicator.phases", show=False),
        binding("n", "annotate", "indicator.annotate", show=False),
        binding("x", "remove_annotation", "indicator.remove_annotation", show=False),
        binding("w", "save_view", "indicator.save_view", show=False),
        binding("a", "add_value", "indicator.add_value"),
        binding("e", "edit_value", "indicator.edit_value", show=False),
        binding("delete", "remove_value", "indicator.remove_value", show=False),
        binding("right_square_bracket,pagedown", "step(1)", "indicator.next"),
        binding("left_square_bracket,pageup", "step(-1)", "indicator.prev", show=False),
        binding("f", "full_chart", "indicator.full", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.indicator: Indicator | None = None
        self.chart: str | None = None
        self.rules: str | None = None
        self.use_baseline = True
        self.phases = True
        self.analysis: Any = None
        self.analysed_version = -1
        self.months: list[tuple[str, Any]] = []
        self._token = 0
        self._listed: list[tuple[str, str]] = []
        self.shown_token = 0
        """The analysis whose chart is shown (equal to ``_token`` once the latest one is drawn)."""

    def compose_body(self) -> Iterable[Widget]:
        with Horizontal(id="ind-screen"):
            picker = IndicatorPicker(id="ind-picker", classes="panel")
            picker.border_title = t("indicators")
            yield picker
            with Vertical(id="ind-main"):
                yield TextBox(id="chart-title")
                yield ChartView(id="chart-view", chart_id="chart", notes_id="verdict")
                grid = ValueGrid(id="grid", cursor_type="row", zebra_stripes=True)
                grid.border_title = t("tui.ind.values")
                yield grid

    def on_mount(self) -> None:
        self._layout_for(self.app.size.width, self.app.size.height)

    def on_resize(self, event: events.Resize) -> None:
        self._layout_for(event.size.width, event.size.height)

    def _layout_for(self, width: int, height: int) -> None:
        """Narrow: no list of indicators; short (80x24): fewer value rows and reading lines,
        so the chart keeps its height; tall (200x60): more of both."""
        self.set_class(width < NARROW, "-narrow")
        self.set_class(height < SHORT, "-short")
        self.set_class(height >= TALL, "-tall")

    async def on_screen_resume(self) -> None:
        """Shown for another indicator (opened from the dashboard or a meeting): show that one."""
        wanted = self.pdsa.indicator_code
        if wanted and self.indicator is not None and wanted != self.indicator.code:
            self.sync()

    def _grid_columns(self) -> None:
        """Month, value, numerator and denominator (of a proportion), note, source.

        The columns stay the same for every indicator, so switching indicators only
        replaces rows and the screen is not laid out again. Together they fit the grid
        beside the list of indicators at 120 columns without a sideways scroll bar.
        """
        grid = self.query_one("#grid", ValueGrid)
        grid.clear(columns=True)
        grid.add_column(t("period"), key="period", width=8)
        grid.add_column(t("value"), key="value", width=8)
        grid.add_column(t("numerator"), key="numerator", width=9)
        grid.add_column(t("denominator"), key="denominator", width=9)
        grid.add_column(t("note"), key="note", width=16)
        grid.add_column(t("source"), key="source", width=22)

    # -- data -----------------------------------------------------------------------------------
    def refresh_data(self) -> None:
        ws = self.pdsa.ws
        team_id = self.pdsa.team_id
        indicators = ws.indicators(team_id) if team_id else []
        picker = self.query_one("#ind-picker", OptionList)
        listed = [(i.code, f"{i.code} {i.name(self.pdsa.language)}") for i in indicators]
        if listed != self._listed:  # rebuilding the list on every key press would cost a repaint
            self._listed = listed
            picker.set_options(Option(rich_text(text), id=code) for code, text in listed)
        if not indicators or not team_id:  # (no team: no indicators either)
            self.indicator = None
            self.query_one("#chart-title", TextBox).update(t("tui.ind.none") if team_id else t("tui.no_team"))
            self.query_one(ChartView).show_message(t("tui.ind.none_short"))
            self.query_one("#grid", ValueGrid).clear()
            return
        codes = [i.code for i in indicators]
        code = self.pdsa.indicator_code if self.pdsa.indicator_code in codes else codes[0]
        if self.indicator is None or self.indicator.code != code or self.indicator.team_id != team_id:
            self.chart = self.rules = None
            self.use_baseline = self.phases = True
        self.pdsa.indicator_code = code
        self.indicator = ws.indicator(team_id, code)
        picker.highlighted = codes.index(code)
        self._fill_grid()
        self._show_title()
        self.analyse()

    def _fill_grid(self) -> None:
        assert self.indicator is not None
        ws = self.pdsa.ws
        indicator = self.indicator
        measured = {m.period: m for m in ws.measurements(indicator.team_id, indicator.code)}
        until = (
            max([last_complete_month(self.pdsa.ws.today()), *measured])
            if measured
            else last_complete_month(self.pdsa.ws.today())
        )
        missing = (
            set(ws.missing_months(indicator.team_id, indicator.code, until=until)) if measured else set()
        )
        periods = sorted(set(measured) | missing, reverse=True)
        grid = self.query_one("#grid", ValueGrid)
        row = grid.cursor_row
        self.months = []
        is_proportion = indicator.unit is Unit.PROPORTION
        if not grid.columns:
            self._grid_columns()
        blank = Text("")
        missing_text = Text(t("tui.ind.missing"), style="italic yellow")
        rows: list[tuple[str, list[Text]]] = []
        for period in periods:
            m = measured.get(period)
            self.months.append((period, m))
            if m is None:
                rows.append((period, [Text(period), missing_text] + [blank] * (len(grid.columns) - 2)))
                continue
            revised = f" ({t('tui.ind.revisions', n=len(m.revisions))})" if m.revisions else ""
            cells = [Text(period), Text(fmt_value(m.value, indicator.unit.value))]
            if is_proportion:
                cells += [Text(fmt_value(m.numerator, "count")), Text(fmt_value(m.denominator, "count"))]
            else:
                cells += [blank, blank]
            cells += [Text(m.note), Text(f"{source_text(m.source, m.source_file)}{revised}")]
            rows.append((period, cells))
        grid.show_rows(rows)
        if grid.row_count:
            grid.move_cursor(row=min(row, grid.row_count - 1))
        grid.border_subtitle = (
            t("tui.ind.missing_summary", n=len(missing), months=month_ranges(sorted(missing)))
            if missing
            else ""
        )

    def _rule_set(self) -> Any:
        """The chosen rule set as an object (a plugin's rule set works as well as a built-in one)."""
        if self.indicator is None:
            return None
        wanted = self.rules or self.indicator.rules or "anhoej"
        plugins = self.pdsa.plugins
        if plugins is not None and wanted in plugins.items("rule_sets"):
            return plugins.rule_set(wanted)
        return BUILTIN_RULE_SETS.get(wanted, wanted)

    def _show_title(self) -> None:
        indicator = self.indicator
        if indicator is None:
            return
        rule_set = self._rule_set()
        rules_name = rule_set.title(self.pdsa.language) if hasattr(rule_set, "title") else str(rule_set)
        parts: list[str | tuple[str, str] | Text] = [
            (f"{indicator.code} ", "bold"),
            rich_text(indicator.name(self.pdsa.language), "bold"),
            f"  ·  {chart_name(self.chart or indicator.chart_type)}",
            f"  ·  {rules_name}",
        ]
        if indicator.baseline_start:
            base = f"{indicator.baseline_start}..{indicator.baseline_end}"
            if not self.use_baseline:
                base = t("tui.ind.baseline_off", baseline=base)
            parts.append(f"  ·  {t('baseline')} {base}")
        if not self.phases:
            parts.append(f"  ·  {t('tui.ind.phases_off')}")
        self.query_one("#chart-title", TextBox).update(Text.assemble(*parts))

    # -- analysis in a worker -----------------------------------------------------------------------
    def options(self) -> dict[str, Any]:
        return {
            "chart": self.chart,
            "rules": self._rule_set(),
            "use_baseline": self.use_baseline,
            "split_at_annotations": self.phases,
        }

    def analyse(self) -> None:
        """Analyse the indicator: at once for a usual monthly series (a few milliseconds, and the
        chart is painted together with the rest of the screen), in a thread for a long one."""
        if self.indicator is None:
            return
        self._token += 1
        indicator = self.indicator
        if len(self.months) <= INLINE_POINTS:
            try:
                outcome: Any = analyze_indicator(
                    self.pdsa.ws, indicator.team_id, indicator.code, **self.options()
                )
            except PdsaError as exc:
                outcome = exc
            self.show_analysis(self._token, outcome)
            return
        self.run_analysis(indicator.team_id, indicator.code, self.options(), self._token)

    @work(thread=True, exclusive=True, group="analysis")
    def run_analysis(self, team_id: str, code: str, options: dict[str, Any], token: int) -> None:
        try:
            outcome: Any = analyze_indicator(self.pdsa.ws, team_id, code, **options)
        except PdsaError as exc:
            outcome = exc
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show_analysis, token, outcome)

    def show_analysis(self, token: int, outcome: Any) -> None:
        if token != self._token:
            return
        self.shown_token = token
        view = self.query_one(ChartView)
        self.analysis = None if isinstance(outcome, PdsaError) else outcome
        self.analysed_version = self.pdsa.data_version
        if isinstance(outcome, PdsaError):
            view.show_message(t("tui.ind.cannot_draw"), Text(str(outcome), style="red"))
            self.pdsa.show_error(outcome)
            return
        if outcome is None:
            view.show_message(t("tui.ind.no_data"), t("tui.ind.no_data_hint"))
            return
        hint = t(
            "tui.chart.baseline_keys",
            b=self.pdsa.keys_for("indicator.baseline"),
            v=self.pdsa.keys_for("indicator.use_baseline"),
        )
        view.show(outcome, self.pdsa.language, hints={"baseline": hint})

    # -- switching the view ---------------------------------------------------------------------------
    @on(OptionList.OptionHighlighted, "#ind-picker")
    def _picked(self, event: OptionList.OptionHighlighted) -> None:
        code = event.option.id
        if code and (self.indicator is None or code != self.indicator.code):
            self.pdsa.indicator_code = code
            self.sync()

    def action_step(self, step: int) -> None:
        team_id = self.pdsa.team_id
        if team_id is None or self.indicator is None:
            return
        codes = [i.code for i in self.pdsa.ws.indicators(team_id)]
        index = codes.index(self.indicator.code)
        self.pdsa.indicator_code = codes[(index + step) % len(codes)]
        self.sync()

    def action_chart_type(self) -> None:
        if self.indicator is None:
            return
        options = [(chart, f"{chart_name(chart)}  ({chart})") for chart in CHART_TYPES]

        def chosen(chart: str | None) -> None:
            if chart:
                self.chart = chart
                self._show_title()
                self.analyse()

        self.app.push_screen(ChoiceDialog(t("tui.ind.choose_chart"), options), chosen)

    def action_rule_set(self) -> None:
        if self.indicator is None:
            return
        plugins = self.pdsa.plugins
        sets = plugins.items("rule_sets") if plugins is not None else dict(BUILTIN_RULE_SETS)
        lang = self.pdsa.language
        options = [(key, rs.title(lang) if hasattr(rs, "title") else key) for key, rs in sets.items()]

        def chosen(rules: str | None) -> None:
            if rules:
                self.rules = rules
                self._show_title()
                self.analyse()

        self.app.push_screen(ChoiceDialog(t("tui.ind.choose_rules"), options), chosen)

    def action_toggle_baseline(self) -> None:
        self.use_baseline = not self.use_baseline
        self._show_title()
        self.analyse()

    def action_toggle_phases(self) -> None:
        self.phases = not self.phases
        self._show_title()
        self.analyse()

    def action_full_chart(self) -> None:
        """The chart and its reading fill the screen (the value grid is hidden), or back."""
        self.toggle_class("-full")

    def action_save_view(self) -> None:
        """Keep the chosen chart type and rule set as the indicator's own (``ws.update_indicator``)."""
        indicator = self.indicator
        if indicator is None:
            return
        changes = {k: v for k, v in (("chart", self.chart), ("rules", self.rules)) if v}
        if not changes:
            return
        if self.attempt(self.pdsa.ws.update_indicator, indicator.team_id, indicator.code, **changes):
            self.notify(t("tui.ind.view_saved", code=indicator.code))
            self.pdsa.changed()

    def action_baseline(self) -> None:
        indicator = self.indicator
        if indicator is None:
            return
        ws = self.pdsa.ws
        fields = [
            Field("first", t("tui.ind.baseline_first"), indicator.baseline_start, placeholder="2018-01"),
            Field("last", t("tui.ind.baseline_last"), indicator.baseline_end, placeholder="2020-12"),
        ]

        def submit(values: dict[str, Any]) -> Any:
            first, last = values["first"].strip(), values["last"].strip()
            start = user_period(first) if first else ""
            end = user_period(last) if last else ""
            return ws.update_indicator(
                indicator.team_id, indicator.code, baseline_start=start, baseline_end=end
            )

        self._form(
            t("tui.ind.baseline_title", code=indicator.code),
            fields,
            submit,
            intro=t("tui.ind.baseline_intro"),
        )

    def _form(self, title: str, fields: list[Field], submit: Any, *, intro: str = "") -> None:
        def done(result: Any) -> None:
            if result:
                self.pdsa.changed()

        self.app.push_screen(FormDialog(title, fields, submit, intro=intro), done)

    def _kind_options(self, phase: bool) -> list[tuple[str, Any]]:
        kinds = [
            AnnotationKind.LAW_CHANGE,
            AnnotationKind.IT_SYSTEM_CHANGE,
            AnnotationKind.DATA_DEFINITION_CHANGE,
        ]
        if not phase:
            kinds = [AnnotationKind.OTHER, *kinds]
        else:
            kinds = [*kinds, AnnotationKind.OTHER]
        return [(t(f"tui.annotation.{k.name.lower()}"), k.value) for k in kinds]

    def action_split(self) -> None:
        self._annotation_form(phase=True)

    def action_annotate(self) -> None:
        self._annotation_form(phase=False)

    def _annotation_form(self, *, phase: bool) -> None:
        indicator = self.indicator
        if indicator is None:
            return
        ws = self.pdsa.ws
        period = self._current_period() or last_complete_month(self.pdsa.ws.today())
        fields = [
            Field("when", t("tui.ind.split_month") if phase else t("date"), period),
            Field("text", t("tui.ind.split_reason") if phase else t("text"), ""),
            Field(
                "kind",
                t("kind"),
                self._kind_options(phase)[0][1],
                "select",
                options=self._kind_options(phase),
            ),
        ]

        def submit(values: dict[str, Any]) -> Any:
            when = values["when"].strip()
            date = when if len(when) == 10 else f"{user_period(when)}-01"
            return ws.add_annotation(
                indicator.team_id,
                date,
                values["text"],
                kind=values["kind"],
                indicators=[indicator.code],
                phase_split=phase,
            )

        title = t("tui.ind.split_title") if phase else t("tui.ind.annotate_title")
        self._form(title, fields, submit, intro=t("tui.ind.split_intro") if phase else "")

    def action_remove_annotation(self) -> None:
        indicator = self.indicator
        if indicator is None:
            return
        ws = self.pdsa.ws
        notes = ws.annotations(indicator.team_id, indicator.code)
        if not notes:
            self.notify(t("tui.ind.no_annotations"))
            return
        options = [
            (a.id, f"{a.date}  {a.text}" + (f"  ({t('tui.ind.phase_split')})" if a.phase_split else ""))
            for a in notes
        ]

        def chosen(annotation_id: str | None) -> None:
            if annotation_id and self.attempt(ws.remove_annotation, annotation_id) is not None:
                self.pdsa.changed()

        self.app.push_screen(ChoiceDialog(t("tui.ind.remove_annotation_title"), options), chosen)

    # -- values ---------------------------------------------------------------------------------------
    def _current_period(self) -> str | None:
        grid = self.query_one("#grid", ValueGrid)
        if not grid.row_count or not self.months:
            return None
        return self.months[min(grid.cursor_row, len(self.months) - 1)][0]

    def action_add_value(self) -> None:
        self._value_form(self._missing_first() or last_complete_month(self.pdsa.ws.today()))

    def _missing_first(self) -> str | None:
        """The latest month without a value (what a team usually enters next)."""
        return next((p for p, m in self.months if m is None), None)

    def action_edit_value(self) -> None:
        period = self._current_period()
        if period is not None:
            self._value_form(period)

    @on(DataTable.RowSelected, "#grid")
    def _row_selected(self) -> None:
        self.action_edit_value()

    def _value_form(self, period: str) -> None:
        indicator = self.indicator
        if indicator is None:
            return
        ws = self.pdsa.ws
        current = next((m for p, m in self.months if p == period), None)
        proportion = indicator.unit is Unit.PROPORTION

        def number(value: float | None) -> str:
            return "" if value is None else fmt_value(value, "count").replace(".", ",")

        fields = [Field("period", t("period"), period)]
        if proportion:
            fields += [
                Field("numerator", t("numerator"), number(current and current.numerator)),
                Field("denominator", t("denominator"), number(current and current.denominator)),
            ]
        else:
            fields.append(Field("value", t("value"), number(current and current.value)))
        fields.append(Field("note", t("note"), current.note if current else ""))

        def submit(values: dict[str, Any]) -> Any:
            month = user_period(values["period"])
            # the value this screen showed for that month (None: empty): a value someone else
            # stored meanwhile is a conflict naming it, never silently replaced
            shown = next((m for p, m in self.months if p == month), None)
            expected = shown.value if shown is not None else None
            if proportion:
                stored, status = ws.add_measurement(
                    indicator.team_id,
                    indicator.code,
                    month,
                    numerator=user_number(values["numerator"], t("numerator")),
                    denominator=user_number(values["denominator"], t("denominator")),
                    note=values["note"].strip(),
                    expected=expected,
                )
            else:
                stored, status = ws.add_measurement(
                    indicator.team_id,
                    indicator.code,
                    month,
                    value=user_number(values["value"], t("value")),
                    note=values["note"].strip(),
                    expected=expected,
                )
            self.notify(
                t(
                    f"measurement_{status}",
                    code=indicator.code,
                    period=month,
                    value=fmt_value(stored.value, indicator.unit.value),
                )
            )
            return stored

        title = t("tui.ind.value_title", code=indicator.code, name=local_name(indicator))
        self._form(title, fields, submit)

    def action_remove_value(self) -> None:
        indicator = self.indicator
        period = self._current_period()
        if indicator is None or period is None:
            return
        if next((m for p, m in self.months if p == period), None) is None:
            return

        def confirmed(yes: Any) -> None:
            if yes and self.attempt(
                self.pdsa.ws.remove_measurement, indicator.team_id, indicator.code, period
            ):
                self.pdsa.changed()

        self.app.push_screen(
            ConfirmDialog(
                t("tui.ind.remove_q", code=indicator.code, period=period), yes=t("tui.diagram.delete_yes")
            ),
            confirmed,
        )
