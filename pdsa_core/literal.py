"""User text shown exactly as typed, in every medium: terminal, Rich/Textual, HTML, Markdown.

Teams write ``[antal]``, ``[Udkast]``, ``Nord [/] Syd``, ``$5``, ``<b>`` and ``&`` in names,
aims and notes. Every place that shows user text passes it through one function here for
its medium, so brackets are never read as markup, ``$`` never as mathtext, ``<`` never as
HTML, and no escape sequence from a stored text ever reaches a terminal.

* :func:`visible`: control characters (other than newline and tab) and bidirectional
  overrides shown as visible marks (``␛``, ``<U+202E>``) instead of being obeyed. Input is
  refused with such characters (see :mod:`pdsa_core.domain.common`), so this only matters
  for text that came in another way (an old workspace, a plugin).
* :func:`rich_text`: a :class:`rich.text.Text` holding the text literally (no markup is
  parsed); for Rich tables and panels and for Textual widgets, which accept it as content.

Never build a markup string around user text (``f"[b]{name}[/b]"``): Rich and Textual read
backslashes before ``[`` differently, so no escaping is right for both. Compose instead:
``Text.assemble((name, "bold"), " ", ...)`` in Rich, ``Content.assemble`` in Textual, or pass a
:func:`rich_text` to the widget.
* :func:`terminal`: plain text for ``click.echo`` and other direct writes to a terminal.
* :func:`html_text`, :func:`markdown_text`: for reports.

Rich is imported only when :func:`rich_text` is used.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from rich.text import Text

__all__ = [
    "BIDI_CONTROLS",
    "html_text",
    "markdown_text",
    "rich_text",
    "terminal",
    "unsafe_characters",
    "visible",
]

#: bidirectional embedding, override and isolate controls (the "Trojan Source" characters)
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")

#: C0 controls but tab and newline, DEL, C1 controls, bidi controls
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f" + "".join(sorted(BIDI_CONTROLS)) + "]"
)


def _mark(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟ (␛ for ESC)
    if code == 0x7F:
        return "␡"
    return f"<U+{code:04X}>"


def unsafe_characters(text: str) -> list[str]:
    """The control and bidi characters in ``text`` (newline and tab are allowed)."""
    return _UNSAFE.findall(text)


def visible(text: object) -> str:
    """``text`` with every control or bidi character replaced by a visible mark."""
    value = "" if text is None else str(text)
    return _UNSAFE.sub(_mark, value) if _UNSAFE.search(value) else value


def terminal(text: object) -> str:
    """Plain text safe to write to a terminal (no escape sequence can reach it)."""
    return visible(text)


def rich_text(text: object, style: str = "") -> Text:
    """A Rich ``Text`` with ``text`` literally: ``[b]`` stays ``[b]``, ``[@click=…]`` is inert."""
    from rich.text import Text

    return Text(visible(text), style=style)


def html_text(text: object) -> str:
    """Text for HTML element content or a quoted attribute."""
    return html.escape(visible(text), quote=True)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>&~$])")


def markdown_text(text: object) -> str:
    """Text for a Markdown line or table cell, shown literally by any CommonMark renderer.

    Markdown punctuation is backslash-escaped, ``<`` and ``&`` become entities (so a
    renderer that allows HTML still shows them as typed) and line breaks become spaces.
    """
    value = visible(text).replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    value = _MD_SPECIAL.sub(r"\\\1", value)
    return value.replace("\\<", "&lt;").replace("\\&", "&amp;").replace("\\>", "&gt;")
