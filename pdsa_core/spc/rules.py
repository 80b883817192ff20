"""Rule sets that read a :class:`ChartResult`: Anhøj, IHI (Perla et al.) and Western Electric.

A rule set is a plain object with an id, Danish and English titles, a source citation,
a description of each rule (:class:`RuleInfo`) and ``evaluate(result) -> list[Finding]``.
``BUILTIN_RULE_SETS`` maps ids to instances; :func:`get_rule_set` accepts an id or an
object, so rule sets registered elsewhere (plugins) work everywhere an id does.

Common conventions (documented per rule below and in ``docs/spc.md``):

* rules are evaluated per phase, on the included points of the phase (excluded points
  and missing values are skipped, like qicharts2's runs analysis); the single-point
  rules (outside the limits) look at every point, like qicharts2's sigma signal;
* pattern rules (runs, shifts, trends, zones) are not judged in a phase with fewer
  useful points than ``result.min_useful``; single-point rules always are;
* ``Finding.indices`` are 0-based point indices; ``scope="points"`` means those points
  are the signal, ``scope="phase"`` means the phase as a whole is (crossings, runs).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from ..errors import ValidationError
from .labels import plural, points_label
from .model import MEDIAN_CHARTS, Phase
from .numeric import NAN
from .runs import split_runs, useful_signs

if TYPE_CHECKING:  # pragma: no cover
    from .model import ChartResult

__all__ = [
    "Finding",
    "RuleInfo",
    "RuleSet",
    "AnhoejRules",
    "IHIRules",
    "WesternElectricRules",
    "BUILTIN_RULE_SETS",
    "IHI_RUNS_TABLE",
    "get_rule_set",
]


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule that fired in one phase."""

    rule_set: str
    rule: str
    part: int
    indices: tuple[int, ...]
    message_da: str
    message_en: str
    scope: str = "points"
    observed: float | None = None
    limit: float | None = None

    def message(self, lang: str = "da") -> str:
        return self.message_da if lang == "da" else self.message_en


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """Description of one rule, for documentation and user interfaces."""

    id: str
    title_da: str
    title_en: str
    source: str


class RuleSet(ABC):
    """Interface of a rule set. Subclasses set the class attributes and ``evaluate``."""

    id: ClassVar[str]
    title_da: ClassVar[str]
    title_en: ClassVar[str]
    source: ClassVar[str]
    rules: ClassVar[tuple[RuleInfo, ...]]

    @abstractmethod
    def evaluate(self, result: ChartResult) -> list[Finding]:
        """All findings, phase by phase, in point order."""

    def title(self, lang: str = "da") -> str:
        return self.title_da if lang == "da" else self.title_en

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id!r}>"


# --- shared helpers ------------------------------------------------------------------


def _judged(result: ChartResult, phase: Phase) -> bool:
    """Pattern rules are judged only with enough useful points."""
    return phase.n_useful >= result.min_useful


def _runs_applicable(result: ChartResult) -> bool:
    return result.chart != "mr" and result.x_kind != "category"


def _sequence(result: ChartResult, phase: Phase) -> list[int]:
    """Indices of the phase's included points with a value, in order."""
    y, inc = result.y, result.include
    return [i for i in phase.indices if inc[i] and y[i] is not None]


def _outside_limits(result: ChartResult, phase: Phase) -> list[int]:
    return [i for i in phase.indices if result.sigma_signal[i]]


def _centre_word(result: ChartResult, lang: str) -> str:
    if result.chart in MEDIAN_CHARTS:
        return "medianen" if lang == "da" else "the median"
    return "centerlinjen" if lang == "da" else "the centre line"


def _limits_finding(result: ChartResult, phase: Phase, set_id: str, rule: str) -> list[Finding]:
    outside = _outside_limits(result, phase)
    if not outside:
        return []
    k = len(outside)
    da = (
        f"{plural(k, 'punkt', 'punkter')} uden for kontrolgrænserne "
        f"({points_label(result, outside, 'da')})"
    )
    en = (
        f"{plural(k, 'point', 'points')} outside the control limits "
        f"({points_label(result, outside, 'en')})"
    )
    return [Finding(set_id, rule, phase.part, tuple(outside), da, en, "points", k, None)]


# --- Anhøj ---------------------------------------------------------------------------


class AnhoejRules(RuleSet):
    """The Anhøj rules as qicharts2 applies them, plus the 3-sigma rule on control charts.

    * ``longest_run`` – unusually long run: the longest run of points on one side of the
      centre line is longer than round(log2(n)) + 3, n = useful points (points on the
      centre line and missing points are skipped). Schilling 2012; Anhøj & Olesen 2014.
    * ``crossings`` – unusually few crossings: the number of times the line crosses the
      centre line is below the 5th percentile of Binomial(n - 1, 1/2). Chen 2010;
      Anhøj & Olesen 2014. These two are qicharts2's ``runs.signal``.
    * ``outside_limits`` – control charts: a point above the UCL or below the LCL
      (qicharts2's ``sigma.signal``; Shewhart 1931).
    """

    id = "anhoej"
    title_da = "Anhøj-reglerne"
    title_en = "Anhøj rules"
    source = (
        "Anhøj J, Olesen AV. Run charts revisited: a simulation study of run chart rules "
        "for detection of non-random variation in health care processes. PLoS ONE "
        "2014;9(11):e113825. Anhøj J. Diagnostic value of run chart analysis. PLoS ONE "
        "2015;10(3):e0121349. Implementation: qicharts2 0.8.1 (Anhøj)."
    )
    rules = (
        RuleInfo("longest_run", "Usædvanligt lang serie", "Unusually long run",
                 "Schilling MF (2012) The surprising predictability of long runs; Anhøj & Olesen 2014"),
        RuleInfo("crossings", "Usædvanligt få krydsninger", "Unusually few crossings",
                 "Chen Z (2010) A note on the runs test; Anhøj & Olesen 2014"),
        RuleInfo("outside_limits", "Punkter uden for kontrolgrænserne",
                 "Points outside the control limits", "Shewhart WA (1931)"),
    )

    def evaluate(self, result: ChartResult) -> list[Finding]:
        out: list[Finding] = []
        for phase in result.phases:
            if _judged(result, phase) and _runs_applicable(result):
                if phase.longest_run_signal:
                    signs = useful_signs(result.y, result.cl, result.include, phase.indices)
                    long_runs = [
                        r for r in split_runs(signs) if len(r) > (phase.longest_run_max or 0)
                    ]
                    idx = tuple(i for r in long_runs for i in r)
                    lr, mx = phase.longest_run, phase.longest_run_max
                    out.append(Finding(
                        self.id, "longest_run", phase.part, idx,
                        f"længste serie {lr} punkter (grænse {mx})",
                        f"longest run {lr} points (limit {mx})",
                        "points", lr, mx,
                    ))
                if phase.crossings_signal:
                    signs = useful_signs(result.y, result.cl, result.include, phase.indices)
                    c, mn = phase.n_crossings or 0, phase.n_crossings_min
                    out.append(Finding(
                        self.id, "crossings", phase.part, tuple(i for i, _ in signs),
                        f"{plural(c, 'krydsning', 'krydsninger')} (mindst {mn})",
                        f"{plural(c, 'crossing', 'crossings')} (minimum {mn})",
                        "phase", c, mn,
                    ))
            out.extend(_limits_finding(result, phase, self.id, "outside_limits"))
        return out


# --- IHI (Perla, Provost & Murray 2011) ------------------------------------------------

#: Too few / too many runs for N useful points (10..60): runs < lower or runs > upper.
#: Computed exactly from the Swed-Eisenhart distribution of the number of runs with the
#: N points split as evenly as possible above/below the median, 2.5 % in each tail
#: (lower = smallest r with P(R <= r) > 0.025; upper = largest r with P(R >= r) > 0.025).
#: This is the construction of Table 1 in Perla et al. (2011), which reproduces Swed &
#: Eisenhart (1943); ``tests/spc/test_rules_ihi.py`` recomputes it.
IHI_RUNS_TABLE: dict[int, tuple[int, int]] = {
    10: (3, 9), 11: (4, 9), 12: (4, 10), 13: (4, 11), 14: (4, 12), 15: (5, 12),
    16: (5, 13), 17: (6, 13), 18: (6, 14), 19: (6, 15), 20: (7, 15), 21: (7, 16),
    22: (8, 16), 23: (8, 17), 24: (8, 18), 25: (9, 18), 26: (9, 19), 27: (10, 19),
    28: (10, 20), 29: (10, 21), 30: (11, 21), 31: (11, 22), 32: (12, 22), 33: (12, 23),
    34: (12, 24), 35: (13, 24), 36: (13, 25), 37: (14, 25), 38: (14, 26), 39: (14, 26),
    40: (15, 27), 41: (15, 28), 42: (16, 28), 43: (16, 29), 44: (17, 29), 45: (17, 30),
    46: (17, 31), 47: (18, 31), 48: (18, 32), 49: (19, 32), 50: (19, 33), 51: (20, 33),
    52: (20, 34), 53: (20, 35), 54: (21, 35), 55: (21, 36), 56: (22, 36), 57: (22, 37),
    58: (23, 37), 59: (23, 38), 60: (24, 38),
}

IHI_SHIFT = 6
IHI_TREND = 5


def _trends(result: ChartResult, seq: list[int], length: int) -> list[list[int]]:
    """Monotone stretches of >= ``length`` distinct values; repeats neither make nor break."""
    y = result.y
    groups: list[list[int]] = []  # consecutive equal values collapse into one group
    for i in seq:
        if groups and y[groups[-1][0]] == y[i]:
            groups[-1].append(i)
        else:
            groups.append([i])
    found: list[list[int]] = []
    start = 0
    direction = 0
    for j in range(1, len(groups) + 1):
        d = 0
        if j < len(groups):
            d = 1 if y[groups[j][0]] > y[groups[j - 1][0]] else -1  # type: ignore[operator]
        if j == len(groups) or (direction != 0 and d != direction):
            if direction != 0 and j - start >= length:
                found.append([i for g in groups[start:j] for i in g])
            start = j - 1
        direction = d
    return found


def _i_chart_envelope(result: ChartResult, phase: Phase) -> tuple[list[float], list[float]]:
    """3-sigma limits of an I chart on the phase's values (for run charts)."""
    from .charts import PhaseInput, chart_i

    sl = phase.indices
    y = [NAN if (v := result.y[i]) is None else v for i in sl]
    base = [result.baseline[i] and result.include[i] for i in sl]
    _, _, lines = chart_i(PhaseInput(y=y, n=None, base=base, screened=result.screened_mr))
    assert lines is not None
    return lines[0], lines[1]


class IHIRules(RuleSet):
    """The four run chart rules of Perla, Provost & Murray (2011), as taught by IHI.

    * ``shift`` – six or more consecutive points all above or all below the median.
      Points on the median are skipped: they neither add to nor break a shift.
    * ``trend`` – five or more consecutive points all going up or all going down.
      When consecutive points have the same value, only one is counted: like values
      neither make nor break a trend.
    * ``runs_too_few`` / ``runs_too_many`` – the number of runs (crossings + 1, points
      on the median skipped) is outside the range of :data:`IHI_RUNS_TABLE` for 10–60
      useful points (Swed & Eisenhart 1943). Not judged outside 10–60 points.
    * ``astronomical`` – a judgement rule in the paper ("an obviously, even blatantly,
      different value"). Made operational here as a point outside the chart's 3-sigma
      limits; on a run chart, outside the 3-sigma limits of an I chart (XmR, moving
      ranges screened as in ``analyze``) computed from the same phase and baseline.

    On control charts the centre line (mean) takes the place of the median.
    """

    id = "ihi"
    title_da = "IHI-reglerne (Perla, Provost & Murray)"
    title_en = "IHI run chart rules (Perla, Provost & Murray)"
    source = (
        "Perla RJ, Provost LP, Murray SK. The run chart: a simple analytical tool for "
        "learning from variation in healthcare processes. BMJ Qual Saf 2011;20:46-51. "
        "Swed FS, Eisenhart C. Tables for testing randomness of grouping in a sequence "
        "of alternatives. Ann Math Stat 1943;14:66-87."
    )
    rules = (
        RuleInfo("shift", "Skift", "Shift", "Perla et al. 2011, rule 1"),
        RuleInfo("trend", "Trend", "Trend", "Perla et al. 2011, rule 2"),
        RuleInfo("runs_too_few", "For få serier", "Too few runs",
                 "Perla et al. 2011, rule 3; Swed & Eisenhart 1943"),
        RuleInfo("runs_too_many", "For mange serier", "Too many runs",
                 "Perla et al. 2011, rule 3; Swed & Eisenhart 1943"),
        RuleInfo("astronomical", "Astronomisk datapunkt", "Astronomical data point",
                 "Perla et al. 2011, rule 4 (operationalised: outside 3-sigma limits)"),
    )

    def evaluate(self, result: ChartResult) -> list[Finding]:
        out: list[Finding] = []
        for phase in result.phases:
            if _judged(result, phase) and _runs_applicable(result):
                out.extend(self._shift(result, phase))
                out.extend(self._trend(result, phase))
                out.extend(self._runs(result, phase))
            out.extend(self._astronomical(result, phase))
        return out

    def _shift(self, result: ChartResult, phase: Phase) -> list[Finding]:
        signs = useful_signs(result.y, result.cl, result.include, phase.indices)
        shifts = [r for r in split_runs(signs) if len(r) >= IHI_SHIFT]
        if not shifts:
            return []
        longest = max(len(r) for r in shifts)
        return [Finding(
            self.id, "shift", phase.part, tuple(i for r in shifts for i in r),
            f"skift: {longest} punkter i træk på samme side af {_centre_word(result, 'da')} "
            f"(signal ved {IHI_SHIFT} eller flere)",
            f"shift: {longest} points in a row on one side of {_centre_word(result, 'en')} "
            f"(signal at {IHI_SHIFT} or more)",
            "points", longest, IHI_SHIFT,
        )]

    def _trend(self, result: ChartResult, phase: Phase) -> list[Finding]:
        trends = _trends(result, _sequence(result, phase), IHI_TREND)
        if not trends:
            return []
        y = result.y

        def distinct(t: list[int]) -> int:
            return len({y[i] for i in t})

        longest = max(trends, key=distinct)
        k = distinct(longest)
        up = y[longest[-1]] > y[longest[0]]  # type: ignore[operator]
        return [Finding(
            self.id, "trend", phase.part, tuple(i for t in trends for i in t),
            f"trend: {k} punkter i træk {'stiger' if up else 'falder'} "
            f"(signal ved {IHI_TREND} eller flere)",
            f"trend: {k} points in a row going {'up' if up else 'down'} "
            f"(signal at {IHI_TREND} or more)",
            "points", k, IHI_TREND,
        )]

    def _runs(self, result: ChartResult, phase: Phase) -> list[Finding]:
        n = phase.n_useful
        if n not in IHI_RUNS_TABLE or phase.n_crossings is None:
            return []
        lower, upper = IHI_RUNS_TABLE[n]
        runs = phase.n_crossings + 1
        signs = useful_signs(result.y, result.cl, result.include, phase.indices)
        idx = tuple(i for i, _ in signs)
        if runs < lower:
            return [Finding(
                self.id, "runs_too_few", phase.part, idx,
                f"for få serier: {runs} (forventet {lower}–{upper})",
                f"too few runs: {runs} (expected {lower}–{upper})",
                "phase", runs, lower,
            )]
        if runs > upper:
            return [Finding(
                self.id, "runs_too_many", phase.part, idx,
                f"for mange serier: {runs} (forventet {lower}–{upper})",
                f"too many runs: {runs} (expected {lower}–{upper})",
                "phase", runs, upper,
            )]
        return []

    def _astronomical(self, result: ChartResult, phase: Phase) -> list[Finding]:
        if result.has_limits:
            outside = _outside_limits(result, phase)
            how_da, how_en = "uden for kontrolgrænserne", "outside the control limits"
        else:
            lcl, ucl = _i_chart_envelope(result, phase)
            outside = []
            for i, lo, hi in zip(phase.indices, lcl, ucl, strict=True):
                v = result.y[i]
                if v is not None and (v > hi or v < lo):
                    outside.append(i)
            how_da = "uden for 3-sigma-grænserne for et I-kort"
            how_en = "outside the 3-sigma limits of an I chart"
        if not outside:
            return []
        k = len(outside)
        return [Finding(
            self.id, "astronomical", phase.part, tuple(outside),
            f"{plural(k, 'astronomisk datapunkt', 'astronomiske datapunkter')} "
            f"({points_label(result, outside, 'da')}, {how_da})",
            f"{plural(k, 'astronomical data point', 'astronomical data points')} "
            f"({points_label(result, outside, 'en')}, {how_en})",
            "points", k, None,
        )]


# --- Western Electric ------------------------------------------------------------------


def _zone_windows(
    result: ChartResult, seq: list[int], lower: Sequence[float | None],
    upper: Sequence[float | None], window: int, needed: int,
) -> list[int]:
    """Points in windows of ``window`` consecutive points where >= ``needed`` lie beyond
    the same line (above ``upper`` or below ``lower``)."""
    y = result.y
    above = [upper[i] is not None and y[i] > upper[i] for i in seq]  # type: ignore[operator]
    below = [lower[i] is not None and y[i] < lower[i] for i in seq]  # type: ignore[operator]
    hit: set[int] = set()
    for start in range(0, max(0, len(seq) - window + 1)):
        for flags in (above, below):
            chunk = flags[start:start + window]
            if sum(chunk) >= needed:
                hit.update(seq[start + j] for j, f in enumerate(chunk) if f)
    return sorted(hit)


class WesternElectricRules(RuleSet):
    """The four Western Electric rules for control charts (1956 handbook, zone tests).

    * ``beyond_3sigma`` – one point outside the 3-sigma control limits.
    * ``two_of_three`` – two of three consecutive points beyond the 2-sigma line on the
      same side of the centre line (qicharts2's 95 % lines).
    * ``four_of_five`` – four of five consecutive points beyond the 1-sigma line on the
      same side (``lcl_1s``/``ucl_1s``).
    * ``eight_in_a_row`` – eight consecutive points on one side of the centre line; a
      point exactly on the centre line breaks the run.

    Zone lines are the chart's own (clipped where qicharts2 clips, which cannot change
    a result because no value lies beyond its natural bounds). Rules 1–3 need control
    limits and are skipped on run charts; rule 4 uses the median there.
    """

    id = "weco"
    title_da = "Western Electric-reglerne"
    title_en = "Western Electric rules"
    source = (
        "Western Electric Company. Statistical Quality Control Handbook. Indianapolis: "
        "Western Electric Co.; 1956 (zone rules 1-4). See also Montgomery DC, "
        "Introduction to Statistical Quality Control, ch. 5."
    )
    rules = (
        RuleInfo("beyond_3sigma", "1 punkt uden for 3 sigma", "1 point beyond 3 sigma",
                 "Western Electric 1956, rule 1"),
        RuleInfo("two_of_three", "2 af 3 punkter uden for 2 sigma",
                 "2 of 3 points beyond 2 sigma", "Western Electric 1956, rule 2"),
        RuleInfo("four_of_five", "4 af 5 punkter uden for 1 sigma",
                 "4 of 5 points beyond 1 sigma", "Western Electric 1956, rule 3"),
        RuleInfo("eight_in_a_row", "8 punkter i træk på samme side",
                 "8 points in a row on one side", "Western Electric 1956, rule 4"),
    )

    def evaluate(self, result: ChartResult) -> list[Finding]:
        out: list[Finding] = []
        for phase in result.phases:
            if result.has_limits:
                out.extend(_limits_finding(result, phase, self.id, "beyond_3sigma"))
            if not _judged(result, phase):
                continue
            seq = _sequence(result, phase)
            if result.has_limits:
                for rule, lo, hi, window, needed, da, en in (
                    ("two_of_three", result.lcl_95, result.ucl_95, 3, 2,
                     "2 af 3 punkter uden for 2 sigma", "2 of 3 points beyond 2 sigma"),
                    ("four_of_five", result.lcl_1s, result.ucl_1s, 5, 4,
                     "4 af 5 punkter uden for 1 sigma", "4 of 5 points beyond 1 sigma"),
                ):
                    hit = _zone_windows(result, seq, lo, hi, window, needed)
                    if hit:
                        out.append(Finding(
                            self.id, rule, phase.part, tuple(hit),
                            f"{da} på samme side ({points_label(result, hit, 'da')})",
                            f"{en} on the same side ({points_label(result, hit, 'en')})",
                            "points", len(hit), None,
                        ))
            out.extend(self._eight(result, phase, seq))
        return out

    def _eight(self, result: ChartResult, phase: Phase, seq: list[int]) -> list[Finding]:
        runs: list[list[int]] = []
        prev = 0
        for i in seq:
            c = result.cl[i]
            v = result.y[i]
            sign = 0 if c is None or v == c else (1 if v > c else -1)  # type: ignore[operator]
            if sign != 0 and sign == prev:
                runs[-1].append(i)
            elif sign != 0:
                runs.append([i])
            prev = sign
        long_runs = [r for r in runs if len(r) >= 8]
        if not long_runs:
            return []
        longest = max(len(r) for r in long_runs)
        return [Finding(
            self.id, "eight_in_a_row", phase.part, tuple(i for r in long_runs for i in r),
            f"{longest} punkter i træk på samme side af {_centre_word(result, 'da')} "
            "(signal ved 8 eller flere)",
            f"{longest} points in a row on one side of {_centre_word(result, 'en')} "
            "(signal at 8 or more)",
            "points", longest, 8,
        )]


BUILTIN_RULE_SETS: dict[str, RuleSet] = {
    "anhoej": AnhoejRules(),
    "ihi": IHIRules(),
    "weco": WesternElectricRules(),
}


def get_rule_set(rules: Any, registry: Mapping[str, Any] | None = None) -> RuleSet:
    """A rule set from an id or a rule-set object.

    An id is looked up in ``registry`` (the rule sets the loaded plugins registered, which
    the caller passes in) and then in :data:`BUILTIN_RULE_SETS`.
    """
    if isinstance(rules, RuleSet):
        return rules
    if isinstance(rules, str) and registry and rules in registry:
        rules = registry[rules]
    elif isinstance(rules, str) and rules in BUILTIN_RULE_SETS:
        return BUILTIN_RULE_SETS[rules]
    if hasattr(rules, "evaluate") and hasattr(rules, "id"):
        return rules  # duck-typed rule set (for example one registered by a plugin)
    raise ValidationError(
        f"unknown rule set {rules!r} (choose one of: {', '.join(BUILTIN_RULE_SETS)})"
    )
