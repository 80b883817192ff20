"""A meeting's agenda as stored with the meeting: its items, in Danish and English.

Plain records with no I/O; :func:`pdsa_core.meetings.agenda.build_agenda` makes one from
what the workspace knows when a meeting starts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pdsa_core.errors import ValidationError

#: the kinds of agenda item, in the order the agenda lists them
ITEM_KINDS = ("action", "signal", "cycle", "missing_data", "musiq")

SECTION_TITLES = {
    "action": ("Opfølgning på handlinger", "Follow-up on actions"),
    "signal": ("Signaler i data", "Signals in the data"),
    "cycle": ("PDSA-cirkler klar til Study eller Act", "PDSA cycles due for Study or Act"),
    "missing_data": ("Manglende data", "Missing data"),
    "musiq": ("MUSIQ-score", "MUSIQ score"),
}


@dataclass(frozen=True)
class AgendaItem:
    """One point on the agenda. ``id`` is stable (``signal:R1``, ``cycle:<id>``, ...)."""

    id: str
    kind: str
    title_da: str
    title_en: str
    detail_da: str = ""
    detail_en: str = ""
    urgent: bool = False
    refs: dict[str, Any] = field(default_factory=dict)

    def title(self, lang: str = "da") -> str:
        return self.title_da if lang == "da" else self.title_en

    def detail(self, lang: str = "da") -> str:
        return self.detail_da if lang == "da" else self.detail_en

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "title_da": self.title_da,
            "title_en": self.title_en,
            "detail_da": self.detail_da,
            "detail_en": self.detail_en,
            "urgent": self.urgent,
            "refs": dict(self.refs),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AgendaItem:
        return cls(
            id=str(data["id"]),
            kind=str(data["kind"]),
            title_da=str(data.get("title_da", "")),
            title_en=str(data.get("title_en", "")),
            detail_da=str(data.get("detail_da", "")),
            detail_en=str(data.get("detail_en", "")),
            urgent=bool(data.get("urgent", False)),
            refs=dict(data.get("refs") or {}),
        )


@dataclass(frozen=True)
class Agenda:
    team_id: str
    team_name: str
    date: str
    since: str
    """Date of the previous meeting ("" when this is the team's first)."""
    items: list[AgendaItem] = field(default_factory=list)
    signalling: list[str] = field(default_factory=list)
    """Every indicator with a non-random verdict when the agenda was built (listed or not)."""
    built_at: str = ""
    """When the agenda was built (the workspace clock): data entered later is new data."""

    def of_kind(self, kind: str) -> list[AgendaItem]:
        return [i for i in self.items if i.kind == kind]

    def item(self, item_id: str) -> AgendaItem:
        for item in self.items:
            if item.id == item_id:
                return item
        known = ", ".join(i.id for i in self.items)
        raise ValidationError(
            f"the agenda has no item {item_id!r} (items: {known or 'none'})",
            da=f"dagsordenen har intet punkt {item_id!r} (punkter: {known or 'ingen'})",
        )

    def sections(self) -> list[tuple[str, list[AgendaItem]]]:
        """(kind, items) for each kind that has items, in agenda order."""
        return [(kind, self.of_kind(kind)) for kind in ITEM_KINDS if self.of_kind(kind)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "team_id": self.team_id,
            "team_name": self.team_name,
            "date": self.date,
            "since": self.since,
            "items": [i.to_dict() for i in self.items],
            "signalling": list(self.signalling),
            "built_at": self.built_at,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Agenda:
        return cls(
            team_id=str(data["team_id"]),
            team_name=str(data.get("team_name", "")),
            date=str(data["date"]),
            since=str(data.get("since", "")),
            items=[AgendaItem.from_dict(i) for i in data.get("items", [])],
            signalling=[str(c) for c in data.get("signalling", [])],
            built_at=str(data.get("built_at", "")),
        )


def section_title(kind: str, lang: str = "da") -> str:
    da, en = SECTION_TITLES[kind]
    return da if lang == "da" else en
