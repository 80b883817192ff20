"""The LKT Tvang indicator sets: codes, kinds, units, directions, targets, baselines, names."""

from __future__ import annotations

import pdsa_lkt_tvang
import pytest

from pdsa_core import Direction, IndicatorKind, Unit


@pytest.fixture()
def pdsa_plugin():
    """The plugin under test, for the fixtures of pdsa_core.testing (pdsa_plugins, run_pdsa)."""
    return ("pdsa-lkt-tvang", pdsa_lkt_tvang)


def test_registers_both_sets_and_templates_without_errors(pdsa_plugins) -> None:
    assert pdsa_plugins.errors == []
    assert {"lkt-tvang-voksen", "lkt-tvang-boern-unge"} <= set(pdsa_plugins.items("indicator_sets"))
    assert {"lkt-tvang-voksen", "lkt-tvang-boern-unge"} <= set(pdsa_plugins.items("diagram_templates"))
    info = pdsa_plugins.info["pdsa-lkt-tvang"]
    assert info.hooks == ["register_diagram_templates", "register_indicator_sets"]
    assert info.version == pdsa_lkt_tvang.__version__


def test_codes_of_each_track(pdsa_plugins) -> None:
    adults = pdsa_plugins.indicator_set("lkt-tvang-voksen")
    children = pdsa_plugins.indicator_set("lkt-tvang-boern-unge")
    shared = ["R1", "R2", "F1", "F2", "F3", "F4"]
    assert [d.code for d in adults.indicators] == [*shared, "V1", "V2", "V3", "V4"]
    assert [d.code for d in children.indicators] == [*shared, "BU1", "BU2", "BU3", "BU4"]


def test_kinds_units_and_directions(pdsa_plugins) -> None:
    by_code = {
        **{d.code: d for d in pdsa_plugins.indicator_set("lkt-tvang-boern-unge").indicators},
        **{d.code: d for d in pdsa_plugins.indicator_set("lkt-tvang-voksen").indicators},
    }
    for code in ("R1", "R2"):
        assert by_code[code].kind == IndicatorKind.RESULT
    for code in ("F1", "F2", "F3", "F4"):
        assert by_code[code].kind == IndicatorKind.FOLLOW
    for code in ("V1", "V2", "V3", "V4", "BU1", "BU2", "BU3", "BU4"):
        assert by_code[code].kind == IndicatorKind.PROCESS
    counts = {"R1", "R2", "F1", "F2", "F3", "F4", "BU1"}
    for code, definition in by_code.items():
        assert definition.unit == (Unit.COUNT if code in counts else Unit.PROPORTION), code
        expected = Direction.DOWN if code[0] in "RF" else Direction.UP
        assert definition.direction == expected, code


def test_targets_baselines_and_voluntary_flags(pdsa_plugins) -> None:
    for set_id in ("lkt-tvang-voksen", "lkt-tvang-boern-unge"):
        by_code = {d.code: d for d in pdsa_plugins.indicator_set(set_id).indicators}
        for code in ("R1", "R2"):
            target = by_code[code].target
            assert (target.value, target.relative, target.date) == (-0.10, True, "2023-09-30")
        for code in ("R1", "R2", "F1", "F2", "F3", "F4"):
            assert (by_code[code].baseline_start, by_code[code].baseline_end) == ("2018-01", "2020-12")
        voluntary = {c for c, d in by_code.items() if d.voluntary}
        assert voluntary == ({"V3", "V4"} if set_id.endswith("voksen") else {"BU2", "BU3", "BU4"})
        for code in voluntary:
            assert by_code[code].target.value == pytest.approx(0.90)
            assert not by_code[code].target.relative
        for code in set(by_code) - voluntary - {"R1", "R2"}:
            assert by_code[code].target is None, code


def test_every_indicator_has_both_names_and_a_population(pdsa_plugins) -> None:
    for set_id in ("lkt-tvang-voksen", "lkt-tvang-boern-unge"):
        indicator_set = pdsa_plugins.indicator_set(set_id)
        assert indicator_set.name_en
        for definition in indicator_set.indicators:
            assert definition.name_da and definition.name_en, definition.code
            assert definition.population, definition.code
    adults = pdsa_plugins.indicator_set("lkt-tvang-voksen").indicators[0].population
    children = pdsa_plugins.indicator_set("lkt-tvang-boern-unge").indicators[0].population
    assert "18 år" in adults
    assert "12 år" in children
