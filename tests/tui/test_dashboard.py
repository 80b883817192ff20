"""The app shell and the team dashboard, driven with Textual's Pilot."""

from __future__ import annotations

from typing import Any, cast

import pytest
from rich.text import Text
from textual.widgets import Input, OptionList, Select, Static
from tui_helpers import screen_text, settle, text_of

from tui.app import PdsaApp
from tui.screens.dashboard import DashboardScreen, IndicatorTable

pytestmark = pytest.mark.anyio


def _row_texts(app: PdsaApp) -> dict[str, list[str]]:
    """Each indicator's cells as text (id, name, latest, verdict, missing; the sparkline left out)."""
    table = app.screen.query_one(IndicatorTable)
    rows: dict[str, list[str]] = {}
    for row_key in table.rows:
        cells = table.row_cells(str(row_key.value))
        rows[str(row_key.value)] = [cast(Text, cell).plain for key, cell in cells.items() if key != "trend"]
    return rows


def _shown_row(table: IndicatorTable, code: str) -> str:
    """The row of an indicator as the list shows it (its columns laid out in one line)."""
    return str(table.get_row(code)[0].plain).split("\n")[0]


async def test_dashboard_shows_aim_indicators_cycles_and_actions(tui_workspace: Any, plugins: Any) -> None:
    app = PdsaApp(tui_workspace, plugins)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert app.sub_title == "Psykiatrien Syd, Vordingborg"
        assert "Færre tvangsindlæggelser" in text_of(app.screen.query_one("#aim", Static))
        rows = _row_texts(app)
        assert list(rows) == ["R1", "F2", "V1"]
        # R1 dropped by 3 after two years: a long run below the baseline median
        assert rows["R1"][1] == "Persons coercively admitted"
        # R1 should go down and did: better, with a symbol that survives monochrome
        assert rows["R1"][3] == "▲ Improvement"
        assert rows["V1"][2] == "60 %"  # 18 of 30 in 2023-10, shown as a percentage
        # missing months up to last month (today is frozen at 2024-01-15): F2 lacks 2023-05,
        # V1 stops in 2023-10
        assert rows["R1"][-1] == ""
        assert rows["F2"][-1] == "1 mo."
        assert rows["V1"][-1] == "2 mo."
        cycles = app.screen.query_one("#dash-cycles", OptionList)
        prompts = [str(cycles.get_option_at_index(i).prompt) for i in range(cycles.option_count)]
        assert "Planned (1)" in prompts
        assert any("Ringe hjem (cyklus 1)" in p for p in prompts)
        assert "1 done, 0 abandoned" in prompts
        actions = app.screen.query_one("#dash-actions", OptionList)
        first = str(actions.get_option_at_index(0).prompt)
        assert "2024-01-10" in first and "Send data til regionen" in first and "overdue" in first


async def test_detail_follows_the_highlighted_indicator(tui_workspace: Any, plugins: Any) -> None:
    app = PdsaApp(tui_workspace, plugins)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        detail = app.screen.query_one("#ind-detail", Static)
        assert "R1" in text_of(detail)
        await pilot.press("down")
        await pilot.pause()
        assert "F2 Coercive events" in text_of(detail)
        assert "Missing months (1): 2023-05" in text_of(detail)


async def test_empty_workspace_shows_how_to_begin_and_creates_a_team(
    empty_workspace: Any, plugins: Any
) -> None:
    app = PdsaApp(empty_workspace, plugins)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#welcome").display
        assert not app.screen.query_one("#dash-team").display
        assert "pdsa demo" in screen_text(app)
        await pilot.click("#welcome-create")
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#field-name", Input).value = "Team Nord"
        dialog.query_one("#field-region", Select).value = "Region Nordjylland"
        assert dialog.query_one("#field-indicator_set", Select).value == "test-voksen"
        await pilot.press("ctrl+s")
        await settle(pilot)
        team = empty_workspace.team("Team Nord")
        assert team.region.value == "Region Nordjylland"
        assert [i.code for i in empty_workspace.indicators(team.id)] == ["R1", "V1"]
        assert app.team_id == team.id
        assert isinstance(app.screen, DashboardScreen)
        assert list(_row_texts(app)) == ["R1", "V1"]
        assert not app.screen.query_one("#welcome").display


async def test_a_refused_team_name_keeps_the_dialog_open(empty_workspace: Any, plugins: Any) -> None:
    app = PdsaApp(empty_workspace, plugins)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("ctrl+s")  # no name: the core refuses
        await pilot.pause()
        assert app.screen.query_one("#field-name", Input)
        assert any("team name" in n.message for n in app._notifications)
        assert empty_workspace.teams() == []


async def test_switch_team_with_the_team_picker(tui_workspace: Any, plugins: Any) -> None:
    app = PdsaApp(tui_workspace, plugins)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await pilot.pause()
        await pilot.press(*"midt")
        await pilot.press("enter")
        await settle(pilot)
        assert app.sub_title == "Regionspsykiatrien Midt"
        assert _row_texts(app) == {}
        assert "no indicators yet" in text_of(app.screen.query_one("#ind-empty", Static))


async def test_edit_the_aim(tui_workspace: Any, plugins: Any) -> None:
    app = PdsaApp(tui_workspace, plugins)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        area = app.screen.query_one("#field-aim")
        area.text = "Halvere antallet af tvangsindlæggelser"
        await pilot.press("ctrl+s")
        await settle(pilot)
        team_id = app.team_id
        assert tui_workspace.diagram(team_id).aim == "Halvere antallet af tvangsindlæggelser"
        assert "Halvere" in text_of(app.screen.query_one("#aim", Static))
        assert [c.action for c in tui_workspace.diagram_history(team_id)][0] == "set aim"


async def test_language_switch_at_run_time(tui_workspace: Any, plugins: Any) -> None:
    app = PdsaApp(tui_workspace, plugins)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#ind-panel").border_title == "Indicators"
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert app.language == "da"
        assert app.screen.query_one("#ind-panel").border_title == "Indikatorer"
        rows = _row_texts(app)
        assert rows["R1"][1] == "Personer tvangsindlagt"
        assert rows["R1"][3] == "▲ Forbedring"
        footer_texts = {b.binding.description for b in app.screen.active_bindings.values()}
        assert "Afslut" in footer_texts and "Skift team" in footer_texts
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert app.screen.query_one("#ind-panel").border_title == "Indicators"


async def test_open_indicator_from_the_list_and_quit_with_q(tui_workspace: Any, plugins: Any) -> None:
    app = PdsaApp(tui_workspace, plugins)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.focused, IndicatorTable)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.indicator_code == "F2"
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_high_contrast_and_large_view_toggle(tui_workspace: Any, plugins: Any) -> None:
    app = PdsaApp(tui_workspace, plugins)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+t")
        assert app.theme == "pdsa-high-contrast"
        await pilot.press("ctrl+t")
        assert app.theme != "pdsa-high-contrast"
        await pilot.press("z")
        await pilot.pause()
        assert app.has_class("-large")
        table = app.screen.query_one(IndicatorTable)
        assert all(row.height == 3 for row in table.rows.values())


async def test_layout_at_120x40_shows_whole_names_and_missing_months(
    tui_workspace: Any, plugins: Any
) -> None:
    """At 120x40 the list has the full width: a name gets at least 30 characters and the
    missing-months column is whole; at 200x60 the highlighted indicator's chart is beside it."""
    tui_workspace.update_indicator(
        tui_workspace.teams()[0].id, "F2", name_en="Coercive events, all kinds, on every ward of the unit"
    )
    app = PdsaApp(tui_workspace, plugins)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(IndicatorTable)
        widths = table.column_widths
        assert widths["name"] >= 30
        assert "F2     Coercive events, all kinds, on" in _shown_row(table, "F2")
        assert widths["missing"] >= len("Missing") and table.row_cells("V1")["missing"].plain == "2 mo."
        assert _shown_row(table, "V1").endswith("  2 mo.")
        assert not app.screen.query_one("#dash-chart-panel").display
        await pilot.resize_terminal(200, 60)
        await settle(pilot)
        assert app.screen.has_class("-wide") and app.screen.query_one("#dash-chart-panel").display
        from tui.widgets.chart import ChartView

        view = app.screen.query_one("#dash-chart", ChartView)
        assert view.analysis is not None and view.analysis.indicator.code == "R1"
        await pilot.press("down")
        await settle(pilot)
        assert view.analysis.indicator.code == "F2"
        assert view.notes.content.plain.startswith("≈ ")


async def test_a_new_teams_first_verdict_and_missing_months(tui_workspace: Any, plugins: Any) -> None:
    """A team given an indicator set's 2018-2020 baseline that starts measuring in October 2023:
    no "0 of at least 10" without a reason, no chart from 2018, no 66 missing months."""
    from pdsa_core.meetings.agenda import build_agenda

    ws = tui_workspace
    team = ws.add_team("Nyt team, Holbæk", region="Region Sjælland")
    ws.add_indicator(
        team.id, "R1", "Personer tvangsindlagt", baseline_start="2018-01", baseline_end="2020-12"
    )
    ws.add_indicator(team.id, "R2", "Tvangsindlæggelser", baseline_start="2018-01", baseline_end="2020-12")
    for period, value in (("2023-10", 5), ("2023-11", 4), ("2023-12", 6)):
        ws.add_measurement(team.id, "R1", period, value=value)
        ws.add_measurement(team.id, "R2", period, value=value + 1)
    app = PdsaApp(ws, plugins)
    async with app.run_test(size=(120, 40)) as pilot:
        app.set_team(team.id)
        await settle(pilot)
        rows = _row_texts(app)
        assert rows["R1"][3] == "… Too few" and rows["R1"][-1] == ""  # nothing missing
        detail = text_of(app.screen.query_one("#ind-detail", Static))
        assert "Too few data points (2 of at least 10)" in detail
        assert "The baseline 2018-01..2020-12 has no values" in detail and "Choose another baseline" in detail
        assert "Missing months" not in detail
        await pilot.press("4")
        await settle(pilot)
        assert app.screen.analysis.series.periods == ("2023-10", "2023-11", "2023-12")
        reading = app.screen.query_one("#verdict").content.plain
        assert reading.startswith("… Too few data points (2 of at least 10)")
        assert "b: choose the baseline, v: turn it off" in reading
        assert "at least 8 more month(s)" in reading
    agenda = build_agenda(ws, team.id, date="2024-01-20")
    assert [item for item in agenda.items if item.kind == "missing_data"] == []


async def test_a_team_with_indicators_after_one_without_shows_its_own_rows(
    tui_workspace: Any, plugins: Any
) -> None:
    """The list is hidden for a team without indicators; shown again, it is filled once its
    width is known (IndicatorTable.fill waits for the layout), with the new team's rows."""
    app = PdsaApp(tui_workspace, plugins)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        first_team = app.sub_title
        rows = _row_texts(app)
        assert rows
        for name in ("midt", first_team):
            await pilot.press("t")
            await pilot.pause()
            await pilot.press(*name.lower()[:8])
            await pilot.press("enter")
            await settle(pilot)
        assert app.sub_title == first_team
        assert _row_texts(app) == rows
        table = app.screen.query_one("#ind-table")
        assert table.display and table.size.width > 0


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)])
async def test_the_first_dashboard_is_filled_once_at_its_real_width(
    tui_workspace: Any, plugins: Any, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    """The app's first screen is filled before its first layout, at the width the layout
    then gives the list (IndicatorTable.predicted_width): one fill, not one at a guess and
    another at the real width; the prediction also holds in the large view."""
    widths: list[int] = []
    fill = IndicatorTable.fill

    def counted(table: IndicatorTable, *args: Any, **kwargs: Any) -> None:
        fill(table, *args, **kwargs)
        widths.append(table._width)

    monkeypatch.setattr(IndicatorTable, "fill", counted)
    app = PdsaApp(tui_workspace, plugins)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        table = app.screen.query_one(IndicatorTable)
        assert widths == [table._available()]
        assert table.predicted_width() == table._available()
        await pilot.press("z")
        await settle(pilot)
        assert app.has_class("-large")
        assert table.predicted_width() == table._available() == table._width


def _app_reading_in_advance(ws: Any, plugins: Any) -> tuple[PdsaApp, Any, list[bool]]:
    """An app started from the first screen of ``ws`` as the start's child reads it (read
    now), the first screen, and what its opener noted each time it opened the workspace:
    whether the dashboard showed its data by then."""
    from pdsa_core.overview_in_advance import first_screen_of

    first = first_screen_of(ws, plugins)
    opened: list[bool] = []

    def opener() -> tuple[Any, Any]:
        screen = app.screen
        opened.append(isinstance(screen, DashboardScreen) and screen.overview is not None)
        return ws.__class__.open(ws.location), plugins

    app = PdsaApp(None, first_screen=first, opener=opener)
    return app, first, opened


async def test_the_first_dashboard_shows_the_first_screen_read_in_advance_then_opens_the_workspace(
    tui_workspace: Any, plugins: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As a start does (pdsa_core.overview_in_advance): the first team's dashboard comes from
    the child that read it while the app started, it is the one the app would compute, and the
    workspace is opened once it is painted."""
    from pdsa_core.overview import team_overview

    computed: list[str] = []
    compute = DashboardScreen._compute

    def counted(ws: Any, team_id: str) -> Any:
        computed.append(team_id)
        return compute(ws, team_id)

    monkeypatch.setattr(DashboardScreen, "_compute", staticmethod(counted))
    app, _first, opened = _app_reading_in_advance(tui_workspace, plugins)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = cast(DashboardScreen, app.screen)
        assert app.sub_title == "Psykiatrien Syd, Vordingborg"
        assert screen.overview == team_overview(tui_workspace, app.team_id)
        await pilot.pause(0.1)
        assert opened == [True]  # once, after the dashboard showed its data
        assert computed == []  # the file had not changed since: nothing computed again
        assert app.plugins is plugins and app.ws.location == tui_workspace.location
        await pilot.press("4")  # the app works on the opened workspace
        await settle(pilot)
        from tui.screens.indicator import IndicatorScreen

        assert isinstance(app.screen, IndicatorScreen) and app.screen.shown_token > 0


async def test_a_key_before_the_workspace_is_opened_opens_it_and_a_changed_file_is_shown_again(
    tui_workspace: Any, plugins: Any
) -> None:
    """A key that needs the workspace before the app opened it opens it at once; a file another
    program changed after the child read it is shown as it is now."""
    app, first, opened = _app_reading_in_advance(tui_workspace, plugins)
    aim = "Et mål skrevet [bold]imens[/bold]"
    tui_workspace.set_aim(first.team_id, aim)  # after the child read the file
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e")  # edit the aim: needs the workspace now
        await settle(pilot)
        assert opened == [True]
        from textual.widgets import TextArea

        fields = [*app.screen.query(Input), *app.screen.query(TextArea)]
        assert any(getattr(f, "value", None) == aim or getattr(f, "text", None) == aim for f in fields)
        await pilot.press("escape")
        await pilot.pause(0.1)
        await settle(pilot)
        assert opened == [True]  # not twice
        assert text_of(app.screen.query_one("#aim", Static)) == aim  # shown again, as typed


async def test_a_workspace_removed_after_its_first_screen_was_read_ends_the_app_with_why(
    tui_workspace: Any, plugins: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """The file was removed (or damaged) between the child's read and the app's own open: the
    app ends with the one line a start would print, not a traceback."""
    from pdsa_core.errors import WorkspaceError
    from pdsa_core.overview_in_advance import first_screen_of

    def opener() -> tuple[Any, Any]:
        raise WorkspaceError("no workspace here", where=str(tui_workspace.location))

    app = PdsaApp(None, first_screen=first_screen_of(tui_workspace, plugins), opener=opener)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.pause(0.1)
    assert app.return_code == 1
    said = " ".join(capsys.readouterr().err.split())  # as the terminal shows it, wrapped
    assert "no workspace here" in said and "Traceback" not in said
