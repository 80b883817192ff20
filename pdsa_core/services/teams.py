"""Teams and their members."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pdsa_core.domain import IndicatorSet, Member, Team
from pdsa_core.domain.common import name_key, slugify
from pdsa_core.errors import DuplicateError, NotFoundError, ValidationError
from pdsa_core.services.base import ServiceBase, remembered


class TeamService(ServiceBase):
    def teams(self) -> list[Team]:
        def build(snap: Any) -> list[Team]:
            return sorted(
                (Team.from_dict(d) for d in snap.table("teams").values()), key=lambda t: t.name.lower()
            )

        return self.derived("teams", build)

    def team(self, ref: str) -> Team:
        """A team by id or name (case-insensitive); a unique prefix of the name also works."""
        # every lookup of a team, an indicator or its values starts here (a dashboard: ~200
        # times), and a team late in the list was compared with every name before it
        # (60 us for the 50th team): each answer is remembered until the workspace changes
        found: dict[str, Team] = self.derived("team_by_ref", remembered)
        team = found.get(ref) if type(ref) is str else None
        if team is None:
            team = self._find_team(ref)
            if type(ref) is str:
                found[ref] = team
        return team

    def _find_team(self, ref: str) -> Team:
        teams = self.teams()
        key = name_key(ref)
        for team in teams:
            if team.id == ref or name_key(team.name) == key:
                return team
        prefixed = [t for t in teams if name_key(t.name).startswith(key)]
        if len(prefixed) == 1 and key:
            return prefixed[0]
        names = ", ".join(t.name for t in teams)
        if len(prefixed) > 1:
            matching = ", ".join(t.name for t in prefixed)
            raise ValidationError(
                f"{ref!r} matches several teams: {matching}", da=f"{ref!r} passer på flere teams: {matching}"
            )
        raise NotFoundError(
            f"no team {ref!r} in this workspace (teams: {names or 'none yet'})",
            da=f"arbejdsområdet har intet team {ref!r} (teams: {names or 'ingen endnu'})",
        )

    def add_team(
        self,
        name: str,
        *,
        region: str = "other",
        track: str = "voksenspor",
        municipalities: Iterable[str] = (),
        members: Iterable[Member] = (),
        description: str = "",
        indicator_set: IndicatorSet | None = None,
        team_id: str | None = None,
    ) -> Team:
        """Create a team; with an indicator set, the team gets its own copy of each indicator."""
        if isinstance(name, str):
            self._refuse_team_name_taken(name)
        base = team_id or slugify(name)
        ids = {t.id for t in self.teams()}
        tid, n = base, 2
        while tid in ids:
            tid, n = f"{base}-{n}", n + 1
        team = Team(
            id=tid,
            name=name,
            region=region,  # type: ignore[arg-type]
            track=track,  # type: ignore[arg-type]
            municipalities=list(municipalities),
            members=list(members),
            description=description,
            indicator_set=indicator_set.id if indicator_set else "",
            created_at=self.now(),
        )
        with self.transaction() as tx:
            tx.put("teams", team.id, team.to_doc())
            for definition in indicator_set.indicators if indicator_set else []:
                indicator = definition.for_team(team.id, indicator_set.id)  # type: ignore[union-attr]
                tx.put("indicators", f"{team.id}|{indicator.code}", indicator.to_doc())
            self.emit("team_added", team=team.to_dict())
        return team

    def _refuse_team_name_taken(self, name: str, *, but: str = "") -> None:
        """Refuse a name that another team has, up to case, Unicode form and spacing."""
        key = name_key(name)
        for other in self.teams():
            if other.id != but and name_key(other.name) == key:
                raise DuplicateError(
                    f"a team called {other.name!r} already exists",
                    da=f"der findes allerede et team ved navn {other.name!r}",
                )

    def update_team(self, ref: str, **changes: Any) -> Team:
        team = self.team(ref)
        allowed = {"name", "region", "track", "municipalities", "description"}
        unknown = set(changes) - allowed
        if unknown:
            raise ValidationError(
                f"cannot change {', '.join(sorted(unknown))} of a team",
                da=f"et teams {', '.join(sorted(unknown))} kan ikke ændres",
            )
        if "name" in changes and isinstance(changes["name"], str):
            self._refuse_team_name_taken(changes["name"], but=team.id)
        with self.transaction() as tx:
            current = Team.from_dict(tx.get("teams", team.id) or team.to_dict())
            updated = current.replace(**changes, rev=current.rev + 1)
            tx.put("teams", team.id, updated.to_doc())
        return updated

    def add_member(self, ref: str, name: str, role: str = "other", organisation: str = "") -> Team:
        team = self.team(ref)
        member = Member(name=name, role=role, organisation=organisation)  # type: ignore[arg-type]
        with self.transaction() as tx:
            current = Team.from_dict(tx.get("teams", team.id) or team.to_dict())
            if any(name_key(m.name) == name_key(member.name) for m in current.members):
                raise DuplicateError(
                    f"{member.name} is already a member of {current.name}",
                    da=f"{member.name} er allerede medlem af {current.name}",
                )
            updated = current.replace(members=[*current.members, member], rev=current.rev + 1)
            tx.put("teams", team.id, updated.to_doc())
        return updated

    def remove_member(self, ref: str, name: str) -> Team:
        team = self.team(ref)
        with self.transaction() as tx:
            current = Team.from_dict(tx.get("teams", team.id) or team.to_dict())
            kept = [m for m in current.members if name_key(m.name) != name_key(name)]
            if len(kept) == len(current.members):
                raise NotFoundError(
                    f"{name} is not a member of {current.name}", da=f"{name} er ikke medlem af {current.name}"
                )
            updated = current.replace(members=kept, rev=current.rev + 1)
            tx.put("teams", team.id, updated.to_doc())
        return updated
