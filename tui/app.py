"""The pdsa Textual app: screens as modes, key bindings with ids, a command palette.

``run_app(location, lang=, plugins_dirs=, title_suffix=)`` is what ``pdsa`` (without a
command) and ``pdsa demo`` call. The app is a thin layer: each action calls a
:class:`~pdsa_core.workspace.Workspace` method; a :class:`~pdsa_core.errors.PdsaError`
becomes a notification, never a traceback.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import WorkerFailed, get_current_worker

import tui.texts  # noqa: F401 - registers the TUI's texts
from pdsa_core.errors import PdsaError
from pdsa_core.i18n import get_language, set_language, t
from pdsa_core.literal import visible
from pdsa_core.overview import first_team
from pdsa_core.overview_in_advance import FirstScreen, open_with_plugins
from pdsa_core.startup import resume_gc
from tui.keys import binding, load_keymap, localize_bindings
from tui.modes import MODE_SCREENS, TEAM_MODES, screen_class, screen_classes
from tui.screens.base import PdsaScreen
from tui.stylesheet import SharedStylesheet, load_saved_rules, save_parsed_rules
from tui.themes import HIGH_CONTRAST

#: how often another process's changes to the workspace are looked for (seconds)
POLL_SECONDS = 2.0
#: how long after painting a first screen read in advance the workspace is opened (seconds):
#: meanwhile Textual's writer thread puts the screen on the terminal (it needs the
#: interpreter, which parsing the workspace file would hold)
OPEN_AFTER_PAINT = 0.03

if TYPE_CHECKING:
    from pdsa_core.plugins import Plugins
    from pdsa_core.workspace import Workspace


@runtime_checkable
class Relabelling(Protocol):
    """A screen that sets its texts again in the new language when the language is switched."""

    async def relabel(self) -> None: ...


def _commands_provider() -> type[Any]:
    """The command palette's provider (imported when the palette first opens)."""
    from tui.commands import PdsaCommands

    return PdsaCommands


def _new_screen(mode: str) -> Screen[Any]:
    return screen_class(mode)()


class PdsaApp(App[None]):
    """The meeting screen for one workspace."""

    CSS_PATH = "app.tcss"
    #: binding id -> default keys, from every screen's bindings (made once: ``_default_keys``)
    _class_keys: dict[str, str] | None = None
    TITLE = "pdsa"
    MODES: ClassVar[dict[str, Any]] = {
        mode: partial(_new_screen, mode) for mode in MODE_SCREENS if mode not in TEAM_MODES
    }
    DEFAULT_MODE = "dashboard"
    COMMANDS = App.COMMANDS | {_commands_provider}
    BINDINGS = [
        binding("q", "quit", "app.quit"),
        binding("f1,question_mark", "help", "app.help"),
        binding("t", "pick_team", "app.team"),
        binding("1", "nav('dashboard')", "nav.dashboard", show=False),
        binding("2", "nav('diagram')", "nav.diagram", show=False),
        binding("3", "nav('board')", "nav.board", show=False),
        binding("4", "nav('indicator')", "nav.indicator", show=False),
        binding("5", "nav('import')", "nav.import", show=False),
        binding("6", "nav('musiq')", "nav.musiq", show=False),
        binding("7", "nav('meeting')", "nav.meeting", show=False),
        binding("escape", "back", "app.back"),
        binding("ctrl+l", "toggle_language", "app.language", show=False),
        binding("ctrl+t", "toggle_contrast", "app.contrast", show=False),
        binding("z", "toggle_large", "app.zoom", show=False),
        binding("ctrl+n", "new_team", "app.new_team", show=False),
        # Textual's own palette binding would say "palette" in the footer in every language
        binding("ctrl+p", "command_palette", "app.palette", show=False, priority=True),
    ]

    def __init__(
        self,
        workspace: Workspace | None,
        plugins: Plugins | None = None,
        *,
        title_suffix: str = "",
        first_screen: FirstScreen | None = None,
        opener: Callable[[], tuple[Workspace, Plugins]] | None = None,
    ) -> None:
        """``workspace`` with its ``plugins`` attached; or None, with ``first_screen`` (what
        the first screen shows, read in advance: :mod:`pdsa_core.overview_in_advance`) and
        ``opener``, which opens the workspace and loads its plugins once the first screen is
        painted (:meth:`open_workspace`), or as soon as something needs them."""
        super().__init__()
        if workspace is None and (first_screen is None or opener is None):
            raise ValueError("a workspace, or a first screen read in advance and an opener")
        self._first_screen = first_screen
        #: the first team's dashboard read in advance, taken once (see take_overview_in_advance)
        self._first_overview = first_screen.overview if first_screen is not None else None
        self._opener = opener
        self._opening = threading.Lock()
        self._mounted = False
        self.stylesheet = SharedStylesheet(variables=self.get_css_variables())
        self._start_up_over = False  # see start_up_over
        self._ws = workspace
        self._plugins = plugins
        self.title = f"pdsa{title_suffix}"
        self.data_version = 0
        self.language = get_language()
        self.indicator_code: str | None = None
        self.team_id: str | None = (
            first_team(workspace) if workspace is not None else first_screen.team_id if first_screen else None
        )
        self._last_revision: int | None = None
        self._own_change = False
        self._subscription: Any = None
        self._theme_before_contrast = "textual-dark"
        #: why the server cannot be reached ("" when connected, or a workspace file)
        self.connection_problem = ""
        self.return_mode: str | None = None
        """The screen Esc returns to (meeting mode, after Enter opened an item's full screen)."""
        self.previous_mode = self.DEFAULT_MODE
        for mode in TEAM_MODES:
            self.add_mode(mode, partial(self._team_screen, mode))

    # -- the workspace ----------------------------------------------------------------------------
    @property
    def ws(self) -> Workspace:
        """The workspace (opened now if the app started from a first screen read in advance)."""
        if self._ws is None:
            self.open_workspace()
        assert self._ws is not None
        return self._ws

    @property
    def plugins(self) -> Plugins | None:
        """The loaded plugins, attached to :attr:`ws` (loaded with it, see :attr:`ws`)."""
        if self._ws is None:
            self.open_workspace()
        return self._plugins

    def open_workspace(self) -> None:
        """Open the workspace and load its plugins, once, when the app started from a first
        screen read in advance: after that screen is painted (:meth:`start_up_over`), or
        before if something needs them first. A :class:`~pdsa_core.errors.PdsaError` (the
        file was removed or damaged meanwhile) is raised to the caller."""
        with self._opening:
            if self._ws is not None:
                return
            assert self._opener is not None
            self._ws, self._plugins = self._opener()
        if not self._mounted:
            return  # on_mount does the rest
        if threading.get_ident() == self._thread_id:
            self._after_opening()
        else:  # a worker needed the workspace first: the rest is the app's own thread's work
            self.call_from_thread(self._after_opening)

    def take_overview_in_advance(self, team_id: str) -> dict[str, Any] | None:
        """The dashboard data of ``team_id`` read before the app started, once, if they are
        still what the workspace shows (:mod:`pdsa_core.overview_in_advance`; once the
        workspace is opened, :meth:`_after_opening` shows the screen again if not); else None."""
        overview, self._first_overview = self._first_overview, None
        first = self._first_screen
        if overview is None or first is None or team_id != first.team_id:
            return None
        if self._ws is not None and not first.shows(self._ws):
            return None
        return overview

    # -- start ----------------------------------------------------------------------------------
    def on_mount(self) -> None:
        self.register_theme(HIGH_CONTRAST)
        localize_bindings(self)
        first = self._first_screen
        settings = first.settings if self._ws is None and first is not None else self.ws.settings()
        keymap, problems = load_keymap(settings)
        if keymap:
            self.set_keymap(keymap)
        for problem in problems:
            self.notify(problem, title=t("error"), severity="warning", timeout=10)
        self._update_subtitle()
        self._mounted = True
        if self._ws is not None:
            self._after_opening()
        # the dashboard ends the start-up once it is shown; this is for other first screens
        self.set_timer(2.0, self.start_up_over)

    def _after_opening(self) -> None:
        """What the start does once the app runs and the workspace is open: the plugins'
        problems and the indicators read with a part left out are shown, other programs'
        changes followed, and a first screen read in advance from a file changed since is
        shown again."""
        plugins = self._plugins
        for failure in getattr(plugins, "errors", []) or []:
            self.plugin_problem(failure)
        if plugins is not None:  # later ones, such as a failing on_event, too
            plugins.error_listeners.append(self.plugin_problem)
        self._report_indicator_problems()
        self._follow_changes()
        first = self._first_screen
        if first is not None and self._ws is not None and not first.shows(self._ws):
            self._external_change()

    def start_up_over(self) -> None:
        """The first screen is on show: the collector runs again, and what this start worked
        out for the next one is kept in the cache folder (the dataclass methods' code, the
        parsed stylesheets), now rather than at the end, which a closed terminal never reaches.
        Once: the dashboard calls it after each time it is shown, and a later call would write
        the stylesheets parsed for other screens meanwhile on the way to the next key (the
        end of :func:`run_app` keeps those). A start from a first screen read in advance opens
        the workspace first, :data:`OPEN_AFTER_PAINT` later."""
        if self._start_up_over:
            return
        self._start_up_over = True
        if self._ws is None:  # a first screen read in advance: now the workspace itself
            self.set_timer(OPEN_AFTER_PAINT, self._end_start_up)
        else:
            self._end_start_up()

    def _end_start_up(self) -> None:
        try:
            self.open_workspace()
        except PdsaError as exc:  # removed or damaged since it was read: say so, as a start would
            self.exit(return_code=1, message=str(exc))
            return
        resume_gc()
        save_parsed_rules()

    def _follow_changes(self) -> None:
        """Live updates from a shared (PostgreSQL) workspace, else poll the file's revision."""
        try:
            self._subscription = self.ws.store.subscribe(self._on_store_change)
        except PdsaError as exc:
            self.show_error(exc)
        if self._subscription is None:
            self.set_interval(POLL_SECONDS, self._poll)
        else:
            self.set_interval(1.0, self._watch_connection)

    def _watch_connection(self) -> None:
        """Show whether the server can be reached (the listener notices within a second)."""
        problem = getattr(self._subscription, "error", "") or ""
        if not problem and self.ws.connection_problem is not None:
            # the listener is connected again: read once more (the workspace retries at most
            # every few seconds), or the title would say "no connection" until the next read
            try:
                self.ws.snapshot()
            except PdsaError:
                pass
            if self.ws.connection_problem is not None:
                problem = self.ws.connection_problem.message
        if problem == self.connection_problem:
            return
        lost = bool(problem) and not self.connection_problem
        self.connection_problem = problem
        self._update_subtitle()
        if lost:
            self.notify(t("tui.connection.lost"), severity="warning", timeout=8)
        elif not problem:
            self.notify(t("tui.connection.back"), timeout=4)
            self._external_change(t("tui.connection.back"))

    def _on_store_change(self, event: Any) -> None:
        """Called on the store's listener thread after anyone's commit; says who changed what."""
        if event.own:
            return
        self.call_from_thread(self._external_change, event.summary(self.language))

    def on_unmount(self) -> None:
        if self._subscription is not None:
            self._subscription.close()
        plugins = self._plugins
        if plugins is not None and self.plugin_problem in plugins.error_listeners:
            plugins.error_listeners.remove(self.plugin_problem)

    def plugin_problem(self, failure: Any) -> None:
        """A plugin's failure (a :class:`~pdsa_core.plugins.PluginFailure`, one line naming the
        plugin, the file and the line) as a notification, shown literally; the CLI prints the
        same line. Thread-safe (an event may come from a worker)."""
        message = visible(str(failure))
        self.notify(message, title=t("tui.plugin_problem"), severity="warning", timeout=10, markup=False)

    # -- shared state ---------------------------------------------------------------------------
    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification shows its text literally: messages quote names, titles and aims
        (``Plan [/] B``), which must never be read as markup (``markup`` is ignored)."""
        super().notify(
            visible(message), title=visible(title), severity=severity, timeout=timeout, markup=False
        )

    def _report_indicator_problems(self) -> None:
        """Name each of the team's indicators that was read with a part left out (an impossible
        target stored by an older version), as the CLI's indicator list does."""
        if self.team_id is None:
            return
        try:
            indicators = self.ws.indicators(self.team_id)
        except PdsaError:
            return
        for indicator in indicators:
            if indicator.problem:
                text = indicator.problem_da if self.language == "da" else indicator.problem
                self.notify(text, title=t("warning"), severity="warning", timeout=12)

    def format_title(self, title: str, sub_title: str) -> Content:
        """The header's title and sub-title (team names, cycle titles) with no escape obeyed."""
        return super().format_title(visible(title), visible(sub_title))

    def show_error(self, exc: PdsaError) -> None:
        self.notify(str(exc), title=t("error"), severity="error", timeout=8)

    def attempt(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Call a core function; a PdsaError becomes a notification and the result is None."""
        try:
            return fn(*args, **kwargs)
        except PdsaError as exc:
            self.show_error(exc)
            return None

    def changed(self) -> None:
        """After a change made here: show it on the current screen (others catch up when shown)."""
        self._own_change = True
        self.data_version += 1
        self._sync_screen()

    def _sync_screen(self) -> None:
        screen = self.screen
        if isinstance(screen, PdsaScreen):
            screen.sync()
        else:  # a dialog or a pushed screen is on top: refresh the screen below it
            for below in reversed(self.screen_stack):
                if isinstance(below, PdsaScreen):
                    below.sync()
                    break
        if hasattr(screen, "sync") and not isinstance(screen, PdsaScreen):
            screen.sync()

    def _poll(self) -> None:
        self._check_revision()

    @work(thread=True, exclusive=True, group="poll")
    def _check_revision(self) -> None:
        """Look for changes made by another process (the file's revision moved on)."""
        try:
            revision = self.ws.revision
        except PdsaError:
            return
        if get_current_worker().is_cancelled:
            return
        previous, self._last_revision = self._last_revision, revision
        if previous is None or previous == revision:
            return
        if self._own_change:
            self._own_change = False
            return
        self.call_from_thread(self._external_change)

    def _external_change(self, summary: str | None = None) -> None:
        self.data_version += 1
        teams = {team.id for team in self.ws.teams()}
        if self.team_id not in teams:
            self.team_id = next(iter(sorted(teams)), None)
        self._update_subtitle()
        self._sync_screen()
        self.notify(summary or t("tui.changed_elsewhere"), timeout=4)

    def set_team(self, team_id: str | None, *, then: Callable[[], Any] | None = None) -> None:
        """Show another team; input typed for the current team is saved or discarded first (asked).

        ``then`` is called once the team is shown (not when the user chose to stay).
        """
        from tui.unsaved import ask_before_leaving

        def switch() -> None:
            self._show_team(team_id)
            if then is not None:
                then()

        if team_id == self.team_id:
            switch()
            return
        ask_before_leaving(self, self._holders_of_team_input(), switch)

    def _show_team(self, team_id: str | None) -> None:
        changed = team_id != self.team_id
        if changed:
            while len(self.screen_stack) > 1:
                self.pop_screen()
        self.team_id = team_id
        self.indicator_code = None
        self.return_mode = None
        self._update_subtitle()
        self.data_version += 1
        if changed:
            self._renew_team_modes()
            if team_id is not None:
                self.notify(t("tui.team.switched", name=self.ws.team(team_id).name), timeout=3)
        self._sync_screen()

    def _renew_team_modes(self) -> None:
        """Meeting mode and MUSIQ are made again for the new team when next shown."""
        for mode in TEAM_MODES:
            if mode == self.current_mode:
                self.call_next(self._reopen_team_mode, mode)
            else:
                self.remove_mode(mode)
                self.add_mode(mode, partial(self._team_screen, mode))

    async def _reopen_team_mode(self, mode: str) -> None:
        await self.switch_mode(self.DEFAULT_MODE)
        await self.remove_mode(mode)
        self.add_mode(mode, partial(self._team_screen, mode))
        if self.team_id is not None:
            await self.switch_mode(mode)

    def _update_subtitle(self) -> None:
        first = self._first_screen
        if self.team_id is None:
            title = t("tui.no_team")
        elif self._ws is None and first is not None and first.team_id == self.team_id:
            title = first.team_name or ""
        else:
            try:
                title = self.ws.team(self.team_id).name
            except PdsaError:
                title = t("tui.no_team")
        if self.connection_problem:
            title = f"{title} · ⚠ {t('tui.connection.offline')}"
        self.sub_title = title

    def _handle_exception(self, error: Exception) -> None:
        """A PdsaError that escaped a screen or a worker (the server went away mid-action, a
        plugin's rule set failed) is a message, never a crash (whose traceback could show the
        workspace's address)."""
        if isinstance(error, WorkerFailed) and isinstance(error.error, PdsaError):
            error = error.error
        if isinstance(error, PdsaError):
            self.show_error(error)
            return
        super()._handle_exception(error)

    def binding_keys(self, binding_id: str) -> list[str]:
        """The keys bound to a binding id now (the keymap wins over the default)."""
        keys = self._keymap.get(binding_id)
        if keys is None:
            keys = self._default_keys(binding_id)
        return [k.strip() for k in (keys or "").split(",") if k.strip()]

    def _default_keys(self, binding_id: str) -> str | None:
        """The default keys of a binding id: the app's own, the shown screens' own, else any screen's.

        Binding ids are named after their screen (``indicator.baseline``), so the shown screen
        usually has it: the indicator view's hint line asks on every key press, and collecting
        every screen's bindings imports every screen's module (the help screen's Markdown
        widget: ~0.2 s on the first visit of the indicator view). That collection is made
        once, when first needed: classes' bindings do not change while the app runs.
        """
        try:
            shown = [type(screen) for screen in reversed(self.screen_stack)]
        except KeyError:  # no screen yet (the app is not running)
            shown = []
        owners: list[Any] = [type(self), *shown]
        for owner in owners:
            for b in getattr(owner, "BINDINGS", []):
                if isinstance(b, Binding) and b.id == binding_id:
                    return b.key
        if self._class_keys is None:
            found: dict[str, str] = {}
            for b in self._bindings_of_classes():
                if b.id:
                    found.setdefault(b.id, b.key)
            self._class_keys = found
        return self._class_keys.get(binding_id)

    def keys_for(self, binding_id: str) -> str:
        """The first key of a binding as shown to the user ("" if none)."""
        keys = self.binding_keys(binding_id)
        return self.get_key_display(Binding(keys[0], "")) if keys else ""

    def keys_for_display(self, b: Binding) -> str:
        keys = self.binding_keys(b.id) if b.id else [k.strip() for k in b.key.split(",")]
        return " / ".join(self.get_key_display(Binding(k, "")) for k in keys)

    def action_musiq(self) -> None:
        """Score and compare the team's MUSIQ assessments."""
        self.switch_to("musiq")

    def action_meeting(self) -> None:
        """Meeting mode: go through the agenda of the team's monthly meeting on the projector."""
        self.switch_to("meeting")

    def _team_screen(self, mode: str) -> Screen[Any]:
        """The screen of a team mode for the current team (made when the mode is first shown)."""
        assert self.team_id is not None
        if mode == "musiq":
            from tui.screens.musiq import MusiqScreen

            return MusiqScreen(self.ws, self.team_id, self.plugins)
        from tui.screens.meeting import MeetingScreen

        return MeetingScreen(self.ws, self.team_id)

    def extra_binding_owners(self) -> list[tuple[str, Any]]:
        """Screens that are not modes but have key bindings (listed on the help screen)."""
        from tui.screens.worksheet import WorksheetScreen

        return [(t("tui.screen.worksheet"), WorksheetScreen)]

    def _bindings_of_classes(self) -> list[Binding]:
        from tui.screens.help import HelpScreen

        found: list[Binding] = []
        owners = [
            type(self),
            *screen_classes().values(),
            *(cls for _, cls in self.extra_binding_owners()),
            HelpScreen,
        ]
        for owner in owners:
            for item in getattr(owner, "BINDINGS", []):
                if isinstance(item, Binding):
                    found.append(item)
        return found

    def remap(self, binding_id: str, key: str | None) -> None:
        """Bind ``binding_id`` to ``key`` (None: back to the default) in the workspace's keymap."""
        keymap = dict(self.ws.settings().get("keymap", {}) or {})
        if key:
            keymap[binding_id] = key
        else:
            keymap.pop(binding_id, None)
        if self.attempt(self.ws.update_settings, keymap=keymap) is None:
            return
        self._own_change = True
        merged, problems = load_keymap(self.ws.settings())
        self.set_keymap(merged)
        for problem in problems:
            self.notify(problem, title=t("error"), severity="warning")
        shown = self.keys_for(binding_id)
        self.notify(t("tui.help.remapped", what=t(f"tui.key.{binding_id}"), keys=shown), timeout=4)
        for screen in self.screen_stack:
            for nav in screen.query("NavBar"):
                nav.refresh(recompose=True)

    # -- navigation -----------------------------------------------------------------------------
    def _pushed_screens(self) -> list[Screen[Any]]:
        """The screens over the current screen's base (a worksheet, a dialog), the top one first."""
        return list(reversed(self.screen_stack[1:]))

    def _stacks(self) -> dict[str, list[Screen[Any]]]:
        """Every mode's screens (the current mode's first), each stack top screen first."""
        stacks = {mode: list(reversed(stack)) for mode, stack in self._screen_stacks.items()}
        current = stacks.pop(self.current_mode, list(reversed(self.screen_stack)))
        return {self.current_mode: current, **stacks}

    def _holders_of_team_input(self) -> list[Screen[Any]]:
        """The screens a team switch closes: those pushed here and every screen of the team modes."""
        found = self._pushed_screens()
        for mode, stack in self._stacks().items():
            if mode in TEAM_MODES:
                found += [screen for screen in stack if screen not in found]
        return found

    def _can_show(self, mode: str) -> bool:
        if mode not in MODE_SCREENS:
            return False
        if mode in TEAM_MODES and self.team_id is None:
            self.notify(t("tui.no_team"), severity="warning")
            return False
        if mode == "musiq" and not self._has_instrument():
            return False
        return True

    def _has_instrument(self) -> bool:
        from pdsa_core.assessments import Instrument

        items = self.plugins.items("instruments") if self.plugins is not None else {}
        if any(isinstance(item, Instrument) for item in items.values()):
            return True
        self.show_error(
            PdsaError(
                "no assessment instrument is registered (the built-in MUSIQ plugin is missing)",
                da="intet vurderingsværktøj er registreret (det indbyggede MUSIQ-plugin mangler)",
            )
        )
        return False

    def switch_to(self, mode: str, *, return_to: str | None = None) -> None:
        """Show a screen; screens pushed over the current one are closed (asking before input is lost).

        ``return_to``: the screen Esc goes back to (meeting mode opens an item's full screen).
        """
        from tui.unsaved import ask_before_leaving

        if not self._can_show(mode):
            return

        def go() -> None:
            while len(self.screen_stack) > 1:
                self.pop_screen()
            self.return_mode = return_to
            if self.current_mode != mode:
                self.previous_mode = self.current_mode
                self.switch_mode(mode)

        ask_before_leaving(self, self._pushed_screens(), go)

    async def goto(self, mode: str) -> None:
        """Switch to a screen and wait until it is shown (asks first if input would be lost)."""
        from tui.unsaved import unsaved

        if not self._can_show(mode):
            return
        if any(unsaved(screen) for screen in self._pushed_screens()):
            self.switch_to(mode)
            return
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.return_mode = None
        if self.current_mode != mode:
            self.previous_mode = self.current_mode
            await self.switch_mode(mode)

    def action_nav(self, mode: str) -> None:
        self.switch_to(mode)

    async def action_back(self) -> None:
        """Esc on a screen opened from meeting mode: back to the same item of the agenda."""
        if self.return_mode:
            self.switch_to(self.return_mode)

    def leave_mode(self) -> None:
        """Esc on meeting mode or MUSIQ: back to the screen shown before it."""
        target = self.return_mode or self.previous_mode
        if target == self.current_mode or target not in MODE_SCREENS:
            target = self.DEFAULT_MODE
        self.switch_to(target)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return bool(self.return_mode) and self.current_mode != self.return_mode
        return True

    def open_indicator(self, code: str, *, return_to: str | None = None) -> None:
        self.indicator_code = code
        self.switch_to("indicator", return_to=return_to)

    def open_cycle(self, cycle_id: str) -> None:
        """Show a cycle's PDSA worksheet over the current screen."""
        from tui.screens.worksheet import WorksheetScreen
        from tui.unsaved import ask_before_leaving

        cycle = self.attempt(self.ws.cycle, cycle_id)
        if cycle is None:
            return
        if cycle.team_id != self.team_id:
            self.set_team(cycle.team_id, then=lambda: self.open_cycle(cycle_id))
            return
        screen = self.screen
        if isinstance(screen, WorksheetScreen):
            ask_before_leaving(self, [screen], lambda: self.call_next(screen.show_cycle, cycle.id))
        else:
            self.push_screen(WorksheetScreen(cycle.id))

    def new_cycle(self, *, change_idea: str = "", title: str = "") -> None:
        """Plan a PDSA cycle (``ws.add_cycle``) and open its worksheet."""
        from tui.dialogs.cycle import new_cycle_dialog

        if self.team_id is None:
            self.notify(t("tui.no_team"), severity="warning")
            return

        def created(cycle: Any) -> None:
            if cycle:
                self.notify(t("tui.cycle.created", title=cycle.title))
                self.changed()
                self.call_after_refresh(self.open_cycle, cycle.id)

        self.push_screen(
            new_cycle_dialog(self.ws, self.team_id, change_idea=change_idea, title=title), created
        )

    def act_on(self, cycle_id: str, *, on_done: Callable[[Any, Any], None] | None = None) -> None:
        """The Act decision for a cycle (``ws.act``): adopt, adapt (plans the next cycle) or abandon."""
        from tui.dialogs.cycle import act_dialog

        cycle = self.attempt(self.ws.cycle, cycle_id)
        if cycle is None:
            return

        def decided(result: Any) -> None:
            if not result:
                return
            done, follow_up = result
            self.notify(
                t(
                    "tui.cycle.acted",
                    title=done.title,
                    decision=t(f"tui.act.decided.{done.act_decision.value}"),
                )
            )
            if follow_up is not None:
                self.notify(t("tui.cycle.next_created", title=follow_up.title))
            if on_done is not None:
                on_done(done, follow_up)
            self.changed()

        self.push_screen(act_dialog(self.ws, cycle), decided)

    # -- Textual's own commands and texts, in the app's language ------------------------------------
    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's built-in palette commands in the current language.

        Quit and Keys are left out: the palette has pdsa's own "Quit" (which asks before
        unsaved input is dropped) and "Help" (pdsa's help screen, in the current language).
        """
        yield SystemCommand(t("tui.sys.theme"), t("tui.sys.theme_help"), self.action_change_theme)
        if screen.maximized is not None:
            yield SystemCommand(t("tui.sys.minimize"), t("tui.sys.minimize_help"), screen.action_minimize)
        elif screen.focused is not None and screen.focused.allow_maximize:
            yield SystemCommand(t("tui.sys.maximize"), t("tui.sys.maximize_help"), screen.action_maximize)
        yield SystemCommand(
            t("tui.sys.screenshot"),
            t("tui.sys.screenshot_help"),
            lambda: self.set_timer(0.1, self.deliver_screenshot),
        )

    def action_command_palette(self) -> None:
        """The command palette, its prompt in the current language."""
        from tui.commands import Palette

        if self.use_command_palette and not Palette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(Palette(id="--command-palette", placeholder=t("tui.sys.search_commands")))

    def search_themes(self) -> None:
        """The theme chooser, its prompt in the current language."""
        from textual.theme import ThemeProvider

        from tui.commands import Palette

        self.push_screen(Palette(providers=[ThemeProvider], placeholder=t("tui.sys.search_themes")))

    def action_help_quit(self) -> None:
        """Ctrl+C does not quit (it copies); say which key does, in the current language."""
        key = self.keys_for("app.quit")
        if key:
            self.notify(t("tui.sys.how_to_quit", keys=key), title=t("tui.sys.quit_question"))

    # -- app actions ----------------------------------------------------------------------------
    async def action_quit(self) -> None:
        """Quit; input not yet saved on any screen is saved or discarded first (asked)."""
        from tui.unsaved import ask_before_leaving

        holders = [screen for stack in self._stacks().values() for screen in stack]
        ask_before_leaving(self, holders, self.exit)

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_pick_team(self) -> None:
        from tui.dialogs.team import NEW_TEAM, team_picker  # the dialogs' widgets: not at start

        def chosen(team_id: str | None) -> None:
            if team_id == NEW_TEAM:
                self.action_new_team()
            elif team_id and team_id != self.team_id:
                self.set_team(team_id)

        self.push_screen(team_picker(self.ws), chosen)

    def action_new_team(self) -> None:
        from tui.dialogs.team import new_team_dialog

        def created(team: Any) -> None:
            if team:
                self.notify(t("tui.team.created", name=team.name))
                self.set_team(team.id)
                self._own_change = True

        self.push_screen(new_team_dialog(self.ws, self.plugins), created)

    async def action_toggle_language(self) -> None:
        self.language = "en" if self.language == "da" else "da"
        set_language(self.language)
        localize_bindings(self)
        self._update_subtitle()
        for screen in self.screen_stack:
            localize_bindings(screen)
        screen = self.screen
        if isinstance(screen, Relabelling):  # every PdsaScreen, and a few others
            await screen.relabel()
        self.refresh_bindings()
        self.notify(t("tui.language_now"), timeout=3)

    def action_toggle_contrast(self) -> None:
        if self.theme == HIGH_CONTRAST.name:
            self.theme = self._theme_before_contrast
        else:
            self._theme_before_contrast = self.theme
            self.theme = HIGH_CONTRAST.name
        self.notify(t("tui.theme_now", theme=self.theme), timeout=3)

    def action_toggle_large(self) -> None:
        self.toggle_class("-large")
        self._sync_screen()
        self.notify(t("tui.large_on") if self.has_class("-large") else t("tui.large_off"), timeout=3)


def run_app(
    location: str,
    lang: str | None = None,
    plugins_dirs: Sequence[str] = (),
    title_suffix: str = "",
    *,
    workspace: Workspace | None = None,
    first_screen: FirstScreen | None = None,
) -> None:
    """Open the workspace at ``location`` and run the meeting screen until the user quits.

    ``workspace``: a workspace the caller has opened already, with the plugins attached (as
    the CLI's ``AppContext.workspace()`` returns it), so the file is not read twice.
    ``first_screen``: what the first screen shows, read in advance
    (:mod:`pdsa_core.overview_in_advance`): the app shows it, and opens the workspace once
    it is painted.
    """
    if lang:
        set_language(lang)
    load_saved_rules()
    if workspace is None and first_screen is not None:
        opener = partial(open_with_plugins, location, list(plugins_dirs))
        app = PdsaApp(None, title_suffix=title_suffix, first_screen=first_screen, opener=opener)
    else:
        from pdsa_core.plugins import load_plugins

        if workspace is None:
            ws, plugins = open_with_plugins(location, list(plugins_dirs))
        else:
            ws, plugins = workspace, load_plugins(plugins_dirs=list(plugins_dirs), workspace=workspace)
        app = PdsaApp(ws, plugins, title_suffix=title_suffix)
    try:
        app.run()
    finally:
        save_parsed_rules()
