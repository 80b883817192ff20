"""What an event extract's import plan found, as lines both faces show: one set of texts.

``pdsa import events`` prints these lines and the TUI's import screen shows them on its
"about the file" tab; neither words the aggregate itself. A line has a ``kind``: the
``title`` (what was read and counted), a ``heading`` (the list of rows outside the
population), an ``item`` under the line before it, or a plain ``line``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pdsa_core.i18n import add_texts, t

add_texts(
    {
        "imports.summary.events": (
            "Hændelsesudtræk: {read} rækker læst, {counted} talt med (population '{population}')",
            "Event extract: {read} rows read, {counted} counted (population '{population}')",
        ),
        "imports.summary.months": ("Måneder: {months} ({n})", "Months: {months} ({n})"),
        "imports.summary.outside": ("Uden for populationen:", "Outside the population:"),
        "imports.summary.kinds": (
            "Tvangstyper i udtrækket: {kinds}",
            "Kinds of coercion in the extract: {kinds}",
        ),
        "imports.summary.kinds_for": ("{code} tæller: {kinds}", "{code} counts: {kinds}"),
        "imports.summary.all_kinds": ("alle typer", "every kind"),
        "imports.summary.concentration": (
            "Koncentration: de {top} mest berørte personer ({pct_persons} af {persons}) stod for {share} "
            "af {events} hændelser",
            "Concentration: the {top} most affected persons ({pct_persons} of {persons}) caused {share} "
            "of {events} events",
        ),
        "imports.summary.concentration_year": (
            "{year}: {share} ({top} af {persons} personer)",
            "{year}: {share} ({top} of {persons} persons)",
        ),
        "imports.summary.no_events": ("Ingen hændelser talt med.", "No events counted."),
    }
)


@dataclass(frozen=True)
class SummaryLine:
    """One line of a summary: its text in the summary's language and how it stands."""

    text: str
    #: "title", "heading", "item" (belongs to the line before) or "line"
    kind: str = "line"


def share_text(share: float | None) -> str:
    """A share as whole per cent (``37 %``), ``–`` when there is none."""
    return "–" if share is None else f"{share * 100:.0f} %"


def months_text(months: list[str]) -> str:
    """``2022-01 – 2022-12`` (one month alone)."""
    return months[0] if len(months) == 1 else f"{months[0]} – {months[-1]}"


def event_summary(events: Mapping[str, Any], lang: str) -> list[SummaryLine]:
    """The lines that say what an event extract's plan (``plan.events``) read and counted."""
    lines = [
        SummaryLine(
            t(
                "imports.summary.events",
                lang,
                read=events["rows_read"],
                counted=events["rows_counted"],
                population=events["population"]["name"],
            ),
            "title",
        )
    ]
    months = list(events.get("months") or [])
    if months:
        lines.append(
            SummaryLine(t("imports.summary.months", lang, months=months_text(months), n=len(months)))
        )
    outside = events.get("outside") or {}
    if outside:
        reasons = events.get("outside_reasons") or {}
        lines.append(SummaryLine(t("imports.summary.outside", lang), "heading"))
        lines += [
            SummaryLine(f"{reasons.get(key, {}).get(lang, key)}: {count}", "item")
            for key, count in outside.items()
        ]
    kinds = events.get("kinds_seen") or {}
    if kinds:
        listed = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items(), key=lambda item: -item[1]))
        lines.append(SummaryLine(t("imports.summary.kinds", lang, kinds=listed)))
        for code, labels in (events.get("kinds_for") or {}).items():
            counted = ", ".join(labels) if labels else t("imports.summary.all_kinds", lang)
            lines.append(SummaryLine(t("imports.summary.kinds_for", lang, code=code, kinds=counted), "item"))
    concentration = events.get("concentration") or {}
    if not concentration.get("events"):
        lines.append(SummaryLine(t("imports.summary.no_events", lang)))
        return lines
    persons = concentration["persons"]
    lines.append(
        SummaryLine(
            t(
                "imports.summary.concentration",
                lang,
                top=concentration["top_persons"],
                pct_persons=share_text(concentration["top_persons"] / persons if persons else None),
                persons=persons,
                share=share_text(concentration["share"]),
                events=concentration["events"],
            )
        )
    )
    for year, figure in sorted((events.get("concentration_by_year") or {}).items()):
        text = t(
            "imports.summary.concentration_year",
            lang,
            year=year,
            share=share_text(figure["share"]),
            top=figure["top_persons"],
            persons=figure["persons"],
        )
        lines.append(SummaryLine(text, "item"))
    return lines
