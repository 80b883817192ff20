"""A pytest plugin for pdsa plugin authors: ``run_pdsa``, the ``pdsa`` command run in-process.

Registered with pytest through the entry point group ``pytest11`` beside
:mod:`pdsa_core.testing` (whose fixtures it uses)::

    def test_my_command(run_pdsa):
        assert run_pdsa("init").exit_code == 0
        result = run_pdsa("syd-latest", "--team", "Team Syd")
        assert result.exit_code == 0, result.output

``run_pdsa(*args, env=None, workspace=True)`` runs ``pdsa --workspace WORKSPACE_PATH ARGS``
with the plugin under test loaded (the ``pdsa_plugin`` fixture) and returns click's
``Result`` (``exit_code``, ``stdout``, ``stderr``, ``output``). ``workspace=False`` leaves
``--workspace`` out; ``env`` sets environment variables for the run.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import pytest
from click.testing import CliRunner, Result

from pdsa_core.plugins import Plugins, clear_cache

RunPdsa = Callable[..., Result]


@pytest.fixture()
def run_pdsa(workspace_path: Path, pdsa_plugins: Plugins) -> RunPdsa:
    """Run ``pdsa`` in-process on the test's workspace path; stdout and stderr are kept apart."""
    from pdsa_cli import build_cli

    def run(*args: str, env: dict[str, str] | None = None, workspace: bool = True) -> Result:
        prefix = ["--workspace", str(workspace_path)] if workspace else []
        clear_cache()  # each real command is its own process: it loads (and reports) plugins anew
        with mock.patch.dict(os.environ, env or {}):  # also while the command line is built
            return CliRunner().invoke(build_cli(), [*prefix, *args])

    return run
