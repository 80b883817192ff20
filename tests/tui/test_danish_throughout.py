"""Danish throughout: every screen, dialog and the command palette, walked in Danish, shows no
word that only the app's English texts use.

The list of English words is built from the app's own texts (``pdsa_core.i18n``, with the
TUI's texts registered): every word of an English text that no Danish text uses. A word both
languages use ("PDSA", "MUSIQ", "Baseline", "OK") is therefore not English-only. The MUSIQ
instrument's Danish texts count as Danish: they cite the model's published English title.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input
from tui_helpers import settle

import pdsa_core.assessments
import tui.texts  # noqa: F401 - registers the TUI's texts
from pdsa_core.i18n import _TEXTS, set_language
from tui.app import PdsaApp

pytestmark = pytest.mark.anyio

_WORD = re.compile(r"[A-Za-zÆØÅæøåé]{3,}")
_PLACEHOLDER = re.compile(r"\{[^}]*\}")
#: names, not prose: binding ids ("app.quit") on the help screen, for remapping keys; the
#: instrument's id ("musiq@1.0-equal-weights"); file names and paths ("/tmp/keymap.toml")
_NAME = re.compile(r"[\w/-]*[@./][\w.@/-]*\w")


#: a command line quoted in a text ("start et med: pdsa meeting start --team {team}"): names, not
#: prose, in either language (which such texts are registered depends on what was imported first)
_COMMAND = re.compile(r"\bpdsa(?: [a-z][a-z-]*){1,2}(?: --[a-z-]+(?: [^\s,;]+)?)*")


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(_COMMAND.sub(" ", _PLACEHOLDER.sub(" ", text)))}


def _danish_of(data: Any) -> Iterator[str]:
    """Every Danish text of an instrument file (the values under "da")."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "da" and isinstance(value, str):
                yield value
            else:
                yield from _danish_of(value)
    elif isinstance(data, list):
        for value in data:
            yield from _danish_of(value)


def english_only_words() -> set[str]:
    danish: set[str] = set()
    english: set[str] = set()
    for da, en in _TEXTS.values():
        danish |= _words(da)
        english |= _words(en)
    data = Path(pdsa_core.assessments.__file__).parent / "data"
    for path in data.glob("*.json"):
        for text in _danish_of(json.loads(path.read_text(encoding="utf-8"))):
            danish |= _words(text)
    return english - danish


ENGLISH = english_only_words()


def shown_text(app: Any) -> str:
    """The text of every cell of the screen as the terminal would show it (the compositor's
    lines: widgets, footer, notifications), names left out."""
    lines = app.screen._compositor.render_strips()
    return _NAME.sub(" ", "\n".join(strip.text for strip in lines))


def english_on(app: Any, data: set[str]) -> list[str]:
    """English-only words on the screen, except words of the workspace's data (``data``)."""
    text = shown_text(app)
    return [
        f"{word!r} in: {' '.join(line.split())}"
        for line in text.splitlines()
        for word in sorted(_words(line) & ENGLISH - data)
    ]


@pytest.fixture()
def danish() -> Iterator[None]:
    set_language("da")
    yield
    set_language(None)


def test_the_english_word_list_is_the_apps_own() -> None:
    """The check below can fail: the list holds the words of English texts the app shows."""
    assert {"quit", "dashboard", "meeting", "missing", "cancel", "search", "theme"} <= ENGLISH
    assert not {"pdsa", "musiq", "baseline", "import"} & ENGLISH


@pytest.mark.slow
async def test_every_screen_and_dialog_in_danish_shows_no_english(
    tui_workspace: Any, plugins: Any, danish: None
) -> None:
    ws = tui_workspace
    team = ws.teams()[0].id
    # the test workspace's values were stored with the source "test": data, shown as stored
    data = _words(" ".join(m.source for i in ws.indicators(team) for m in ws.measurements(team, i.code)))
    app = PdsaApp(ws, plugins)
    found: dict[str, list[str]] = {}

    async def look(where: str, *keys: str) -> None:
        await pilot.press(*keys)
        await settle(pilot)
        english = english_on(app, data)
        if english:
            found[where] = english

    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await look("dashboard")
        await look("driver diagram with its history", "2")
        await look("PDSA board", "3")
        await look("PDSA worksheet", "right", "enter")
        await look("back on the board", "escape")
        await look("indicator screen", "4")
        await look("value dialog", "a")
        app.screen.query_one("#field-value", Input).value = "3"
        await look("a value entered by hand (its source)", "ctrl+s")
        assert "indtastet" in shown_text(app)  # its source "manual", in Danish
        await look("import", "5")
        await look("meeting mode", "7")
        await look("decision dialog", "d")
        await look("meeting mode again", "escape")
        await look("MUSIQ", "6")
        await look("after MUSIQ", "escape")
        await look("help", "f1")
        await look("after help", "escape")
        await look("team picker", "t")
        await look("after the team picker", "escape")
        await look("new team dialog", "ctrl+n")
        await look("after the new team dialog", "escape")
        await look("command palette", "ctrl+p")
        await pilot.press(*"qqqzzz")
        for _ in range(100):  # the palette says "no matches" after half a second
            if "Ingen træffere" in shown_text(app):
                break
            await pilot.pause(0.05)
        assert "Ingen træffere" in shown_text(app)
        await look("palette, searched without a match")
        await pilot.press("escape")
        await settle(pilot)
        await look("ctrl+c tells how to quit", "ctrl+c")
        app.search_themes()  # the palette's "Farvetema" (Textual's theme chooser)
        data |= _words(" ".join(app.available_themes))  # theme names are names
        await look("theme chooser")
        assert "Søg efter farvetemaer" in shown_text(app)
        await pilot.press("escape")
        # Textual's own palette commands (theme, screenshot, maximize) are in Danish too
        system = list(app.get_system_commands(app.screen))
        assert system
        for command in system:
            english = sorted(_words(f"{command.title} {command.help}") & ENGLISH)
            if english:
                found.setdefault("system commands", []).append(f"{english} in {command.title}")
    assert not found, "\n".join(f"{where}: {line}" for where, lines in found.items() for line in lines)
