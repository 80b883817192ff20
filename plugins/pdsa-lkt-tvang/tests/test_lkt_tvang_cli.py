"""``pdsa team add --indicator-set lkt-tvang-voksen`` gives a team its indicators in one step.

Uses pdsa's pytest plugin (``pdsa_core.testing``, ``pdsa_cli.testing``): ``run_pdsa`` runs the
command with this plugin loaded, on the test's own workspace.
"""

from __future__ import annotations

import json

import pdsa_lkt_tvang
import pytest


@pytest.fixture()
def pdsa_plugin():
    return ("pdsa-lkt-tvang", pdsa_lkt_tvang)


@pytest.fixture()
def pdsa(run_pdsa):
    def run(*args: str):
        result = run_pdsa(*args)
        assert result.exit_code == 0, result.output
        return result

    return run


def test_team_add_with_indicator_set_and_template(pdsa) -> None:
    pdsa("init")
    pdsa(
        "team",
        "add",
        "Aalborg voksen",
        "--region",
        "nordjylland",
        "--indicator-set",
        "lkt-tvang-voksen",
        "--template",
        "lkt-tvang-voksen",
    )
    indicators = json.loads(pdsa("indicator", "list", "--team", "Aalborg voksen", "--json").stdout)
    assert [i["code"] for i in indicators] == ["R1", "R2", "F1", "F2", "F3", "F4", "V1", "V2", "V3", "V4"]
    r1 = indicators[0]
    assert r1["indicator_set"] == "lkt-tvang-voksen"
    assert r1["target"] == {"value": -0.1, "date": "2023-09-30", "relative": True}
    assert (r1["baseline_start"], r1["baseline_end"]) == ("2018-01", "2020-12")
    assert [i["voluntary"] for i in indicators].count(True) == 2


def test_children_track(pdsa) -> None:
    pdsa("init")
    pdsa(
        "team",
        "add",
        "Aalborg BU",
        "--track",
        "børne- og ungespor",
        "--indicator-set",
        "lkt-tvang-boern-unge",
    )
    indicators = json.loads(pdsa("indicator", "list", "--team", "Aalborg BU", "--json").stdout)
    assert [i["code"] for i in indicators][-4:] == ["BU1", "BU2", "BU3", "BU4"]


def test_listed_by_plugins_list(pdsa) -> None:
    listed = json.loads(pdsa("plugins", "list", "--json").stdout)
    entry = next(p for p in listed if p["name"] == "pdsa-lkt-tvang")
    assert entry["registered"] == {
        "diagram_templates": ["lkt-tvang-boern-unge", "lkt-tvang-voksen"],
        "indicator_sets": ["lkt-tvang-boern-unge", "lkt-tvang-voksen"],
    }
    assert entry["errors"] == []
