"""Choosing a team and creating one (from an indicator set a plugin registered)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pdsa_core.domain import Region, Track
from pdsa_core.i18n import get_language, t
from tui.dialogs.common import ChoiceDialog, Field, FormDialog

if TYPE_CHECKING:
    from pdsa_core.workspace import Workspace

NEW_TEAM = "__new__"


def team_picker(ws: Workspace) -> ChoiceDialog:
    """Every team (name · region · track) and, last, "create a new team"."""
    options = [
        (team.id, f"{team.name}  ·  {_region(team.region)}  ·  {_track(team.track)}") for team in ws.teams()
    ]
    options.append((NEW_TEAM, t("tui.team.new_option")))
    return ChoiceDialog(t("tui.team.pick_title"), options, filter_placeholder=t("tui.team.filter"))


def _region(region: Region) -> str:
    return t("tui.region.other") if region is Region.OTHER else region.value


def _track(track: Track) -> str:
    return t("tui.track.other") if track is Track.OTHER else track.value


def new_team_dialog(ws: Workspace, plugins: Any) -> FormDialog:
    """Name, region, track and indicator set; OK calls ``ws.add_team`` and returns the team."""
    sets = plugins.items("indicator_sets") if plugins is not None else {}
    lang = get_language()
    set_options: list[tuple[str, Any]] = [
        (f"{(s.name_en or s.name_da) if lang == 'en' else s.name_da} ({len(s.indicators)})", key)
        # sets for the adult track (the default track) first
        for key, s in sorted(sets.items(), key=lambda kv: ("voksen" not in kv[0].lower(), kv[0]))
    ]
    set_options.append((t("tui.team.no_set"), ""))
    fields = [
        Field("name", t("tui.team.name"), placeholder=t("tui.team.name_placeholder")),
        Field(
            "region",
            t("tui.team.region"),
            Region.OTHER.value,
            "select",
            options=[(_region(r), r.value) for r in Region],
        ),
        Field(
            "track",
            t("tui.team.track"),
            Track.ADULTS.value,
            "select",
            options=[(_track(k), k.value) for k in Track],
        ),
        Field("indicator_set", t("tui.team.indicator_set"), set_options[0][1], "select", options=set_options),
    ]

    def submit(values: dict[str, Any]) -> Any:
        chosen = values.get("indicator_set") or ""
        indicator_set = plugins.indicator_set(chosen) if chosen else None
        return ws.add_team(
            values["name"], region=values["region"], track=values["track"], indicator_set=indicator_set
        )

    return FormDialog(t("tui.team.new_title"), fields, submit)
