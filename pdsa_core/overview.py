"""What a team dashboard and ``pdsa team show`` display, computed once in the core."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from pdsa_core.domain import BOARD_ORDER
from pdsa_core.errors import PdsaError
from pdsa_core.services.indicators import last_complete_month

if TYPE_CHECKING:
    from pdsa_core.workspace import Workspace


def indicator_summary(ws: Workspace, team_id: str, code: str, *, spark_months: int = 24) -> dict[str, Any]:
    """Latest value, recent values for a sparkline, missing months up to last month, verdict."""
    from pdsa_core.analysis import indicator_verdict

    indicator = ws.indicator(team_id, code)
    items = ws.measurements(team_id, code)
    latest = items[-1] if items else None
    missing = ws.missing_months(team_id, code, until=last_complete_month(ws.today())) if items else []
    verdict = indicator_verdict(ws, team_id, code)
    return {
        "code": indicator.code,
        "name_da": indicator.name_da,
        "name_en": indicator.name_en,
        "unit": indicator.unit.value,
        "kind": indicator.kind.value,
        "direction": indicator.direction.value,
        "latest_value": latest.value if latest else None,
        "latest_period": latest.period if latest else None,
        "n_values": len(items),
        "spark": [m.value for m in items[-spark_months:]],
        "missing_months": len(missing),
        "missing": missing,
        "verdict": verdict,
    }


def first_team(ws: Workspace) -> str | None:
    """The team a start shows first: ``PDSA_TEAM``, else the workspace's ``default_team``
    setting, else the first team by name (None in an empty workspace)."""
    wanted = os.environ.get("PDSA_TEAM") or ws.settings().get("default_team")
    if wanted:
        try:
            return str(ws.team(str(wanted)).id)
        except PdsaError:
            pass
    teams = ws.teams()
    return teams[0].id if teams else None


def team_overview(ws: Workspace, team_ref: str) -> dict[str, Any]:
    """The team dashboard as plain data: aim, indicators, cycles by status, actions due
    (all read from one snapshot: :meth:`~pdsa_core.workspace.Workspace.reading`)."""
    with ws.reading():
        return _team_overview(ws, team_ref)


def _team_overview(ws: Workspace, team_ref: str) -> dict[str, Any]:
    team = ws.team(team_ref)
    diagram = ws.diagram(team.id)
    cycles = ws.cycles(team.id)
    by_status: dict[str, list[dict[str, Any]]] = {s.value: [] for s in BOARD_ORDER}
    for cycle in cycles:
        by_status[cycle.status.value].append(
            {"id": cycle.id, "title": cycle.title, "owner": cycle.owner, "start_date": cycle.start_date}
        )
    today = ws.today()
    actions = [
        {**action.to_dict(), "meeting": meeting.id, "overdue": bool(action.due and action.due < today)}
        for meeting in ws.meetings(team.id)
        for action in meeting.actions
        if not action.done
    ]
    actions.sort(key=lambda a: a["due"] or "9999")
    return {
        "team": team.to_dict(),
        "aim": diagram.aim,
        "indicators": [indicator_summary(ws, team.id, i.code) for i in ws.indicators(team.id)],
        "cycles_by_status": by_status,
        "actions_due": actions,
    }
