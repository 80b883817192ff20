"""pdsa's pytest plugin for plugin authors (``pdsa_core.testing``, ``pdsa_cli.testing``) for this repository.

pytest finds it through the ``pytest11`` entry points of an installed pdsa. An environment
whose pdsa was installed (editable) from a checkout older than those entry points lacks them
until it is installed again; this loads the two modules then, so the plugins' tests (which
have no conftest of their own) get their fixtures either way.
"""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    manager = config.pluginmanager
    for name, module in (("pdsa", "pdsa_core.testing"), ("pdsa-cli", "pdsa_cli.testing")):
        if manager.get_plugin(name) is None and not manager.has_plugin(module):
            manager.import_plugin(module)
