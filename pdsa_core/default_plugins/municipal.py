"""Built-in plugin: force registrations (magtanvendelse) from a municipality's export, to F3/F4."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pdsa_core.extension_types import Importer, Parameter
from pdsa_core.hookspecs import hookimpl
from pdsa_core.importing.municipal_codes import IMPORTER_ID, PERSONS_INDICATOR, USES_INDICATOR


@hookimpl
def register_importers(register: Any) -> None:
    register(municipal_importer())


def _indicator_option(value: str | None) -> str | None:
    return None if value is None or value.strip() in ("", "-") else value.strip()


def municipal_importer() -> Any:
    """The importer ``municipal-force`` (registered by a built-in plugin)."""

    def read(path: Path, *, options: dict[str, str]) -> Any:
        # the reader is imported when an export is read, not at every start
        from pdsa_core.importing.municipal import ForceLayout, force_result, read_force_registrations

        layout = ForceLayout.load(options["layout"]) if options.get("layout") else ForceLayout()
        aggregate = read_force_registrations(
            path,
            layout=layout,
            residences=options.get("bosted"),
            kinds=options.get("kinds"),
            first=options.get("first_month"),
            last=options.get("last_month"),
        )
        return force_result(
            aggregate,
            persons_indicator=_indicator_option(options.get("persons_indicator")),
            uses_indicator=_indicator_option(options.get("uses_indicator")),
        )

    return Importer(
        id=IMPORTER_ID,
        name_da="Magtanvendelser fra kommunens udtræk (F3/F4)",
        name_en="Force registrations from a municipality's export (F3/F4)",
        description=(
            "One row per registration of force under the social services act (headers dato, bosted, "
            "type, borger, optionally antal). Counts unique persons (F3) and uses (F4) per month, "
            "optionally only at some bosteder. Person identifiers are never stored."
        ),
        read=read,
        file_patterns=("*.csv", "*.txt", "*.xlsx", "*.xlsm"),
        options=(
            Parameter(name="bosted", description="only these bosteder (separated by commas)"),
            Parameter(name="kinds", description="only these kinds of force (separated by commas)"),
            Parameter(name="layout", description="JSON file naming the export's headers"),
            Parameter(name="first_month", description="first month to report, e.g. 2022-01"),
            Parameter(name="last_month", description="last month to report, e.g. 2022-12"),
            Parameter(
                name="persons_indicator",
                description="indicator for persons (- for none)",
                default=PERSONS_INDICATOR,
            ),
            Parameter(
                name="uses_indicator",
                description="indicator for uses of force (- for none)",
                default=USES_INDICATOR,
            ),
        ),
    )
