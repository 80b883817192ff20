"""The MUSIQ screen, driven from the keyboard with Textual's Pilot on a minimal app."""

from __future__ import annotations

import io
from typing import Any

import pytest
from rich.console import Console
from textual.app import App
from textual.widgets import DataTable, Input, Static, TabbedContent
from tui_helpers import settle, text_of

from pdsa_core.assessments import MUSIQ_KEY, builtin_musiq, record_assessment
from pdsa_core.i18n import set_language
from pdsa_core.plugins import load_plugins
from tui.screens.musiq import FactorTable, MusiqScreen

pytestmark = pytest.mark.anyio


class MusiqApp(App[None]):
    """Just enough app to show the screen, as the pdsa app pushes it."""

    def __init__(self, workspace: Any, team_id: str, plugins: Any) -> None:
        super().__init__()
        self.ws, self.team_id, self.plugins = workspace, team_id, plugins

    def on_mount(self) -> None:
        self.push_screen(MusiqScreen(self.ws, self.team_id, self.plugins))


def totals_text(app: App[None]) -> str:
    """The running totals panel as plain text (it is a Rich group: a title, a table, a line)."""
    console = Console(width=60, file=io.StringIO(), record=True)
    console.print(app.screen.query_one("#musiq-totals", Static).content)
    return console.export_text()


@pytest.fixture()
def team(empty_workspace: Any) -> str:
    return empty_workspace.add_team("Psykiatrien Syd").id


@pytest.mark.slow
async def test_scoring_all_25_factors_from_the_keyboard_shows_totals_and_saves(
    empty_workspace: Any, team: str
) -> None:
    ws = empty_workspace
    app = MusiqApp(ws, team, load_plugins(fresh=True))
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MusiqScreen)
        assert screen.instrument.key == MUSIQ_KEY
        assert isinstance(app.focused, FactorTable)
        # the first factor's description of a low and a high rating is on screen
        detail = text_of(screen.query_one("#musiq-detail", Static))
        assert "External motivators" in detail and "No outside pressure" in detail
        assert "could not be confirmed from a primary source" in text_of(
            screen.query_one("#musiq-provenance")
        )

        # 25 keys: a rating or "don't know" per factor; the cursor moves on by itself.
        # Factor 5 and 14 "don't know" (n and 0), the rest 1..7 in turn.
        keys = ["n" if i == 4 else "0" if i == 13 else str(1 + i % 7) for i in range(25)]
        await pilot.press(*keys[:12])
        assert "12 of 25 factors answered" in totals_text(app)
        await pilot.press(*keys[12:])
        await settle(pilot)
        expected: dict[str, int | None] = {
            fid: (None if key in ("n", "0") else int(key))
            for fid, key in zip(builtin_musiq().factor_ids, keys, strict=True)
        }
        assert screen.ratings == expected
        totals = totals_text(app)
        total = sum(v for v in expected.values() if v is not None)  # 23 rated factors
        assert "25 of 25 factors answered" in totals
        assert f"Total {total} {round(total / 23, 2)} 2" in " ".join(totals.split())
        assert "not the official score" in totals
        # external environment: 1 + 2 = 3; organisation: 3 + 4 + N/A + 6 + 7 = 20
        assert "External environment 3 1.5 0" in " ".join(totals.split())
        assert "Organisation 20 5 1" in " ".join(totals.split())

        # the cursor stays on the last factor; arrows move back and a digit corrects a rating
        await pilot.press("up", "up", "5")
        assert screen.ratings["team_accountability"] == 5

        # saving needs the setting: type it, then Ctrl+S
        setting = screen.query_one("#musiq-setting", Input)
        setting.focus()
        await pilot.press(*"Vordingborg Kommune")
        screen.query_one("#musiq-date", Input).value = "2023-05-04"
        await pilot.press("ctrl+s")
        await settle(pilot)
        (saved,) = ws.assessments(team)
        assert (saved.date, saved.setting, saved.instrument_version) == (
            "2023-05-04",
            "Vordingborg Kommune",
            "1.0-equal-weights",
        )
        assert {r.factor: r.value for r in saved.ratings} == {**expected, "team_accountability": 5}
        assert screen.saved == [saved.id]
        # the form is cleared and the comparison tab shows the saved assessment
        assert screen.ratings == {}
        assert screen.query_one(TabbedContent).active == "musiq-tab-compare"
        compare = screen.query_one("#musiq-compare", DataTable)
        assert compare.row_count == 5 + 3 + 25  # levels, total/mean/N/A, factors
        notes = text_of(screen.query_one("#musiq-compare-notes", Static))
        assert "Suggested focus" in notes and "Data infrastructure (1)" in notes


async def test_saving_an_incomplete_form_saves_nothing_and_points_at_the_first_gap(
    empty_workspace: Any, team: str
) -> None:
    app = MusiqApp(empty_workspace, team, load_plugins(fresh=True))
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("4", "4", "4")
        screen.query_one("#musiq-setting", Input).value = "regionspsykiatrien"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert empty_workspace.assessments(team) == []
        table = screen.query_one(FactorTable)
        assert app.focused is table and table.cursor_row == 3
        assert "Senior leader project sponsor" in text_of(screen.query_one("#musiq-detail", Static))


async def test_compare_and_chart_of_earlier_assessments_in_danish(empty_workspace: Any, team: str) -> None:
    ws = empty_workspace
    musiq = builtin_musiq()
    ratings: dict[str, int | None] = {fid: 4 for fid in musiq.factor_ids}
    record_assessment(ws, team, musiq, ratings, date="2022-01-12", setting="regionspsykiatrien")
    record_assessment(ws,
        team, musiq, {**ratings, "resource_availability": 6, "team_leadership": 2}, date="2022-09-01",
        setting="regionspsykiatrien",
    )  # fmt: skip
    set_language("da")
    try:
        app = MusiqApp(ws, team, load_plugins(fresh=True))
        async with app.run_test(size=(100, 32)) as pilot:
            await settle(pilot)
            screen = app.screen
            assert "Eksterne motivatorer" in text_of(screen.query_one("#musiq-detail", Static))
            await pilot.press("f3")
            await settle(pilot)
            assert screen.query_one(TabbedContent).active == "musiq-tab-compare"
            notes = " ".join(text_of(screen.query_one("#musiq-compare-notes", Static)).split())
            assert "Flyttede sig fra 2022-01-12 til 2022-09-01" in notes
            assert "Ressourcer til rådighed 4→6 (+2)" in notes
            assert "Teamledelse (2)" in notes
            compare = screen.query_one("#musiq-compare", DataTable)
            assert [str(c.label) for c in compare.columns.values()] == [
                "Faktor",
                "2022-01-12 regionspsykia",
                "2022-09-01 regionspsykia",
            ]
            assert compare.get_row("resource_availability")[1:] == ["4", "6"]
            await pilot.press("f4")
            await settle(pilot)
            assert screen.query_one(TabbedContent).active == "musiq-tab-chart"
            shot = app.export_screenshot()
            assert "Gennemsnit" in shot and "2022-09-01" in shot
    finally:
        set_language(None)


async def test_switching_language_keeps_the_ratings_typed_so_far(empty_workspace: Any, team: str) -> None:
    app = MusiqApp(empty_workspace, team, load_plugins(fresh=True))
    try:
        async with app.run_test(size=(100, 32)) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, MusiqScreen)
            await pilot.press("6", "n", "2")
            screen.query_one("#musiq-setting", Input).value = "Vordingborg Kommune"
            set_language("da")
            await screen.relabel()
            await settle(pilot)
            assert screen.ratings == {
                "external_motivators": 6,
                "project_sponsorship": None,
                "qi_leadership_senior": 2,
            }
            assert screen.query_one("#musiq-setting", Input).value == "Vordingborg Kommune"
            assert screen.query_one(FactorTable).cursor_row == 3
            detail = text_of(screen.query_one("#musiq-detail", Static))
            assert "Ledelsesmæssig sponsor for projektet" in detail
            assert "3 af 25 faktorer besvaret" in totals_text(app)
            await pilot.press("escape")
            await settle(pilot)
            assert not isinstance(app.screen, MusiqScreen)
    finally:
        set_language(None)
