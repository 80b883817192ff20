"""The TUI's screens (modes) by name, each imported when it is first shown.

Apart from the app so that the command palette and the help screen can list every
screen's keys without importing the app that imports them.
"""

from __future__ import annotations

import importlib
from typing import Any

from textual.screen import Screen

#: the screens (modes) in the order of the number keys; a screen's module is imported when it
#: is first shown, so the dashboard appears without waiting for the chart or import code
MODE_SCREENS: dict[str, str] = {
    "dashboard": "tui.screens.dashboard:DashboardScreen",
    "diagram": "tui.screens.diagram:DiagramScreen",
    "board": "tui.screens.board:BoardScreen",
    "indicator": "tui.screens.indicator:IndicatorScreen",
    "import": "tui.screens.importing:ImportScreen",
    "musiq": "tui.screens.musiq:MusiqScreen",
    "meeting": "tui.screens.meeting:MeetingScreen",
}
#: screens made for one team (created for the current team, made again after a team switch)
TEAM_MODES = ("musiq", "meeting")


def screen_class(mode: str) -> type[Screen[Any]]:
    module_name, _, class_name = MODE_SCREENS[mode].partition(":")
    return getattr(importlib.import_module(module_name), class_name)


def screen_classes() -> dict[str, type[Screen[Any]]]:
    return {mode: screen_class(mode) for mode in MODE_SCREENS}
