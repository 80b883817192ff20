"""Text that changes often, in a box whose size the stylesheet fixes.

``Static.update`` lays out the whole screen again each time (the text may change the
widget's size); a ``TextBox`` only repaints itself, which keeps a key press on the
indicator view quick. Give it a fixed ``height`` in CSS.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget


class TextBox(Widget):
    DEFAULT_CSS = """
    TextBox {
        height: 1;
    }
    """

    text: reactive[Text] = reactive(Text(""), layout=False)

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self._content = Content("")

    def update(self, text: Text | str) -> None:
        rich_text = text if isinstance(text, Text) else Text(text)
        # Textual's own Content draws much faster than a Rich Text it has to convert each time
        self._content = Content.from_rich_text(rich_text)
        self.text = rich_text

    @property
    def content(self) -> Text:
        return self.text

    def render(self) -> Content:
        return self._content
