"""MeasurementInput and MeasurementRow write their own __init__ (an import builds one of each per
value): it takes exactly the dataclass's fields, in order, with their defaults, and the records
stay frozen, comparable and hashable."""

from __future__ import annotations

import dataclasses
import inspect

import pytest

from pdsa_core.importing.measurements import MeasurementRow
from pdsa_core.services.indicators import MeasurementInput


@pytest.mark.parametrize("cls", [MeasurementInput, MeasurementRow])
def test_the_init_takes_the_fields_in_order_with_their_defaults(cls: type) -> None:
    parameters = list(inspect.signature(cls).parameters.values())
    fields = dataclasses.fields(cls)
    assert [p.name for p in parameters] == [f.name for f in fields]
    for parameter, field in zip(parameters, fields, strict=True):
        default = field.default if field.default is not dataclasses.MISSING else inspect.Parameter.empty
        assert parameter.default == default, field.name
        assert parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD


def test_the_records_are_frozen_comparable_and_hashable() -> None:
    item = MeasurementInput("R1", "2024-01", value=3.0)
    assert item == MeasurementInput(indicator="R1", period="2024-01", value=3.0, note="")
    assert dataclasses.asdict(item) == {
        "indicator": "R1",
        "period": "2024-01",
        "value": 3.0,
        "numerator": None,
        "denominator": None,
        "note": "",
    }
    assert dataclasses.replace(item, note="ny") == MeasurementInput("R1", "2024-01", 3.0, None, None, "ny")
    row = MeasurementRow("R1", "2024-01", 0.5, 1.0, 2.0, 7)
    assert row.source_column is None and row.key == ("R1", "2024-01")
    assert len({row, MeasurementRow("R1", "2024-01", 0.5, 1.0, 2.0, 7)}) == 1
    for record in (item, row):
        with pytest.raises(dataclasses.FrozenInstanceError):
            record.period = "2024-02"  # type: ignore[misc]
    with pytest.raises(TypeError):
        MeasurementInput("R1")  # type: ignore[call-arg]
