"""What an import would do to the stored measurements, before it is done.

:func:`build_preview` is pure: it compares incoming rows with the values already
stored and sorts them into *added*, *changed* (old -> new) and *unchanged*, and lists,
per indicator, the months with no value in the range covered by old and new values
together (the gaps a team must chase).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pdsa_core.importing.measurements import MeasurementRow
from pdsa_core.importing.periods import month_index, month_span

#: (value, numerator, denominator) as stored
Stored = tuple[float | None, float | None, float | None]


@dataclass(frozen=True)
class Change:
    """One indicator-month whose stored value the import would replace."""

    indicator: str
    period: str
    old: Stored
    new: MeasurementRow

    def to_dict(self) -> dict[str, Any]:
        value, numerator, denominator = self.old
        return {
            "indicator": self.indicator,
            "period": self.period,
            "old": {"value": value, "numerator": numerator, "denominator": denominator},
            "new": self.new.to_dict(),
        }


@dataclass
class Preview:
    """The effect of importing rows: added, changed, unchanged, and missing months."""

    added: list[MeasurementRow] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: list[MeasurementRow] = field(default_factory=list)
    missing: dict[str, list[str]] = field(default_factory=dict)

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.changed)

    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "changed": len(self.changed),
            "unchanged": len(self.unchanged),
            "missing": sum(len(months) for months in self.missing.values()),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": [row.to_dict() for row in self.added],
            "changed": [change.to_dict() for change in self.changed],
            "unchanged": [row.to_dict() for row in self.unchanged],
            "missing": {code: list(months) for code, months in self.missing.items()},
            "counts": self.counts(),
        }


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _same_stored(old: Stored, row: MeasurementRow) -> bool:
    value, numerator, denominator = old
    return (
        _same(value, row.value)
        and _same(numerator, row.numerator)
        and _same(denominator, row.denominator)
    )


def build_preview(
    incoming_rows: Iterable[MeasurementRow],
    existing: Mapping[tuple[str, str], Stored],
) -> Preview:
    """Compare ``incoming_rows`` with ``existing[(indicator, period)] = (value,
    numerator, denominator)``. Lists are sorted by indicator and month.

    If the same indicator-month comes twice in ``incoming_rows``, the last one wins
    (:func:`read_measurements` already reports such duplicates as row errors).
    """
    latest: dict[tuple[str, str], MeasurementRow] = {}
    for row in incoming_rows:
        latest[(row.indicator, row.period)] = row
    preview = Preview()
    for key in sorted(latest):
        row = latest[key]
        old = existing.get(key)
        if old is None:
            preview.added.append(row)
        elif _same_stored(tuple(old), row):  # type: ignore[arg-type]
            preview.unchanged.append(row)
        else:
            preview.changed.append(Change(row.indicator, row.period, tuple(old), row))  # type: ignore[arg-type]
    months: dict[str, set[str]] = {}
    for indicator, period in list(latest) + list(existing):
        months.setdefault(indicator, set()).add(period)
    for indicator in sorted({indicator for indicator, _ in latest}):
        have = months[indicator]
        first, last = min(have), max(have)
        if len(have) == month_index(last) - month_index(first) + 1:
            continue  # every month from the first to the last is there (a full series)
        gaps = [p for p in month_span(first, last) if p not in have]
        if gaps:
            preview.missing[indicator] = gaps
    return preview
