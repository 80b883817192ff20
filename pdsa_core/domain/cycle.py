"""PDSA cycles with the fields of the IHI worksheet."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pdsa_core.domain.common import optional_text, parse_date, parse_enum, require_text
from pdsa_core.domain.record import Record
from pdsa_core.errors import ValidationError


class CycleStatus(StrEnum):
    PLANNED = "planned"
    DOING = "doing"
    STUDYING = "studying"
    ACTING = "acting"
    DONE = "done"
    ABANDONED = "abandoned"


class ActDecision(StrEnum):
    NONE = ""
    ADOPT = "adopt"
    ADAPT = "adapt"
    ABANDON = "abandon"


#: the order of the board's columns
BOARD_ORDER = [
    CycleStatus.PLANNED,
    CycleStatus.DOING,
    CycleStatus.STUDYING,
    CycleStatus.ACTING,
    CycleStatus.DONE,
    CycleStatus.ABANDONED,
]

#: status -> statuses it may move to
TRANSITIONS: dict[CycleStatus, frozenset[CycleStatus]] = {
    CycleStatus.PLANNED: frozenset({CycleStatus.DOING, CycleStatus.ABANDONED}),
    CycleStatus.DOING: frozenset({CycleStatus.STUDYING, CycleStatus.PLANNED, CycleStatus.ABANDONED}),
    CycleStatus.STUDYING: frozenset({CycleStatus.ACTING, CycleStatus.DOING, CycleStatus.ABANDONED}),
    CycleStatus.ACTING: frozenset({CycleStatus.DONE, CycleStatus.STUDYING, CycleStatus.ABANDONED}),
    CycleStatus.DONE: frozenset({CycleStatus.ACTING}),
    CycleStatus.ABANDONED: frozenset({CycleStatus.PLANNED}),
}

#: worksheet fields a user may edit directly (status and ids have their own functions)
WORKSHEET_FIELDS = (
    "title",
    "change_idea",
    "objective",
    "questions",
    "predictions",
    "plan_who",
    "plan_what",
    "plan_when",
    "plan_where",
    "data_to_collect",
    "do_observations",
    "study_results",
    "act_decision",
    "next_step",
    "owner",
    "start_date",
    "end_date",
    "indicators",
)


@dataclass(frozen=True)
class PdsaCycle(Record):
    id: str
    team_id: str
    title: str
    change_idea: str = ""
    """Id of the driver diagram's change idea this cycle tests."""
    objective: str = ""
    questions: str = ""
    predictions: str = ""
    plan_who: str = ""
    plan_what: str = ""
    plan_when: str = ""
    plan_where: str = ""
    data_to_collect: str = ""
    do_observations: str = ""
    study_results: str = ""
    act_decision: ActDecision = ActDecision.NONE
    next_step: str = ""
    status: CycleStatus = CycleStatus.PLANNED
    owner: str = ""
    start_date: str = ""
    end_date: str = ""
    follows: str = ""
    """Id of the cycle this one follows in a ramp."""
    indicators: tuple[str, ...] = ()
    created_at: str = ""
    updated_at: str = ""
    rev: int = 0
    edits: dict[str, Any] = field(default_factory=dict, hash=False)
    """Who changed each field last, when, in which ``rev`` (:mod:`pdsa_core.services.merge`)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "title", require_text(self.title, field="cycle title", max_length=300))
        for name in WORKSHEET_FIELDS:
            if name in ("title", "act_decision", "start_date", "end_date", "indicators"):
                continue
            object.__setattr__(self, name, optional_text(getattr(self, name), field=name))
        object.__setattr__(self, "status", parse_enum(CycleStatus, self.status, field="status"))
        decision = self.act_decision or ""
        object.__setattr__(self, "act_decision", parse_enum(ActDecision, decision, field="act decision"))
        for name in ("start_date", "end_date"):
            value = getattr(self, name)
            if value:
                object.__setattr__(self, name, parse_date(value, field=name.replace("_", " ")))
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                f"cycle ends ({self.end_date}) before it starts ({self.start_date})",
                da=f"PDSA-cirklen slutter ({self.end_date}), før den begynder ({self.start_date})",
            )
        object.__setattr__(self, "indicators", tuple(str(c) for c in self.indicators))

    def can_move_to(self, status: CycleStatus) -> bool:
        return status in TRANSITIONS[self.status]
