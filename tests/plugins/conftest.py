"""Fixtures for plugin tests: register a plugin for one test, write plugin folders, run the CLI.

``register_plugin`` works like the fixtures of datasette and llm: the plugin is part of
every :func:`pdsa_core.load_plugins` (so also of the CLI) until the test ends, then it is
unregistered and the plugin cache is cleared.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from click.testing import CliRunner, Result

from pdsa_core.plugins import clear_cache, temporary_plugin


@pytest.fixture(autouse=True)
def _fresh_plugin_cache() -> Iterator[None]:
    clear_cache()
    yield
    clear_cache()


@pytest.fixture()
def register_plugin() -> Iterator[Callable[..., str]]:
    """``register_plugin(plugin, name)`` loads ``plugin`` in every load_plugins until the test ends."""
    with ExitStack() as stack:

        def register(plugin: object, name: str | None = None) -> str:
            return stack.enter_context(temporary_plugin(plugin, name))

        yield register


@pytest.fixture()
def plugin_dir(tmp_path: Path) -> Callable[[str, str], Path]:
    """``plugin_dir(name, code)`` writes ``name.py`` into a fresh plugins folder and returns the folder."""
    folder = tmp_path / "plugins"
    folder.mkdir()

    def write(name: str, code: str) -> Path:
        (folder / f"{name}.py").write_text(textwrap.dedent(code), encoding="utf-8")
        return folder

    return write


@pytest.fixture()
def cli(workspace_path: Path) -> Callable[..., Result]:
    """Run ``pdsa`` in-process on a fresh workspace; stdout and stderr are kept apart."""
    from pdsa_cli import build_cli

    def run(
        *args: str, env: dict[str, str] | None = None, workspace: bool = True, input: str | None = None
    ) -> Result:
        prefix = ["--workspace", str(workspace_path)] if workspace else []
        clear_cache()  # each real command is its own process and loads (and reports) plugins anew
        with mock.patch.dict(os.environ, env or {}):  # also while the CLI is built (plugin commands)
            return CliRunner().invoke(build_cli(), [*prefix, *args], catch_exceptions=False, input=input)

    return run


def stderr_lines(result: Any) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]
