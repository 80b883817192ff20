"""``pdsa team add --indicator-set lkt-tvang-voksen`` gives a team its indicators in one step."""

from __future__ import annotations

import json

import pdsa_lkt_tvang
import pytest
from click.testing import CliRunner

from pdsa_cli import build_cli
from pdsa_core import temporary_plugin


@pytest.fixture()
def lkt(monkeypatch):
    monkeypatch.setenv("PDSA_LOAD_PLUGINS", "")  # only this copy, even when the plugin is installed
    with temporary_plugin(pdsa_lkt_tvang, "pdsa-lkt-tvang"):
        yield


def _run(*args: str):
    result = CliRunner().invoke(build_cli(), list(args))
    assert result.exit_code == 0, result.output
    return result


def test_team_add_with_indicator_set_and_template(lkt, workspace_path) -> None:
    ws = ["--workspace", str(workspace_path)]
    _run(*ws, "init")
    _run(
        *ws,
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
    indicators = json.loads(_run(*ws, "indicator", "list", "--team", "Aalborg voksen", "--json").stdout)
    assert [i["code"] for i in indicators] == ["R1", "R2", "F1", "F2", "F3", "F4", "V1", "V2", "V3", "V4"]
    r1 = indicators[0]
    assert r1["indicator_set"] == "lkt-tvang-voksen"
    assert r1["target"] == {"value": -0.1, "date": "2023-09-30", "relative": True}
    assert (r1["baseline_start"], r1["baseline_end"]) == ("2018-01", "2020-12")
    assert [i["voluntary"] for i in indicators].count(True) == 2


def test_children_track(lkt, workspace_path) -> None:
    ws = ["--workspace", str(workspace_path)]
    _run(*ws, "init")
    _run(
        *ws,
        "team",
        "add",
        "Aalborg BU",
        "--track",
        "børne- og ungespor",
        "--indicator-set",
        "lkt-tvang-boern-unge",
    )
    indicators = json.loads(_run(*ws, "indicator", "list", "--team", "Aalborg BU", "--json").stdout)
    assert [i["code"] for i in indicators][-4:] == ["BU1", "BU2", "BU3", "BU4"]


def test_listed_by_plugins_list(lkt) -> None:
    listed = json.loads(_run("plugins", "list", "--json").stdout)
    entry = next(p for p in listed if p["name"] == "pdsa-lkt-tvang")
    assert entry["registered"] == {
        "diagram_templates": ["lkt-tvang-boern-unge", "lkt-tvang-voksen"],
        "indicator_sets": ["lkt-tvang-boern-unge", "lkt-tvang-voksen"],
    }
    assert entry["errors"] == []
