"""How values and verdicts are written on screen (presentation only, no statistics)."""

from __future__ import annotations

from typing import Any

from pdsa_core.formatting import fmt_number
from pdsa_core.i18n import get_language, t

#: verdict status -> CSS class of its label
VERDICT_CLASSES = {"random": "-random", "non_random": "-signal", "too_few": "-too-few"}


def fmt_value(value: float | None, unit: str) -> str:
    """A count as a whole number, a proportion as a percentage, a rate with up to 4 digits."""
    if value is None:
        return t("tui.none")
    if unit == "proportion":
        return f"{value * 100:.0f} %"
    return fmt_number(value)


def month_ranges(periods: list[str]) -> str:
    """["2023-01", "2023-02", "2023-03", "2023-07"] -> "2023-01..2023-03, 2023-07"."""
    from pdsa_core.domain.common import period_index

    runs: list[list[str]] = []
    for period in periods:
        if runs and period_index(period) == period_index(runs[-1][-1]) + 1:
            runs[-1].append(period)
        else:
            runs.append([period])
    return ", ".join(run[0] if len(run) == 1 else f"{run[0]}..{run[-1]}" for run in runs)


def verdict_short(verdict: dict[str, Any] | None) -> str:
    """One or two words for a table cell: "Tilfældig", "Ikke-tilfældig", "For få punkter", or "–"."""
    if not verdict:
        return t("tui.none")
    status = str(verdict.get("status", ""))
    key = f"tui.verdict.{status}"
    text = t(key)
    return text if text != key else verdict_text(verdict).split(":")[0]


def verdict_text(verdict: dict[str, Any] | None) -> str:
    """The verdict in words in the current language (the core writes both)."""
    if not verdict:
        return ""
    lang = get_language()
    return str(verdict.get(f"text_{lang}") or verdict.get("text_da") or verdict.get("text") or "")


def verdict_class(verdict: dict[str, Any] | None) -> str:
    if not verdict:
        return "-no-verdict"
    return VERDICT_CLASSES.get(str(verdict.get("status", "")), "-no-verdict")


def local_name(item: dict[str, Any] | Any) -> str:
    """``name_en`` in English when there is one, else ``name_da``."""
    get = item.get if isinstance(item, dict) else lambda k, d="": getattr(item, k, d)
    if get_language() == "en" and get("name_en", ""):
        return str(get("name_en", ""))
    return str(get("name_da", ""))
