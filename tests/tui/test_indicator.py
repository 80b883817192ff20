"""The indicator view: chart from the SPC engine, verdict, switches, the data grid."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Input, Static
from tui_helpers import settle

from pdsa_core.analysis import analyze_indicator
from tui.app import PdsaApp
from tui.screens.indicator import IndicatorScreen, ValueGrid

pytestmark = pytest.mark.anyio


def _verdict(app: PdsaApp) -> str:
    """The reading under the chart without its symbol (▲ ▼ ◆ ≈ …)."""
    return app.screen.query_one("#verdict").content.plain[2:]


def _title(app: PdsaApp) -> str:
    return app.screen.query_one("#chart-title").content.plain


async def _enter(pilot: Any, period: str, value: str) -> None:
    await pilot.press("a")
    await pilot.pause()
    dialog = pilot.app.screen
    dialog.query_one("#field-period", Input).value = period
    dialog.query_one("#field-value", Input).value = value
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_chart_and_verdict_are_the_engines(tui_workspace: Any, plugins: Any) -> None:
    ws = tui_workspace
    app = PdsaApp(ws, plugins)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, IndicatorScreen)
        assert "R1 Persons coercively admitted" in _title(app)
        assert "Run chart (median)" in _title(app) and "Anhøj" in _title(app)
        expected = analyze_indicator(ws, app.team_id, "R1")
        assert screen.analysis.series.result.cl == expected.series.result.cl
        # R1 should go down and did: the rules' reading says "non-random", the meaning "better"
        assert _verdict(app).startswith(f"Improvement — {expected.verdict_en.text}")
        # missing months are visible in the grid (F2 lacks 2023-05)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert "F2" in _title(app)
        grid = screen.query_one("#grid", ValueGrid)
        assert grid.get_row("2023-05")[1].plain == "missing"
        assert "1 missing: 2023-05" in str(grid.border_subtitle)
        # the annotation on F2 is listed under the chart
        assert "▼1 2022-03-25 Ny EPJ" in _verdict(app)


async def test_switch_chart_type_rule_set_baseline_and_phases(tui_workspace: Any, plugins: Any) -> None:
    ws = tui_workspace
    app = PdsaApp(ws, plugins)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press(*"I chart", "enter")
        await settle(pilot)
        assert "I chart (XmR)" in _title(app)
        result = app.screen.analysis.series.result
        assert result.chart == "i" and result.has_limits
        assert result.ucl == analyze_indicator(ws, app.team_id, "R1", chart="i").series.result.ucl
        await pilot.press("r")
        await pilot.pause()
        await pilot.press(*"IHI", "enter")
        await settle(pilot)
        assert app.screen.analysis.rules == "ihi"
        # keep the choice as the indicator's own
        await pilot.press("w")
        await settle(pilot)
        stored = ws.indicator(app.team_id, "R1")
        assert (stored.chart, stored.rules) == ("i", "ihi")
        # baseline off and on (view only)
        await pilot.press("v")
        await settle(pilot)
        assert "(off)" in _title(app) and app.screen.analysis.series.freeze is None
        await pilot.press("v")
        await settle(pilot)
        assert app.screen.analysis.series.freeze == 12
        # change the baseline itself
        await pilot.press("b")
        await pilot.pause()
        app.screen.query_one("#field-first", Input).value = "2021-01"
        app.screen.query_one("#field-last", Input).value = "2022-06"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert ws.indicator(app.team_id, "R1").baseline_end == "2022-06"
        assert app.screen.analysis.series.freeze == 18
        # a new phase from a month, with its reason; phases off and on
        await pilot.press("s")
        await pilot.pause()
        app.screen.query_one("#field-when", Input).value = "2023-01"
        app.screen.query_one("#field-text", Input).value = "Ny psykiatrilov"
        await pilot.press("ctrl+s")
        await settle(pilot)
        series = app.screen.analysis.series
        assert len(series.result.phases) == 2 and series.phase_reasons[1] == "Ny psykiatrilov"
        await pilot.press("p")
        await settle(pilot)
        assert len(app.screen.analysis.series.result.phases) == 1
        assert "phases off" in _title(app)


async def test_enter_three_months_and_see_the_verdict_change(tui_workspace: Any, plugins: Any) -> None:
    ws = tui_workspace
    team = ws.team("Regionspsykiatrien Midt")
    ws.add_indicator(team.id, "F1", "Personer udsat for tvang", name_en="Persons subjected to coercion")
    base = [6, 3, 7, 2, 8, 4, 6, 5, 7, 2, 2, 1]
    for month, value in enumerate(base, start=1):
        ws.add_measurement(team.id, "F1", f"2023-{month:02d}", value=value)
    app = PdsaApp(ws, plugins)
    async with app.run_test(size=(100, 30)) as pilot:
        app.set_team(team.id)
        await pilot.press("4")
        await settle(pilot)
        assert _verdict(app).startswith("Random variation")
        await _enter(pilot, "2024-01", "1")
        await _enter(pilot, "feb 2024", "2")
        await _enter(pilot, "2024-03", "1")
        assert [m.value for m in ws.measurements(team.id, "F1")][-3:] == [1, 2, 1]
        # F1 should go down, and the new months are low: better, in words and symbol
        assert _verdict(app).startswith("Improvement — Non-random variation: 3 crossings (minimum 4)")
        assert app.screen.query_one("#verdict").content.plain.startswith("▲ ")
        # and on the dashboard
        await pilot.press("1")
        await settle(pilot)
        assert "Non-random" in app.screen.query_one("#ind-detail", Static).content.plain


async def test_correct_a_value_keeps_a_revision_and_bad_input_is_refused(
    tui_workspace: Any, plugins: Any
) -> None:
    ws = tui_workspace
    app = PdsaApp(ws, plugins)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        grid = app.screen.query_one("#grid", ValueGrid)
        grid.focus()
        grid.move_cursor(row=grid.get_row_index("2023-12"))
        await pilot.press("enter")  # Enter edits the month under the cursor (digits navigate)
        await pilot.pause()
        assert app.screen.query_one("#field-period", Input).value == "2023-12"
        app.screen.query_one("#field-value", Input).value = "7"
        await pilot.press("ctrl+s")
        await settle(pilot)
        m = ws.measurements(app.team_id, "R1")[-1]
        assert (m.period, m.value, len(m.revisions)) == ("2023-12", 7, 1)
        assert "1 earlier" in grid.get_row("2023-12")[5].plain  # month, value, -, -, note, source
        # not a number: the core's message, the dialog stays open
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one("#field-value", Input).value = "mange"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any("not a number" in n.message for n in app._notifications)
        assert app.screen.query_one("#field-value", Input)
        # a count cannot be 2,5
        app.screen.query_one("#field-value", Input).value = "2,5"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any("whole number" in n.message for n in app._notifications)
        await pilot.press("escape")
        await settle(pilot)
        assert ws.measurements(app.team_id, "R1")[-1].value == 7


async def test_proportion_takes_numerator_and_denominator(tui_workspace: Any, plugins: Any) -> None:
    ws = tui_workspace
    app = PdsaApp(ws, plugins)
    async with app.run_test(size=(100, 30)) as pilot:
        app.indicator_code = "V1"
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        dialog = app.screen
        assert dialog.query_one("#field-period", Input).value == "2023-12"  # the latest missing month
        dialog.query_one("#field-numerator", Input).value = "21"
        dialog.query_one("#field-denominator", Input).value = "30"
        await pilot.press("ctrl+s")
        await settle(pilot)
        m = ws.measurements(app.team_id, "V1")[-1]
        assert (m.period, m.numerator, m.denominator) == ("2023-12", 21, 30)
        row = app.screen.query_one("#grid", ValueGrid).get_row("2023-12")
        assert [cell.plain for cell in row[:4]] == ["2023-12", "70 %", "21", "30"]


async def test_chart_lines_match_plotexts_own_text(tui_workspace: Any, plugins: Any) -> None:
    """The chart's lines are made from plotext's matrix; they must equal plotext's ANSI output."""
    from rich.text import Text

    from tui.widgets.chart import SpcChart, matrix_strips

    app = PdsaApp(tui_workspace, plugins)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        chart = app.screen.query_one("#chart", SpcChart)
        strips = chart.strips()
        assert len(strips) == chart.size.height and all(s.cell_length == chart.size.width for s in strips)
        fast = matrix_strips(chart.plt)
        slow = Text.from_ansi(chart.plt.build()).split("\n")
        assert fast is not None and len(fast) == len(slow) == chart.size.height

        def cells(parts: Any) -> list[tuple[str, Any]]:
            return [(char, segment.style or None) for segment in parts for char in segment.text]

        for fast_line, slow_line in zip(fast, slow, strict=True):
            expected = cells(slow_line.render(app.console))
            got = cells(fast_line)
            assert "".join(c for c, _ in got) == "".join(c for c, _ in expected)
            assert [s for _, s in got] == [s or None for _, s in expected]
        assert any("●" in "".join(c for c, _ in cells(line)) for line in fast)  # the data are drawn


async def test_the_next_indicator_repaints_two_options_of_the_list(tmp_path: Any, monkeypatch: Any) -> None:
    """``]`` moves the list's highlight to the shown indicator, repainting only the option that
    loses it and the one that gets it (Textual's list repainted all of them each time)."""
    from pdsa_core.demo import write_demo
    from pdsa_core.plugins import load_plugins
    from pdsa_core.workspace import Workspace
    from tui.screens.indicator import IndicatorPicker

    write_demo(tmp_path / "demo.json")
    app = PdsaApp(Workspace.open(tmp_path / "demo.json"), load_plugins(include_entry_points=False))
    painted: list[int] = []
    render_line = IndicatorPicker.render_line

    def counted(self: IndicatorPicker, y: int) -> Any:
        painted.append(y)
        return render_line(self, y)

    monkeypatch.setattr(IndicatorPicker, "render_line", counted)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, IndicatorScreen) and screen.indicator is not None
        picker = screen.query_one(IndicatorPicker)
        shown_lines = picker.size.height
        assert shown_lines >= 10  # ten indicators, names over two lines: a full list
        for step in range(3):
            painted.clear()
            await pilot.press("right_square_bracket")
            await settle(pilot)
            assert picker.highlighted == step + 1
            assert picker.get_option_at_index(step + 1).id == screen.indicator.code
            assert 0 < len(painted) <= 4, painted  # two options of at most two lines
