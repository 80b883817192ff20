"""Instruments come from plugins: the built-in MUSIQ, and one a test plugin registers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pdsa_core import hookimpl, load_instrument
from pdsa_core.assessments import MUSIQ_KEY, Instrument, builtin_musiq, record_assessment, score_assessment
from pdsa_core.plugins import load_plugins


def local_variant(tmp_path: Path) -> Path:
    """A region's local variant of MUSIQ shipped as a JSON file: fewer factors, its own weights."""
    data = builtin_musiq().to_dict()
    data.update(
        id="musiq-region-sjaelland",
        version="1.0",
        name={"da": "MUSIQ, Region Sjællands udgave", "en": "MUSIQ, Region Zealand's variant"},
        weights_source={"da": "Regionens egne vægte (2023)", "en": "The region's own weights (2023)"},
    )
    data["factors"] = [f for f in data["factors"] if f["level"] in ("microsystem", "qi_team")]
    data["levels"] = [lv for lv in data["levels"] if lv["id"] in ("microsystem", "qi_team")]
    for factor in data["factors"]:
        factor["weight"] = 2 if factor["level"] == "microsystem" else 1
    path = tmp_path / "musiq-sjaelland.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


class InstrumentPlugin:
    def __init__(self, path: Path) -> None:
        self.path = path

    @hookimpl
    def register_instruments(self, register: Any) -> None:
        register(load_instrument(self.path))


class BrokenInstrumentPlugin:
    @hookimpl
    def register_instruments(self, register: Any) -> None:
        register({"id": "broken", "version": "1", "name": {"da": "x", "en": "x"}})


def test_the_builtin_musiq_is_registered_through_the_hook() -> None:
    plugins = load_plugins(fresh=True)
    assert isinstance(plugins.instrument(MUSIQ_KEY), Instrument)
    assert plugins.info["instruments"].origin == "built-in"
    assert plugins.info["instruments"].registered["instruments"] == [MUSIQ_KEY]


def test_an_instrument_registered_by_a_test_plugin_is_usable(tmp_path: Path, workspace: Any) -> None:
    plugins = load_plugins(extra=[("region-sjaelland", InstrumentPlugin(local_variant(tmp_path)))])
    assert plugins.errors == []
    assert sorted(plugins.items("instruments")) == ["musiq-region-sjaelland@1.0", MUSIQ_KEY]
    variant = plugins.instrument("musiq-region-sjaelland@1.0")
    assert len(variant.factors) == 15
    team = workspace.add_team("Psykiatrien Syd").id
    ratings: dict[str, int | None] = {fid: 5 for fid in variant.factor_ids}
    ratings["team_norms"] = None
    saved = record_assessment(workspace, team, variant, ratings, date="2023-03-01", setting="kommune")
    assert (saved.instrument, saved.instrument_version) == ("musiq-region-sjaelland", "1.0")
    score = score_assessment(variant, saved)
    # microsystem: 4 factors x weight 2 x 5 = 40; QI team: 10 rated x 5 = 50
    assert score.levels["microsystem"].score == 40
    assert score.total.score == 90 and score.total.not_applicable == 1
    assert variant.score_title("en") == "MUSIQ, Region Zealand's variant – not the official score"


def test_a_malformed_instrument_is_refused_and_reported_while_others_keep_working() -> None:
    plugins = load_plugins(extra=[("broken-plugin", BrokenInstrumentPlugin())])
    assert [f.plugin for f in plugins.errors] == ["broken-plugin"]
    assert "missing field" in plugins.errors[0].message
    assert list(plugins.items("instruments")) == [MUSIQ_KEY]
