"""Limits of the Anhøj rules and the constants of the Shewhart charts.

Anhøj limits, from the number of useful observations n (points not on the centre line):

* longest run: ``round(log2(n)) + 3`` (Schilling 2012, used by Anhøj & Olesen 2014);
* crossings: the 5th percentile of Binomial(n - 1, 1/2), i.e. the smallest c with
  P(X <= c) >= 0.05 (Chen 2010; R ``qbinom(0.05, n - 1, 0.5)``).

Both are computed exactly with integers (no floating point) and cached, so a run chart
costs one dictionary look-up for its limits.
"""

from __future__ import annotations

import math
from functools import cache

__all__ = [
    "anhoej_limits",
    "longest_run_max",
    "n_crossings_min",
    "c4",
    "c5",
    "a3",
    "b3",
    "b4",
]

_NAN = float("nan")


def longest_run_max(n_useful: int) -> int:
    """``round(log2(n)) + 3``, exactly.

    round(log2 n) = k  <=>  2**(2k-1) <= n**2 < 2**(2k+1), so k = bit_length(n**2) // 2
    (log2 of an integer is never exactly k + 0.5, so no tie rule is needed).
    """
    if n_useful < 1:
        raise ValueError("n_useful must be at least 1")
    return (n_useful * n_useful).bit_length() // 2 + 3


@cache
def n_crossings_min(n_useful: int) -> int:
    """Smallest c with P(X <= c) >= 0.05 for X ~ Binomial(n_useful - 1, 1/2), exactly.

    P(X <= c) >= 0.05  <=>  20 * sum_{k<=c} C(m, k) >= 2**m  with m = n_useful - 1.
    For large m the far lower tail is skipped: it is bounded by a geometric series, and
    the sum is only trusted when that bound cannot change the comparison (otherwise the
    full sum is taken), so the answer is exact either way.
    """
    if n_useful < 1:
        raise ValueError("n_useful must be at least 1")
    m = n_useful - 1
    target = 1 << m
    k0 = 0 if m < 400 else max(0, int(m / 2 - 8 * math.sqrt(m)))
    if k0 > 0:
        term = math.comb(m, k0)
        # sum_{k<k0} C(m,k) <= C(m,k0) * r/(1-r) with r = k0/(m-k0+1)
        skipped_bound = term * k0 // (m - 2 * k0 + 1) + 1
        total = 0
        k = k0
        while True:
            total += term
            if 20 * total >= target:
                return k
            if 20 * (total + skipped_bound) >= target:
                break  # undecidable without the skipped tail: do the full sum
            term = term * (m - k) // (k + 1)
            k += 1
    total = 0
    term = 1
    k = 0
    while True:
        total += term
        if 20 * total >= target:
            return k
        term = term * (m - k) // (k + 1)
        k += 1


@cache
def anhoej_limits(n_useful: int) -> tuple[int, int]:
    """``(longest_run_max, n_crossings_min)`` for ``n_useful`` >= 1 useful points."""
    return longest_run_max(n_useful), n_crossings_min(n_useful)


# --- constants for Xbar and S charts (Montgomery) -------------------------------------


def c4(n: float) -> float:
    """Bias correction of the sample SD: sqrt(2/(n-1)) * Gamma(n/2) / Gamma((n-1)/2)."""
    if not n > 1:
        return _NAN
    return math.sqrt(2 / (n - 1)) * math.exp(math.lgamma(n / 2) - math.lgamma((n - 1) / 2))


def c5(n: float) -> float:
    if not n > 1:
        return _NAN
    return math.sqrt(1 - c4(n) ** 2)


def a3(n: float, sigma: float = 3) -> float:
    """Xbar chart factor: ``sigma / (c4(n) * sqrt(n))``."""
    if not n > 1:
        return _NAN
    return sigma / (c4(n) * math.sqrt(n))


def b3(n: float, sigma: float = 3) -> float:
    """S chart lower factor: ``max(0, 1 - sigma * c5/c4)`` (NaN when n <= 1)."""
    if not n > 1:
        return _NAN
    return max(0.0, 1 - sigma * c5(n) / c4(n))


def b4(n: float, sigma: float = 3) -> float:
    """S chart upper factor: ``1 + sigma * c5/c4``."""
    if not n > 1:
        return _NAN
    return 1 + sigma * c5(n) / c4(n)
