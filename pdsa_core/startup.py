"""Start-up helpers shared by the command line and the TUI.

The cyclic garbage collector is paused while pdsa starts and resumed once the first command
runs or the TUI's first screen is shown; both faces call these two functions.
"""

from __future__ import annotations

import gc

__all__ = ["pause_gc_for_startup", "resume_gc"]

_gc_paused = False


def pause_gc_for_startup() -> None:
    """Pause the cyclic garbage collector while pdsa starts.

    Starting makes a great many objects that live as long as the program (imported modules,
    the parsed workspace, the app's styles) and no garbage cycles; the collector would walk
    them again and again for nothing (about 130 ms of a national workspace's first paint).
    :func:`resume_gc` freezes what exists by then (``gc.freeze``) and collects as usual after.
    """
    global _gc_paused
    if gc.isenabled():
        gc.disable()
        _gc_paused = True


def resume_gc() -> None:
    """End :func:`pause_gc_for_startup` (called before a command runs, or once the TUI is shown)."""
    global _gc_paused
    if _gc_paused:
        _gc_paused = False
        gc.freeze()
        gc.enable()
