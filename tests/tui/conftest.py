"""Workspaces for the TUI tests and snapshots: small, deterministic and fast.

Use these fixtures in a new TUI test; they are the cheap way to get a workspace:

- ``tui_workspace``: two teams, the first with three indicators and 36 months of data, a
  driver diagram, cycles and a meeting with actions (see ``fill_workspace``). It is built
  **once per test session** (per xdist worker) and each test gets its own **copy of the
  file**, opened with the same fixed clock and an id counter that goes on where the build
  stopped. A test may change its copy freely; no other test sees it. Building it through
  the workspace API costs ~20 fsync'ed transactions, copying it one file copy.
- ``empty_workspace``: a new, empty workspace with the same clock and id counter.
- ``plugins``: plugins with one small indicator set, without the installed entry points.

A test that needs different content builds on ``tui_workspace`` or ``empty_workspace``
(add what it needs) rather than creating its own workspace from scratch; if several tests
share a larger content, give it its own session-scoped template the same way
(``WorkspaceTemplate``).

The content, the fixed clock, the id counter and the frozen "today" (2024-01-15) live in
``tui_workspaces.py``, so the screens look the same on every day the tests run.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tui_workspaces import TODAY, WorkspaceTemplate, fill_workspace, freeze_today, make_workspace


@pytest.fixture()
def anyio_backend() -> str:
    """The Pilot tests are async; they run on asyncio through AnyIO's pytest plugin."""
    return "asyncio"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch: pytest.MonkeyPatch) -> str:
    """The core reads today's date for 'missing up to last month' and cycle start dates."""
    freeze_today(monkeypatch)
    return TODAY


@pytest.fixture(autouse=True)
def _no_user_keymap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PDSA_KEYMAP", str(tmp_path / "no-keymap.toml"))
    monkeypatch.delenv("PDSA_TEAM", raising=False)


@pytest.fixture(scope="session")
def tui_workspace_template(tmp_path_factory: pytest.TempPathFactory) -> WorkspaceTemplate:
    """``fill_workspace`` built once per session; ``tui_workspace`` hands out copies."""
    return WorkspaceTemplate.build(tmp_path_factory.mktemp("tui-template"), fill_workspace)


@pytest.fixture()
def tui_workspace(tmp_path: Path, tui_workspace_template: WorkspaceTemplate) -> Iterator[Any]:
    """This test's own copy of the filled workspace (see the module docstring)."""
    yield tui_workspace_template.copy(tmp_path / "ws.json")


@pytest.fixture()
def empty_workspace(tmp_path: Path) -> Iterator[Any]:
    yield make_workspace(tmp_path / "empty.json")


class _TestIndicatorSets:
    """A plugin registering one small indicator set, written the way a region would."""

    from pdsa_core import hookimpl

    @hookimpl
    def register_indicator_sets(self, register: Any) -> None:
        from pdsa_core import IndicatorDefinition, IndicatorSet

        register(
            IndicatorSet(
                id="test-voksen",
                name_da="Testsæt voksenspor",
                name_en="Test set adults",
                indicators=[
                    IndicatorDefinition(
                        code="R1", name_da="Personer tvangsindlagt", name_en="Persons admitted"
                    ),
                    IndicatorDefinition(
                        code="V1",
                        name_da="Andel med UA/KP",
                        unit="proportion",
                        kind="process",
                        direction="up",
                    ),
                ],
            )
        )


@pytest.fixture()
def plugins() -> Any:
    from pdsa_core.plugins import load_plugins

    return load_plugins(extra=[("test-sets", _TestIndicatorSets())], include_entry_points=False)


@pytest.fixture(autouse=True)
def _idle_checked_every_5_ms(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pilot waits for the app to go idle after each key by sleeping in steps of 20 ms.

    Measured on the meeting and unsaved-input tests, a fifth of their time was those sleeps.
    A step of 5 ms (idle still means under 1 ms of CPU in a step) keeps the same check, and
    ``settle`` still waits for the workers themselves.
    """
    import textual._wait as wait

    monkeypatch.setattr(wait, "SLEEP_GRANULARITY", 0.005)


@pytest.fixture(autouse=True)
def _no_animations(monkeypatch: pytest.MonkeyPatch) -> None:
    """Apps in tests do not animate (scrolling, the command palette): the states a test checks
    are the same, without the frames in between (about 4 % of the TUI tests' CPU; the 13
    snapshots are unchanged). Stylesheets are parsed once per process by the app itself
    (``tui.stylesheet.SharedStylesheet``)."""
    import textual.constants

    monkeypatch.setattr(textual.constants, "TEXTUAL_ANIMATIONS", "none")
