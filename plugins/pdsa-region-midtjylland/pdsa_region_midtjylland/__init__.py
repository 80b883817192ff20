"""pdsa plugin for Region Midtjylland: "tvang i kommunal regi" for the Viborg adult team.

The Viborg team (LKT Tvang, voksenspor) follows force used on the bosteder of Viborg
Kommune alongside the national indicators. This plugin registers

* the indicator set ``midtjylland-viborg-kommunal-tvang``: KT1 (uses of force in the
  municipality, per month) and KT2 (persons subjected to force, unique per month);
* the data source ``midtjylland-magtanvendelse``, which reads the municipality's export of
  force registrations with pdsa's force-registration parser
  (:func:`pdsa_core.read_force_registrations`) and gives KT1/KT2 per month for the chosen
  bosteder.

Viborg's export (the real layout is not public; this is the plausible one the plugin
expects by default, one row per registration, CSV or ``.xlsx``)::

    Dato;Bosted;Magtanvendelsestype;Borger-ID
    12-01-2022 14:35;Bostedet Solvang;Fastholdelse;B-1042
    12-01-2022 21:10;Bostedet Solvang;Føren til andet rum;B-1042
    03-02-2022;Engvej 4;Tilbageholdelse i boligen;B-2210

``Borger-ID`` is the citizen's pseudonym (or CPR number): it is used only in memory and
never stored or shown. Every column name is a parameter, so another municipality's export
works too, and the indicator codes are parameters, so a team can feed the national F4/F3.

    pdsa source fetch midtjylland-magtanvendelse magtanvendelser.csv --bosteder "Bostedet Solvang" \
        --to-month 2022-09 --team "Viborg voksen"
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from pdsa_core import (
    DataSource,
    Direction,
    IndicatorDefinition,
    IndicatorKind,
    IndicatorSet,
    Parameter,
    Register,
    SourceResult,
    Unit,
    ValidationError,
    hookimpl,
)

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
    Parameter(name="file", required=True, description="The export of force registrations (CSV or .xlsx)."),
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
    Parameter(name="separator", description="Column separator of a CSV: ; , tab or | (default: detected)."),
)
SEPARATORS = {"": None, ";": ";", ",": ",", "tab": "\t", "\t": "\t", "|": "|"}


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
) -> SourceResult:
    """Count uses of force and unique persons per month in the municipality's export."""
    # the reader is imported when a file is read: pdsa imports every plugin at each start
    from pdsa_core import ForceLayout, force_result, read_force_registrations

    if separator not in SEPARATORS:
        raise ValidationError(f"separator must be ; , tab or |, got {separator!r}")
    layout = ForceLayout(
        date=date_column,
        residence=place_column or None,
        kind=type_column or None,
        person=person_column,
        separator=SEPARATORS[separator],
    )
    aggregate = read_force_registrations(
        file,
        layout=layout,
        residences=bosteder or None,
        kinds=types or None,
        first=from_month or None,
        last=to_month or None,
    )
    result = force_result(
        aggregate,
        persons_indicator=persons_indicator,
        uses_indicator=events_indicator,
        source=SOURCE_ID,
        retrieved_at=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
    )
    if not to_month and aggregate.months:
        note = (
            f"the series ends with the last registration ({aggregate.months[-1]}); give to_month to "
            "include later months without force as 0"
        )
        result = dataclasses.replace(result, warnings=(*result.warnings, note))
    return result


@hookimpl
def register_indicator_sets(register: Register[IndicatorSet]) -> None:
    register(indicator_set())


@hookimpl
def register_data_sources(register: Register[DataSource]) -> None:
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
