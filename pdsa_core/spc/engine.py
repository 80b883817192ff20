"""``analyze()``: the qicharts2 pipeline (spec §1) in plain Python.

inputs -> complete cases -> aggregation by x (sorted) -> phases, baseline, include ->
per phase: centre line and limits (``charts``) and runs analysis (``runs``) ->
multiply -> non-finite limits to None -> sigma signals -> summary per phase.
"""

from __future__ import annotations

import datetime as _dt
import math
import numbers
import re
from collections.abc import Sequence
from typing import Any

from ..errors import ValidationError
from . import charts as _charts
from .model import CHART_TYPES, DENOMINATOR_CHARTS, ChartResult, Phase
from .numeric import NAN, div, fast_mean, mean_of_one, r_mean, r_median, r_sd, r_sum, sum_of_one
from .rules import get_rule_set
from .runs import runs_analysis

__all__ = ["analyze", "normalize_chart", "validate_values"]

CHART_ALIASES = {
    "pprime": "pp",
    "p'": "pp",
    "uprime": "up",
    "u'": "up",
    "iprime": "ip",
    "i'": "ip",
    "xmr": "i",
    "imr": "i",
    "x": "i",
}
AGG_FUNCTIONS = ("mean", "median", "sum", "sd")
_COUNT_CHARTS = frozenset({"c", "u", "up", "p", "pp"})


def normalize_chart(chart: str) -> str:
    """The canonical chart id, or ValidationError for an unknown chart type."""
    if not isinstance(chart, str):
        raise ValidationError(
            f"chart type must be text, not {chart!r}", da=f"diagramtypen skal være tekst, ikke {chart!r}"
        )
    key = chart.strip().lower()
    key = CHART_ALIASES.get(key, key)
    if key not in CHART_TYPES:
        raise ValidationError(
            f"unknown chart type '{chart}' (choose one of: {', '.join(CHART_TYPES)})",
            da=f"ukendt diagramtype '{chart}' (vælg en af: {', '.join(CHART_TYPES)})",
        )
    return key


# --- input conversion ------------------------------------------------------------------


def _bad_number(value: Any, row: int, column: str) -> ValidationError:
    return ValidationError(
        f"row {row}, column '{column}': {value!r} is not a number",
        da=f"række {row}, kolonne '{column}': {value!r} er ikke et tal",
    )


_PLAIN = frozenset({float, int})


def _floats(values: Sequence[Any], column: str, rows: Sequence[int] | None = None) -> list[float]:
    """Numbers as floats, missing (None/NaN) as NaN; text, bools and ±Inf are rejected."""
    if _PLAIN.issuperset(map(type, values)):
        out = list(map(float, values))
        total = sum(out)
        if total - total == 0:  # no NaN and no Inf among them
            return out
    out = []
    append = out.append
    for i, v in enumerate(values):
        t = type(v)
        if t is float:
            if v - v == 0:
                append(v)
                continue
            if v != v:
                append(NAN)
                continue
        elif t is int:
            append(float(v))
            continue
        elif v is None:
            append(NAN)
            continue
        row = rows[i] if rows is not None else i + 1
        if isinstance(v, bool) or not isinstance(v, numbers.Real):
            raise _bad_number(v, row, column)
        f = float(v)
        if f != f:
            append(NAN)
        elif math.isinf(f):
            raise ValidationError(
                f"row {row}, column '{column}': {v!r} is not a finite number",
                da=f"række {row}, kolonne '{column}': {v!r} er ikke et endeligt tal",
            )
        else:
            append(f)
    return out


def validate_values(
    chart: str,
    y: Sequence[float],
    n: Sequence[float] | None,
    rows: Sequence[int] | None = None,
) -> None:
    """Domain checks on already converted values (NaN = missing).

    Raises ValidationError naming the row (``rows[i]``, default i + 1) and the column:
    a denominator of 0 or less, a numerator above its denominator on P charts, negative
    counts on C/U/P charts, times between events <= 0 on T charts, a missing
    denominator column on P and U charts.
    """

    def row(i: int) -> int:
        return rows[i] if rows is not None else i + 1

    if chart in DENOMINATOR_CHARTS and n is None:
        raise ValidationError(
            f"a {chart} chart needs a denominator (column 'n')",
            da=f"et {chart}-diagram kræver en nævner (kolonne 'n')",
        )
    if n is not None:
        # comparisons with NaN are false, so missing values never count as bad
        for i in [i for i, b in enumerate(n) if b <= 0]:
            a, b = y[i], n[i]
            if a != a:
                continue
            if b == 0:
                raise ValidationError(
                    f"row {row(i)}, column 'n': denominator is 0",
                    da=f"række {row(i)}, kolonne 'n': nævneren er 0",
                )
            raise ValidationError(
                f"row {row(i)}, column 'n': denominator {b:g} is negative",
                da=f"række {row(i)}, kolonne 'n': nævneren {b:g} er negativ",
            )
        if chart in ("p", "pp"):
            bad = [i for i, (a, b) in enumerate(zip(y, n, strict=True)) if a > b]
            if bad:
                i = bad[0]
                raise ValidationError(
                    f"row {row(i)}, column 'n': denominator {n[i]:g} is smaller than "
                    f"the numerator {y[i]:g} (column 'y')",
                    da=f"række {row(i)}, kolonne 'n': nævneren {n[i]:g} er mindre end "
                    f"tælleren {y[i]:g} (kolonne 'y')",
                )
    if chart in _COUNT_CHARTS:
        bad = [i for i, a in enumerate(y) if a < 0]
        if bad:
            i = bad[0]
            raise ValidationError(
                f"row {row(i)}, column 'y': count {y[i]:g} is negative",
                da=f"række {row(i)}, kolonne 'y': antallet {y[i]:g} er negativt",
            )
    if chart == "t":
        bad = [i for i, a in enumerate(y) if a <= 0]
        if bad:
            i = bad[0]
            raise ValidationError(
                f"row {row(i)}, column 'y': time between events must be greater "
                f"than zero, got {y[i]:g}",
                da=f"række {row(i)}, kolonne 'y': tiden mellem hændelser skal være større "
                f"end nul, ikke {y[i]:g}",
            )


def _positions(values: Any, name: str) -> list[int]:
    if values is None:
        return []
    if isinstance(values, numbers.Integral) and not isinstance(values, bool):
        values = [values]
    out = []
    for v in values:
        if isinstance(v, bool) or not isinstance(v, numbers.Real) or v != v:
            raise ValidationError(
                f"{name} must be point positions (integers), not {v!r}",
                da=f"{name} skal være punkters placering (hele tal), ikke {v!r}",
            )
        if not float(v).is_integer():
            # qicharts2 compares positions (xx %in% exclude; parts by position), so 2.5 would match
            # no point there; refused here rather than silently read as another point
            raise ValidationError(
                f"{name} must be whole point positions (1, 2, 3 …), not {v!r}",
                da=f"{name} skal være hele punktnumre (1, 2, 3 …), ikke {v!r}",
            )
        out.append(int(float(v)))  # a whole number (checked above)
    return out


def _x_kind(x: Sequence[Any]) -> str:
    kinds = set()
    for v in x:
        if v is None or (isinstance(v, float) and v != v):
            continue
        if isinstance(v, _dt.date):
            kinds.add("date")
        elif isinstance(v, str):
            kinds.add("category")
        elif isinstance(v, numbers.Real) and not isinstance(v, bool):
            kinds.add("numeric")
        else:
            raise ValidationError(
                f"x value {v!r} is neither a number, a date nor text",
                da=f"x-værdien {v!r} er hverken et tal, en dato eller tekst",
            )
    if len(kinds) > 1:
        raise ValidationError(
            f"x mixes {' and '.join(sorted(kinds))} values",
            da=f"x blander værdier af typen {' og '.join(sorted(kinds))}",
        )
    return kinds.pop() if kinds else "numeric"


_ISO_MONTH = re.compile(r"^\s*(\d{4})-(\d{2})\s*$")


def _iso_dates(x: Sequence[Any]) -> list[Any] | None:
    """Text x that are all ISO dates ("2022-03-01", "2022-03" or with a time) as dates.

    R's Date/POSIXct x keep the runs analysis; text x would be categorical. Reference
    vectors and CSV files carry dates as text, so such text is read as dates.
    """
    out: list[Any] = []
    for v in x:
        if _is_missing_x(v):
            out.append(None)
            continue
        if not isinstance(v, str):
            return None
        m = _ISO_MONTH.match(v)
        try:
            if m:
                out.append(_dt.date(int(m.group(1)), int(m.group(2)), 1))
            elif len(v.strip()) == 10:
                out.append(_dt.date.fromisoformat(v.strip()))
            else:
                out.append(_dt.datetime.fromisoformat(v.strip()))
        except ValueError:
            return None
    kinds = {type(v) for v in out if v is not None}
    return out if len(kinds) == 1 else None


def _is_missing_x(v: Any) -> bool:
    return v is None or (isinstance(v, float) and v != v)


def _one_row_each(
    ys: list[float], ns: list[float] | None, agg: str
) -> tuple[list[float], list[float], list[float], list[float] | None]:
    """y_agg, y_sum, y_len and n of subgroups of one row each, as :func:`analyze` aggregates
    them (R's sum and mean of one value: :func:`sum_of_one`, :func:`mean_of_one`)."""
    y_len = [1.0 if v == v else 0.0 for v in ys]
    if ns is not None:
        n_out = [sum_of_one(b) for b in ns]
        return [div(sum_of_one(a), b) for a, b in zip(ys, n_out, strict=True)], list(ys), y_len, n_out
    if agg == "mean":
        return [mean_of_one(v) for v in ys], list(ys), y_len, None
    return [_agg_value([v] if v == v else [], agg) for v in ys], list(ys), y_len, None


def _subgroups(
    x: Sequence[Any], ys: list[float], ns: list[float] | None, cls: list[float] | None, chart: str, agg: str
) -> tuple[
    list[Any],
    list[float],
    list[float],
    list[float],
    list[float] | None,
    list[float] | None,
    list[float] | None,
    list[float] | None,
]:
    """Rows with the same x aggregated as qicharts2 does, in x order: xs, y_agg, y_sum, y_len,
    y_mean and y_sd (for the charts that read them, else None), n and cl (None when not given)."""
    groups: dict[Any, list[int]] = {}
    for i, xv in enumerate(x):
        if xv is None or (isinstance(xv, float) and xv != xv):  # _is_missing_x, inlined
            continue
        groups.setdefault(xv, []).append(i)
    try:
        xs = sorted(groups)
    except TypeError as err:
        raise ValidationError(
            f"x values cannot be ordered: {err}", da=f"x-værdierne kan ikke sorteres: {err}"
        ) from None
    y_agg: list[float] = []
    y_sum: list[float] = []
    y_len: list[float] = []
    # the subgroups' means and SDs only for the charts that read them (a monthly series of a
    # run, C or P chart: 3,600 values on a team's dashboard)
    mean_sd = chart in _charts.NEEDS_MEAN_SD
    y_mean: list[float] = []
    y_sd: list[float] = []
    n_out: list[float] = []
    cls_agg: list[float] = []
    for key in xs:
        idx = groups[key]
        vals = [ys[i] for i in idx]
        present = [v for v in vals if v == v]
        y_len.append(float(len(present)))
        y_sum.append(vals[0] if len(vals) == 1 else r_sum(present))
        if mean_sd:
            y_mean.append(r_mean(present))
            y_sd.append(r_sd(present))
        if ns is not None:
            total_n = r_sum([ns[i] for i in idx])
            n_out.append(total_n)
            y_agg.append(div(r_sum(present), total_n))
        else:
            y_agg.append(_agg_value(present, agg))
        if cls is not None:
            cls_agg.append(cls[idx[0]])
    return (
        xs,
        y_agg,
        y_sum,
        y_len,
        y_mean if mean_sd else None,
        y_sd if mean_sd else None,
        n_out if ns is not None else None,
        cls_agg if cls is not None else None,
    )


def _agg_value(values: list[float], agg: str) -> float:
    if agg == "mean":
        return r_mean(values)
    if agg == "median":
        return r_median(values)
    if agg == "sum":
        return r_sum(values)
    return r_sd(values)


# --- the pipeline ----------------------------------------------------------------------


def analyze(
    y: Sequence[Any],
    *,
    x: Sequence[Any] | None = None,
    n: Sequence[Any] | None = None,
    chart: str = "run",
    freeze: int | None = None,
    part: Sequence[Any] | int | None = None,
    exclude: Sequence[int] | int | None = None,
    cl: float | Sequence[Any] | None = None,
    multiply: float = 1,
    screened_mr: bool = True,
    agg: str = "mean",
    rules: Any = "anhoej",
    min_useful: int = 10,
    phase_labels: Sequence[str | None] | None = None,
) -> ChartResult:
    """Run or control chart of ``y``, computed exactly as qicharts2 0.8.1 does.

    ``y`` numbers (None/NaN missing); ``x`` optional subgroup values (numbers, dates or
    text; repeated x values form subgroups, output sorted by x; text x is categorical
    as in R: no runs analysis); ``n`` denominators. ``part``: positions k after which
    a new phase starts, or one label per row. ``freeze``: baseline = points 1..k
    (ignored when ``part`` is given). ``exclude``: 1-based positions left out of the
    centre line, limits and runs analysis. ``cl``: given centre line, scalar or one
    value per row. ``multiply`` scales y, centre line and limits. ``screened_mr``:
    Nelson's screening of moving ranges (qicharts2 attached). ``agg``: aggregation of
    subgroups without denominators. ``rules``: rule-set id or :class:`RuleSet` used by
    :attr:`ChartResult.findings` and :func:`verdict`; ``min_useful``: fewer useful
    points than this gives the verdict "too few data points" (the runs statistics are
    still reported as qicharts2 computes them). ``phase_labels`` names the phases.
    """
    chart = normalize_chart(chart)
    rule_set = get_rule_set(rules)
    if agg not in AGG_FUNCTIONS:
        raise ValidationError(
            f"unknown aggregation '{agg}' (choose one of {AGG_FUNCTIONS})",
            da=f"ukendt aggregering '{agg}' (vælg en af {AGG_FUNCTIONS})",
        )
    if isinstance(multiply, bool) or not isinstance(multiply, numbers.Real) or not (
        math.isfinite(multiply) and multiply > 0
    ):
        raise ValidationError(
            f"multiply must be a positive number, not {multiply!r}",
            da=f"multiply skal være et positivt tal, ikke {multiply!r}",
        )
    if isinstance(min_useful, bool) or not isinstance(min_useful, int) or min_useful < 0:
        raise ValidationError(
            f"min_useful must be a whole number >= 0, not {min_useful!r}",
            da=f"min_useful skal være et helt tal >= 0, ikke {min_useful!r}",
        )
    if isinstance(y, (str, bytes)):
        raise ValidationError("y must be a sequence of numbers", da="y skal være en række tal")

    ys = _floats(y, "y")
    rows = len(ys)
    ns = _floats(n, "n") if n is not None else None
    if ns is not None and len(ns) != rows:
        raise ValidationError(
            f"n has {len(ns)} values but y has {rows}", da=f"n har {len(ns)} værdier, men y har {rows}"
        )
    validate_values(chart, ys, ns)
    if ns is not None:  # complete cases: a missing y or n makes both missing
        for i in range(rows):
            if ys[i] != ys[i] or ns[i] != ns[i]:
                ys[i] = NAN
                ns[i] = NAN

    cls: list[float] | None = None
    if cl is not None:
        if isinstance(cl, numbers.Real) and not isinstance(cl, bool):
            cls = _floats([cl], "cl") * rows
        else:
            cls = _floats(cl, "cl")
            if len(cls) != rows:
                raise ValidationError(
                    f"cl has {len(cls)} values but y has {rows}",
                    da=f"cl har {len(cls)} værdier, men y har {rows}",
                )

    # part given as labels: breakpoints from the first occurrence of each label, taken
    # over the rows with the first occurrence of each x value (R: part[!duplicated(x)])
    labels: list[str] | None = None
    part_positions: list[int] | None = None
    if part is not None and not (isinstance(part, Sequence) and len(part) == 0):
        if isinstance(part, Sequence) and not isinstance(part, str) and any(
            isinstance(p, str) for p in part
        ):
            if len(part) != rows:
                raise ValidationError(
                    f"part has {len(part)} labels but y has {rows} values",
                    da=f"part har {len(part)} betegnelser, men y har {rows} værdier",
                )
            if x is not None:
                seen: set[Any] = set()
                firsts = []
                for xv, label in zip(x, part, strict=False):
                    key = None if _is_missing_x(xv) else xv
                    if key not in seen:
                        seen.add(key)
                        firsts.append(label)
            else:
                firsts = list(part)
            labels = list(dict.fromkeys(firsts))
            first_at = {}
            for i, label in enumerate(firsts):
                first_at.setdefault(label, i)
            part_positions = [first_at[label] for label in labels[1:]]
        else:
            part_positions = _positions(part, "part")
        freeze = None  # qicharts2 ignores freeze when part is given
    if freeze is not None:
        if isinstance(freeze, bool) or not isinstance(freeze, numbers.Real) or freeze != freeze:
            raise ValidationError(
                f"freeze must be a point position (integer), not {freeze!r}",
                da=f"freeze skal være et punkts placering (helt tal), ikke {freeze!r}",
            )
        if freeze < 0:
            raise ValidationError(
                f"freeze must be 0 or more, not {freeze}", da=f"freeze skal være 0 eller mere, ikke {freeze}"
            )
        if not float(freeze).is_integer():
            # qicharts2's baseline is xx <= freeze; a fraction would name no point of its own
            raise ValidationError(
                f"freeze must be a whole point position (the baseline is points 1..K), not {freeze!r}",
                da=f"freeze skal være et helt punktnummer (baseline er punkt 1..K), ikke {freeze!r}",
            )
        freeze = int(freeze)
    excluded = set(_positions(exclude, "exclude"))

    # --- aggregation by x ---
    x_kind = "index"
    y_sum = y_len = y_mean = y_sd = None
    needs_stats = chart in _charts.NEEDS_SUBGROUP_STATS
    if x is None:
        xs: list[Any] = list(range(1, rows + 1))
        if ns is not None:
            n_out: list[float] | None = [0.0 if v != v else v for v in ns]
            y_agg = [div(a, b) for a, b in zip(ys, n_out, strict=True)]
        else:
            n_out = None
            y_agg = ys
        if needs_stats:
            y_sum = ys
            y_len = [0.0 if v != v else 1.0 for v in ys]
            y_mean = ys
            y_sd = [NAN] * rows
        cls_agg = cls
    else:
        if isinstance(x, (str, bytes)) or len(x) != rows:
            raise ValidationError(
                f"x has {len(x)} values but y has {rows}", da=f"x har {len(x)} værdier, men y har {rows}"
            )
        in_order = False  # dates, one row each, increasing
        if {_dt.date} == set(map(type, x)):
            x_kind = "date"  # a monthly series (pdsa_core.spc.series): each month's first day
            in_order = all(a < b for a, b in zip(x, x[1:], strict=False))
        else:
            if any(isinstance(v, str) for v in x):
                dates = _iso_dates(x)
                if dates is not None:
                    x = dates
            x_kind = _x_kind(x)
        if in_order and chart not in _charts.NEEDS_MEAN_SD:
            # every monthly series: subgroups of one row each, already in order
            xs = list(x)
            y_agg, y_sum, y_len, n_out = _one_row_each(ys, ns, agg)
            cls_agg = list(cls) if cls is not None else None
        else:
            xs, y_agg, y_sum, y_len, y_mean, y_sd, n_out, cls_agg = _subgroups(x, ys, ns, cls, chart, agg)
    npts = len(xs)
    if npts == 0:
        raise ValidationError("there are no data points to chart", da="der er ingen datapunkter at vise")
    categorical = x_kind == "category"
    if chart == "ip" and n_out is None:
        n_out = list(y_len) if y_len is not None else [1.0] * npts

    # --- phases, baseline, include ---
    if part_positions is not None:
        cuts = sorted({0, *part_positions})
        cuts = [c for c in cuts if 0 <= c < npts]
    else:
        cuts = [0] if npts else []
    bounds = list(zip(cuts, [*cuts[1:], npts], strict=True))
    if freeze is None:
        baseline = [True] * npts
    else:
        baseline = [i < freeze for i in range(npts)]
    include = [(i + 1) not in excluded for i in range(npts)] if excluded else [True] * npts
    if phase_labels is not None:
        labels = list(phase_labels)

    y_out: list[float] = []
    cl_out: list[float] = []
    line_cols: list[list[float]] = [[], [], [], [], [], []]
    part_col: list[int] = []
    stats = []
    all_included = not excluded
    all_base = all_included and freeze is None
    for p, (start, stop) in enumerate(bounds, start=1):
        sl = slice(start, stop)
        if all_base:
            base = [True] * (stop - start)
        else:
            base = [b and inc for b, inc in zip(baseline[sl], include[sl], strict=True)]
        ph = _charts.PhaseInput(
            y=y_agg[sl],
            n=n_out[sl] if n_out is not None else None,
            base=base,
            cl=cls_agg[sl] if cls_agg is not None else None,
            y_sum=y_sum[sl] if y_sum is not None else None,
            y_length=y_len[sl] if y_len is not None else None,
            y_sd=y_sd[sl] if y_sd is not None else None,
            y_mean=y_mean[sl] if y_mean is not None else None,
            categorical=categorical,
            screened=screened_mr,
            all_base=all_base,
        )
        py, pcl, lines = _charts.CHART_FUNCTIONS[chart](ph)
        stats.append(runs_analysis(py, pcl, None if all_included else include[sl]))
        y_out.extend(py)
        cl_out.extend(pcl)
        m = stop - start
        if lines is None:
            pass  # run chart: no limit lines
        else:
            for col, line in zip(line_cols, lines, strict=True):
                col.extend(line)
        part_col.extend([p] * m)

    return _finish(
        chart=chart, xs=xs, x_kind=x_kind, y=y_out, n=n_out, cl=cl_out, lines=line_cols,
        part=part_col, baseline=baseline, include=include, bounds=bounds, stats=stats,
        labels=labels, multiply=multiply, freeze=freeze if part_positions is None else None,
        screened=screened_mr, min_useful=min_useful, rule_set=rule_set,
        runs_off=chart == "mr" or categorical,
    )


def _finish(
    *, chart, xs, x_kind, y, n, cl, lines, part, baseline, include, bounds, stats, labels,
    multiply, freeze, screened, min_useful, rule_set, runs_off,
) -> ChartResult:
    """Multiply, turn NaN/Inf into None, compute sigma signals and phase summaries."""
    npts = len(y)
    if multiply != 1:
        y = [v * multiply for v in y]
        cl = [v * multiply for v in cl]
        if chart != "run":
            lines = [[v * multiply for v in col] for col in lines]
    y_pub = tuple([None if v != v else v for v in y])
    cl_pub = tuple([None if v != v else v for v in cl])
    has_lines = chart != "run"
    if not has_lines:
        lines_pub = [(None,) * npts] * 6
        sigma: tuple[bool, ...] = (False,) * npts
    else:
        lines_pub = [tuple([v if v - v == 0 else None for v in col]) for col in lines]
        sigma = tuple([
            v is not None and ((hi is not None and v > hi) or (lo is not None and v < lo))
            for v, lo, hi in zip(y_pub, lines_pub[0], lines_pub[1], strict=True)
        ])
    lcl, ucl = lines_pub[0], lines_pub[1]
    runs_col: list[bool] = []
    phases = []
    for p, ((start, stop), st) in enumerate(zip(bounds, stats, strict=True), start=1):
        signal = st.runs_signal and not runs_off
        runs_col.extend([signal] * (stop - start))
        label = labels[p - 1] if labels is not None and p - 1 < len(labels) else None
        phases.append(
            Phase(
                part=p,
                first_xx=start + 1,
                last_xx=stop,
                n_obs=st.n_obs,
                n_useful=st.n_useful,
                longest_run=st.longest_run,
                longest_run_max=st.longest_run_max,
                n_crossings=st.n_crossings,
                n_crossings_min=st.n_crossings_min,
                runs_signal=signal,
                sigma_signal_count=sum(sigma[start:stop]) if has_lines else 0,
                mean_cl=_mean_or_none(cl_pub[start:stop]),
                mean_lcl=_mean_or_none(lcl[start:stop]) if has_lines else None,
                mean_ucl=_mean_or_none(ucl[start:stop]) if has_lines else None,
                longest_run_signal=st.longest_run_signal and not runs_off,
                crossings_signal=st.crossings_signal and not runs_off,
                label=label,
            )
        )
    if n is not None:
        n_pub = tuple(None if v != v else v for v in n)
    else:
        n_pub = (None,) * len(y_pub)
    return ChartResult(
        chart=chart,
        x=tuple(xs),
        y=y_pub,
        n=n_pub,
        cl=cl_pub,
        lcl=lcl,
        ucl=ucl,
        lcl_95=lines_pub[2],
        ucl_95=lines_pub[3],
        lcl_1s=lines_pub[4],
        ucl_1s=lines_pub[5],
        sigma_signal=sigma,
        runs_signal=tuple(runs_col),
        part=tuple(part),
        baseline=tuple(baseline),
        include=tuple(include),
        phases=tuple(phases),
        x_kind=x_kind,
        multiply=multiply,
        freeze=freeze,
        screened_mr=screened,
        min_useful=min_useful,
        rule_set=rule_set,
    )


def _mean_or_none(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    if not present:
        return None
    first = present[0]
    if present.count(first) == len(present):
        return first
    return fast_mean(present)
