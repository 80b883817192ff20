"""The command palette (ctrl+p): every key-bound action of every screen, every team,
indicator and PDSA cycle of the current team, in the current language."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.align import Align
from rich.text import Text
from textual.binding import Binding
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.widgets.option_list import Option

from pdsa_core.errors import PdsaError
from pdsa_core.i18n import t

if TYPE_CHECKING:  # pragma: no cover
    from tui.app import PdsaApp


def _bindings(owner: Any) -> list[tuple[str, Binding]]:
    """The bindings of a screen or the app that have an id (the palette's commands), with the id."""
    return [(b.id, b) for b in getattr(owner, "BINDINGS", []) if isinstance(b, Binding) and b.id]


class PdsaCommands(Provider):
    """Commands built from the bindings (so a new key binding is in the palette too) and data."""

    def commands(self) -> Iterator[tuple[str, str, Callable[[], Any]]]:
        app: PdsaApp = self.app  # type: ignore[assignment]
        seen: set[str] = set()
        # app-wide actions
        for binding_id, b in _bindings(type(app)):
            if binding_id in seen or binding_id == "app.palette":
                continue
            seen.add(binding_id)
            yield (
                t(f"tui.key.{binding_id}"),
                self._key_help(binding_id),
                partial(self._run_app_action, b.action),
            )
        # every screen's actions: switch to the screen first
        from tui.modes import screen_classes

        for mode, screen_cls in screen_classes().items():
            screen_name = t(f"tui.screen.{mode}")
            for binding_id, b in _bindings(screen_cls):
                if binding_id in seen:
                    continue
                seen.add(binding_id)
                yield (
                    f"{screen_name}: {t(f'tui.key.{binding_id}')}",
                    self._key_help(binding_id),
                    partial(self._run_screen_action, mode, b.action),
                )
        yield from self._data_commands(app)

    def _key_help(self, binding_id: str) -> str:
        key = self.app.keys_for(binding_id)  # type: ignore[attr-defined]
        return f"{t('tui.help.col.key')}: {key}" if key else ""

    def _data_commands(self, app: PdsaApp) -> Iterator[tuple[str, str, Callable[[], Any]]]:
        try:
            teams = app.ws.teams()
            for team in teams:
                yield f"{t('team')}: {team.name}", team.region.value, partial(app.set_team, team.id)
            if app.team_id is None:
                return
            for indicator in app.ws.indicators(app.team_id):
                yield (
                    f"{t('indicator')}: {indicator.code} {indicator.name(app.language)}",
                    t("tui.screen.indicator"),
                    partial(app.open_indicator, indicator.code),
                )
            for cycle in app.ws.cycles(app.team_id):
                yield (
                    f"{t('cycle')}: {cycle.title}",
                    t(f"status.{cycle.status.value}"),
                    partial(app.open_cycle, cycle.id),
                )
        except PdsaError:
            return

    async def _run_app_action(self, action: str) -> None:
        await self.app.run_action(action)

    async def _run_screen_action(self, mode: str, action: str) -> None:
        app: PdsaApp = self.app  # type: ignore[assignment]
        await app.goto(mode)
        await app.run_action(action, app.screen)

    async def discover(self) -> Hits:
        for title, help_text, callback in self.commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self.commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)


class Palette(CommandPalette):
    """Textual's command palette, saying "no matches" in the current language."""

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual's own (textual/command.py) with the text translated; an empty search is
        # discovery, where an empty list needs no message
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(t("tui.sys.no_matches"), style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
