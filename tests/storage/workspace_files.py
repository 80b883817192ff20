"""A small workspace file and hand edits of it, for the tests of damaged and checked files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from pdsa_core.domain.indicator import Target
from pdsa_core.workspace import Workspace

#: a hand edit of the file's JSON
Edit = Callable[[dict[str, Any]], None]


def filled_workspace(path: Path) -> Workspace:
    """A team with a member, an indicator with a target, two values (one with a note), a cycle."""
    ws = Workspace.create(path, actor="tovholder")
    team = ws.add_team("Psykiatrien Syd", municipalities=["Næstved"])
    ws.add_member(team.id, "Anna Holm", role="tovholder")
    ws.add_indicator(team.id, "R1", "Tvangsindlagte", target=Target(value=3))
    ws.add_measurement(team.id, "R1", "2022-01", value=4)
    ws.add_measurement(team.id, "R1", "2022-02", value=5, note="ny procedure")
    ws.add_cycle(team.id, "Tjekliste ved indlæggelse")
    return ws


def edited(path: Path, edit: Edit) -> bytes:
    """Apply ``edit`` to the file's JSON as a user's editor would; the new bytes."""
    data = orjson.loads(path.read_bytes())
    edit(data)
    raw = orjson.dumps(data)
    path.write_bytes(raw)
    return raw
