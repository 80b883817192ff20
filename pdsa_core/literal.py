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
    "markdown_without_html",
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


#: characters that can start markup anywhere in a line (CommonMark and GitHub's extensions:
#: tables, strikethrough, math): always escaped, but for ``_`` inside a word ("syd_2022.xlsx"),
#: which CommonMark never reads as emphasis
_MD_ALWAYS = re.compile(r"([\\`*\[\]|~$]|(?<![^\W_])_|_(?![^\W_]))")
#: ``<`` that could open a tag, comment or autolink, ``&`` that could form an entity
_MD_TAG = re.compile(r"<(?=[A-Za-z/!?])")
_MD_ENTITY = re.compile(r"&(?=[A-Za-z#])")
#: what makes a line a heading, quote, list item or rule when it starts the line
_MD_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])")


def markdown_text(text: object, *, line_start: bool = True) -> str:
    """Text for a Markdown line or table cell, shown literally by any CommonMark renderer.

    Only what could become markup is escaped, so the Markdown file stays readable as
    plain text ("0.1.0", "<5", "(2022-09)" stay as they are): emphasis, code, link,
    table, strikethrough and math characters are backslash-escaped; a ``<`` that could
    open a tag and an ``&`` that could start an entity become entities; a line start that
    would make a heading, quote, list or rule is escaped (``line_start=False`` where the
    text follows other text on its line: after ``## `` or in a table cell). Line breaks
    become spaces.
    """
    value = visible(text).replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    value = _MD_ENTITY.sub("&amp;", value)
    value = _MD_ALWAYS.sub(r"\\\1", value)
    value = _MD_TAG.sub("&lt;", value)
    match = _MD_LINE_START.match(value) if line_start else None
    if match:
        lead, mark = match.groups()
        escaped = f"{mark[:-1]}\\{mark[-1]}" if mark[-1] in ".)" else f"\\{mark}"
        value = lead + escaped + value[match.end():]
    return value


def markdown_without_html(text: object) -> str:
    """Markdown typed by a user (a report's barriers), kept as Markdown with no HTML of its own.

    Its emphasis and lists stay; a ``<b>`` or ``<script>`` and an ``&amp;`` show as typed, in
    any renderer, as they do in the HTML report (rendered with raw HTML disabled).
    """
    value = visible(text)
    return _MD_TAG.sub("&lt;", _MD_ENTITY.sub("&amp;", value))
