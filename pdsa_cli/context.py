"""What the commands of the ``pdsa`` command line share: the chosen workspace, language
and plugins (:class:`AppContext`, given to a command by :data:`pass_app`), the group
that turns a :class:`PdsaError` into one line, and starting the TUI.

The command modules import these from here, not from the package (whose
:func:`~pdsa_cli.build_cli` imports the command modules), so the command line has no
import cycle; ``from pdsa_cli import pass_app`` still works for a plugin's command.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, MutableMapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, cast

import click

from pdsa_cli.localized import HelpLanguages, PdsaContext, click_word, in_language, start_language
from pdsa_cli.output import echo, exit_with
from pdsa_core.errors import PdsaError, ValidationError
from pdsa_core.i18n import get_language
from pdsa_core.literal import terminal

if TYPE_CHECKING:
    from pdsa_core.plugins import Plugins
    from pdsa_core.workspace import Workspace


def _file_error(exc: OSError) -> PdsaError:
    """An operating-system error about a file the user named, as one line (the name shortened)."""
    name = os.fsdecode(exc.filename) if isinstance(exc.filename, str | bytes) else ""
    shown = name if len(name) <= 80 else name[:79] + "…"
    reason = exc.strerror or type(exc).__name__
    return PdsaError(
        f"the file cannot be used: {reason}", where=shown or None, da=f"filen kan ikke bruges: {reason}"
    )


class PdsaGroup(click.Group):
    """A click group that turns domain errors into clear messages (also in sub-groups), and
    whose help is in the user's language (:mod:`pdsa_cli.localized`)."""

    context_class = PdsaContext
    #: on the root group (set by :func:`pdsa_cli.build_cli`): pdsa's own commands' help
    help_languages: HelpLanguages | None = None
    #: on the root group (set by :func:`pdsa_cli.build_cli`): what adds pdsa's and the plugins'
    #: commands, run once, the first time anything asks for the commands (click's lazy
    #: subcommands): a start of the TUI, which names no command, never does
    build_commands: Callable[[click.Group], None] | None = None

    @property
    def commands(self) -> MutableMapping[str, click.Command]:
        build, self.build_commands = self.build_commands, None
        if build is not None:
            build(self)
        return self._commands

    @commands.setter
    def commands(self, value: MutableMapping[str, click.Command]) -> None:
        self._commands = value

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if ctx.parent is None:
            start_language(self, args)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PdsaError as exc:
            exit_with(exc)  # one line in the user's language, the error's own exit code
        except ValueError as exc:
            if "null byte" not in str(exc):
                raise
            exit_with(ValidationError("a file or folder name cannot hold a NUL character", da=_NUL_DA))
        except OSError as exc:  # a file the user named cannot be used (a name too long, …)
            exit_with(_file_error(exc))
        except click.ClickException as exc:
            # a usage error quotes what was typed; ``message`` is read-only in some click versions' types
            cast(Any, exc).message = terminal(exc.message)
            shown = in_language(exc)
            if shown is exc:
                raise
            raise shown from None
        except (click.exceptions.Abort, EOFError, KeyboardInterrupt) as exc:
            aborted(newline=not isinstance(exc, click.exceptions.Abort))

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except click.ClickException as exc:
            cast(Any, exc).message = terminal(exc.message)
            shown = in_language(exc)
            if shown is exc:
                raise
            raise shown from None
        except ValueError as exc:  # click's Path type stats the name: a NUL in it (from a script)
            if "null byte" not in str(exc):
                raise
            raise click.UsageError("a file or folder name cannot hold a NUL character") from None

    def group(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("cls", PdsaGroup)
        return super().group(*args, **kwargs)


def aborted(*, newline: bool = False) -> NoReturn:
    """End the command as click does on an abort (a no to a question that must be yes, Ctrl-C,
    end of input at a question), with click's ``Aborted!`` in the user's language
    (``Afbrudt.``) and exit code 1. ``newline`` first ends the line a Ctrl-C interrupted."""
    if newline:
        echo(err=True)
    echo(click_word("Aborted!"), err=True)
    raise click.exceptions.Exit(1)


_NUL_DA = "et fil- eller mappenavn kan ikke indeholde et NUL-tegn"


class AppContext:
    """What commands share: the chosen workspace location, language and plugins."""

    def __init__(self, workspace: str | None, plugins_dirs: Sequence[str] = ()) -> None:
        from pdsa_core.workspace import default_workspace_path

        self.location = workspace or str(default_workspace_path())
        self.plugins_dirs = list(plugins_dirs)
        self._workspace: Workspace | None = None
        self._attached = False
        self._plugins: Plugins | None = None

    def workspace(self) -> Workspace:
        """The opened workspace (refuses a missing, damaged or foreign one with a clear message)."""
        if self._workspace is None:
            self._workspace = self._open()
        if not self._attached:
            self._attached = True
            self.plugins().attach(self._workspace)
        return self._workspace

    def _open(self) -> Workspace:
        from pdsa_core.workspace import Workspace

        return Workspace.open(self.location)

    def plugins(self) -> Plugins:
        """The loaded plugins (built-ins, entry points, plugin folders); failures are reported.

        The workspace is opened here when it exists, so its ``plugins_dir`` setting is read
        from the same (single) parse that the command then uses.
        """
        if self._plugins is None:
            from pdsa_core.plugins import load_plugins

            self._plugins = load_plugins(plugins_dirs=self.plugins_dirs, workspace=self._source())
            self._plugins.report_errors()
        return self._plugins

    def _source(self) -> Any:
        """The workspace, opened when it exists (else its location), for reading its settings."""
        if self._workspace is None and ("://" in self.location or _is_file(self.location)):
            try:
                self._workspace = self._open()
            except PdsaError:
                pass  # the command that needs the workspace reports why it cannot be opened
        return self._workspace if self._workspace is not None else self.location

    def offer_trust(self) -> None:
        """Before the TUI opens at a terminal: when the workspace names a plugins folder not
        yet trusted, show its files and ask once whether they may run (yes is remembered, see
        ``pdsa plugins trust``); no, or no terminal, leaves it untrusted, with the notice."""
        if self._plugins is not None or not at_terminal():
            return
        from pdsa_core.plugins import untrusted_workspace_folder

        folder = untrusted_workspace_folder(self.plugins_dirs, self._source())
        if folder is not None:
            from pdsa_cli.trust import ask_trust

            ask_trust(folder, abort=False)


def _is_file(location: str) -> bool:
    """True for an existing file; False also for a name the system refuses (too long, a
    looping link), which the command that opens it then reports in one line."""
    try:
        return Path(location).is_file()
    except (OSError, ValueError):
        return False


def at_terminal() -> bool:
    """True when a person can answer a question (stdin and stdout are terminals)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


pass_app = click.make_pass_decorator(AppContext)


def open_tui(app_ctx: AppContext, *, title_suffix: str = "") -> None:
    """Start the Textual app (imported here so the CLI starts fast and pdsa_core stays UI-free).

    Before Textual is imported, the workspace's first screen is started in a forked process:
    it opens the workspace and computes the first team's dashboard meanwhile, and the app
    shows that and opens the workspace itself once it is painted
    (:mod:`pdsa_core.overview_in_advance`). As every start does, the plugins' problems are
    printed on stderr first, and at a terminal the user is asked about a plugins folder the
    workspace names and they have not trusted; the workspace is then opened here, with the
    plugins loaded as answered."""
    from pdsa_core.overview_in_advance import start_first_screen

    fresh = app_ctx._workspace is None and app_ctx._plugins is None
    advance = start_first_screen(app_ctx.location, app_ctx.plugins_dirs) if fresh else None
    try:
        from tui.app import run_app

        first = advance.result() if advance is not None else None
        if first is not None and first.untrusted_folder is not None and at_terminal():
            first = None  # asked first (offer_trust), and the plugins loaded as answered
        workspace = None
        if first is None:
            app_ctx.offer_trust()
            workspace = app_ctx.workspace()  # opened once, with the plugins attached
        elif first.plugin_problems:
            from pdsa_core.plugins import print_warning

            for line in first.plugin_problems:
                print_warning(line)
        run_app(
            app_ctx.location,
            lang=get_language(),
            plugins_dirs=app_ctx.plugins_dirs,
            title_suffix=title_suffix,
            workspace=workspace,
            first_screen=first,
        )
    finally:
        if advance is not None:
            advance.cancel()
