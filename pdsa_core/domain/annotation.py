"""Annotations: dated notes shown on charts (a law change, a new IT system, a PDSA start)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from pdsa_core.domain.common import parse_date, parse_enum, require_text
from pdsa_core.domain.record import Record


class AnnotationKind(StrEnum):
    PDSA_START = "pdsa start"
    PDSA_END = "pdsa end"
    LAW_CHANGE = "law change"
    IT_SYSTEM_CHANGE = "it system change"
    DATA_DEFINITION_CHANGE = "data definition change"
    ASSESSMENT = "assessment"
    OTHER = "other"


#: kinds that usually start a new phase on a chart (a level shift is expected)
PHASE_KINDS = frozenset(
    {AnnotationKind.LAW_CHANGE, AnnotationKind.IT_SYSTEM_CHANGE, AnnotationKind.DATA_DEFINITION_CHANGE}
)


@dataclass(frozen=True)
class Annotation(Record):
    """A dated note for a team. Empty ``indicators`` means it applies to all of them."""

    id: str
    team_id: str
    date: str
    text: str
    kind: AnnotationKind = AnnotationKind.OTHER
    indicators: list[str] = field(default_factory=list)
    phase_split: bool = False
    created_at: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "date", parse_date(self.date, field="annotation date"))
        object.__setattr__(self, "text", require_text(self.text, field="annotation text", max_length=500))
        object.__setattr__(self, "kind", parse_enum(AnnotationKind, self.kind, field="annotation kind"))
        object.__setattr__(self, "indicators", [str(c) for c in self.indicators])

    @property
    def period(self) -> str:
        return self.date[:7]

    def applies_to(self, indicator: str) -> bool:
        return not self.indicators or indicator in self.indicators
