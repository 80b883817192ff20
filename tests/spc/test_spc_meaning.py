"""Better or worse: a signal read with the indicator's direction, and assurance against a target.

Every series here is made by hand so that the expected reading can be checked by eye.
"""

from __future__ import annotations

import pytest

from pdsa_core.spc import analyze, verdict
from pdsa_core.spc.meaning import ASSURANCES, VARIATIONS, finding_side, read_meaning

#: 12 baseline months around 5-6, then 10 months clearly lower
FALLING = [5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 2, 2, 2, 1, 2, 2, 2, 1, 2, 2]
RISING = [8 - v for v in FALLING]
RANDOM = [5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6]


def _meaning(values, direction, *, chart="run", rules="anhoej", target=None, freeze=None):
    result = analyze(values, chart=chart, rules=rules, freeze=freeze)
    return read_meaning(result, verdict(result), direction, target)


@pytest.mark.parametrize(
    ("values", "direction", "expected", "side"),
    [
        (FALLING, "down", "improvement", -1),  # R1 falls: the team's success
        (FALLING, "up", "concern", -1),  # V1 falls: a deterioration
        (RISING, "up", "improvement", 1),  # V1 rises: success
        (RISING, "down", "concern", 1),  # F1 rises: deterioration
        (FALLING, "none", "neither", -1),
        (RISING, None, "neither", 1),
    ],
)
def test_a_run_signal_is_improvement_or_concern_by_direction(values, direction, expected, side) -> None:
    meaning = _meaning(values, direction)
    assert meaning.variation == expected
    assert meaning.side == side
    assert meaning.signal


@pytest.mark.parametrize(
    ("rules", "chart"), [("anhoej", "run"), ("anhoej", "i"), ("ihi", "run"), ("ihi", "i"), ("weco", "i")]
)
def test_every_rule_set_and_chart_reads_the_same_direction(rules, chart) -> None:
    freeze = 12 if chart == "i" else None
    assert _meaning(FALLING, "down", chart=chart, rules=rules, freeze=freeze).variation == "improvement"
    assert _meaning(FALLING, "up", chart=chart, rules=rules, freeze=freeze).variation == "concern"
    assert _meaning(RISING, "up", chart=chart, rules=rules, freeze=freeze).variation == "improvement"
    assert _meaning(RISING, "down", chart=chart, rules=rules, freeze=freeze).variation == "concern"


def test_a_trend_is_read_by_its_slope() -> None:
    rising = [3, 5, 4, 6, 5, 4, 6, 5, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    result = analyze(rising, rules="ihi")
    found = verdict(result)
    assert "trend" in found.rules_fired
    assert read_meaning(result, found, "up").variation == "improvement"
    assert read_meaning(result, found, "down").variation == "concern"


def test_too_few_crossings_takes_the_side_of_the_longest_run() -> None:
    # 15 points high and 15 low (median 5): runs of 6 high, 6 low, 9 high, 9 low; the two
    # longest tie and the latest (low) decides
    high, low = [8, 9] * 5, [1, 2] * 5
    values = high[:6] + low[:6] + (high + high)[:9] + (low + low)[:9]
    result = analyze(values)
    found = verdict(result)
    crossings = next(f for f in found.findings if f.rule == "crossings")
    assert finding_side(result, crossings) == -1
    assert read_meaning(result, found, "down").variation == "improvement"


def test_random_variation_and_too_few_points() -> None:
    assert _meaning(RANDOM, "down").variation == "common_cause"
    assert not _meaning(RANDOM, "down").signal
    few = _meaning([1, 2, 3], "down")
    assert few.variation == "too_few"
    assert few.assurance is None


def test_words_and_symbols_in_both_languages_differ_in_shape() -> None:
    improvement = _meaning(FALLING, "down")
    concern = _meaning(FALLING, "up")
    assert improvement.word("da") == "Forbedring" and improvement.word("en") == "Improvement"
    assert concern.word("da") == "Forværring" and concern.word("en") == "Concern"
    symbols = [symbol for symbol, _, _ in VARIATIONS.values()]
    assert len(set(symbols)) == len(symbols)  # monochrome: the shape alone tells them apart
    assert len({symbol for symbol, _, _ in ASSURANCES.values()}) == len(ASSURANCES)
    assert improvement.label("da").startswith("▲ Forbedring")
    assert improvement.css == "-improvement" and concern.css == "-concern"


# --- assurance (control charts with a target) ------------------------------------------------

STABLE = [10, 11, 9, 10, 12, 10, 9, 11, 10, 10, 11, 9, 10, 10, 11, 9, 10, 12, 10, 9]


@pytest.mark.parametrize(
    ("direction", "target", "expected"),
    [
        ("up", 2.0, "pass"),  # higher is better, target far below the lower limit
        ("up", 30.0, "fail"),  # target far above the upper limit
        ("up", 10.5, "hit_and_miss"),  # target between the limits
        ("down", 30.0, "pass"),  # lower is better, target above the upper limit
        ("down", 2.0, "fail"),
        ("down", 10.0, "hit_and_miss"),
    ],
)
def test_assurance_compares_the_limits_with_the_target(direction, target, expected) -> None:
    meaning = _meaning(STABLE, direction, chart="i", target=target)
    assert meaning.variation == "common_cause"
    assert meaning.assurance == expected
    lcl, ucl = meaning.limits
    assert lcl < 10.3 < ucl
    assert meaning.assurance_words("da") and meaning.assurance_words("en")


def test_no_assurance_without_limits_target_or_direction() -> None:
    assert _meaning(STABLE, "up", chart="run", target=2.0).assurance is None
    assert _meaning(STABLE, "up", chart="i", target=None).assurance is None
    assert _meaning(STABLE, "none", chart="i", target=2.0).assurance is None


def test_direction_target_means_towards_the_target() -> None:
    # the process runs at about 5-6; the target 1 is below, so falling is an improvement
    assert _meaning(FALLING, "target", target=1.0).variation == "improvement"
    assert _meaning(RISING, "target", target=1.0).variation == "concern"
    assert _meaning(FALLING, "target", target=None).variation == "neither"


def test_the_stored_indicator_gets_its_meaning_through_the_analysis(workspace) -> None:
    from pdsa_core.analysis import analyze_indicator
    from pdsa_core.services.indicators import MeasurementInput

    team = workspace.add_team("Psykiatrien Syd", region="Region Sjælland", track="voksenspor")
    workspace.add_indicator(team.id, "V1", name_da="Andel med UA/KP", unit="proportion", direction="up")
    workspace.add_indicator(team.id, "F1", name_da="Personer med tvang", unit="count", direction="down")
    months = [f"{2021 + i // 12}-{i % 12 + 1:02d}" for i in range(len(FALLING))]
    workspace.add_measurements(
        team.id,
        [MeasurementInput("F1", m, value=v) for m, v in zip(months, FALLING, strict=True)]
        + [
            MeasurementInput("V1", m, numerator=v, denominator=10)
            for m, v in zip(months, FALLING, strict=True)
        ],
    )
    assert analyze_indicator(workspace, team.id, "F1").meaning().variation == "improvement"
    v1 = analyze_indicator(workspace, team.id, "V1")
    assert v1.meaning().variation == "concern"
    assert v1.summary()["meaning"]["word_da"] == "Forværring"
