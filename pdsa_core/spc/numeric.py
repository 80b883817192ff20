"""Small numeric helpers that behave like R's, so ties and missing values match qicharts2.

Inside the engine a missing value is ``NaN`` (it propagates through arithmetic like
R's ``NA``); the public result turns it into ``None``. Python raises where R returns
``Inf``/``NaN`` (division by zero, square root of a negative number, a negative number
to a fractional power), so those operations go through the helpers here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

NAN = float("nan")
INF = float("inf")
_fsum = math.fsum


def present(values: Sequence[float]) -> list[float]:
    """The non-missing values (``na.rm = TRUE``)."""
    return [v for v in values if v == v]


def r_sum(values: Sequence[float]) -> float:
    """``sum(x, na.rm = TRUE)``: correctly rounded (R accumulates in long double)."""
    return _fsum(v for v in values if v == v)


def r_mean(values: Sequence[float]) -> float:
    """``mean(x, na.rm = TRUE)``, correctly rounded; NaN for no values.

    R computes the mean in long double with a correction pass, which yields the
    correctly rounded mean; ``fsum(x) / n`` rounds twice and can be one unit off, and
    a one-unit difference decides whether a point lies exactly on the centre line.
    """
    xs = [v for v in values if v == v]
    k = len(xs)
    if k == 0:
        return NAN
    s = _fsum(xs)
    if not math.isfinite(s):
        return s / k
    xs.append(-s)
    if _fsum(xs) == 0.0:  # the sum is exact, so one division rounds once
        return s / k
    xs.pop()
    # exact: every float is n / 2**e, so scale all to the largest power of two
    ratios = [v.as_integer_ratio() for v in xs]
    den = max(d for _, d in ratios)
    total = sum(num * (den // d) for num, d in ratios)
    return total / (den * k)  # int / int is correctly rounded


def sum_of_one(value: float) -> float:
    """``r_sum([value])`` without the lists: a monthly series has one value per month.

    ``fsum`` of one number is the number itself, except for zeros and infinities, which
    are left to ``fsum`` (whether ``-0.0`` stays negative differs between Python versions).
    """
    if value != value:
        return 0.0
    if value != 0.0 and value - value == 0.0:
        return value
    return _fsum((value,))


def mean_of_one(value: float) -> float:
    """``r_mean([value])`` without the lists: the one value (as ``fsum`` gives it), NaN for none."""
    return NAN if value != value else sum_of_one(value)


def fast_mean(values: Sequence[float]) -> float:
    """Mean of the non-missing values (``fsum/n``) where the last bit cannot matter."""
    xs = [v for v in values if v == v]
    return _fsum(xs) / len(xs) if xs else NAN


def r_median(values: Sequence[float]) -> float:
    """``median(x, na.rm = TRUE)``: the mean of the two middle values for an even count."""
    xs = [v for v in values if v == v]
    xs.sort()
    k = len(xs)
    if k == 0:
        return NAN
    half = k // 2
    if k % 2:
        return xs[half]
    return (xs[half - 1] + xs[half]) / 2


def r_sd(values: Sequence[float], na_rm: bool = True) -> float:
    """``sd(x)``: sample standard deviation; NaN for fewer than two values.

    With ``na_rm=False`` any missing value gives NaN, as R's default does.
    """
    if na_rm:
        xs = [v for v in values if v == v]
    else:
        xs = list(values)
        if any(v != v for v in xs):
            return NAN
    k = len(xs)
    if k < 2:
        return NAN
    m = r_mean(xs)
    return math.sqrt(_fsum((v - m) * (v - m) for v in xs) / (k - 1))


def div(a: float, b: float) -> float:
    """``a / b`` with R's result for ``b == 0``: ±Inf, or NaN for 0/0."""
    if b == 0:
        if a != a or a == 0:
            return NAN
        return math.copysign(INF, a) * math.copysign(1.0, b)
    return a / b


def sqrt(a: float) -> float:
    """``sqrt(a)``; NaN for negative numbers (R warns and returns NaN)."""
    return math.sqrt(a) if a >= 0 else NAN


def rpow(a: float, p: float) -> float:
    """``a ^ p`` for fractional p; NaN for negative a, as in R."""
    if a != a or a < 0:
        return NAN
    return a**p


def finite_or_none(v: float) -> float | None:
    """Public value: ``None`` for NaN and ±Inf."""
    return v if v - v == 0 else None


def value_or_none(v: float) -> float | None:
    """Public value for y and the centre line: ``None`` for NaN (Inf is kept)."""
    return None if v != v else v
