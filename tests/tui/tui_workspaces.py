"""The TUI tests' workspace content and the machinery that copies it (see conftest.py).

Ids come from a counter and the clock is fixed; "today" (used for the missing months up
to last month and for the start date of a cycle) is frozen at 2024-01-15, so the screens
look the same on every day the tests run.
"""

from __future__ import annotations

import math
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

TODAY = "2024-01-15"
TEAM = "Psykiatrien Syd, Vordingborg"
CLOCK = "2023-12-01T10:00:00+00:00"
ACTOR = "tovholder"


_MODULES_READING_TODAY = (
    "pdsa_core.domain.common",
    "pdsa_core.overview",
    "pdsa_core.services.indicators",
    "pdsa_core.services.cycles",
    "pdsa_core.workspace",
)


def freeze_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every module that reads today's date see ``TODAY``."""
    for module in _MODULES_READING_TODAY:
        mod = __import__(module, fromlist=["today_iso"])
        if hasattr(mod, "today_iso"):
            monkeypatch.setattr(mod, "today_iso", lambda: TODAY)


class IdCounter:
    """Deterministic ids (``team-0001``, ``ind-0002`` …) that can go on from a given number."""

    def __init__(self, start: int = 1) -> None:
        self.next_number = start

    def __call__(self, prefix: str) -> str:
        number, self.next_number = self.next_number, self.next_number + 1
        return f"{prefix}-{number:04d}"


def make_workspace(path: Path, ids: IdCounter | None = None) -> Any:
    from pdsa_core.workspace import Workspace

    return Workspace.create(path, actor=ACTOR, id_factory=ids or IdCounter(), clock=lambda: CLOCK)


def open_copy(template: Path, path: Path, ids: IdCounter) -> Any:
    """A workspace on a copy of ``template``, with the fixed clock and ``ids`` going on."""
    from pdsa_core.storage.tinydb_store import TinyDBStore
    from pdsa_core.workspace import Workspace

    shutil.copyfile(template, path)
    store = TinyDBStore(path, clock=lambda: CLOCK)  # the clock stamps the header on each commit
    workspace = Workspace(store, actor=ACTOR, id_factory=ids, clock=lambda: CLOCK)
    workspace.snapshot()
    return workspace


@dataclass(frozen=True)
class WorkspaceTemplate:
    """A workspace file built once, and the id number its copies go on from."""

    path: Path
    next_id: int

    @classmethod
    def build(cls, folder: Path, fill: Callable[[Any], None]) -> WorkspaceTemplate:
        ids = IdCounter()
        with pytest.MonkeyPatch.context() as monkeypatch:
            freeze_today(monkeypatch)
            fill(make_workspace(folder / "template.json", ids))
        return cls(folder / "template.json", ids.next_number)

    def copy(self, path: Path) -> Any:
        return open_copy(self.path, path, IdCounter(self.next_id))


def fill_workspace(ws: Any) -> None:
    """Two teams; the first with indicators, 36 months of data, a driver diagram, cycles, actions."""
    from pdsa_core.domain import Action, Meeting
    from pdsa_core.services.indicators import MeasurementInput

    team = ws.add_team(TEAM, region="Region Sjælland", track="voksenspor", municipalities=["Vordingborg"])
    ws.add_team("Regionspsykiatrien Midt", region="Region Midtjylland", track="voksenspor")
    ws.add_indicator(
        team.id,
        "R1",
        "Personer tvangsindlagt",
        name_en="Persons coercively admitted",
        baseline_start="2021-01",
        baseline_end="2021-12",
    )
    ws.add_indicator(team.id, "F2", "Tvangshændelser", name_en="Coercive events", kind="follow")
    ws.add_indicator(
        team.id,
        "V1",
        "Andel med UA/KP",
        name_en="Share with UA/KP",
        kind="process",
        unit="proportion",
        direction="up",
    )
    months = [f"{y}-{m:02d}" for y in (2021, 2022, 2023) for m in range(1, 13)]
    items = []
    for i, period in enumerate(months):
        r1 = 6 + round(2 * math.sin(i / 2)) - (3 if i >= 24 else 0)
        items.append(MeasurementInput("R1", period, value=max(r1, 0)))
        if period != "2023-05":
            items.append(MeasurementInput("F2", period, value=20 + (i * 7) % 9))
        if period <= "2023-10":
            items.append(MeasurementInput("V1", period, numerator=10 + i % 5 + i // 6, denominator=30))
    ws.add_measurements(team.id, items, source="test")
    ws.add_annotation(team.id, "2022-03-25", "Ny EPJ", kind="it system change", indicators=["F2"])

    ws.set_aim(team.id, "Færre tvangsindlæggelser gennem bedre samarbejde på tværs af sektorer")
    p1 = ws.add_node(team.id, "primary", "Udskrivningsaftaler og koordinationsplaner")
    p2 = ws.add_node(team.id, "primary", "Netværksmøder")
    s1 = ws.add_node(team.id, "secondary", "Aftaler ved udskrivelse", parents=[p1.id])
    s2 = ws.add_node(team.id, "secondary", "Inddragelse af pårørende", parents=[p2.id])
    c1 = ws.add_node(team.id, "change idea", "Ringe hjem efter udskrivelse", parents=[s1.id, s2.id])
    ws.add_node(team.id, "change idea", "Kendskabsbesøg", parents=[s1.id])
    ws.add_cycle(
        team.id,
        "Ringe hjem (cyklus 1)",
        change_idea=c1.id,
        status="doing",
        start_date="2023-10-02",
        owner="Anne",
        objective="Færre genindlæggelser",
        indicators=["R1"],
    )
    ws.add_cycle(team.id, "Kendskabsbesøg", status="planned", owner="Bo")
    ws.add_cycle(team.id, "Elektive indlæggelser", status="studying", start_date="2023-09-01", owner="Carl")
    ws.add_cycle(
        team.id, "Review af tvangsindlæggelser", status="done", start_date="2023-03-01", end_date="2023-06-30"
    )
    ws.save_meeting(
        Meeting(
            id="mtg-1",
            team_id=team.id,
            date="2023-12-05",
            actions=[
                Action(id="act-1", text="Send data til regionen", owner="Anne", due="2024-01-10"),
                Action(id="act-2", text="Book netværksmøde", owner="Bo", due="2024-02-01"),
            ],
        )
    )
