"""Property tests: the runs analysis depends only on the signs around the centre line.

Integer values keep the arithmetic exact (sums, medians and halves of integers are
exact in floating point), so the properties hold bit for bit.
"""

from __future__ import annotations

import datetime as dt
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from pdsa_core.spc import analyze

values = st.lists(st.integers(-1000, 1000), min_size=1, max_size=80)
RUN_FIELDS = ("n_useful", "longest_run", "longest_run_max", "n_crossings", "n_crossings_min",
              "runs_signal", "longest_run_signal", "crossings_signal")


def stats(result) -> list[tuple]:
    return [tuple(getattr(ph, f) for f in RUN_FIELDS) for ph in result.phases]


@settings(max_examples=200, deadline=None)
@given(values, st.integers(-10_000, 10_000))
def test_adding_a_constant_changes_nothing(y: list[int], c: int) -> None:
    base = analyze(y)
    shifted = analyze([v + c for v in y])
    assert stats(shifted) == stats(base)
    assert shifted.runs_signal == base.runs_signal


@settings(max_examples=200, deadline=None)
@given(values, st.data())
def test_inserting_missing_values_changes_only_n_obs(y: list[int], data: st.DataObject) -> None:
    holes = data.draw(st.lists(st.integers(0, len(y)), max_size=10))
    with_gaps: list[int | None] = list(y)
    for pos in sorted(holes, reverse=True):
        with_gaps.insert(pos, None)
    base = analyze(y)
    gapped = analyze(with_gaps)
    assert stats(gapped) == stats(base)
    assert gapped.phases[0].n_obs == base.phases[0].n_obs + len(holes)


@settings(max_examples=200, deadline=None)
@given(values, st.sampled_from(["run", "i", "c"]))
def test_negation_mirrors(y: list[int], chart: str) -> None:
    if chart == "c":
        y = [abs(v) for v in y]
        mirrored = analyze([max(y) - v for v in y], chart="run")
        base = analyze(y, chart="run")
    else:
        base = analyze(y, chart=chart)
        mirrored = analyze([-v for v in y], chart=chart)
    assert stats(mirrored) == stats(base)
    for a, b in zip(base.cl, mirrored.cl, strict=True):
        if chart != "c":
            assert a == -b or (a is None and b is None)


@settings(max_examples=100, deadline=None)
@given(values, st.lists(st.integers(1, 80), max_size=3))
def test_phases_cover_all_points(y: list[int], cuts: list[int]) -> None:
    r = analyze(y, part=cuts)
    covered = [i for ph in r.phases for i in ph.indices]
    assert covered == list(range(len(y)))
    assert list(r.part) == sorted(r.part)


def _month_days(count: int) -> list[dt.date]:
    return [dt.date(2014 + k // 12, k % 12 + 1, 1) for k in range(count)]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 40), st.integers(1, 60)), min_size=1, max_size=60),
    st.sampled_from(["run", "i", "c", "p", "u", "pp", "up", "ip", "mr", "t"]),
    st.integers(0, 2),
)
def test_a_missing_row_beside_each_month_changes_nothing(
    rows: list[tuple[int, int]], chart: str, seed: int
) -> None:
    """Months of one row each, in order, are aggregated without grouping (the shortcut every
    monthly series takes); the same months with an extra missing row beside those with a value
    go the general way (grouped by x): same result.
    (A month whose only rows are missing is not doubled: qicharts2 sums no values to 0.)"""
    rows = [(min(a, b), b) if chart in ("p", "pp") else (a + (chart == "t"), b) for a, b in rows]
    x = _month_days(len(rows))
    y = [float(a) if (k + seed) % 7 else None for k, (a, _) in enumerate(rows)]
    n = [float(b) for _, b in rows] if chart in ("p", "pp", "u", "up") or seed == 2 else None
    one = analyze(y, x=x, n=n, chart=chart)
    extra = [k for k, v in enumerate(y) if v is not None]
    doubled = analyze(
        y + [None] * len(extra),
        x=x + [x[k] for k in extra],
        n=(n + [math.nan] * len(extra)) if n is not None else None,
        chart=chart,
    )
    assert repr(one) == repr(doubled)
