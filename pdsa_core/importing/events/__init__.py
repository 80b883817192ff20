"""Event extracts: one row per coercion event, aggregated to the monthly R1, R2, F1, F2.

An extract from a patient record system (EPJ) has one row per event with a person
identifier (CPR or a local pseudonym), a timestamp and the kind of coercion, plus what
a team's population is defined by: ward, age, municipality of residence, an open
outpatient course, forensic status. :class:`EventLayout` says which header holds what
(the defaults are the Danish names below; a region maps its own headers to them), and
:class:`Population` says which rows the team counts.

What is counted, per calendar month (an event on the 1st or the last day of a month
belongs to that month; the time of day is not read):

* **R1**: persons with at least one *coercive admission* (one person counts once per
  month however many admissions);
* **R2**: coercive admissions (every event counts);
* **F1**: persons subjected to any kind of coercion;
* **F2**: coercion events.

Which kind labels are a coercive admission (default: ``tvangsindlæggelse``) and which
count as coercion for F (default: every kind in the population) is set with
``kinds_for``. Labels are compared ignoring case and spacing.

Privacy: identifiers are used only in memory, as per-run salted digests (see
:mod:`pdsa_core.importing.identifiers`); no result, error text or ``repr`` contains one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from pdsa_core.importing.events.model import (
    DEFAULT_ADMISSION_KINDS,
    EVENT_INDICATORS,
    OUTSIDE_REASONS,
    ROLES,
    Concentration,
    EventAggregate,
    EventLayout,
    Population,
    normalise_label,
    normalise_municipality,
    resolve_kinds_for,
)

__all__ = [
    "Concentration",
    "DEFAULT_ADMISSION_KINDS",
    "EVENT_INDICATORS",
    "EventAggregate",
    "EventLayout",
    "OUTSIDE_REASONS",
    "Population",
    "ROLES",
    "aggregate_events",
    "normalise_label",
    "normalise_municipality",
    "resolve_kinds_for",
]


def aggregate_events(
    path: str | Path,
    layout: EventLayout | None = None,
    population: Population | None = None,
    *,
    kinds_for: Mapping[str, Iterable[str] | None] | None = None,
    period_range: tuple[str, str] | None = None,
    workers: int | None = None,
    max_errors: int = 1000,
    engine: str = "auto",
) -> EventAggregate:
    """Count R1, R2, F1 and F2 per month in an event extract (CSV or ``.xlsx``).

    ``kinds_for`` maps each of R1, R2, F1, F2 to the kind labels it counts (``None``:
    every kind); missing entries default to :data:`DEFAULT_ADMISSION_KINDS` for R1/R2
    and ``None`` for F1/F2. ``period_range`` (``("2022-01", "2022-12")``) fixes the
    months reported (default: first to last month with a readable row).

    ``engine`` says what reads a CSV extract (the figures are the same either way):

    * ``"auto"`` (default): the pyarrow engine for a file of 4 MB or more, else the
      Python scanner;
    * ``"arrow"``: the pyarrow engine whatever the size;
    * ``"python"``: only the Python scanner.

    The pyarrow engine reads clean files only: at the first row or value it cannot use
    (a wrong field count, an invalid identifier, date, age, yes/no, ...) or when pyarrow
    is not installed, the Python scanner reads the file instead, and it reports the row
    errors with their row numbers. ``result.engine`` says which one ran. Workbooks are
    always read by the Python scanner. ``workers``: processes the Python scanner uses
    (default: 2 for a file over 8 MB when a second core is idle and no other thread
    runs, else 1; the result is the same either way); the pyarrow engine uses pyarrow's
    threads in one process.

    Raises :class:`~pdsa_core.errors.DataImportError` if the file cannot be read as an
    extract at all (missing columns, not text); problems in single rows are returned as
    ``errors``.
    """
    from pdsa_core.importing.events.run import run_aggregation  # loaded with the first extract read

    return run_aggregation(
        Path(path),
        layout or EventLayout(),
        population or Population(),
        resolve_kinds_for(kinds_for),
        period_range=period_range,
        workers=workers,
        max_errors=max_errors,
        engine=engine,
    )
