"""Command help in the user's language.

Click reads a command's help when it is built, before ``--lang`` is parsed. A command made
with :class:`LocalizedCommand` takes its help, and its options' help, as text keys
(:func:`pdsa_core.i18n.t`) and looks them up when the help is shown, so
``pdsa --lang da indicator update --help`` is in Danish and ``--lang en`` in English.
"""

from __future__ import annotations

from typing import Any

import click

from pdsa_core.i18n import t


class LocalizedCommand(click.Command):
    """A click command whose ``help`` and option ``help`` values are text keys."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.help_key = self.help or ""
        self.param_help_keys = {id(p): getattr(p, "help", None) or "" for p in self.params}

    def _localize(self) -> None:
        if self.help_key:
            self.help = t(self.help_key)
        for param in self.params:
            key = self.param_help_keys.get(id(param))
            if key and isinstance(param, click.Option):
                param.help = t(key)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self._localize()
        super().format_help(ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        self._localize()
        return super().get_short_help_str(limit)
