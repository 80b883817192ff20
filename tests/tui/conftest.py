"""A small deterministic workspace for the TUI tests and snapshots.

Ids come from a counter and the clock is fixed; "today" (used for the missing months up
to last month and for the start date of a cycle) is frozen at 2024-01-15, so the screens
look the same on every day the tests run.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

TODAY = "2024-01-15"
TEAM = "Psykiatrien Syd, Vordingborg"


@pytest.fixture()
def anyio_backend() -> str:
    """The Pilot tests are async; they run on asyncio through AnyIO's pytest plugin."""
    return "asyncio"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch: pytest.MonkeyPatch) -> str:
    """The core reads today's date for 'missing up to last month' and cycle start dates."""
    import pdsa_core.domain.common as common

    monkeypatch.setattr(common, "today_iso", lambda: TODAY)
    modules = (
        "pdsa_core.overview",
        "pdsa_core.services.indicators",
        "pdsa_core.services.cycles",
        "pdsa_core.workspace",
    )
    for module in modules:
        mod = __import__(module, fromlist=["today_iso"])
        if hasattr(mod, "today_iso"):
            monkeypatch.setattr(mod, "today_iso", lambda: TODAY)
    return TODAY


@pytest.fixture(autouse=True)
def _no_user_keymap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PDSA_KEYMAP", str(tmp_path / "no-keymap.toml"))
    monkeypatch.delenv("PDSA_TEAM", raising=False)


def make_workspace(path: Path) -> Any:
    from pdsa_core.workspace import Workspace

    counter = iter(range(1, 10**9))
    return Workspace.create(
        path,
        actor="tovholder",
        id_factory=lambda prefix: f"{prefix}-{next(counter):04d}",
        clock=lambda: "2023-12-01T10:00:00+00:00",
    )


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


@pytest.fixture()
def tui_workspace(tmp_path: Path) -> Iterator[Any]:
    ws = make_workspace(tmp_path / "ws.json")
    fill_workspace(ws)
    yield ws


@pytest.fixture()
def empty_workspace(tmp_path: Path) -> Iterator[Any]:
    yield make_workspace(tmp_path / "empty.json")


class _TestIndicatorSets:
    """A plugin registering one small indicator set, written the way a region would."""

    from pdsa_core import hookimpl

    @hookimpl
    def register_indicator_sets(self, register: Any) -> None:
        from pdsa_core import IndicatorDefinition, IndicatorSet

        register(
            IndicatorSet(
                id="test-voksen",
                name_da="Testsæt voksenspor",
                name_en="Test set adults",
                indicators=[
                    IndicatorDefinition(
                        code="R1", name_da="Personer tvangsindlagt", name_en="Persons admitted"
                    ),
                    IndicatorDefinition(
                        code="V1",
                        name_da="Andel med UA/KP",
                        unit="proportion",
                        kind="process",
                        direction="up",
                    ),
                ],
            )
        )


@pytest.fixture()
def plugins() -> Any:
    from pdsa_core.plugins import load_plugins

    return load_plugins(extra=[("test-sets", _TestIndicatorSets())], include_entry_points=False)
