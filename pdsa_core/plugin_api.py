"""The objects a plugin receives from pdsa, as types a plugin author (and a type checker) can read.

- :class:`Register`: the ``register`` callback every ``register_*`` hook gets; call it once
  per item, with the pdsa type of that hook (``Register[IndicatorSet]`` ...).
- :class:`WorkspaceView`: what a plugin may read of an open workspace (``on_event``'s
  ``workspace``, ``ReportContext.workspace``, ``app.workspace()`` in a plugin command).
  The real workspace has more methods (every user action); a plugin that reads through
  this protocol keeps working across pdsa's minor versions.
- The events ``on_event`` receives as ``change``: one frozen dataclass per event, with the
  same fields as the event's ``payload`` dict (which plugins written before these types
  still get).
- :class:`NamedPopulation`: a population with its id and description, so that
  ``register_populations`` has the same ``register(item)`` shape as every other hook.

This module imports only the domain records; it is safe to import from a plugin at any time.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar, runtime_checkable

from pdsa_core.domain import (
    Annotation,
    Assessment,
    DriverDiagram,
    Indicator,
    Measurement,
    Meeting,
    PdsaCycle,
    Team,
)
from pdsa_core.errors import ValidationError

if TYPE_CHECKING:
    from pdsa_core.importing.events import Population

T_contra = TypeVar("T_contra", contravariant=True)


class Register(Protocol[T_contra]):
    """The ``register`` argument of a ``register_*`` hook: ``register(item)`` once per item.

    pdsa checks the item and keeps its own copy; a refused item is reported under the
    plugin's name (``pdsa plugins list``), and the call returns normally either way.
    """

    def __call__(self, item: T_contra, /) -> None: ...


@runtime_checkable
class WorkspaceView(Protocol):
    """The read-only view of a workspace that a plugin may rely on.

    ``team_ref`` is a team's id or name (case-insensitive, a unique prefix of the name also
    works); ``code`` an indicator's code. A name that is not found raises ``NotFoundError``.
    Every list is a new list: changing it changes nothing in the workspace.
    """

    @property
    def location(self) -> str:
        """Where the workspace is: a file path or a database URL (without a password)."""
        ...

    def teams(self) -> list[Team]:
        """Every team, sorted by name."""
        ...

    def team(self, ref: str) -> Team:
        """One team by id or name."""
        ...

    def indicators(self, team_ref: str) -> list[Indicator]:
        """A team's indicators, in code order."""
        ...

    def indicator(self, team_ref: str, code: str) -> Indicator:
        """One indicator of a team."""
        ...

    def measurements(self, team_ref: str, code: str) -> list[Measurement]:
        """An indicator's monthly values, oldest month first."""
        ...

    def missing_months(self, team_ref: str, code: str, *, until: str | None = None) -> list[str]:
        """Months (``YYYY-MM``) without a value, from the indicator's start to ``until``."""
        ...

    def annotations(self, team_ref: str, indicator: str | None = None) -> list[Annotation]:
        """A team's dated notes on its charts (those that apply to ``indicator``, if given)."""
        ...

    def cycles(self, team_ref: str | None = None, *, status: str | None = None) -> list[PdsaCycle]:
        """PDSA cycles (of one team, of one status), oldest first."""
        ...

    def diagram(self, team_ref: str) -> DriverDiagram:
        """A team's driver diagram (empty if it has none yet)."""
        ...

    def meetings(self, team_ref: str) -> list[Meeting]:
        """A team's meetings, oldest first."""
        ...

    def assessments(
        self, team_ref: str, *, instrument: str | None = None, setting: str | None = None
    ) -> list[Assessment]:
        """A team's context assessments (MUSIQ ...), oldest first."""
        ...

    def today(self) -> str:
        """The workspace's today (``YYYY-MM-DD``): a demo workspace tells its story on a fixed day."""
        ...

    @contextmanager
    def reading(self) -> Iterator[None]:
        """``with workspace.reading():`` the reads inside come from one state of the workspace,
        checked for changes once instead of at every read (a report over many teams of a
        shared workspace: one round trip to the server instead of hundreds)."""
        yield


# -- events ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Event:
    """Something that happened in a workspace, after it was saved (the base of every event)."""

    #: the event's name, as ``on_event``'s ``event`` argument gives it
    name: ClassVar[str] = ""

    def to_dict(self) -> dict[str, Any]:
        """The event's payload, as ``on_event``'s ``payload`` argument gives it."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


@dataclass(frozen=True)
class TeamAdded(Event):
    """A team was added; ``team`` is the stored team (``Team.from_dict(change.team)``)."""

    name: ClassVar[str] = "team_added"
    team: dict[str, Any]


@dataclass(frozen=True)
class MeasurementAdded(Event):
    """A month's value was stored; ``previous`` is the replaced value (a correction) or None."""

    name: ClassVar[str] = "measurement_added"
    measurement: dict[str, Any]
    previous: dict[str, Any] | None = None


@dataclass(frozen=True)
class CycleAdded(Event):
    """A PDSA cycle was added (``PdsaCycle.from_dict(change.cycle)``)."""

    name: ClassVar[str] = "cycle_added"
    cycle: dict[str, Any]


@dataclass(frozen=True)
class CycleStatusChanged(Event):
    """A cycle moved on the board; ``old_status`` is where it was."""

    name: ClassVar[str] = "cycle_status_changed"
    cycle: dict[str, Any]
    old_status: str


@dataclass(frozen=True)
class DiagramChanged(Event):
    """A team's driver diagram changed: ``team`` (its id), ``action`` and a one-line ``summary``."""

    name: ClassVar[str] = "diagram_changed"
    team: str
    action: str
    summary: str


@dataclass(frozen=True)
class AssessmentAdded(Event):
    """A context assessment was saved (``Assessment.from_dict(change.assessment)``)."""

    name: ClassVar[str] = "assessment_added"
    assessment: dict[str, Any]


@dataclass(frozen=True)
class SignalAppeared(Event):
    """A new or corrected value turned an indicator's chart non-random.

    ``team`` is the team's id, ``indicator`` the code, ``period`` the latest month of the
    change, ``verdict`` the chart's summary (a dict).
    """

    name: ClassVar[str] = "signal_appeared"
    team: str
    indicator: str
    period: str
    verdict: dict[str, Any]


@dataclass(frozen=True)
class OtherEvent(Event):
    """An event without a type of its own here: its ``event`` name and ``payload`` as sent."""

    event: str
    payload: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return dict(self.payload)


EVENT_TYPES: tuple[type[Event], ...] = (
    TeamAdded,
    MeasurementAdded,
    CycleAdded,
    CycleStatusChanged,
    DiagramChanged,
    AssessmentAdded,
    SignalAppeared,
)
_EVENT_BY_NAME = {cls.name: cls for cls in EVENT_TYPES}


def event_from(name: str, payload: dict[str, Any]) -> Event:
    """The typed event for an event name and its payload.

    Payload keys the type does not know are left out (they stay in ``payload``); a name
    without a type, or a payload without a field the type needs, gives an
    :class:`OtherEvent`, so a new event never breaks a plugin.
    """
    cls = _EVENT_BY_NAME.get(name)
    if cls is None:
        return OtherEvent(event=name, payload=dict(payload))
    known = {f.name for f in dataclasses.fields(cls)}
    try:
        return cls(**{key: value for key, value in payload.items() if key in known})
    except TypeError:  # a field missing from the payload: the event as sent, untyped
        return OtherEvent(event=name, payload=dict(payload))


# -- populations ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class NamedPopulation:
    """A population under an id, with a sentence saying who is counted (``register_populations``)."""

    id: str
    population: Population
    description: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.description, str):
            raise ValidationError(f"population {self.id}: the description must be text")
