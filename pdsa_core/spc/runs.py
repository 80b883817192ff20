"""Runs analysis (the Anhøj rules) of one phase, exactly as qicharts2 does it (§3).

Points that are excluded, missing, or exactly on the centre line are dropped before
the runs are counted, so a run continues across them and "+, 0, -" is one crossing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress, islice
from operator import ne, sub

from .limits import anhoej_limits


@dataclass(frozen=True, slots=True)
class RunsStats:
    n_obs: int
    n_useful: int
    longest_run: int | None
    longest_run_max: int | None
    n_crossings: int | None
    n_crossings_min: int | None

    @property
    def longest_run_signal(self) -> bool:
        """Rule 1: a run longer than the limit (strict)."""
        return self.longest_run is not None and self.longest_run > self.longest_run_max  # type: ignore[operator]

    @property
    def crossings_signal(self) -> bool:
        """Rule 2: fewer crossings than the limit (strict)."""
        return self.n_crossings is not None and self.n_crossings < self.n_crossings_min  # type: ignore[operator]

    @property
    def runs_signal(self) -> bool:
        return self.longest_run_signal or self.crossings_signal


def runs_analysis(
    y: Sequence[float], cl: Sequence[float], include: Sequence[bool] | None = None
) -> RunsStats:
    """Runs statistics of one phase; ``y``/``cl`` use NaN for missing values.

    ``include=None`` means every point is included (the common, faster case). The
    loops run in C (``compress``/``map``): this is the hot path of every chart.
    """
    if include is None:
        n_obs = len(y)
    else:
        n_obs = sum(include)
        y = list(compress(y, include))
        cl = list(compress(cl, include))
    c0 = cl[0] if cl else 0.0
    if cl.count(c0) == len(cl):  # one centre line for the whole phase
        above = [v > c0 for v in y if v > c0 or v < c0]  # NaN and ties drop out
    else:
        above = [a > b for a, b in zip(y, cl, strict=True) if a > b or a < b]
    useful = len(above)
    if useful == 0:
        return RunsStats(n_obs, 0, None, None, None, None)
    # run boundaries: 0, every position where the side changes, and the end
    bounds = [0, *compress(range(1, useful), map(ne, above, islice(above, 1, None))), useful]
    longest = max(map(sub, islice(bounds, 1, None), bounds))
    lr_max, cr_min = anhoej_limits(useful)
    return RunsStats(n_obs, useful, longest, lr_max, len(bounds) - 2, cr_min)


def useful_signs(
    y: Sequence[float | None],
    cl: Sequence[float | None],
    include: Sequence[bool],
    indices: Sequence[int],
) -> list[tuple[int, int]]:
    """``(index, sign)`` of the useful points among ``indices`` (public None-valued columns)."""
    out: list[tuple[int, int]] = []
    for i in indices:
        if not include[i]:
            continue
        a, b = y[i], cl[i]
        if a is None or b is None or a == b:
            continue
        out.append((i, 1 if a > b else -1))
    return out


def split_runs(signs: Sequence[tuple[int, int]]) -> list[list[int]]:
    """Group a ``useful_signs`` sequence into runs: a list of point indices per run."""
    runs: list[list[int]] = []
    prev = 0
    for index, sign in signs:
        if sign == prev:
            runs[-1].append(index)
        else:
            runs.append([index])
            prev = sign
    return runs
