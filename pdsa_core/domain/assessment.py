"""Context assessments such as MUSIQ: one rating (or "not applicable") per factor."""

from __future__ import annotations

from dataclasses import dataclass, field

from pdsa_core.domain.common import optional_text, parse_date, require_text
from pdsa_core.domain.record import Record
from pdsa_core.errors import ValidationError


@dataclass(frozen=True)
class Rating(Record):
    factor: str
    value: int | None = None
    """None means "don't know / not applicable"."""
    note: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "factor", require_text(self.factor, field="factor id", max_length=80))
        if self.value is not None:
            if isinstance(self.value, bool) or not isinstance(self.value, int | float):
                raise ValidationError(
                    f"rating of {self.factor} must be a whole number, got {self.value!r}",
                    da=f"scoren for {self.factor} skal være et helt tal, ikke {self.value!r}",
                )
            if self.value != int(self.value):
                raise ValidationError(
                    f"rating of {self.factor} must be a whole number, got {self.value!r}",
                    da=f"scoren for {self.factor} skal være et helt tal, ikke {self.value!r}",
                )
            object.__setattr__(self, "value", int(self.value))
        object.__setattr__(self, "note", optional_text(self.note, field="note"))


@dataclass(frozen=True)
class Assessment(Record):
    id: str
    team_id: str
    instrument: str
    instrument_version: str
    date: str
    setting: str = ""
    participants: list[str] = field(default_factory=list)
    ratings: list[Rating] = field(default_factory=list)
    note: str = ""
    created_at: str = ""

    nested = {"ratings": Rating}

    def __post_init__(self) -> None:
        object.__setattr__(self, "date", parse_date(self.date, field="assessment date"))
        object.__setattr__(self, "instrument", require_text(self.instrument, field="instrument"))
        object.__setattr__(self, "setting", optional_text(self.setting, field="setting"))
        factors = [r.factor for r in self.ratings]
        dupes = sorted({f for f in factors if factors.count(f) > 1})
        if dupes:
            raise ValidationError(
                f"factor {', '.join(dupes)} is rated twice",
                da=f"faktor {', '.join(dupes)} har fået en score to gange",
            )

    def rating(self, factor: str) -> Rating | None:
        return next((r for r in self.ratings if r.factor == factor), None)
