"""The driver diagram: aim -> primary drivers -> secondary drivers -> change ideas.

A change idea can serve several drivers, so nodes have a list of parents rather than
one. Every edit is recorded as a :class:`DiagramChange` holding the node before and
after, which is what makes history and undo cheap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from pdsa_core.domain.common import optional_text, parse_enum, require_text
from pdsa_core.domain.record import Record
from pdsa_core.errors import NotFoundError, ValidationError


class NodeKind(StrEnum):
    PRIMARY = "primary"
    SECONDARY = "secondary"
    CHANGE_IDEA = "change idea"


#: a kind as Danish messages name it ("en primær driver", "en forandringsidé")
NODE_KIND_DA: dict[NodeKind, str] = {
    NodeKind.PRIMARY: "primær driver",
    NodeKind.SECONDARY: "sekundær driver",
    NodeKind.CHANGE_IDEA: "forandringsidé",
}

#: which kinds a node of each kind may hang under
ALLOWED_PARENTS: dict[NodeKind, frozenset[NodeKind]] = {
    NodeKind.PRIMARY: frozenset(),
    NodeKind.SECONDARY: frozenset({NodeKind.PRIMARY}),
    NodeKind.CHANGE_IDEA: frozenset({NodeKind.PRIMARY, NodeKind.SECONDARY}),
}


@dataclass(frozen=True)
class DriverNode(Record):
    id: str
    kind: NodeKind
    text: str
    parents: list[str] = field(default_factory=list)
    description: str = ""
    indicators: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", parse_enum(NodeKind, self.kind, field="node kind"))
        object.__setattr__(
            self, "text", require_text(self.text, field=f"{self.kind.value} text", max_length=500)
        )
        object.__setattr__(self, "parents", list(dict.fromkeys(self.parents)))
        object.__setattr__(self, "description", optional_text(self.description, field="description"))
        if self.kind is NodeKind.PRIMARY and self.parents:
            raise ValidationError(
                "a primary driver hangs under the aim and has no parent driver",
                da="en primær driver hænger direkte under målet og har ingen driver over sig",
            )


@dataclass(frozen=True)
class DriverDiagram(Record):
    team_id: str
    aim: str = ""
    nodes: list[DriverNode] = field(default_factory=list)
    rev: int = 0

    nested = {"nodes": DriverNode}

    def __post_init__(self) -> None:
        object.__setattr__(self, "aim", optional_text(self.aim, field="aim", max_length=2000))
        self.check()

    def check(self) -> None:
        """Every parent exists and is of an allowed kind; ids are unique."""
        by_id: dict[str, DriverNode] = {}
        for node in self.nodes:
            if node.id in by_id:
                raise ValidationError(
                    f"driver diagram has two nodes with id {node.id}",
                    da=f"driverdiagrammet har to punkter med id {node.id}",
                )
            by_id[node.id] = node
        for node in self.nodes:
            for parent_id in node.parents:
                parent = by_id.get(parent_id)
                if parent is None:
                    raise ValidationError(
                        f"{node.kind.value} {node.text!r} hangs under a missing node {parent_id}",
                        da=f"{NODE_KIND_DA[node.kind]} {node.text!r} hænger under et punkt, der ikke "
                        f"findes ({parent_id})",
                    )
                if parent.kind not in ALLOWED_PARENTS[node.kind]:
                    raise ValidationError(
                        f"a {node.kind.value} cannot hang under a {parent.kind.value} "
                        f"({node.text!r} under {parent.text!r})",
                        da=f"en {NODE_KIND_DA[node.kind]} kan ikke hænge under en "
                        f"{NODE_KIND_DA[parent.kind]} ({node.text!r} under {parent.text!r})",
                    )

    def node(self, ref: str) -> DriverNode:
        """Find a node by id, or by its text (case-insensitive) when unique."""
        for node in self.nodes:
            if node.id == ref:
                return node
        matches = [n for n in self.nodes if n.text.lower() == ref.strip().lower()]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise ValidationError(
                f"{len(matches)} nodes are called {ref!r}; use the id",
                da=f"{len(matches)} punkter hedder {ref!r}; brug id'et",
            )
        raise NotFoundError(
            f"no driver or change idea {ref!r} in the driver diagram",
            da=f"driverdiagrammet har ingen driver eller forandringsidé {ref!r}",
        )

    def children(self, node_id: str | None) -> list[DriverNode]:
        """Children of a node, or the primary drivers when ``node_id`` is None."""
        if node_id is None:
            return [n for n in self.nodes if n.kind is NodeKind.PRIMARY]
        return [n for n in self.nodes if node_id in n.parents]

    def of_kind(self, kind: NodeKind) -> list[DriverNode]:
        return [n for n in self.nodes if n.kind is kind]


@dataclass(frozen=True)
class DiagramChange(Record):
    """One edit of a team's driver diagram: who, when, what (with before and after)."""

    id: str
    team_id: str
    at: str
    who: str
    action: str
    summary: str
    node_id: str = ""
    before: dict | None = None
    after: dict | None = None
    undone: bool = False
    seq: int = 0
    """The diagram's revision after this edit: orders edits made within the same second."""

    def describe(self, lang: str = "da") -> str:
        """What the edit did, in ``lang``, from its action and the diagram before and after.

        ``summary`` is the English text written when the edit was made; this gives the same
        in Danish too, for the diagram's history in reports and on screen. An undo names
        what it undid when it can tell (the node it restored or removed).
        """
        if lang != "da":
            return self.summary
        before = _nodes(self.before)
        after = _nodes(self.after)
        node = after.get(self.node_id) or before.get(self.node_id)
        kind = NODE_KIND_DA.get(NodeKind(node["kind"]), "punkt") if node else "punkt"
        text = f"«{node['text']}»" if node else ""
        if self.action == "set aim":
            return f"Mål: {(self.after or {}).get('aim', '')}".rstrip()
        if self.action == "add":
            return f"Tilføjede {kind} {text}"
        if self.action == "rename":
            old = before.get(self.node_id, {}).get("text", "")
            return f"Omdøbte «{old}» til {text}"
        if self.action == "move":
            parents = [after[p]["text"] for p in (node or {}).get("parents", []) if p in after]
            where = ", ".join(f"«{p}»" for p in parents) or "øverste niveau"
            return f"Flyttede {text} under {where}"
        if self.action == "delete":
            gone = len(set(before) - set(after)) - 1
            extra = f" og {gone} {'punkt' if gone == 1 else 'punkter'} under den" if gone > 0 else ""
            return f"Slettede {kind} {text}{extra}"
        if self.action == "template":
            name = self.summary.removeprefix("started from template ").strip()
            return f"Startede fra skabelonen {name}".rstrip()
        if self.action == "undo":
            added = set(after) - set(before)
            removed = set(before) - set(after)
            if added:
                return f"Fortrød sletningen af «{after[sorted(added)[0]]['text']}»"
            if removed:
                return f"Fortrød tilføjelsen af «{before[sorted(removed)[0]]['text']}»"
            return "Fortrød en ændring" + (f" af {text}" if text else "")
        return self.summary


def _nodes(diagram: dict | None) -> dict[str, dict]:
    """A stored diagram's nodes by id."""
    return {str(n.get("id")): n for n in (diagram or {}).get("nodes", []) if isinstance(n, dict)}


@dataclass(frozen=True)
class TemplateNode(Record):
    """A node of a diagram template, written as a tree (children under their parent)."""

    text: str
    children: list[TemplateNode] = field(default_factory=list)
    description: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", require_text(self.text, field="template node text", max_length=500))


TemplateNode.nested = {"children": TemplateNode}


@dataclass(frozen=True)
class DiagramTemplate(Record):
    """A driver diagram to start from: aim, primary drivers, their secondary drivers, change ideas.

    The tree is three levels deep: ``drivers`` are primary drivers, their children are
    secondary drivers, and theirs are change ideas.
    """

    id: str
    name_da: str
    name_en: str = ""
    aim: str = ""
    drivers: list[TemplateNode] = field(default_factory=list)
    source: str = ""

    nested = {"drivers": TemplateNode}

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", require_text(self.id, field="template id", max_length=80))
        object.__setattr__(self, "name_da", require_text(self.name_da, field="template name"))
        for primary in self.drivers:
            for secondary in primary.children:
                for idea in secondary.children:
                    if idea.children:
                        raise ValidationError(
                            f"template {self.id}: change idea {idea.text!r} cannot have children "
                            "(aim -> primary -> secondary -> change idea)",
                            da=f"skabelon {self.id}: forandringsidéen {idea.text!r} kan ikke have noget "
                            "under sig (mål -> primær driver -> sekundær driver -> forandringsidé)",
                        )
