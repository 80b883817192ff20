"""A level line drawn through its two ends gives the chart the same cells as through every point."""

from __future__ import annotations

import plotext
import pytest

from tui.widgets.chart import level_ends


def _drawn(xs: list[int], ys: list[float]) -> str:
    plt = plotext._figure._figure_class()  # a figure of its own, as the chart widget has
    plt.plotsize(80, 20)
    plt.plot(list(range(40)), [((i * 7) % 11) * 1.0 for i in range(40)], marker="·")  # data to share the axes
    plt.plot(xs, ys, marker="─", color="red")
    return str(plt.build())


@pytest.mark.parametrize(
    "ys",
    [
        [5.0] * 40,  # one level (a run chart's median)
        [4.0] * 15 + [6.5] * 25,  # two phases' levels in one stretch
        [3.0 + (i % 3) for i in range(40)],  # no two alike (a p chart's limits)
        [2.0, 2.0, 7.0, 7.0, 7.0, 2.0] * 6 + [2.0] * 4,  # short runs
    ],
)
def test_a_level_line_through_its_ends_draws_the_same(ys: list[float]) -> None:
    xs = list(range(len(ys)))
    ends = level_ends(xs, ys)
    assert _drawn(*ends) == _drawn(xs, ys)
    if ys == [5.0] * 40:
        assert ends == ([0, 39], [5.0, 5.0])
