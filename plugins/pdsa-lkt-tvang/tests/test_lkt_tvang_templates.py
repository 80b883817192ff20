"""The driver diagram templates: the catalogue's aim, drivers and change ideas, applied to a team."""

from __future__ import annotations

import pdsa_lkt_tvang

from pdsa_core import load_plugins
from pdsa_core.domain import NodeKind


def _templates():
    plugins = load_plugins(extra=[("pdsa-lkt-tvang", pdsa_lkt_tvang)], include_entry_points=False)
    return plugins.diagram_template("lkt-tvang-voksen"), plugins.diagram_template("lkt-tvang-boern-unge")


def test_primary_drivers_are_the_catalogues() -> None:
    adults, children = _templates()
    assert [d.text for d in adults.drivers] == [
        "Udskrivningsaftaler/koordinationsplaner (UA/KP)",
        "Tværsektorielle netværksmøder",
    ]
    assert [d.text for d in children.drivers] == [
        "Trygheds- og forebyggelsesplaner",
        "Tværsektorielle netværksmøder",
    ]
    assert adults.aim.startswith("At reducere omfanget af tvangsindlæggelser")
    assert adults.aim == children.aim


def test_secondary_drivers_and_change_ideas() -> None:
    adults, children = _templates()
    agreements = adults.drivers[0]
    assert [s.text for s in agreements.children] == [
        "Lovbestemt indhold",
        "Fokus på patientens ønsker, præferencer og hjælp fra netværk",
        "Særlig opmærksomhed på forebyggelse af tvang",
        "Fælles beslutningstagning (shared decision making)",
    ]
    assert [s.text for s in adults.drivers[1].children] == [
        "Deltagerkreds",
        "Rollefordeling",
        "Fælles beslutningstagning (shared decision making)",
    ]
    plans = children.drivers[0]
    assert "Planen overføres til en UA/KP ved overgang til voksenpsykiatrien" in [
        s.text for s in plans.children
    ]
    for template in (adults, children):
        for primary in template.drivers:
            for secondary in primary.children:
                assert secondary.children, f"{template.id}: {secondary.text} has no change idea"
    ideas = [i.text for p in adults.drivers for s in p.children for i in s.children]
    assert any("Blitzanalyse" in i for i in ideas)
    assert "Ambulante forhåndstilkendegivelser" in ideas


def test_applied_to_a_team(workspace) -> None:
    adults, _ = _templates()
    team = workspace.add_team("Psykiatrien Syd, Vordingborg", region="sjælland")
    diagram = workspace.apply_template(team.id, adults)
    assert diagram.aim == adults.aim
    assert len(diagram.of_kind(NodeKind.PRIMARY)) == 2
    assert len(diagram.of_kind(NodeKind.SECONDARY)) == 7
    assert len(diagram.of_kind(NodeKind.CHANGE_IDEA)) == sum(
        len(s.children) for p in adults.drivers for s in p.children
    )
