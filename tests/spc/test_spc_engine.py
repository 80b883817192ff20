"""Engine details beyond the reference vectors: chart types, options and bad input."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pdsa_core.errors import ValidationError
from pdsa_core.spc import analyze
from pdsa_core.spc.limits import a3, b3, b4


def approx(a, b) -> bool:
    return math.isclose(a, b, rel_tol=1e-12)


def test_mr_chart() -> None:
    # moving ranges of 1, 3, 6, 10: -, 2, 3, 4; CL = 3, UCL = 3.267 * 3
    r = analyze([1, 3, 6, 10], chart="mr", min_useful=1)
    assert r.y == (None, 2.0, 3.0, 4.0)
    assert r.cl == (3.0,) * 4 and r.lcl == (0.0,) * 4
    assert approx(r.ucl[0], 3.267 * 3) and approx(r.ucl_95[0], 3.267 / 3 * 2 * 3)
    assert r.phases[0].n_useful == 2 and r.phases[0].runs_signal is False


def test_mr_chart_never_has_runs_signal() -> None:
    r = analyze(list(range(1, 30)) + [1], chart="mr")
    assert r.phases[0].longest_run is not None
    assert not any(r.runs_signal) and not r.phases[0].runs_signal


def test_g_chart_median_centre_and_mean_limits() -> None:
    y = [2, 4, 6, 8, 30]  # mean 10, median 6
    r = analyze(y, chart="g")
    assert r.cl == (6.0,) * 5
    assert approx(r.ucl[0], 10 + 3 * math.sqrt(10 * 11))
    assert r.lcl[0] == 0.0
    given = analyze(y, chart="g", cl=10)
    assert approx(given.cl[0], 6.93) and approx(given.ucl[0], r.ucl[0])


def test_up_chart_laney_factor() -> None:
    y, n = [10, 20, 10, 20], [100] * 4
    r = analyze(y, n=n, chart="up")
    u = 60 / 400
    sd = math.sqrt(u / 100)
    mr = abs((0.2 - u) / sd - (0.1 - u) / sd)
    assert approx(r.ucl[0], u + 3 * sd * (mr / 1.128))
    assert r.lcl[0] == max(0.0, u - 3 * sd * (mr / 1.128))


def test_ip_chart_without_denominator() -> None:
    y = [10.0, 12.0, 11.0, 13.0]
    r = analyze(y, chart="ip")
    s = [math.sqrt(math.pi / 2) * d / math.sqrt(2) for d in (2, 1, 2)]
    assert r.n == (1.0,) * 4
    assert approx(r.ucl[0], 11.5 + 3 * (sum(s) / 3))


def test_xbar_and_s_with_unequal_subgroups() -> None:
    x = [1, 1, 1, 2, 2, 3, 3, 3, 3]
    y = [5.0, 6.0, 7.0, 5.0, 9.0, 4.0, 6.0, 6.0, 8.0]
    sds = [1.0, math.sqrt(8), math.sqrt(8 / 3)]
    pooled = math.sqrt((2 * 1 + 1 * 8 + 3 * 8 / 3) / (2 + 1 + 3))
    xb = analyze(y, x=x, chart="xbar")
    assert approx(xb.cl[0], sum(y) / 9)
    assert approx(xb.ucl[1], sum(y) / 9 + a3(2) * pooled)
    s = analyze(y, x=x, chart="s")
    assert all(approx(a, b) for a, b in zip(s.y, sds, strict=True))
    assert approx(s.cl[0], pooled)
    assert approx(s.ucl[2], b4(4) * pooled) and approx(s.lcl[2], b3(4) * pooled)


def test_t_chart_rejects_non_positive_times() -> None:
    with pytest.raises(ValidationError, match=r"row 2, column 'y'"):
        analyze([3.0, 0.0, 5.0], chart="t")


def test_subgroups_sorted_and_aggregated() -> None:
    r = analyze([5, 1, 3, 7], x=[2, 1, 2, 1])
    assert r.x == (1, 2) and r.y == (4.0, 4.0)
    r = analyze([5, None, 3], x=[1, 1, 2], agg="sum")
    assert r.y == (5.0, 3.0)
    r = analyze([None, 2], x=[1, 2], agg="sum")  # R: sum(NA, na.rm = TRUE) == 0
    assert r.y == (0.0, 2.0)
    r = analyze([1, 2, 3, 10], x=[1, 1, 1, 2], agg="median")
    assert r.y == (2.0, 10.0)


def test_complete_cases_and_missing_denominator() -> None:
    r = analyze([5, 6, 7], n=[10, None, 10], chart="p")
    assert r.y[1] is None and r.n == (10.0, 0.0, 10.0)
    assert r.lcl[1] is None and r.ucl[1] is None


def test_dates_keep_runs_analysis_and_text_is_categorical() -> None:
    months = [f"2022-{m:02d}" for m in range(1, 13)]
    r = analyze([1] * 6 + [9] * 6, x=months, cl=5)
    assert r.x_kind == "date" and r.x[0] == dt.date(2022, 1, 1)
    assert r.phases[0].crossings_signal
    cats = analyze([1] * 6 + [9] * 6, x=[f"ward {c}" for c in "ABCDEFGHIJKL"], cl=5)
    assert cats.x_kind == "category" and not any(cats.runs_signal)


def test_part_labels_take_first_occurrences() -> None:
    r = analyze([1, 2, 3, 4, 5, 6], part=["A", "A", "B", "B", "A", "A"])
    assert r.part == (1, 1, 2, 2, 2, 2)
    assert [ph.label for ph in r.phases] == ["A", "B"]


def test_freeze_is_ignored_with_part() -> None:
    r = analyze(list(range(20)), freeze=5, part=[10])
    assert all(r.baseline) and r.freeze is None


def test_freeze_sets_baseline_and_extends_lines() -> None:
    r = analyze([1, 2, 3, 4, 100, 100, 100], freeze=4)
    assert r.baseline == (True,) * 4 + (False,) * 3
    assert r.cl == (2.5,) * 7
    assert r.phases[0].n_useful == 7  # runs over the whole series


def test_exclude_leaves_point_out_of_centre_and_runs() -> None:
    r = analyze([1, 2, 3, 100, 4, 5], exclude=[4])
    assert r.cl[0] == 3.0 and r.include[3] is False
    assert r.phases[0].n_obs == 5


def test_multiply_scales_values_not_runs() -> None:
    a = analyze([1, 2, 3, 4, 5], n=[10] * 5, chart="p")
    b = analyze([1, 2, 3, 4, 5], n=[10] * 5, chart="p", multiply=100)
    assert approx(b.y[0], 10.0) and approx(b.ucl[0], a.ucl[0] * 100)
    assert b.phases[0].n_useful == a.phases[0].n_useful


def test_to_dict_is_json_ready() -> None:
    import json

    r = analyze([1, None, 3], x=["2022-01", "2022-02", "2022-03"])
    data = json.loads(json.dumps(r.to_dict(), allow_nan=False))
    assert data["points"][1]["y"] is None and data["points"][0]["x"] == "2022-01-01"
    assert r.points[2].xx == 3 and r.points[2].y == 3.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"y": [1, "abc", 3]}, r"row 2, column 'y': 'abc' is not a number"),
        ({"y": [1, 2], "n": [2, 0], "chart": "p"}, r"row 2, column 'n': denominator is 0"),
        ({"y": [1, 5], "n": [2, 4], "chart": "p"}, r"row 2, column 'n'.*smaller than"),
        ({"y": [1, -2], "chart": "c"}, r"row 2, column 'y': count -2 is negative"),
        ({"y": [1, -2], "n": [3, 3], "chart": "u"}, r"row 2, column 'y'.*negative"),
        ({"y": [1, 2], "chart": "q"}, r"unknown chart type 'q'"),
        ({"y": [1, 2], "chart": "p"}, r"needs a denominator"),
        ({"y": [1, 2], "n": [1]}, r"n has 1 values but y has 2"),
        ({"y": [1, float("inf")]}, r"row 2, column 'y'.*not a finite number"),
        ({"y": [1, 2], "rules": "nope"}, r"unknown rule set"),
        ({"y": [1, 2], "multiply": 0}, r"multiply must be a positive number"),
        ({"y": [1, 2], "freeze": -1}, r"freeze must be 0 or more"),
        ({"y": []}, r"no data points"),
        ({"y": [1, 2], "x": [None, None]}, r"no data points"),
    ],
)
def test_bad_input(kwargs: dict, message: str) -> None:
    y = kwargs.pop("y")
    with pytest.raises(ValidationError, match=message):
        analyze(y, **kwargs)


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([0.0, -0.0, 5e-324, -5e-324]))
def test_sum_and_mean_of_one_value_are_r_sum_and_r_mean(value: float) -> None:
    """The one-value shortcuts of a monthly series give R's sum and mean bit for bit."""
    from pdsa_core.spc.numeric import mean_of_one, r_mean, r_sum, sum_of_one

    def same(a: float, b: float) -> bool:
        return (a != a and b != b) or (a == b and math.copysign(1.0, a) == math.copysign(1.0, b))

    assert same(sum_of_one(value), r_sum([value]))
    assert same(mean_of_one(value), r_mean([value]))
