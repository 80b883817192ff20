"""Shared fixtures: an empty workspace and isolated user folders.

Everything a test reads lives in this repository; nothing beside the clone is needed."""

from __future__ import annotations

import compileall
import gc
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# The suite runs on shared, often loaded machines (CI, a laptop in a meeting): a property test
# is judged by the examples it checks, not by how fast Hypothesis could draw them. A test's own
# @settings still choose its number of examples; this only stops a slow draw from failing it.
# The examples are derived from each test (derandomize), so CI checks the same cases every run;
# `--hypothesis-profile=explore` draws new ones when hunting for bugs.
settings.register_profile(
    "pdsa", suppress_health_check=[HealthCheck.too_slow], deadline=None, derandomize=True
)
settings.register_profile("explore", suppress_health_check=[HealthCheck.too_slow], deadline=None)
settings.load_profile("pdsa")


def pytest_configure(config: pytest.Config) -> None:
    """Keep compiled bytecode, even where ``PYTHONDONTWRITEBYTECODE`` is set (as on CI machines).

    Without it every xdist worker compiles pdsa and re-writes the test modules' asserts (~4 s
    of CPU each), and every ``python -m pdsa_cli`` a test starts compiles what it imports again
    (~0.2 s). The caches go to ``__pycache__`` folders, which ``.gitignore`` leaves out. The
    main process compiles pdsa once, before the workers start.
    """
    sys.dont_write_bytecode = False
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # the subprocesses tests start
    # what runs outside a test (collection, session fixtures) caches here, not in the real home;
    # each test gets a cache folder of its own (_isolated_user_dirs)
    cache = tempfile.mkdtemp(prefix="pdsa-test-cache-")
    config.add_cleanup(lambda: shutil.rmtree(cache, ignore_errors=True))
    os.environ["PDSA_CACHE_DIR"] = cache
    if not hasattr(config, "workerinput"):
        root = Path(__file__).resolve().parents[1]
        for package in ("pdsa_core", "pdsa_cli", "tui", "plugins"):
            if (root / package).is_dir():
                compileall.compile_dir(root / package, quiet=2)
        if config.getoption("numprocesses", None) and config.getoption("assertmode") == "rewrite":
            _rewrite_test_modules_ahead(config, root)


def _rewrite_test_modules_ahead(config: pytest.Config, root: Path) -> None:
    """Write pytest's assert-rewritten bytecode of the test modules once, in two processes,
    before the xdist workers start: on a fresh clone each worker would otherwise rewrite
    every module itself (~4 s of CPU each). This uses pytest's own (private) functions, the
    ones its import hook calls; if they are not there, the workers rewrite as usual."""
    try:
        from _pytest.assertion.rewrite import PYC_TAIL, _read_pyc, get_cache_dir
    except ImportError:
        return
    modules = [
        path
        for folder in (root / "tests", *sorted((root / "plugins").glob("*/tests")))
        for path in sorted(folder.rglob("*.py"))
        if path.name.startswith("test_") or path.name == "conftest.py"
    ]
    stale = [
        path for path in modules if _read_pyc(path, get_cache_dir(path) / (path.name[:-3] + PYC_TAIL)) is None
    ]
    if len(stale) < 10:
        return
    import multiprocessing

    global _REWRITING
    _REWRITING = config
    try:
        with multiprocessing.get_context("fork").Pool(2) as pool:
            pool.map(_rewrite_one, stale, chunksize=8)
    except Exception:  # noqa: BLE001 - only a head start: the workers rewrite what is missing
        pass
    finally:
        _REWRITING = None


_REWRITING: pytest.Config | None = None


def _rewrite_one(path: Path) -> None:
    """In a forked process: rewrite one test module and store its bytecode where pytest looks."""
    from _pytest.assertion import assertstate_key
    from _pytest.assertion.rewrite import PYC_TAIL, _rewrite_test, _write_pyc, get_cache_dir

    config = _REWRITING
    if config is None:
        return
    cache = get_cache_dir(path)
    cache.mkdir(parents=True, exist_ok=True)
    source_stat, code = _rewrite_test(path, config)
    _write_pyc(config.stash[assertstate_key], code, source_stat, cache / (path.name[:-3] + PYC_TAIL))


def pytest_collection_finish(session: pytest.Session) -> None:
    """Collect garbage cycles less often while the tests run.

    By the end of collection a worker holds millions of objects that live to its end (every
    imported module and collected test); each full collection walked them all again: in five
    TUI test files, 52 full collections took 10 of 45 s of CPU. Frozen (``gc.freeze``) they are
    no longer walked, and with a first threshold of 10,000 new objects instead of 700 the young
    generations are collected less often. The five files took 33.7-38.7 s of CPU instead of
    42.1-49.7 s in alternating runs; ``tests/tui`` on three workers 103.6 s instead of 129.4 s.
    Cycles are still collected, only later (memory is not short here).
    """
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


_TESTS_RUN = [0]


def pytest_runtest_logfinish(nodeid: str, location: tuple[str, int | None, str]) -> None:
    """Every 100 tests, collect once and freeze what is still alive (module fixtures, caches,
    lazily imported modules), so later collections do not walk it again and again."""
    _TESTS_RUN[0] += 1
    if _TESTS_RUN[0] % 100 == 0:
        gc.collect()
        gc.freeze()


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """One worker more than cores for ``-n auto``: a TUI test waits for its app to go idle and a
    server test for PostgreSQL, and a third worker uses that time (on 2 cores at rest the suite took
    229 s with 3 workers, 261 s with 2 and 249 s with 4). ``PYTEST_XDIST_AUTO_NUM_WORKERS`` still wins.
    """
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # pytest-xdist's own hook reads it
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return cores + 1


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Start the long tests first, the TUI tests next, the many short ones last.

    pytest-xdist hands tests out in this order; a soak test started last would keep one
    worker busy for its whole length while the other has nothing left to do.
    """

    def rank(item: pytest.Item) -> int:
        if item.get_closest_marker("slow"):
            return 0
        return 1 if "/tests/tui/" in item.path.as_posix() else 2

    items.sort(key=rank)  # stable: within a rank, the order of collection


@pytest.fixture()
def workspace_path(tmp_path: Path) -> Path:
    return tmp_path / "workspace.json"


@pytest.fixture()
def workspace(workspace_path: Path) -> Iterator[object]:
    """A new, empty workspace with deterministic ids and clock."""
    from pdsa_core.workspace import Workspace

    counter = iter(range(1, 10**9))
    ws = Workspace.create(
        workspace_path,
        actor="tester",
        id_factory=lambda prefix: f"{prefix}-{next(counter):04d}",
        clock=lambda: "2022-06-01T10:00:00+00:00",
    )
    yield ws


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the real user's workspace or language settings from a test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("PDSA_CACHE_DIR", str(home / "cache"))  # e.g. the checked workspaces
    # trusted plugin folders: here on every system (the default is per system, see plugin_trust)
    monkeypatch.setenv("PDSA_TRUST_FILE", str(home / "config" / "pdsa" / "trusted.json"))
    monkeypatch.delenv("PDSA_WORKSPACE", raising=False)
    monkeypatch.delenv("PDSA_PLUGINS_DIR", raising=False)
    monkeypatch.delenv("PDSA_LOAD_PLUGINS", raising=False)
    monkeypatch.setenv("PDSA_LANG", "en")
    from pdsa_core.i18n import set_language

    set_language(None)
