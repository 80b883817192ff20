"""Analysis of a team's stored indicator with the SPC engine (wired up when pdsa_core.spc lands)."""

from __future__ import annotations

from typing import Any


def indicator_verdict(ws: Any, team_id: str, code: str) -> dict[str, Any] | None:
    return None
