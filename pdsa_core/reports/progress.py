"""The team's progress as plain data: change ideas with what the tests decided, PDSA ramps, diagram tree.

Used by the status report (progress of the PDSA cycles and the driver diagram), the
storyboard (the ramps and the diagram) and the national roll-up (how change ideas spread:
which teams adopted, adapted or abandoned each).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pdsa_core.domain import ActDecision, CycleStatus, DriverDiagram, NodeKind, PdsaCycle
from pdsa_core.i18n import t

if TYPE_CHECKING:
    from pdsa_core.workspace import Workspace

#: what the tests of a change idea came to, from not tried to decided
IDEA_STATES = ("untested", "planned", "testing", "adopted", "adapted", "abandoned")

IDEA_STATE_LABELS = {
    "untested": ("ikke afprøvet", "not tested"),
    "planned": ("planlagt", "planned"),
    "testing": ("afprøves", "being tested"),
    "adopted": ("fastholdt", "adopted"),
    "adapted": ("tilpasset", "adapted"),
    "abandoned": ("opgivet", "abandoned"),
}

#: a cycle's status in words, the same as on screen ("Afprøves (Do)"), from :mod:`pdsa_core.i18n`
STATUS_LABELS = {s.value: (t(f"status.{s.value}", "da"), t(f"status.{s.value}", "en")) for s in CycleStatus}

DECISION_LABELS = {
    "adopt": ("Fasthold", "Adopt"),
    "adapt": ("Tilpas", "Adapt"),
    "abandon": ("Opgiv", "Abandon"),
}

KIND_LABELS = {
    NodeKind.PRIMARY: ("Primær driver", "Primary driver"),
    NodeKind.SECONDARY: ("Sekundær driver", "Secondary driver"),
    NodeKind.CHANGE_IDEA: ("Forandringsidé", "Change idea"),
}


def period_end_day(period: str) -> str:
    """The last day of a month ``YYYY-MM`` as ``YYYY-MM-DD``."""
    import calendar

    year, month = int(period[:4]), int(period[5:7])
    return f"{period[:7]}-{calendar.monthrange(year, month)[1]:02d}"


def diagram_as_of(ws: Workspace, team_id: str, day: str | None) -> DriverDiagram:
    """The team's driver diagram as it stood at the end of ``day`` (``YYYY-MM-DD``; None: today).

    Read from the diagram's history: the state after the last edit made on or before that
    day. A diagram first typed in after the day (a team that starts using pdsa after the
    period) is shown as it was entered on its first day; one without history as it is.
    """
    current = ws.diagram(team_id)
    if day is None:
        return current
    history = ws.diagram_history(team_id)
    if not history:
        return current
    earlier = [c for c in history if c.at[:10] <= day]
    if not earlier:
        first_day = min(c.at[:10] for c in history)
        earlier = [c for c in history if c.at[:10] == first_day]
    last = max(earlier, key=lambda c: c.seq)
    return DriverDiagram.from_dict({**(last.after or {}), "team_id": team_id})


def cycles_as_of(cycles: Iterable[PdsaCycle], day: str | None) -> list[PdsaCycle]:
    """The cycles as they stood at the end of ``day`` (``YYYY-MM-DD``; None: as they are now).

    Cycles keep no history of their moves, so this reads their own dates, which a team may
    well type in later: a cycle that started after the day (or, without a start, was
    created after it) is left out; one that ended by then is shown as it is, its Act
    decision dated by its end; one that ended later shows as it stood: in Do when it had
    started, without its end date, results or decision.
    """
    if day is None:
        return list(cycles)
    shown = []
    for cycle in cycles:
        first = cycle.start_date or cycle.created_at[:10]
        if first and first > day:
            continue  # not there yet
        if cycle.end_date and cycle.end_date <= day:
            shown.append(cycle)
            continue
        if not cycle.end_date and (cycle.updated_at or "")[:10] <= day:
            shown.append(cycle)  # still running then, and not changed since
            continue
        started = bool(cycle.start_date) and cycle.start_date <= day
        if cycle.status is CycleStatus.PLANNED or not started:
            status = CycleStatus.PLANNED
        else:
            status = CycleStatus.DOING
        shown.append(
            cycle.replace(
                status=status,
                act_decision=ActDecision.NONE,
                end_date="",
                start_date=cycle.start_date if started else "",
                study_results="",
                next_step="",
            )
        )
    return shown


def label(table: dict[str, tuple[str, str]], key: str, lang: str) -> str:
    da, en = table.get(key, (key, key))
    return da if lang == "da" else en


def normalise_title(text: str) -> str:
    """A change idea's title for matching across teams.

    Case, accents, punctuation, spacing and a trailing "(cyklus 2)" do not matter:
    "Ringe hjem-ordning (cyklus 3)" and "ringe hjem ordning" match.
    """
    text = re.sub(r"\((?:cyklus|cycle)\s*\d+\)\s*$", "", text.strip(), flags=re.I)
    text = text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def idea_state(cycles: Iterable[PdsaCycle]) -> str:
    """What the tests of one change idea came to: the state of its most recent cycle."""
    ordered = sorted(cycles, key=lambda c: (c.end_date or c.start_date or c.created_at, c.created_at))
    if not ordered:
        return "untested"
    last = ordered[-1]
    if last.status in (CycleStatus.DOING, CycleStatus.STUDYING, CycleStatus.ACTING):
        return "testing"
    if last.status is CycleStatus.PLANNED:
        # a planned next cycle of an adapted ramp: the idea was adapted
        decided = [c for c in ordered if c.act_decision is not ActDecision.NONE]
        return _decision_state(decided[-1]) if decided else "planned"
    if last.status is CycleStatus.ABANDONED:
        return "abandoned"
    return _decision_state(last)


def _decision_state(cycle: PdsaCycle) -> str:
    return {
        ActDecision.ADOPT: "adopted",
        ActDecision.ADAPT: "adapted",
        ActDecision.ABANDON: "abandoned",
    }.get(cycle.act_decision, "adopted" if cycle.status is CycleStatus.DONE else "testing")


def cycles_by_idea(diagram: DriverDiagram, cycles: list[PdsaCycle]) -> dict[str, list[PdsaCycle]]:
    """Change idea id -> its cycles; a cycle without an idea is keyed ``cycle:<first of its ramp>``."""
    by_id = {c.id: c for c in cycles}
    grouped: dict[str, list[PdsaCycle]] = {}
    idea_ids = {n.id for n in diagram.of_kind(NodeKind.CHANGE_IDEA)} | {n.id for n in diagram.nodes}
    for cycle in cycles:
        if cycle.change_idea and cycle.change_idea in idea_ids:
            key = cycle.change_idea
        else:
            key = f"cycle:{_ramp_start(cycle, by_id).id}"
        grouped.setdefault(key, []).append(cycle)
    return grouped


def _ramp_start(cycle: PdsaCycle, by_id: dict[str, PdsaCycle]) -> PdsaCycle:
    seen = {cycle.id}
    while cycle.follows and cycle.follows in by_id and cycle.follows not in seen:
        cycle = by_id[cycle.follows]
        seen.add(cycle.id)
    return cycle


def ramps(diagram: DriverDiagram, cycles: list[PdsaCycle], lang: str) -> list[dict[str, Any]]:
    """Each ramp (a first cycle and those that follow it) with its change idea, for display."""
    by_id = {c.id: c for c in cycles}
    nodes = {n.id: n for n in diagram.nodes}
    chains: dict[str, list[PdsaCycle]] = {}
    for cycle in cycles:
        chains.setdefault(_ramp_start(cycle, by_id).id, []).append(cycle)
    result: list[dict[str, Any]] = []
    for start_id, chain in chains.items():
        chain = _order_chain(by_id[start_id], chain)
        idea_node = next((nodes[c.change_idea] for c in chain if c.change_idea in nodes), None)
        idea = idea_node.text if idea_node else ""
        shown = []
        for cycle in chain:
            item = cycle_display(cycle, lang)
            item["same_as_idea"] = bool(idea) and normalise_title(cycle.title) == normalise_title(idea)
            shown.append(item)
        result.append(
            {
                "idea": idea,
                "state": idea_state(chain),
                "state_label": label(IDEA_STATE_LABELS, idea_state(chain), lang),
                "cycles": shown,
            }
        )
    result.sort(key=lambda r: (r["state"] != "testing", (r["idea"] or r["cycles"][0]["title"]).lower()))
    return result


def _order_chain(first: PdsaCycle, chain: list[PdsaCycle]) -> list[PdsaCycle]:
    ordered = [first]
    rest = [c for c in chain if c.id != first.id]
    while rest:
        nxt = next((c for c in rest if c.follows == ordered[-1].id), None)
        if nxt is None:  # a branch: keep creation order
            ordered += sorted(rest, key=lambda c: c.created_at)
            break
        ordered.append(nxt)
        rest.remove(nxt)
    return ordered


def cycle_display(cycle: PdsaCycle, lang: str) -> dict[str, Any]:
    dates = " – ".join(d for d in (cycle.start_date, cycle.end_date) if d)
    decision = cycle.act_decision.value
    return {
        "id": cycle.id,
        "title": cycle.title,
        "status": cycle.status.value,
        "status_label": label(STATUS_LABELS, cycle.status.value, lang),
        "dates": dates,
        "decision": decision,
        "decision_label": label(DECISION_LABELS, decision, lang) if decision else "",
        "owner": cycle.owner,
        "start_date": cycle.start_date,
        "end_date": cycle.end_date,
        "study_results": cycle.study_results,
        "next_step": cycle.next_step,
    }


def diagram_tree(diagram: DriverDiagram, cycles: list[PdsaCycle], lang: str) -> list[dict[str, Any]]:
    """The diagram as nested dicts (primary -> secondary -> change idea), ideas with their state."""
    grouped = cycles_by_idea(diagram, cycles)

    def node_dict(node: Any, seen: frozenset[str]) -> dict[str, Any]:
        children = [c for c in diagram.children(node.id) if c.id not in seen]
        # secondary drivers first, then ideas hanging directly under the node
        children.sort(key=lambda c: 0 if c.kind is NodeKind.SECONDARY else 1)
        state = ""
        if node.kind is NodeKind.CHANGE_IDEA:
            state = idea_state(grouped.get(node.id, []))
        return {
            "id": node.id,
            "kind": node.kind.value,
            "kind_css": {"primary": "primary", "secondary": "secondary"}.get(node.kind.value, "idea"),
            "kind_label": label({k.value: v for k, v in KIND_LABELS.items()}, node.kind.value, lang),
            "text": node.text,
            "status": state if state != "untested" else "",
            "status_label": label(IDEA_STATE_LABELS, state, lang) if state and state != "untested" else "",
            "children": [node_dict(c, seen | {c.id}) for c in children],
        }

    return [node_dict(p, frozenset({p.id})) for p in diagram.children(None)]


def diagram_labels(lang: str) -> dict[str, str]:
    da = lang == "da"
    return {
        "aim": "Mål" if da else "Aim",
        "primary": "Primære drivere" if da else "Primary drivers",
        "secondary": "Sekundære drivere" if da else "Secondary drivers",
        "change_idea": "Forandringsidéer" if da else "Change ideas",
        "no_aim": "Målet er ikke skrevet endnu." if da else "No aim written yet.",
        "empty": "Driverdiagrammet er tomt." if da else "The driver diagram is empty.",
    }


def ramp_labels(lang: str) -> dict[str, str]:
    return {
        "empty": "Ingen PDSA-cirkler endnu." if lang == "da" else "No PDSA cycles yet.",
        "cycle": "Cyklus" if lang == "da" else "Cycle",
    }
