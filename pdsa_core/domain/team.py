"""Teams (forbedringsteams) and their members."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from pdsa_core.domain.common import optional_text, parse_enum, require_text, text_list, unique
from pdsa_core.domain.record import Record


class Region(StrEnum):
    HOVEDSTADEN = "Region Hovedstaden"
    SJAELLAND = "Region Sjælland"
    SYDDANMARK = "Region Syddanmark"
    MIDTJYLLAND = "Region Midtjylland"
    NORDJYLLAND = "Region Nordjylland"
    OTHER = "other"


class Track(StrEnum):
    ADULTS = "voksenspor"
    CHILDREN = "børne- og ungespor"
    OTHER = "other"


class Role(StrEnum):
    TOVHOLDER = "tovholder"
    LEADER = "leader"
    PEER = "peer"
    DATA_CONSULTANT = "data consultant"
    CLINICIAN = "clinician"
    MUNICIPAL_STAFF = "municipal staff"
    OTHER = "other"


_REGION_ALIASES = {
    "hovedstaden": Region.HOVEDSTADEN,
    "sjælland": Region.SJAELLAND,
    "sjaelland": Region.SJAELLAND,
    "syddanmark": Region.SYDDANMARK,
    "midtjylland": Region.MIDTJYLLAND,
    "nordjylland": Region.NORDJYLLAND,
}
_TRACK_ALIASES = {
    "voksen": Track.ADULTS,
    "adults": Track.ADULTS,
    "adult": Track.ADULTS,
    "børne- og ungespor": Track.CHILDREN,
    "borne- og ungespor": Track.CHILDREN,
    "børne_og_ungespor": Track.CHILDREN,
    "bu": Track.CHILDREN,
    "børn og unge": Track.CHILDREN,
    "children": Track.CHILDREN,
}
_ROLE_ALIASES = {
    "leder": Role.LEADER,
    "peer": Role.PEER,
    "brugerrepræsentant": Role.PEER,
    "pårørenderepræsentant": Role.PEER,
    "datakonsulent": Role.DATA_CONSULTANT,
    "data_consultant": Role.DATA_CONSULTANT,
    "kliniker": Role.CLINICIAN,
    "kommunal medarbejder": Role.MUNICIPAL_STAFF,
    "municipal_staff": Role.MUNICIPAL_STAFF,
}


def parse_region(value: object) -> Region:
    key = str(value).strip().lower().removeprefix("region ").strip()
    if key in _REGION_ALIASES:
        return _REGION_ALIASES[key]
    return parse_enum(Region, value, field="region")


def parse_track(value: object) -> Track:
    key = str(value).strip().lower()
    if key in _TRACK_ALIASES:
        return _TRACK_ALIASES[key]
    return parse_enum(Track, value, field="track")


def parse_role(value: object) -> Role:
    key = str(value).strip().lower()
    if key in _ROLE_ALIASES:
        return _ROLE_ALIASES[key]
    return parse_enum(Role, value, field="role")


@dataclass(frozen=True)
class Member(Record):
    name: str
    role: Role = Role.OTHER
    organisation: str = ""
    email: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "name", require_text(self.name, field="member name", max_length=200, single_line=True)
        )
        object.__setattr__(self, "role", parse_role(self.role))
        object.__setattr__(
            self, "organisation", optional_text(self.organisation, field="organisation", single_line=True)
        )
        object.__setattr__(self, "email", optional_text(self.email, field="email", single_line=True))


@dataclass(frozen=True)
class Team(Record):
    """A local improvement team. ``id`` is a stable slug; ``name`` is what people call it."""

    id: str
    name: str
    region: Region = Region.OTHER
    track: Track = Track.ADULTS
    municipalities: list[str] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)
    description: str = ""
    indicator_set: str = ""
    created_at: str = ""
    rev: int = 0

    nested = {"members": Member}

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "id", require_text(self.id, field="team id", max_length=80, single_line=True)
        )
        object.__setattr__(
            self, "name", require_text(self.name, field="team name", max_length=200, single_line=True)
        )
        object.__setattr__(self, "region", parse_region(self.region))
        object.__setattr__(self, "track", parse_track(self.track))
        munis = list(unique(text_list(self.municipalities, field="municipality", single_line=True)))
        object.__setattr__(self, "municipalities", munis)
        object.__setattr__(self, "members", list(self.members))
        object.__setattr__(self, "description", optional_text(self.description, field="description"))

    def tovholdere(self) -> list[Member]:
        return [m for m in self.members if m.role is Role.TOVHOLDER]
