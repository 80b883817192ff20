"""Month labels as Danish teams write them."""

from __future__ import annotations

import datetime as dt

import pytest

from pdsa_core.errors import ValidationError
from pdsa_core.importing import read_period
from pdsa_core.importing.periods import month_span, parse_day


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("2022-01", "2022-01"),
        ("2022-1", "2022-01"),
        ("2022/03", "2022-03"),
        ("202203", "2022-03"),
        ("01-2022", "2022-01"),
        ("1/2022", "2022-01"),
        ("1.2022", "2022-01"),
        ("jan-22", "2022-01"),
        ("jan 22", "2022-01"),
        ("Jan. 22", "2022-01"),
        ("januar 2022", "2022-01"),
        ("Januar 2022", "2022-01"),
        ("  JANUAR   2022 ", "2022-01"),
        ("maj-2022", "2022-05"),
        ("okt. 22", "2022-10"),
        ("marts 2019", "2019-03"),
        ("dec-99", "1999-12"),
        ("January 2022", "2022-01"),
        ("Oct-22", "2022-10"),
        ("May 2021", "2021-05"),
        ("2022 januar", "2022-01"),
        ("1. februar 2022", "2022-02"),
        ("1/1/2022", "2022-01"),
        ("01-01-2022", "2022-01"),
        ("15.03.2022", "2022-03"),
        ("2022-01-01", "2022-01"),
        ("2022-01-31 00:00:00", "2022-01"),
        ("44562", "2022-01"),
    ],
)
def test_labels(label: str, expected: str) -> None:
    assert read_period(label) == expected


def test_cells_from_workbooks() -> None:
    assert read_period(dt.datetime(2022, 3, 1, 0, 0)) == "2022-03"
    assert read_period(dt.date(2021, 12, 31)) == "2021-12"
    assert read_period(44562) == "2022-01"  # Excel serial number of 1 Jan 2022
    assert read_period(44592.5) == "2022-01"
    assert read_period(202204) == "2022-04"


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("01-22", "period_ambiguous"),
        ("3/4", "period_ambiguous"),
        ("2022", "period_quarter"),
        ("2022K1", "period_quarter"),
        ("Q3 2022", "period_quarter"),
        ("hello", "period_unknown"),
        ("2022-13", "period_unknown"),
        ("13-2022", "period_unknown"),
        ("smarch 2022", "period_unknown"),
        ("31-02-2022", "date_invalid"),
        ("", "period_missing"),
        (None, "period_missing"),
        ("jan-3022", "period_out_of_range"),
        (True, "period_unknown"),
        (float("nan"), "period_unknown"),
        (12.5, "period_unknown"),
    ],
)
def test_clear_errors(label: object, code: str) -> None:
    with pytest.raises(ValidationError) as info:
        read_period(label)
    assert info.value.code == code  # type: ignore[attr-defined]
    assert info.value.reason_da and info.value.reason_en  # type: ignore[attr-defined]


def test_ambiguous_message_explains_what_to_write() -> None:
    with pytest.raises(ValidationError, match="4 digits"):
        read_period("01-22")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15.03.2022 14:35", dt.date(2022, 3, 15)),
        ("1.3.2022 08:00", dt.date(2022, 3, 1)),
        ("01-03-22", dt.date(2022, 3, 1)),
        ("31/01/2022", dt.date(2022, 1, 31)),
        ("2022-03-15T14:35:00", dt.date(2022, 3, 15)),
        ("20220315", dt.date(2022, 3, 15)),
        (" 29.02.2024 ", dt.date(2024, 2, 29)),
    ],
)
def test_event_dates_are_day_first(text: str, expected: dt.date) -> None:
    assert parse_day(text) == expected


@pytest.mark.parametrize("text", ["29.02.2023", "15.13.2022", "2022", "15.03.2022x", ""])
def test_invalid_event_dates(text: str) -> None:
    with pytest.raises(ValidationError):
        parse_day(text)


def test_month_span() -> None:
    assert month_span("2021-11", "2022-02") == ["2021-11", "2021-12", "2022-01", "2022-02"]
    assert month_span("2022-02", "2022-01") == []
