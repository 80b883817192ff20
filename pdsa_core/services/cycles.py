"""PDSA cycles: the worksheet, status moves, the Act decision and ramps."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pdsa_core.domain import ActDecision, Annotation, AnnotationKind, CycleStatus, PdsaCycle
from pdsa_core.domain.common import parse_enum
from pdsa_core.domain.cycle import WORKSHEET_FIELDS
from pdsa_core.errors import NotFoundError, ValidationError
from pdsa_core.i18n import t
from pdsa_core.services.base import ServiceBase
from pdsa_core.services.merge import EditConflict, field_conflicts, same, stamp
from pdsa_core.storage import Transaction

#: fields carried over to the next cycle of a ramp when the team decides to adapt
CARRIED_OVER = (
    "change_idea",
    "objective",
    "questions",
    "plan_who",
    "plan_what",
    "plan_where",
    "data_to_collect",
    "owner",
    "indicators",
)


class CycleService(ServiceBase):
    def cycles(self, team_ref: str | None = None, *, status: str | None = None) -> list[PdsaCycle]:
        docs = self.snapshot().table("cycles").values()
        team_id = self.team(team_ref).id if team_ref else None  # type: ignore[attr-defined]
        wanted = parse_enum(CycleStatus, status, field="status") if status else None
        items = [PdsaCycle.from_dict(d) for d in docs if team_id is None or d["team_id"] == team_id]
        if wanted:
            items = [c for c in items if c.status is wanted]
        return sorted(items, key=lambda c: c.id)

    def cycle(self, ref: str, team_ref: str | None = None) -> PdsaCycle:
        """A cycle by id, or by title within a team."""
        doc = self.snapshot().table("cycles").get(ref)
        if doc:
            return PdsaCycle.from_dict(doc)
        pool = self.cycles(team_ref)
        matches = [c for c in pool if c.title.lower() == ref.strip().lower()]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            ids = ", ".join(c.id for c in matches)
            raise ValidationError(
                f"{len(matches)} cycles are called {ref!r} ({ids}); use the id",
                da=f"{len(matches)} PDSA-cirkler hedder {ref!r} ({ids}); brug id'et",
            )
        raise NotFoundError(f"no PDSA cycle {ref!r}", da=f"der er ingen PDSA-cirkel {ref!r}")

    def add_cycle(self, team_ref: str, title: str, *, change_idea: str = "", **fields: Any) -> PdsaCycle:
        team = self.team(team_ref)  # type: ignore[attr-defined]
        unknown = set(fields) - set(WORKSHEET_FIELDS) - {"follows", "status"}
        if unknown:
            raise ValidationError(
                f"unknown cycle field(s): {', '.join(sorted(unknown))}",
                da=f"ukendt(e) felt(er) i PDSA-cirklen: {', '.join(sorted(unknown))}",
            )
        idea_id = self.diagram(team.id).node(change_idea).id if change_idea else ""  # type: ignore[attr-defined]
        for code in fields.get("indicators", ()):
            self.indicator(team.id, code)  # type: ignore[attr-defined]
        now = self.now()
        cycle = PdsaCycle(
            id=self.new_id("pdsa"),
            team_id=team.id,
            title=title,
            change_idea=idea_id,
            created_at=now,
            updated_at=now,
            **fields,
        )
        with self.transaction() as tx:
            tx.put("cycles", cycle.id, cycle.to_doc())
            self.emit("cycle_added", cycle=cycle.to_dict())
        return cycle

    def update_cycle(
        self,
        ref: str,
        *,
        expected_rev: int | None = None,
        seen: Mapping[str, Any] | None = None,
        **changes: Any,
    ) -> PdsaCycle:
        """Change worksheet fields; the others keep what is stored (also another user's new text).

        ``seen`` is what the editor showed for the changed fields (a form, ``pdsa cycle
        update``); ``expected_rev`` the version they started from. A field someone else
        changed since to another value is a conflict (:class:`~pdsa_core.services.merge.EditConflict`
        with both values, who and when) and nothing is saved; different fields merge.
        """
        unknown = set(changes) - set(WORKSHEET_FIELDS)
        if unknown:
            raise ValidationError(
                f"cannot set {', '.join(sorted(unknown))} on a cycle; "
                f"fields are {', '.join(WORKSHEET_FIELDS)}",
                da=f"{', '.join(sorted(unknown))} kan ikke sættes på en PDSA-cirkel; "
                f"felterne er {', '.join(WORKSHEET_FIELDS)}",
            )
        cycle = self.cycle(ref)
        if "change_idea" in changes and changes["change_idea"]:
            changes["change_idea"] = self.diagram(cycle.team_id).node(changes["change_idea"]).id  # type: ignore[attr-defined]
        for code in changes.get("indicators", ()) or ():
            self.indicator(cycle.team_id, code)  # type: ignore[attr-defined]
        with self.transaction() as tx:
            current = self._current(tx, cycle.id)
            conflicts = field_conflicts(
                current.to_dict(),
                changes,
                seen=seen,
                expected_rev=expected_rev,
                edits=current.edits,
                current_rev=current.rev,
            )
            if conflicts:
                raise EditConflict(
                    f"cycle {current.title!r}", f"PDSA-cirklen {current.title!r}", conflicts
                )
            wanted = {k: v for k, v in changes.items() if not same(getattr(current, k), v)}
            if not wanted:
                return current
            updated = self._stamped(current, wanted)
            tx.put("cycles", updated.id, updated.to_doc())
        return updated

    def _stamped(self, cycle: PdsaCycle, changes: dict[str, Any]) -> PdsaCycle:
        """``cycle`` with ``changes``, one version on, each changed field stamped with who and when."""
        now = self.now()
        rev = cycle.rev + 1
        fields = [k for k in changes if k in WORKSHEET_FIELDS]
        edits = stamp(cycle.edits, fields, by=self.actor, at=now, rev=rev)
        return cycle.replace(**changes, rev=rev, updated_at=now, edits=edits)

    def _current(self, tx: Transaction, cycle_id: str) -> PdsaCycle:
        doc = tx.get("cycles", cycle_id)
        if doc is None:
            raise NotFoundError(f"no PDSA cycle {cycle_id!r}", da=f"der er ingen PDSA-cirkel {cycle_id!r}")
        return PdsaCycle.from_dict(doc)

    def set_cycle_status(self, ref: str, status: str) -> PdsaCycle:
        """Move a cycle on the board; starting and ending it annotate its indicators."""
        target = parse_enum(CycleStatus, status, field="status")
        cycle = self.cycle(ref)
        with self.transaction() as tx:
            updated = self._move(tx, self._current(tx, cycle.id), target)
        return updated

    def _move(self, tx: Transaction, cycle: PdsaCycle, target: CycleStatus) -> PdsaCycle:
        if target is cycle.status:
            return cycle
        if not cycle.can_move_to(target):
            raise ValidationError(
                f"cycle {cycle.title!r} cannot move from {cycle.status.value} to {target.value}",
                da=f"PDSA-cirklen {cycle.title!r} kan ikke flyttes fra "
                f"{t(f'status.{cycle.status.value}', 'da')} til {t(f'status.{target.value}', 'da')}",
            )
        changes: dict[str, Any] = {"status": target}
        today = self.today()  # the workspace clock (a demo tells its story on a fixed day)
        if target is CycleStatus.DOING and not cycle.start_date:
            changes["start_date"] = today
            self._annotate(tx, cycle, today, AnnotationKind.PDSA_START, f"PDSA start: {cycle.title}")
        if target in (CycleStatus.DONE, CycleStatus.ABANDONED):
            end = cycle.end_date or today
            changes["end_date"] = max(end, cycle.start_date) if cycle.start_date else end
            self._annotate(
                tx, cycle, changes["end_date"], AnnotationKind.PDSA_END, f"PDSA end: {cycle.title}"
            )
        updated = self._stamped(cycle, changes)
        tx.put("cycles", updated.id, updated.to_doc())
        self.emit("cycle_status_changed", cycle=updated.to_dict(), old_status=cycle.status.value)
        return updated

    def _annotate(
        self, tx: Transaction, cycle: PdsaCycle, date: str, kind: AnnotationKind, text: str
    ) -> None:
        if not cycle.indicators:
            return
        note = Annotation(
            id=self.new_id("ann"),
            team_id=cycle.team_id,
            date=date,
            text=text,
            kind=kind,
            indicators=list(cycle.indicators),
            created_at=self.now(),
        )
        tx.put("annotations", note.id, note.to_doc())

    def act(
        self, ref: str, decision: str, *, next_step: str = "", next_title: str = ""
    ) -> tuple[PdsaCycle, PdsaCycle | None]:
        """Record the Act decision. Adopt ends the cycle; abandon abandons it; adapt ends it and
        starts the next cycle of the ramp with the plan carried over."""
        choice = parse_enum(ActDecision, decision, field="act decision")
        if choice is ActDecision.NONE:
            raise ValidationError(
                "choose adopt, adapt or abandon",
                da="vælg indfør (adopt), tilpas (adapt) eller opgiv (abandon)",
            )
        cycle = self.cycle(ref)
        follow_up: PdsaCycle | None = None
        with self.transaction() as tx:
            current = self._current(tx, cycle.id)
            for step in (CycleStatus.DOING, CycleStatus.STUDYING, CycleStatus.ACTING):
                order = [CycleStatus.PLANNED, CycleStatus.DOING, CycleStatus.STUDYING, CycleStatus.ACTING]
                if current.status in order and order.index(current.status) < order.index(step):
                    current = self._move(tx, current, step)
            decided = ["act_decision"] + (["next_step"] if next_step else [])
            current = current.replace(
                act_decision=choice,
                next_step=next_step or current.next_step,
                edits=stamp(current.edits, decided, by=self.actor, at=self.now(), rev=current.rev + 1),
            )
            end_status = CycleStatus.ABANDONED if choice is ActDecision.ABANDON else CycleStatus.DONE
            current = self._move(tx, current, end_status)
            if choice is ActDecision.ADAPT:
                now = self.now()
                carried = {name: getattr(current, name) for name in CARRIED_OVER}
                follow_up = PdsaCycle(
                    id=self.new_id("pdsa"),
                    team_id=current.team_id,
                    title=next_title or _next_title(current.title),
                    predictions="",
                    follows=current.id,
                    created_at=now,
                    updated_at=now,
                    plan_when="",
                    **carried,
                )
                tx.put("cycles", follow_up.id, follow_up.to_doc())
                self.emit("cycle_added", cycle=follow_up.to_dict())
        return current, follow_up

    def ramp(self, ref: str) -> list[PdsaCycle]:
        """The chain of cycles this one belongs to, first to last."""
        cycle = self.cycle(ref)
        team_cycles = {c.id: c for c in self.cycles(cycle.team_id)}
        first = cycle
        seen = {first.id}
        while first.follows and first.follows in team_cycles and first.follows not in seen:
            first = team_cycles[first.follows]
            seen.add(first.id)
        chain = [first]
        while True:
            nxt = [
                c
                for c in team_cycles.values()
                if c.follows == chain[-1].id and c.id not in {x.id for x in chain}
            ]
            if not nxt:
                return chain
            chain.append(nxt[0])

    def delete_cycle(self, ref: str) -> PdsaCycle:
        cycle = self.cycle(ref)
        with self.transaction() as tx:
            tx.delete("cycles", cycle.id)
        return cycle


def _next_title(title: str) -> str:
    """ "Ringe hjem (cyklus 2)" -> "Ringe hjem (cyklus 3)"; otherwise append " (cyklus 2)"."""
    import re

    match = re.match(r"^(.*)\(cyklus (\d+)\)\s*$", title)
    if match:
        return f"{match[1]}(cyklus {int(match[2]) + 1})"
    return f"{title} (cyklus 2)"
