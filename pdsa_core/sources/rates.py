"""Counts per 10,000 residents, stored as an indicator of their own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pdsa_core.domain import Indicator
from pdsa_core.errors import ValidationError
from pdsa_core.services.indicators import MeasurementInput, WriteResult
from pdsa_core.sources.statbank import PopulationSeries, rates_per_10000

if TYPE_CHECKING:
    from pdsa_core.workspace import Workspace


def store_rate_indicator(
    ws: Workspace, team_ref: str, count_code: str, population: PopulationSeries, *, into: str | None = None
) -> tuple[WriteResult, list[str]]:
    """Store ``count_code`` per 10,000 residents as indicator ``into`` (created when missing,
    in the same transaction as the values).

    The new indicator copies the count's kind, direction and baseline, with unit "rate".
    Returns the write counts and the months left out for lack of a population figure.
    """
    counts_indicator = ws.indicator(team_ref, count_code)
    if counts_indicator.unit.value != "count":
        raise ValidationError(
            f"{counts_indicator.code} is a {counts_indicator.unit.value}; only counts become rates"
        )
    code = into or f"{counts_indicator.code}-rate"
    counts = {
        m.period: m.value for m in ws.measurements(team_ref, counts_indicator.code) if m.value is not None
    }
    if not counts:
        raise ValidationError(f"{counts_indicator.code} has no values to turn into a rate")
    rates, missing = rates_per_10000(counts, population.values)
    if not rates:
        raise ValidationError(
            f"no month of {counts_indicator.code} has a population figure from {population.table}; "
            f"the figures cover {min(population.values)}..{max(population.values)}"
        )
    new_indicator = Indicator(
        team_id=counts_indicator.team_id,
        code=code,
        name_da=(
            f"{counts_indicator.name_da} pr. 10.000 borgere "
            f"({population.age_low}-{population.age_high} år)"
        ),
        name_en=f"{counts_indicator.name_en or counts_indicator.name_da} per 10,000 residents",
        kind=counts_indicator.kind,
        unit="rate",  # type: ignore[arg-type]
        direction=counts_indicator.direction,
        baseline_start=counts_indicator.baseline_start,
        baseline_end=counts_indicator.baseline_end,
        population=f"{population.table}, kommune {population.municipality}",
        data_source=f"{counts_indicator.code} / Danmarks Statistik {population.table} × 10.000",
    )
    source = f"{counts_indicator.code} / Danmarks Statistik {population.table} {population.retrieved_at[:10]}"
    items = [MeasurementInput(code, month, value=round(rate, 6)) for month, rate in rates.items()]
    return ws.add_measurements(team_ref, items, source=source, new_indicator=new_indicator), missing
