"""The app's stylesheet parses each source once per theme; a theme switch still restyles."""

from __future__ import annotations

from typing import Any

import pytest
from textual.color import Color
from textual.css.stylesheet import StylesheetParseError
from tui_helpers import count_parses, settle

from tui.app import PdsaApp
from tui.stylesheet import SharedStylesheet
from tui.themes import HIGH_CONTRAST

CSS = "Static.probe { background: $probe; }"


def _sheet(colour: str) -> SharedStylesheet:
    sheet = SharedStylesheet(variables={"probe": colour})
    sheet.add_source(CSS, read_from=("test_stylesheet.py", "probe"))
    return sheet


def test_a_source_is_parsed_once_per_set_of_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = count_parses(monkeypatch)
    red = _sheet("#ff0000")
    red.parse()
    again = _sheet("#ff0000")
    again.parse()
    again.reparse()  # what Textual's refresh_css does after setting the same variables
    assert parsed == [CSS]
    assert again.rules == red.rules

    green = _sheet("#00ff00")
    green.parse()
    assert parsed == [CSS, CSS]  # other variables: parsed again, with their values
    assert red.rules[0].styles.background == Color.parse("#ff0000")
    assert green.rules[0].styles.background == Color.parse("#00ff00")

    red.set_variables({"probe": "#0000ff"})
    red.reparse()
    assert red.rules[0].styles.background == Color.parse("#0000ff")


def test_an_error_in_a_reparse_leaves_the_rules_as_they_were() -> None:
    sheet = _sheet("#ff0000")
    sheet.parse()
    before = sheet.rules
    sheet.add_source("Static { background: nonsense-colour; }", read_from=("test_stylesheet.py", "bad"))
    with pytest.raises(StylesheetParseError):
        sheet.reparse()
    assert sheet.rules == before


@pytest.mark.anyio
async def test_high_contrast_restyles_the_screen_both_ways(tui_workspace: Any, plugins: Any) -> None:
    app = PdsaApp(tui_workspace, plugins)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.stylesheet, SharedStylesheet)
        dark = app.screen.styles.background
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert app.screen.styles.background == Color.parse(HIGH_CONTRAST.background or "")
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert app.screen.styles.background == dark


@pytest.mark.anyio
async def test_a_screen_shown_again_takes_the_large_view_chosen_meanwhile(
    tui_workspace: Any, plugins: Any
) -> None:
    """A screen shown the first time is not styled twice (tui/screens/base.py), but one shown
    again still takes what changed while another screen was on top (here the app's class of
    the large view, ``z``)."""
    app = PdsaApp(tui_workspace, plugins)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        dashboard = app.screen
        table = dashboard.query_one("#ind-table")
        before = (table.styles.max_height, table.styles.text_style)
        await pilot.press("3")  # the board
        await settle(pilot)
        assert app.screen is not dashboard
        await pilot.press("z")
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        assert app.screen is dashboard and app.has_class("-large")
        assert (table.styles.max_height, table.styles.text_style) != before
