"""The app's own theme: high contrast for a projector in a bright room (``ctrl+t``).

The charts read the theme too (:mod:`tui.widgets.chart` draws with brighter colours and
no dim lines in it), so the whole screen follows one switch.
"""

from __future__ import annotations

from textual.theme import Theme

HIGH_CONTRAST = Theme(
    name="pdsa-high-contrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ff66ff",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#202020",
    boost="#303030",
    success="#00ff00",
    warning="#ffff00",
    error="#ff6060",
    dark=True,
    variables={"footer-key-foreground": "#ffff00", "block-cursor-background": "#ffff00"},
)
