"""Built-in plugin: Danmarks Statistik's population figures as a data source."""

from __future__ import annotations

from typing import Any

from pdsa_core.hookspecs import hookimpl


@hookimpl
def register_data_sources(register: Any) -> None:
    from pdsa_core.sources.statbank import statbank_source

    register(statbank_source())
