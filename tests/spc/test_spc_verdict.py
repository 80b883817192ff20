"""Verdict texts in Danish and English."""

from __future__ import annotations

import pytest

from pdsa_core.errors import ValidationError
from pdsa_core.spc import analyze, compare_rule_sets, verdict, verdicts

# 15 alternating points, then nine '+': 24 useful, longest run 9 > 8, 15 crossings >= 8
LONG_RUN = [1, 9] * 7 + [1] + [9] * 9
# - x6, + x6, - x6: 18 useful, 2 crossings < 5, longest 6 <= 7
FEW_CROSSINGS = [1] * 6 + [9] * 6 + [1] * 6


def test_long_run() -> None:
    r = analyze(LONG_RUN, cl=5)
    v = verdict(r)
    assert v.status == "non_random" and v.signal
    assert v.headline == "Ikke-tilfældig variation: længste serie 9 punkter (grænse 8)"
    assert v.rules_fired == ("longest_run",)
    assert v.last_point_in_signal
    assert v.text == v.headline + ". Sidste punkt (punkt 24) indgår i signalet"
    e = verdict(r, lang="en")
    assert e.headline == "Non-random variation: longest run 9 points (limit 8)"
    assert e.text.endswith("The last point (point 24) is part of the signal")


def test_few_crossings() -> None:
    r = analyze(FEW_CROSSINGS, cl=5)
    assert verdict(r).text == "Ikke-tilfældig variation: 2 krydsninger (mindst 5)"
    assert verdict(r, lang="en").text == "Non-random variation: 2 crossings (minimum 5)"
    assert verdict(r).rules_fired == ("crossings",)
    assert not verdict(r).last_point_in_signal


def test_both_rules() -> None:
    r = analyze([1] * 12 + [9] * 12, cl=5)
    v = verdict(r)
    assert v.headline == (
        "Ikke-tilfældig variation: længste serie 12 punkter (grænse 8) og 1 krydsning (mindst 8)"
    )
    assert v.rules_fired == ("longest_run", "crossings")
    assert verdict(r, lang="en").headline == (
        "Non-random variation: longest run 12 points (limit 8) and 1 crossing (minimum 8)"
    )


def test_random() -> None:
    r = analyze([1, 9] * 6, cl=5)
    v = verdict(r)
    assert (v.status, v.signal, v.text) == ("random", False, "Tilfældig variation")
    assert verdict(r, lang="en").text == "Random variation"
    assert v.details == ("Længste serie 1 (grænse 7), 11 krydsninger (mindst 3), 12 brugbare punkter",)


def test_too_few() -> None:
    r = analyze([1, 9, 1, 9, 9, 9, 9], cl=5)
    v = verdict(r)
    assert v.status == "too_few" and not v.signal
    assert v.text == "For få datapunkter (7 af mindst 10)"
    assert verdict(r, lang="en").text == "Too few data points (7 of at least 10)"
    # raw qicharts2 statistics are still there
    assert r.phases[0].longest_run == 4 and r.phases[0].runs_signal is False


def test_min_useful_is_configurable() -> None:
    # - then eight +: 9 useful, longest run 8 > 6: judged when 5 points are enough
    r = analyze([1, 9, 9, 9, 9, 9, 9, 9, 9], cl=5, min_useful=5)
    assert verdict(r).status == "non_random"
    r = analyze([1, 9] * 10, cl=5, min_useful=24)
    assert verdict(r).text == "For få datapunkter (20 af mindst 24)"


def test_points_outside_limits_are_named() -> None:
    y = [2022 - 2022 + v for v in [9, 11] * 10 + [16]]
    r = analyze(y, chart="i", freeze=20)
    v = verdict(r)
    assert v.headline == "Ikke-tilfældig variation: 1 punkt uden for kontrolgrænserne (punkt 21)"
    assert v.outside_limits == (20,) and v.last_point_in_signal
    assert verdict(r, lang="en").headline == (
        "Non-random variation: 1 point outside the control limits (point 21)"
    )


def test_month_names_in_texts() -> None:
    import datetime as dt

    x = [dt.date(2022 + (m // 12), m % 12 + 1, 1) for m in range(24)]
    r = analyze(LONG_RUN, x=x, cl=5)
    assert verdict(r).text.endswith("Sidste punkt (dec 23) indgår i signalet")
    assert verdict(r, lang="en").text.endswith("The last point (Dec 23) is part of the signal")


def test_phase_index_and_all_phases() -> None:
    r = analyze([1, 9] * 6 + [1] * 6 + [9] * 6 + [1] * 6, cl=5, part=[12])
    assert verdict(r, 0).status == "random"
    assert verdict(r, -1).status == "non_random"
    assert [v.part for v in verdicts(r)] == [1, 2]


def test_rule_sets_side_by_side() -> None:
    r = analyze([3, 7, 3, 7, 7, 7, 7, 7, 7, 7, 3, 7], cl=5)
    side = compare_rule_sets(r)
    assert side["anhoej"].status == "random"
    assert side["ihi"].status == "non_random" and side["ihi"].rules_fired == ("shift",)
    assert side["weco"].status == "random"


def test_unknown_language() -> None:
    with pytest.raises(ValidationError):
        verdict(analyze([1, 2, 3]), lang="de")
