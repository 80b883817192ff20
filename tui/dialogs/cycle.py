"""Dialogs for PDSA cycles: plan a new one, and the Act decision (adopt / adapt / abandon)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pdsa_core.domain import NodeKind, PdsaCycle
from pdsa_core.i18n import t
from tui.dialogs.common import Field, FormDialog

if TYPE_CHECKING:
    from pdsa_core.workspace import Workspace


def change_idea_options(ws: Workspace, team_id: str) -> list[tuple[str, Any]]:
    ideas = ws.diagram(team_id).of_kind(NodeKind.CHANGE_IDEA)
    return [(t("tui.cycle.no_idea"), "")] + [(idea.text, idea.id) for idea in ideas]


def new_cycle_dialog(ws: Workspace, team_id: str, *, change_idea: str = "", title: str = "") -> FormDialog:
    """Title, the change idea it tests, owner and objective; OK calls ``ws.add_cycle``."""
    fields = [
        Field("title", t("tui.cycle.title"), title, placeholder=t("tui.cycle.title_placeholder")),
        Field(
            "change_idea", t("change_idea"), change_idea, "select", options=change_idea_options(ws, team_id)
        ),
        Field("owner", t("owner"), ""),
        Field("objective", t("tui.cycle.objective"), "", "text"),
    ]

    def submit(values: dict[str, Any]) -> PdsaCycle:
        return ws.add_cycle(
            team_id,
            values["title"],
            change_idea=values["change_idea"] or "",
            owner=values["owner"].strip(),
            objective=values["objective"].strip(),
        )

    return FormDialog(t("tui.cycle.new_title"), fields, submit)


def act_dialog(ws: Workspace, cycle: PdsaCycle) -> FormDialog:
    """Adopt, adapt or abandon, with the next step; OK calls ``ws.act`` -> (cycle, next cycle or None)."""
    decisions = [
        (t("tui.act.adopt"), "adopt"),
        (t("tui.act.adapt"), "adapt"),
        (t("tui.act.abandon"), "abandon"),
    ]
    fields = [
        Field(
            "decision",
            t("tui.act.decision"),
            cycle.act_decision.value or "adopt",
            "select",
            options=decisions,
        ),
        Field("next_step", t("tui.ws.next_step"), cycle.next_step, "text"),
        Field("next_title", t("tui.act.next_title"), "", placeholder=t("tui.act.next_title_placeholder")),
    ]

    def submit(values: dict[str, Any]) -> tuple[PdsaCycle, PdsaCycle | None]:
        return ws.act(
            cycle.id,
            values["decision"],
            next_step=values["next_step"].strip(),
            next_title=values["next_title"].strip(),
        )

    return FormDialog(t("tui.act.title", title=cycle.title), fields, submit, intro=t("tui.act.intro"))
