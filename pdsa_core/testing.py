"""A pytest plugin for pdsa plugin authors: a temporary workspace and the plugin under test, loaded.

It is registered with pytest through the entry point group ``pytest11`` when pdsa is
installed, so a plugin's tests need no conftest. The fixtures:

- ``workspace_path``: where a fresh workspace file goes (in the test's temporary folder);
- ``workspace``: a new, empty workspace there (a :class:`~pdsa_core.workspace.Workspace`);
- ``pdsa_plugin``: the plugin under test; override it in a test module::

      @pytest.fixture()
      def pdsa_plugin():
          return ("pdsa-region-syd", pdsa_region_syd)  # (name, module), or the module alone

  Left as it is (None), the plugins installed in the environment are used;
- ``pdsa_plugins``: pdsa's plugin manager with the plugin under test loaded (and only it,
  beside pdsa's built-ins); while the test runs the plugin is also part of every
  ``load_plugins()``, so the command line sees it (``run_pdsa``, from :mod:`pdsa_cli.testing`).

An autouse fixture keeps every test away from the user's own workspace, plugin folders and
language: user folders point into a temporary folder, ``PDSA_WORKSPACE``,
``PDSA_PLUGINS_DIR`` and ``PDSA_LOAD_PLUGINS`` are unset and the language is English.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from pdsa_core.plugins import Plugins, clear_cache, load_plugins, temporary_plugin
from pdsa_core.workspace import Workspace

#: what ``pdsa_plugin`` may return: the plugin's module (or any object with ``@hookimpl``
#: functions), a ``(name, plugin)`` pair, or None for the installed plugins
PluginUnderTest = ModuleType | object | tuple[str, object] | None


@pytest.fixture(autouse=True)
def _pdsa_isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the user's workspace, plugin folders or language from a test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    monkeypatch.setenv("PDSA_CACHE_DIR", str(home / "cache"))  # e.g. the checked workspaces
    monkeypatch.setenv("PDSA_TRUST_FILE", str(home / "trusted.json"))  # trusted plugin folders
    for name in ("PDSA_WORKSPACE", "PDSA_PLUGINS_DIR", "PDSA_LOAD_PLUGINS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PDSA_LANG", "en")


@pytest.fixture()
def workspace_path(tmp_path: Path) -> Path:
    """Where the test's workspace file goes (it does not exist until ``workspace`` or ``pdsa init``)."""
    return tmp_path / "workspace.json"


@pytest.fixture()
def workspace(workspace_path: Path) -> Workspace:
    """A new, empty workspace."""
    return Workspace.create(workspace_path, actor="tester")


@pytest.fixture()
def pdsa_plugin() -> PluginUnderTest:
    """The plugin under test; override this fixture (None: the installed plugins)."""
    return None


@pytest.fixture()
def pdsa_plugins(pdsa_plugin: PluginUnderTest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Plugins]:
    """The plugin manager with the plugin under test loaded (fresh, not shared with other tests)."""
    clear_cache()
    if pdsa_plugin is None:
        yield load_plugins(fresh=True)
        clear_cache()
        return
    if isinstance(pdsa_plugin, tuple):
        name, plugin = pdsa_plugin
    else:
        plugin = pdsa_plugin
        name = getattr(plugin, "__name__", None) or type(plugin).__name__
    # only this copy, even when the plugin is installed as well (no duplicate name)
    monkeypatch.setenv("PDSA_LOAD_PLUGINS", "")
    with temporary_plugin(plugin, name):
        yield load_plugins(fresh=True)
