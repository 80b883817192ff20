"""pdsa plugin for Region Midtjylland: "tvang i kommunal regi" for the Viborg adult team.

The Viborg team (LKT Tvang, voksenspor) follows force used on the bosteder of Viborg
Kommune alongside the national indicators. This plugin registers

* the indicator set ``midtjylland-viborg-kommunal-tvang``: KT1 (uses of force in the
  municipality, per month) and KT2 (persons subjected to force, unique per month);
* the data source ``midtjylland-magtanvendelse``, which reads the municipality's export of
  force registrations (one row per registration, see :mod:`pdsa_region_midtjylland.force`)
  and counts KT1/KT2 per month for the chosen bosteder. Its column names are parameters,
  so another municipality's export with other headers works too, and the indicator codes
  are parameters, so a team can feed the national F4/F3 instead.

Fetch and store (``pdsa source fetch`` where available, or from Python)::

    from pdsa_core import apply_result, load_plugins
    source = load_plugins().data_source("midtjylland-magtanvendelse")
    result = source.run(file="magtanvendelser_2018-2022.csv", bosteder="Bostedet Solvang,Engvej 4")
    apply_result(workspace, "Viborg voksen", result)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pdsa_core import (
    DataSource,
    Direction,
    IndicatorDefinition,
    IndicatorKind,
    IndicatorSet,
    MeasurementInput,
    Parameter,
    SourceResult,
    Unit,
    hookimpl,
)
from pdsa_region_midtjylland.force import ForceLayout, parse_month, read_registrations

__version__ = "1.0.0"

SET_ID = "midtjylland-viborg-kommunal-tvang"
SOURCE_ID = "midtjylland-magtanvendelse"
DATA_SOURCE_TEXT = "Viborg Kommunes registrering af magtanvendelse (serviceloven), pr. bosted"
POPULATION = (
    "Borgere på de bosteder i Viborg Kommune, der deltager i forbedringsteamet (LKT Tvang, "
    "voksenspor); magtanvendelse efter serviceloven registreret af kommunen."
)


def indicator_set() -> IndicatorSet:
    common: dict[str, Any] = {
        "kind": IndicatorKind.FOLLOW,
        "unit": Unit.COUNT,
        "direction": Direction.DOWN,
        "baseline_start": "2018-01",
        "baseline_end": "2020-12",
        "population": POPULATION,
        "data_source": DATA_SOURCE_TEXT,
    }
    return IndicatorSet(
        id=SET_ID,
        name_da="Viborg: tvang i kommunal regi",
        name_en="Viborg: force used by the municipality",
        description=(
            "Lokal indikator for forbedringsteamet i Viborg (Region Midtjylland, voksenspor): "
            "magtanvendelse på kommunens bosteder, pr. måned. Data fra kommunens eksport af "
            f"magtanvendelsesindberetninger (datakilden {SOURCE_ID}). Bruges sammen med "
            "LKT Tvangs indikatorsæt."
        ),
        indicators=[
            IndicatorDefinition(
                code="KT1",
                name_da="Antal magtanvendelser i kommunal regi",
                name_en="Number of uses of force by the municipality",
                description=(
                    "Registrerede magtanvendelser pr. måned på de deltagende bosteder. Mål: reduceres."
                ),
                **common,
            ),
            IndicatorDefinition(
                code="KT2",
                name_da="Antal personer, der berøres af magtanvendelse i kommunal regi",
                name_en="Number of persons subjected to force by the municipality",
                description=(
                    "Unikke borgere pr. måned med mindst én registreret magtanvendelse på de "
                    "deltagende bosteder. Mål: reduceres."
                ),
                **common,
            ),
        ],
    )


PARAMETERS = (
    Parameter(name="file", required=True, description="The export of force registrations (CSV)."),
    Parameter(
        name="bosteder",
        description="Bosteder to count, separated by commas (default: every bosted in the export).",
    ),
    Parameter(name="types", description="Kinds of force to count, separated by commas (default: all)."),
    Parameter(name="from_month", description="First month, YYYY-MM (default: the first registration)."),
    Parameter(name="to_month", description="Last month, YYYY-MM (default: the last registration)."),
    Parameter(name="events_indicator", default="KT1", description="Indicator for uses of force (e.g. F4)."),
    Parameter(name="persons_indicator", default="KT2", description="Indicator for persons (e.g. F3)."),
    Parameter(name="date_column", default="Dato", description="Header of the date column."),
    Parameter(name="place_column", default="Bosted", description="Header of the bosted column."),
    Parameter(name="type_column", default="Magtanvendelsestype", description="Header of the kind column."),
    Parameter(name="person_column", default="Borger-ID", description="Header of the person pseudonym."),
    Parameter(name="separator", description="Column separator: ; , tab or | (default: detected)."),
    Parameter(name="encoding", description="utf-8 or cp1252 (default: detected)."),
)


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def fetch(
    file: str,
    bosteder: str = "",
    types: str = "",
    from_month: str = "",
    to_month: str = "",
    events_indicator: str = "KT1",
    persons_indicator: str = "KT2",
    date_column: str = "Dato",
    place_column: str = "Bosted",
    type_column: str = "Magtanvendelsestype",
    person_column: str = "Borger-ID",
    separator: str = "",
    encoding: str = "",
) -> SourceResult:
    """Count uses of force and unique persons per month in the municipality's export."""
    layout = ForceLayout(
        date=date_column,
        place=place_column,
        kind=type_column,
        person=person_column,
        separator=separator or None,
        encoding=encoding or None,
    )
    first = parse_month(from_month, name="from_month") if from_month else None
    last = parse_month(to_month, name="to_month") if to_month else None
    counts = read_registrations(
        file, layout, places=_names(bosteder), kinds=_names(types), first=first, last=last
    )
    measurements = [
        MeasurementInput(indicator=events_indicator, period=month, value=counts.events[month])
        for month in counts.months
    ] + [
        MeasurementInput(indicator=persons_indicator, period=month, value=counts.persons[month])
        for month in counts.months
    ]
    warnings = [f"{count} registrations not counted: {reason}" for reason, count in counts.skipped.items()]
    if not last:
        warnings.append(
            f"the series ends with the last registration ({counts.months[-1]}); give to_month to "
            "include later months without force as 0"
        )
    return SourceResult(
        measurements=measurements,
        warnings=warnings,
        source=SOURCE_ID,
        source_file=str(file),
        rows_read=counts.rows_read,
        rows_skipped=sum(counts.skipped.values()),
        retrieved_at=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        details={"per_bosted": counts.per_place, "kinds": counts.kinds},
    )


@hookimpl
def register_indicator_sets(register: Any) -> None:
    register(indicator_set())


@hookimpl
def register_data_sources(register: Any) -> None:
    register(
        DataSource(
            id=SOURCE_ID,
            name_da="Kommunal magtanvendelse pr. bosted (kommunens eksport)",
            name_en="Municipal use of force per bosted (the municipality's export)",
            description=(
                "Reads a municipality's CSV export of force registrations (one row per registration: "
                "date, bosted, kind of force, person pseudonym) and counts uses of force and unique "
                "persons per month. The person pseudonym is used only in memory and never stored."
            ),
            parameters=PARAMETERS,
            fetch=fetch,
        )
    )
