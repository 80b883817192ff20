"""Result types of the SPC engine: plain frozen dataclasses, no behaviour beyond views.

A :class:`ChartResult` stores its per-point values column by column (tuples), because
building one object per point is the most expensive part of analysing a short series.
:attr:`ChartResult.points` builds the per-point :class:`Point` objects on first use.
Missing values are ``None`` everywhere (qicharts2's ``NA``/``NaN``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - imports for type checkers only
    from .rules import Finding, RuleSet

#: Chart types the engine knows, with a short English description.
CHART_TYPES: dict[str, str] = {
    "run": "run chart (median)",
    "i": "individuals chart (XmR, I)",
    "mr": "moving range chart",
    "xbar": "chart of subgroup means (Xbar)",
    "s": "chart of subgroup standard deviations (S)",
    "t": "time between rare events (T)",
    "p": "proportions (P)",
    "pp": "proportions, Laney P prime (P')",
    "c": "counts (C)",
    "u": "rates (U)",
    "up": "rates, Laney U prime (U')",
    "g": "opportunities between rare events (G)",
    "ip": "individuals prime, Laney I' (I')",
}

#: Charts whose centre line is a median (all others use a mean).
MEDIAN_CHARTS = frozenset({"run", "g"})
#: Charts that need a denominator ``n``.
DENOMINATOR_CHARTS = frozenset({"p", "pp", "u", "up"})
#: Charts with control limits (everything but the run chart).
CONTROL_CHARTS = frozenset(CHART_TYPES) - {"run"}


@dataclass(frozen=True, slots=True)
class Point:
    """One plotted point (one subgroup) after aggregation.

    ``index`` is 0-based; ``xx`` is qicharts2's 1-based position. ``y``, ``cl`` and the
    limits are already multiplied by ``multiply``. ``n`` is the subgroup's summed
    denominator (0 when it was missing), or None when the chart has no denominator.
    """

    index: int
    xx: int
    x: Any
    y: float | None
    n: float | None
    cl: float | None
    lcl: float | None
    ucl: float | None
    lcl_95: float | None
    ucl_95: float | None
    sigma_signal: bool
    runs_signal: bool
    part: int
    baseline: bool
    include: bool


@dataclass(frozen=True, slots=True)
class Phase:
    """Runs statistics and line summaries of one phase (qicharts2 ``summary()`` row).

    The statistics are exactly what qicharts2 reports; ``longest_run_signal`` and
    ``crossings_signal`` split its single ``runs_signal`` into the two Anhøj rules (both
    False for MR charts and categorical x, where qicharts2 switches the runs signal off).
    ``label`` is the phase label when ``part`` was given as labels (or a reason from the
    series bridge), otherwise None.
    """

    part: int
    first_xx: int
    last_xx: int
    n_obs: int
    n_useful: int
    longest_run: int | None
    longest_run_max: int | None
    n_crossings: int | None
    n_crossings_min: int | None
    runs_signal: bool
    sigma_signal_count: int
    mean_cl: float | None
    mean_lcl: float | None
    mean_ucl: float | None
    longest_run_signal: bool = False
    crossings_signal: bool = False
    label: str | None = None

    @property
    def indices(self) -> range:
        """0-based indices of the phase's points."""
        return range(self.first_xx - 1, self.last_xx)


@dataclass(frozen=True)
class ChartResult:
    """Everything :func:`pdsa_core.spc.analyze` computed, column by column.

    Columns are tuples of equal length (one entry per subgroup). ``lcl_1s``/``ucl_1s``
    are the one-sigma lines (not part of qicharts2's output; the Western Electric zone
    rules use them). ``x_kind`` is ``"index"`` (x was not given), ``"numeric"``,
    ``"date"`` or ``"category"`` (qicharts2's "dots only": no runs analysis).
    """

    chart: str
    x: tuple[Any, ...]
    y: tuple[float | None, ...]
    n: tuple[float | None, ...]
    cl: tuple[float | None, ...]
    lcl: tuple[float | None, ...]
    ucl: tuple[float | None, ...]
    lcl_95: tuple[float | None, ...]
    ucl_95: tuple[float | None, ...]
    lcl_1s: tuple[float | None, ...]
    ucl_1s: tuple[float | None, ...]
    sigma_signal: tuple[bool, ...]
    runs_signal: tuple[bool, ...]
    part: tuple[int, ...]
    baseline: tuple[bool, ...]
    include: tuple[bool, ...]
    phases: tuple[Phase, ...]
    x_kind: str = "index"
    multiply: float = 1
    freeze: int | None = None
    screened_mr: bool = True
    min_useful: int = 10
    rule_set: RuleSet | None = field(default=None, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.y)

    @property
    def rules(self) -> str:
        """Id of the rule set chosen in :func:`analyze` (``"anhoej"`` by default)."""
        return self.rule_set.id if self.rule_set is not None else "anhoej"

    @property
    def has_limits(self) -> bool:
        return self.chart != "run"

    @cached_property
    def points(self) -> tuple[Point, ...]:
        """The per-point view, built once on first use."""
        return tuple(
            Point(i, i + 1, *row)
            for i, row in enumerate(
                zip(
                    self.x, self.y, self.n, self.cl, self.lcl, self.ucl, self.lcl_95,
                    self.ucl_95, self.sigma_signal, self.runs_signal, self.part,
                    self.baseline, self.include, strict=True,
                )
            )
        )

    @cached_property
    def findings(self) -> tuple[Finding, ...]:
        """Findings of the chosen rule set (evaluated once, on first use).

        :func:`pdsa_core.spc.analyze` always gives the result its rule set (Anhøj by
        default); a result made without one has no findings.
        """
        return () if self.rule_set is None else tuple(self.rule_set.evaluate(self))

    def phase_of(self, index: int) -> Phase:
        """The phase a 0-based point index belongs to."""
        return self.phases[self.part[index] - 1]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``points`` and ``phases`` (x values rendered as str for dates)."""
        points = []
        for p in self.points:
            x = p.x.isoformat() if hasattr(p.x, "isoformat") else p.x
            points.append(
                {
                    "x": x, "y": p.y, "n": p.n, "cl": p.cl, "lcl": p.lcl, "ucl": p.ucl,
                    "lcl_95": p.lcl_95, "ucl_95": p.ucl_95,
                    "sigma_signal": p.sigma_signal, "runs_signal": p.runs_signal,
                    "part": p.part, "baseline": p.baseline, "include": p.include,
                }
            )
        phases = [
            {
                "part": ph.part, "label": ph.label, "first_xx": ph.first_xx,
                "last_xx": ph.last_xx, "n_obs": ph.n_obs, "n_useful": ph.n_useful,
                "longest_run": ph.longest_run, "longest_run_max": ph.longest_run_max,
                "n_crossings": ph.n_crossings, "n_crossings_min": ph.n_crossings_min,
                "runs_signal": ph.runs_signal,
                "longest_run_signal": ph.longest_run_signal,
                "crossings_signal": ph.crossings_signal,
                "sigma_signal_count": ph.sigma_signal_count, "mean_cl": ph.mean_cl,
                "mean_lcl": ph.mean_lcl, "mean_ucl": ph.mean_ucl,
            }
            for ph in self.phases
        ]
        return {"chart": self.chart, "points": points, "phases": phases}
