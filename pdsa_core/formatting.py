"""How numbers are written for people: one helper for the command line, the TUI and reports.

Danish writes a decimal comma ("2,5"), English a decimal point ("2.5"). ``lang`` is "da"
or "en"; without it the current user-interface language is used
(:func:`pdsa_core.i18n.get_language`). Thousands are not grouped: "1234" reads the same in
both languages, while "1.234" would mean one thing in Danish and another in English.
JSON output never goes through here: it keeps the numbers as numbers.
"""

from __future__ import annotations

import math

__all__ = ["decimal_mark", "fmt_number", "fmt_percent", "fmt_value"]

#: what an unknown value is written as
NONE = "–"


def _lang(lang: str | None) -> str:
    if lang is None:
        from pdsa_core.i18n import get_language

        return get_language()
    return lang


def decimal_mark(lang: str | None = None) -> str:
    """ "," in Danish, "." in English."""
    return "," if _lang(lang) == "da" else "."


def _plain(value: float, decimals: int | None, significant: int) -> str:
    """The number with a decimal point: ``decimals`` fixed, or ``significant`` digits, never an exponent."""
    if decimals is not None:
        text = f"{value:.{decimals}f}"
    elif float(value).is_integer():
        return str(int(value))
    else:
        magnitude = math.floor(math.log10(abs(value))) + 1
        places = max(0, significant - magnitude)  # 12345.6 -> "12346", 0.012345 -> "0.01235"
        text = f"{value:.{places}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    if text.startswith("-") and not text.strip("-0."):
        text = text[1:]  # no "-0" from rounding a tiny negative number
    return text or "0"


def fmt_number(
    value: float | None, lang: str | None = None, *, decimals: int | None = None, significant: int = 4
) -> str:
    """3.0 -> "3"; 0.4567 -> "0,4567" (da) / "0.4567" (en); 12345.6 -> "12346"; None -> "–".

    ``decimals`` fixes the number of decimals (an axis whose ticks are 0,5 apart shows every
    tick with one decimal; a centre line "2,00"); otherwise whole numbers have none and
    others ``significant`` significant digits.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NONE
    if isinstance(value, float) and math.isinf(value):
        return "∞" if value > 0 else "-∞"
    text = _plain(float(value), decimals, significant)
    return text.replace(".", ",") if _lang(lang) == "da" else text


def fmt_percent(value: float | None, lang: str | None = None, *, decimals: int = 0) -> str:
    """A number that already is a percentage: 44 -> "44 %", 12.5 with one decimal -> "12,5 %"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NONE
    return f"{fmt_number(value, lang, decimals=decimals)} %"


def fmt_value(value: float | None, unit: str = "count", lang: str | None = None) -> str:
    """A measurement as people read it: a proportion (0.44) as "44 %", a count as a whole
    number, a rate with up to 4 significant digits."""
    if value is None:
        return NONE
    if unit == "proportion":
        return fmt_percent(value * 100, lang)
    return fmt_number(value, lang)
