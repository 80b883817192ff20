"""The demo's story read from its data files: teams, diagrams, cycles, assessments, meetings.

``data/story.toml`` holds what the teams share (the story's clock, the overall aim, the
drivers of each track, shared annotations); ``data/teams/*.toml`` one file per team. The
indicator sets are ``data/lkt_tvang_indicator_sets.json``, a copy of the LKT Tvang plugin's
data file (the demo must not depend on the plugin; a test keeps the two equal). MUSIQ
ratings name the factors of the built-in instrument, which gives their order.

A mistake in a data file is a :class:`~pdsa_core.errors.ValidationError` naming the file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pdsa_core.assessments import Instrument, builtin_musiq
from pdsa_core.domain import IndicatorDefinition, IndicatorSet, Member
from pdsa_core.domain.driver import TemplateNode
from pdsa_core.errors import ValidationError
from pdsa_core.indicator_sets import load_indicator_sets

DATA = Path(__file__).resolve().parent / "data"
INDICATOR_SETS_FILE = DATA / "lkt_tvang_indicator_sets.json"
#: the order the teams are told in (each has data/teams/KEY.toml)
TEAM_KEYS = ("syd", "viborg", "aalborg", "aarhus")


@dataclass(frozen=True)
class CycleSpec:
    """A PDSA cycle of the story: planned on ``planned``, last edited on ``updated``."""

    key: str
    title: str
    idea: str
    status: str
    planned: str
    updated: str = ""
    start: str = ""
    end: str = ""
    owner: str = ""
    indicators: tuple[str, ...] = ()
    follows: str = ""
    plan: dict[str, str] = field(default_factory=dict)
    later: dict[str, str] = field(default_factory=dict)
    """Do, Study and Act fields, written on ``updated``."""


@dataclass(frozen=True)
class DiagramEdit:
    date: str
    action: str  # "add", "link" or "rename"
    node: str
    target: str = ""
    """Parent (add, link) or new text (rename)."""


@dataclass(frozen=True)
class AnnotationSpec:
    date: str
    text: str
    kind: str
    indicators: tuple[str, ...] = ()
    phase_split: bool = False


@dataclass(frozen=True)
class AssessmentSpec:
    date: str
    setting: str
    participants: tuple[str, ...]
    values: tuple[int | None, ...]
    """One rating per factor of the instrument, in its order (None = not rated)."""
    notes: dict[str, str] = field(default_factory=dict)
    note: str = ""


@dataclass(frozen=True)
class ActionSpec:
    text: str
    owner: str
    due: str
    done: str = ""


@dataclass(frozen=True)
class MeetingSpec:
    date: str
    attendees: tuple[str, ...]
    decisions: tuple[str, ...]
    actions: tuple[ActionSpec, ...]
    notes: str = ""


@dataclass(frozen=True)
class TeamSpec:
    key: str
    name: str
    short: str
    region: str
    track: str
    municipalities: tuple[str, ...]
    members: tuple[Member, ...]
    description: str
    indicator_set: str
    populations: dict[str, str]
    aim: str
    drivers: list[TemplateNode]
    edits: tuple[DiagramEdit, ...]
    cycles: tuple[CycleSpec, ...]
    annotations: tuple[AnnotationSpec, ...]
    data_actor: str
    history_date: str
    assessments: tuple[AssessmentSpec, ...] = ()
    meetings: tuple[MeetingSpec, ...] = ()


@dataclass(frozen=True)
class Story:
    now: str
    actor: str
    note: str
    default_team: str
    diagram_source: str
    timeline: dict[str, str]
    teams: tuple[TeamSpec, ...]
    instrument: Instrument


@cache
def load_story() -> Story:
    """The demo's story (read once)."""
    shared = _read(DATA / "story.toml")
    instrument = builtin_musiq()
    teams = tuple(_team(_read(DATA / "teams" / f"{key}.toml"), shared, instrument) for key in TEAM_KEYS)
    return Story(
        now=shared["now"],
        actor=shared["actor"],
        note=shared["note"],
        default_team=shared["default_team"],
        diagram_source=shared["diagram_source"],
        timeline=dict(shared["timeline"]),
        teams=teams,
        instrument=instrument,
    )


def demo_indicator_sets() -> dict[str, IndicatorSet]:
    """The LKT Tvang indicator sets by id (the demo's copy of the plugin's data file)."""
    return {s.id: s for s in load_indicator_sets(INDICATOR_SETS_FILE)}


def team_indicator_set(set_id: str, populations: dict[str, str]) -> IndicatorSet:
    """An indicator set with a team's own population definitions filled in."""
    base = demo_indicator_sets()[set_id]
    return base.replace(
        indicators=[
            IndicatorDefinition.from_dict({**d.to_dict(), "population": populations[d.code]})
            if d.code in populations
            else d
            for d in base.indicators
        ]
    )


# -- reading the files -------------------------------------------------------------------------------
def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValidationError(f"cannot read the demo's data: {exc}", where=str(path)) from None


def _team(data: dict[str, Any], shared: dict[str, Any], instrument: Instrument) -> TeamSpec:
    where = f"demo team {data.get('key', '?')}"
    try:
        track = shared["tracks"][data["track"]]
        populations = {code: group["text"] for group in data["populations"] for code in group["indicators"]}
        return TeamSpec(
            key=data["key"],
            name=data["name"],
            short=data["short"],
            region=data["region"],
            track=data["track"],
            municipalities=tuple(data["municipalities"]),
            members=tuple(
                Member(m["name"], m["role"], m.get("organisation", "")) for m in data["members"]
            ),
            description=f"{shared['synthetic_description']} {data['description']}",
            indicator_set=track["indicator_set"],
            populations=populations,
            aim=f"{shared['overall_aim']} {data['aim']}",
            drivers=_drivers(track["drivers"], shared["drivers"], data.get("ideas", {}), where),
            edits=tuple(DiagramEdit(**edit) for edit in data.get("edits", [])),
            cycles=tuple(_cycle(cycle) for cycle in data.get("cycles", [])),
            annotations=tuple(
                _annotation(shared["annotations"][a["shared"]] if "shared" in a else a)
                for a in data.get("annotations", [])
            ),
            data_actor=data["data_actor"],
            history_date=data["history_date"],
            assessments=tuple(_assessment(a, instrument, where) for a in data.get("assessments", [])),
            meetings=tuple(_meeting(m) for m in data.get("meetings", [])),
        )
    except (KeyError, TypeError) as exc:
        raise ValidationError(f"{where}: missing or wrong field {exc}") from None


def _drivers(
    primaries: list[str], drivers: dict[str, Any], ideas: dict[str, list[str]], where: str
) -> list[TemplateNode]:
    """The track's drivers with the team's change ideas under the secondary drivers they serve."""
    used: set[str] = set()
    nodes = []
    for key in primaries:
        primary = drivers[key]
        secondaries = []
        for secondary in primary["secondaries"]:
            ideas_key = secondary.get("ideas", secondary["text"])
            used.add(ideas_key)
            children = [TemplateNode(text=idea) for idea in ideas.get(ideas_key, [])]
            secondaries.append(TemplateNode(text=secondary["text"], children=children))
        description = primary.get("description", "")
        nodes.append(TemplateNode(text=primary["text"], description=description, children=secondaries))
    unknown = sorted(set(ideas) - used)
    if unknown:
        raise ValidationError(f"{where}: ideas under drivers the track does not have: {', '.join(unknown)}")
    return nodes


def _cycle(data: dict[str, Any]) -> CycleSpec:
    return CycleSpec(**{**data, "indicators": tuple(data.get("indicators", ()))})


def _annotation(data: dict[str, Any]) -> AnnotationSpec:
    return AnnotationSpec(**{**data, "indicators": tuple(data.get("indicators", ()))})


def _assessment(data: dict[str, Any], instrument: Instrument, where: str) -> AssessmentSpec:
    """Ratings by factor id; every factor of the instrument is rated or listed as not rated."""
    ratings: dict[str, int] = data["ratings"]
    not_rated = set(data.get("not_rated", []))
    factors = list(instrument.factor_ids)
    named = set(ratings) | not_rated | set(data.get("notes", {}))
    unknown = sorted(named - set(factors))
    missing = [f for f in factors if f not in ratings and f not in not_rated]
    if unknown or missing or set(ratings) & not_rated:
        raise ValidationError(
            f"{where}, assessment {data['date']}: rate each factor of {instrument.id} once or list it "
            f"under not_rated (unknown: {', '.join(unknown) or 'none'}; "
            f"missing: {', '.join(missing) or 'none'})"
        )
    return AssessmentSpec(
        date=data["date"],
        setting=data["setting"],
        participants=tuple(data["participants"]),
        values=tuple(ratings.get(factor) for factor in factors),
        notes=dict(data.get("notes", {})),
        note=data.get("note", ""),
    )


def _meeting(data: dict[str, Any]) -> MeetingSpec:
    return MeetingSpec(
        date=data["date"],
        attendees=tuple(data["attendees"]),
        decisions=tuple(data["decisions"]),
        actions=tuple(ActionSpec(**action) for action in data.get("actions", [])),
        notes=data.get("notes", ""),
    )
