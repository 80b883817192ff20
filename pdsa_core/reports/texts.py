"""What the team writes for its reports: barriers, the overall assessment, progress, lessons learnt.

Texts are stored per team and per report period (``2022-01..2022-09``); a text stored
without a period applies to every period that has none of its own (the storyboard's
lessons learnt are usually written once). They live in the workspace's settings table under
``report_texts:<team id>`` and are changed in one transaction, so two people writing
different texts at once do not overwrite each other. A text that holds something shaped
like a CPR number is refused.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pdsa_core.domain.common import optional_text, parse_period, period_index
from pdsa_core.errors import ValidationError

if TYPE_CHECKING:
    from pdsa_core.workspace import Workspace

#: the texts a team can write, with their headings
TEXT_FIELDS = {
    "progress": ("Fremdrift", "Progress"),
    "barriers": ("Barrierer", "Barriers"),
    "assessment": ("Samlet vurdering", "Overall assessment"),
    "lessons": ("Erfaringer", "Lessons learnt"),
}


def period_key(period_from: str = "", period_to: str = "") -> str:
    """``"2022-01..2022-09"`` for a period, ``""`` for texts that apply to every period."""
    if not period_from and not period_to:
        return ""
    if not (period_from and period_to):
        raise ValidationError("a report period needs both a first and a last month (--from and --to)")
    start = parse_period(period_from, field="first month")
    end = parse_period(period_to, field="last month")
    if period_index(end) < period_index(start):
        raise ValidationError(f"the report period ends ({end}) before it starts ({start})")
    return f"{start}..{end}"


def _check_field(name: str) -> str:
    if name not in TEXT_FIELDS:
        raise ValidationError(f"report text must be one of {', '.join(TEXT_FIELDS)}; got {name!r}")
    return name


def set_report_text(
    ws: Workspace, team_ref: str, field: str, text: str, *, period_from: str = "", period_to: str = ""
) -> dict[str, str]:
    """Store (or, with empty text, remove) one report text; returns the texts of that period."""
    from pdsa_core.extension_types import refuse_person_identifier

    team = ws.team(team_ref)
    name = _check_field(field)
    key = period_key(period_from, period_to)
    value = optional_text(text, field=TEXT_FIELDS[name][1].lower())
    refuse_person_identifier(value, where=f"the {TEXT_FIELDS[name][1].lower()} text")
    with ws.transaction() as tx:
        doc = dict(tx.get("settings", f"report_texts:{team.id}") or {})
        texts = {k: dict(v) for k, v in (doc.get("texts") or {}).items()}
        period = texts.setdefault(key, {})
        if value:
            period[name] = value
        else:
            period.pop(name, None)
        if not period:
            texts.pop(key, None)
        tx.put("settings", f"report_texts:{team.id}", {"team_id": team.id, "texts": texts})
    return dict(texts.get(key, {}))


def report_texts(
    ws: Workspace, team_ref: str, *, period_from: str = "", period_to: str = ""
) -> dict[str, str]:
    """The texts for a period: its own, else the ones written for every period."""
    team = ws.team(team_ref)
    key = period_key(period_from, period_to)
    stored = ws.snapshot().table("settings").get(f"report_texts:{team.id}") or {}
    texts = stored.get("texts") or {}
    return {**dict(texts.get("", {})), **dict(texts.get(key, {}))}


def all_report_texts(ws: Workspace, team_ref: str) -> dict[str, dict[str, str]]:
    """Every stored text of the team: {period key ("" = every period): {field: text}}."""
    team = ws.team(team_ref)
    stored = ws.snapshot().table("settings").get(f"report_texts:{team.id}") or {}
    return {k: dict(v) for k, v in sorted((stored.get("texts") or {}).items())}


def latest_text(ws: Workspace, team_ref: str, field: str, until: str | None = None) -> str:
    """A text from the most recent period that has it (for the storyboard), else the general one.

    ``until`` (``YYYY-MM``): only periods that end by then (the storyboard of a period shows
    what the team had written by its end).
    """
    name = _check_field(field)
    texts = all_report_texts(ws, team_ref)
    periods = [k for k in texts if k and (until is None or k.split("..")[1] <= until)]
    for key in sorted(periods, key=lambda k: k.split("..")[1], reverse=True):
        if texts[key].get(name):
            return texts[key][name]
    return texts.get("", {}).get(name, "")
