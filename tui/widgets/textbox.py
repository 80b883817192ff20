"""Text that changes often, in a box whose size the stylesheet fixes.

``Static.update`` lays out the whole screen again each time (the text may change the
widget's size); a ``TextBox`` only repaints itself, which keeps a key press on the
indicator view quick. Give it a fixed ``height`` in CSS.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class TextBox(Widget):
    DEFAULT_CSS = """
    TextBox {
        height: 1;
    }
    """

    text: reactive[Text] = reactive(Text(""), layout=False)

    def update(self, text: Text | str) -> None:
        self.text = text if isinstance(text, Text) else Text(text)

    @property
    def content(self) -> Text:
        return self.text

    def render(self) -> Text:
        return self.text
