"""The code of the methods ``dataclasses`` writes, compiled once and kept between starts.

For every ``@dataclass`` the standard library writes the text of ``__init__``, ``__repr__``,
``__eq__`` and, for a frozen class, ``__hash__``, ``__setattr__`` and ``__delattr__``, and
compiles each with ``exec``: one compile per method, every time the class is defined, in
every process. pdsa's records, SPC results and plugin types and Textual's own classes are
about 200 dataclasses, so a start compiled some 800 small functions before it could show
anything (on Python 3.11, ~11 % of the instructions of a start on the national workspace up
to the app's run).

:func:`start` routes the ``exec`` calls of the ``dataclasses`` module through a table of
compiled code keyed by the exact text compiled, filled from pdsa's cache folder
(``dataclass-code.<python>.marshal``); :func:`save` writes it when this process compiled
texts the file did not hold, once start-up is over (:func:`pdsa_core.startup.resume_gc`).
The code is compiled from the same text with the same settings as ``exec`` uses (no
``__future__`` flags inherited, the interpreter's optimisation level), so the classes are
exactly those ``dataclasses`` makes without the table; a text not in it is compiled as
before. The file is marshal data like the bytecode in ``__pycache__``, and trusted like it:
it is read only when its header names this interpreter's bytecode version and optimisation
level; anything unusable (missing, damaged, another Python's) means compiling as before and
writing it again. Like everything in the cache folder it can be deleted at any time.
"""

from __future__ import annotations

import builtins
import dataclasses
import importlib.util
import marshal
import sys
from pathlib import Path
from types import CodeType
from typing import Any, cast

__all__ = ["cache_path", "save", "start"]

#: more texts than this in the table: the ones this process did not use are not written
#: (the file would otherwise keep every version of every class a developer ever had)
MAX_ENTRIES = 5000

_code: dict[str, CodeType] = {}
_loaded: set[str] = set()  # the texts read from the file
_used: set[str] = set()  # the texts this process compiled or took from the table
_started = False


def _header() -> bytes:
    """What a file must start with to be read by this interpreter."""
    return importlib.util.MAGIC_NUMBER + bytes([sys.flags.optimize])


def cache_path() -> Path:
    from pdsa_core.storage.user_folders import user_folder

    return user_folder("cache") / f"dataclass-code.{sys.implementation.cache_tag}.marshal"


def _exec(source: Any, globals: Any = None, locals: Any = None, /) -> Any:
    """``exec`` as ``dataclasses`` calls it, with the compiled code of a text seen before."""
    if type(source) is str:
        code = _code.get(source)
        if code is None:
            code = _code[source] = compile(source, "<string>", "exec", dont_inherit=True)
        _used.add(source)
        source = code
    return builtins.exec(source, globals, locals)


def _read(path: Path) -> dict[str, CodeType]:
    """The table in the file, empty for anything unusable."""
    from pdsa_core.storage.user_folders import read_cache_bytes

    data = read_cache_bytes(path)
    header = _header()
    if data is None or not data.startswith(header):
        return {}
    try:
        table = marshal.loads(data[len(header) :])
    except (EOFError, ValueError, TypeError):
        return {}
    if not isinstance(table, dict):
        return {}
    return {k: v for k, v in table.items() if type(k) is str and type(v) is CodeType}


def start() -> None:
    """Take the ``dataclasses`` methods' code from the table from now on (once per process).

    The table is routed in first, then the file read: the few classes the reading itself
    imports (the storage's) are in the table too."""
    global _started
    if _started:
        return
    _started = True
    cast(Any, dataclasses).exec = _exec  # a global of the module, found before the builtin
    table = _read(cache_path())
    _loaded.update(table)
    for text, code in table.items():
        _code.setdefault(text, code)


def save() -> None:
    """Write the table when this process compiled texts the file did not hold (a folder that
    cannot be written is left as it is: the next start compiles them again)."""
    if not _started or _used <= _loaded:
        return
    from pdsa_core.storage.user_folders import write_cache_bytes

    table = _code if len(_code) <= MAX_ENTRIES else {k: v for k, v in _code.items() if k in _used}
    write_cache_bytes(cache_path(), _header() + marshal.dumps(table))
    _loaded.update(table)
