"""The Anhøj limits: exact integer computation, checked against the reference table."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from pdsa_core.spc.limits import anhoej_limits, longest_run_max, n_crossings_min

from .conftest import reference


def test_table_1_to_500_matches_qicharts2() -> None:
    table = reference()["anhoej_limits"]
    assert table["n_useful"] == list(range(1, 501))
    for n, lr, cr in zip(
        table["n_useful"], table["longest_run_max"], table["n_crossings_min"], strict=True
    ):
        assert anhoej_limits(n) == (lr, cr), n


def _crossings_by_definition(n: int) -> int:
    m = n - 1
    cdf = Fraction(0)
    for c in range(m + 1):
        cdf += Fraction(math.comb(m, c), 2**m)
        if cdf >= Fraction(1, 20):
            return c
    raise AssertionError("unreachable")


@pytest.mark.parametrize("n", [1, 2, 5, 12, 17, 60, 399, 400, 401, 777, 1500, 2500])
def test_crossings_min_is_the_binomial_5th_percentile(n: int) -> None:
    # n >= 400 uses the skipped-tail shortcut; this checks it against the plain CDF
    assert n_crossings_min(n) == _crossings_by_definition(n)


def test_longest_run_max_is_round_log2_plus_3() -> None:
    for n in range(1, 5000):
        assert longest_run_max(n) == round(math.log2(n)) + 3


def test_spec_examples() -> None:
    # README §3: 12 useful points -> 7 and 3; 17 -> 7 and 5; 16 -> 7 and 4; 8 -> 6 and 1
    assert anhoej_limits(12) == (7, 3)
    assert anhoej_limits(17) == (7, 5)
    assert anhoej_limits(16) == (7, 4)
    assert anhoej_limits(8) == (6, 1)


def test_large_n_is_fast_and_sane() -> None:
    c = n_crossings_min(100_000)
    # normal approximation: (m/2) - 1.645 * sqrt(m)/2
    assert abs(c - (99_999 / 2 - 1.645 * math.sqrt(99_999) / 2)) < 3


def test_invalid_n() -> None:
    with pytest.raises(ValueError):
        anhoej_limits(0)
