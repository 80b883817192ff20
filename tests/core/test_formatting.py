"""Numbers as people read them: the decimal comma in Danish, no exponents, no grouping."""

from __future__ import annotations

import pytest

from pdsa_core.formatting import decimal_mark, fmt_number, fmt_percent, fmt_value


@pytest.mark.parametrize(
    ("value", "da", "en"),
    [
        (3.0, "3", "3"),
        (2.5, "2,5", "2.5"),
        (0.4567, "0,4567", "0.4567"),
        (12.345, "12,35", "12.35"),
        (12345.6, "12346", "12346"),
        (-0.25, "-0,25", "-0.25"),
        (0.000123456, "0,0001235", "0.0001235"),
        (None, "–", "–"),
        (float("nan"), "–", "–"),
    ],
)
def test_fmt_number_in_both_languages(value: float | None, da: str, en: str) -> None:
    assert fmt_number(value, "da") == da
    assert fmt_number(value, "en") == en


def test_fixed_decimals_and_percent() -> None:
    assert fmt_number(2, "da", decimals=1) == "2,0"
    assert fmt_number(-0.01, "da", decimals=0) == "0"
    assert fmt_percent(12.5, "da", decimals=1) == "12,5 %"
    assert fmt_percent(40, "en") == "40 %"
    assert fmt_value(0.44, "proportion", "da") == "44 %"
    assert fmt_value(1.25, "rate", "da") == "1,25"
    assert fmt_value(None, "count", "da") == "–"


def test_the_current_language_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    from pdsa_core.i18n import set_language

    set_language("da")
    try:
        assert decimal_mark() == "," and fmt_number(0.5) == "0,5"
    finally:
        set_language(None)
    assert decimal_mark() == "." and fmt_number(0.5) == "0.5"


def test_significant_digits_and_infinity() -> None:
    """Chart labels ask for three significant digits; an infinite value says so instead of failing."""
    assert fmt_number(6.9143, "da", significant=3) == "6,91"
    assert fmt_number(0.5, "da", significant=2) == "0,5"
    assert fmt_number(-0.0001, "da", decimals=2) == "0,00"
    assert fmt_number(float("inf"), "en") == "∞"
