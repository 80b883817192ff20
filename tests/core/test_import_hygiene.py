"""pdsa_core is the domain: it must never import Textual (the TUI is a layer on top).

No module of pdsa_core names textual (tests/core/test_layers.py, with every other layer
rule); here: importing every module of pdsa_core does not load it either.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import pdsa_core

CORE = Path(pdsa_core.__file__).parent


def test_importing_every_core_module_does_not_load_textual() -> None:
    modules = [
        m.name
        for m in pkgutil.walk_packages([str(CORE)], prefix="pdsa_core.")
        if not m.name.endswith("__main__")
    ]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except ImportError as exc:\n"
        "        if 'psycopg' not in str(exc): raise\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'tui'))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
