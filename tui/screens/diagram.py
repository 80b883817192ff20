"""The driver diagram: aim → primary drivers → secondary drivers → change ideas, edited in place.

A change idea that serves several drivers is shown under each of them. Under each change
idea are the PDSA cycles that test it. Every edit is a ``Workspace`` call (``add_node``,
``rename_node``, ``move_node``, ``link_node``, ``unlink_node``, ``delete_node``,
``undo_diagram``), so it is kept in the diagram's history, shown on the right.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import events, on
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import OptionList, Static, Tree
from textual.widgets.option_list import Option
from textual.widgets.tree import TreeNode

from pdsa_core.domain import DriverDiagram, DriverNode, NodeKind, PdsaCycle
from pdsa_core.domain.driver import ALLOWED_PARENTS
from pdsa_core.errors import PdsaError
from pdsa_core.i18n import t
from pdsa_core.literal import rich_text
from tui.dialogs.common import ChoiceDialog, ConfirmDialog, Field, FormDialog
from tui.keys import binding
from tui.screens.base import PdsaScreen

NARROW = 110
STATUS_MARK = {
    "planned": "○",
    "doing": "◐",
    "studying": "◑",
    "acting": "◕",
    "done": "●",
    "abandoned": "✕",
}


@dataclass(frozen=True)
class Place:
    """What a line of the tree is: the aim, a node under a given parent, or a PDSA cycle."""

    kind: str  # "aim", "node", "cycle"
    id: str = ""
    parent: str = ""  # the parent this line shows the node under ("" for primary drivers)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.kind, self.id, self.parent)


class DiagramScreen(PdsaScreen):
    MODE = "diagram"
    BINDINGS = [
        binding("a", "add", "diagram.add"),
        binding("c", "add_idea", "diagram.add_idea", show=False),
        binding("r,f2", "rename", "diagram.rename"),
        binding("m", "move", "diagram.move", show=False),
        binding("l", "link", "diagram.link", show=False),
        binding("k", "unlink", "diagram.unlink", show=False),
        binding("x,delete", "delete", "diagram.delete"),
        binding("u,ctrl+z", "undo", "diagram.undo"),
        binding("p", "plan", "diagram.plan"),
        binding("h", "history", "diagram.history"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.diagram: DriverDiagram | None = None
        self.cycles: list[PdsaCycle] = []

    def compose_body(self) -> Iterable[Widget]:
        with Horizontal(id="diagram-main"):
            tree: Tree[Place] = Tree(t("aim"), id="diagram-tree", data=Place("aim"))
            tree.guide_depth = 3
            yield tree
            with Vertical(id="diagram-side"):
                details = Static(id="node-details", classes="panel")
                details.border_title = t("tui.diagram.details")
                yield details
                history = OptionList(id="diagram-history", classes="panel")
                history.border_title = t("tui.diagram.history")
                yield history

    def on_mount(self) -> None:
        self.set_class(self.app.size.width < NARROW, "-narrow")

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")

    # -- data -----------------------------------------------------------------------------------
    def refresh_data(self) -> None:
        tree = self.query_one("#diagram-tree", Tree)
        team_id = self.pdsa.team_id
        if team_id is None:
            tree.clear()
            tree.root.set_label(Text(t("tui.no_team"), style="dim"))
            self.query_one("#node-details", Static).update(t("tui.diagram.no_team"))
            return
        try:
            self.diagram = self.pdsa.ws.diagram(team_id)
            self.cycles = self.pdsa.ws.cycles(team_id)
            history = self.pdsa.ws.diagram_history(team_id)
        except PdsaError as exc:
            self.pdsa.show_error(exc)
            return
        self._build_tree(tree)
        self._show_history(history)
        self._show_details()
        if self.focused is None:
            tree.focus()

    def _build_tree(self, tree: Tree[Place]) -> None:
        assert self.diagram is not None
        diagram = self.diagram
        current = tree.cursor_node.data.key if tree.cursor_node and tree.cursor_node.data else None
        collapsed = self._collapsed(tree)
        tree.clear()
        aim = diagram.aim or t("tui.diagram.no_aim")
        tree.root.set_label(
            Text.assemble((f"{t('aim')}: ", "bold"), (aim, "" if diagram.aim else "dim italic"))
        )
        tree.root.data = Place("aim")
        lines: dict[tuple[str, str, str], TreeNode[Place]] = {("aim", "", ""): tree.root}

        def add(parent_line: TreeNode[Place], node: DriverNode, parent_id: str) -> None:
            place = Place("node", node.id, parent_id)
            children = diagram.children(node.id)
            tested = [c for c in self.cycles if c.change_idea == node.id]
            line = parent_line.add(self._label(node), data=place, expand=place.key not in collapsed)
            lines[place.key] = line
            for child in sorted(
                children, key=lambda n: (n.kind is NodeKind.CHANGE_IDEA, diagram.nodes.index(n))
            ):
                add(line, child, node.id)
            for cycle in tested:
                cplace = Place("cycle", cycle.id, node.id)
                lines[cplace.key] = line.add_leaf(self._cycle_label(cycle), data=cplace)
            if not children and not tested:
                line.allow_expand = False

        for primary in diagram.children(None):
            add(tree.root, primary, "")
        tree.root.expand()
        if not diagram.nodes:
            tree.root.add_leaf(Text(t("tui.diagram.empty"), style="dim italic"), data=Place("aim"))
        target = lines.get(current) if current else None
        if target is None and current and current[0] == "node":
            target = next((ln for k, ln in lines.items() if k[0] == "node" and k[1] == current[1]), None)
        # the new lines get their numbers when the tree is next drawn: move the cursor then
        self.call_after_refresh(self._put_cursor, tree, target or tree.root)

    def _put_cursor(self, tree: Tree[Place], line: TreeNode[Place]) -> None:
        tree.move_cursor(line)
        self._show_details()

    def _collapsed(self, tree: Tree[Place]) -> set[tuple[str, str, str]]:
        found: set[tuple[str, str, str]] = set()

        def walk(node: TreeNode[Place]) -> None:
            for child in node.children:
                if child.data and child.allow_expand and not child.is_expanded:
                    found.add(child.data.key)
                walk(child)

        walk(tree.root)
        return found

    def _label(self, node: DriverNode) -> Text:
        icon = {NodeKind.PRIMARY: "▶ ", NodeKind.SECONDARY: "▷ ", NodeKind.CHANGE_IDEA: "✦ "}[node.kind]
        style = {NodeKind.PRIMARY: "bold", NodeKind.SECONDARY: "", NodeKind.CHANGE_IDEA: "italic"}[node.kind]
        text = Text.assemble((icon, "bold"), rich_text(node.text, style))
        if len(node.parents) > 1:
            text.append(f"  ⇄{len(node.parents)}", style="bold magenta")
        codes = self._indicators_of(node)
        if codes:
            text.append(f"  [{' '.join(codes)}]", style="cyan")
        n_cycles = len(self._cycles_below(node))
        if n_cycles and node.kind is not NodeKind.CHANGE_IDEA:
            text.append(f"  ({t('tui.diagram.n_cycles', n=n_cycles)})", style="dim")
        return text

    def _cycle_label(self, cycle: PdsaCycle) -> Text:
        text = Text.assemble(
            (f"{STATUS_MARK.get(cycle.status.value, '·')} ", "bold"),
            ("PDSA ", "dim"),
            rich_text(cycle.title),
            (f"  {t('status.' + cycle.status.value)}", "dim"),
        )
        if cycle.indicators:
            text.append(f"  [{' '.join(cycle.indicators)}]", style="cyan")
        return text

    def _indicators_of(self, node: DriverNode) -> list[str]:
        codes = list(node.indicators)
        for cycle in self._cycles_below(node):
            codes += [c for c in cycle.indicators if c not in codes]
        return codes

    def _cycles_below(self, node: DriverNode) -> list[PdsaCycle]:
        assert self.diagram is not None
        ids: set[str] = set()
        todo = [node]
        while todo:
            current = todo.pop()
            if current.id in ids:
                continue
            ids.add(current.id)
            todo.extend(self.diagram.children(current.id))
        return [c for c in self.cycles if c.change_idea in ids]

    def _show_history(self, history: list[Any]) -> None:
        options: list[Option] = []
        for change in history:
            when = change.at[:16].replace("T", " ")
            text = Text.assemble(
                (f"{when} ", "dim"),
                rich_text(f"{change.who}: ", "bold"),
                rich_text(change.describe(self.pdsa.language)),
            )
            if change.undone:
                text.stylize("strike dim")
                text.append(f" ({t('tui.diagram.undone')})", style="dim")
            options.append(Option(text, disabled=True))
        if not options:
            options.append(Option(Text(t("tui.diagram.no_history"), style="dim"), disabled=True))
        self.query_one("#diagram-history", OptionList).set_options(options)

    # -- selection ------------------------------------------------------------------------------
    def place(self) -> Place:
        tree = self.query_one("#diagram-tree", Tree)
        node = tree.cursor_node
        return node.data if node is not None and node.data is not None else Place("aim")

    def selected_node(self) -> DriverNode | None:
        place = self.place()
        if place.kind != "node" or self.diagram is None:
            return None
        try:
            return self.diagram.node(place.id)
        except PdsaError:  # the line of a node deleted a moment ago, before the tree is redrawn
            return None

    @on(Tree.NodeHighlighted, "#diagram-tree")
    def _highlighted(self) -> None:
        self._show_details()

    @on(Tree.NodeSelected, "#diagram-tree")
    def _selected(self, event: Tree.NodeSelected[Place]) -> None:
        place = event.node.data
        if place is not None and place.kind == "cycle":
            self.pdsa.open_cycle(place.id)

    def _show_details(self) -> None:
        details = self.query_one("#node-details", Static)
        if self.diagram is None:
            return
        place = self.place()
        if place.kind == "node" and self.selected_node() is None:
            return
        if place.kind == "cycle":
            cycle = next((c for c in self.cycles if c.id == place.id), None)
            if cycle is not None:
                details.update(
                    Text.assemble(
                        (f"{t('cycle')}: ", "bold"),
                        rich_text(cycle.title),
                        "\n",
                        f"{t('status')}: {t('status.' + cycle.status.value)}",
                        "\n",
                        f"{t('owner')}: ",
                        rich_text(cycle.owner or t("tui.none")),
                        "\n",
                        (t("tui.diagram.open_cycle_hint"), "dim"),
                    )
                )
            return
        node = self.selected_node()
        if node is None:
            counts = {kind: len(self.diagram.of_kind(kind)) for kind in NodeKind}
            details.update(
                Text.assemble(
                    (f"{t('aim')}\n", "bold"),
                    rich_text((self.diagram.aim or t("tui.diagram.no_aim")) + "\n\n"),
                    t(
                        "tui.diagram.counts",
                        primary=counts[NodeKind.PRIMARY],
                        secondary=counts[NodeKind.SECONDARY],
                        ideas=counts[NodeKind.CHANGE_IDEA],
                    ),
                    "\n",
                    (t("tui.diagram.aim_hint"), "dim"),
                )
            )
            return
        text = Text.assemble((t(f"node.{node.kind.value}"), "bold"), "\n", rich_text(node.text), "\n")
        if node.description:
            text.append_text(rich_text(node.description + "\n", "italic"))
        if node.parents:
            names = ", ".join(self.diagram.node(p).text for p in node.parents)
            text.append_text(rich_text(f"\n{t('tui.diagram.serves')}: {names}\n"))
        cycles = self._cycles_below(node)
        text.append(f"\n{t('pdsa_cycles')}: ", style="bold")
        if cycles:
            for cycle in cycles:
                text.append_text(rich_text(f"\n  {STATUS_MARK.get(cycle.status.value, '·')} {cycle.title}"))
        else:
            text.append(t("tui.none"))
        codes = self._indicators_of(node)
        text.append(f"\n{t('indicators')}: ", style="bold")
        text.append(" ".join(codes) if codes else t("tui.none"))
        details.update(text)

    # -- edits ----------------------------------------------------------------------------------
    def _team(self) -> str | None:
        if self.pdsa.team_id is None:
            self.notify(t("tui.no_team"), severity="warning")
        return self.pdsa.team_id

    def _ask_text(self, title: str, label: str, value: str, submit: Any, *, multiline: bool = False) -> None:
        def done(result: Any) -> None:
            if result:
                self.pdsa.changed()

        field = Field("text", label, value, "text" if multiline else "input")
        self.app.push_screen(FormDialog(title, [field], lambda v: submit(v["text"].strip())), done)

    def action_add(self) -> None:
        team_id = self._team()
        if team_id is None:
            return
        place = self.place()
        node = self.selected_node()
        if place.kind == "aim":
            kind, parents = NodeKind.PRIMARY, []
        elif place.kind == "cycle" or node is None:
            return
        elif node.kind is NodeKind.PRIMARY:
            kind, parents = NodeKind.SECONDARY, [node.id]
        elif node.kind is NodeKind.SECONDARY:
            kind, parents = NodeKind.CHANGE_IDEA, [node.id]
        else:  # a change idea: another idea under the same driver
            kind, parents = NodeKind.CHANGE_IDEA, [place.parent]
        self._add(team_id, kind, parents)

    def action_add_idea(self) -> None:
        team_id = self._team()
        node = self.selected_node()
        if team_id is None:
            return
        if node is None or node.kind is NodeKind.CHANGE_IDEA:
            self.notify(t("tui.diagram.choose_driver"), severity="warning")
            return
        self._add(team_id, NodeKind.CHANGE_IDEA, [node.id])

    def _add(self, team_id: str, kind: NodeKind, parents: list[str]) -> None:
        ws = self.pdsa.ws
        title = t("tui.diagram.add_title", kind=t(f"node.{kind.value}"))
        self._ask_text(
            title, t("text"), "", lambda text: ws.add_node(team_id, kind.value, text, parents=parents)
        )

    def action_rename(self) -> None:
        team_id = self._team()
        if team_id is None or self.diagram is None:
            return
        ws = self.pdsa.ws
        place = self.place()
        if place.kind == "aim":
            self._ask_text(
                t("tui.dash.aim_title"),
                t("aim"),
                self.diagram.aim,
                lambda text, seen=self.diagram.aim: ws.set_aim(team_id, text, seen=seen),
                multiline=True,
            )
            return
        node = self.selected_node()
        if node is None:
            return
        self._ask_text(
            t("tui.diagram.rename_title"),
            t("text"),
            node.text,
            lambda text: ws.rename_node(team_id, node.id, text, seen=node.text),
        )

    def _parent_choices(self, node: DriverNode, exclude: set[str]) -> list[tuple[str, str]]:
        assert self.diagram is not None
        allowed = ALLOWED_PARENTS[node.kind]
        return [
            (n.id, f"{t('node.' + n.kind.value)}: {n.text}")
            for n in self.diagram.nodes
            if n.kind in allowed and n.id not in exclude and n.id != node.id
        ]

    def action_move(self) -> None:
        team_id = self._team()
        node = self.selected_node()
        if team_id is None or node is None:
            return
        if node.kind is NodeKind.PRIMARY:
            self.notify(t("tui.diagram.primary_fixed"), severity="warning")
            return
        place = self.place()
        choices = self._parent_choices(node, set(node.parents))
        if not choices:
            self.notify(t("tui.diagram.nowhere"), severity="warning")
            return

        def chosen(parent_id: str | None) -> None:
            if not parent_id:
                return
            parents = [p for p in node.parents if p != place.parent] + [parent_id]
            if self.attempt(self.pdsa.ws.move_node, team_id, node.id, parents) is not None:
                self.pdsa.changed()

        self.app.push_screen(ChoiceDialog(t("tui.diagram.move_title", text=node.text), choices), chosen)

    def action_link(self) -> None:
        team_id = self._team()
        node = self.selected_node()
        if team_id is None or node is None:
            return
        if node.kind is NodeKind.PRIMARY:
            self.notify(t("tui.diagram.primary_fixed"), severity="warning")
            return
        choices = self._parent_choices(node, set(node.parents))
        if not choices:
            self.notify(t("tui.diagram.nowhere"), severity="warning")
            return

        def chosen(parent_id: str | None) -> None:
            if parent_id and self.attempt(self.pdsa.ws.link_node, team_id, node.id, parent_id) is not None:
                self.pdsa.changed()

        self.app.push_screen(ChoiceDialog(t("tui.diagram.link_title", text=node.text), choices), chosen)

    def action_unlink(self) -> None:
        team_id = self._team()
        node = self.selected_node()
        place = self.place()
        if team_id is None or node is None or not place.parent:
            return
        if self.attempt(self.pdsa.ws.unlink_node, team_id, node.id, place.parent) is not None:
            self.pdsa.changed()

    def action_delete(self) -> None:
        team_id = self._team()
        node = self.selected_node()
        if team_id is None or node is None:
            return
        question = t("tui.diagram.delete_q", kind=t(f"node.{node.kind.value}"), text=node.text)
        if self.diagram is not None and self.diagram.children(node.id):
            question += "\n" + t("tui.diagram.delete_below")

        def confirmed(yes: bool | None) -> None:
            if yes and self.attempt(self.pdsa.ws.delete_node, team_id, node.id) is not None:
                latest = self.pdsa.ws.diagram_history(team_id)[0]
                self.notify(latest.describe(self.pdsa.language), markup=False)
                self.pdsa.changed()

        self.app.push_screen(ConfirmDialog(question, yes=t("tui.diagram.delete_yes")), confirmed)

    def action_undo(self) -> None:
        team_id = self._team()
        if team_id is None:
            return
        change = self.attempt(self.pdsa.ws.undo_diagram, team_id)
        if change is not None:
            self.notify(t("tui.diagram.undid", summary=change.describe(self.pdsa.language)), markup=False)
            self.pdsa.changed()

    def action_history(self) -> None:
        history = self.query_one("#diagram-history")
        history.display = not history.display

    def action_plan(self) -> None:
        team_id = self._team()
        node = self.selected_node()
        if team_id is None:
            return
        if node is None or node.kind is not NodeKind.CHANGE_IDEA:
            self.notify(t("tui.diagram.choose_idea"), severity="warning")
            return
        self.pdsa.new_cycle(change_idea=node.id, title=node.text)
