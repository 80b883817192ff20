"""The demo's builder: the story told through the workspace's own methods, then written once.

:func:`write_demo` creates a new workspace file with the demo; :func:`build_demo` fills an
empty workspace. The story (``story.py``, from the data files) is told on an in-memory
scratch workspace with the story's clock (never today's date), ids from the target
workspace's id factory, and the seeded series (``series.py``), then copied into the real
workspace in one transaction (one file write), so two runs write the same bytes.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from pdsa_core.demo.series import (
    FIRST_MONTH,
    LAST_MONTH,
    PROJECT_START,
    Series,
    all_series,
    measurement_input,
)
from pdsa_core.demo.story import (
    AssessmentSpec,
    CycleSpec,
    DiagramEdit,
    MeetingSpec,
    Story,
    TeamSpec,
    load_story,
    team_indicator_set,
)
from pdsa_core.domain import Action, Meeting, Rating
from pdsa_core.domain.common import month_range, period_from_index, period_index
from pdsa_core.domain.driver import DiagramTemplate
from pdsa_core.errors import WorkspaceError
from pdsa_core.storage import TABLES, Document, Snapshot, Store, Transaction
from pdsa_core.workspace import Workspace


def write_demo(path: str | os.PathLike[str]) -> Path:
    """Write the demo workspace to a new file at ``path`` and return its path.

    Refuses (with a :class:`WorkspaceError`) to overwrite an existing non-empty file. If
    building the demo fails, the new file is removed again, so nothing half-written stays.
    """
    told = load_story()
    counter = itertools.count(1)
    workspace = Workspace.create(
        path,
        id_factory=lambda prefix: f"{prefix}-{next(counter):04d}",
        clock=lambda: told.now,
        actor=told.actor,
    )
    target = Path(workspace.location)
    try:
        build_demo(workspace)
    except BaseException:
        target.unlink(missing_ok=True)
        target.with_name(target.name + ".lock").unlink(missing_ok=True)
        raise
    return target


def build_demo(ws: Workspace) -> None:
    """Fill the empty workspace ``ws`` with the demo (one transaction, one write).

    The demo is built with the ordinary workspace methods on an in-memory scratch
    workspace that uses ``ws``'s id factory and the demo's story clock, then copied into
    ``ws`` in one transaction. Like restoring a backup, this sends no per-record events.
    """
    snapshot = ws.snapshot()
    used = {name: len(snapshot.table(name)) for name in TABLES if name != "settings" and snapshot.table(name)}
    if used:
        what = ", ".join(f"{name} ({count})" for name, count in sorted(used.items()))
        raise WorkspaceError(
            f"the demo can only fill an empty workspace; this one already holds {what}",
            where=ws.location,
        )
    told = load_story()
    scratch_store = _MemoryStore()
    clock = _StoryClock(told.now)
    scratch = Workspace(scratch_store, actor=told.actor, id_factory=ws.new_id, clock=clock)
    scratch.listeners.clear()  # no signal watching while the story is written
    DemoBuilder(scratch, clock, told).build()
    tables = scratch_store.load().tables
    with ws.transaction() as tx:
        for name in TABLES:
            for doc_id, doc in tables.get(name, {}).items():
                if name == "settings":
                    doc = {**(tx.get(name, doc_id) or {}), **doc}
                tx.put(name, doc_id, doc)


# =============================================================================================
# Scratch storage and the story clock
# =============================================================================================
class _MemoryTransaction(Transaction):
    def __init__(self, base: Mapping[str, Mapping[str, Document]]) -> None:
        self._base = base
        self.pending: dict[str, dict[str, Document | None]] = {}

    def get(self, table: str, doc_id: str) -> Document | None:
        pending = self.pending.get(table, {})
        if doc_id in pending:
            return pending[doc_id]
        return self._base.get(table, {}).get(doc_id)

    def all(self, table: str) -> dict[str, Document]:
        merged = dict(self._base.get(table, {}))
        for doc_id, doc in self.pending.get(table, {}).items():
            if doc is None:
                merged.pop(doc_id, None)
            else:
                merged[doc_id] = doc
        return merged

    def put(self, table: str, doc_id: str, doc: Document) -> None:
        self.pending.setdefault(table, {})[doc_id] = doc

    def delete(self, table: str, doc_id: str) -> None:
        self.pending.setdefault(table, {})[doc_id] = None


class _MemoryStore(Store):
    """A workspace held in memory: where the demo is composed before it is written once."""

    def __init__(self) -> None:
        self.location = "memory:demo"
        self._snapshot = Snapshot(revision=0, meta={}, tables={name: {} for name in TABLES})

    def load(self) -> Snapshot:
        return self._snapshot

    def is_current(self, snapshot: Snapshot) -> bool:
        return snapshot is self._snapshot

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        tx = _MemoryTransaction(self._snapshot.tables)
        yield tx
        if not any(tx.pending.values()):
            return
        tables = dict(self._snapshot.tables)
        for name, changes in tx.pending.items():
            table = dict(tables.get(name, {}))
            for doc_id, doc in changes.items():
                if doc is None:
                    table.pop(doc_id, None)
                else:
                    table[doc_id] = doc
            tables[name] = table
        self._snapshot = Snapshot(revision=self._snapshot.revision + 1, meta={}, tables=tables)


class _StoryClock:
    """The time the story is at: records get plausible timestamps instead of today's."""

    def __init__(self, start: str) -> None:
        self.current = start

    def __call__(self) -> str:
        return self.current

    def at(self, date_or_timestamp: str) -> None:
        text = date_or_timestamp
        self.current = text if "T" in text else f"{text}T09:00:00+00:00"


# =============================================================================================
# Indicator sets: an exact copy of the LKT Tvang plugin's (plugins/pdsa-lkt-tvang/pdsa_lkt_tvang/
# indicators.py), so the demo is the same with or without the plugin installed; the demo's tests


# =============================================================================================
# The builder: the story told through the workspace's own methods
# =============================================================================================
def _next_month(period: str) -> str:
    return period_from_index(period_index(period) + 1)


def _quarters(periods: Sequence[str]) -> list[list[str]]:
    """Consecutive months grouped by calendar quarter."""
    groups: dict[tuple[str, int], list[str]] = {}
    for period in periods:
        groups.setdefault((period[:4], (int(period[5:7]) - 1) // 3), []).append(period)
    return list(groups.values())


@dataclass(frozen=True)
class Delivery:
    """Values that arrived together (one import)."""

    date: str
    source_file: str
    items: tuple[tuple[str, str], ...]  # (indicator, period)
    old_definition: bool = False


def deliveries(spec: TeamSpec, series: Series) -> list[Delivery]:
    """When the values arrived: the history in one import, then each quarter's data template on the
    12th of the month after the quarter, with the team's own delays and corrections."""
    codes = list(series.values)

    def items(periods: Iterable[str], only: Iterable[str] | None = None) -> tuple[tuple[str, str], ...]:
        chosen = list(only) if only is not None else codes
        return tuple((c, p) for p in periods for c in chosen if p in series.values.get(c, {}))

    def template(periods: list[str], only: Iterable[str] | None = None, **kw: Any) -> Delivery:
        name = periods[0] if len(periods) == 1 else f"{periods[0]}-{periods[-1]}"
        return Delivery(
            f"{_next_month(periods[-1])}-12",
            f"LKT-Tvang-dataskabelon-{spec.short}-{name}.xlsx",
            items(periods, only),
            **kw,
        )

    if spec.key == "viborg":
        # first delivered with the old data definition, recomputed on 1 June 2022
        return [
            Delivery(
                spec.history_date,
                f"LKT-Tvang-dataskabelon-{spec.short}-2018-2022-01.xlsx",
                items(month_range(FIRST_MONTH, "2022-01")),
                old_definition=True,
            ),
            template(month_range("2022-02", "2022-04"), old_definition=True),
            Delivery(
                "2022-06-01",
                f"LKT-Tvang-dataskabelon-{spec.short}-genberegnet-2018-2022-04.xlsx",
                items(month_range(FIRST_MONTH, "2022-04"), ("R1", "R2", "F1", "F2")),
            ),
            *(template(q) for q in _quarters(month_range("2022-05", LAST_MONTH))),
        ]
    history = Delivery(
        spec.history_date,
        f"LKT-Tvang-dataskabelon-{spec.short}-2018-2021.xlsx",
        items(month_range(FIRST_MONTH, "2021-12")),
    )
    quarters = _quarters(month_range(PROJECT_START, LAST_MONTH))
    if spec.key != "aalborg":
        return [history, *(template(q) for q in quarters)]
    # NordEPJ: the EPJ extracts (R1, R2) for April-December 2022 arrived together in January 2023
    epj = ("R1", "R2")
    local = [c for c in codes if c not in epj]
    result = [history]
    for quarter in quarters:
        delayed = "2022-03" <= quarter[-1] <= "2022-12" and quarter[0] >= "2022-04"
        if quarter[0] == "2022-01":  # January and February from the old EPJ; March cannot be counted
            result.append(template(quarter))
        else:
            result.append(template(quarter, local if delayed else None))
    result.append(
        Delivery(
            "2023-01-16",
            "NordEPJ-udtraek-BUP-Aalborg-2022-04-2022-12.xlsx",
            items(month_range("2022-04", "2022-12"), epj),
        )
    )
    return sorted(result, key=lambda d: d.date)


class DemoBuilder:
    """Tells ``story`` on the workspace ``ws``, moving ``clock`` along as it goes."""

    def __init__(self, ws: Workspace, clock: _StoryClock, story: Story) -> None:
        self.ws = ws
        self.clock = clock
        self.story = story

    def build(self) -> None:
        told = self.story
        self.clock.at(told.timeline["settings"])
        self.ws.update_settings(
            demo=True, note=told.note, as_of=told.now[:10], default_team=told.default_team
        )
        series, old = all_series()
        for spec in told.teams:
            self._team(spec, series[spec.key], old.get(spec.key))
        self.ws.actor = told.actor
        self.clock.at(told.now)

    def _team(self, spec: TeamSpec, series: Series, old: Series | None) -> None:
        ws, clock = self.ws, self.clock
        tovholder = next(m.name for m in spec.members if m.role.value == "tovholder")
        ws.actor = tovholder
        clock.at(self.story.timeline["teams"])
        team = ws.add_team(
            spec.name,
            region=spec.region,
            track=spec.track,
            municipalities=spec.municipalities,
            members=spec.members,
            description=spec.description,
            indicator_set=team_indicator_set(spec.indicator_set, spec.populations),
        )

        clock.at(self.story.timeline["diagrams"])
        ws.apply_template(
            team.id,
            DiagramTemplate(
                id=f"demo-{spec.key}",
                name_da=f"LKT Tvangs drivere ({spec.name})",
                name_en=f"LKT Tvang drivers ({spec.name})",
                aim=spec.aim,
                drivers=spec.drivers,
                source=self.story.diagram_source,
            ),
        )
        for note in spec.annotations:
            ws.add_annotation(
                team.id, note.date, note.text, kind=note.kind, indicators=note.indicators,
                phase_split=note.phase_split,
            )

        ws.actor = spec.data_actor
        for delivery in deliveries(spec, series):
            clock.at(delivery.date)
            first = old if delivery.old_definition else None
            values = [measurement_input(code, period, series, first) for code, period in delivery.items]
            ws.add_measurements(
                team.id,
                [v for v in values if v is not None],
                source="import",
                source_file=delivery.source_file,
                source_sheet="Indikatorer",
            )

        ws.actor = tovholder
        steps: list[tuple[str, int, int, Callable[[], None]]] = []
        for n, edit in enumerate(spec.edits):
            steps.append((edit.date, 0, n, partial(self._edit, team.id, edit)))
        cycle_ids: dict[str, str] = {}
        for n, cycle in enumerate(spec.cycles):
            steps.append((cycle.planned, 1, n, partial(self._cycle, team.id, cycle, cycle_ids)))
        for n, assessment in enumerate(spec.assessments):
            steps.append((assessment.date, 2, n, partial(self._assessment, team.id, assessment)))
        for n, meeting in enumerate(spec.meetings):
            steps.append((meeting.date, 3, n, partial(self._meeting, team.id, meeting)))
        for _date, _order, _n, step in sorted(steps, key=lambda s: s[:3]):
            step()

    def _edit(self, team_id: str, edit: DiagramEdit) -> None:
        self.clock.at(edit.date)
        if edit.action == "add":
            self.ws.add_node(team_id, "change idea", edit.node, parents=[self._node_id(team_id, edit.target)])
        elif edit.action == "link":
            self.ws.link_node(team_id, edit.node, self._node_id(team_id, edit.target))
        else:
            self.ws.rename_node(team_id, edit.node, edit.target)

    def _node_id(self, team_id: str, ref: str) -> str:
        """A node by its text, or by "primary > secondary" where a secondary's text occurs twice."""
        diagram = self.ws.diagram(team_id)
        if " > " not in ref:
            return diagram.node(ref).id
        primary, secondary = ref.split(" > ", 1)
        under = diagram.children(diagram.node(primary).id)
        return next(n.id for n in under if n.text == secondary)

    def _cycle(self, team_id: str, spec: CycleSpec, cycle_ids: dict[str, str]) -> None:
        ws, clock = self.ws, self.clock
        clock.at(spec.planned)
        cycle = ws.add_cycle(
            team_id,
            spec.title,
            change_idea=spec.idea,
            status=spec.status,
            owner=spec.owner,
            start_date=spec.start,
            end_date=spec.end,
            indicators=spec.indicators,
            follows=cycle_ids.get(spec.follows, ""),
            **spec.plan,
        )
        cycle_ids[spec.key] = cycle.id
        if spec.later:
            clock.at(spec.updated)
            changes: dict[str, Any] = dict(spec.later)  # worksheet fields (text)
            ws.update_cycle(cycle.id, **changes)
        if spec.indicators:  # as moving a cycle on the board does
            for date, kind, label in (
                (spec.start, "pdsa start", "PDSA start"),
                (spec.end, "pdsa end", "PDSA end"),
            ):
                if date:
                    clock.at(date)
                    ws.add_annotation(
                        team_id, date, f"{label}: {spec.title}", kind=kind, indicators=spec.indicators
                    )

    def _assessment(self, team_id: str, spec: AssessmentSpec) -> None:
        self.clock.at(spec.date)
        ratings = [
            Rating(factor=factor, value=value, note=spec.notes.get(factor, ""))
            for factor, value in zip(self.story.instrument.factor_ids, spec.values, strict=True)
        ]
        self.ws.add_assessment(
            team_id,
            instrument=self.story.instrument.id,
            instrument_version=self.story.instrument.version,
            date=spec.date,
            setting=spec.setting,
            ratings=ratings,
            participants=spec.participants,
            note=spec.note,
        )

    def _meeting(self, team_id: str, spec: MeetingSpec) -> None:
        self.clock.at(spec.date)
        actions = [
            Action(
                id=self.ws.new_id("act"),
                text=action.text,
                owner=action.owner,
                due=action.due,
                done=bool(action.done),
                done_at=action.done,
            )
            for action in spec.actions
        ]
        self.ws.save_meeting(
            Meeting(
                id=self.ws.new_id("mtg"),
                team_id=team_id,
                date=spec.date,
                attendees=list(spec.attendees),
                decisions=list(spec.decisions),
                actions=actions,
                notes=spec.notes,
                closed=True,
            )
        )
