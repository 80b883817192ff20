"""User text in the TUI exactly as typed (issue 17, item 1): brackets are never markup, a
``[@click=…]`` in an aim is inert, and ``Plan [/] B`` anywhere does not crash a screen."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Static
from textual.widgets._header import HeaderTitle
from tui_helpers import screen_text, settle, text_of

from pdsa_core.domain import Action, Meeting
from pdsa_core.domain.common import tolerating
from pdsa_core.services.indicators import MeasurementInput
from tui.app import PdsaApp
from tui.screens.dashboard import DashboardScreen, IndicatorTable

pytestmark = pytest.mark.anyio

BRACKETS = "Psykiatri Nord [/] Syd [antal]"
PLAN = "Plan [/] B"


def _everywhere(ws: Any, aim: str = PLAN, name: str = BRACKETS, text: str = PLAN) -> str:
    """A team whose every free text holds markup-like brackets (``text``)."""
    team = ws.add_team(name, municipalities=["Køge [Udkast]"])
    ws.add_indicator(team.id, "R1", text, name_en=text, population="[antal] $x$ <b>")
    ws.add_indicator(team.id, "V1", "Andel [/] x", name_en="Share [b]", unit="proportion")
    ws.add_measurements(
        team.id,
        [MeasurementInput("R1", f"2023-{m:02d}", value=m % 4) for m in range(1, 13)]
        + [MeasurementInput("V1", f"2023-{m:02d}", numerator=m, denominator=20) for m in range(1, 13)],
        source="test",
    )
    ws.add_annotation(team.id, "2023-03-01", text, kind="other", indicators=["R1"])
    ws.set_aim(team.id, aim)
    primary = ws.add_node(team.id, "primary", text)
    idea = ws.add_node(team.id, "change idea", text + " idé", parents=[primary.id])
    ws.add_cycle(
        team.id,
        text,
        change_idea=idea.id,
        status="doing",
        start_date="2023-10-02",
        owner=text,
        objective=text,
        predictions=text,
        indicators=["R1"],
    )
    ws.add_cycle(team.id, "[bold]planlagt", status="planned", owner="[/]")
    ws.save_meeting(
        Meeting(
            id="mtg-1",
            team_id=team.id,
            date="2023-12-05",
            actions=[Action(id="act-1", text=text, owner=text, due="2024-01-10")],
        )
    )
    return str(team.id)


async def test_dashboard_and_header_show_brackets_exactly(empty_workspace: Any, plugins: Any) -> None:
    _everywhere(empty_workspace)
    app = PdsaApp(empty_workspace, plugins)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert app.sub_title.startswith(BRACKETS)
        assert BRACKETS in text_of(app.screen.query_one("#team-line", Static))
        assert text_of(app.screen.query_one("#aim", Static)) == PLAN
        table = app.screen.query_one(IndicatorTable)
        names = [str(table.row_cells(str(key.value))["name"]) for key in table.rows]
        assert PLAN in names
        assert "Andel [/] x" in names or "Share [b]" in names


async def test_clicking_an_aim_with_click_markup_does_not_quit(empty_workspace: Any, plugins: Any) -> None:
    _everywhere(empty_workspace, aim="[@click=app.quit]Klik[/] for færre bælter")
    app = PdsaApp(empty_workspace, plugins)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        aim = app.screen.query_one("#aim", Static)
        assert text_of(aim) == "[@click=app.quit]Klik[/] for færre bælter"
        await pilot.click("#aim", offset=(3, 1))  # on the word "Klik"
        await settle(pilot)
        assert app.is_running and app.return_code is None
        await pilot.press("escape")  # the click opened the aim's own editor, nothing else
        await settle(pilot)
        assert app.is_running
        assert isinstance(app.screen, DashboardScreen)


@pytest.mark.parametrize("key", ["2", "3", "4", "6", "7"])
async def test_every_screen_survives_brackets_in_every_text(
    empty_workspace: Any, plugins: Any, key: str
) -> None:
    _everywhere(empty_workspace)
    app = PdsaApp(empty_workspace, plugins)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        assert app.is_running
        assert app.return_code is None


async def test_notifications_show_brackets_and_never_escapes(empty_workspace: Any, plugins: Any) -> None:
    _everywhere(empty_workspace)
    app = PdsaApp(empty_workspace, plugins)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        app.notify(f"Created {PLAN}", title=PLAN)
        app.notify("bell\x07 clear\x1b[2J")
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert f"Created {PLAN}" in messages
        assert not any("\x1b" in m or "\x07" in m for m in messages)
        assert app.is_running


async def test_stored_escapes_are_shown_not_obeyed_in_header_and_dashboard(
    empty_workspace: Any, plugins: Any
) -> None:
    hostile = "Ond\x1b[2J \x1b]8;;file:///etc/passwd\x07link\x1b]8;;\x07"
    with tolerating(None):  # as an older version could have stored it
        team = empty_workspace.add_team(hostile)
        empty_workspace.set_aim(team.id, hostile)
    app = PdsaApp(empty_workspace, plugins)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        header = app.screen.query_one(HeaderTitle)
        assert "\x1b" not in text_of(header)
        assert "␛[2J" in text_of(header)
        assert "\x1b" not in text_of(app.screen.query_one("#aim", Static))
        assert "\x1b" not in text_of(app.screen.query_one("#team-line", Static))


async def test_musiq_compare_shows_a_setting_with_brackets(empty_workspace: Any, plugins: Any) -> None:
    from textual.widgets import DataTable

    from pdsa_core.assessments import builtin_musiq, record_assessment

    team = _everywhere(empty_workspace)
    musiq = builtin_musiq()
    ratings: dict[str, int | None] = {fid: 4 for fid in musiq.factor_ids}
    record_assessment(empty_workspace, team, musiq, ratings, date="2023-01-12", setting="[/] Afsnit")
    record_assessment(
        empty_workspace, team, musiq, {**ratings, "team_norms": 6}, date="2023-09-01", setting=PLAN
    )
    app = PdsaApp(empty_workspace, plugins)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        compare = app.screen.query_one("#musiq-compare", DataTable)
        labels = [str(c.label) for c in compare.columns.values()]
        assert labels[1:] == ["2023-01-12 [/] Afsnit", f"2023-09-01 {PLAN}"]
        assert app.is_running and app.return_code is None


@pytest.mark.parametrize("key", ["1", "2", "3", "4", "6", "7"])
async def test_no_screen_shows_a_stored_escape_raw(empty_workspace: Any, plugins: Any, key: str) -> None:
    """Every text of a team stored with escape sequences (as an older version could): no
    screen passes one to a widget raw, and none crashes."""
    hostile = "Ond\x1b[2J \x1b]8;;file:///etc/passwd\x07link\x1b]8;;\x07 [/]"
    with tolerating(None):
        _everywhere(empty_workspace, aim=hostile, name=hostile, text=hostile)
    app = PdsaApp(empty_workspace, plugins)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.is_running and app.return_code is None
        shown = screen_text(app)
        assert "\x1b" not in shown and "\x07" not in shown
        assert (
            "\x1b" not in text_of(app.screen.query_one(HeaderTitle))
            if app.screen.query(HeaderTitle)
            else True
        )


async def test_an_indicator_with_an_impossible_stored_target_is_named_and_the_app_works(
    empty_workspace: Any, plugins: Any
) -> None:
    from pathlib import Path

    from pdsa_core.domain import Target
    from pdsa_core.workspace import Workspace

    ws = empty_workspace
    team = ws.add_team("Nord")
    ws.add_indicator(team.id, "X9", "Tvang", target=Target(3.0))
    path = Path(ws.location)
    text = path.read_text(encoding="utf-8")
    damaged = text.replace('"target":{"value":3.0', '"target":{"value":null')
    assert damaged != text, "the stored form changed; update this test"
    path.write_text(damaged, encoding="utf-8")  # as an older version stored --target nan
    reopened = Workspace.open(path)
    app = PdsaApp(reopened, plugins)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("X9: the stored target is left out" in m for m in messages), messages
        assert isinstance(app.screen, DashboardScreen)
        assert app.is_running
