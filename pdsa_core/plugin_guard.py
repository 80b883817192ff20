"""Running a plugin's code so that nothing it does can end or garble a pdsa command.

Every place pdsa runs code from a plugin (importing it, calling a hook, an importer's
``read``, a plugin's command) goes through :func:`guarded`:

- **Any** exception is caught, also ``SystemExit`` (a plugin calling ``sys.exit()`` or
  running ``argparse`` at import) and ``GeneratorExit``, and described in one line by
  :func:`describe`: its type, its message, and the file and line in the plugin.
- ``KeyboardInterrupt`` is re-raised only when it comes from the user (Ctrl-C, noticed
  by a SIGINT handler that counts interrupts while the plugin runs); one that the plugin
  raises itself is caught like any other exception. When pdsa cannot tell (another
  SIGINT handler is installed), the interrupt is taken as the user's and stops pdsa.
- What the plugin prints to stdout goes to stderr, so ``--json`` output stays valid (in the
  main thread, where commands run their plugins).
- The time the code took is measured (:attr:`Outcome.seconds`), so a slow plugin can be
  named; :data:`clock` is the clock (tests replace it).
"""

from __future__ import annotations

import functools
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

import pluggy

#: the clock plugin code is timed with (seconds; tests replace it)
clock: Callable[[], float] = time.perf_counter

_user_interrupts = 0  # Ctrl-C presses seen by our SIGINT handler


@dataclass
class Outcome:
    """How a guarded block ended: ``error`` is None when it ran to the end."""

    error: str | None = None
    exception: BaseException | None = None
    seconds: float = 0.0


def _resolved(*paths: str | Path) -> tuple[str, ...]:
    return tuple(str(Path(p).resolve()) for p in paths)


@functools.cache
def _folders() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """pdsa's and pluggy's folders, site-packages, the standard library (looked up when a
    plugin first fails: ``sysconfig`` is not needed on the way to the first screen)."""
    import sysconfig

    paths = sysconfig.get_paths()
    return (
        _resolved(Path(__file__).parent, Path(pluggy.__file__).parent),
        _resolved(paths["purelib"], paths["platlib"]),
        _resolved(paths["stdlib"], paths["platstdlib"]),
    )


def in_plugin(filename: str) -> bool:
    """A traceback frame in a plugin's code (not pdsa's, pluggy's or the standard library's)."""
    if filename.startswith("<"):
        return False
    path = str(Path(filename).resolve())
    pdsa_and_pluggy, site_packages, stdlib = _folders()
    if path.startswith(pdsa_and_pluggy):
        return False
    if path.startswith(site_packages):  # an installed plugin (site-packages may lie inside stdlib)
        return True
    return not path.startswith(stdlib)


def describe(exc: BaseException) -> str:
    """``ValueError: bad month (region.py, line 12)``: the exception and where in the plugin.

    The plugin's innermost traceback frame is named (a frame in pdsa, pluggy or the
    standard library is not the plugin's). A ``SystemExit`` says it was ``sys.exit``.
    """
    where = ""
    if isinstance(exc, SyntaxError) and exc.filename:
        where = f" ({Path(exc.filename).name}, line {exc.lineno})"
    else:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if in_plugin(f.filename)]
        if frames:
            last = frames[-1]
            where = f" ({Path(last.filename).name}, line {last.lineno})"
    if isinstance(exc, SystemExit):
        message = f"sys.exit({exc.code!r}) was called"
    elif isinstance(exc, SyntaxError):
        message = str(exc.msg)
    else:
        message = str(getattr(exc, "message", None) or exc)
    return f"{type(exc).__name__}: {message}{where}"


@contextmanager
def guarded(
    *,
    stdout_to_stderr: bool = True,
    passing: tuple[type[BaseException], ...] = (),
) -> Iterator[Outcome]:
    """Run the block's plugin code; an exception ends the block and is kept in the outcome.

    ``passing`` are exception types that go on as they are (a plugin command's click
    exceptions and pdsa's own errors). See the module's docstring for the rules.
    """
    outcome = Outcome()
    interrupts_before = _user_interrupts
    counting: bool | None = False
    start = clock()
    try:
        with _counting_interrupts() as counting, _stdout_to_stderr(stdout_to_stderr):
            yield outcome
    except passing:
        raise
    except KeyboardInterrupt as exc:
        if counting is not False and _user_interrupts == interrupts_before:
            outcome.exception, outcome.error = exc, describe(exc)
        else:
            raise  # the user pressed Ctrl-C (or we cannot tell): pdsa stops, as it always does
    except BaseException as exc:  # noqa: BLE001 - nothing a plugin raises may end pdsa
        outcome.exception, outcome.error = exc, describe(exc)
    finally:
        outcome.seconds = clock() - start


def _stdout_to_stderr(active: bool) -> Any:
    """``sys.stdout`` is one for the whole process: only the main thread swaps it (two threads
    swapping it at once could leave it on stderr for good). Plugin code in another thread
    (a TUI worker) prints where the app captures it anyway."""
    if active and threading.current_thread() is threading.main_thread():
        return redirect_stdout(sys.stderr)
    return nullcontext()


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    global _user_interrupts
    _user_interrupts += 1
    signal.default_int_handler(signum, frame)


@contextmanager
def _counting_interrupts() -> Iterator[bool | None]:
    """Count Ctrl-C while the block runs. Yields True when counting (or already counting),
    None outside the main thread (no signal reaches other threads, so an interrupt there
    is the plugin's), False when another SIGINT handler is installed (we cannot tell)."""
    if threading.current_thread() is not threading.main_thread():
        yield None
        return
    current = signal.getsignal(signal.SIGINT)
    if current is _on_sigint:
        yield True
        return
    if current is not signal.default_int_handler:
        yield False
        return
    signal.signal(signal.SIGINT, _on_sigint)
    try:
        yield True
    finally:
        signal.signal(signal.SIGINT, current)
