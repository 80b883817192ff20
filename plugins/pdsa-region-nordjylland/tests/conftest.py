"""Make the plugin importable from its source folder when it is not installed."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[1])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)


import pytest  # noqa: E402


@pytest.fixture()
def workspace_path(tmp_path: Path) -> Path:
    return tmp_path / "workspace.json"


@pytest.fixture()
def workspace(workspace_path: Path):
    from pdsa_core.workspace import Workspace

    return Workspace.create(workspace_path, actor="tester")


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the user's workspace, plugin folders or language from a test."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("home")))
    for name in ("PDSA_WORKSPACE", "PDSA_PLUGINS_DIR", "PDSA_LOAD_PLUGINS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PDSA_LANG", "en")
