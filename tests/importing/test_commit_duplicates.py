"""A commit names every month given twice, once, in order; in one pass over the values."""

from __future__ import annotations

from typing import Any

import pytest

from pdsa_core.errors import ValidationError
from pdsa_core.extension_types import ImportResult
from pdsa_core.services.indicators import MeasurementInput


def _values(count: int, *, twice: tuple[int, ...] = ()) -> list[MeasurementInput]:
    months = [f"{2000 + n // 12}-{n % 12 + 1:02d}" for n in range(count)]
    items = [MeasurementInput("R1", month, value=n) for n, month in enumerate(months)]
    for n in twice:
        items.append(MeasurementInput("r1 ", months[n], value=0))  # another spelling of the code
        items.append(MeasurementInput("R1", months[n], value=1))
    return items


def test_an_import_result_names_each_repeated_month_once_in_order() -> None:
    with pytest.raises(ValidationError) as refused:
        ImportResult(measurements=_values(2_400, twice=(2_350, 7)))
    assert str(refused.value).endswith("the same month is given twice: r1 2000-08, r1 2195-11")
    assert len(ImportResult(measurements=_values(2_400)).measurements) == 2_400


def test_a_commit_names_each_repeated_month_once_in_both_languages(workspace: Any) -> None:
    team = workspace.add_team("Psykiatrien Syd")
    workspace.add_indicator(team.id, "R1", "Tvangsindlagte")
    with pytest.raises(ValidationError) as refused:
        workspace.add_measurements(team.id, _values(2_400, twice=(12, 2_399)))
    assert "the same month is given twice: R1|2001-01, R1|2199-12" in str(refused.value)
    assert "den samme måned er angivet to gange: R1|2001-01, R1|2199-12" in refused.value.message_da
    assert workspace.measurements(team.id, "R1") == []  # nothing half written
