"""The footer and the row of screens are rebuilt when what they show changes, and only then."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from textual.widgets._footer import FooterKey
from tui_helpers import settle

from pdsa_core.i18n import set_language
from tui.app import PdsaApp
from tui.widgets.footer import PdsaFooter
from tui.widgets.navbar import NavBar, NavTab

pytestmark = pytest.mark.anyio


@pytest.fixture()
def danish() -> Iterator[None]:
    set_language("da")
    yield
    set_language(None)


def _keys(app: PdsaApp) -> list[FooterKey]:
    return list(app.screen.query_one(PdsaFooter).query(FooterKey))


def _descriptions(app: PdsaApp) -> list[str]:
    return [key.description for key in _keys(app)]


def _count_composes(monkeypatch: pytest.MonkeyPatch, cls: type[Any]) -> list[int]:
    made = [0]
    compose = cls.compose

    def counted(self: Any) -> Any:
        made[0] += 1
        return compose(self)

    monkeypatch.setattr(cls, "compose", counted)
    return made


async def test_the_footer_keeps_its_keys_when_the_bindings_are_the_same(
    tui_workspace: Any, plugins: Any, danish: None
) -> None:
    """Textual's footer was made anew on every change the screen's bindings might have had
    (six times while the dashboard started); how many distinct states the start passes
    through depends on timing, so this checks the rule itself."""
    app = PdsaApp(tui_workspace, plugins)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "Afslut" in _descriptions(app)  # the app's own keys, in Danish from the start
        focused = app.screen.focused
        assert focused is not None and focused.id == "ind-table"  # the list has the focus from the start
        before = _keys(app)
        for _ in range(3):
            app.screen.refresh_bindings()  # nothing changed: no new keys
            await settle(pilot)
        assert _keys(app) == before
        await pilot.press("ctrl+l")  # English: the descriptions change, so the keys are made again
        await settle(pilot)
        assert "Quit" in _descriptions(app)
        assert "Afslut" not in _descriptions(app)


async def test_the_row_of_screens_is_made_again_only_when_its_texts_change(
    tui_workspace: Any, plugins: Any, danish: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = _count_composes(monkeypatch, NavBar)
    app = PdsaApp(tui_workspace, plugins)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert made[0] == 1  # not again when its first size is known
        tabs = list(app.screen.query_one(NavBar).query(NavTab))
        assert [str(tab.content).strip() for tab in tabs][:2] == ["1 Oversigt", "2 Driverdiagram"]
        await pilot.resize_terminal(110, 40)  # still wide: the same tabs
        await settle(pilot)
        assert list(app.screen.query_one(NavBar).query(NavTab)) == tabs
        await pilot.resize_terminal(80, 24)  # narrow: the short names
        await settle(pilot)
        narrow = list(app.screen.query_one(NavBar).query(NavTab))
        assert narrow != tabs
        assert [str(tab.content).strip() for tab in narrow][1] == "2 Diagram"
