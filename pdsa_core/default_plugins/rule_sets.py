"""Built-in plugin: the SPC rule sets (Anhøj, IHI, Western Electric).

Registered through the public ``register_rule_sets`` hook exactly as a third-party plugin
would register its own; an indicator names its rule set by id (``anhoej`` by default).
"""

from __future__ import annotations

from typing import Any

from pdsa_core.hookspecs import hookimpl
from pdsa_core.spc import BUILTIN_RULE_SETS


@hookimpl
def register_rule_sets(register: Any) -> None:
    for rule_set in BUILTIN_RULE_SETS.values():
        register(rule_set)
