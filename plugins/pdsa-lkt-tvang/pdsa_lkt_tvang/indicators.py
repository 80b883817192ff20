"""The LKT Tvang indicator sets, as in the project description and the experience catalogue.

Result indicators R1/R2 and follow indicators F1-F4 are monthly counts with the baseline
2018-2020; R1 and R2 aim at -10 % by 30 September 2023 for the participating units. The
process indicators V1/V2 (adults) are proportions that should rise, BU1 (children and young
people) a count that should rise. The voluntary indicators (V3, V4, BU2-BU4) are proportions
with the target of at least 90 %; they are marked ``voluntary``. "Persons" indicators count
unique persons per month, the others count events.

The baseline is set where the project collected historic data: R1-F4 and V1/V2 (the 2019
law change made discharge agreements and coordination plans mandatory, so V1/V2 exist for
2018-2020). BU1 and the voluntary indicators measure tools the project introduced and have
no baseline period.
"""

from __future__ import annotations

from pdsa_core import Direction, IndicatorDefinition, IndicatorKind, IndicatorSet, Target, Unit

BASELINE = ("2018-01", "2020-12")
TARGET_DATE = "2023-09-30"
#: R1 and R2: reduced by 10 % relative to the baseline by 30 September 2023
RESULT_TARGET = Target(value=-0.10, date=TARGET_DATE, relative=True)
#: the voluntary indicators: at least 90 %
VOLUNTARY_TARGET = Target(value=0.90)

SOURCE = "LKT Tvang: projektbeskrivelse og erfaringskatalog (Det Nationale Kvalitetsprogram)"
EPJ = "Regionens EPJ-udtræk"
MUNICIPAL = "Kommunens registrering af magtanvendelse (serviceloven), pr. bosted"

POPULATION_ADULTS = (
    "Voksne (18 år og derover) i teamets målgruppe: indlagte patienter, der får udarbejdet en "
    "udskrivningsaftale eller koordinationsplan, og frivilligt udvalgte ambulante patienter med "
    "komplekse forløb og/eller stor risiko for tvangsindlæggelse. Teamet afgrænser populationen "
    "lokalt (fx bopælskommune, sengeafsnit, åbent ambulant forløb, eksklusion af "
    "retspsykiatriske patienter)."
)
POPULATION_CHILDREN = (
    "Børn og unge fra 12 år i psykiatrien (lokalt evt. fra 14 år), der er anbragt på døgntilbud, "
    "tidligere har været udsat for tvang eller magtanvendelse efter psykiatriloven eller "
    "forældreansvarsloven, eller hvor en klinisk vurdering viser behov for en trygheds- og "
    "forebyggelsesplan. Teamet afgrænser populationen lokalt (fx alder, bopælskommune, afsnit)."
)


def _count(code: str, name_da: str, name_en: str, kind: IndicatorKind, population: str, **fields: object):
    return IndicatorDefinition(
        code=code,
        name_da=name_da,
        name_en=name_en,
        kind=kind,
        unit=Unit.COUNT,
        direction=Direction.DOWN,
        baseline_start=BASELINE[0],
        baseline_end=BASELINE[1],
        population=population,
        **fields,  # type: ignore[arg-type]
    )


def _shared(population: str) -> list[IndicatorDefinition]:
    """R1, R2 and F1-F4: the same definitions in both tracks, each with its own population."""
    return [
        _count(
            "R1",
            "Antal personer, der tvangsindlægges",
            "Number of persons coercively admitted",
            IndicatorKind.RESULT,
            population,
            target=RESULT_TARGET,
            data_source=EPJ,
            description=(
                "Unikke personer pr. måned. Mål: reduceres med 10 % for de deltagende enheder "
                "med udgangen af 30. september 2023 (i forhold til baseline 2018-2020)."
            ),
        ),
        _count(
            "R2",
            "Antal tvangsindlæggelser",
            "Number of coercive admissions",
            IndicatorKind.RESULT,
            population,
            target=RESULT_TARGET,
            data_source=EPJ,
            description=(
                "Tvangsindlæggelser pr. måned. Mål: reduceres med 10 % for de deltagende enheder "
                "med udgangen af 30. september 2023 (i forhold til baseline 2018-2020)."
            ),
        ),
        _count(
            "F1",
            "Antal personer, der berøres af tvang",
            "Number of persons subjected to coercion",
            IndicatorKind.FOLLOW,
            population,
            data_source=EPJ,
            description="Unikke personer pr. måned berørt af tvang efter psykiatriloven. Mål: reduceres.",
        ),
        _count(
            "F2",
            "Antal tvangshændelser",
            "Number of coercive events",
            IndicatorKind.FOLLOW,
            population,
            data_source=EPJ,
            description="Tvangshændelser pr. måned (alle typer tvang). Mål: reduceres.",
        ),
        _count(
            "F3",
            "Antal personer, der berøres af magtanvendelse",
            "Number of persons subjected to force (municipal)",
            IndicatorKind.FOLLOW,
            population,
            data_source=MUNICIPAL,
            description=(
                "Unikke personer pr. måned berørt af magtanvendelse i kommunalt regi. Mål: reduceres."
            ),
        ),
        _count(
            "F4",
            "Antal magtanvendelser",
            "Number of uses of force (municipal)",
            IndicatorKind.FOLLOW,
            population,
            data_source=MUNICIPAL,
            description="Magtanvendelser pr. måned i kommunalt regi. Mål: reduceres.",
        ),
    ]


def _proportion(code: str, name_da: str, name_en: str, description: str, **fields: object):
    return IndicatorDefinition(
        code=code,
        name_da=name_da,
        name_en=name_en,
        kind=IndicatorKind.PROCESS,
        unit=Unit.PROPORTION,
        direction=Direction.UP,
        description=description,
        **fields,  # type: ignore[arg-type]
    )


def _voluntary(code: str, name_da: str, name_en: str, description: str, population: str):
    return _proportion(
        code,
        name_da,
        name_en,
        description + " Frivillig indikator. Mål: mindst 90 %.",
        target=VOLUNTARY_TARGET,
        voluntary=True,
        population=population,
    )


def adults() -> IndicatorSet:
    """Voksenspor: R1, R2, F1-F4, V1-V4."""
    process = [
        _proportion(
            "V1",
            "Andel af patienter, der får lavet en udskrivningsaftale eller koordinationsplan (UA/KP)",
            "Share of patients with a discharge agreement or coordination plan (UA/KP)",
            "Tæller: udskrevne patienter i målgruppen med en UA/KP; nævner: udskrevne patienter i "
            "målgruppen. Mål: der ses en stigning.",
            baseline_start=BASELINE[0],
            baseline_end=BASELINE[1],
            population=POPULATION_ADULTS,
            data_source=EPJ,
        ),
        _proportion(
            "V2",
            "Andel udskrivningsaftaler (UA) af alle UA/KP",
            "Share of discharge agreements (UA) among all UA/KP",
            "Tæller: udskrivningsaftaler; nævner: udskrivningsaftaler og koordinationsplaner. "
            "Mål: der ses en stigning i andelen af UA i forhold til KP.",
            baseline_start=BASELINE[0],
            baseline_end=BASELINE[1],
            population=POPULATION_ADULTS,
            data_source=EPJ,
        ),
        _voluntary(
            "V3",
            "Andel af patienter med UA/KP, der har deltaget i et netværksmøde mindst 1 gang årligt",
            "Share of patients with a UA/KP who attended a network meeting at least once a year",
            "Tæller: patienter med UA/KP, der har deltaget i et netværksmøde inden for de seneste 12 "
            "måneder; nævner: patienter med UA/KP.",
            POPULATION_ADULTS,
        ),
        _voluntary(
            "V4",
            "Andel af UA/KP, der er revurderet mindst 1 gang årligt",
            "Share of UA/KP re-assessed at least once a year",
            "Tæller: UA/KP revurderet inden for de seneste 12 måneder; nævner: alle UA/KP.",
            POPULATION_ADULTS,
        ),
    ]
    return IndicatorSet(
        id="lkt-tvang-voksen",
        name_da="LKT Tvang, voksenspor",
        name_en="LKT Tvang, adult track",
        description=(
            "De nationale indikatorer for LKT Tvangs voksenspor: resultatindikatorer (R1, R2), "
            "følgeindikatorer (F1-F4) og procesindikatorer (V1-V4; V3 og V4 er frivillige). "
            f"Baseline 2018-2020, månedlige data. Kilde: {SOURCE}."
        ),
        indicators=[*_shared(POPULATION_ADULTS), *process],
    )


def children() -> IndicatorSet:
    """Børne- og ungespor: R1, R2, F1-F4, BU1-BU4."""
    process = [
        IndicatorDefinition(
            code="BU1",
            name_da="Antal børn og unge i målgruppen, der får udarbejdet en trygheds- og forebyggelsesplan",
            name_en=(
                "Number of children and young people in the target group with a safety-and-prevention plan"
            ),
            kind=IndicatorKind.PROCESS,
            unit=Unit.COUNT,
            direction=Direction.UP,
            population=POPULATION_CHILDREN,
            data_source="Teamets registrering af trygheds- og forebyggelsesplaner",
            description=(
                "Nye trygheds- og forebyggelsesplaner pr. måned. Planen er et nyt redskab i LKT Tvang, "
                "så der er ingen baselineperiode. Mål: der ses en stigning."
            ),
        ),
        _voluntary(
            "BU2",
            "Andel af børn og unge med en trygheds- og forebyggelsesplan, der har deltaget i et "
            "netværksmøde mindst 1 gang årligt",
            "Share of children and young people with a safety-and-prevention plan who attended a "
            "network meeting at least once a year",
            "Tæller: børn og unge med en plan, der har deltaget i et netværksmøde inden for de seneste "
            "12 måneder; nævner: børn og unge med en plan.",
            POPULATION_CHILDREN,
        ),
        _voluntary(
            "BU3",
            "Andel af trygheds- og forebyggelsesplaner, der er revurderet mindst 1 gang årligt",
            "Share of safety-and-prevention plans re-assessed at least once a year",
            "Tæller: planer revurderet inden for de seneste 12 måneder; nævner: alle planer.",
            POPULATION_CHILDREN,
        ),
        _voluntary(
            "BU4",
            "Andel af unge, der overgår til voksenpsykiatrien, hvor der holdes netværksmøde og planen "
            "konverteres til en UA/KP",
            "Share of young people moving to adult psychiatry with a network meeting where the plan "
            "is converted to a UA/KP",
            "Tæller: unge, der overgår fra børne- og ungdomspsykiatrien til voksenpsykiatrien, hvor der "
            "er holdt netværksmøde og den eksisterende trygheds- og forebyggelsesplan er konverteret "
            "til en UA/KP; nævner: unge med en plan, der overgår til voksenpsykiatrien.",
            POPULATION_CHILDREN,
        ),
    ]
    return IndicatorSet(
        id="lkt-tvang-boern-unge",
        name_da="LKT Tvang, børne- og ungespor",
        name_en="LKT Tvang, children and young people track",
        description=(
            "De nationale indikatorer for LKT Tvangs børne- og ungespor: resultatindikatorer (R1, R2), "
            "følgeindikatorer (F1-F4) og procesindikatorer (BU1-BU4; BU2-BU4 er frivillige). "
            f"Baseline 2018-2020, månedlige data. Kilde: {SOURCE}."
        ),
        indicators=[*_shared(POPULATION_CHILDREN), *process],
    )


def indicator_sets() -> list[IndicatorSet]:
    return [adults(), children()]
