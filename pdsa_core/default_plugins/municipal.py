"""Built-in plugin: force registrations (magtanvendelse) from a municipality's export, to F3/F4."""

from __future__ import annotations

from typing import Any

from pdsa_core.hookspecs import hookimpl


@hookimpl
def register_importers(register: Any) -> None:
    from pdsa_core.importing.municipal import municipal_importer

    register(municipal_importer())
