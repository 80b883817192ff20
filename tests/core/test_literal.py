"""User text is shown exactly as typed in every medium (pdsa_core.literal)."""

from __future__ import annotations

import html

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from rich.console import Console

from pdsa_core.literal import (
    html_text,
    markdown_text,
    markdown_without_html,
    rich_text,
    terminal,
    unsafe_characters,
    visible,
)

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


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1))
@settings(max_examples=400, deadline=None)
def test_markdown_text_renders_as_typed(text: str) -> None:
    """Any line of text, escaped for Markdown, renders to exactly that text (with or without raw HTML)."""
    text = " ".join(text.split())
    if not text:
        return
    for renderer in (
        MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]),
        MarkdownIt("commonmark", {"html": False}),
    ):
        rendered = renderer.render(markdown_text(text))
        assert rendered == f"<p>{html.escape(visible(text), quote=False).replace(chr(34), '&quot;')}</p>\n"


def test_markdown_stays_readable_and_keeps_user_markdown() -> None:
    assert markdown_text("Lavet med pdsa 0.1.0 den 2023-10-16. Latest: <5 (2022-09)") == (
        "Lavet med pdsa 0.1.0 den 2023-10-16. Latest: <5 (2022-09)"
    )
    assert markdown_text("1. maj") == "1\\. maj" and markdown_text("# 1") == "\\# 1"
    kept = markdown_without_html("**Vigtigt**: <script>alert(1)</script> & mere &amp;")
    rendered = MarkdownIt("commonmark", {"html": True}).render(kept)
    assert "<strong>Vigtigt</strong>" in rendered and "<script>" not in rendered
    assert "&amp;amp;" in rendered
