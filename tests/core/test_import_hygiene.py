"""pdsa_core is the domain: it must never import Textual (the TUI is a layer on top).

No module of pdsa_core names textual (tests/core/test_layers.py, with every other layer
rule); here: importing every module of pdsa_core does not load it either.
"""

from __future__ import annotations

import os
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


def test_a_start_leaves_out_what_only_some_commands_use(tmp_path: Path) -> None:
    """The command line built and the plugins loaded, as every start does, without the MUSIQ
    scoring and comparison, the ratings files, the help catalogue's reader or ``sysconfig``
    (which a failing plugin's traceback needs): they are imported when used. (The second
    start: the first reads the installed metadata, which imports more, and remembers it.)"""
    code = (
        "import sys\n"
        "before = set(sys.modules)\n"  # what the interpreter's own start imported (site, .pth files)
        "import pdsa_cli\n"
        "pdsa_cli.build_cli()\n"
        "import pdsa_core.assessments\n"
        "from pdsa_core.plugins import load_plugins\n"
        "plugins = load_plugins()\n"
        "assert plugins.instrument('musiq@1.0-equal-weights') is not None\n"
        "print(sorted(m for m in set(sys.modules) - before if m in {'pdsa_core.assessments.comparison',"
        " 'pdsa_core.assessments.scoring', 'pdsa_core.assessments.ratings_file',"
        " 'pdsa_core.assessments.recording', 'importlib.resources', 'sysconfig'}))\n"
    )
    env = {**os.environ, "PDSA_LOAD_PLUGINS": "", "PDSA_CACHE_DIR": str(tmp_path)}
    for _ in range(2):
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
        assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
