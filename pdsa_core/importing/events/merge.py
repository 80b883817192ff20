"""Merging what the scans of an extract found into an :class:`EventAggregate`.

Each scanned byte range (one per process) gives counters keyed by small integers (see
:mod:`pdsa_core.importing.events.scan`); here they are added up, persons seen in both
ranges are counted once, and the monthly figures, the rows outside the population and
the concentration of events on few persons are computed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import chain, repeat
from operator import and_

from pdsa_core.importing.events.model import (
    EVENT_INDICATORS,
    Concentration,
    EventAggregate,
)
from pdsa_core.importing.events.scan import (
    CODE_SPAN,
    FIRST_YEAR,
    MONTH_BITS,
    MONTH_MASK,
    REASONS,
    YEAR_MASK,
    YEAR_SHIFT,
    Collision,
    RangeResult,
    month_code_of,
    period_of_code,
)
from pdsa_core.importing.periods import month_span
from pdsa_core.importing.problems import RowError
from pdsa_core.importing.tables import Source
from pdsa_core.redaction import redact


@dataclass
class _Tally:
    """Row counts by kind, by reason and by month, read from the ``events`` counters."""

    kinds_seen: Counter[str]
    outside: Counter[str]
    counted: int
    months: set[int]
    events: list[Counter[int]]


def _tally(results: list[RangeResult], groups: tuple[frozenset[str] | None, ...]) -> _Tally:
    tally = _Tally(Counter(), Counter(), 0, set(), [Counter() for _ in groups])
    everyone = set().union(*(result.checks.keys() for result in results))  # every identifier read
    for result in results:
        for key, count in result.events.items():
            month = key & MONTH_MASK
            number, bits = divmod(key >> MONTH_BITS, CODE_SPAN)
            label = result.kind_labels[number]
            person = result.kind_keys[number] if number < len(result.kind_keys) else None
            # a person's identifier in the kind column is never shown, whatever its shape
            tally.kinds_seen["***" if person in everyone else redact(label)] += count
            tally.months.add(month)
            if bits:
                tally.outside[REASONS[(bits & -bits).bit_length() - 1]] += count
                continue
            tally.counted += count
            for index, group in enumerate(groups):
                if group is None or label in group:
                    tally.events[index][month] += count
    return tally


def _distinct(results: list[RangeResult], group: int) -> Counter[int]:
    """Persons per month in one kind group, over all ranges (a person counted once)."""
    distinct: Counter[int] = Counter()
    for result in results:
        distinct.update(result.distinct[group])
    if len(results) == 2:
        first, second = results[0].person_months[group], results[1].person_months[group]
        own = first if isinstance(first, set) else set(first)
        overlap = own.intersection(second)
        distinct.subtract(Counter(map(and_, overlap, repeat(MONTH_MASK))))
    return distinct


def _person_years(results: list[RangeResult]) -> Counter[int]:
    """Events per person-year over all ranges.

    A worker's (keys, counts) arrays are added with ``Counter.update`` over each key
    repeated count times: all in C, and measured quicker than any dict merge here.
    """
    merged: Counter[int] = Counter()
    for result in results:
        years = result.person_years
        if isinstance(years, tuple):
            merged.update(chain.from_iterable(map(repeat, years[0], years[1])))
        elif not merged:
            merged = years
        else:
            merged.update(years.elements())
    return merged


def _concentration(person_years: Counter[int]) -> tuple[Concentration,
                                                         dict[str, Concentration]]:
    per_person: dict[int, int] = {}
    per_year: dict[int, list[int]] = {}
    shift = MONTH_BITS - YEAR_SHIFT
    for key, count in person_years.items():
        person = key >> shift
        per_person[person] = per_person.get(person, 0) + count
        year = key & YEAR_MASK
        if year in per_year:
            per_year[year].append(count)
        else:
            per_year[year] = [count]
    by_year = {str(FIRST_YEAR + year): Concentration.of(per_year[year])
               for year in sorted(per_year)}
    return Concentration.of(per_person.values()), by_year


def _check_digests(results: list[RangeResult]) -> None:
    """Two identifiers with the same person digest in different ranges: a collision."""
    if len(results) == 2:
        first, second = results[0].checks, results[1].checks
        if len(first.keys() & second.keys()) != len(first.items() & second.items()):
            raise Collision


def combine(results: list[RangeResult], source: Source, names: dict[str, str],
             kinds_for: dict[str, list[str] | None], groups: tuple[frozenset[str] | None, ...],
             group_of: dict[str, int], period_range: tuple[str, str] | None, first_row: int,
             max_errors: int) -> EventAggregate:
    _check_digests(results)
    errors: list[RowError] = []
    offset = 0
    for result in results:
        for index, role, code, params in result.errors:
            if len(errors) < max_errors:
                column = names.get(role) if role else None
                errors.append(RowError.of(first_row + offset + index, column, code, **params))
        offset += result.lines
    tally = _tally(results, groups)
    if period_range is not None:
        months = _month_codes(*period_range)
    elif tally.months:
        months = _month_codes(period_of_code(min(tally.months)), period_of_code(max(tally.months)))
    else:
        months = []
    distinct = [_distinct(results, group) for group in range(len(groups))]
    values: dict[str, dict[str, int]] = {}
    for indicator in EVENT_INDICATORS:
        group = group_of[indicator]
        by_month = distinct[group] if indicator in ("R1", "F1") else tally.events[group]
        values[indicator] = {period_of_code(m): by_month.get(m, 0) for m in months}
    overall, by_year = _concentration(_person_years(results))
    return EventAggregate(
        source=source,
        values=values,
        months=[period_of_code(m) for m in months],
        rows_read=sum(r.records for r in results),
        rows_counted=tally.counted,
        outside={reason: tally.outside[reason] for reason in REASONS if tally.outside[reason]},
        errors=errors,
        error_count=sum(sum(r.error_counts.values()) for r in results),
        kinds_seen=dict(sorted(tally.kinds_seen.items())),
        kinds_for={k: (list(v) if v is not None else None) for k, v in kinds_for.items()},
        concentration=overall,
        concentration_by_year=by_year,
        workers=len(results),
    )


def _month_codes(first: str, last: str) -> list[int]:
    """The month codes of every month from ``first`` to ``last`` (``YYYY-MM``)."""
    return [month_code_of(int(p[:4]), int(p[5:7])) for p in month_span(first, last)]
