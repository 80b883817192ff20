"""The driver diagram screen: add, rename, link, move, delete (confirmed), undo, history."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Input, OptionList, Select, Tree
from tui_helpers import settle

from tui.app import PdsaApp
from tui.screens.diagram import DiagramScreen
from tui.screens.worksheet import WorksheetScreen

pytestmark = pytest.mark.anyio


def _lines(tree: Tree[Any]) -> list[tuple[int, str, Any]]:
    """(depth, label, place) of every line, top to bottom."""
    found: list[tuple[int, str, Any]] = []

    def walk(node: Any, depth: int) -> None:
        found.append((depth, node.label.plain, node.data))
        for child in node.children:
            walk(child, depth + 1)

    walk(tree.root, 0)
    return found


def _goto(tree: Tree[Any], text: str, occurrence: int = 0) -> None:
    matches = []

    def walk(node: Any) -> None:
        if text in node.label.plain:
            matches.append(node)
        for child in node.children:
            walk(child)

    walk(tree.root)
    tree.move_cursor(matches[occurrence])


async def _type_into_dialog(pilot: Any, text: str) -> None:
    await pilot.pause()
    field = pilot.app.screen.query_one("#field-text")
    if isinstance(field, Input):
        field.value = text
    else:
        field.text = text
    await pilot.press("ctrl+s")
    await settle(pilot)


@pytest.mark.slow
async def test_build_a_diagram_from_scratch(tui_workspace: Any, plugins: Any) -> None:
    ws = tui_workspace
    team = ws.team("Regionspsykiatrien Midt")
    app = PdsaApp(ws, plugins)
    async with app.run_test(size=(120, 40)) as pilot:
        app.set_team(team.id)
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, DiagramScreen)
        tree = app.screen.query_one("#diagram-tree", Tree)
        assert "Empty driver diagram" in _lines(tree)[1][1]
        # the aim is edited on its line
        await pilot.press("r")
        await _type_into_dialog(pilot, "Færre tvangsindlæggelser")
        assert ws.diagram(team.id).aim == "Færre tvangsindlæggelser"
        # a on the aim adds a primary driver, a on it a secondary, a on that a change idea
        tree.move_cursor(tree.root)
        await pilot.press("a")
        await _type_into_dialog(pilot, "Netværksmøder")
        _goto(tree, "Netværksmøder")
        await pilot.press("a")
        await _type_into_dialog(pilot, "Pårørende inddrages")
        _goto(tree, "Pårørende inddrages")
        await pilot.press("a")
        await _type_into_dialog(pilot, "Invitere pårørende til udskrivning")
        tree.move_cursor(tree.root)
        await pilot.press("a")
        await _type_into_dialog(pilot, "Udskrivningsaftaler")
        diagram = ws.diagram(team.id)
        assert [(n.kind.value, n.text) for n in diagram.nodes] == [
            ("primary", "Netværksmøder"),
            ("secondary", "Pårørende inddrages"),
            ("change idea", "Invitere pårørende til udskrivning"),
            ("primary", "Udskrivningsaftaler"),
        ]
        # link the change idea to the second primary driver too: shown under both
        _goto(tree, "Invitere pårørende")
        await pilot.press("l")
        await pilot.pause()
        await pilot.press(*"Udskr", "enter")
        await settle(pilot)
        idea = ws.diagram(team.id).node("Invitere pårørende til udskrivning")
        assert len(idea.parents) == 2
        shown = [(d, label) for d, label, _ in _lines(tree) if "Invitere" in label]
        assert len(shown) == 2 and all("⇄2" in label for _, label in shown)
        # rename in place
        _goto(tree, "Netværksmøder")
        await pilot.press("r")
        await _type_into_dialog(pilot, "Netværksmøder med kommunen")
        assert ws.diagram(team.id).node(diagram.nodes[0].id).text == "Netværksmøder med kommunen"
        # history, newest first, shown on the right
        history = app.screen.query_one("#diagram-history", OptionList)
        assert "renamed" in str(history.get_option_at_index(0).prompt)
        assert history.option_count == 7


async def test_delete_asks_first_and_undo_brings_it_back(tui_workspace: Any, plugins: Any) -> None:
    ws = tui_workspace
    app = PdsaApp(ws, plugins)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        tree = app.screen.query_one("#diagram-tree", Tree)
        before = ws.diagram(app.team_id)
        _goto(tree, "Udskrivningsaftaler og koordinationsplaner")
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("n")  # no: nothing happens
        await settle(pilot)
        assert ws.diagram(app.team_id).nodes == before.nodes
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        after = ws.diagram(app.team_id)
        texts = {n.text for n in after.nodes}
        # the secondary driver and 'Kendskabsbesøg' go; the shared change idea stays (other driver)
        assert texts == {"Netværksmøder", "Inddragelse af pårørende", "Ringe hjem efter udskrivelse"}
        assert any("deleted primary" in n.message for n in app._notifications)
        await pilot.press("u")
        await settle(pilot)
        assert ws.diagram(app.team_id).nodes == before.nodes
        assert "Udskrivningsaftaler og koordinationsplaner" in [label for _, label, _ in _lines(tree)][1]


async def test_move_a_change_idea_and_unlink(tui_workspace: Any, plugins: Any) -> None:
    ws = tui_workspace
    app = PdsaApp(ws, plugins)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        tree = app.screen.query_one("#diagram-tree", Tree)
        _goto(tree, "Kendskabsbesøg")
        await pilot.press("m")
        await pilot.pause()
        await pilot.press(*"Inddragelse", "enter")
        await settle(pilot)
        diagram = ws.diagram(app.team_id)
        assert [diagram.node(p).text for p in diagram.node("Kendskabsbesøg").parents] == [
            "Inddragelse af pårørende"
        ]
        # the shared idea, unlinked from the driver it is shown under (its first line)
        _goto(tree, "Ringe hjem efter udskrivelse", 0)
        await pilot.press("k")
        await settle(pilot)
        diagram = ws.diagram(app.team_id)
        assert [diagram.node(p).text for p in diagram.node("Ringe hjem efter udskrivelse").parents] == [
            "Inddragelse af pårørende"
        ]
        # unlinking its last driver is refused by the core, shown as a message
        _goto(tree, "Ringe hjem efter udskrivelse", 0)
        await pilot.press("k")
        await settle(pilot)
        assert any("at least one driver" in n.message for n in app._notifications)


async def test_plan_a_cycle_from_a_change_idea(tui_workspace: Any, plugins: Any) -> None:
    ws = tui_workspace
    app = PdsaApp(ws, plugins)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        tree = app.screen.query_one("#diagram-tree", Tree)
        _goto(tree, "Kendskabsbesøg")
        await pilot.press("p")
        await pilot.pause()
        dialog = app.screen
        assert dialog.query_one("#field-title", Input).value == "Kendskabsbesøg"
        idea = ws.diagram(app.team_id).node("Kendskabsbesøg")
        assert dialog.query_one("#field-change_idea", Select).value == idea.id
        dialog.query_one("#field-title", Input).value = "Kendskabsbesøg på bosted"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, WorksheetScreen)
        cycle = ws.cycle("Kendskabsbesøg på bosted", app.team_id)
        assert cycle.change_idea == idea.id
        await pilot.press("escape")
        await settle(pilot)
        # the new cycle shows under its change idea
        assert any("Kendskabsbesøg på bosted" in label for _, label, _ in _lines(tree))
