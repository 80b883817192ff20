"""User text is shown exactly as typed in every medium (pdsa_core.literal)."""

from __future__ import annotations

from markdown_it import MarkdownIt
from rich.console import Console

from pdsa_core.literal import html_text, markdown_text, rich_text, terminal, unsafe_characters, visible

HOSTILE = "Psykiatri Nord [/] Syd [antal] [bold]x[/bold] [@click=app.quit]q[/] C:\\tmp\\ $5 and $10 <b>&amp;"


def test_rich_text_is_literal() -> None:
    console = Console(width=500, record=True, color_system=None)
    console.print(rich_text(HOSTILE))
    assert console.export_text().rstrip("\n") == HOSTILE


def test_no_escape_sequence_reaches_a_terminal() -> None:
    text = "a\x1b[2Jb\x1b]8;;file:///etc/passwd\x07link\x1b]8;;\x07\u202eevil\x9bX"
    shown = terminal(text)
    assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown and "\x9b" not in shown
    assert shown.startswith("a␛[2Jb")
    assert "<U+202E>" in shown
    assert visible("line one\n\tline two") == "line one\n\tline two"
    assert unsafe_characters(text) == ["\x1b", "\x1b", "\x07", "\x1b", "\x07", "\u202e", "\x9b"]


def test_html_and_markdown_show_the_text_as_typed() -> None:
    assert html_text("<b>&\"'") == "&lt;b&gt;&amp;&quot;&#x27;"
    for renderer in (MarkdownIt("commonmark", {"html": True}), MarkdownIt("commonmark", {"html": False})):
        rendered = renderer.renderInline(markdown_text(HOSTILE))
        assert rendered == html_text(HOSTILE).replace("&#x27;", "'").replace("&quot;", '"')
