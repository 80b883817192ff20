"""The team dashboard: aim, indicators (trend, latest value, verdict, missing months),
PDSA cycles by status and actions due. Data come from :func:`pdsa_core.overview.team_overview`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from rich.color import Color as RichColor
from rich.padding import Padding
from rich.text import Text
from textual import events, on, work
from textual.color import Color as TextualColor
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.scalar import Unit
from textual.widget import Widget
from textual.widgets import Button, DataTable, Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from pdsa_core.domain import BOARD_ORDER, CycleStatus
from pdsa_core.errors import PdsaError
from pdsa_core.i18n import t
from pdsa_core.literal import rich_text, visible
from tui.format import fmt_value, local_name, meaning_text, month_ranges, reading_line
from tui.keys import binding
from tui.screens.base import PdsaScreen
from tui.widgets.sparkline import Sparkline, sparkline_lines

if TYPE_CHECKING:
    from pdsa_core.workspace import Workspace

#: statuses listed one by one on the dashboard; done and abandoned are only counted
OPEN_STATUSES = [s for s in BOARD_ORDER if s not in (CycleStatus.DONE, CycleStatus.ABANDONED)]

#: below this width everything is one column (80x24)
NARROW = 110
#: from this width the highlighted indicator's chart stands beside the list (200x60)
WIDE = 170


#: the columns whose texts are aligned right
RIGHT_ALIGNED = ("latest", "missing")

#: each column of the indicator table: its text key and its width in the medium, narrow and
#: wide layouts (None: what the others leave; at 120 columns the name gets 40 characters)
COLUMNS: tuple[tuple[str, int | None, int | None, int | None], ...] = (
    ("code", 5, 4, 5),
    ("name", None, None, None),
    ("trend", 24, 10, 16),
    ("latest", 8, 7, 8),
    ("verdict", 16, 14, 16),
    ("missing", 8, 7, 8),
)


class IndicatorTable(DataTable[Any]):
    """The team's indicators, one row each; the trend is a sparkline (drawn as Textual's is).

    One widget for the whole list (rather than a widget per cell) keeps the dashboard of a
    team with 30 indicators quick to draw.
    """

    def __init__(self) -> None:
        super().__init__(id="ind-table", cursor_type="row", zebra_stripes=False, show_cursor=True)
        self.summaries: dict[str, dict[str, Any]] = {}
        self.cells: dict[str, dict[str, Text | Sparkline]] = {}
        self.column_widths: dict[str, int] = {}
        self._filled: tuple[list[dict[str, Any]], str, bool] | None = None
        self._width = -1

    def _available(self) -> int:
        """The width for the columns, with room for the table's vertical scroll bar whether it
        shows or not: the bar appearing as rows are added must not make the table fill itself
        again (each fill lays the screen out anew). The page's own scroll bar has its place
        kept for the same reason (``scrollbar-gutter: stable`` in app.tcss)."""
        return max(0, self.content_region.width - self.styles.scrollbar_size_vertical)

    def predicted_width(self) -> int:
        """What :meth:`_available` will be once the screen is laid out, from the screen's
        size and the styles of the widgets around the table (padding, borders, margins, a
        scroll bar's gutter, the list's share of a row of panels).

        The app's first screen is filled before its first layout: with this width its rows
        are in that layout and its first paint, instead of a paint of an empty list, a
        layout with the rows and another paint (60-70 ms of the start on the national
        workspace). Should a style not be foreseen here, :meth:`on_resize` fills again at
        the real width; a test checks the prediction at every size and in the large view."""
        width = self.screen.size.width or self.app.size.width
        chain = [node for node in reversed(self.ancestors_with_self) if isinstance(node, Widget)]
        for parent, child in zip(chain, chain[1:], strict=False):
            styles = parent.styles
            width -= styles.gutter.width
            if styles.overflow_y == "scroll" or (
                styles.overflow_y == "auto" and styles.scrollbar_gutter == "stable"
            ):
                width -= styles.scrollbar_size_vertical
            share = child.styles.width
            row = parent.styles.layout is not None and parent.styles.layout.name == "horizontal"
            if row and share is not None and share.unit == Unit.FRACTION:
                shares = [
                    sibling.styles.width.value
                    for sibling in parent.children
                    if sibling.display
                    and sibling.styles.width is not None
                    and sibling.styles.width.unit == Unit.FRACTION
                ]
                width = int(width * share.value / sum(shares))
            width -= child.styles.margin.width
        return max(0, width - self.styles.gutter.width - self.styles.scrollbar_size_vertical)

    def on_resize(self) -> None:
        """The name column takes the width there is: fill again when the width changed."""
        if self._filled is not None and self._available() != self._width:
            summaries, layout, large = self._filled
            self.fill(summaries, layout=layout, large=large)

    def fill(self, summaries: list[dict[str, Any]], *, layout: str, large: bool) -> None:
        """``layout`` is "narrow", "medium" or "wide" (the chart beside the table).

        Before the table's first layout its width is foreseen (:meth:`predicted_width`)."""
        self._filled = (summaries, layout, large)
        self.summaries = {s["code"]: s for s in summaries}
        if not self.display:  # a team without indicators: on_resize fills when shown again
            self._width = -1
            return
        self._width = self._available() if self.size.width else self.predicted_width()
        keep = self.cursor_row
        self.clear(columns=True)
        pick = {"medium": 1, "narrow": 2, "wide": 3}[layout]
        widths = {key: sizes[pick - 1] for key, *sizes in COLUMNS}
        trend_width = widths["trend"] or 10
        fixed = sum(w for w in widths.values() if w) + 2 * self.cell_padding * len(COLUMNS)
        widths["name"] = max(8, self._width - fixed - 1)
        self.column_widths = {key: width or 0 for key, width in widths.items()}
        headers = {key: Text(t(f"tui.dash.col.{key}")) for key, *_ in COLUMNS}
        width = sum(self.column_widths.values()) + 2 * self.cell_padding * (len(COLUMNS) - 1)
        self.add_column(self._laid_out(headers, 1), key="row", width=width)
        colors = self._spark_colors()
        height = 3 if large else 1
        self.cells = {}
        for s in summaries:
            verdict = s["verdict"]
            missing = s["missing_months"]
            cells: dict[str, Text | Sparkline] = {
                "code": rich_text(s["code"], "bold"),
                "name": Text(visible(local_name(s))),
                "trend": (
                    Sparkline(
                        s["spark"], width=trend_width, height=height, min_color=colors[0], max_color=colors[1]
                    )
                    if s["spark"]
                    else Text(t("tui.dash.no_data"), style="dim")
                ),
                "latest": Text(fmt_value(s["latest_value"], s["unit"])),
                "verdict": meaning_text(verdict, short=True) if verdict else Text(t("tui.none"), style="dim"),
                "missing": Text(t("tui.dash.missing_n", n=missing) if missing else "", style="yellow"),
            }
            self.cells[s["code"]] = cells
            self.add_row(self._laid_out(cells, height), key=s["code"], height=height)
        if self.row_count:
            self.move_cursor(row=min(keep, self.row_count - 1))

    def _laid_out(self, cells: Mapping[str, Text | Sparkline], height: int) -> Text:
        """A row's cells side by side in their columns, as one cell of the table's one column.

        Textual's table renders every cell through Rich's padding and styling machinery: 186
        cells for a team with 30 indicators took about 40 ms of the dashboard's first paint.
        Laid out here, each row is one cell (31 renders) and looks the same: each column's
        text cut to its width with an ellipsis, numbers aligned right, two spaces between
        columns (a cell's padding on either side), the trend's bars in their colours, the
        other columns on the first line of a high row (the large view). With the laying out
        the first paint of the national workspace takes about 1 % fewer instructions."""
        gap = " " * (2 * self.cell_padding)
        lines: list[list[Text]] = [[] for _ in range(height)]
        for key, *_ in COLUMNS:
            width = self.column_widths[key]
            cell = cells[key]
            if isinstance(cell, Sparkline):
                column = sparkline_lines(cell, self.app.console, height)
            else:
                first = cell.copy()
                first.no_wrap = True
                first.truncate(width, overflow="ellipsis")
                first.align("right" if key in RIGHT_ALIGNED else "left", width)
                column = [first] + [Text(" " * width) for _ in range(height - 1)]
            for line, part in zip(lines, column, strict=True):
                line.append(part)
        row = Text("\n").join(Text(gap).join(parts) for parts in lines)
        row.no_wrap = True
        return row

    def row_cells(self, code: str) -> dict[str, Text | Sparkline]:
        """The cells of an indicator's row by column key (``code``, ``name``, ``trend``,
        ``latest``, ``verdict``, ``missing``), as they were laid out."""
        return self.cells[code]

    def _spark_colors(self) -> tuple[RichColor, RichColor]:
        variables = self.app.theme_variables
        low = TextualColor.parse(variables.get("primary-darken-2", "#1e4f8a"))
        high = TextualColor.parse(variables.get("primary-lighten-2", "#88c0ff"))
        return low.rich_color, high.rich_color

    def current(self) -> dict[str, Any] | None:
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return self.summaries.get(str(key))


class DashboardScreen(PdsaScreen):
    MODE = "dashboard"
    #: the list of indicators has the focus from the start; were it given the focus when the
    #: data arrive, the scroll body losing it would restyle the whole dashboard before its
    #: first paint (with no team the list is hidden and nothing matches: the welcome's button)
    AUTO_FOCUS = "#ind-table"
    BINDINGS = [
        binding("e", "edit_aim", "dashboard.aim"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.overview: dict[str, Any] | None = None

    def compose_body(self) -> Iterable[Widget]:
        with VerticalScroll(id="dash-body"):
            yield Vertical(id="welcome")  # filled when there is no team (see _show_welcome)
            with Vertical(id="dash-team"):
                yield Static(id="team-line", markup=False)
                aim = Static(id="aim", markup=False)
                aim.border_title = t("tui.dash.aim_title")
                yield aim
                with Horizontal(id="dash-main"):
                    with Vertical(id="ind-panel", classes="panel") as panel:
                        panel.border_title = t("tui.dash.indicators")
                        yield IndicatorTable()
                        yield Static(id="ind-empty", markup=False)
                        yield Static(id="ind-detail", markup=False)
                    chart_panel = Vertical(id="dash-chart-panel", classes="panel")
                    chart_panel.border_title = t("tui.dash.chart")
                    yield chart_panel  # the chart is mounted when the screen is wide enough
                with Horizontal(id="side"):
                    cycles = OptionList(id="dash-cycles", classes="panel", markup=False)
                    cycles.border_title = t("tui.dash.cycles")
                    yield cycles
                    actions = OptionList(id="dash-actions", classes="panel", markup=False)
                    actions.border_title = t("tui.dash.actions")
                    yield actions

    def on_mount(self) -> None:
        self._layout_for(self.app.size.width, self.app.size.height)

    def on_resize(self, event: events.Resize) -> None:
        self._layout_for(event.size.width, event.size.height)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "edit_aim" and self.pdsa.team_id is None:
            return False  # nothing to edit yet: the key is not offered
        return True

    @property
    def layout_name(self) -> str:
        """ "narrow" (one column), "medium" (the list full width) or "wide" (chart beside it)."""
        if self.has_class("-narrow"):
            return "narrow"
        return "wide" if self.has_class("-wide") else "medium"

    def _layout_for(self, width: int, height: int) -> None:
        before = self.layout_name
        self.set_class(width < NARROW, "-narrow")
        self.set_class(width >= WIDE, "-wide")
        # beside the list the chart takes what the aim and the cycles leave (36 lines at 60)
        self.query_one("#dash-chart-panel").styles.height = max(18, min(44, height - 24))
        if self.layout_name != before and self.overview is not None:
            self._show_indicators(self.overview["indicators"])  # other column widths, the chart

    # -- data ---------------------------------------------------------------------------------
    def refresh_data(self) -> None:
        """Show the current team. Its first data are computed here, before the screen's first
        layout and paint (40 ms on the national workspace): nothing is on the screen yet to
        keep responsive, and computing them in a thread made the app lay out and paint the
        empty dashboard meanwhile, which delayed the dashboard with its data by ~65 ms. Later
        (a team switch, a change) the worker computes while the last data stay on screen."""
        team_id = self.pdsa.team_id
        self.refresh_bindings()
        self.query_one("#welcome").display = team_id is None
        self.query_one("#dash-team").display = team_id is not None
        if team_id is None:
            self._show_welcome()
            return
        if self.overview is None:
            computed = self.pdsa.take_overview_in_advance(team_id)
            self.show(computed if computed is not None else self._compute(self.pdsa.ws, team_id))
        else:
            self.load(team_id, self.pdsa.data_version)

    @staticmethod
    def _compute(ws: Workspace, team_id: str) -> dict[str, Any] | PdsaError:
        # imported here, as the analysis in _show_chart: a start's first dashboard shows what
        # was computed in advance (pdsa_core.overview_in_advance), before the SPC engine is needed
        from pdsa_core.overview import team_overview

        try:
            return team_overview(ws, team_id)
        except PdsaError as exc:
            return exc

    def _show_welcome(self) -> None:
        """The welcome of an empty workspace, made when first shown: a workspace with teams
        never needs it, and a button's styles take ~10 ms of the dashboard's first paint."""
        welcome = self.query_one("#welcome")
        if not welcome.children:
            welcome.mount(
                Label(t("tui.welcome.title"), id="welcome-title", markup=False),
                Static(t("tui.welcome.body"), id="welcome-body", markup=False),
                Button(t("tui.welcome.create"), variant="primary", id="welcome-create"),
            )
        welcome.query_one("#welcome-create", Button).focus()

    @work(thread=True, exclusive=True, group="dashboard")
    def load(self, team_id: str, version: int) -> None:
        """Compute the dashboard in a thread (verdicts run the SPC engine) and show it."""
        overview = self._compute(self.pdsa.ws, team_id)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show, overview)

    def show(self, overview: dict[str, Any] | PdsaError) -> None:
        if isinstance(overview, PdsaError):
            self.pdsa.show_error(overview)
            return
        self.overview = overview
        team = overview["team"]
        self.query_one("#team-line", Static).update(
            Text.assemble(rich_text(team["name"], "bold"), f"  ·  {team['region']}  ·  {team['track']}")
        )
        aim = overview["aim"] or t("tui.dash.no_aim")
        aim_widget = self.query_one("#aim", Static)
        aim_widget.update(rich_text(aim))
        aim_widget.set_class(not overview["aim"], "-empty")
        self._show_indicators(overview["indicators"])
        self._show_cycles(overview["cycles_by_status"])
        self._show_actions(overview["actions_due"])
        self.call_after_refresh(self.pdsa.start_up_over)  # once the dashboard is painted

    def _show_indicators(self, summaries: list[dict[str, Any]]) -> None:
        table = self.query_one(IndicatorTable)
        table.fill(summaries, layout=self.layout_name, large=self.app.has_class("-large"))
        table.display = bool(summaries)
        empty = self.query_one("#ind-empty", Static)
        empty.display = not summaries
        empty.update(t("tui.dash.no_indicators"))
        current = table.current()
        self.query_one("#ind-detail", Static).update("")
        if current is not None:
            self._show_detail(current)
        if summaries and (self.focused is None or self.focused.id == "dash-body"):
            table.focus(scroll_visible=False)

    def _show_detail(self, s: dict[str, Any]) -> None:
        """Under the table: the highlighted indicator in words (what it means, why), and, on a
        wide screen, its chart beside the table."""
        parts = [Text.assemble((f"{visible(s['code'])} ", "bold"), visible(local_name(s)))]
        if s["latest_period"]:
            parts.append(
                Text(f"{t('latest')}: {fmt_value(s['latest_value'], s['unit'])} ({s['latest_period']})")
            )
        verdict = s["verdict"]
        if verdict:
            parts.append(reading_line(verdict))
            notes = verdict.get(f"notes_{self.pdsa.language}") or []
            parts += [Text(note, style="italic") for note in notes]
        elif s["n_values"]:
            parts.append(Text(t("tui.dash.verdict_pending"), style="dim"))
        if s["missing"]:
            parts.append(
                Text(
                    t("tui.dash.missing_list", n=len(s["missing"]), months=month_ranges(s["missing"])),
                    style="italic",
                )
            )
        self.query_one("#ind-detail", Static).update(Text("\n").join(parts))
        if self.layout_name == "wide":
            self._show_chart(s["code"])

    def _show_chart(self, code: str) -> None:
        from tui.widgets.chart import ChartView  # plotext only once a wide screen shows a chart

        panel = self.query_one("#dash-chart-panel")
        views = panel.query(ChartView)
        if views:
            view = views.first()
        else:
            view = ChartView(id="dash-chart")
            panel.mount(view)
        team_id = self.pdsa.team_id
        if team_id is None:
            return
        try:
            from pdsa_core.analysis import analyze_indicator

            analysis = analyze_indicator(self.pdsa.ws, team_id, code)
        except PdsaError as exc:
            view.show_message(t("tui.ind.cannot_draw"), Text(str(exc), style="red"))
            return
        if analysis is None:
            view.show_message(t("tui.ind.no_data"), t("tui.ind.no_data_hint"))
            return
        view.show(analysis, self.pdsa.language)

    def _show_cycles(self, by_status: dict[str, list[dict[str, Any]]]) -> None:
        options: list[Option | None] = []
        for status in OPEN_STATUSES:
            cycles = by_status.get(status.value, [])
            if not cycles:
                continue
            options.append(
                Option(Text(f"{t('status.' + status.value)} ({len(cycles)})", style="bold"), disabled=True)
            )
            for cycle in cycles:
                line = rich_text(cycle["title"])
                if cycle["owner"]:
                    line.append(f"  ({visible(cycle['owner'])})", style="dim")
                # indented as a block, so a wrapped title stays under its status
                options.append(Option(Padding(line, (0, 0, 0, 2)), id=cycle["id"]))
        done = len(by_status.get(CycleStatus.DONE.value, []))
        abandoned = len(by_status.get(CycleStatus.ABANDONED.value, []))
        if not options and not done and not abandoned:
            options.append(Option(Text(t("tui.dash.no_cycles"), style="dim"), disabled=True))
        if done or abandoned:
            text = t("tui.dash.closed_counts", done=done, abandoned=abandoned)
            options.append(Option(Text(text, style="dim"), disabled=True))
        cycles_list = self.query_one("#dash-cycles", OptionList)
        cycles_list.set_options(options)

    def _show_actions(self, actions: list[dict[str, Any]]) -> None:
        options: list[Option] = []
        for action in actions:
            due = action.get("due") or ""
            who = action.get("owner") or ""
            text = Text()
            if due:
                text.append(f"{due} ", style="bold red" if action.get("overdue") else "bold")
            if who:
                text.append_text(rich_text(f"{who}: "))
            text.append_text(rich_text(action.get("text", "")))
            if action.get("overdue"):
                text.append(f" ({t('tui.dash.overdue')})", style="red")
            options.append(Option(text, disabled=True))
        if not options:
            options.append(Option(Text(t("tui.dash.no_actions"), style="dim"), disabled=True))
        self.query_one("#dash-actions", OptionList).set_options(options)

    # -- events ---------------------------------------------------------------------------------
    @on(DataTable.RowHighlighted, "#ind-table")
    def _highlighted(self) -> None:
        current = self.query_one(IndicatorTable).current()
        if current is not None:
            self._show_detail(current)

    @on(DataTable.RowSelected, "#ind-table")
    def _selected(self) -> None:
        current = self.query_one(IndicatorTable).current()
        if current is not None:
            self.pdsa.open_indicator(current["code"])

    @on(OptionList.OptionSelected, "#dash-cycles")
    def _cycle_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.pdsa.open_cycle(event.option.id)

    @on(Button.Pressed, "#welcome-create")
    def _create(self) -> None:
        self.pdsa.action_new_team()

    def on_click(self, event: events.Click) -> None:
        if event.widget is not None and event.widget.id == "aim":
            self.action_edit_aim()

    def action_edit_aim(self) -> None:
        from tui.dialogs.common import Field, FormDialog  # its widgets are not needed to start

        team_id = self.pdsa.team_id
        if team_id is None:
            return
        ws = self.pdsa.ws
        current = ws.diagram(team_id).aim

        def submit(values: dict[str, Any]) -> Any:
            return ws.set_aim(team_id, values["aim"].strip(), seen=current)

        def done(result: Any) -> None:
            if result:
                self.notify(t("tui.dash.aim_saved"))
                self.pdsa.changed()

        dialog = FormDialog(t("tui.dash.aim_title"), [Field("aim", t("aim"), current, "text")], submit)
        self.app.push_screen(dialog, done)
