"""How points are named in Danish and English texts ("jan 22", "punkt 5")."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .model import ChartResult

MONTHS = {
    "da": ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
LANGS = ("da", "en")


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        from ..errors import ValidationError

        raise ValidationError(f"unknown language '{lang}' (choose da or en)")
    return lang


def month_label(value: _dt.date, lang: str = "da") -> str:
    """``"jan 22"`` (Danish) / ``"Jan 22"`` (English)."""
    return f"{MONTHS[lang][value.month - 1]} {value.year % 100:02d}"


def date_label(value: _dt.date, lang: str = "da", monthly: bool = True) -> str:
    if monthly:
        return month_label(value, lang)
    return f"{value.day} {month_label(value, lang)}"


def is_monthly(values: Iterable[Any]) -> bool:
    """True when every x is a date on the first of a month (a monthly series)."""
    seen = False
    for v in values:
        if not isinstance(v, _dt.date) or v.day != 1:
            return False
        seen = True
    return seen


def point_label(result: ChartResult, index: int, lang: str = "da") -> str:
    """The name of one point in texts: its month, its x value or its number."""
    x = result.x[index]
    if result.x_kind == "date":
        return date_label(x, lang, is_monthly(result.x))
    if result.x_kind == "category":
        return str(x)
    if result.x_kind == "numeric":
        return f"{x:g}" if isinstance(x, float) else str(x)
    return f"{'punkt' if lang == 'da' else 'point'} {index + 1}"


def points_label(result: ChartResult, indices: Iterable[int], lang: str = "da", limit: int = 6) -> str:
    """``"mar 22, apr 22"``; long lists are shortened with "…"."""
    idx = list(indices)
    names = [point_label(result, i, lang) for i in idx[:limit]]
    if result.x_kind == "index":
        word = "punkt" if lang == "da" else "point"
        names = [str(i + 1) for i in idx[:limit]]
        text = f"{word} {', '.join(names)}" if len(idx) == 1 else (
            f"{'punkterne' if lang == 'da' else 'points'} {', '.join(names)}"
        )
    else:
        text = ", ".join(names)
    if len(idx) > limit:
        text += ", …"
    return text


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"
