"""The demo's monthly values: synthetic series shaped after LKT Tvang's status report (2022).

Each team's series is generated from a seeded random generator (reproducible on its own) and
then fitted to the medians and ranges the report gives for the baseline 2018-2020. This is
the one part of the demo that is code rather than data: the shapes are computed.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from pdsa_core.domain.common import month_range, period_index
from pdsa_core.services.indicators import MeasurementInput

FIRST_MONTH = "2018-01"
LAST_MONTH = "2023-09"
#: the start of the project period (BU1, a new tool, is counted from here)
PROJECT_START = "2022-01"
SEED = "pdsa-demo-lkt-tvang-v1"

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
        assert not isinstance(value, tuple), "a median of counts, not of proportions"
        if (
            position in (middle - 1, middle)
            or (position > middle and value < target)
            or (position < middle - 1 and value > target)
        ):
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
        r2[p] = max(r2[p], r1[p])
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
    f2["2019-11"] = max(f2["2019-11"], 58)
    for p in MONTHS:
        f2[p] = max(f2[p], f1[p])
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


def all_series() -> tuple[dict[str, Series], dict[str, Series]]:
    """Each team's series by team key, and the series first delivered with an old definition."""
    viborg, viborg_old = viborg_series()
    series = {"syd": syd_series(), "viborg": viborg, "aalborg": aalborg_series(), "aarhus": aarhus_series()}
    return series, {"viborg": viborg_old}


def measurement_input(code: str, period: str, series: Series, old: Series | None) -> MeasurementInput | None:
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
