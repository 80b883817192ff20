"""The driver diagram of a team: edits with history and undo."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pdsa_core.domain import DiagramChange, DriverDiagram, DriverNode, NodeKind
from pdsa_core.domain.common import parse_enum
from pdsa_core.domain.driver import NODE_KIND_DA, DiagramTemplate
from pdsa_core.errors import ConflictError, NotFoundError, ValidationError
from pdsa_core.services.base import ServiceBase
from pdsa_core.services.merge import EditConflict, FieldConflict, same


class DiagramService(ServiceBase):
    def diagram(self, team_ref: str) -> DriverDiagram:
        team = self.team(team_ref)  # type: ignore[attr-defined]
        doc = self.snapshot().table("diagrams").get(team.id)
        return DriverDiagram.from_dict(doc) if doc else DriverDiagram(team_id=team.id)

    def diagram_history(self, team_ref: str) -> list[DiagramChange]:
        """Every edit of the team's diagram, newest first."""
        team = self.team(team_ref)  # type: ignore[attr-defined]
        changes = [
            DiagramChange.from_dict(d)
            for d in self.snapshot().table("diagram_history").values()
            if d["team_id"] == team.id
        ]
        return sorted(changes, key=lambda c: c.seq, reverse=True)

    # -- edits ----------------------------------------------------------------------------------
    def _edit(
        self,
        team_ref: str,
        action: str,
        change: Callable[[DriverDiagram], tuple[DriverDiagram, str, str]],
    ) -> DriverDiagram:
        """Apply ``change`` (diagram -> new diagram, summary, node id) and record it in the history."""
        team = self.team(team_ref)  # type: ignore[attr-defined]
        with self.transaction() as tx:
            doc = tx.get("diagrams", team.id)
            before = DriverDiagram.from_dict(doc) if doc else DriverDiagram(team_id=team.id)
            after, summary, node_id = change(before)
            after = DriverDiagram.from_dict({**after.to_dict(), "rev": before.rev + 1})
            tx.put("diagrams", team.id, after.to_doc())
            record = DiagramChange(
                id=self.new_id("chg"),
                team_id=team.id,
                at=self.now(),
                who=self.actor,
                action=action,
                summary=summary,
                node_id=node_id,
                before=before.to_dict(),
                after=after.to_dict(),
                seq=after.rev,
            )
            tx.put("diagram_history", record.id, record.to_doc())
            self.emit("diagram_changed", team=team.id, action=action, summary=summary)
        return after

    def set_aim(self, team_ref: str, aim: str, *, seen: str | None = None) -> DriverDiagram:
        """Set the aim; ``seen`` is the aim the user edited (a conflict if it changed since)."""

        def change(d: DriverDiagram) -> tuple[DriverDiagram, str, str]:
            self._check_seen(team_ref, "aim", "", d.aim, aim, seen)
            return d.replace(aim=aim), f"aim: {aim.strip()}", ""

        return self._edit(team_ref, "set aim", change)

    def add_node(
        self,
        team_ref: str,
        kind: str,
        text: str,
        *,
        parents: Iterable[str] = (),
        description: str = "",
    ) -> DriverNode:
        node_kind = parse_enum(NodeKind, kind, field="node kind")
        node_id = self.new_id({"primary": "pd", "secondary": "sd", "change idea": "ci"}[node_kind.value])
        parent_refs = list(parents)

        def change(d: DriverDiagram) -> tuple[DriverDiagram, str, str]:
            parent_ids = [d.node(ref).id for ref in parent_refs]
            if node_kind is not NodeKind.PRIMARY and not parent_ids:
                raise ValidationError(
                    f"a {node_kind.value} must hang under a driver: name its parent",
                    da=f"en {NODE_KIND_DA[node_kind]} skal hænge under en driver: angiv hvilken",
                )
            node = DriverNode(
                id=node_id, kind=node_kind, text=text, parents=parent_ids, description=description
            )
            return d.replace(nodes=[*d.nodes, node]), f"added {node_kind.value} {node.text!r}", node_id

        diagram = self._edit(team_ref, "add", change)
        return diagram.node(node_id)

    def rename_node(self, team_ref: str, node_ref: str, text: str, *, seen: str | None = None) -> DriverNode:
        """Change a node's text; ``seen`` is the text the user edited (a conflict if it changed since)."""

        def change(d: DriverDiagram) -> tuple[DriverDiagram, str, str]:
            node = d.node(node_ref)
            self._check_seen(team_ref, "text", node.id, node.text, text, seen)
            renamed = node.replace(text=text)
            nodes = [renamed if n.id == node.id else n for n in d.nodes]
            return d.replace(nodes=nodes), f"renamed {node.text!r} to {renamed.text!r}", node.id

        diagram = self._edit(team_ref, "rename", change)
        return diagram.node(self._resolve(team_ref, node_ref, text))

    def _check_seen(
        self, team_ref: str, name: str, node_id: str, stored: str, yours: str, seen: str | None
    ) -> None:
        """Refuse an edit of a text someone else changed since the user saw it (who and when
        from the diagram's history)."""
        if seen is None or same(stored, seen) or same(stored, yours):
            return
        last = next(
            (c for c in self.diagram_history(team_ref) if c.node_id == node_id and c.action != "undo"), None
        )
        conflict = FieldConflict(
            field=name, seen=seen, yours=yours, theirs=stored,
            by=last.who if last else "", at=last.at if last else "",
        )
        what = f"the driver diagram's {'aim' if not node_id else repr(stored)}"
        what_da = f"driverdiagrammets {'mål' if not node_id else repr(stored)}"
        raise EditConflict(what, what_da, [conflict])

    def _resolve(self, team_ref: str, node_ref: str, new_text: str) -> str:
        diagram = self.diagram(team_ref)
        try:
            return diagram.node(node_ref).id
        except NotFoundError:
            return diagram.node(new_text).id

    def move_node(self, team_ref: str, node_ref: str, parents: Iterable[str]) -> DriverNode:
        """Hang a node under other parents (a change idea may have several)."""
        parent_refs = list(parents)

        def change(d: DriverDiagram) -> tuple[DriverDiagram, str, str]:
            node = d.node(node_ref)
            parent_ids = [d.node(ref).id for ref in parent_refs]
            if node.kind is not NodeKind.PRIMARY and not parent_ids:
                raise ValidationError(
                    f"a {node.kind.value} must hang under at least one driver",
                    da=f"en {NODE_KIND_DA[node.kind]} skal hænge under mindst én driver",
                )
            moved = node.replace(parents=parent_ids)
            names = ", ".join(d.node(p).text for p in parent_ids) or "the aim"
            nodes = [moved if n.id == node.id else n for n in d.nodes]
            return d.replace(nodes=nodes), f"moved {node.text!r} under {names}", node.id

        node_id = self.diagram(team_ref).node(node_ref).id
        return self._edit(team_ref, "move", change).node(node_id)

    def link_node(self, team_ref: str, node_ref: str, parent_ref: str) -> DriverNode:
        """Let a node serve one more driver."""
        node = self.diagram(team_ref).node(node_ref)
        parent = self.diagram(team_ref).node(parent_ref)
        return self.move_node(team_ref, node.id, [*node.parents, parent.id])

    def unlink_node(self, team_ref: str, node_ref: str, parent_ref: str) -> DriverNode:
        node = self.diagram(team_ref).node(node_ref)
        parent = self.diagram(team_ref).node(parent_ref)
        if parent.id not in node.parents:
            raise ValidationError(
                f"{node.text!r} does not hang under {parent.text!r}",
                da=f"{node.text!r} hænger ikke under {parent.text!r}",
            )
        return self.move_node(team_ref, node.id, [p for p in node.parents if p != parent.id])

    def delete_node(self, team_ref: str, node_ref: str) -> DriverDiagram:
        """Delete a node and every node below it that serves no other driver."""

        def change(d: DriverDiagram) -> tuple[DriverDiagram, str, str]:
            node = d.node(node_ref)
            doomed = {node.id}
            grew = True
            while grew:
                grew = False
                for n in d.nodes:
                    if n.id not in doomed and n.parents and all(p in doomed for p in n.parents):
                        doomed.add(n.id)
                        grew = True
            kept = [
                n.replace(parents=[p for p in n.parents if p not in doomed])
                for n in d.nodes
                if n.id not in doomed
            ]
            extra = f" and {len(doomed) - 1} node(s) below it" if len(doomed) > 1 else ""
            return d.replace(nodes=kept), f"deleted {node.kind.value} {node.text!r}{extra}", node.id

        return self._edit(team_ref, "delete", change)

    def undo_diagram(self, team_ref: str) -> DiagramChange:
        """Undo the latest edit that is not undone yet; refuses if the diagram changed since."""
        team = self.team(team_ref)  # type: ignore[attr-defined]
        candidates = [c for c in self.diagram_history(team.id) if not c.undone and c.action != "undo"]
        if not candidates:
            raise NotFoundError(
                "nothing to undo in the driver diagram", da="der er intet at fortryde i driverdiagrammet"
            )
        last = candidates[0]
        with self.transaction() as tx:
            doc = tx.get("diagrams", team.id) or {}
            current = DriverDiagram.from_dict(doc) if doc else DriverDiagram(team_id=team.id)
            expected = DriverDiagram.from_dict(last.after or {"team_id": team.id})
            if current.nodes != expected.nodes or current.aim != expected.aim:
                raise ConflictError(
                    "the driver diagram changed after that edit; undo the later edits first",
                    da="driverdiagrammet er ændret siden den ændring; fortryd de senere ændringer først",
                )
            restored = DriverDiagram.from_dict(
                {**(last.before or {"team_id": team.id}), "rev": current.rev + 1}
            )
            tx.put("diagrams", team.id, restored.to_doc())
            tx.put("diagram_history", last.id, last.replace(undone=True).to_doc())
            record = DiagramChange(
                id=self.new_id("chg"),
                team_id=team.id,
                at=self.now(),
                who=self.actor,
                action="undo",
                summary=f"undid: {last.summary}",
                node_id=last.node_id,
                before=current.to_dict(),
                after=restored.to_dict(),
                seq=restored.rev,
            )
            tx.put("diagram_history", record.id, record.to_doc())
            self.emit("diagram_changed", team=team.id, action="undo", summary=record.summary)
        return last

    def apply_template(self, team_ref: str, template: DiagramTemplate) -> DriverDiagram:
        """Fill an empty driver diagram from a template (refuses to overwrite a diagram in use)."""

        def change(d: DriverDiagram) -> tuple[DriverDiagram, str, str]:
            if d.nodes:
                raise ValidationError(
                    "the driver diagram is not empty; a template can only start a new one",
                    da="driverdiagrammet er ikke tomt; en skabelon kan kun bruges til at starte et nyt",
                )
            nodes: list[DriverNode] = []
            for primary in template.drivers:
                pid = self.new_id("pd")
                nodes.append(
                    DriverNode(
                        id=pid, kind=NodeKind.PRIMARY, text=primary.text, description=primary.description
                    )
                )
                for secondary in primary.children:
                    sid = self.new_id("sd")
                    nodes.append(
                        DriverNode(
                            id=sid,
                            kind=NodeKind.SECONDARY,
                            text=secondary.text,
                            parents=[pid],
                            description=secondary.description,
                        )
                    )
                    for idea in secondary.children:
                        nodes.append(
                            DriverNode(
                                id=self.new_id("ci"),
                                kind=NodeKind.CHANGE_IDEA,
                                text=idea.text,
                                parents=[sid],
                                description=idea.description,
                            )
                        )
            aim = d.aim or template.aim
            return d.replace(aim=aim, nodes=nodes), f"started from template {template.name_da}", ""

        return self._edit(team_ref, "template", change)
