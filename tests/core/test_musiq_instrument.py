"""The MUSIQ instrument as data: the built-in file, and the checks on any instrument file."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from pdsa_core.assessments import MUSIQ_KEY, Instrument, builtin_musiq, load_instrument
from pdsa_core.errors import ValidationError

EXPECTED_IDS = [
    "external_motivators",
    "project_sponsorship",
    "qi_leadership_senior",
    "senior_leader_project_sponsor",
    "culture_supportive_of_qi_organisation",
    "maturity_of_organisational_qi",
    "physician_payment_structure",
    "data_infrastructure",
    "resource_availability",
    "workforce_focus_on_qi",
    "qi_leadership_unit",
    "culture_supportive_of_qi_unit",
    "capability_for_improvement",
    "motivation_to_change",
    "team_diversity",
    "physician_involvement",
    "subject_matter_expertise",
    "prior_qi_experience",
    "team_leadership",
    "team_qi_skills",
    "team_decision_making",
    "team_norms",
    "team_accountability",
    "team_time_for_qi",
    "team_aim_clarity",
]


def small_instrument_data() -> dict[str, Any]:
    return {
        "id": "mini",
        "version": "1",
        "name": {"da": "Mini", "en": "Mini"},
        "weights_source": {"da": "Testvægte", "en": "Test weights"},
        "scale": {
            "min": 1,
            "max": 7,
            "anchors": [{"value": 1, "label": {"da": "Lav", "en": "Low"}}],
        },
        "levels": [{"id": "team", "name": {"da": "Team", "en": "Team"}}],
        "factors": [
            {
                "id": "a",
                "level": "team",
                "label": {"da": "A", "en": "A"},
                "low": {"da": "lav", "en": "low"},
                "high": {"da": "høj", "en": "high"},
                "weight": 1,
                "changeable": True,
            }
        ],
    }


def test_builtin_musiq_has_the_25_factors_at_five_levels_with_stable_ids() -> None:
    musiq = builtin_musiq()
    assert musiq.key == MUSIQ_KEY == "musiq@1.0-equal-weights"
    assert musiq.factor_ids == EXPECTED_IDS
    assert [level.id for level in musiq.levels] == [
        "external_environment",
        "organisation",
        "qi_support",
        "microsystem",
        "qi_team",
    ]
    counts = {level.id: len(factors) for level, factors in musiq.by_level()}
    assert counts == {
        "external_environment": 2,
        "organisation": 5,
        "qi_support": 3,
        "microsystem": 4,
        "qi_team": 11,
    }
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", f.id) for f in musiq.factors)


def test_builtin_musiq_says_its_weights_are_equal_and_not_official() -> None:
    musiq = builtin_musiq()
    assert {f.weight for f in musiq.factors} == {1.0}
    assert musiq.weights_official is False
    assert "could not be confirmed from a primary source" in musiq.weights_source.en
    assert "kunne ikke bekræftes" in musiq.weights_source.da
    assert "not the official score" in musiq.score_title("en")
    assert "ikke den officielle score" in musiq.score_title("da")


def test_builtin_musiq_is_bilingual_and_names_its_uncertain_factors() -> None:
    musiq = builtin_musiq()
    for factor in musiq.factors:
        for text in (factor.label, factor.low, factor.high):
            assert text.da and text.en
        assert factor.low.da != factor.low.en and factor.high.da != factor.high.en
    assert musiq.factor("team_norms").label.get("da") == "Teamets normer"
    uncertain = [f.id for f in musiq.factors if f.uncertain]
    assert uncertain == ["team_accountability", "team_time_for_qi", "team_aim_clarity"]
    for factor_id in uncertain:
        assert factor_id in musiq.notes.en and factor_id in musiq.notes.da
    scale = musiq.scale
    assert (scale.min, scale.max, scale.allow_not_applicable) == (1, 7, True)
    assert [a.value for a in scale.anchors] == [1, 4, 7]
    assert scale.not_applicable_label.get("da") == "Ved ikke / ikke relevant"


def test_builtin_musiq_marks_what_the_team_can_change() -> None:
    musiq = builtin_musiq()
    assert not musiq.factor("external_motivators").changeable
    assert not musiq.factor("qi_leadership_senior").changeable
    assert musiq.factor("motivation_to_change").changeable
    assert musiq.factor("team_qi_skills").changeable


def test_instrument_round_trips_through_plain_data_and_json(tmp_path: Path) -> None:
    musiq = builtin_musiq()
    assert Instrument.from_dict(musiq.to_dict()) == musiq
    path = tmp_path / "copy.json"
    path.write_text(json.dumps(musiq.to_dict(), ensure_ascii=False), encoding="utf-8")
    assert load_instrument(path) == musiq


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["factors"].append(dict(d["factors"][0])), "factor a is defined twice"),
        (lambda d: d["factors"][0].update(level="unit"), "unknown level 'unit'"),
        (lambda d: d["factors"][0].update(id="Team Norms"), "snake_case"),
        (lambda d: d["factors"][0].update(weight=0), "weight must be above 0"),
        (lambda d: d["factors"][0].pop("changeable"), "missing changeable"),
        (lambda d: d["factors"][0].update(wieght=2), "unknown field wieght"),
        (lambda d: d["factors"][0].update(label={"da": "A"}), "lacks the English text"),
        (lambda d: d.pop("weights_source"), "where the weights come from"),
        (lambda d: d.update(version="1 beta"), "no spaces"),
        (lambda d: d["scale"].update(min=7, max=1), "must be below max"),
        (
            lambda d: d["scale"]["anchors"].append({"value": 9, "label": {"da": "x", "en": "x"}}),
            "outside 1–7",
        ),
        (lambda d: d.update(factors=[]), "has no factors"),
        (
            lambda d: d["levels"].append({"id": "empty", "name": {"da": "T", "en": "E"}}),
            "level empty has no factors",
        ),
    ],
)
def test_a_malformed_instrument_file_is_refused_with_a_clear_message(
    tmp_path: Path, change: Any, message: str
) -> None:
    data = small_instrument_data()
    change(data)
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        load_instrument(path)
    assert message in str(info.value)
    assert str(path) in str(info.value)


def test_an_instrument_file_that_is_not_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "id": "x",\n  oops\n}', encoding="utf-8")
    with pytest.raises(ValidationError, match=r"not valid JSON: .* \(line 3\)"):
        load_instrument(path)
