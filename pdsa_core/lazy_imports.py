"""Names a package exports but imports only when first used (PEP 562 ``__getattr__``).

A package lists them as ``{name: module}`` and delegates its ``__getattr__`` here: the module
is imported on first use, and the name kept in the package's namespace from then on.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any


def lazy_attribute(package: str, lazy: Mapping[str, str], namespace: dict[str, Any], name: str) -> object:
    """``package.name`` imported from its module in ``lazy`` (and kept in ``namespace``)."""
    module = lazy.get(name)
    if module is None:
        raise AttributeError(f"module {package!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    namespace[name] = value
    return value


__all__ = ["lazy_attribute"]
