"""Indicators: what a team measures each month, and how to read it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar, Self

from pdsa_core.domain.common import (
    finite_number,
    optional_text,
    parse_date,
    parse_enum,
    parse_period,
    period_index,
    reading_stored,
    require_text,
)
from pdsa_core.domain.record import Record
from pdsa_core.errors import ValidationError


class IndicatorKind(StrEnum):
    RESULT = "result"
    PROCESS = "process"
    FOLLOW = "follow"
    BALANCING = "balancing"


class Unit(StrEnum):
    COUNT = "count"
    PROPORTION = "proportion"
    RATE = "rate"


class Direction(StrEnum):
    DOWN = "down"
    UP = "up"
    TARGET = "target"
    NONE = "none"


class Frequency(StrEnum):
    MONTHLY = "monthly"


_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_.\-]{0,31}$")

#: chart used when the indicator does not name one (qicharts2 chart names)
DEFAULT_CHART = {Unit.COUNT: "run", Unit.PROPORTION: "run", Unit.RATE: "run"}


def parse_code(value: object) -> str:
    text = str(value).strip()
    if not _CODE.match(text):
        raise ValidationError(
            "indicator id must start with a letter and hold only letters, digits, '.', '-' "
            f"or '_' (at most 32), e.g. R1 or BU2; got {value!r}",
            da="indikatorens id skal begynde med et bogstav og må kun have bogstaver, cifre, '.', '-' "
            f"og '_' (højst 32), fx R1 eller BU2; ikke {value!r}",
        )
    return text


@dataclass(frozen=True)
class Target(Record):
    value: float
    date: str = ""
    relative: bool = False
    """True when ``value`` is a relative change from the baseline (-0.10 is -10 %)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", finite_number(self.value, field="target value"))
        if self.date:
            object.__setattr__(self, "date", parse_date(self.date, field="target date"))


@dataclass(frozen=True)
class Indicator(Record):
    """A team's own instance of an indicator definition (e.g. R1 from the LKT Tvang set)."""

    team_id: str
    code: str
    name_da: str
    name_en: str = ""
    kind: IndicatorKind = IndicatorKind.RESULT
    unit: Unit = Unit.COUNT
    direction: Direction = Direction.DOWN
    target: Target | None = None
    baseline_start: str = ""
    baseline_end: str = ""
    frequency: Frequency = Frequency.MONTHLY
    population: str = ""
    data_source: str = ""
    description: str = ""
    chart: str = ""
    rules: str = "anhoej"
    multiply: float = 1.0
    voluntary: bool = False
    indicator_set: str = ""
    rev: int = 0

    nested = {"target": Target}

    #: what was wrong with the stored indicator and left out on reading it (an impossible
    #: target that an older version stored); empty for a sound one
    problem: ClassVar[str] = ""
    problem_da: ClassVar[str] = ""

    @classmethod
    def _from_dict(cls, data: dict[str, Any]) -> Self:
        """A stored target that is not a finite number does not make the indicator unreadable:
        it is left out and named in :attr:`problem`, so ``indicator update`` can set a new one."""
        target = data.get("target") if isinstance(data, dict) else None
        if target is not None and reading_stored():
            try:
                Target.from_dict(target)
            except ValidationError as exc:
                indicator = super()._from_dict({**data, "target": None})
                code = indicator.code
                object.__setattr__(
                    indicator,
                    "problem",
                    f"{code}: the stored target is left out ({exc.message}); "
                    f"set a new one with: pdsa indicator update {code} --team {indicator.team_id} --target …",
                )
                object.__setattr__(
                    indicator,
                    "problem_da",
                    f"{code}: det gemte mål er udeladt ({exc.message_da or exc.message}); "
                    f"sæt et nyt med: pdsa indicator update {code} --team {indicator.team_id} --target …",
                )
                return indicator
        return super()._from_dict(data)

    def __post_init__(self) -> None:
        object.__setattr__(self, "code", parse_code(self.code))
        object.__setattr__(
            self, "name_da", require_text(self.name_da, field="indicator name", single_line=True)
        )
        object.__setattr__(
            self, "name_en", optional_text(self.name_en, field="English name", single_line=True)
        )
        object.__setattr__(self, "kind", parse_enum(IndicatorKind, self.kind, field="kind"))
        object.__setattr__(self, "unit", parse_enum(Unit, self.unit, field="unit"))
        object.__setattr__(self, "direction", parse_enum(Direction, self.direction, field="direction"))
        object.__setattr__(self, "frequency", parse_enum(Frequency, self.frequency, field="frequency"))
        if self.baseline_start or self.baseline_end:
            if not (self.baseline_start and self.baseline_end):
                raise ValidationError(
                    "a baseline needs both a first and a last month",
                    da="en baseline kræver både en første og en sidste måned",
                )
            start = parse_period(self.baseline_start, field="baseline start")
            end = parse_period(self.baseline_end, field="baseline end")
            if period_index(end) < period_index(start):
                raise ValidationError(
                    f"baseline ends ({end}) before it starts ({start})",
                    da=f"baselinen slutter ({end}), før den begynder ({start})",
                )
            object.__setattr__(self, "baseline_start", start)
            object.__setattr__(self, "baseline_end", end)
        multiply = finite_number(self.multiply, field="multiply")
        if multiply <= 0:
            raise ValidationError(
                f"multiply must be positive, got {multiply}",
                da=f"multiplikatoren (multiply) skal være større end 0, ikke {multiply}",
            )
        object.__setattr__(self, "multiply", multiply)
        for name in ("population", "data_source", "description", "chart", "rules"):
            object.__setattr__(self, name, optional_text(getattr(self, name), field=name))

    def name(self, lang: str = "da") -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_da

    @property
    def chart_type(self) -> str:
        return self.chart or DEFAULT_CHART[self.unit]


@dataclass(frozen=True)
class IndicatorDefinition(Record):
    """An indicator in an indicator set, before a team takes it on (no team id)."""

    code: str
    name_da: str
    name_en: str = ""
    kind: IndicatorKind = IndicatorKind.RESULT
    unit: Unit = Unit.COUNT
    direction: Direction = Direction.DOWN
    target: Target | None = None
    baseline_start: str = ""
    baseline_end: str = ""
    population: str = ""
    data_source: str = ""
    description: str = ""
    chart: str = ""
    voluntary: bool = False

    nested = {"target": Target}

    def __post_init__(self) -> None:
        # Validate by building the team instance it would become.
        self.for_team("validation")

    def for_team(self, team_id: str, indicator_set: str = "") -> Indicator:
        data = self.to_dict()
        return Indicator.from_dict({**data, "team_id": team_id, "indicator_set": indicator_set})


@dataclass(frozen=True)
class IndicatorSet(Record):
    """A named set of indicator definitions, such as LKT Tvang's for voksenspor."""

    id: str
    name_da: str
    name_en: str = ""
    description: str = ""
    indicators: list[IndicatorDefinition] = field(default_factory=list)

    nested = {"indicators": IndicatorDefinition}

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", require_text(self.id, field="indicator set id", max_length=80))
        object.__setattr__(self, "name_da", require_text(self.name_da, field="indicator set name"))
        codes = [d.code for d in self.indicators]
        dupes = sorted({c for c in codes if codes.count(c) > 1})
        if dupes:
            raise ValidationError(
                f"indicator set {self.id} names {', '.join(dupes)} twice",
                da=f"indikatorsættet {self.id} nævner {', '.join(dupes)} to gange",
            )
