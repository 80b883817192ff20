"""Pausing the cyclic garbage collector: at start-up, and around bulk work.

The collector is paused while pdsa starts and resumed once the first command runs or the
TUI's first screen is shown; both faces call :func:`pause_gc_for_startup` and
:func:`resume_gc` (which also saves what :mod:`pdsa_core.dataclass_code` compiled). Work
that makes a great many objects and no cycles (reading a table, writing an import's values,
scanning an event extract) runs under :func:`paused_gc`.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["pause_gc_for_startup", "paused_gc", "resume_gc"]

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
    """End :func:`pause_gc_for_startup` (called before a command runs, or once the TUI is shown).

    Start-up is over then: the compiled dataclass methods it added are saved too
    (:func:`pdsa_core.dataclass_code.save`)."""
    global _gc_paused
    if _gc_paused:
        _gc_paused = False
        gc.freeze()
        gc.enable()
        from pdsa_core import dataclass_code

        dataclass_code.save()


@contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic collector paused for a block (or, as a decorator, a call); nesting is fine.

    Bulk work makes hundreds of thousands of objects that are either kept (a national
    import's 180,000 values and their documents) or dropped by reference counting; the
    collector, triggered by the count of new objects, would walk the growing workspace
    again and again and find nothing (0.6-0.7 s of CPU in a national import). Garbage
    cycles made meanwhile are collected as usual once the collector runs again.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
