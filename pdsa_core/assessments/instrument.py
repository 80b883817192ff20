"""An assessment instrument (such as MUSIQ) as data: levels, factors, scale and scoring.

An instrument is plain data so that a plugin can ship one as a JSON file
(:func:`load_instrument`) and register it through the ``register_instruments`` hook.
Its registry key is ``id@version`` (e.g. ``musiq@1.0-equal-weights``); every stored
assessment carries the id and the version it was made with, and totals are only ever
compared between assessments made with the same key.

Every text a user sees has a Danish and an English form (:class:`LocalText`).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from pdsa_core.domain.common import parse_enum
from pdsa_core.domain.record import Record
from pdsa_core.errors import ValidationError
from pdsa_core.i18n import get_language

_INSTRUMENT_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,59}$")
_VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.+-]{0,59}$")
_FACTOR_ID = re.compile(r"^[a-z][a-z0-9_]{0,79}$")


@dataclass(frozen=True)
class LocalText(Record):
    """A text in Danish and English. In JSON: ``{"da": "...", "en": "..."}``."""

    da: str
    en: str

    def __post_init__(self) -> None:
        for lang in ("da", "en"):
            value = getattr(self, lang)
            if not isinstance(value, str):
                raise ValidationError(f"the {lang} text must be text, got {type(value).__name__}")
            object.__setattr__(self, lang, value.strip())

    def get(self, lang: str | None = None) -> str:
        """The text in ``lang`` (default: the current language); the other one if it is empty."""
        first, second = (self.da, self.en) if (lang or get_language()) == "da" else (self.en, self.da)
        return first or second

    def __str__(self) -> str:
        return self.get()

    @classmethod
    def parse(cls, value: Any, *, what: str, required: bool = True) -> LocalText:
        if isinstance(value, LocalText):
            text = value
        elif isinstance(value, dict):
            unknown = sorted(set(value) - {"da", "en"})
            if unknown:
                raise ValidationError(f"{what}: unknown language {', '.join(unknown)} (use da and en)")
            text = cls(da=value.get("da", ""), en=value.get("en", ""))
        elif value is None and not required:
            text = cls(da="", en="")
        else:
            raise ValidationError(f'{what} must have a Danish and an English text: {{"da": ..., "en": ...}}')
        if required and not (text.da and text.en):
            missing = "Danish" if not text.da else "English"
            raise ValidationError(f"{what} lacks the {missing} text")
        return text


@dataclass(frozen=True)
class Level:
    """A level of the system a factor belongs to (MUSIQ: external environment ... QI team)."""

    id: str
    name: LocalText
    description: LocalText = field(default_factory=lambda: LocalText("", ""))

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not _FACTOR_ID.match(self.id):
            raise ValidationError(f"level id must be snake_case letters, digits and _, got {self.id!r}")
        object.__setattr__(self, "name", LocalText.parse(self.name, what=f"level {self.id}: name"))
        object.__setattr__(
            self,
            "description",
            LocalText.parse(self.description, what=f"level {self.id}: description", required=False),
        )

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "name": self.name.to_dict()}
        if self.description.da or self.description.en:
            data["description"] = self.description.to_dict()
        return data


@dataclass(frozen=True)
class Factor:
    """One context factor: rated on the instrument's scale, or "don't know / not applicable"."""

    id: str
    level: str
    label: LocalText
    low: LocalText
    """What a low rating means (the context is unsupportive)."""
    high: LocalText
    """What a high rating means (the context is supportive)."""
    weight: float
    changeable: bool
    """Whether the team can realistically change this factor during its project."""
    uncertain: bool = False
    """The factor's place in the published model could not be confirmed (see the notes)."""

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not _FACTOR_ID.match(self.id):
            raise ValidationError(
                f"factor id must be snake_case (lower-case letters, digits and _), got {self.id!r}"
            )
        for name in ("label", "low", "high"):
            value = LocalText.parse(getattr(self, name), what=f"factor {self.id}: {name}")
            object.__setattr__(self, name, value)
        weight = self.weight
        if isinstance(weight, bool) or not isinstance(weight, int | float) or not math.isfinite(weight):
            raise ValidationError(f"factor {self.id}: weight must be a number, got {weight!r}")
        if weight <= 0:
            raise ValidationError(f"factor {self.id}: weight must be above 0, got {weight!r}")
        object.__setattr__(self, "weight", float(weight))
        for name in ("changeable", "uncertain"):
            if not isinstance(getattr(self, name), bool):
                raise ValidationError(f"factor {self.id}: {name} must be true or false")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "level": self.level,
            "label": self.label.to_dict(),
            "low": self.low.to_dict(),
            "high": self.high.to_dict(),
            "weight": self.weight,
            "changeable": self.changeable,
            "uncertain": self.uncertain,
        }


@dataclass(frozen=True)
class ScaleAnchor:
    """A labelled point of the scale (MUSIQ labels 1, 4 and 7)."""

    value: int
    label: LocalText

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "label": self.label.to_dict()}


@dataclass(frozen=True)
class Scale:
    """Whole-number ratings from ``min`` to ``max``; optionally "don't know / not applicable"."""

    min: int
    max: int
    anchors: tuple[ScaleAnchor, ...] = ()
    allow_not_applicable: bool = True
    not_applicable_label: LocalText = field(
        default_factory=lambda: LocalText("Ved ikke / ikke relevant", "Don't know / not applicable")
    )

    def __post_init__(self) -> None:
        for name in ("min", "max"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValidationError(f"scale {name} must be a whole number, got {value!r}")
        if self.min >= self.max:
            raise ValidationError(f"scale min ({self.min}) must be below max ({self.max})")
        if self.max - self.min > 99:
            raise ValidationError(f"scale {self.min}–{self.max} is too wide (at most 100 points)")
        anchors = []
        for raw in self.anchors:
            anchor = raw if isinstance(raw, ScaleAnchor) else _anchor_from(raw)
            if isinstance(anchor.value, bool) or not isinstance(anchor.value, int):
                raise ValidationError(f"scale label value must be a whole number, got {anchor.value!r}")
            if not self.min <= anchor.value <= self.max:
                raise ValidationError(f"scale label for {anchor.value} is outside {self.min}–{self.max}")
            anchors.append(anchor)
        values = [a.value for a in anchors]
        if len(values) != len(set(values)):
            raise ValidationError("scale labels: a value is labelled twice")
        object.__setattr__(self, "anchors", tuple(sorted(anchors, key=lambda a: a.value)))
        if not isinstance(self.allow_not_applicable, bool):
            raise ValidationError("scale allow_not_applicable must be true or false")
        object.__setattr__(
            self,
            "not_applicable_label",
            LocalText.parse(self.not_applicable_label, what="scale not_applicable_label"),
        )

    @property
    def midpoint(self) -> float:
        return (self.min + self.max) / 2

    def contains(self, value: int) -> bool:
        return self.min <= value <= self.max

    def anchor(self, value: int) -> LocalText | None:
        return next((a.label for a in self.anchors if a.value == value), None)

    def describe(self, lang: str | None = None) -> str:
        """ "1 = Totally disagree, 4 = Neutral, 7 = Totally agree"."""
        return ", ".join(f"{a.value} = {a.label.get(lang)}" for a in self.anchors)

    def to_dict(self) -> dict[str, Any]:
        return {
            "min": self.min,
            "max": self.max,
            "anchors": [a.to_dict() for a in self.anchors],
            "allow_not_applicable": self.allow_not_applicable,
            "not_applicable_label": self.not_applicable_label.to_dict(),
        }


def _anchor_from(data: Any) -> ScaleAnchor:
    if not isinstance(data, dict) or "value" not in data or "label" not in data:
        raise ValidationError('a scale label is written {"value": 1, "label": {"da": ..., "en": ...}}')
    value = data["value"]
    return ScaleAnchor(value=value, label=LocalText.parse(data["label"], what=f"scale label for {value}"))


class ScoreMethod(StrEnum):
    WEIGHTED_SUM = "weighted_sum"
    """Sum of weight × rating over the rated factors (not-applicable factors add nothing)."""
    WEIGHTED_MEAN = "weighted_mean"
    """Sum of weight × rating divided by the sum of the weights of the rated factors."""


@dataclass(frozen=True)
class Scoring:
    """How a level's score and the total are formed from the factor ratings."""

    method: ScoreMethod = ScoreMethod.WEIGHTED_SUM
    description: LocalText = field(default_factory=lambda: LocalText("", ""))

    def __post_init__(self) -> None:
        object.__setattr__(self, "method", parse_enum(ScoreMethod, self.method, field="scoring method"))
        object.__setattr__(
            self, "description", LocalText.parse(self.description, what="scoring description", required=False)
        )

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method.value, "description": self.description.to_dict()}


@dataclass(frozen=True)
class Instrument:
    """A versioned assessment instrument. ``key`` (``id@version``) names it in the registry."""

    id: str
    version: str
    name: LocalText
    levels: tuple[Level, ...]
    factors: tuple[Factor, ...]
    scale: Scale
    scoring: Scoring = field(default_factory=Scoring)
    weights_source: LocalText = field(default_factory=lambda: LocalText("", ""))
    """Where the weights come from; shown wherever a score is shown."""
    weights_official: bool = False
    """True only if the weights are the instrument's confirmed official ones."""
    source: LocalText = field(default_factory=lambda: LocalText("", ""))
    """Where the levels and factors come from (a reference)."""
    notes: LocalText = field(default_factory=lambda: LocalText("", ""))

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not _INSTRUMENT_ID.match(self.id):
            raise ValidationError(
                f"instrument id must be lower-case letters, digits, '.', '_' or '-', got {self.id!r}"
            )
        if not isinstance(self.version, str) or not _VERSION.match(self.version):
            raise ValidationError(
                f"instrument {self.id}: version must be letters, digits, '.', '_', '+' or '-' "
                f"(no spaces, no '@'), got {self.version!r}"
            )
        where = f"instrument {self.id}@{self.version}"
        object.__setattr__(self, "name", LocalText.parse(self.name, what=f"{where}: name"))
        for name in ("weights_source", "source", "notes"):
            value = LocalText.parse(getattr(self, name), what=f"{where}: {name}", required=False)
            object.__setattr__(self, name, value)
        if not isinstance(self.weights_official, bool):
            raise ValidationError(f"{where}: weights_official must be true or false")
        if not (self.weights_source.da and self.weights_source.en):
            raise ValidationError(
                f"{where}: weights_source must say, in Danish and English, where the weights come from"
            )
        levels = tuple(self.levels)
        factors = tuple(self.factors)
        if not levels:
            raise ValidationError(f"{where} has no levels")
        if not factors:
            raise ValidationError(f"{where} has no factors")
        for kind, items in (("level", levels), ("factor", factors)):
            ids = [item.id for item in items]
            twice = sorted({i for i in ids if ids.count(i) > 1})
            if twice:
                raise ValidationError(f"{where}: {kind} {', '.join(twice)} is defined twice")
        level_ids = {level.id for level in levels}
        for factor in factors:
            if factor.level not in level_ids:
                raise ValidationError(
                    f"{where}: factor {factor.id} belongs to unknown level {factor.level!r} "
                    f"(levels: {', '.join(sorted(level_ids))})"
                )
        empty = [level.id for level in levels if not any(f.level == level.id for f in factors)]
        if empty:
            raise ValidationError(f"{where}: level {', '.join(empty)} has no factors")
        object.__setattr__(self, "levels", levels)
        object.__setattr__(self, "factors", factors)
        if not isinstance(self.scale, Scale):
            raise ValidationError(f"{where}: scale must be a Scale")
        if not isinstance(self.scoring, Scoring):
            raise ValidationError(f"{where}: scoring must be a Scoring")

    # -- lookups --------------------------------------------------------------------------------
    @property
    def key(self) -> str:
        return f"{self.id}@{self.version}"

    def factor(self, factor_id: str) -> Factor | None:
        return next((f for f in self.factors if f.id == factor_id), None)

    def level(self, level_id: str) -> Level | None:
        return next((lv for lv in self.levels if lv.id == level_id), None)

    def factors_of(self, level_id: str) -> list[Factor]:
        return [f for f in self.factors if f.level == level_id]

    def by_level(self) -> Iterator[tuple[Level, list[Factor]]]:
        for level in self.levels:
            yield level, self.factors_of(level.id)

    @property
    def factor_ids(self) -> list[str]:
        return [f.id for f in self.factors]

    def score_title(self, lang: str | None = None) -> str:
        """The name under which scores are shown; never "official" unless the weights are."""
        from pdsa_core.i18n import t

        name = self.name.get(lang)
        if self.weights_official:
            return name
        return t("musiq.unofficial_title", lang=lang, name=name)

    # -- serialisation ----------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "name": self.name.to_dict(),
            "source": self.source.to_dict(),
            "weights_source": self.weights_source.to_dict(),
            "weights_official": self.weights_official,
            "notes": self.notes.to_dict(),
            "scale": self.scale.to_dict(),
            "scoring": self.scoring.to_dict(),
            "levels": [level.to_dict() for level in self.levels],
            "factors": [factor.to_dict() for factor in self.factors],
        }

    @classmethod
    def from_dict(cls, data: Any) -> Instrument:
        """Build and validate an instrument from plain data (a parsed JSON file)."""
        if not isinstance(data, dict):
            raise ValidationError(f"an instrument must be an object, got {type(data).__name__}")
        known = {
            "id",
            "version",
            "name",
            "source",
            "weights_source",
            "weights_official",
            "notes",
            "scale",
            "scoring",
            "levels",
            "factors",
            "$schema",
        }
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValidationError(f"instrument: unknown field {', '.join(unknown)}")
        missing = [k for k in ("id", "version", "name", "scale", "levels", "factors") if k not in data]
        if missing:
            raise ValidationError(f"instrument: missing field {', '.join(missing)}")
        where = f"instrument {data.get('id')}@{data.get('version')}"
        levels = [
            _level_from(item, i, where) for i, item in enumerate(_list(data["levels"], "levels", where))
        ]
        factors = [
            _factor_from(item, i, where) for i, item in enumerate(_list(data["factors"], "factors", where))
        ]
        scale_data = data["scale"]
        if not isinstance(scale_data, dict):
            raise ValidationError(f"{where}: scale must be an object with min, max and anchors")
        _no_unknown(
            scale_data, {"min", "max", "anchors", "allow_not_applicable", "not_applicable_label"}, where
        )
        scale_kwargs: dict[str, Any] = {
            "min": scale_data.get("min"),
            "max": scale_data.get("max"),
            "anchors": tuple(_anchor_from(a) for a in _list(scale_data.get("anchors", []), "anchors", where)),
            "allow_not_applicable": scale_data.get("allow_not_applicable", True),
        }
        if "not_applicable_label" in scale_data:
            scale_kwargs["not_applicable_label"] = LocalText.parse(
                scale_data["not_applicable_label"], what=f"{where}: scale not_applicable_label"
            )
        scoring_data = data.get("scoring", {})
        if not isinstance(scoring_data, dict):
            raise ValidationError(f"{where}: scoring must be an object with method and description")
        _no_unknown(scoring_data, {"method", "description"}, where)
        return cls(
            id=data["id"],
            version=data["version"],
            name=LocalText.parse(data["name"], what=f"{where}: name"),
            source=LocalText.parse(data.get("source"), what=f"{where}: source", required=False),
            weights_source=LocalText.parse(
                data.get("weights_source"), what=f"{where}: weights_source", required=False
            ),
            weights_official=data.get("weights_official", False),
            notes=LocalText.parse(data.get("notes"), what=f"{where}: notes", required=False),
            scale=Scale(**scale_kwargs),
            scoring=Scoring(
                method=scoring_data.get("method", ScoreMethod.WEIGHTED_SUM.value),
                description=LocalText.parse(
                    scoring_data.get("description"), what=f"{where}: scoring description", required=False
                ),
            ),
            levels=tuple(levels),
            factors=tuple(factors),
        )

    @classmethod
    def from_json(cls, text: str, *, where: str = "instrument file") -> Instrument:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValidationError(f"not valid JSON: {exc.msg} (line {exc.lineno})", where=where) from None
        try:
            return cls.from_dict(data)
        except ValidationError as exc:
            raise ValidationError(exc.message, where=where) from None


def load_instrument(path: str | Path) -> Instrument:
    """Read an instrument from a JSON file (what a plugin ships)."""
    path = Path(path)
    from pdsa_core.output_files import refuse_special_input

    refuse_special_input(path)  # a named pipe would be waited on for ever
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ValidationError(f"cannot read instrument file: {exc.strerror}", where=str(path)) from None
    return Instrument.from_json(text, where=str(path))


def _list(value: Any, name: str, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise ValidationError(f"{where}: {name} must be a list")
    return value


def _no_unknown(data: dict[str, Any], known: set[str], where: str) -> None:
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValidationError(f"{where}: unknown field {', '.join(unknown)}")


def _level_from(data: Any, index: int, where: str) -> Level:
    if not isinstance(data, dict):
        raise ValidationError(f"{where}: level {index + 1} must be an object")
    _no_unknown(data, {"id", "name", "description"}, f"{where}, level {data.get('id', index + 1)}")
    if "id" not in data or "name" not in data:
        raise ValidationError(f"{where}: level {index + 1} needs an id and a name")
    return Level(id=data["id"], name=data["name"], description=data.get("description"))  # type: ignore[arg-type]


def _factor_from(data: Any, index: int, where: str) -> Factor:
    if not isinstance(data, dict):
        raise ValidationError(f"{where}: factor {index + 1} must be an object")
    fields = ("id", "level", "label", "low", "high", "weight", "changeable")
    label = f"{where}, factor {data.get('id', index + 1)}"
    _no_unknown(data, {*fields, "uncertain"}, label)
    missing = [name for name in fields if name not in data]
    if missing:
        raise ValidationError(f"{label}: missing {', '.join(missing)}")
    return Factor(**{name: data[name] for name in fields}, uncertain=data.get("uncertain", False))
