"""SPC engine: run and control charts computed exactly as qicharts2, read with rule sets.

Pure Python (stdlib only); no I/O. Rendering (matplotlib) lives in ``spc.render`` and is
imported only when used.

Public API::

    analyze(y, *, x=None, n=None, chart="run", freeze=None, part=None, exclude=None,
            cl=None, multiply=1, screened_mr=True, agg="mean", rules="anhoej",
            min_useful=10, phase_labels=None) -> ChartResult
    verdict(result, phase_index=-1, lang="da", rules=None) -> Verdict
    read_meaning(result, verdict, direction, target=None) -> Meaning   (improvement or concern)
    analyze_series(observations, *, chart="run", baseline=None, splits=(), ...) -> SeriesAnalysis
    BUILTIN_RULE_SETS, RuleSet, Finding, get_rule_set
    anhoej_limits(n_useful) -> (longest_run_max, n_crossings_min)
"""

from .engine import analyze, normalize_chart
from .limits import anhoej_limits, longest_run_max, n_crossings_min
from .meaning import Meaning, read_meaning
from .model import CHART_TYPES, ChartResult, Phase, Point
from .rules import BUILTIN_RULE_SETS, Finding, RuleInfo, RuleSet, get_rule_set
from .series import SeriesAnalysis, analyze_series, year_month
from .verdict import Verdict, compare_rule_sets, verdict, verdicts

__all__ = [
    "analyze",
    "normalize_chart",
    "anhoej_limits",
    "longest_run_max",
    "n_crossings_min",
    "CHART_TYPES",
    "ChartResult",
    "Phase",
    "Point",
    "BUILTIN_RULE_SETS",
    "Finding",
    "RuleInfo",
    "RuleSet",
    "get_rule_set",
    "SeriesAnalysis",
    "analyze_series",
    "year_month",
    "Verdict",
    "compare_rule_sets",
    "verdict",
    "verdicts",
    "Meaning",
    "read_meaning",
]
