"""Danish and English user-interface text.

``t(key, **values)`` returns the text in the current language. The language comes from
``set_language`` (the CLI's ``--lang``, the TUI's switch), else ``PDSA_LANG``, else the
locale (``da*`` gives Danish), else English. Modules add their own texts with
:func:`add_texts` so this file does not become a bottleneck.
"""

from __future__ import annotations

import os

LANGUAGES = ("da", "en")

_language: str | None = None

_TEXTS: dict[str, tuple[str, str]] = {
    # key: (Danish, English)
    "error": ("Fejl", "Error"),
    "warning": ("Advarsel", "Warning"),
    "team": ("Team", "Team"),
    "teams": ("Teams", "Teams"),
    "name": ("Navn", "Name"),
    "region": ("Region", "Region"),
    "track": ("Spor", "Track"),
    "municipalities": ("Kommuner", "Municipalities"),
    "members": ("Medlemmer", "Members"),
    "indicators": ("Indikatorer", "Indicators"),
    "indicator": ("Indikator", "Indicator"),
    "kind": ("Type", "Kind"),
    "unit": ("Enhed", "Unit"),
    "direction": ("Retning", "Direction"),
    "baseline": ("Baseline", "Baseline"),
    "target": ("Mål", "Target"),
    "period": ("Periode", "Period"),
    "value": ("Værdi", "Value"),
    "numerator": ("Tæller", "Numerator"),
    "denominator": ("Nævner", "Denominator"),
    "source": ("Kilde", "Source"),
    "note": ("Note", "Note"),
    "latest": ("Seneste", "Latest"),
    "missing_months": ("Manglende måneder", "Missing months"),
    "aim": ("Overordnet mål", "Aim"),
    "driver_diagram": ("Driverdiagram", "Driver diagram"),
    "pdsa_cycles": ("PDSA-cirkler", "PDSA cycles"),
    "cycle": ("PDSA-cirkel", "PDSA cycle"),
    "status": ("Status", "Status"),
    "owner": ("Ansvarlig", "Owner"),
    "start": ("Start", "Start"),
    "end": ("Slut", "End"),
    "change_idea": ("Forandringsidé", "Change idea"),
    "annotations": ("Annoteringer", "Annotations"),
    "date": ("Dato", "Date"),
    "text": ("Tekst", "Text"),
    "created_workspace": ("Oprettede arbejdsområde {path}", "Created workspace {path}"),
    "added_team": ("Oprettede team {name} ({id})", "Added team {name} ({id})"),
    "added_indicator": ("Oprettede indikator {code} for {team}", "Added indicator {code} for {team}"),
    "measurement_added": ("{code} {period} = {value} (tilføjet)", "{code} {period} = {value} (added)"),
    "measurement_changed": (
        "{code} {period} = {value} (ændret; tidligere værdi gemt som revision)",
        "{code} {period} = {value} (changed; earlier value kept as a revision)",
    ),
    "measurement_replaced": (
        "{code} {period} = {value} (erstattede {old}, indtastet af {by} {at}; den gemmes som revision)",
        "{code} {period} = {value} (replaced {old}, entered by {by} at {at}; kept as a revision)",
    ),
    "measurement_has_value_hint": (
        "brug --replace for at erstatte den",
        "use --replace to replace it",
    ),
    "measurement_unchanged": ("{code} {period} = {value} (uændret)", "{code} {period} = {value} (unchanged)"),
    "wrote_demo": (
        "Skrev demo-arbejdsområdet (syntetiske data) til {path}",
        "Wrote the demo workspace (synthetic data) to {path}",
    ),
    "no_teams": (
        "Ingen teams endnu. Opret et med 'pdsa team add NAVN' eller prøv 'pdsa demo'.",
        "No teams yet. Create one with 'pdsa team add NAME' or try 'pdsa demo'.",
    ),
    "status.planned": ("Planlagt", "Planned"),
    "status.doing": ("Afprøves (Do)", "Doing"),
    "status.studying": ("Studeres (Study)", "Studying"),
    "status.acting": ("Handling (Act)", "Acting"),
    "status.done": ("Afsluttet", "Done"),
    "status.abandoned": ("Opgivet", "Abandoned"),
    "kind.result": ("Resultat", "Result"),
    "kind.process": ("Proces", "Process"),
    "kind.follow": ("Følge", "Follow"),
    "kind.balancing": ("Balancerende", "Balancing"),
    "unit.count": ("Antal", "Count"),
    "unit.proportion": ("Andel", "Proportion"),
    "unit.rate": ("Rate", "Rate"),
    "role.tovholder": ("tovholder", "coordinator"),
    "role.leader": ("leder", "leader"),
    "role.peer": ("bruger- eller pårørenderepræsentant", "peer or family representative"),
    "role.data consultant": ("datakonsulent", "data consultant"),
    "role.clinician": ("kliniker", "clinician"),
    "role.municipal staff": ("kommunal medarbejder", "municipal staff"),
    "role.other": ("andet", "other"),
    "node.primary": ("Primær driver", "Primary driver"),
    "node.secondary": ("Sekundær driver", "Secondary driver"),
    "node.change idea": ("Forandringsidé", "Change idea"),
}


def detect_language() -> str:
    env = os.environ.get("PDSA_LANG", "").lower()[:2]
    if env in LANGUAGES:
        return env
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "").lower()
        if value:
            return "da" if value.startswith("da") else "en"
    return "en"


def get_language() -> str:
    return _language or detect_language()


def set_language(lang: str | None) -> None:
    global _language
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}")
    _language = lang


def add_texts(texts: dict[str, tuple[str, str]]) -> None:
    """Register (Danish, English) texts for a module; a key may not be defined twice."""
    clash = set(texts) & set(_TEXTS)
    if clash and any(_TEXTS[k] != texts[k] for k in clash):
        raise ValueError(f"text keys defined twice: {', '.join(sorted(clash))}")
    _TEXTS.update(texts)


def t(key: str, /, lang: str | None = None, **values: object) -> str:
    """The text for ``key`` in ``lang`` (default: the current language), filled with ``values``.

    ``key`` is positional-only so that a text may itself have a ``{key}`` placeholder
    (``t("musiq.missing_instrument", key="x@1")``).
    """
    pair = _TEXTS.get(key)
    if pair is None:
        return key
    text = pair[0] if (lang or get_language()) == "da" else pair[1]
    return text.format(**values) if values else text
