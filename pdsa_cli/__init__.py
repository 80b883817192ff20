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

from pdsa_cli.context import AppContext, PdsaGroup, open_tui, pass_app
from pdsa_cli.localized import HelpLanguages, choose_language
from pdsa_core.errors import PdsaError
from pdsa_core.i18n import t
from pdsa_core.literal import terminal
from pdsa_core.startup import pause_gc_for_startup, resume_gc
from pdsa_core.version import __version__

__all__ = [
    "AppContext",
    "PdsaGroup",
    "__version__",
    "build_cli",
    "main",
    "open_tui",
    "pass_app",
    "prepare_start",
]


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
    @click.option(
        "--lang",
        type=click.Choice(["da", "en"]),
        envvar="PDSA_LANG",
        is_eager=True,  # before an eager --help, so that help is in the language
        callback=choose_language,
        help="Language: da or en.",
    )
    @click.version_option(__version__, "--version", prog_name="pdsa")
    @click.pass_context
    def cli(
        ctx: click.Context, workspace: str | None, plugins_dirs: tuple[str, ...], lang: str | None
    ) -> None:
        """pdsa: driver diagrams, PDSA cycles, MUSIQ and run charts for improvement teams.

        Run without a command to open the meeting screen (TUI) on your workspace.
        """
        ctx.obj = AppContext(workspace, plugins_dirs)
        if ctx.invoked_subcommand is not None:
            ctx.obj.plugins()  # a broken plugin is reported on stderr by every command
            resume_gc()  # the TUI resumes it once its first screen is shown
        else:  # open_tui asks about the workspace's plugins and reports their problems
            app_ctx: AppContext = ctx.obj
            if not Path(app_ctx.location).exists() and not app_ctx.location.startswith("postgres"):
                from pdsa_core.workspace import Workspace

                Workspace.create(app_ctx.location)
                click.echo(terminal(t("created_workspace", path=app_ctx.location)), err=True)
            open_tui(app_ctx)

    cli.help_languages = HelpLanguages(cli)
    cli.build_commands = _build_commands  # when click (or anyone) first asks for a command
    return cli


def _build_commands(cli: click.Group) -> None:
    """pdsa's commands, then the plugins' (once, the first time the commands are asked for:
    by a command, ``--help``, a typo, shell completion; a start of the TUI never asks)."""
    from pdsa_cli import core_cmds

    core_cmds.register(cli)
    for name in _OPTIONAL_COMMAND_MODULES:
        module = _import_optional(name)
        if module is not None:
            module.register(cli)
    languages = getattr(cli, "help_languages", None)
    if isinstance(languages, HelpLanguages):
        languages.take_own_commands()  # pdsa's own commands: plugins' keep their own help
    _add_plugin_commands(cli)


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


def prepare_start() -> None:
    """What :func:`main` does before anything else: the dataclass methods' code from the cache
    (:mod:`pdsa_core.dataclass_code`, before build_cli's and the TUI's imports define their
    classes) and the collector paused (:func:`pdsa_core.startup.pause_gc_for_startup`). A
    program that imports pdsa's modules before calling :func:`main` (the TUI benchmark's
    child) calls it first, so that its imports are made as in a user's start."""
    from pdsa_core import dataclass_code

    dataclass_code.start()
    pause_gc_for_startup()


def main(argv: Sequence[str] | None = None) -> None:
    prepare_start()
    try:
        cli = build_cli()
        cli.main(args=list(argv) if argv is not None else sys.argv[1:], prog_name="pdsa")
    finally:
        resume_gc()
