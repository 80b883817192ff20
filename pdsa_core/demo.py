"""The demo workspace: four LKT Tvang teams with synthetic data, built the same way every time.

Everything here is **synthetic** (syntetiske data): the teams, people, cycles and monthly
values are made up, shaped after the national status report of LKT Tvang (September 2022)
and its closing experience catalogue (``shared/seeds``): the seven PDSA cycles of
Psykiatrien Syd, Vordingborg; the baseline medians and ranges the report gives; the
psychiatry act changes of July 2019 and August 2020; Region Nordjylland's move to NordEPJ
on 25 March 2022 (after which some series stop); Region Midtjylland's recomputed baseline
after new data definitions; the drivers of the experience catalogue.

:func:`write_demo` creates a new workspace file with it; :func:`build_demo` fills an empty
workspace. The demo is generated deterministically: fixed timestamps (a story clock, never
today's date), ids from a counter, and seeded random numbers, so two runs write the same
bytes. It is built through the ordinary workspace methods on an in-memory scratch
workspace and then written to the real workspace in one transaction (one file write).

The workspace settings say so: ``{"demo": True, "note": "Syntetiske data / synthetic data",
"as_of": "2023-10-16"}``; ``as_of`` is the day the story is told at (the last data arrived on
12 October 2023), which views may use instead of today when they count missing months.
"""

from __future__ import annotations

import itertools
import os
import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pdsa_core.domain import (
    Action,
    Direction,
    IndicatorDefinition,
    IndicatorKind,
    IndicatorSet,
    Meeting,
    Member,
    Rating,
    Target,
    Unit,
)
from pdsa_core.domain.common import month_range, period_from_index, period_index
from pdsa_core.domain.driver import DiagramTemplate, TemplateNode
from pdsa_core.errors import WorkspaceError
from pdsa_core.services.indicators import MeasurementInput
from pdsa_core.storage import TABLES, Document, Snapshot, Store, Transaction
from pdsa_core.workspace import Workspace

#: the demo's "now": the Monday after the data for September 2023 arrived (on 12 October)
DEMO_NOW = "2023-10-16T08:00:00+00:00"
FIRST_MONTH = "2018-01"
LAST_MONTH = "2023-09"
BASELINE = ("2018-01", "2020-12")
PROJECT_START = "2022-01"
DEMO_ACTOR = "demo"
SEED = "pdsa-demo-lkt-tvang-v1"

SYNTHETIC_NOTE = "Syntetiske data / synthetic data"

VOKSEN_SET = "lkt-tvang-voksen"
BU_SET = "lkt-tvang-boern-unge"

#: MUSIQ as defined by the built-in instrument (pdsa_core/assessments/data/musiq-1.0-equal-weights.json)
MUSIQ_INSTRUMENT = "musiq"
MUSIQ_VERSION = "1.0-equal-weights"
MUSIQ_FACTORS = (
    "external_motivators",
    "project_sponsorship",
    "qi_leadership_senior",
    "senior_leader_project_sponsor",
    "culture_supportive_of_qi_organisation",
    "maturity_of_organisational_qi",
    "physician_payment_structure",
    "data_infrastructure",
    "resource_availability",
    "workforce_focus_on_qi",
    "qi_leadership_unit",
    "culture_supportive_of_qi_unit",
    "capability_for_improvement",
    "motivation_to_change",
    "team_diversity",
    "physician_involvement",
    "subject_matter_expertise",
    "prior_qi_experience",
    "team_leadership",
    "team_qi_skills",
    "team_decision_making",
    "team_norms",
    "team_accountability",
    "team_time_for_qi",
    "team_aim_clarity",
)


# =============================================================================================
# Writing the demo
# =============================================================================================
def write_demo(path: str | os.PathLike[str]) -> Path:
    """Write the demo workspace to a new file at ``path`` and return its path.

    Refuses (with a :class:`WorkspaceError`) to overwrite an existing non-empty file. If
    building the demo fails, the new file is removed again, so nothing half-written stays.
    """
    counter = itertools.count(1)
    workspace = Workspace.create(
        path,
        id_factory=lambda prefix: f"{prefix}-{next(counter):04d}",
        clock=lambda: DEMO_NOW,
        actor=DEMO_ACTOR,
    )
    target = Path(workspace.location)
    try:
        build_demo(workspace)
    except BaseException:
        target.unlink(missing_ok=True)
        target.with_name(target.name + ".lock").unlink(missing_ok=True)
        raise
    return target


def build_demo(ws: Workspace) -> None:
    """Fill the empty workspace ``ws`` with the demo (one transaction, one write).

    The demo is built with the ordinary workspace methods on an in-memory scratch
    workspace that uses ``ws``'s id factory and the demo's story clock, then copied into
    ``ws`` in one transaction. Like restoring a backup, this sends no per-record events.
    """
    snapshot = ws.snapshot()
    used = {name: len(snapshot.table(name)) for name in TABLES if name != "settings" and snapshot.table(name)}
    if used:
        what = ", ".join(f"{name} ({count})" for name, count in sorted(used.items()))
        raise WorkspaceError(
            f"the demo can only fill an empty workspace; this one already holds {what}",
            where=ws.location,
        )
    scratch_store = _MemoryStore()
    clock = _StoryClock(DEMO_NOW)
    scratch = Workspace(scratch_store, actor=DEMO_ACTOR, id_factory=ws.new_id, clock=clock)
    scratch.listeners.clear()  # no signal watching while the story is written
    _DemoBuilder(scratch, clock).build()
    tables = scratch_store.load().tables
    with ws.transaction() as tx:
        for name in TABLES:
            for doc_id, doc in tables.get(name, {}).items():
                if name == "settings":
                    doc = {**(tx.get(name, doc_id) or {}), **doc}
                tx.put(name, doc_id, doc)


# =============================================================================================
# Scratch storage and the story clock
# =============================================================================================
class _MemoryTransaction(Transaction):
    def __init__(self, base: dict[str, dict[str, Document]]) -> None:
        self._base = base
        self.pending: dict[str, dict[str, Document | None]] = {}

    def get(self, table: str, doc_id: str) -> Document | None:
        pending = self.pending.get(table, {})
        if doc_id in pending:
            return pending[doc_id]
        return self._base.get(table, {}).get(doc_id)

    def all(self, table: str) -> dict[str, Document]:
        merged = dict(self._base.get(table, {}))
        for doc_id, doc in self.pending.get(table, {}).items():
            if doc is None:
                merged.pop(doc_id, None)
            else:
                merged[doc_id] = doc
        return merged

    def put(self, table: str, doc_id: str, doc: Document) -> None:
        self.pending.setdefault(table, {})[doc_id] = doc

    def delete(self, table: str, doc_id: str) -> None:
        self.pending.setdefault(table, {})[doc_id] = None


class _MemoryStore(Store):
    """A workspace held in memory: where the demo is composed before it is written once."""

    def __init__(self) -> None:
        self.location = "memory:demo"
        self._snapshot = Snapshot(revision=0, meta={}, tables={name: {} for name in TABLES})

    def load(self) -> Snapshot:
        return self._snapshot

    def is_current(self, snapshot: Snapshot) -> bool:
        return snapshot is self._snapshot

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        tx = _MemoryTransaction(self._snapshot.tables)
        yield tx
        if not any(tx.pending.values()):
            return
        tables = dict(self._snapshot.tables)
        for name, changes in tx.pending.items():
            table = dict(tables.get(name, {}))
            for doc_id, doc in changes.items():
                if doc is None:
                    table.pop(doc_id, None)
                else:
                    table[doc_id] = doc
            tables[name] = table
        self._snapshot = Snapshot(revision=self._snapshot.revision + 1, meta={}, tables=tables)


class _StoryClock:
    """The time the story is at: records get plausible timestamps instead of today's."""

    def __init__(self, start: str) -> None:
        self.current = start

    def __call__(self) -> str:
        return self.current

    def at(self, date_or_timestamp: str) -> None:
        text = date_or_timestamp
        self.current = text if "T" in text else f"{text}T09:00:00+00:00"


# =============================================================================================
# Indicator sets: an exact copy of the LKT Tvang plugin's (plugins/pdsa-lkt-tvang/pdsa_lkt_tvang/
# indicators.py), so the demo is the same with or without the plugin installed; the demo's tests
# check that the two stay equal. Each team then fills in its own population.
# =============================================================================================
_SET_BASELINE = ("2018-01", "2020-12")
_TARGET_DATE = "2023-09-30"
#: R1 and R2: reduced by 10 % relative to the baseline by 30 September 2023
_RESULT_TARGET = Target(value=-0.10, date=_TARGET_DATE, relative=True)
#: the voluntary indicators: at least 90 %
_VOLUNTARY_TARGET = Target(value=0.90)

_SET_SOURCE = "LKT Tvang: projektbeskrivelse og erfaringskatalog (Det Nationale Kvalitetsprogram)"
_EPJ = "Regionens EPJ-udtræk"
_MUNICIPAL = "Kommunens registrering af magtanvendelse (serviceloven), pr. bosted"

_POPULATION_ADULTS = (
    "Voksne (18 år og derover) i teamets målgruppe: indlagte patienter, der får udarbejdet en "
    "udskrivningsaftale eller koordinationsplan, og frivilligt udvalgte ambulante patienter med "
    "komplekse forløb og/eller stor risiko for tvangsindlæggelse. Teamet afgrænser populationen "
    "lokalt (fx bopælskommune, sengeafsnit, åbent ambulant forløb, eksklusion af "
    "retspsykiatriske patienter)."
)
_POPULATION_CHILDREN = (
    "Børn og unge fra 12 år i psykiatrien (lokalt evt. fra 14 år), der er anbragt på døgntilbud, "
    "tidligere har været udsat for tvang eller magtanvendelse efter psykiatriloven eller "
    "forældreansvarsloven, eller hvor en klinisk vurdering viser behov for en trygheds- og "
    "forebyggelsesplan. Teamet afgrænser populationen lokalt (fx alder, bopælskommune, afsnit)."
)


def _count(
    code: str, name_da: str, name_en: str, kind: IndicatorKind, population: str, **fields: Any
) -> IndicatorDefinition:
    return IndicatorDefinition(
        code=code,
        name_da=name_da,
        name_en=name_en,
        kind=kind,
        unit=Unit.COUNT,
        direction=Direction.DOWN,
        baseline_start=_SET_BASELINE[0],
        baseline_end=_SET_BASELINE[1],
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
            target=_RESULT_TARGET,
            data_source=_EPJ,
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
            target=_RESULT_TARGET,
            data_source=_EPJ,
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
            data_source=_EPJ,
            description="Unikke personer pr. måned berørt af tvang efter psykiatriloven. Mål: reduceres.",
        ),
        _count(
            "F2",
            "Antal tvangshændelser",
            "Number of coercive events",
            IndicatorKind.FOLLOW,
            population,
            data_source=_EPJ,
            description="Tvangshændelser pr. måned (alle typer tvang). Mål: reduceres.",
        ),
        _count(
            "F3",
            "Antal personer, der berøres af magtanvendelse",
            "Number of persons subjected to force (municipal)",
            IndicatorKind.FOLLOW,
            population,
            data_source=_MUNICIPAL,
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
            data_source=_MUNICIPAL,
            description="Magtanvendelser pr. måned i kommunalt regi. Mål: reduceres.",
        ),
    ]


def _proportion(
    code: str, name_da: str, name_en: str, description: str, **fields: Any
) -> IndicatorDefinition:
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


def _voluntary(
    code: str, name_da: str, name_en: str, description: str, population: str
) -> IndicatorDefinition:
    return _proportion(
        code,
        name_da,
        name_en,
        description + " Frivillig indikator. Mål: mindst 90 %.",
        target=_VOLUNTARY_TARGET,
        voluntary=True,
        population=population,
    )


def _adults_set() -> IndicatorSet:
    """Voksenspor: R1, R2, F1-F4, V1-V4."""
    process = [
        _proportion(
            "V1",
            "Andel af patienter, der får lavet en udskrivningsaftale eller koordinationsplan (UA/KP)",
            "Share of patients with a discharge agreement or coordination plan (UA/KP)",
            "Tæller: udskrevne patienter i målgruppen med en UA/KP; nævner: udskrevne patienter i "
            "målgruppen. Mål: der ses en stigning.",
            baseline_start=_SET_BASELINE[0],
            baseline_end=_SET_BASELINE[1],
            population=_POPULATION_ADULTS,
            data_source=_EPJ,
        ),
        _proportion(
            "V2",
            "Andel udskrivningsaftaler (UA) af alle UA/KP",
            "Share of discharge agreements (UA) among all UA/KP",
            "Tæller: udskrivningsaftaler; nævner: udskrivningsaftaler og koordinationsplaner. "
            "Mål: der ses en stigning i andelen af UA i forhold til KP.",
            baseline_start=_SET_BASELINE[0],
            baseline_end=_SET_BASELINE[1],
            population=_POPULATION_ADULTS,
            data_source=_EPJ,
        ),
        _voluntary(
            "V3",
            "Andel af patienter med UA/KP, der har deltaget i et netværksmøde mindst 1 gang årligt",
            "Share of patients with a UA/KP who attended a network meeting at least once a year",
            "Tæller: patienter med UA/KP, der har deltaget i et netværksmøde inden for de seneste 12 "
            "måneder; nævner: patienter med UA/KP.",
            _POPULATION_ADULTS,
        ),
        _voluntary(
            "V4",
            "Andel af UA/KP, der er revurderet mindst 1 gang årligt",
            "Share of UA/KP re-assessed at least once a year",
            "Tæller: UA/KP revurderet inden for de seneste 12 måneder; nævner: alle UA/KP.",
            _POPULATION_ADULTS,
        ),
    ]
    return IndicatorSet(
        id="lkt-tvang-voksen",
        name_da="LKT Tvang, voksenspor",
        name_en="LKT Tvang, adult track",
        description=(
            "De nationale indikatorer for LKT Tvangs voksenspor: resultatindikatorer (R1, R2), "
            "følgeindikatorer (F1-F4) og procesindikatorer (V1-V4; V3 og V4 er frivillige). "
            f"Baseline 2018-2020, månedlige data. Kilde: {_SET_SOURCE}."
        ),
        indicators=[*_shared(_POPULATION_ADULTS), *process],
    )


def _children_set() -> IndicatorSet:
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
            population=_POPULATION_CHILDREN,
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
            _POPULATION_CHILDREN,
        ),
        _voluntary(
            "BU3",
            "Andel af trygheds- og forebyggelsesplaner, der er revurderet mindst 1 gang årligt",
            "Share of safety-and-prevention plans re-assessed at least once a year",
            "Tæller: planer revurderet inden for de seneste 12 måneder; nævner: alle planer.",
            _POPULATION_CHILDREN,
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
            _POPULATION_CHILDREN,
        ),
    ]
    return IndicatorSet(
        id="lkt-tvang-boern-unge",
        name_da="LKT Tvang, børne- og ungespor",
        name_en="LKT Tvang, children and young people track",
        description=(
            "De nationale indikatorer for LKT Tvangs børne- og ungespor: resultatindikatorer (R1, R2), "
            "følgeindikatorer (F1-F4) og procesindikatorer (BU1-BU4; BU2-BU4 er frivillige). "
            f"Baseline 2018-2020, månedlige data. Kilde: {_SET_SOURCE}."
        ),
        indicators=[*_shared(_POPULATION_CHILDREN), *process],
    )


def demo_indicator_sets() -> dict[str, IndicatorSet]:
    """The LKT Tvang indicator sets by id (equal to the plugin's)."""
    return {s.id: s for s in (_adults_set(), _children_set())}


def team_indicator_set(set_id: str, populations: dict[str, str]) -> IndicatorSet:
    """An indicator set with a team's own population definitions filled in."""
    base = demo_indicator_sets()[set_id]
    return base.replace(
        indicators=[
            IndicatorDefinition.from_dict({**d.to_dict(), "population": populations[d.code]})
            if d.code in populations
            else d
            for d in base.indicators
        ]
    )


# =============================================================================================
# Monthly series
# =============================================================================================
MONTHS = month_range(FIRST_MONTH, LAST_MONTH)
_I0 = period_index(FIRST_MONTH)


def _i(period: str) -> int:
    """Position of a month in the demo's series (2018-01 is 0)."""
    return period_index(period) - _I0


Value = float | tuple[int, int]
"""A count, or (numerator, denominator) for a proportion."""


@dataclass
class Series:
    """One team's monthly values per indicator, with notes on single months."""

    values: dict[str, dict[str, Value]] = field(default_factory=dict)
    notes: dict[tuple[str, str], str] = field(default_factory=dict)

    def set(self, code: str, period: str, value: Value, note: str = "") -> None:
        self.values.setdefault(code, {})[period] = value
        if note:
            self.notes[(code, period)] = note


def _rng(*parts: str) -> random.Random:
    """A random generator seeded by name: each series is reproducible on its own."""
    return random.Random("|".join((SEED, *parts)))


def _pick(rng: random.Random, weights: dict[int, float]) -> int:
    """One value from a discrete distribution given as value -> weight."""
    roll = rng.random() * sum(weights.values())
    for value, weight in weights.items():
        roll -= weight
        if roll < 0:
            return value
    return list(weights)[-1]


def _binomial(rng: random.Random, n: int, p: float) -> int:
    return sum(1 for _ in range(n) if rng.random() < p)


def _events(rng: random.Random, persons: int, weights: dict[int, float]) -> int:
    """Events of ``persons`` people: most have one to three, a few very many (skewed)."""
    return sum(_pick(rng, weights) for _ in range(persons))


#: events per person: 20 % of the persons account for about two thirds of the events
_EVENTS_PER_PERSON = {1: 0.50, 2: 0.22, 3: 0.11, 4: 0.06, 6: 0.05, 10: 0.04, 18: 0.02}
#: on S1 in Psykiatrien Syd about two events per person (F1 median 9, F2 median 17)
_SYD_EVENTS_PER_PERSON = {1: 0.60, 2: 0.20, 3: 0.08, 4: 0.05, 6: 0.04, 10: 0.02, 18: 0.01}


def _ensure_range(values: dict[str, Value], periods: Sequence[str], low: int, high: int) -> None:
    """Make the lowest and highest value in ``periods`` exactly ``low`` and ``high`` (the report's range).

    The month holding the smallest value gets ``low`` and the one holding the largest gets
    ``high``; the median is unchanged when ``low`` and ``high`` lie outside the middle.
    """
    ordered = sorted(periods, key=lambda p: (values[p], p))
    values[ordered[0]] = low
    values[ordered[-1]] = high


def _fix_median(values: dict[str, Value], periods: Sequence[str], target: int) -> None:
    """Make the median of ``periods`` exactly ``target`` (the report's median).

    The two middle values become ``target``; values above the middle that are smaller, or
    below it that are larger, are nudged to ``target`` too (they were close to it).
    """
    ordered = sorted(periods, key=lambda p: (values[p], p))
    middle = len(ordered) // 2
    for position, period in enumerate(ordered):
        value = values[period]
        if (
            position in (middle - 1, middle)
            or (
                position > middle and value < target  # type: ignore[operator]
            )
            or (position < middle - 1 and value > target)
        ):  # type: ignore[operator]
            values[period] = target


def syd_series() -> Series:
    """Psykiatrien Syd, Vordingborg (Region Sjælland, voksenspor).

    Report: R1 and R2 random variation, median 2, range 0-5; F1 median 9, range 1-33;
    F2 median 17; no municipal data (F3/F4); V1 hardly any UA/KP before the project
    (none in 2020-2021), then a clear rise after the PDSA on UA/KP; V2 too few data.
    Story: coercion on S1 (F1, F2) falls from April 2022 (a run below the baseline median).
    """
    s = Series()
    base = MONTHS[: _i("2020-12") + 1]
    rng = _rng("syd", "R")
    r1: dict[str, Value] = {}
    r2: dict[str, Value] = {}
    for p in MONTHS:
        persons = _pick(rng, {0: 0.12, 1: 0.22, 2: 0.30, 3: 0.20, 4: 0.10, 5: 0.06})
        r1[p] = persons
        repeats = _binomial(rng, persons, 0.1) if persons >= 3 else 0  # keeps R2's median at R1's
        r2[p] = min(5, persons + repeats)
    _fix_median(r1, base, 2)
    _ensure_range(r1, base, 0, 5)
    for p in MONTHS:
        r2[p] = max(r2[p], r1[p])  # type: ignore[type-var]
        s.set("R1", p, r1[p])
        s.set("R2", p, r2[p])

    rng = _rng("syd", "F")
    f1: dict[str, Value] = {}
    f2: dict[str, Value] = {}
    for p in MONTHS:
        scale = 1.35 if p >= "2022-04" else 2.55
        persons = max(1, round(rng.gammavariate(4.0, scale)))
        f1[p] = persons
        f2[p] = _events(rng, persons, _SYD_EVENTS_PER_PERSON)
    _fix_median(f1, base, 9)
    _ensure_range(f1, base, 1, 33)
    f2["2019-11"] = max(f2["2019-11"], 58)  # type: ignore[type-var]
    for p in MONTHS:
        f2[p] = max(f2[p], f1[p])  # type: ignore[type-var]
    _fix_median(f2, base, 17)
    for p in MONTHS:
        s.set(
            "F1",
            p,
            f1[p],
            "Usædvanligt mange indlagte med tvang på S1 i november 2019" if p == "2019-11" else "",
        )
        s.set("F2", p, f2[p])

    rng = _rng("syd", "V")
    fixed = {  # the months the PDSA on UA/KP reports on: (UA/KP, discharged)
        "2022-03": (2, 22),
        "2022-04": (3, 21),
        "2022-05": (4, 23),
        "2022-06": (5, 24),
        "2022-07": (6, 25),
        "2022-08": (7, 26),
    }
    for p in MONTHS:
        discharged = rng.randint(18, 32)
        if p in fixed:
            plans, discharged = fixed[p]
        elif p < "2018-07":
            plans = rng.randint(1, 3)
        elif p < "2022-03":
            plans = 0
        else:
            share = min(0.50, 0.27 + 0.012 * (_i(p) - _i("2022-09")))
            plans = _binomial(rng, discharged, share)
        s.set("V1", p, (plans, discharged))
        if p in ("2022-07", "2022-08"):  # more UA than KP from July 2022, as the cycle reports
            s.set("V2", p, (plans - 2, plans))
        elif plans:
            early = p < "2022-07"
            s.set("V2", p, (_binomial(rng, plans, 0.35 if early else 0.6), plans))
    return s


def viborg_series() -> tuple[Series, Series]:
    """Regionspsykiatrien Midt, Viborg (Region Midtjylland, voksenspor).

    Report: coercive admissions few but constant, random variation in the baseline and in
    2022 (29 admissions of 14 patients, 16 of them of 3 patients); the share of discharges
    with a UA/KP stably high and the share of UA rising (social workers on the wards);
    municipal force: 5 episodes on 4 citizens in the baseline, none in 2022; the baseline
    changed when the data definitions were adjusted. Returns the values as recomputed and
    the first delivery with the old definition (higher counts), kept as revisions.
    """
    s = Series()
    old = Series()
    rng = _rng("viborg", "R")
    for p in MONTHS:
        persons = _pick(rng, {0: 0.14, 1: 0.30, 2: 0.30, 3: 0.16, 4: 0.07, 5: 0.03})
        # 2022: 29 admissions of 14 patients by September, 16 of them of 3 patients
        heavy = "2022-01" <= p <= "2022-09"
        spread = {0: 0.55, 1: 0.2, 2: 0.1, 4: 0.1, 6: 0.05} if heavy else {0: 0.74, 1: 0.16, 2: 0.07, 3: 0.03}
        repeats = sum(_pick(rng, spread) for _ in range(persons))
        s.set("R1", p, persons)
        s.set("R2", p, persons + repeats)
        extra = _binomial(rng, 3, 0.3)
        old.set("R1", p, persons + extra)
        old.set("R2", p, persons + repeats + extra + _binomial(rng, 2, 0.2))

    rng = _rng("viborg", "F")
    for p in MONTHS:
        persons = max(1, round(rng.gammavariate(5.0, 1.1)))
        events = _events(rng, persons, _EVENTS_PER_PERSON)
        s.set("F1", p, persons)
        s.set("F2", p, events)
        extra = _binomial(rng, 4, 0.35)
        old.set("F1", p, persons + extra)
        old.set("F2", p, events + extra + _binomial(rng, 6, 0.3))

    # municipal force (Viborg Kommune): 5 episodes on 4 citizens in the baseline, 2 in 2021, none since
    episodes = {"2018-05": (1, 1), "2019-02": (1, 2), "2019-10": (1, 1), "2020-03": (1, 1), "2021-06": (1, 2)}
    for p in MONTHS:
        persons, uses = episodes.get(p, (0, 0))
        s.set("F3", p, persons)
        s.set("F4", p, uses)

    rng = _rng("viborg", "V")
    for p in MONTHS:
        discharged = rng.randint(26, 42)
        plans = _binomial(rng, discharged, 0.78)
        s.set("V1", p, (plans, discharged))
        ua_share = 0.45 if p < "2022-03" else min(0.72, 0.50 + 0.02 * (_i(p) - _i("2022-03")))
        s.set("V2", p, (_binomial(rng, plans, ua_share), plans))
    for p in month_range("2023-03", "2023-09"):
        if p == "2023-07":
            continue  # summer: not counted
        with_plan = rng.randint(18, 28)
        s.set("V3", p, (_binomial(rng, with_plan, 0.7), with_plan))
    return s, old


NORDEPJ_DATE = "2022-03-25"


def aalborg_series() -> Series:
    """Børne- og Ungdomspsykiatrien, Aalborg (Region Nordjylland, børne- og ungespor).

    Report: in the baseline 5 persons coercively admitted to BU1 and none in the other
    months; 8 persons subjected to other coercion, 21 events in all; municipal force
    (Aalborg Nord) non-random, stable from May 2019 at 1-3 persons and 1-10 uses a month.
    NordEPJ from 25 March 2022: March 2022 cannot be counted comparably, extracts then
    cover all of Aalborg Kommune (not only Aalborg Nord), and F1/F2 have not been delivered
    since February 2022. BU1 (a new tool, no baseline) is counted from January 2022; the first
    plans were made in November 2022.
    """
    s = Series()
    rng = _rng("aalborg", "R")
    admitted = {"2018-04", "2018-11", "2019-08", "2020-02", "2020-09", "2021-05", "2021-10"}
    for p in MONTHS:
        if p < "2022-03":
            persons = 1 if p in admitted else 0
            s.set("R1", p, persons)
            s.set("R2", p, persons + (1 if p == "2021-10" else 0))
        elif p > "2022-03":
            persons = _pick(rng, {0: 0.55, 1: 0.35, 2: 0.10})
            note = "NordEPJ-udtræk: hele Aalborg Kommune (ikke kun Aalborg Nord)" if p == "2022-04" else ""
            s.set("R1", p, persons, note)
            s.set("R2", p, persons + _binomial(rng, persons, 0.2), note)
    other = {  # month -> (persons, events): 21 events in the baseline
        "2018-02": (1, 2),
        "2018-06": (1, 1),
        "2018-11": (1, 3),
        "2019-01": (1, 1),
        "2019-04": (2, 4),
        "2019-08": (1, 2),
        "2019-12": (1, 1),
        "2020-02": (1, 3),
        "2020-06": (1, 1),
        "2020-09": (1, 2),
        "2020-10": (1, 1),
        "2021-03": (1, 2),
        "2021-05": (1, 1),
        "2021-10": (2, 5),
        "2022-01": (1, 1),
    }
    for p in MONTHS:
        if p <= "2022-02":
            persons, events = other.get(p, (0, 0))
            s.set("F1", p, persons)
            s.set("F2", p, events)
    rng = _rng("aalborg", "M")
    for p in MONTHS:
        if p < "2019-05":
            persons = _pick(rng, {0: 0.7, 1: 0.3})
            uses = persons * _pick(rng, {1: 0.7, 2: 0.3})
        else:
            persons = _pick(rng, {1: 0.35, 2: 0.45, 3: 0.20})
            uses = min(10, persons + _binomial(rng, 12, 0.25))
        s.set("F3", p, persons)
        s.set("F4", p, uses)
    plans = {
        "2022-11": 1,
        "2022-12": 1,
        "2023-01": 2,
        "2023-02": 1,
        "2023-03": 2,
        "2023-04": 3,
        "2023-05": 2,
        "2023-06": 3,
        "2023-07": 1,
        "2023-08": 3,
        "2023-09": 4,
    }
    for p in month_range(PROJECT_START, LAST_MONTH):  # a new tool: counted from the project start
        s.set("BU1", p, plans.get(p, 0))
    return s


def aarhus_series() -> Series:
    """Børne- og Ungdomspsykiatrien Aarhus (BUA) (Region Midtjylland, børne- og ungespor).

    Report: 12 children coercively admitted 82 times in 2018-2020; random variation in the
    baseline, a marked rise from summer 2020 to the end of 2021 (16 patients admitted 116
    times in 2021), a marked fall in 2022 (7 patients, 18 times by August). F1: 17 children
    subjected to coercion 489 times in the baseline, 15 children 1,198 times in 2021; F2 not
    comparable before and after the psychiatry act change of August 2020 (a level shift
    from October 2020), a run of fewer events in 2019, a considerable fall in 2022.
    Municipal force very small: none in 2021, 8 uses on one young person in 2022.
    """
    s = Series()
    rng = _rng("aarhus", "R")
    for p in MONTHS:
        if "2020-08" <= p <= "2021-12":
            persons = _pick(rng, {2: 0.25, 3: 0.35, 4: 0.25, 5: 0.15})
            admissions = persons + sum(_pick(rng, {0: 0.4, 1: 0.25, 3: 0.2, 7: 0.15}) for _ in range(persons))
        elif p >= "2022-01":
            persons = _pick(rng, {0: 0.30, 1: 0.45, 2: 0.25})
            admissions = persons + sum(_pick(rng, {0: 0.4, 1: 0.3, 2: 0.2, 3: 0.1}) for _ in range(persons))
        else:
            persons = _pick(rng, {0: 0.30, 1: 0.45, 2: 0.20, 3: 0.05})
            admissions = persons + sum(_pick(rng, {0: 0.6, 1: 0.2, 2: 0.12, 5: 0.08}) for _ in range(persons))
        s.set("R1", p, persons)
        s.set("R2", p, admissions)
    rng = _rng("aarhus", "F")
    for p in MONTHS:
        if "2020-10" <= p <= "2021-12":
            persons = _pick(rng, {5: 0.3, 6: 0.4, 7: 0.3})
            events = round(rng.gammavariate(9.0, 11.0))
        elif p >= "2022-01":
            persons = _pick(rng, {2: 0.3, 3: 0.4, 4: 0.3})
            events = round(rng.gammavariate(6.0, 4.5 if p < "2022-07" else 3.5))
        elif "2019-01" <= p <= "2019-10":
            persons = _pick(rng, {1: 0.3, 2: 0.4, 3: 0.3})
            events = round(rng.gammavariate(4.0, 0.9))
        else:
            persons = _pick(rng, {2: 0.3, 3: 0.4, 4: 0.3})
            events = round(rng.gammavariate(4.0, 1.9))
        s.set("F1", p, persons)
        s.set("F2", p, max(events, persons))
    force = {
        "2018-03": (1, 2),
        "2019-06": (1, 1),
        "2020-01": (1, 3),
        "2022-04": (1, 3),
        "2022-06": (1, 2),
        "2022-08": (1, 3),
    }
    for p in MONTHS:
        persons, uses = force.get(p, (0, 0))
        s.set("F3", p, persons)
        s.set("F4", p, uses)
    rng = _rng("aarhus", "BU")
    for p in month_range(PROJECT_START, LAST_MONTH):  # a new tool: counted from the project start
        s.set("BU1", p, _pick(rng, {0: 0.3, 1: 0.5, 2: 0.2}) if p >= "2023-01" else 0)
    return s


# =============================================================================================
# Teams, driver diagrams, cycles, meetings and assessments (the story)
# =============================================================================================
OVERALL_AIM = (
    "At reducere omfanget af tvangsindlæggelser ved at styrke det tværsektorielle samarbejde "
    "med patienten i centrum."
)
_SYNTHETIC_DESCRIPTION = (
    "SYNTETISKE DATA: et demo-team bygget på LKT Tvangs statusrapport (2022) og erfaringskatalog. "
    "Personer, forløb og tal er opdigtede. / SYNTHETIC DATA: a demo team modelled on LKT Tvang's "
    "status report (2022) and experience catalogue. People, cycles and numbers are made up."
)


#: the experience catalogue names shared decision making under both primary drivers
SHARED_DECISIONS = "Fælles beslutningstagning (shared decision making)"
#: keys for a team's change ideas under the two shared-decision-making secondary drivers
SDM_PLAN = "shared decisions: plan"
SDM_MEETING = "shared decisions: network meeting"


def _secondary(text: str, ideas: dict[str, list[str]], key: str = "") -> TemplateNode:
    return TemplateNode(text=text, children=[TemplateNode(text=i) for i in ideas.get(key or text, [])])


def _network_meetings(ideas: dict[str, list[str]]) -> TemplateNode:
    return TemplateNode(
        text="Tværsektorielle netværksmøder",
        description="Primær driver i LKT Tvang (begge spor). Måles med V3 (voksne) og BU2 (børn og unge).",
        children=[
            _secondary("Deltagerkreds", ideas),
            _secondary("Rollefordeling", ideas),
            _secondary(SHARED_DECISIONS, ideas, SDM_MEETING),
        ],
    )


def _voksen_drivers(ideas: dict[str, list[str]]) -> list[TemplateNode]:
    """The adult track's drivers (as the LKT Tvang plugin's template names them), with a team's
    change ideas under the secondary drivers they serve."""
    return [
        TemplateNode(
            text="Udskrivningsaftaler/koordinationsplaner (UA/KP)",
            description="Primær driver i voksenpsykiatrien. Måles med V1, V2 og V4.",
            children=[
                _secondary("Lovbestemt indhold", ideas),
                _secondary("Fokus på patientens ønsker, præferencer og hjælp fra netværk", ideas),
                _secondary("Særlig opmærksomhed på forebyggelse af tvang", ideas),
                _secondary(SHARED_DECISIONS, ideas, SDM_PLAN),
            ],
        ),
        _network_meetings(ideas),
    ]


def _bu_drivers(ideas: dict[str, list[str]]) -> list[TemplateNode]:
    """The children's track's drivers (as the plugin's template names them), with a team's change ideas."""
    return [
        TemplateNode(
            text="Trygheds- og forebyggelsesplaner",
            description="Primær driver i børne- og ungdomspsykiatrien. Måles med BU1, BU3 og BU4.",
            children=[
                _secondary("Grundoplysninger som ved UA/KP", ideas),
                _secondary("Fokus på barnet/den unge samt forældrenes rolle", ideas),
                _secondary("Særlig opmærksomhed på forebyggelse af tvang", ideas),
                _secondary("Planen overføres til en UA/KP ved overgang til voksenpsykiatrien", ideas),
                _secondary(SHARED_DECISIONS, ideas, SDM_PLAN),
            ],
        ),
        _network_meetings(ideas),
    ]


@dataclass(frozen=True)
class CycleSpec:
    """A PDSA cycle of the story: planned on ``planned``, last edited on ``updated``."""

    key: str
    title: str
    idea: str
    status: str
    planned: str
    updated: str = ""
    start: str = ""
    end: str = ""
    owner: str = ""
    indicators: tuple[str, ...] = ()
    follows: str = ""
    plan: dict[str, str] = field(default_factory=dict)
    later: dict[str, str] = field(default_factory=dict)
    """Do, Study and Act fields, written on ``updated``."""


@dataclass(frozen=True)
class DiagramEdit:
    date: str
    action: str  # "add", "link" or "rename"
    node: str
    target: str = ""
    """Parent (add, link) or new text (rename)."""


@dataclass(frozen=True)
class Delivery:
    """Values that arrived together (one import)."""

    date: str
    source_file: str
    items: tuple[tuple[str, str], ...]  # (indicator, period)
    old_definition: bool = False


@dataclass(frozen=True)
class TeamSpec:
    key: str
    name: str
    short: str
    region: str
    track: str
    municipalities: tuple[str, ...]
    members: tuple[Member, ...]
    description: str
    indicator_set: str
    populations: dict[str, str]
    aim: str
    drivers: list[TemplateNode]
    edits: tuple[DiagramEdit, ...]
    cycles: tuple[CycleSpec, ...]
    annotations: tuple[tuple[str, str, str, tuple[str, ...], bool], ...]
    """(date, text, kind, indicators, phase split)"""
    data_actor: str
    history_date: str


def _populations(codes: Iterable[str], text: str) -> dict[str, str]:
    return dict.fromkeys(codes, text)


_LAW_2019 = (
    "2019-07-01",
    "Ændring af psykiatriloven (juli 2019): udskrivningsaftaler og koordinationsplaner bliver "
    "obligatoriske for en udvalgt gruppe patienter",
    "law change",
    (),
    False,
)
_LAW_2020 = (
    "2020-08-01",
    "Ændring af psykiatriloven (august 2020) med betydning for antallet af registrerede tvangshændelser",
    "law change",
    (),
    False,
)
_PROJECT = (
    "2022-01-01",
    "Projektperioden i LKT Tvang begynder (baseline 2018-2020; første læringsseminar 30. november 2021)",
    "other",
    (),
    False,
)


# -- Psykiatrien Syd, Vordingborg ---------------------------------------------------------------------
_SYD_CYCLES = (
    CycleSpec(
        key="kendskab",
        title="Kendskabsbesøg",
        idea="Kendskabsbesøg mellem DP, sengeafsnit og kommunale kontaktpersoner",
        status="done",
        planned="2022-01-25",
        updated="2022-05-03",
        start="2022-02-07",
        end="2022-04-29",
        owner="Jens Kofoed",
        indicators=("R1",),
        plan={
            "objective": "Afprøve om gensidige kendskabsbesøg mellem Distriktspsykiatrien (DP) Vordingborg, "
            "sengeafsnit S1 og kommunale kontaktpersoner giver bedre kendskab til hinandens "
            "arbejdsområder og lettere kontakt i konkrete patientforløb.",
            "questions": "Hvor mange medarbejdere deltager? Ved deltagerne bagefter, hvem de skal kontakte "
            "i de andre enheder? Er formatet (2 timer, fast program) realistisk i driften?",
            "predictions": "Mindst 12 medarbejdere deltager i alt. Mindst 8 ud af 10 svarer, at de kender "
            "en kontaktperson i de andre enheder efter besøget. Den kommunale deltagelse bliver lav, "
            "fordi kommunen kun deltager ad hoc.",
            "plan_who": "Tovholderne fra DP og S1; en kontaktperson fra Guldborgsund Kommunes bostøtte.",
            "plan_what": "To kendskabsbesøg á 2 timer: DP besøger S1, og S1 besøger DP; kommunens "
            "kontaktpersoner inviteres til begge. Fast program: rundvisning, arbejdsgange ved "
            "indlæggelse og udskrivelse, fælles kontaktliste.",
            "plan_when": "Februar-marts 2022",
            "plan_where": "Sengeafsnit S1 og Distriktspsykiatrien Vordingborg",
            "data_to_collect": "Antal deltagere pr. enhed; kort spørgeskema (3 spørgsmål) efter hvert besøg.",
        },
        later={
            "do_observations": "Første besøg 22. februar: 9 deltagere (5 fra S1, 4 fra DP), ingen fra "
            "kommunen på grund af sygdom. Andet besøg 24. marts: 11 deltagere, heraf 2 kommunale "
            "kontaktpersoner. Programmet holdt tiden; kontaktlisten blev efterspurgt af flere.",
            "study_results": "20 deltagere i alt (forudsagt: 12). 17 af 19 besvarelser angiver, at de nu "
            "kender en kontaktperson i de andre enheder (89 %, forudsagt 80 %). Kommunal deltagelse "
            "lavere end ønsket, som forudsagt. Deltagerne fremhævede, at det er lettere at ringe til "
            "en, man har mødt.",
            "act_decision": "adopt",
            "next_step": "Kendskabsbesøg gentages hvert halve år og når der kommer nye medarbejdere; "
            "kontaktlisten lægges på intranettet. Kommunen inviteres igen via ledelsen.",
        },
    ),
    CycleSpec(
        key="ua1",
        title="Udskrivningsaftaler/koordinationsplaner",
        idea="Undervisning af personale, sekretærer og læger i UA/KP",
        status="done",
        planned="2022-01-25",
        updated="2022-05-03",
        start="2022-02-14",
        end="2022-04-29",
        owner="Lene Mortensen",
        indicators=("V1", "V2"),
        plan={
            "objective": "Afprøve om undervisning af plejepersonalet på S1 i udskrivningsaftaler og "
            "koordinationsplaner (lovkrav, indhold, arbejdsgang) får flere patienter i målgruppen til at "
            "få en UA/KP.",
            "questions": "Hvor mange af plejepersonalet deltager? Bliver der udarbejdet UA/KP i ugerne "
            "efter? Hvor går arbejdsgangen i stå?",
            "predictions": "80 % af plejepersonalet deltager. Andelen af udskrevne med UA/KP stiger fra 0 "
            "til 20 % inden for 2 måneder.",
            "plan_who": "Tovholderen på S1 og afsnittets socialrådgiver.",
            "plan_what": "Tre undervisningsseancer á 30 minutter på personalemøder; tjekliste for UA/KP; "
            "ugentlig opgørelse af udskrevne med UA/KP.",
            "plan_when": "Februar-april 2022",
            "plan_where": "Sengeafsnit S1",
            "data_to_collect": "Deltagere pr. seance; andel udskrevne med UA/KP (V1) og andel UA (V2) "
            "pr. måned.",
        },
        later={
            "do_observations": "22 af 30 i plejepersonalet deltog (73 %). Den første UA/KP blev udarbejdet "
            "i uge 10. Arbejdsgangen gik i stå, når aftalen skulle skrives ind i journalen, fordi "
            "sekretærerne ikke kendte notatskabelonen, og når lægen skulle godkende aftalen.",
            "study_results": "Deltagelsen var lidt under forudsigelsen. V1 steg fra 0 til 9 % i marts og "
            "14 % i april, under de forudsagte 20 %. Flaskehalsen er ikke plejepersonalets viden, men "
            "sekretærernes og lægernes del af arbejdsgangen.",
            "act_decision": "adapt",
            "next_step": "Cyklus 2: undervisning også for sekretærer og læger, fast notatskabelon og UA/KP "
            "som fast punkt på udskrivningskonferencen.",
        },
    ),
    CycleSpec(
        key="ua2",
        title="Udskrivningsaftaler/koordinationsplaner (cyklus 2)",
        idea="Undervisning af personale, sekretærer og læger i UA/KP",
        status="done",
        follows="ua1",
        planned="2022-05-03",
        updated="2022-09-06",
        start="2022-05-09",
        end="2022-08-31",
        owner="Lene Mortensen",
        indicators=("V1", "V2"),
        plan={
            "objective": "Afprøve om undervisning af sekretærer og læger, en fast notatskabelon og UA/KP som "
            "fast punkt på udskrivningskonferencen får flere patienter i målgruppen til at få en UA/KP.",
            "questions": "Bliver skabelonen brugt? Stiger andelen af udskrevne med UA/KP? Bliver der lavet "
            "flere udskrivningsaftaler end koordinationsplaner?",
            "predictions": "Andelen af udskrevne med UA/KP når 25 % inden udgangen af august.",
            "plan_who": "Tovholderen på S1, socialrådgiveren og overlægen.",
            "plan_what": "Undervisning af sekretærer (1 seance) og læger (på middagskonferencen); fast "
            "notatskabelon; UA/KP som fast punkt på udskrivningskonferencen.",
            "plan_when": "Maj-august 2022",
            "plan_where": "Sengeafsnit S1",
            "data_to_collect": "Andel udskrevne med UA/KP (V1) og andel UA (V2) pr. måned; brug af "
            "skabelonen.",
        },
        later={
            "do_observations": "Alle 4 sekretærer og 6 af 8 læger blev undervist i maj. Notatskabelonen har "
            "været i brug fra 1. juni, og UA/KP har været fast punkt på udskrivningskonferencen fra uge 23.",
            "study_results": "V1 steg til 21 % i juni, 24 % i juli og 27 % i august (forudsagt: 25 %). "
            "Flere udskrivningsaftaler end koordinationsplaner fra juli (V2). Personalet oplever "
            "arbejdsgangen som klar.",
            "act_decision": "adopt",
            "next_step": "Arbejdsgangen er standard på S1. Tjekliste og skabelon udbredes til S2 efter "
            "projektet; nye medarbejdere undervises ved introduktionen.",
        },
    ),
    CycleSpec(
        key="ringhjem1",
        title="Ringe hjem-ordning efter udskrivelse ved en tvangsindlæggelse",
        idea="Ringe hjem-ordning efter udskrivelse ved en tvangsindlæggelse",
        status="done",
        planned="2022-05-17",
        updated="2022-10-11",
        start="2022-06-01",
        end="2022-09-30",
        owner="Lene Mortensen",
        indicators=("R1", "R2"),
        plan={
            "objective": "Afprøve om en telefonopringning fra S1 2-3 dage efter udskrivelse af "
            "patienter, der "
            "har været tvangsindlagt, fanger tidlige tegn på forværring og giver patienten en oplevelse "
            "af sammenhæng.",
            "questions": "Hvor mange patienter træffer vi? Hvad fortæller de? Fører opkaldene til handling, "
            "fx en fremrykket tid i DP?",
            "predictions": "Vi træffer 8 ud af 10. I 2 ud af 10 opkald aftales en handling. Patienterne "
            "tager godt imod opkaldet.",
            "plan_who": "Kontaktpersonerne på S1 (dagvagt).",
            "plan_what": "Ringe til alle patienter, der udskrives efter en tvangsindlæggelse; fast manus; "
            "notat i journalen; ved bekymring kontakt til DP samme dag.",
            "plan_when": "Juni-september 2022",
            "plan_where": "Sengeafsnit S1",
            "data_to_collect": "Antal udskrevne efter tvangsindlæggelse; opkald foretaget og patienter "
            "truffet; aftalte handlinger; patientens tilbagemelding (ét spørgsmål).",
        },
        later={
            "do_observations": "13 patienter blev udskrevet efter en tvangsindlæggelse; 11 opkald blev "
            "foretaget, og 6 patienter blev truffet. To opkald førte til en fremrykket tid i DP. Flere "
            "patienter tog ikke telefonen fra et ukendt nummer. Opkald blev glemt i weekenderne.",
            "study_results": "Færre truffet end forudsagt (6 af 11 mod 8 af 10). Handling i 2 af 6 opkald "
            "(som forudsagt). De 6 patienter var positive. Hovedproblemet er at komme igennem: patienterne "
            "kender ikke nummeret, og ordningen er sårbar i weekenderne.",
            "act_decision": "adapt",
            "next_step": "Cyklus 2: tidspunktet for opkaldet aftales med patienten før udskrivelsen, der "
            "sendes en sms dagen før, og opkaldet skrives ind i udskrivningsaftalen.",
        },
    ),
    CycleSpec(
        key="ringhjem2",
        title="Ringe hjem-ordning efter udskrivelse ved en tvangsindlæggelse (cyklus 2)",
        idea="Ringe hjem-ordning efter udskrivelse ved en tvangsindlæggelse",
        status="doing",
        follows="ringhjem1",
        planned="2023-08-22",
        updated="2023-09-29",
        start="2023-09-04",
        owner="Lene Mortensen",
        indicators=("R1", "R2"),
        plan={
            "objective": "Afprøve om et aftalt tidspunkt og en sms-påmindelse får flere patienter til "
            "at tage "
            "imod opkaldet efter udskrivelse fra en tvangsindlæggelse.",
            "questions": "Hvor mange patienter træffer vi, når tidspunktet er aftalt? Fører opkaldene til "
            "handling? Kan ordningen holdes i weekenderne?",
            "predictions": "Vi træffer 9 ud af 10, når tidspunktet er aftalt og der er sendt en sms.",
            "plan_who": "Kontaktpersonerne på S1; sekretæren sender sms.",
            "plan_what": "Som cyklus 1, men tidspunktet aftales med patienten før udskrivelsen, der sendes "
            "en sms dagen før, og opkaldet skrives ind i udskrivningsaftalen.",
            "plan_when": "September-november 2023",
            "plan_where": "Sengeafsnit S1",
            "data_to_collect": "Som cyklus 1, plus om tidspunktet blev holdt.",
        },
        later={
            "do_observations": "Pr. 29. september: 3 patienter udskrevet efter en tvangsindlæggelse; alle 3 "
            "blev truffet på det aftalte tidspunkt. Én sms blev sendt for sent (fredag eftermiddag).",
        },
    ),
    CycleSpec(
        key="review",
        title="Review af komplicerede tvangsindlæggelser",
        idea="Review af komplicerede tvangsindlæggelser",
        status="acting",
        planned="2023-02-14",
        updated="2023-09-26",
        start="2023-03-01",
        owner="Sofie Lauridsen",
        indicators=("R1", "R2"),
        plan={
            "objective": "Afprøve et struktureret review (inspireret af analyserne efter bæltefiksering) af "
            "komplicerede tvangsindlæggelser med DP, S1, kommunale kontaktpersoner og om muligt patienten, "
            "for at finde læring, der kan forebygge den næste tvangsindlæggelse.",
            "questions": "Kan vi samle de relevante parter inden for 3 uger efter indlæggelsen? Giver "
            "reviewet konkrete aftaler? Deltager bostedets kontaktpersoner, når vi kommer ud til dem?",
            "predictions": "Vi gennemfører 3 reviews på 3 måneder. Hvert review giver mindst én konkret "
            "aftale. Kommunale kontaktpersoner deltager, når mødet holdes på bostedet.",
            "plan_who": "Overlægen på S1 (facilitator), tovholderne, en kontaktperson fra bosted eller "
            "bostøtte, peer-medarbejderen.",
            "plan_what": "Review på 60 minutter med fast skabelon: forløbet op til indlæggelsen, "
            "varselstegn, hvad virkede og hvad virkede ikke, aftaler fremadrettet. Patienten inviteres.",
            "plan_when": "Marts-juni 2023",
            "plan_where": "På bostedet eller i DP",
            "data_to_collect": "Antal reviews; dage fra indlæggelse til review; deltagere pr. sektor; antal "
            "aftaler; opfølgning efter 3 måneder.",
        },
        later={
            "do_observations": "4 reviews gennemført (marts, april, maj og juni), 12-30 dage efter "
            "indlæggelsen. Bostedets kontaktpersoner deltog i 3 af 4, fordi mødet blev holdt på bostedet. "
            "Én patient deltog selv. I to forløb havde egen læge ikke reageret på en henvendelse om "
            "forværring.",
            "study_results": "Flere reviews end forudsagt (4 mod 3). Alle gav mindst én aftale (9 i "
            "alt), bl.a. "
            "fast kontakt til DP ved varselstegn og hurtigere henvendelse fra bostedet. Kommunal deltagelse "
            "som forudsagt, når mødet blev holdt ude. Ny læring: samarbejdet med egen læge skal undersøges.",
            "next_step": "Besluttes på tavlemødet i oktober: reviews som fast praksis, og en ny PDSA om "
            "kontakt til egen læge ved hurtig forværring.",
        },
    ),
    CycleSpec(
        key="forhaand",
        title="Ambulante forhåndstilkendegivelser",
        idea="Ambulante forhåndstilkendegivelser",
        status="studying",
        planned="2023-05-16",
        updated="2023-09-19",
        start="2023-06-05",
        owner="Jens Kofoed",
        indicators=("R1", "R2"),
        plan={
            "objective": "Afprøve om ambulante patienter med tidligere tvangsindlæggelser vil udarbejde en "
            "forhåndstilkendegivelse om, hvad der skal ske ved forværring, og om personalet bruger den ved "
            "en akut henvendelse.",
            "questions": "Hvor mange af de adspurgte patienter ønsker at lave en forhåndstilkendegivelse? "
            "Hvor lang tid tager samtalen? Bliver den fundet og brugt ved en indlæggelse?",
            "predictions": "Halvdelen af de 8 udvalgte patienter siger ja. Samtalen tager ca. 45 minutter. "
            "Forhåndstilkendegivelsen bliver ikke fundet ved en indlæggelse, medmindre den ligger et "
            "fast sted "
            "i journalen.",
            "plan_who": "To kontaktpersoner i DP Vordingborg og peer-medarbejderen.",
            "plan_what": "Tilbyde 8 ambulante patienter med mindst én tvangsindlæggelse de seneste 2 år en "
            "samtale om en forhåndstilkendegivelse (ønsker til behandling, kontaktpersoner, hvad der "
            "hjælper ved forværring); den gemmes under et fast notatpunkt i journalen.",
            "plan_when": "Juni-august 2023",
            "plan_where": "Distriktspsykiatrien Vordingborg",
            "data_to_collect": "Antal tilbudt, accepteret og udarbejdet; samtalens varighed; om "
            "forhåndstilkendegivelsen blev læst ved en eventuel indlæggelse (journalaudit).",
        },
        later={
            "do_observations": "8 patienter fik tilbuddet, 5 sagde ja, og 4 forhåndstilkendegivelser blev "
            "udarbejdet (én patient blev indlagt før samtalen). Samtalerne tog 40-70 minutter; to patienter "
            "fremhævede peer-medarbejderens deltagelse. Én patient blev indlagt i august, og "
            "forhåndstilkendegivelsen blev læst af vagthavende læge.",
            "study_results": "Accept 5 af 8 (forudsagt 4 af 8). Samtalerne tog lidt længere tid end "
            "forudsagt. "
            "Forhåndstilkendegivelsen blev fundet ved den ene indlæggelse, fordi den lå under et fast "
            "notatpunkt. Endnu for få forløb til at sige noget om tvang.",
        },
    ),
    CycleSpec(
        key="ringfoer",
        title="Ringe før 1. ambulante samtale",
        idea="Ringe før 1. ambulante samtale",
        status="doing",
        planned="2023-08-08",
        updated="2023-09-29",
        start="2023-08-21",
        owner="Jens Kofoed",
        indicators=("R1",),
        plan={
            "objective": "Afprøve om et kort opkald før den første ambulante samtale efter udskrivelsen øger "
            "fremmødet og giver patienten mulighed for at sige, hvad der er vigtigt at tale om.",
            "questions": "Hvor mange patienter får vi fat i? Møder flere op til første samtale? Hvad ønsker "
            "patienterne at tale om?",
            "predictions": "Vi får fat i 7 ud af 10. Fremmødet stiger fra ca. 70 % til 85 %. De fleste "
            "ønsker at tale om medicin og bolig.",
            "plan_who": "Sekretæren og kontaktpersonen i DP.",
            "plan_what": "Ringe til de næste 10 patienter, der henvises fra S1, 2-3 hverdage før første "
            "samtale; fast manus med tre spørgsmål.",
            "plan_when": "21. august-30. september 2023",
            "plan_where": "Distriktspsykiatrien Vordingborg",
            "data_to_collect": "Opkald og kontakt opnået; fremmøde; patientens ønsker til samtalen "
            "(stikord).",
        },
        later={
            "do_observations": "Pr. 29. september: 7 patienter ringet op, kontakt med 5; alle 5 mødte op. To "
            "ønskede at tale om bolig, én om medicin og to om arbejde eller uddannelse. Manuset virker, "
            "men sekretæren mangler tid om mandagen.",
        },
    ),
    CycleSpec(
        key="elektiv",
        title="Elektive indlæggelser i sengeafsnit",
        idea="Elektiv (kortvarig) indlæggelse af ambulante patienter med høj risiko for tvangsindlæggelse",
        status="planned",
        planned="2023-09-26",
        owner="Lene Mortensen",
        indicators=("R1", "R2", "V1"),
        plan={
            "objective": "Afprøve om en planlagt, kortvarig indlæggelse (2-3 døgn) af en ambulant "
            "patient med "
            "kompliceret forløb og høj risiko for tvangsindlæggelse kan bruges til at udarbejde en "
            "udskrivningsaftale sammen med patient, pårørende og kommune.",
            "questions": "Vil patienten tage imod tilbuddet? Kan S1 stille en seng til rådighed med en uges "
            "varsel? Bliver der udarbejdet en UA/KP med deltagelse fra kommunen?",
            "predictions": "Én af to adspurgte patienter siger ja. Sengen kan findes, men kun uden for "
            "weekender. Udskrivningsaftalen udarbejdes under indlæggelsen, men kommunen deltager kun "
            "telefonisk.",
            "plan_who": "Overlægen på S1, kontaktpersonen i DP og tovholderen på S1.",
            "plan_what": "DP udpeger 2 patienter; tilbud om elektiv indlæggelse; netværksmøde på 2. døgn med "
            "den kommunale kontaktperson; UA/KP underskrives før udskrivelsen.",
            "plan_when": "Oktober-november 2023",
            "plan_where": "Sengeafsnit S1",
            "data_to_collect": "Accept; ventetid på en seng; UA/KP udarbejdet (ja/nej); kommunal deltagelse; "
            "genindlæggelse med tvang inden for 6 måneder.",
        },
    ),
)

SYD = TeamSpec(
    key="syd",
    name="Psykiatrien Syd, Vordingborg",
    short="Syd",
    region="Region Sjælland",
    track="voksenspor",
    municipalities=("Vordingborg", "Guldborgsund"),
    members=(
        Member("Lene Mortensen", "tovholder", "Psykiatrien Syd, sengeafsnit S1"),
        Member("Jens Kofoed", "tovholder", "Psykiatrien Syd, Distriktspsykiatrien Vordingborg"),
        Member("Birgitte Holm", "leader", "Psykiatrien Syd, afdelingsledelsen"),
        Member("Karina Steen", "peer", "Peer-medarbejder, Psykiatrien Syd"),
        Member("Sofie Lauridsen", "clinician", "Overlæge, sengeafsnit S1"),
        Member("Morten Friis", "data consultant", "Region Sjælland, psykiatriens dataenhed"),
        Member(
            "Helle Brandt", "municipal staff", "Guldborgsund Kommune, socialpsykiatrien (deltager ad hoc)"
        ),
    ),
    description=_SYNTHETIC_DESCRIPTION
    + " Kommunen har valgt ikke at være fast med i forbedringsteamet, men deltager ad hoc i de enkelte "
    "patientforløb.",
    indicator_set=VOKSEN_SET,
    populations={
        **_populations(
            ("R1", "R2"),
            "Patienter fra Guldborgsund Kommune indlagt på sengeafsnit S1, Psykiatrien Syd; "
            "retspsykiatriske patienter er udelukket",
        ),
        **_populations(("F1", "F2"), "Patienter indlagt på sengeafsnit S1, Psykiatrien Syd"),
        **_populations(
            ("F3", "F4"), "Borgere i Guldborgsund Kommune (ingen data: kommunen deltager kun ad hoc)"
        ),
        **_populations(("V1", "V2", "V3", "V4"), "Udskrevne patienter i målgruppen fra sengeafsnit S1"),
    },
    aim=OVERALL_AIM
    + " Lokalt mål: antallet af personer fra Guldborgsund Kommune, der tvangsindlægges på sengeafsnit "
    "S1, er reduceret med 10 % i forhold til baseline 2018-2020 senest 30. september 2023.",
    drivers=_voksen_drivers(
        {
            "Lovbestemt indhold": ["Undervisning af personale, sekretærer og læger i UA/KP"],
            "Fokus på patientens ønsker, præferencer og hjælp fra netværk": [
                "Ambulante forhåndstilkendegivelser",
                "Ringe til patienten før første ambulante samtale",
            ],
            "Særlig opmærksomhed på forebyggelse af tvang": [
                "Elektiv (kortvarig) indlæggelse af ambulante patienter med høj risiko for tvangsindlæggelse",
                "Review af komplicerede tvangsindlæggelser",
            ],
            "Deltagerkreds": ["Kendskabsbesøg mellem DP, sengeafsnit og kommunale kontaktpersoner"],
            "Rollefordeling": [
                "Blitz-analyse: kort virtuelt netværksmøde (højst 15 minutter) efter en tvangsindlæggelse"
            ],
            SDM_MEETING: ["Peer-medarbejder som støtte før og under netværksmødet"],
        }
    ),
    edits=(
        DiagramEdit(
            "2022-05-17",
            "add",
            "Ringe hjem-ordning efter udskrivelse ved en tvangsindlæggelse",
            "Særlig opmærksomhed på forebyggelse af tvang",
        ),
        DiagramEdit(
            "2022-05-17",
            "link",
            "Kendskabsbesøg mellem DP, sengeafsnit og kommunale kontaktpersoner",
            "Rollefordeling",
        ),
        DiagramEdit("2023-02-14", "link", "Review af komplicerede tvangsindlæggelser", "Deltagerkreds"),
        DiagramEdit(
            "2023-08-08",
            "rename",
            "Ringe til patienten før første ambulante samtale",
            "Ringe før 1. ambulante samtale",
        ),
    ),
    cycles=_SYD_CYCLES,
    annotations=(
        _LAW_2019,
        _LAW_2020,
        _PROJECT,
        ("2022-11-01", "Distriktspsykiatrien Vordingborg flytter til nye lokaler", "other", (), False),
    ),
    data_actor="Morten Friis",
    history_date="2022-01-20",
)


# -- Regionspsykiatrien Midt, Viborg ------------------------------------------------------------------
_VIBORG_CYCLES = (
    CycleSpec(
        key="review",
        title="Review af tvangsindlæggelser på teammødet",
        idea="Review af et tvangsindlæggelsesforløb på hvert teammøde",
        status="done",
        planned="2022-01-18",
        updated="2022-07-05",
        start="2022-02-01",
        end="2022-06-30",
        owner="Anne Kirkegaard",
        indicators=("R1", "R2"),
        plan={
            "objective": "Afprøve om et kort review af ét tvangsindlæggelsesforløb på hvert teammøde, med "
            "kollegaer fra psykiatri, bosted og bostøtte og om muligt borgeren selv, giver læring, vi kan "
            "handle på.",
            "questions": "Kan vi nå et review på 20 minutter? Hvilke mønstre går igen? Hvad justerer vi i "
            "driverdiagrammet?",
            "predictions": "Vi gennemgår 5 forløb på 5 møder. Selvskade og forsinket indlæggelse går igen.",
            "plan_who": "Forbedringsteamet; tovholderne forbereder forløbet.",
            "plan_what": "Fast skabelon: forløbet før indlæggelsen, kontakt på tværs, hvad kunne have "
            "forebygget tvang.",
            "plan_when": "Februar-juni 2022",
            "plan_where": "Teammødet (1 gang om måneden)",
            "data_to_collect": "Antal reviews; temaer; aftaler og ændringer i driverdiagrammet.",
        },
        later={
            "do_observations": "5 forløb gennemgået. I 2 forløb blev indlæggelsen forsinket, fordi egen læge "
            "ikke reagerede; i 2 forløb var selvskade årsagen; én borger deltog selv.",
            "study_results": "Som forudsagt gik selvskade og forsinket indlæggelse igen. Reviewet tog 25-30 "
            "minutter. Læringen førte til aftaler om åbne indlæggelser og en ny ændringsidé om kontakt "
            "til egen læge.",
            "act_decision": "adopt",
            "next_step": "Review er fast punkt på hvert teammøde.",
        },
    ),
    CycleSpec(
        key="socialraadgiver",
        title="Socialrådgiver-sparring om arbejdsgangen for udskrivelsesaftaler",
        idea="Socialrådgivere på sengeafsnit udarbejder udskrivelsesaftaler sammen med patienten",
        status="done",
        planned="2022-02-15",
        updated="2022-09-13",
        start="2022-03-01",
        end="2022-08-31",
        owner="Maria Thomsen",
        indicators=("V1", "V2"),
        plan={
            "objective": "Afprøve om de nyansatte socialrådgivere på sengeafsnittene, med sparring fra LKT, "
            "kan få flere udskrivelsesaftaler (UA) frem for koordinationsplaner (KP).",
            "questions": "Hvor går arbejdsgangen i stå? Stiger andelen af UA? Er arbejdsgangen ens på tværs "
            "af sengeafsnit?",
            "predictions": "Andelen af UA blandt UA/KP stiger fra ca. 45 % til 55 % på et halvt år.",
            "plan_who": "Socialrådgiverne på sengeafsnittene og tovholderen fra regionen.",
            "plan_what": "Månedlig sparring om arbejdsgangen; fælles beskrivelse af arbejdsgangen under "
            "indlæggelse; opfølgning på V1 og V2.",
            "plan_when": "Marts-august 2022",
            "plan_where": "Sengeafsnittene i Regionspsykiatrien Viborg",
            "data_to_collect": "V1 og V2 pr. måned; antal sparringsmøder.",
        },
        later={
            "do_observations": "6 sparringsmøder. Arbejdsgangen blev beskrevet og afstemt mellem "
            "sengeafsnittene i juni. Ved meget korte indlæggelser nåede aftalen ikke at blive lavet.",
            "study_results": "Andelen af UA steg fra ca. 45 % til over 55 % i løbet af sommeren (V2). "
            "Andelen "
            "med UA/KP er stabilt høj (V1). Arbejdet er sårbart, fordi det samler sig hos socialrådgiverne.",
            "act_decision": "adopt",
            "next_step": "Arbejdsgangen er fælles for sengeafsnittene; ejerskab i ambulatorier og hos "
            "kommunale samarbejdspartnere er næste skridt.",
        },
    ),
    CycleSpec(
        key="korte",
        title="Udskrivelsesaftale ved meget korte indlæggelser",
        idea="Udskrivelsesaftale påbegyndes inden for det første døgn",
        status="abandoned",
        planned="2022-08-23",
        updated="2022-12-06",
        start="2022-09-01",
        end="2022-11-30",
        owner="Maria Thomsen",
        indicators=("V1",),
        plan={
            "objective": "Afprøve om en udskrivelsesaftale kan påbegyndes inden for det første døgn, så den "
            "også bliver lavet ved indlæggelser under 48 timer.",
            "questions": "Hvor mange korte indlæggelser får en påbegyndt aftale? Hvad står i vejen?",
            "predictions": "Halvdelen af de korte indlæggelser får en påbegyndt aftale.",
            "plan_who": "Socialrådgiverne og plejepersonalet i modtagelsen.",
            "plan_what": "Tjekliste i modtagelsen; socialrådgiveren kontaktes samme dag.",
            "plan_when": "September-november 2022",
            "plan_where": "Modtagelsen og sengeafsnittene",
            "data_to_collect": "Korte indlæggelser med påbegyndt aftale (ja/nej); årsager, når det ikke "
            "lykkes.",
        },
        later={
            "do_observations": "14 korte indlæggelser; 3 fik en påbegyndt aftale. Patienterne var ofte for "
            "dårlige til samtalen det første døgn, og socialrådgiveren var ikke til stede i weekender.",
            "study_results": "Langt under forudsigelsen (3 af 14 mod halvdelen). Procedurerne når ikke "
            "at blive "
            "iværksat ved meget korte indlæggelser.",
            "act_decision": "abandon",
            "next_step": "Droppes i denne form. I stedet afprøves intensiv ambulant kontakt efter en "
            "pludselig "
            "udskrivelse.",
        },
    ),
    CycleSpec(
        key="intensiv",
        title="Intensiv ambulant kontakt ved pludselig udskrivelse",
        idea="Intensiv ambulant kontakt ved pludselig udskrivelse",
        status="done",
        planned="2022-09-20",
        updated="2023-04-11",
        start="2022-10-03",
        end="2023-03-31",
        owner="Rasmus Bach",
        indicators=("R1", "R2"),
        plan={
            "objective": "Afprøve om den nye intensive ambulante enhed, i tæt samarbejde med kommunal "
            "støtte, "
            "kan give en kort intensiv kontakt ved en pludselig udskrivelse (fx på patientens forlangende "
            "eller op til en weekend) og forebygge en hurtig genindlæggelse.",
            "questions": "Hvor hurtigt kommer første kontakt? Deltager bostøtten? Genindlægges patienterne "
            "inden for 30 dage?",
            "predictions": "Første kontakt inden for 2 hverdage for 8 ud af 10; færre genindlæggelser inden "
            "for 30 dage end før.",
            "plan_who": "Den intensive ambulante enhed og bostøtten i Viborg Kommune.",
            "plan_what": "Ved pludselig udskrivelse henvises patienten samme dag; fælles besøg med "
            "bostøtten.",
            "plan_when": "Oktober 2022-marts 2023",
            "plan_where": "Regionspsykiatrien Viborg og i borgerens hjem",
            "data_to_collect": "Dage til første kontakt; fælles besøg; genindlæggelse inden for 30 dage.",
        },
        later={
            "do_observations": "11 patienter henvist. 9 fik første kontakt inden for 2 hverdage; bostøtten "
            "deltog i 7 forløb. 2 blev genindlagt inden for 30 dage, heraf 1 med tvang.",
            "study_results": "Som forudsagt for første kontakt (9 af 11). Færre genindlæggelser end i det "
            "halve år før (2 af 11 mod 5 af 12), men tallene er små.",
            "act_decision": "adopt",
            "next_step": "Tilbuddet er fast; funktionslederen er med i forbedringsteamet.",
        },
    ),
    CycleSpec(
        key="netvaerk",
        title="Principper for netværksmøder med fælles beslutningstagning",
        idea="Principper for netværksmøder med fælles beslutningstagning",
        status="studying",
        planned="2023-05-09",
        updated="2023-09-12",
        start="2023-06-01",
        owner="Thomas Vestergaard",
        indicators=("V3",),
        plan={
            "objective": "Afprøve tre fælles principper for netværksmøder (borgeren forbereder sig med "
            "støtte, borgeren ordstyrer sit eget punkt, aftalerne skrives sammen), inspireret af "
            "undervisningen i fælles beslutningstagning.",
            "questions": "Oplever borgerne mere indflydelse? Tager møderne længere tid?",
            "predictions": "8 ud af 10 borgere svarer, at de fik sagt det, der var vigtigt for dem. Møderne "
            "tager 10 minutter længere.",
            "plan_who": "Tovholderne, bostøtten og kontaktpersonerne i ambulatoriet; brugerpanelet.",
            "plan_what": "Principperne bruges ved de næste 10 netværksmøder; kort evaluering efter "
            "hvert møde.",
            "plan_when": "Juni-september 2023",
            "plan_where": "Ambulatoriet og bostederne",
            "data_to_collect": "Evalueringsark (borger, pårørende, fagpersoner); mødets varighed.",
        },
        later={
            "do_observations": "9 møder holdt med principperne. Borgerne brugte forberedelsesarket i 6 "
            "møder.",
            "study_results": "7 af 9 borgere svarer, at de fik sagt det vigtigste (forudsagt 8 af 10). "
            "Møderne "
            "tog 5-15 minutter længere.",
        },
    ),
    CycleSpec(
        key="egenlaege",
        title="Kontakt til egen læge ved hurtig forværring",
        idea="Inddrage egen læge ved hurtig forværring",
        status="planned",
        planned="2023-09-12",
        owner="Anne Kirkegaard",
        indicators=("R1", "R2"),
        plan={
            "objective": "Afprøve en fast kontaktvej mellem bosted, egen læge og psykiatrien, når en borgers "
            "tilstand forværres hurtigt, så indlæggelsen ikke forsinkes.",
            "questions": "Bruger bostederne kontaktvejen? Hvor lang tid går der fra henvendelse til "
            "vurdering?",
            "predictions": "Kontaktvejen bruges i 3 forløb på 3 måneder; tid til vurdering under ét døgn.",
            "plan_who": "Tovholderne og to praktiserende læger i Viborg.",
            "plan_what": "Fælles telefonnummer og aftale om vurdering samme dag.",
            "plan_when": "Oktober-december 2023",
            "plan_where": "Bostederne i Viborg Kommune",
            "data_to_collect": "Antal henvendelser; tid til vurdering; indlæggelse med eller uden tvang.",
        },
    ),
)

VIBORG = TeamSpec(
    key="viborg",
    name="Regionspsykiatrien Midt, Viborg",
    short="Viborg",
    region="Region Midtjylland",
    track="voksenspor",
    municipalities=("Viborg",),
    members=(
        Member("Anne Kirkegaard", "tovholder", "Regionspsykiatrien Midt, Viborg"),
        Member("Thomas Vestergaard", "tovholder", "Viborg Kommune, socialpsykiatri og bostøtte"),
        Member("Pia Dalgaard", "leader", "Regionspsykiatrien Midt, afdelingsledelsen"),
        Member("Rasmus Bach", "leader", "Funktionsleder, intensiv ambulant enhed"),
        Member("Lars Winther", "peer", "Brugerpanelet"),
        Member("Maria Thomsen", "clinician", "Socialrådgiver, sengeafsnit"),
        Member("Kasper Nørgaard", "municipal staff", "Bosted, Viborg Kommune"),
        Member("Camilla Juhl", "data consultant", "Psykiatristaben, Region Midtjylland"),
    ),
    description=_SYNTHETIC_DESCRIPTION
    + " Teamet mødes én gang om måneden som tavlemøde og har halvårlige møder med ledelsen i region og "
    "kommune.",
    indicator_set=VOKSEN_SET,
    populations={
        **_populations(
            ("R1", "R2", "F1", "F2"),
            "Patienter på 18 år eller derover, bosat i Viborg Kommune, med åbent ambulant forløb i "
            "Regionspsykiatrien Midt; beboere på regionale bosteder og retspsykiatriske patienter er "
            "udelukket",
        ),
        **_populations(("F3", "F4"), "Borgere på Viborg Kommunes bosteder og i bostøtte"),
        **_populations(
            ("V1", "V2", "V3", "V4"), "Udskrevne patienter i målgruppen fra sengeafsnittene i Viborg"
        ),
    },
    aim=OVERALL_AIM
    + " Lokalt mål: antallet af tvangsindlæggelser af borgere fra Viborg Kommune i målgruppen er "
    "reduceret med 10 % i forhold til baseline 2018-2020 senest 30. september 2023.",
    drivers=_voksen_drivers(
        {
            "Lovbestemt indhold": [
                "Socialrådgivere på sengeafsnit udarbejder udskrivelsesaftaler sammen med patienten",
                "Fælles arbejdsgang for udskrivelsesaftaler på tværs af sengeafsnit",
            ],
            "Fokus på patientens ønsker, præferencer og hjælp fra netværk": [
                "Åbne indlæggelser ved selvskade (patientstyret indlæggelse)",
                "Brugerpanel som sparringspartner",
            ],
            "Særlig opmærksomhed på forebyggelse af tvang": [
                "Review af et tvangsindlæggelsesforløb på hvert teammøde",
            ],
            SDM_MEETING: ["Principper for netværksmøder med fælles beslutningstagning"],
        }
    ),
    edits=(
        DiagramEdit("2022-07-05", "add", "Inddrage egen læge ved hurtig forværring", "Deltagerkreds"),
        DiagramEdit(
            "2022-08-23",
            "add",
            "Udskrivelsesaftale påbegyndes inden for det første døgn",
            "Lovbestemt indhold",
        ),
        DiagramEdit(
            "2022-09-20",
            "add",
            "Intensiv ambulant kontakt ved pludselig udskrivelse",
            "Særlig opmærksomhed på forebyggelse af tvang",
        ),
        DiagramEdit(
            "2022-09-20", "link", "Intensiv ambulant kontakt ved pludselig udskrivelse", "Deltagerkreds"
        ),
    ),
    cycles=_VIBORG_CYCLES,
    annotations=(
        _LAW_2019,
        _LAW_2020,
        _PROJECT,
        (
            "2022-06-01",
            "Datadefinitioner justeret: patienter uden åbent ambulant forløb og beboere på regionale "
            "bosteder udelukkes; baseline genberegnet (de første værdier er gemt som revisioner)",
            "data definition change",
            ("R1", "R2", "F1", "F2"),
            False,
        ),
        ("2022-10-01", "Ny intensiv ambulant enhed i Regionspsykiatrien Viborg", "other", (), False),
    ),
    data_actor="Camilla Juhl",
    history_date="2022-02-10",
)


# -- Børne- og Ungdomspsykiatrien, Aalborg ------------------------------------------------------------
_AALBORG_CYCLES = (
    CycleSpec(
        key="samtykke",
        title="Systematisk indhentning af samtykke",
        idea="Systematisk indhentning af samtykke til tværsektoriel samtale",
        status="done",
        planned="2022-09-08",
        updated="2022-11-08",
        start="2022-09-12",
        end="2022-10-31",
        owner="Louise Bjerre",
        indicators=("BU1",),
        plan={
            "objective": "Afprøve en fast måde at indhente samtykke fra de unge og forældrene til at tale på "
            "tværs af sektorer, så de første projektdeltagere kan komme i gang.",
            "questions": "Hvor mange af de foreslåede kandidater giver samtykke? Hvor lang tid tager det?",
            "predictions": "4 af 6 kandidater giver samtykke inden for 3 uger.",
            "plan_who": "Tovholderne i BUP og familiegruppe Nord.",
            "plan_what": "Samtale med den unge og forældrene med folderen; samtykkeerklæring i journalen.",
            "plan_when": "September-oktober 2022",
            "plan_where": "Ambulatoriet og sengeafsnit BU1",
            "data_to_collect": "Kandidater, samtykker, dage til samtykke.",
        },
        later={
            "do_observations": "6 kandidater præsenteret 8. september; 4 gav samtykke, 1 sagde nej, 1 blev "
            "udskrevet før samtalen.",
            "study_results": "Som forudsagt: 4 af 6, i gennemsnit 16 dage. Folderen hjalp forældrene med at "
            "forstå projektet.",
            "act_decision": "adopt",
            "next_step": "Fast arbejdsgang for nye projektdeltagere.",
        },
    ),
    CycleSpec(
        key="folder",
        title="Folder til unge, forældre og samarbejdspartnere",
        idea="Folder til unge, forældre og samarbejdspartnere",
        status="done",
        planned="2022-08-30",
        updated="2022-11-22",
        start="2022-09-15",
        end="2022-11-15",
        owner="Henrik Sand",
        plan={
            "objective": "Afprøve om en folder gør det klart for de unge, forældrene og samarbejdspartnerne, "
            "hvad projektet går ud på, og hvad der forventes på netværksmødet.",
            "questions": "Forstår de unge folderen? Hvad savner forældrene?",
            "predictions": "De unge finder sproget for voksent; forældrene savner kontaktoplysninger.",
            "plan_who": "Tovholderne; enheden for samskabelse tager folderen med til unge-peerboardet.",
            "plan_what": "Folderen vises til 5 unge og 5 forældre og til unge-peerboardet; tilbagemeldinger "
            "samles.",
            "plan_when": "September-november 2022",
            "plan_where": "Ambulatoriet og unge-peerboardet",
            "data_to_collect": "Tilbagemeldinger (stikord).",
        },
        later={
            "do_observations": "Folderen blev vist til 4 unge, 6 forældre og unge-peerboardet.",
            "study_results": "Som forudsagt syntes de unge, at sproget var for voksent; forældrene savnede "
            "navne og telefonnumre. Folderen blev rettet.",
            "act_decision": "adopt",
            "next_step": "Den rettede folder bruges ved alle nye projektdeltagere.",
        },
    ),
    CycleSpec(
        key="plan1",
        title="Forebyggelses- og tryghedsplan: første afprøvning",
        idea="Forebyggelses- og tryghedsplan i et sprog, unge og forældre forstår",
        status="done",
        planned="2022-10-25",
        updated="2023-03-07",
        start="2022-11-01",
        end="2023-02-28",
        owner="Ida Mikkelsen",
        indicators=("BU1",),
        plan={
            "objective": "Afprøve forebyggelses- og tryghedsplanen på netværksmødet med de første "
            "projektdeltagere og deres forældre.",
            "questions": "Kan planen laves på ét netværksmøde? Bruges den, når den unge får det dårligt?",
            "predictions": "Planen kan laves på ét møde for 3 af 4. Den bruges mindst én gang inden for "
            "3 måneder.",
            "plan_who": "Sygeplejersken på BU1, kontaktpersonen i familiegruppe Nord, den unge og "
            "forældrene.",
            "plan_what": "Planen udfyldes på netværksmødet; kopi til den unge, forældrene og kommunen.",
            "plan_when": "November 2022-februar 2023",
            "plan_where": "Netværksmødet (ambulatoriet eller hjemme)",
            "data_to_collect": "Planer udarbejdet (BU1); møder pr. plan; brug af planen.",
        },
        later={
            "do_observations": "5 planer udarbejdet; 2 krævede to møder. Planen blev brugt 3 gange, heraf én "
            "gang af skolen.",
            "study_results": "Planen kunne laves på ét møde for 3 af 5 (forudsagt 3 af 4). Skolen manglede i "
            "deltagerkredsen.",
            "act_decision": "adapt",
            "next_step": "Cyklus 2: skolen inviteres, og planen forberedes med den unge før mødet.",
        },
    ),
    CycleSpec(
        key="plan2",
        title="Forebyggelses- og tryghedsplan: første afprøvning (cyklus 2)",
        idea="Forebyggelses- og tryghedsplan i et sprog, unge og forældre forstår",
        status="done",
        follows="plan1",
        planned="2023-03-07",
        updated="2023-08-15",
        start="2023-04-03",
        end="2023-07-31",
        owner="Ida Mikkelsen",
        indicators=("BU1",),
        plan={
            "objective": "Afprøve om forberedelse med den unge før mødet og deltagelse fra skolen gør "
            "planen færdig på ét netværksmøde.",
            "questions": "Kan planen laves på ét møde? Deltager skolen?",
            "predictions": "4 af 5 planer laves på ét møde; skolen deltager i halvdelen.",
            "plan_who": "Sygeplejersken på BU1, kontaktpersonen i familiegruppe Nord, skolen.",
            "plan_what": "Forberedende samtale med den unge; skolen inviteres; planen udfyldes på mødet.",
            "plan_when": "April-juli 2023",
            "plan_where": "Netværksmødet",
            "data_to_collect": "Planer udarbejdet (BU1); møder pr. plan; deltagere.",
        },
        later={
            "do_observations": "9 planer udarbejdet; skolen deltog i 5 møder.",
            "study_results": "8 af 9 planer blev lavet på ét møde (forudsagt 4 af 5). Skolen deltog i over "
            "halvdelen.",
            "act_decision": "adopt",
            "next_step": "Forberedelse og invitation af skolen er fast del af arbejdsgangen.",
        },
    ),
    CycleSpec(
        key="evaluering",
        title="Evalueringsark efter netværksmødet",
        idea="Evalueringsark efter netværksmødet",
        status="doing",
        planned="2023-08-15",
        updated="2023-09-26",
        start="2023-09-04",
        owner="Louise Bjerre",
        plan={
            "objective": "Afprøve et kort evalueringsark lige efter netværksmødet, så de unges, forældrenes "
            "og fagpersonernes stemme fra mødet bliver hørt.",
            "questions": "Udfylder alle arket? Hvad fortæller det om mødet og planen?",
            "predictions": "Arket udfyldes efter 4 af 5 møder.",
            "plan_who": "Mødelederen på hvert netværksmøde.",
            "plan_what": "Ét ark med tre spørgsmål til hver deltager.",
            "plan_when": "September-november 2023",
            "plan_where": "Netværksmødet",
            "data_to_collect": "Udfyldte ark; svar (stikord).",
        },
        later={"do_observations": "3 møder holdt; arket udfyldt efter 2 af dem."},
    ),
    CycleSpec(
        key="overgang",
        title="Konvertering af planen til UA/KP ved overgang til voksenpsykiatrien",
        idea="Konvertering af planen til UA/KP ved 18 år",
        status="planned",
        planned="2023-09-26",
        owner="Susanne Krogh",
        plan={
            "objective": "Afprøve et netværksmøde med voksenpsykiatrien, når en ung med plan fylder 18 år, "
            "hvor planen konverteres til en udskrivningsaftale eller koordinationsplan.",
            "questions": "Deltager voksenpsykiatrien? Kan planens indhold overføres?",
            "predictions": "Voksenpsykiatrien deltager ved 1 af 2 overgange.",
            "plan_who": "Tovholderne i BUP og en kontaktperson i voksenpsykiatrien.",
            "plan_what": "Netværksmøde 2 måneder før den unge fylder 18 år.",
            "plan_when": "Efteråret 2023",
            "plan_where": "Børne- og Ungdomspsykiatrien, Aalborg",
            "data_to_collect": "Overgange; møder holdt; planer konverteret.",
        },
    ),
)

AALBORG = TeamSpec(
    key="aalborg",
    name="Børne- og Ungdomspsykiatrien, Aalborg",
    short="BUP-Aalborg",
    region="Region Nordjylland",
    track="børne- og ungespor",
    municipalities=("Aalborg",),
    members=(
        Member("Louise Bjerre", "tovholder", "Børne- og Ungdomspsykiatrien, Region Nordjylland"),
        Member("Henrik Sand", "tovholder", "Aalborg Kommune, familiegruppe Nord"),
        Member("Susanne Krogh", "leader", "Børne- og Ungdomspsykiatrien, afdelingsledelsen"),
        Member("Ida Mikkelsen", "clinician", "Sygeplejerske, sengeafsnit BU1"),
        Member("Rikke Poulsen", "municipal staff", "Aalborg Kommune, familiegruppe Nord"),
        Member("Nikolaj Dahl", "data consultant", "Region Nordjylland, psykiatriens dataenhed"),
    ),
    description=_SYNTHETIC_DESCRIPTION
    + " Teamet har for tiden ingen repræsentant fra unge-peerboardet. NordEPJ fra 25. marts 2022: "
    "F1 og F2 er endnu ikke leveret fra det nye system.",
    indicator_set=BU_SET,
    populations={
        **_populations(
            ("R1", "R2", "F1", "F2"),
            "12-18 år, bosat i Aalborg Kommune (Aalborg Nord indtil NordEPJ, derefter hele kommunen), med "
            "aktivt forløb i Børne- og Ungdomspsykiatrien (indlæggelse på sengeafsnit BU1 eller ambulatorie)",
        ),
        **_populations(("F3", "F4"), "Børn og unge i Aalborg Nord (Aalborg Kommune)"),
        **_populations(
            ("BU1", "BU2", "BU3", "BU4"),
            "Projektdeltagere: børn og unge i målgruppen, der har givet samtykke",
        ),
    },
    aim=OVERALL_AIM
    + " Lokalt mål: alle projektdeltagere har en forebyggelses- og tryghedsplan, der er lavet på et "
    "netværksmøde, og som de unge og forældrene kender og bruger.",
    drivers=_bu_drivers(
        {
            "Grundoplysninger som ved UA/KP": [
                "Forebyggelses- og tryghedsplan i et sprog, unge og forældre forstår"
            ],
            "Fokus på barnet/den unge samt forældrenes rolle": [
                "Folder til unge, forældre og samarbejdspartnere"
            ],
            "Deltagerkreds": [
                "Samarbejde med Aalborg Kommune, familiegruppe Nord",
                "Systematisk indhentning af samtykke til tværsektoriel samtale",
            ],
            SDM_MEETING: ["Evalueringsark efter netværksmødet"],
            "Planen overføres til en UA/KP ved overgang til voksenpsykiatrien": [
                "Konvertering af planen til UA/KP ved 18 år"
            ],
        }
    ),
    edits=(
        DiagramEdit(
            "2022-10-25",
            "link",
            "Forebyggelses- og tryghedsplan i et sprog, unge og forældre forstår",
            "Særlig opmærksomhed på forebyggelse af tvang",
        ),
        DiagramEdit(
            "2023-03-07",
            "add",
            "Skolen inviteres til netværksmødet",
            "Deltagerkreds",
        ),
    ),
    cycles=_AALBORG_CYCLES,
    annotations=(
        _LAW_2019,
        _LAW_2020,
        _PROJECT,
        (
            NORDEPJ_DATE,
            "Overgang til NordEPJ: data før 25. marts 2022 fra det gamle EPJ, derefter fra NordEPJ. Marts "
            "2022 kan ikke opgøres sammenligneligt, udtrækket dækker nu hele Aalborg Kommune (ikke kun "
            "Aalborg Nord), og F1/F2 er endnu ikke leveret fra NordEPJ",
            "it system change",
            ("R1", "R2", "F1", "F2"),
            True,
        ),
    ),
    data_actor="Nikolaj Dahl",
    history_date="2022-01-24",
)


# -- Børne- og Ungdomspsykiatrien Aarhus (BUA) ----------------------------------------------------------
_AARHUS_CYCLES = (
    CycleSpec(
        key="audit",
        title="Audit på tværs af sektorer",
        idea="Audit på tværs af sektorer",
        status="done",
        planned="2022-02-22",
        updated="2022-06-07",
        start="2022-03-01",
        end="2022-05-31",
        owner="Mette Skov",
        plan={
            "objective": "Kortlægge med en fælles audit, hvordan samarbejdet mellem BUA, Holmstrupgård og "
            "Aarhus Kommune forløb op til tvangsindlæggelser, som baseline for planen.",
            "questions": "Hvor mange planer findes allerede for hver ung? Hvor brister overgangene?",
            "predictions": "De fleste unge har mere end to planer, og ingen af dem er fælles.",
            "plan_who": "Forbedringsteamet (BUA, Holmstrupgård, Aarhus Kommune).",
            "plan_what": "Audit af 8 forløb med fælles skabelon; mapping af eksisterende planer.",
            "plan_when": "Marts-maj 2022",
            "plan_where": "BUA og Holmstrupgård",
            "data_to_collect": "Planer pr. ung; brud i overgange (stikord).",
        },
        later={
            "do_observations": "8 forløb auditeret; i gennemsnit 3 planer pr. ung, ingen fælles.",
            "study_results": "Som forudsagt. Overgangene brister især ved udskrivelse fredag og ved "
            "skift til "
            "voksenpsykiatrien.",
            "act_decision": "adopt",
            "next_step": "Auditten bruges som baseline; første udkast til trygheds- og "
            "forebyggelsesplan laves.",
        },
    ),
    CycleSpec(
        key="plan1",
        title="Trygheds- og forebyggelsesplan afprøvet på Holmstrupgård",
        idea="Trygheds- og forebyggelsesplan afprøvet på Holmstrupgård",
        status="done",
        planned="2022-10-18",
        updated="2023-03-14",
        start="2022-11-01",
        end="2023-02-28",
        owner="Mette Skov",
        indicators=("BU1",),
        plan={
            "objective": "Afprøve første udkast til trygheds- og forebyggelsesplanen med én ung på "
            "Holmstrupgård.",
            "questions": "Kan planen laves sammen med den unge? Kender personalet planen, når der "
            "opstår krise?",
            "predictions": "Planen laves på to møder; nattevagterne kender den ikke.",
            "plan_who": "Kontaktpersonen på Holmstrupgård, behandleren i BUA, den unge og forældrene.",
            "plan_what": "Planen udfyldes sammen; kopi i den fælles mappe på bostedet.",
            "plan_when": "November 2022-februar 2023",
            "plan_where": "Holmstrupgård",
            "data_to_collect": "Møder; brug af planen ved krise; den unges vurdering.",
        },
        later={
            "do_observations": "Planen blev lavet på to møder. Ved en krise i januar brugte dagvagten "
            "planen; "
            "nattevagten kendte den ikke.",
            "study_results": "Som forudsagt. Den unge syntes, planen var 'for lang'.",
            "act_decision": "adapt",
            "next_step": "Cyklus 2: kortere plan (én side) og gennemgang for nattevagterne.",
        },
    ),
    CycleSpec(
        key="plan2",
        title="Trygheds- og forebyggelsesplan afprøvet på Holmstrupgård (cyklus 2)",
        idea="Trygheds- og forebyggelsesplan afprøvet på Holmstrupgård",
        status="studying",
        follows="plan1",
        planned="2023-03-14",
        updated="2023-09-19",
        start="2023-04-03",
        owner="Mette Skov",
        indicators=("BU1",),
        plan={
            "objective": "Afprøve en kortere plan (én side) med tre unge på Holmstrupgård og Katrinebjerg.",
            "questions": "Bruges planen af både dag- og nattevagter? Er den unge tilfreds med formen?",
            "predictions": "Planen bruges ved alle kriser; de unge foretrækker den korte form.",
            "plan_who": "Kontaktpersonerne på bostederne og behandlerne i BUA.",
            "plan_what": "Planen på én side; gennemgang for nattevagterne.",
            "plan_when": "April-september 2023",
            "plan_where": "Holmstrupgård og Katrinebjerg",
            "data_to_collect": "Planer (BU1); brug ved krise; de unges vurdering.",
        },
        later={
            "do_observations": "Planer for 3 unge. Planen blev brugt ved 4 af 5 kriser; de unge foretrak den "
            "korte form.",
            "study_results": "Næsten som forudsagt (4 af 5 mod alle). En fælles IT-platform til planen "
            "mangler.",
        },
    ),
    CycleSpec(
        key="statements",
        title="Personlige statements fra den unge før netværksmødet",
        idea="Personlige statements fra den unge før netværksmødet",
        status="doing",
        planned="2023-08-01",
        updated="2023-09-19",
        start="2023-08-15",
        owner="Jonas Ravn",
        plan={
            "objective": "Afprøve om den unge, der forbereder et personligt statement (hvordan jeg ser mig "
            "selv, hvad der er vigtigt for mig, hvad jeg søger hjælp til), får mere indflydelse på mødet.",
            "questions": "Vil de unge skrive et statement? Bruges det på mødet?",
            "predictions": "2 af 3 unge skriver et statement med hjælp fra kontaktpersonen.",
            "plan_who": "Kontaktpersonerne på bostederne.",
            "plan_what": "Skabelon med tre spørgsmål; den unge læser op eller får det læst op på mødet.",
            "plan_when": "August-oktober 2023",
            "plan_where": "Bostederne og netværksmødet",
            "data_to_collect": "Statements skrevet; den unges vurdering efter mødet.",
        },
        later={"do_observations": "2 unge har skrevet et statement; det ene møde er holdt."},
    ),
)

AARHUS = TeamSpec(
    key="aarhus",
    name="Børne- og Ungdomspsykiatrien Aarhus (BUA)",
    short="BUA",
    region="Region Midtjylland",
    track="børne- og ungespor",
    municipalities=("Aarhus",),
    members=(
        Member("Mette Skov", "tovholder", "Børne- og Ungdomspsykiatrisk Afdeling (BUA)"),
        Member("Peter Lindholm", "tovholder", "Aarhus Kommune, Børn og Unge"),
        Member("Hanne Bech", "leader", "BUA, afdelingsledelsen (tværsektoriel styregruppe)"),
        Member("Jonas Ravn", "municipal staff", "Holmstrupgård"),
        Member("Tina Kjeldsen", "peer", "Pårørenderepræsentant"),
        Member("Anders Møller", "data consultant", "Psykiatristaben, Region Midtjylland"),
    ),
    description=_SYNTHETIC_DESCRIPTION
    + " Ændringen af psykiatriloven i august 2020 gør F2 usammenlignelig før og efter; grafen deles der.",
    indicator_set=BU_SET,
    populations={
        **_populations(
            ("R1", "R2", "F1", "F2"),
            "14-17 år, bosat i Aarhus Kommune, med åbent ambulant forløb i BUA og bosat på bosted "
            "(Holmstrupgård eller Katrinebjerg)",
        ),
        **_populations(("F3", "F4"), "Unge på Aarhus Kommunes bosteder (opgjort pr. bosted)"),
        **_populations(("BU1", "BU2", "BU3", "BU4"), "Unge i målgruppen på Holmstrupgård og Katrinebjerg"),
    },
    aim=OVERALL_AIM
    + " Lokalt mål: alle unge i målgruppen har en trygheds- og forebyggelsesplan, som bostedet, "
    "kommunen og BUA bruger.",
    drivers=_bu_drivers(
        {
            "Grundoplysninger som ved UA/KP": ["Mapping af eksisterende planer"],
            "Særlig opmærksomhed på forebyggelse af tvang": [
                "Trygheds- og forebyggelsesplan afprøvet på Holmstrupgård"
            ],
            "Fokus på barnet/den unge samt forældrenes rolle": [
                "Interview med unge om indlæggelse med tvang"
            ],
            "Deltagerkreds": ["Audit på tværs af sektorer"],
            "Planen overføres til en UA/KP ved overgang til voksenpsykiatrien": [
                "Overgang fra BUA til voksenpsykiatrien"
            ],
        }
    ),
    edits=(
        DiagramEdit(
            "2023-08-01",
            "add",
            "Personlige statements fra den unge før netværksmødet",
            "Tværsektorielle netværksmøder > " + SHARED_DECISIONS,
        ),
    ),
    cycles=_AARHUS_CYCLES,
    annotations=(
        _LAW_2019,
        (
            "2020-08-01",
            "Ændring af psykiatriloven (august 2020): antallet af registrerede tvangshændelser stiger "
            "markant; F2 er ikke sammenlignelig før og efter",
            "law change",
            ("R1", "R2", "F1", "F2"),
            True,
        ),
        _PROJECT,
    ),
    data_actor="Anders Møller",
    history_date="2022-01-27",
)

TEAMS = (SYD, VIBORG, AALBORG, AARHUS)


# -- MUSIQ assessments and meetings -------------------------------------------------------------------
@dataclass(frozen=True)
class AssessmentSpec:
    date: str
    setting: str
    participants: tuple[str, ...]
    values: tuple[int | None, ...]
    """One rating per factor in :data:`MUSIQ_FACTORS` order (None = don't know / not applicable)."""
    notes: dict[str, str] = field(default_factory=dict)
    note: str = ""


_NOT_APPLICABLE_PAY = "Lægerne er ansat på overenskomst; faktoren giver ikke mening her"

ASSESSMENTS: dict[str, tuple[AssessmentSpec, ...]] = {
    "syd": (
        AssessmentSpec(
            date="2022-01-25",
            setting="regional psykiatri",
            participants=(
                "Lene Mortensen",
                "Jens Kofoed",
                "Birgitte Holm",
                "Karina Steen",
                "Sofie Lauridsen",
            ),
            values=(6, 5, 4, 5, 4, 4, None, 3, 3, 3, 5, 5, 4, 6, 3, 4, 6, 3, 5, 3, 5, 5, 4, 3, 5),
            notes={
                "physician_payment_structure": _NOT_APPLICABLE_PAY,
                "data_infrastructure": "Data kræver manuelle udtræk fra dataenheden",
                "team_diversity": "Kommunen er ikke fast med i forbedringsteamet",
                "team_time_for_qi": "Covid-19 har gjort det svært at mødes",
            },
            note="Første MUSIQ-score, efter det virtuelle netværksmøde om MUSIQ 12. januar 2022.",
        ),
    ),
    "viborg": (
        AssessmentSpec(
            date="2022-03-08",
            setting="regional psykiatri",
            participants=("Anne Kirkegaard", "Pia Dalgaard", "Maria Thomsen", "Camilla Juhl", "Lars Winther"),
            values=(6, 5, 4, 5, 4, 4, None, 4, 3, 2, 5, 4, 3, 5, 4, 4, 5, 3, 5, 3, 5, 5, 4, 2, 5),
            notes={
                "physician_payment_structure": _NOT_APPLICABLE_PAY,
                "workforce_focus_on_qi": "Forbedringsarbejdet lever ikke blandt personalet: der mangler "
                "kompetencer og tid",
                "team_time_for_qi": "Afprøvninger bliver i forbedringsteamets egen kreds",
            },
            note="Fund: ledelse, data-ekspertise og en socialrådgiver skal med i teamet.",
        ),
        AssessmentSpec(
            date="2022-03-22",
            setting="kommune",
            participants=("Thomas Vestergaard", "Kasper Nørgaard", "Lars Winther"),
            values=(5, 4, 3, 4, 4, 3, None, 2, 3, 2, 5, 5, 3, 6, 4, None, 5, 2, 4, 2, 4, 5, 3, 3, 5),
            notes={
                "physician_payment_structure": "Ikke relevant i kommunen",
                "physician_involvement": "Ingen læger i kommunens del af teamet",
                "data_infrastructure": "Magtanvendelser opgøres manuelt pr. bosted",
                "team_qi_skills": "Få har arbejdet med PDSA før",
            },
            note="MUSIQ-score i kommunen (bosteder og bostøtte).",
        ),
        AssessmentSpec(
            date="2023-03-14",
            setting="regional psykiatri",
            participants=("Anne Kirkegaard", "Pia Dalgaard", "Maria Thomsen", "Camilla Juhl", "Rasmus Bach"),
            values=(6, 5, 4, 6, 4, 4, None, 5, 3, 3, 5, 5, 4, 5, 6, 4, 5, 4, 5, 4, 5, 5, 5, 3, 6),
            notes={
                "physician_payment_structure": _NOT_APPLICABLE_PAY,
                "data_infrastructure": "God støtte fra psykiatristaben",
                "team_diversity": "Socialrådgiver og funktionsleder for den intensive ambulante enhed er med",
                "workforce_focus_on_qi": "Stadig svært at sprede afprøvninger ud over teamet",
            },
            note="Gentaget MUSIQ-score et år efter.",
        ),
    ),
}


@dataclass(frozen=True)
class MeetingSpec:
    date: str
    attendees: tuple[str, ...]
    decisions: tuple[str, ...]
    actions: tuple[tuple[str, str, str, str], ...]
    """(text, owner, due date, done date or "")"""
    notes: str = ""


MEETINGS: dict[str, tuple[MeetingSpec, ...]] = {
    "syd": (
        MeetingSpec(
            date="2023-06-20",
            attendees=("Lene Mortensen", "Jens Kofoed", "Birgitte Holm", "Karina Steen", "Sofie Lauridsen"),
            decisions=(
                "Review af komplicerede tvangsindlæggelser fortsætter; bostedets kontaktpersoner "
                "inviteres fast",
                "Peer-medarbejderen deltager i samtalerne om ambulante forhåndstilkendegivelser",
            ),
            actions=(
                (
                    "Sende skabelonen for review til Guldborgsund Kommunes kontaktpersoner",
                    "Jens Kofoed",
                    "2023-07-07",
                    "2023-07-05",
                ),
            ),
            notes="Tavlemøde. F1 og F2 har ligget under baseline-medianen siden foråret 2022.",
        ),
        MeetingSpec(
            date="2023-08-22",
            attendees=("Lene Mortensen", "Jens Kofoed", "Karina Steen", "Sofie Lauridsen", "Morten Friis"),
            decisions=(
                "Ringe hjem-ordningen genoptages som cyklus 2 med aftalt tidspunkt og sms-påmindelse",
                "Ringe før 1. ambulante samtale afprøves fra 21. august",
            ),
            actions=(
                (
                    "Invitere Guldborgsund Kommunes kontaktpersoner til review af den næste komplicerede "
                    "tvangsindlæggelse",
                    "Jens Kofoed",
                    "2023-09-15",
                    "",
                ),
                (
                    "Opdatere driverdiagrammet med ringe hjem-ordningens cyklus 2",
                    "Lene Mortensen",
                    "2023-08-31",
                    "2023-08-29",
                ),
                ("Finde en seng til den første elektive indlæggelse", "Lene Mortensen", "2023-10-27", ""),
            ),
            notes="Tavlemøde. R1 og R2 viser fortsat tilfældig variation.",
        ),
    ),
    "viborg": (
        MeetingSpec(
            date="2023-09-12",
            attendees=(
                "Anne Kirkegaard",
                "Thomas Vestergaard",
                "Maria Thomsen",
                "Rasmus Bach",
                "Lars Winther",
            ),
            decisions=(
                "Principper for netværksmøder evalueres færdigt i oktober",
                "Ny PDSA: kontakt til egen læge ved hurtig forværring",
            ),
            actions=(
                ("Aftale et møde med to praktiserende læger i Viborg", "Anne Kirkegaard", "2023-09-29", ""),
            ),
            notes="Tavlemøde med review af et tvangsindlæggelsesforløb.",
        ),
    ),
}


# =============================================================================================
# The builder: the story told through the workspace's own methods
# =============================================================================================
def _next_month(period: str) -> str:
    return period_from_index(period_index(period) + 1)


def _quarters(periods: Sequence[str]) -> list[list[str]]:
    """Consecutive months grouped by calendar quarter."""
    groups: dict[tuple[str, int], list[str]] = {}
    for period in periods:
        groups.setdefault((period[:4], (int(period[5:7]) - 1) // 3), []).append(period)
    return list(groups.values())


def deliveries(spec: TeamSpec, series: Series) -> list[Delivery]:
    """When the values arrived: the history in one import, then each quarter's data template on the
    12th of the month after the quarter, with the team's own delays and corrections."""
    codes = list(series.values)

    def items(periods: Iterable[str], only: Iterable[str] | None = None) -> tuple[tuple[str, str], ...]:
        chosen = list(only) if only is not None else codes
        return tuple((c, p) for p in periods for c in chosen if p in series.values.get(c, {}))

    def template(periods: list[str], only: Iterable[str] | None = None, **kw: Any) -> Delivery:
        name = periods[0] if len(periods) == 1 else f"{periods[0]}-{periods[-1]}"
        return Delivery(
            f"{_next_month(periods[-1])}-12",
            f"LKT-Tvang-dataskabelon-{spec.short}-{name}.xlsx",
            items(periods, only),
            **kw,
        )

    if spec.key == "viborg":
        # first delivered with the old data definition, recomputed on 1 June 2022
        return [
            Delivery(
                spec.history_date,
                f"LKT-Tvang-dataskabelon-{spec.short}-2018-2022-01.xlsx",
                items(month_range(FIRST_MONTH, "2022-01")),
                old_definition=True,
            ),
            template(month_range("2022-02", "2022-04"), old_definition=True),
            Delivery(
                "2022-06-01",
                f"LKT-Tvang-dataskabelon-{spec.short}-genberegnet-2018-2022-04.xlsx",
                items(month_range(FIRST_MONTH, "2022-04"), ("R1", "R2", "F1", "F2")),
            ),
            *(template(q) for q in _quarters(month_range("2022-05", LAST_MONTH))),
        ]
    history = Delivery(
        spec.history_date,
        f"LKT-Tvang-dataskabelon-{spec.short}-2018-2021.xlsx",
        items(month_range(FIRST_MONTH, "2021-12")),
    )
    quarters = _quarters(month_range(PROJECT_START, LAST_MONTH))
    if spec.key != "aalborg":
        return [history, *(template(q) for q in quarters)]
    # NordEPJ: the EPJ extracts (R1, R2) for April-December 2022 arrived together in January 2023
    epj = ("R1", "R2")
    local = [c for c in codes if c not in epj]
    result = [history]
    for quarter in quarters:
        delayed = "2022-03" <= quarter[-1] <= "2022-12" and quarter[0] >= "2022-04"
        if quarter[0] == "2022-01":  # January and February from the old EPJ; March cannot be counted
            result.append(template(quarter))
        else:
            result.append(template(quarter, local if delayed else None))
    result.append(
        Delivery(
            "2023-01-16",
            "NordEPJ-udtraek-BUP-Aalborg-2022-04-2022-12.xlsx",
            items(month_range("2022-04", "2022-12"), epj),
        )
    )
    return sorted(result, key=lambda d: d.date)


class _DemoBuilder:
    def __init__(self, ws: Workspace, clock: _StoryClock) -> None:
        self.ws = ws
        self.clock = clock

    def build(self) -> None:
        self.clock.at("2021-11-01")
        self.ws.update_settings(
            demo=True, note=SYNTHETIC_NOTE, as_of=DEMO_NOW[:10], default_team="Psykiatrien Syd, Vordingborg"
        )
        viborg, viborg_old = viborg_series()
        series = {
            "syd": syd_series(),
            "viborg": viborg,
            "aalborg": aalborg_series(),
            "aarhus": aarhus_series(),
        }
        old = {"viborg": viborg_old}
        for spec in TEAMS:
            self._team(spec, series[spec.key], old.get(spec.key))
        self.ws.actor = DEMO_ACTOR
        self.clock.at(DEMO_NOW)

    def _team(self, spec: TeamSpec, series: Series, old: Series | None) -> None:
        ws, clock = self.ws, self.clock
        tovholder = next(m.name for m in spec.members if m.role.value == "tovholder")
        ws.actor = tovholder
        clock.at("2021-11-15")
        team = ws.add_team(
            spec.name,
            region=spec.region,
            track=spec.track,
            municipalities=spec.municipalities,
            members=spec.members,
            description=spec.description,
            indicator_set=team_indicator_set(spec.indicator_set, spec.populations),
        )

        clock.at("2022-01-11")
        ws.apply_template(
            team.id,
            DiagramTemplate(
                id=f"demo-{spec.key}",
                name_da=f"LKT Tvangs drivere ({spec.name})",
                name_en=f"LKT Tvang drivers ({spec.name})",
                aim=spec.aim,
                drivers=spec.drivers,
                source="Erfaringskataloget for LKT Tvang",
            ),
        )
        for date, text, kind, codes, split in spec.annotations:
            ws.add_annotation(team.id, date, text, kind=kind, indicators=codes, phase_split=split)

        ws.actor = spec.data_actor
        for delivery in deliveries(spec, series):
            clock.at(delivery.date)
            first = old if delivery.old_definition else None
            values = [_measurement_input(code, period, series, first) for code, period in delivery.items]
            ws.add_measurements(
                team.id,
                [v for v in values if v is not None],
                source="import",
                source_file=delivery.source_file,
                source_sheet="Indikatorer",
            )

        ws.actor = tovholder
        steps: list[tuple[str, int, int, Callable[[], None]]] = []
        for n, edit in enumerate(spec.edits):
            steps.append((edit.date, 0, n, lambda e=edit: self._edit(team.id, e)))
        cycle_ids: dict[str, str] = {}
        for n, cycle in enumerate(spec.cycles):
            steps.append((cycle.planned, 1, n, lambda c=cycle: self._cycle(team.id, c, cycle_ids)))
        for n, assessment in enumerate(ASSESSMENTS.get(spec.key, ())):
            steps.append((assessment.date, 2, n, lambda a=assessment: self._assessment(team.id, a)))
        for n, meeting in enumerate(MEETINGS.get(spec.key, ())):
            steps.append((meeting.date, 3, n, lambda m=meeting: self._meeting(team.id, m)))
        for _date, _order, _n, step in sorted(steps, key=lambda s: s[:3]):
            step()

    def _edit(self, team_id: str, edit: DiagramEdit) -> None:
        self.clock.at(edit.date)
        if edit.action == "add":
            self.ws.add_node(team_id, "change idea", edit.node, parents=[self._node_id(team_id, edit.target)])
        elif edit.action == "link":
            self.ws.link_node(team_id, edit.node, self._node_id(team_id, edit.target))
        else:
            self.ws.rename_node(team_id, edit.node, edit.target)

    def _node_id(self, team_id: str, ref: str) -> str:
        """A node by its text, or by "primary > secondary" where a secondary's text occurs twice."""
        diagram = self.ws.diagram(team_id)
        if " > " not in ref:
            return diagram.node(ref).id
        primary, secondary = ref.split(" > ", 1)
        under = diagram.children(diagram.node(primary).id)
        return next(n.id for n in under if n.text == secondary)

    def _cycle(self, team_id: str, spec: CycleSpec, cycle_ids: dict[str, str]) -> None:
        ws, clock = self.ws, self.clock
        clock.at(spec.planned)
        cycle = ws.add_cycle(
            team_id,
            spec.title,
            change_idea=spec.idea,
            status=spec.status,
            owner=spec.owner,
            start_date=spec.start,
            end_date=spec.end,
            indicators=spec.indicators,
            follows=cycle_ids.get(spec.follows, ""),
            **spec.plan,
        )
        cycle_ids[spec.key] = cycle.id
        if spec.later:
            clock.at(spec.updated)
            ws.update_cycle(cycle.id, **spec.later)
        if spec.indicators:  # as moving a cycle on the board does
            for date, kind, label in (
                (spec.start, "pdsa start", "PDSA start"),
                (spec.end, "pdsa end", "PDSA end"),
            ):
                if date:
                    clock.at(date)
                    ws.add_annotation(
                        team_id, date, f"{label}: {spec.title}", kind=kind, indicators=spec.indicators
                    )

    def _assessment(self, team_id: str, spec: AssessmentSpec) -> None:
        self.clock.at(spec.date)
        ratings = [
            Rating(factor=factor, value=value, note=spec.notes.get(factor, ""))
            for factor, value in zip(MUSIQ_FACTORS, spec.values, strict=True)
        ]
        self.ws.add_assessment(
            team_id,
            instrument=MUSIQ_INSTRUMENT,
            instrument_version=MUSIQ_VERSION,
            date=spec.date,
            setting=spec.setting,
            ratings=ratings,
            participants=spec.participants,
            note=spec.note,
        )

    def _meeting(self, team_id: str, spec: MeetingSpec) -> None:
        self.clock.at(spec.date)
        actions = [
            Action(id=self.ws.new_id("act"), text=text, owner=owner, due=due, done=bool(done), done_at=done)
            for text, owner, due, done in spec.actions
        ]
        self.ws.save_meeting(
            Meeting(
                id=self.ws.new_id("mtg"),
                team_id=team_id,
                date=spec.date,
                attendees=list(spec.attendees),
                decisions=list(spec.decisions),
                actions=actions,
                notes=spec.notes,
                closed=True,
            )
        )


def _measurement_input(code: str, period: str, series: Series, old: Series | None) -> MeasurementInput | None:
    """The value to import; from ``old`` (the first data definition) where it has the indicator."""
    note = series.notes.get((code, period), "")
    value = series.values.get(code, {}).get(period)
    if old is not None and code in old.values:
        first = old.values[code].get(period)
        if first != value:
            value, note = first, "Opgjort med den oprindelige datadefinition"
    if value is None:
        return None
    if isinstance(value, tuple):
        return MeasurementInput(code, period, numerator=value[0], denominator=value[1], note=note)
    return MeasurementInput(code, period, value=value, note=note)
