"""Built-in plugin: the MUSIQ assessment instrument (equal weights).

Registered through the public ``register_instruments`` hook exactly as a third-party
plugin would; the instrument itself is data, read from the JSON file shipped in
``pdsa_core/assessments/data``. A plugin shipping its own instrument file does the same::

    from pathlib import Path
    from pdsa_core import hookimpl, load_instrument

    @hookimpl
    def register_instruments(register):
        register(load_instrument(Path(__file__).with_name("my-instrument.json")))
"""

from __future__ import annotations

from typing import Any

from pdsa_core.assessments import builtin_musiq
from pdsa_core.hookspecs import hookimpl


@hookimpl
def register_instruments(register: Any) -> None:
    register(builtin_musiq())
