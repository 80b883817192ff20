"""Centre lines and limits per chart type, one phase at a time (qicharts2 0.8.1, §4).

Every function takes a :class:`PhaseInput` and returns ``(y, cl, lines)``: the plotted
values, the centre line per point and the limit lines (``None`` for the run chart).
``lines`` holds (lcl, ucl) for 3, 2 and 1 sigma; qicharts2 reports the first two as
``lcl``/``ucl`` and ``lcl.95``/``ucl.95``; the one-sigma lines are built the same way
with 1 in place of 3 (they feed the Western Electric zone rules).

The centre line and sigma come from the points that are baseline AND included
(``base``). A given centre line (``cl``) replaces the computed one unless any of its
values in the phase is missing. Values are not yet multiplied; missing values are NaN.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from . import limits as _k
from .numeric import NAN, div, fast_mean, r_mean, r_median, r_sd, r_sum, rpow, sqrt

Lines = tuple[list[float], list[float], list[float], list[float], list[float], list[float]]
ChartOutput = tuple[list[float], list[float], Lines | None]

SIGMAS = (3, 2, 1)
_MR_SCREEN = 3.267  # Nelson 1982: moving ranges >= 3.267 * AMR are dropped
_D2 = 1.128  # d2 for moving ranges of two


@dataclass(slots=True)
class PhaseInput:
    """The subgroups of one phase, as lists of equal length (NaN = missing)."""

    y: list[float]
    n: list[float] | None
    base: list[bool]
    cl: list[float] | None = None
    y_sum: list[float] | None = None
    y_length: list[float] | None = None
    y_sd: list[float] | None = None
    y_mean: list[float] | None = None
    categorical: bool = False
    screened: bool = True
    all_base: bool = False

    def based(self, values: list[float]) -> list[float]:
        """The values of the baseline-and-included points, in order."""
        if self.all_base:
            return list(values)
        return [v for v, b in zip(values, self.base, strict=True) if b]

    def given_cl(self) -> list[float] | None:
        """The user's centre line for this phase, or None when it must be computed."""
        if self.cl is None or any(c != c for c in self.cl):
            return None
        return list(self.cl)


def _const(value: float, m: int) -> list[float]:
    return [value] * m


def _symmetric(cl: list[float], sd: list[float]) -> Lines:
    """cl -/+ k*sd for k = 3, 2, 1, computed in qicharts2's order (cl - k * sd)."""
    out: list[list[float]] = []
    c = cl[0] if cl else 0.0
    if cl.count(c) == len(cl):  # constant centre line: the common case, faster
        for k in SIGMAS:
            out.append([c - k * s for s in sd])
            out.append([c + k * s for s in sd])
        return tuple(out)  # type: ignore[return-value]
    for k in SIGMAS:
        out.append([c - k * s for c, s in zip(cl, sd, strict=True)])
        out.append([c + k * s for c, s in zip(cl, sd, strict=True)])
    return tuple(out)  # type: ignore[return-value]


def _floor_lcl(lines: Lines) -> Lines:
    """LCL < 0 (and finite) becomes 0 (U, C and their relatives)."""
    lo3, hi3, lo2, hi2, lo1, hi1 = lines
    fix = [[0.0 if (v < 0 and v - v == 0) else v for v in lo] for lo in (lo3, lo2, lo1)]
    return fix[0], hi3, fix[1], hi2, fix[2], hi1


def _clip_01(lines: Lines) -> Lines:
    """P charts: finite limits are clipped to [0, 1]."""
    lo3, hi3, lo2, hi2, lo1, hi1 = _floor_lcl(lines)
    cap = [[1.0 if (v > 1 and v - v == 0) else v for v in hi] for hi in (hi3, hi2, hi1)]
    return lo3, cap[0], lo2, cap[1], lo1, cap[2]


def _screened_amr(mr: list[float], screened: bool) -> float:
    """Average moving range, after dropping MRs >= 3.267 * AMR when screening is on."""
    amr = fast_mean(mr)
    if screened:
        limit = _MR_SCREEN * amr
        amr = fast_mean([v for v in mr if v < limit])
    return amr


def _moving_ranges(values: list[float]) -> list[float]:
    return [abs(b - a) for a, b in zip(values, values[1:], strict=False)]


# --- chart functions --------------------------------------------------------------------


def chart_run(ph: PhaseInput) -> ChartOutput:
    cl = ph.given_cl()
    if cl is None:
        cl = _const(r_median(ph.based(ph.y)), len(ph.y))
    return ph.y, cl, None


def chart_i(ph: PhaseInput) -> ChartOutput:
    m = len(ph.y)
    cl = ph.given_cl()
    if cl is None:
        cl = _const(r_mean(ph.based(ph.y)), m)
    # moving ranges of (y - cl) over consecutive baseline points (NaN is not bridged)
    dev = [y - c for y, c, b in zip(ph.y, cl, ph.base, strict=True) if b]
    stdev = _screened_amr(_moving_ranges(dev), ph.screened) / _D2
    return ph.y, cl, _symmetric(cl, _const(stdev, m))


def chart_mr(ph: PhaseInput) -> ChartOutput:
    m = len(ph.y)
    y = [NAN] + _moving_ranges(ph.y)
    cl = ph.given_cl()
    if cl is None:
        cl = _const(r_mean([v for v, b in zip(y, ph.base, strict=True) if b]), m)
    zero = _const(0.0, m)
    ucl = [_MR_SCREEN * c for c in cl]
    ucl2 = [_MR_SCREEN / 3 * 2 * c for c in cl]
    ucl1 = [_MR_SCREEN / 3 * c for c in cl]
    return y, cl, (zero, ucl, list(zero), ucl2, list(zero), ucl1)


def chart_t(ph: PhaseInput) -> ChartOutput:
    yt = [rpow(v, 1 / 3.6) for v in ph.y]
    inner = PhaseInput(y=yt, n=ph.n, base=ph.base, cl=ph.cl, screened=ph.screened)
    _, cl_t, lines = chart_i(inner)
    assert lines is not None
    y = [rpow(v, 3.6) for v in yt]
    cl = [rpow(c, 3.6) for c in cl_t]
    back = [[rpow(v, 3.6) for v in line] for line in lines]
    # only the 3-sigma LCL is set to 0 when the transformed LCL was negative (NaN)
    back[0] = [0.0 if (v != v or v < 0) else v for v in back[0]]
    return y, cl, tuple(back)  # type: ignore[return-value]


def _subgroup_sigma(ph: PhaseInput) -> float:
    """s-bar: mean SD for equal subgroup sizes, else the pooled SD (Montgomery 6.29/6.31)."""
    assert ph.y_length is not None and ph.y_sd is not None
    k = ph.based(ph.y_length)
    sd = ph.based(ph.y_sd)
    if len(set(ph.y_length)) > 1:
        num = r_sum([(ki - 1) * (si * si) for ki, si in zip(k, sd, strict=True)])
        return sqrt(div(num, r_sum([ki - 1 for ki in k])))
    return r_mean(sd)


def chart_xbar(ph: PhaseInput) -> ChartOutput:
    assert ph.y_length is not None and ph.y_mean is not None
    m = len(ph.y)
    cl = ph.given_cl()
    if cl is None:
        k = ph.based(ph.y_length)
        weighted = r_sum([ki * mi for ki, mi in zip(k, ph.based(ph.y_mean), strict=True)])
        cl = _const(div(weighted, r_sum(k)), m)
    stdev = _subgroup_sigma(ph)
    lines: list[list[float]] = []
    for sigma in SIGMAS:
        factor = [_k.a3(ki, sigma) for ki in ph.y_length]
        lines.append([c - f * stdev for c, f in zip(cl, factor, strict=True)])
        lines.append([c + f * stdev for c, f in zip(cl, factor, strict=True)])
    return ph.y, cl, tuple(lines)  # type: ignore[return-value]


def chart_s(ph: PhaseInput) -> ChartOutput:
    assert ph.y_length is not None and ph.y_sd is not None
    m = len(ph.y)
    cl = ph.given_cl()
    if cl is None:
        cl = _const(_subgroup_sigma(ph), m)
    lines: list[list[float]] = []
    for sigma in SIGMAS:
        lines.append([_k.b3(ki, sigma) * c for ki, c in zip(ph.y_length, cl, strict=True)])
        lines.append([_k.b4(ki, sigma) * c for ki, c in zip(ph.y_length, cl, strict=True)])
    return list(ph.y_sd), cl, tuple(lines)  # type: ignore[return-value]


def _ratio_cl(ph: PhaseInput) -> list[float]:
    """Sum of numerators / sum of denominators over the baseline (P and U charts)."""
    cl = ph.given_cl()
    if cl is None:
        assert ph.y_sum is not None and ph.n is not None
        cl = _const(div(r_sum(ph.based(ph.y_sum)), r_sum(ph.based(ph.n))), len(ph.y))
    return cl


def _laney_sigma_z(ph: PhaseInput, cl: list[float], sd: list[float]) -> float:
    """Laney's sigma_z: the spread of z-scores between subgroups (P' and U' charts)."""
    z = [div(y - c, s) for y, c, s, b in zip(ph.y, cl, sd, ph.base, strict=True) if b]
    if ph.categorical:
        return r_sd(z, na_rm=False)
    return _screened_amr(_moving_ranges(z), ph.screened) / _D2


def _binomial_sd(cl: list[float], n: list[float]) -> list[float]:
    """sqrt(cl * (1 - cl) / n) per point."""
    c = cl[0] if cl else 0.0
    var = c * (1 - c)
    if cl.count(c) == len(cl) and var > 0 and min(n, default=1) > 0:
        return [math.sqrt(var / k) for k in n]
    return [sqrt(div(c * (1 - c), k)) for c, k in zip(cl, n, strict=True)]


def _poisson_sd(cl: list[float], n: list[float]) -> list[float]:
    """sqrt(cl / n) per point."""
    c = cl[0] if cl else 0.0
    if cl.count(c) == len(cl) and c > 0 and min(n, default=1) > 0:
        return [math.sqrt(c / k) for k in n]
    return [sqrt(div(c, k)) for c, k in zip(cl, n, strict=True)]


def chart_p(ph: PhaseInput) -> ChartOutput:
    assert ph.n is not None
    cl = _ratio_cl(ph)
    sd = _binomial_sd(cl, ph.n)
    return ph.y, cl, _clip_01(_symmetric(cl, sd))


def chart_pp(ph: PhaseInput) -> ChartOutput:
    assert ph.n is not None
    cl = _ratio_cl(ph)
    sd = _binomial_sd(cl, ph.n)
    sigma_z = _laney_sigma_z(ph, cl, sd)
    return ph.y, cl, _clip_01(_symmetric(cl, [s * sigma_z for s in sd]))


def chart_u(ph: PhaseInput) -> ChartOutput:
    assert ph.n is not None
    cl = _ratio_cl(ph)
    sd = _poisson_sd(cl, ph.n)
    return ph.y, cl, _floor_lcl(_symmetric(cl, sd))


def chart_up(ph: PhaseInput) -> ChartOutput:
    assert ph.n is not None
    cl = _ratio_cl(ph)
    sd = _poisson_sd(cl, ph.n)
    sigma_z = _laney_sigma_z(ph, cl, sd)
    return ph.y, cl, _floor_lcl(_symmetric(cl, [s * sigma_z for s in sd]))


def chart_c(ph: PhaseInput) -> ChartOutput:
    y = list(ph.y_sum) if ph.y_sum is not None else ph.y
    m = len(y)
    cl = ph.given_cl()
    if cl is None:
        cl = _const(r_mean(ph.based(y)), m)
    return y, cl, _floor_lcl(_symmetric(cl, [sqrt(c) for c in cl]))


def chart_g(ph: PhaseInput) -> ChartOutput:
    m = len(ph.y)
    given = ph.given_cl()
    mean = given if given is not None else _const(r_mean(ph.based(ph.y)), m)
    sd = [sqrt(c * (c + 1)) for c in mean]
    lines = list(_symmetric(mean, sd))
    for i in (0, 2, 4):  # LCL < 0 -> 0 (NaN stays)
        lines[i] = [0.0 if v < 0 else v for v in lines[i]]
    if given is None:
        cl = _const(r_median(ph.based(ph.y)), m)
    else:
        cl = [0.693 * c for c in given]
    return ph.y, cl, tuple(lines)  # type: ignore[return-value]


def chart_ip(ph: PhaseInput) -> ChartOutput:
    m = len(ph.y)
    n = ph.n if ph.n is not None else list(ph.y_length or [])
    cl = ph.given_cl()
    if cl is None:
        num = r_sum([y * w for y, w in zip(ph.based(ph.y), ph.based(n), strict=True)])
        cl = _const(div(num, r_sum(ph.based(n))), m)
    d1 = _moving_ranges(ph.y)
    d2 = [sqrt(div(1.0, a) + div(1.0, b)) for a, b in zip(n, n[1:], strict=False)]
    s = [div(math.sqrt(math.pi / 2) * a, b) for a, b in zip(d1, d2, strict=True)]
    if ph.screened:
        limit = fast_mean(s) * 3.2665
        s = [v for v in s if v < limit]
    mean_s = fast_mean(s)
    sd = [mean_s * sqrt(div(1.0, w)) for w in n]
    return ph.y, cl, _symmetric(cl, sd)


CHART_FUNCTIONS: dict[str, Callable[[PhaseInput], ChartOutput]] = {
    "run": chart_run,
    "i": chart_i,
    "mr": chart_mr,
    "t": chart_t,
    "xbar": chart_xbar,
    "s": chart_s,
    "p": chart_p,
    "pp": chart_pp,
    "u": chart_u,
    "up": chart_up,
    "c": chart_c,
    "g": chart_g,
    "ip": chart_ip,
}

#: Charts that need the per-subgroup sums, counts, means and SDs.
NEEDS_SUBGROUP_STATS = frozenset({"xbar", "s", "c", "p", "pp", "u", "up", "ip"})
#: Of those, the charts that read the subgroups' means and SDs (:func:`chart_xbar`,
#: :func:`chart_s`); for the others the engine does not compute them.
NEEDS_MEAN_SD = frozenset({"xbar", "s"})
