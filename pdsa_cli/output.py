"""Printing for the CLI: JSON for scripts, rich tables for people, lines for both.

Every line the CLI writes goes through here, and user text in it goes through
:mod:`pdsa_core.literal`: brackets are never read as Rich markup and no control or bidi
character from a stored text reaches the terminal (it is shown as a visible mark).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from pdsa_core.literal import rich_text, terminal

if TYPE_CHECKING:
    from pdsa_core.errors import PdsaError

console = Console()
err_console = Console(stderr=True)

#: characters json.dumps leaves as they are (it escapes C0 controls) that a terminal would
#: obey: DEL, C1 controls (CSI is U+009B) and the bidi controls
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def print_json(data: Any, *, indent: int | None = 2, **options: Any) -> None:
    """JSON on stdout, UTF-8, stable key order as given.

    The data is exactly what is stored; a character a terminal would obey is written as a
    ``\\uXXXX`` escape, which JSON reads back as the same character.
    """
    text = json.dumps(data, ensure_ascii=False, indent=indent, **options)
    text = _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    sys.stdout.write(text + "\n")


def echo(message: object = "", *, err: bool = False, nl: bool = True, **style: Any) -> None:
    """``click.echo`` of a line that may hold user text: control characters are made visible.

    ``style`` (``bold=True``, ``fg="red"``) is applied after that, so it is the only escape
    sequence that can reach the terminal.
    """
    text = terminal(message)
    if style:
        text = click.style(text, **style)
    click.echo(text, err=err, nl=nl)


def cell(value: object) -> Text:
    """A table cell (or title) showing ``value`` literally; ``None`` is empty. A ``Text`` is
    taken as it is (composed from literal parts, e.g. ``rich_text(name, "bold")``)."""
    if isinstance(value, Text):
        return value
    return rich_text("" if value is None else value)


def print_text(*parts: str | tuple[str, str] | Text, err: bool = False) -> None:
    """One line composed of literal parts: plain strings, ``(text, style)`` pairs or ``Text``.

    Nothing in a part is read as markup, so user text can be any part.
    """
    line = Text()
    for part in parts:
        if isinstance(part, Text):
            line.append_text(part)
        elif isinstance(part, tuple):
            line.append_text(rich_text(part[0], style=part[1]))
        else:
            line.append_text(rich_text(part))
    (err_console if err else console).print(line, highlight=False, soft_wrap=True)


def exit_with(error: PdsaError) -> NoReturn:
    """Show a domain error as one line on stderr (``Fejl: …`` / ``Error: …``) and exit with its code."""
    from pdsa_core.i18n import t

    echo(f"{t('error')}: {error}", err=True)
    raise click.exceptions.Exit(error.exit_code)


def print_table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    table = Table(title=cell(title) if title else None, header_style="bold", show_lines=False)
    for column in columns:
        table.add_column(cell(column))
    for row in rows:
        table.add_row(*(cell(v) for v in row))
    console.print(table)
