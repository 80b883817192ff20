"""Option types of the command line that refuse what the core would refuse, as one line."""

from __future__ import annotations

from typing import Any

import click

from pdsa_core.domain.common import finite_number


class FiniteFloat(click.ParamType):
    """A number option: NaN, ±infinity and an overflow (``1e309``) are refused, naming the option.

    The refusal is a :class:`pdsa_core.errors.ValidationError`, so it is the CLI's usual one
    line (``Error: --target must be a finite number, got 'nan'``), not a usage block.
    """

    name = "number"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        field = param.opts[0] if param is not None and param.opts else "number"
        return finite_number(value.strip() if isinstance(value, str) else value, field=field)


#: use as ``type=NUMBER`` for every number option
NUMBER = FiniteFloat()
