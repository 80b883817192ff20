"""What the reports share: the result type, period defaults, indicator figures, verdict labels."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pdsa_core.domain.common import month_range, parse_period, period_from_index, period_index
from pdsa_core.errors import ValidationError
from pdsa_core.formatting import fmt_number, fmt_percent
from pdsa_core.reports.small_numbers import SmallNumbers
from pdsa_core.services.indicators import last_complete_month

if TYPE_CHECKING:
    from pdsa_core.workspace import Workspace

FORMATS = ("md", "html")

MONTHS_DA = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
]
MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

VERDICT_LABELS = {
    "non_random": ("Ikke-tilfældig variation", "Non-random variation"),
    "random": ("Tilfældig variation", "Random variation"),
    "too_few": ("For få datapunkter", "Too few data points"),
    "none": ("Ingen data", "No data"),
}


@dataclass
class Report:
    """A written report: its text, and for Markdown the chart files to write beside it."""

    text: str
    format: str
    title: str
    attachments: dict[str, str] = field(default_factory=dict)
    hidden_cells: int = 0
    data: dict[str, Any] = field(default_factory=dict)
    content: bytes = b""
    """A binary report's file (a PowerPoint deck); ``text`` is then empty."""
    notices: list[str] = field(default_factory=list)
    """What the user must know about how the report came out (printed on stderr by the CLI):
    e.g. that a storyboard needed a second page, and what is on it."""


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise ValidationError(f"report format must be md or html, got {fmt!r}")
    return fmt


def default_period(
    period_from: str | None, period_to: str | None, *, months: int = 12, as_of: str | None = None
) -> tuple[str, str]:
    """The report period: as given, else the ``months`` months up to the last complete month.

    ``as_of`` (the workspace setting of that name: the day a demo's story is told at) stands in
    for today when it is set.
    """
    if period_to:
        end = parse_period(period_to, field="last month (--to)")
    else:
        end = last_complete_month(as_of)
    if period_from:
        start = parse_period(period_from, field="first month (--from)")
    else:
        start = period_from_index(period_index(end) - months + 1)
    if period_index(end) < period_index(start):
        raise ValidationError(f"the report period ends ({end}) before it starts ({start})")
    return start, end


def workspace_note(*workspaces: Any) -> str:
    """The workspaces' own note (the demo says "Syntetiske data / synthetic data"), for footers."""
    notes = [str(ws.settings().get("note")) for ws in workspaces if ws.settings().get("note")]
    return " · ".join(dict.fromkeys(notes))


def as_of(*workspaces: Any) -> str | None:
    """The latest ``as_of`` setting of the workspaces (None when none has one)."""
    found = [str(ws.settings().get("as_of")) for ws in workspaces if ws.settings().get("as_of")]
    return max(found) if found else None


def month_name(period: str, lang: str) -> str:
    names = MONTHS_DA if lang == "da" else MONTHS_EN
    return f"{names[int(period[5:7]) - 1]} {period[:4]}"


def period_text(period_from: str, period_to: str, lang: str) -> str:
    return f"{month_name(period_from, lang)} – {month_name(period_to, lang)}"


def verdict_label(status: str, lang: str) -> str:
    da, en = VERDICT_LABELS.get(status, (status, status))
    return da if lang == "da" else en


def meaning_label(analysis: Any, lang: str, *, short: bool = False) -> str:
    """An indicator's reading in a table cell: "▼ Forværring", "≈ Tilfældig variation", "Ingen data".

    The words and symbols come from :mod:`pdsa_core.spc.meaning` (the TUI shows the same);
    ``short`` gives its words for a narrow column ("≈ Tilfældig", "… For få data").
    """
    if analysis is None:
        return verdict_label("none", lang)
    meaning = analysis.meaning()
    return f"{meaning.symbol} {meaning.short_word(lang) if short else meaning.word(lang)}"


def target_text(indicator: Any, lang: str) -> str:
    """An indicator's target as people read it: "-10 % (30. september 2023)", "90 %", "3"."""
    target = indicator.target
    if target is None:
        return ""
    if target.relative:
        value = f"{'+' if target.value > 0 else ''}{fmt_number(target.value * 100, lang, decimals=0)} %"
    elif indicator.unit.value == "proportion":
        value = fmt_percent(target.value * 100, lang)
    else:
        value = fmt_number(target.value, lang)
    return f"{value} ({target.date})" if target.date else value


def indicator_figures(
    ws: Workspace, indicator: Any, period_from: str, period_to: str, small: SmallNumbers, lang: str
) -> dict[str, Any]:
    """Months delivered and missing in the period, the latest value (small counts hidden)."""
    months = month_range(period_from, period_to)
    values = [
        m for m in ws.measurements(indicator.team_id, indicator.code) if period_from <= m.period <= period_to
    ]
    have = {m.period for m in values}
    latest = values[-1] if values else None
    latest_text = "–"
    if latest is not None:
        shown = small.measurement(
            latest.value,
            unit=indicator.unit.value,
            numerator=latest.numerator,
            denominator=latest.denominator,
            lang=lang,
        )
        latest_text = f"{shown} ({latest.period})"
    return {
        "months": months,
        "delivered": sorted(have),
        "missing": [p for p in months if p not in have],
        "n_delivered": len(have),
        "n_months": len(months),
        "latest": latest,
        "latest_text": latest_text,
    }


def kind_label(indicator: Any, lang: str) -> str:
    kinds = {
        "result": ("Resultat", "Result"),
        "process": ("Proces", "Process"),
        "follow": ("Følge", "Follow"),
        "balancing": ("Balancerende", "Balancing"),
    }
    da, en = kinds.get(indicator.kind.value, (indicator.kind.value, indicator.kind.value))
    text = da if lang == "da" else en
    if indicator.voluntary:
        text += ", frivillig" if lang == "da" else ", voluntary"
    return text
