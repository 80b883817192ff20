"""Rule sets on hand-made series; each expected answer is counted in a comment.

Most series use a given centre line (cl=5, values 1/3/7/9) so the sides are obvious:
'+' = above 5, '-' = below 5, '0' = on the line.
"""

from __future__ import annotations

import math
from fractions import Fraction

from pdsa_core.spc import BUILTIN_RULE_SETS, analyze, get_rule_set
from pdsa_core.spc.rules import IHI_RUNS_TABLE, RuleSet


def rules_of(result, rule_set: str) -> dict[str, tuple[int, ...]]:
    return {f.rule: f.indices for f in get_rule_set(rule_set).evaluate(result)}


# --- Anhøj -------------------------------------------------------------------------------


def test_anhoej_longest_run() -> None:
    # - + - + + + + + + + + -   -> runs 1,1,1,8,1: longest 8; 12 useful -> limit 7: signal
    # crossings 4 >= 3: no crossings signal
    r = analyze([1, 9, 1, 9, 9, 9, 9, 9, 9, 9, 9, 1], cl=5)
    assert rules_of(r, "anhoej") == {"longest_run": (3, 4, 5, 6, 7, 8, 9, 10)}
    ph = r.phases[0]
    assert (ph.longest_run, ph.longest_run_max, ph.longest_run_signal) == (8, 7, True)
    assert not ph.crossings_signal


def test_anhoej_crossings_only() -> None:
    # - x7, + x7: 1 crossing < 4 (limit for 14); longest 7 = limit 7, not above
    r = analyze([1] * 7 + [9] * 7, cl=5)
    found = get_rule_set("anhoej").evaluate(r)
    assert [f.rule for f in found] == ["crossings"]
    assert found[0].scope == "phase"
    assert (found[0].observed, found[0].limit) == (1, 4)


def test_anhoej_outside_limits_on_control_chart() -> None:
    # I chart: 20 points alternating 9/11 (mean 10, every MR 2, sigma 2/1.128 = 1.773,
    # UCL 15.32) as baseline, then 16: one point above the UCL
    r = analyze([9, 11] * 10 + [16], chart="i", freeze=20)
    assert rules_of(r, "anhoej") == {"outside_limits": (20,)}


def test_anhoej_not_judged_with_too_few_points() -> None:
    r = analyze([1, 9, 9, 9, 9, 9, 9], cl=5)  # a run of 6 in 7 points
    assert get_rule_set("anhoej").evaluate(r) == []


# --- IHI ---------------------------------------------------------------------------------


def test_ihi_shift_where_anhoej_is_silent() -> None:
    # - + - + + + + + + + - +  -> a run of 7 '+' (positions 4-10): shift (>= 6)
    # Anhøj: 12 useful -> limit 7, 7 is not above; crossings 5 >= 3: random
    r = analyze([3, 7, 3, 7, 7, 7, 7, 7, 7, 7, 3, 7], cl=5)
    assert rules_of(r, "ihi") == {"shift": (3, 4, 5, 6, 7, 8, 9)}
    assert rules_of(r, "anhoej") == {}


def test_ihi_shift_skips_points_on_the_median() -> None:
    # - + - + + + 0 + + + - +  -> '+' at positions 4,5,6,8,9,10: six, the 0 is skipped
    r = analyze([3, 7, 3, 7, 7, 7, 5, 7, 7, 7, 3, 7], cl=5)
    assert rules_of(r, "ihi")["shift"] == (3, 4, 5, 7, 8, 9)
    # - + - + + + 0 + + - + -  -> only five '+' around the 0: no shift
    r = analyze([3, 7, 3, 7, 7, 7, 5, 7, 7, 3, 7, 3], cl=5)
    assert "shift" not in rules_of(r, "ihi")


def test_ihi_trend_counts_like_values_once() -> None:
    # 1, 2, 3, 3, 4, 5 (positions 4-9) go up through five distinct values: a trend
    r = analyze([5, 4, 5, 1, 2, 3, 3, 4, 5, 2, 5, 4], cl=3.5)
    assert rules_of(r, "ihi")["trend"] == (3, 4, 5, 6, 7, 8)
    # 1, 2, 2, 3, 4 are only four distinct values: no trend
    r = analyze([5, 4, 5, 1, 2, 2, 3, 4, 1, 5, 2, 5], cl=3.5)
    assert "trend" not in rules_of(r, "ihi")


def test_ihi_trend_down() -> None:
    # 9 8 7 6 5 4: six points going down
    r = analyze([2, 9, 8, 7, 6, 5, 4, 8, 2, 8, 2, 8], cl=5.5)
    found = {f.rule: f for f in get_rule_set("ihi").evaluate(r)}
    assert found["trend"].indices == (1, 2, 3, 4, 5, 6)
    assert "falder" in found["trend"].message_da and "down" in found["trend"].message_en


def test_ihi_too_few_and_too_many_runs() -> None:
    # 10 '-' then 10 '+': 2 runs; table for 20 useful points: 7-15 -> too few
    r = analyze([1] * 10 + [9] * 10, cl=5)
    assert "runs_too_few" in rules_of(r, "ihi")
    # 20 alternating points: 20 runs > 15 -> too many
    r = analyze([1, 9] * 10, cl=5)
    assert set(rules_of(r, "ihi")) == {"runs_too_many"}


def test_ihi_astronomical_point_on_run_chart() -> None:
    # 12 points between 9 and 12, then 40. I chart on the phase: mean 12.2, MRs mostly
    # 1-2 (the jump to 40 is screened out), sigma about 1.5: 40 is far above 3 sigma.
    y = [10, 11, 9, 10, 12, 10, 9, 11, 10, 10, 11, 9, 40]
    r = analyze(y)
    assert rules_of(r, "ihi").get("astronomical") == (12,)


def test_ihi_table_is_the_swed_eisenhart_distribution() -> None:
    def dist(n1: int, n2: int) -> dict[int, Fraction]:
        total = math.comb(n1 + n2, n1)
        out = {}
        for r in range(2, n1 + n2 + 1):
            k = r // 2
            if r % 2 == 0:
                c = 2 * math.comb(n1 - 1, k - 1) * math.comb(n2 - 1, k - 1)
            else:
                c = math.comb(n1 - 1, k - 1) * math.comb(n2 - 1, k) + math.comb(
                    n1 - 1, k
                ) * math.comb(n2 - 1, k - 1)
            if c:
                out[r] = Fraction(c, total)
        return out

    assert sorted(IHI_RUNS_TABLE) == list(range(10, 61))
    for n, (lower, upper) in IHI_RUNS_TABLE.items():
        p = dist(n // 2, n - n // 2)
        below = sum(v for r, v in p.items() if r < lower)
        above = sum(v for r, v in p.items() if r > upper)
        assert below <= Fraction(1, 40) < below + p[lower], n
        assert above <= Fraction(1, 40) < above + p[upper], n


# --- Western Electric ----------------------------------------------------------------------

BASE = [9, 11] * 10  # mean 10, sigma 1.773: 1s 11.77, 2s 13.55, 3s 15.32


def test_weco_rule_1() -> None:
    r = analyze(BASE + [16], chart="i", freeze=20)
    assert rules_of(r, "weco") == {"beyond_3sigma": (20,)}


def test_weco_rule_2_two_of_three_beyond_2_sigma() -> None:
    # 14, 10, 14: two of three above 13.55 (and below 15.32), the 10 is on the line
    r = analyze(BASE + [14, 10, 14], chart="i", freeze=20)
    assert rules_of(r, "weco") == {"two_of_three": (20, 22)}


def test_weco_rule_3_four_of_five_beyond_1_sigma() -> None:
    # 12, 12, 10, 12, 12: four of five above 11.77, none above 13.55
    r = analyze(BASE + [12, 12, 10, 12, 12], chart="i", freeze=20)
    assert rules_of(r, "weco") == {"four_of_five": (20, 21, 23, 24)}


def test_weco_rule_4_eight_in_a_row() -> None:
    # 9 (below, ends the baseline's last '+'), then eight times 10.5: above the centre
    # line 10, inside 1 sigma -> positions 22-29 (indices 21-28)
    r = analyze(BASE + [9] + [10.5] * 8, chart="i", freeze=20)
    assert rules_of(r, "weco") == {"eight_in_a_row": tuple(range(21, 29))}
    # seven are not enough
    r = analyze(BASE + [9] + [10.5] * 7, chart="i", freeze=20)
    assert rules_of(r, "weco") == {}


def test_weco_on_run_chart_uses_only_rule_4() -> None:
    r = analyze([1] * 8 + [9] * 8, cl=5)
    assert set(rules_of(r, "weco")) == {"eight_in_a_row"}


def test_registry_and_interface() -> None:
    assert set(BUILTIN_RULE_SETS) == {"anhoej", "ihi", "weco"}
    for key, rs in BUILTIN_RULE_SETS.items():
        assert isinstance(rs, RuleSet)
        assert rs.id == key
        assert rs.title("da") and rs.title("en") and rs.source
        assert rs.rules and all(info.source for info in rs.rules)
    r = analyze([1, 9] * 6, rules="weco")
    assert r.rules == "weco"


def test_findings_messages_are_bilingual() -> None:
    r = analyze([1] * 12 + [9] * 12, cl=5)
    for f in r.findings:
        assert f.message("da") == f.message_da and f.message("en") == f.message_en
        assert f.message_da != f.message_en
