"""The ``pdsa`` command line.

``pdsa`` with no subcommand opens the TUI on the workspace. Commands are built in
:func:`build_cli` (not at import) so plugins can add theirs. Every :class:`PdsaError`
becomes one line on stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from pdsa_core.errors import PdsaError
from pdsa_core.i18n import get_language, set_language, t
from pdsa_core.literal import terminal
from pdsa_core.startup import pause_gc_for_startup, resume_gc
from pdsa_core.version import __version__


class PdsaClickError(click.ClickException):
    """A :class:`PdsaError` shown as ``Fejl: …`` / ``Error: …`` with its own exit code."""

    def __init__(self, error: PdsaError) -> None:
        super().__init__(str(error))
        self.exit_code = error.exit_code

    def show(self, file: Any = None) -> None:
        click.echo(f"{t('error')}: {terminal(self.format_message())}", err=True)


class PdsaGroup(click.Group):
    """A click group that turns domain errors into clear messages (also in sub-groups)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PdsaError as exc:
            raise PdsaClickError(exc) from None
        except click.ClickException as exc:
            exc.message = terminal(exc.message)  # type: ignore[misc]  # a usage error quotes what was typed
            raise

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except click.ClickException as exc:
            exc.message = terminal(exc.message)  # type: ignore[misc]
            raise

    def group(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("cls", PdsaGroup)
        return super().group(*args, **kwargs)


class AppContext:
    """What commands share: the chosen workspace location, language and plugins."""

    def __init__(self, workspace: str | None, plugins_dirs: Sequence[str] = ()) -> None:
        from pdsa_core.workspace import default_workspace_path

        self.location = workspace or str(default_workspace_path())
        self.plugins_dirs = list(plugins_dirs)
        self._workspace: Any = None
        self._attached = False
        self._plugins: Any = None

    def workspace(self) -> Any:
        """The opened workspace (refuses a missing, damaged or foreign one with a clear message)."""
        if self._workspace is None:
            self._workspace = self._open()
        if not self._attached:
            self._attached = True
            self.plugins().attach(self._workspace)
        return self._workspace

    def _open(self) -> Any:
        from pdsa_core.workspace import Workspace

        return Workspace.open(self.location)

    def plugins(self) -> Any:
        """The loaded plugins (built-ins, entry points, plugin folders); failures are reported.

        The workspace is opened here when it exists, so its ``plugins_dir`` setting is read
        from the same (single) parse that the command then uses.
        """
        if self._plugins is None:
            from pdsa_core.plugins import load_plugins

            source: Any = self.location
            if self._workspace is None and ("://" in self.location or Path(self.location).is_file()):
                try:
                    self._workspace = self._open()
                except PdsaError:
                    pass  # the command that needs the workspace reports why it cannot be opened
            if self._workspace is not None:
                source = self._workspace
            self._plugins = load_plugins(plugins_dirs=self.plugins_dirs, workspace=source)
            self._plugins.report_errors()
        return self._plugins


pass_app = click.make_pass_decorator(AppContext)


def build_cli() -> click.Group:
    @click.group(
        cls=PdsaGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]}
    )
    @click.option(
        "--workspace",
        "-w",
        envvar="PDSA_WORKSPACE",
        metavar="PATH",
        help="Workspace file (default: the user data folder; env PDSA_WORKSPACE).",
    )
    @click.option(
        "--plugins-dir",
        "plugins_dirs",
        multiple=True,
        type=click.Path(file_okay=False),
        help="Folder of loose plugin .py files (also env PDSA_PLUGINS_DIR).",
    )
    @click.option("--lang", type=click.Choice(["da", "en"]), envvar="PDSA_LANG", help="Language: da or en.")
    @click.version_option(__version__, "--version", prog_name="pdsa")
    @click.pass_context
    def cli(
        ctx: click.Context, workspace: str | None, plugins_dirs: tuple[str, ...], lang: str | None
    ) -> None:
        """pdsa: driver diagrams, PDSA cycles, MUSIQ and run charts for improvement teams.

        Run without a command to open the meeting screen (TUI) on your workspace.
        """
        set_language(lang)
        ctx.obj = AppContext(workspace, plugins_dirs)
        ctx.obj.plugins()  # a broken plugin is reported on stderr by every command
        if ctx.invoked_subcommand is not None:
            resume_gc()  # the TUI resumes it once its first screen is shown
        else:
            app_ctx: AppContext = ctx.obj
            if not Path(app_ctx.location).exists() and not app_ctx.location.startswith("postgres"):
                from pdsa_core.workspace import Workspace

                Workspace.create(app_ctx.location)
                click.echo(terminal(t("created_workspace", path=app_ctx.location)), err=True)
            open_tui(app_ctx)

    from pdsa_cli import core_cmds

    core_cmds.register(cli)
    for name in _OPTIONAL_COMMAND_MODULES:
        module = _import_optional(name)
        if module is not None:
            module.register(cli)
    _add_plugin_commands(cli)
    return cli


#: command modules of other parts of pdsa, each with ``register(cli)``
_OPTIONAL_COMMAND_MODULES = (
    "pdsa_cli.spc_cmds",
    "pdsa_cli.plugin_cmds",
    "pdsa_cli.import_cmds",
    "pdsa_cli.musiq_cmds",
    "pdsa_cli.meeting_cmds",
    "pdsa_cli.report_cmds",
    "pdsa_cli.server_cmds",
)


def _import_optional(name: str) -> Any:
    import importlib

    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:  # the module is not part of this build
            return None
        raise


def _add_plugin_commands(cli: click.Group) -> None:
    """Let plugins add commands (plugins from env PDSA_PLUGINS_DIR are known at this point)."""
    try:
        from pdsa_core.plugins import load_plugins
    except ModuleNotFoundError:
        return
    dirs = [d for d in os.environ.get("PDSA_PLUGINS_DIR", "").split(os.pathsep) if d]
    plugins = load_plugins(plugins_dirs=dirs)
    plugins.add_cli_commands(cli)
    for info in plugins.info.values():
        for name in info.registered.get("commands", []):
            if name in cli.commands:
                _contain_plugin_command(cli.commands[name], info.name)


#: what a plugin's command may raise to end itself: click's own ways, a PdsaError (a message
#: for the user) and SystemExit (the command's own exit code, as any program may set it)
_COMMAND_EXITS = (
    click.exceptions.ClickException,
    click.exceptions.Abort,
    click.exceptions.Exit,
    PdsaError,
    SystemExit,
)


def _contain_plugin_command(command: click.Command, plugin: str) -> None:
    """Any other exception in a plugin's command (or its subcommands) is one line naming the
    plugin, the command, the file and line, with exit code 9 (:class:`PluginError`), never a
    traceback."""
    from pdsa_core.errors import PluginError
    from pdsa_core.plugin_guard import guarded
    from pdsa_core.plugins import PluginFailure

    invoke = command.invoke

    def contained_invoke(ctx: click.Context) -> Any:
        result = None
        with guarded(stdout_to_stderr=False, passing=_COMMAND_EXITS) as outcome:
            result = invoke(ctx)
        if outcome.error is not None:
            failure = PluginFailure(plugin, f"command {command.name}", outcome.error)
            raise PluginError(str(failure)) from None
        return result

    command.invoke = contained_invoke  # type: ignore[method-assign]


def open_tui(app_ctx: AppContext, *, title_suffix: str = "") -> None:
    """Start the Textual app (imported here so the CLI starts fast and pdsa_core stays UI-free)."""
    from tui.app import run_app

    run_app(
        app_ctx.location,
        lang=get_language(),
        plugins_dirs=app_ctx.plugins_dirs,
        title_suffix=title_suffix,
        workspace=app_ctx.workspace(),  # opened once, with the plugins attached
    )


def main(argv: Sequence[str] | None = None) -> None:
    pause_gc_for_startup()
    try:
        cli = build_cli()
        cli.main(args=list(argv) if argv is not None else sys.argv[1:], prog_name="pdsa")
    finally:
        resume_gc()
