"""Rows checked against the team's indicators: each value as the measurement itself checks it.

A table repeats its values, so the check is decided once per distinct value; these tests
pin that the outcome is still the measurement's own for every row.
"""

from __future__ import annotations

from pdsa_core.domain import Indicator, Unit
from pdsa_core.importing.measurements import MeasurementRow
from pdsa_core.importing.plan import check_rows

INDICATORS = {
    "r1": Indicator(team_id="t", code="R1", name_da="Tvang", unit=Unit.COUNT),
    "v1": Indicator(team_id="t", code="V1", name_da="Rate", unit=Unit.RATE),
}


def test_the_same_value_in_a_month_out_of_range_is_still_an_error() -> None:
    rows = [
        MeasurementRow("R1", "2022-01", 3.0, source_row=2),
        MeasurementRow("R1", "1800-01", 3.0, source_row=3),
        MeasurementRow("R1", "2022-02", 3.0, source_row=4),
    ]
    good, errors, unknown = check_rows(rows, INDICATORS)
    assert [r.source_row for r in good] == [2, 4]
    assert [(e.row, e.code) for e in errors] == [(3, "invalid_value")]
    assert "1800" in errors[0].reason_en
    assert unknown == []


def test_a_value_equal_to_a_checked_one_but_of_another_type_is_checked_itself() -> None:
    """True equals 1.0 as a dictionary key, but a measurement refuses a truth value."""
    rows = [
        MeasurementRow("V1", "2022-01", 1.0, source_row=2),
        MeasurementRow("V1", "2022-02", True, source_row=3),  # type: ignore[arg-type]
        MeasurementRow("V1", "2022-03", 1.0, source_row=4),
    ]
    good, errors, _ = check_rows(rows, INDICATORS)
    assert [r.source_row for r in good] == [2, 4]
    assert [(e.row, e.code) for e in errors] == [(3, "invalid_value")]


def test_an_invalid_value_is_reported_on_every_row_it_is_on_with_its_indicator() -> None:
    rows = [
        MeasurementRow("V1", "2022-01", -1.0, source_row=2),
        MeasurementRow("V1", "2022-02", -1.0, source_row=3),
        MeasurementRow("R1", "2022-02", -1.0, source_row=4),
    ]
    good, errors, _ = check_rows(rows, INDICATORS)
    assert good == []
    assert [e.row for e in errors] == [2, 3, 4]
    assert "V1 is a rate" in errors[1].reason_en
    assert "R1 is a count" in errors[2].reason_en
