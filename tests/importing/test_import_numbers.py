"""Numbers as Danish and English spreadsheets write them."""

from __future__ import annotations

import pytest

from pdsa_core.errors import ValidationError
from pdsa_core.importing import parse_number
from pdsa_core.importing.numbers import guess_decimal, parse_count


@pytest.mark.parametrize(
    ("text", "decimal", "expected"),
    [
        ("1.234,5", ",", 1234.5),
        ("1.234", ",", 1234.0),
        ("1.234.567", ",", 1234567.0),
        ("12,5", ",", 12.5),
        ("0,75", ",", 0.75),
        (",5", ",", 0.5),
        ("12.5", ",", 12.5),  # cannot be a thousands group: read as meant
        ("1,234.5", ",", 1234.5),
        ("1,234.5", ".", 1234.5),
        ("1,234", ".", 1234.0),
        ("12,5", ".", 12.5),
        ("1.234,5", ".", 1234.5),
        ("-3", ",", -3.0),
        ("−2,5", ",", -2.5),
        ("1 234", ",", 1234.0),
        ("1\u00a0234,5", ",", 1234.5),
        ("45 %", ",", 45.0),
        ("1e3", ",", 1000.0),
        (" 7 ", ",", 7.0),
    ],
)
def test_text_numbers(text: str, decimal: str, expected: float) -> None:
    assert parse_number(text, decimal=decimal) == pytest.approx(expected)


def test_cells_that_are_numbers_already() -> None:
    assert parse_number(3) == 3.0
    assert parse_number(2.5) == 2.5


@pytest.mark.parametrize("value", ["abc", "1.2.3,4,5", "", ",", "--1", "1,2,3", True, None,
                                   float("inf"), "12 kr"])
def test_not_numbers(value: object) -> None:
    with pytest.raises(ValidationError) as info:
        parse_number(value)
    assert info.value.code == "not_a_number"  # type: ignore[attr-defined]


def test_counts() -> None:
    assert parse_count("12") == 12
    with pytest.raises(ValidationError, match="whole"):
        parse_count("2,5")
    with pytest.raises(ValidationError, match="negative"):
        parse_count("-1")


def test_guess_decimal() -> None:
    assert guess_decimal(["1,5", "2", "x"]) == ","
    assert guess_decimal(["12.5", "3"]) == "."
    assert guess_decimal(["1.234,56"]) == ","
    assert guess_decimal(["1,234.56"]) == "."
    assert guess_decimal(["1.234"], default=",") == ","
    assert guess_decimal(["1.234"], default=".") == "."
    assert guess_decimal([3, 4.5, None]) == ","


@pytest.mark.parametrize("text", ["²", "1²", "¾"])
def test_digit_signs_that_are_not_decimal_digits_are_refused(text: str) -> None:
    """The fast path for plain digits takes ASCII digits only; a superscript is no number."""
    with pytest.raises(ValidationError) as info:
        parse_number(text)
    assert info.value.code == "not_a_number"  # type: ignore[attr-defined]


def test_decimal_digits_of_other_scripts_are_read_as_numbers() -> None:
    assert parse_number("٣") == 3.0
    assert parse_number("１２") == 12.0


def test_plain_digits() -> None:
    assert parse_number("007") == 7.0
    assert parse_number("12", decimal=".") == 12.0
    assert type(parse_number("12")) is float


def test_guess_decimal_looks_only_at_cells_with_a_mark() -> None:
    """Cells without a comma or a point (labels, months, whole numbers) are no evidence."""
    assert guess_decimal(["X1", "2014-01", "12", " 1 234 "] * 100 + ["2.5"]) == "."
    assert guess_decimal(["X1", "2014-01", "12"] * 100, default=".") == "."
    assert guess_decimal(["X1", "2014-01", "12"] * 100, default=",") == ","
