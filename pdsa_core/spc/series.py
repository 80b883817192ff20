"""Bridge from the domain's monthly measurements to :func:`analyze`.

The workspace stores an indicator as months with a value, or a numerator and a
denominator. :func:`analyze_series` turns that into the chart's series:

* every month from the first to the last is a point; a month without data is a gap
  (``None``, never 0), so the runs analysis steps over it and the chart shows the hole;
* the baseline (start, end) sets ``freeze`` = the number of points up to its end; the
  series starts at the baseline start (earlier months are left out and listed);
* phase splits ("a new phase starts in this month", with a reason such as "ny
  psykiatrilov" or "NordEPJ") become ``part`` positions; the reasons label the phases.
  As in qicharts2, a baseline is ignored when phases are given (each phase gets its own
  centre line); ``notes`` says so.

Pure function, plain inputs: no storage, no I/O.
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..domain.common import parse_period
from ..errors import ValidationError
from .engine import analyze, normalize_chart
from .model import DENOMINATOR_CHARTS, ChartResult

__all__ = ["SeriesAnalysis", "SeriesNote", "analyze_series", "year_month", "format_period"]


class SeriesNote(str):
    """A note about how a series was read: the English text (what JSON output shows), and
    :meth:`text` in either language (the TUI shows it in the language chosen at the time)."""

    da: str
    #: what the note is about, for a screen that offers the matching key ("baseline" for a
    #: baseline the reader may want to change); "" for the rest
    kind: str

    def __new__(cls, en: str, da: str, kind: str = "") -> SeriesNote:
        note = super().__new__(cls, en)
        note.da = da
        note.kind = kind
        return note

    def text(self, lang: str = "en") -> str:
        return self.da if lang == "da" else str(self)

Observation = tuple[Any, Any, Any, Any]


def year_month(value: Any) -> tuple[int, int]:
    """``"2022-03"`` (or a date) -> ``(2022, 3)``: the month read by the one canonical
    parser (:func:`pdsa_core.domain.common.parse_period`), as the numbers the series
    counts with; ValidationError otherwise."""
    if isinstance(value, _dt.date):
        return value.year, value.month
    period = parse_period(value.strip() if isinstance(value, str) else value, field="period")
    return int(period[:4]), int(period[5:7])


def format_period(ym: tuple[int, int]) -> str:
    return f"{ym[0]:04d}-{ym[1]:02d}"


def _month_index(ym: tuple[int, int]) -> int:
    return ym[0] * 12 + ym[1] - 1


def _from_index(k: int) -> tuple[int, int]:
    return k // 12, k % 12 + 1


# A dashboard analyses a team's 30 indicators of 120 months each: reading every month's text
# and writing it out again, twice, was a third of the work. The months already read are
# remembered here (at most the few thousand months of the years a period can have).
_KEYS: dict[str, int] = {}  # canonical "YYYY-MM" -> month index
_LABELS: dict[int, str] = {}  # month index -> "YYYY-MM"
_DATES: dict[int, _dt.date] = {}  # month index -> its first day


def _month_key(period: Any) -> int:
    """The month index of a period (what ``_month_index(year_month(period))`` gives)."""
    if type(period) is str:
        key = _KEYS.get(period)
        if key is not None:
            return key
    key = _month_index(year_month(period))
    if type(period) is str and _label(key) == period:
        _KEYS[period] = key  # only canonical texts: " 2022-03" is read again (and stripped) each time
    return key


def _label(key: int) -> str:
    """``"YYYY-MM"`` of a month index (``format_period(_from_index(key))``)."""
    label = _LABELS.get(key)
    if label is None:
        label = _LABELS[key] = format_period(_from_index(key))
    return label


def _first_day(key: int) -> _dt.date:
    day = _DATES.get(key)
    if day is None:
        day = _DATES[key] = _dt.date(*_from_index(key), 1)
    return day


@functools.lru_cache(maxsize=64)
def _span(first: int, last: int) -> tuple[tuple[str, ...], tuple[_dt.date, ...]]:
    """The months ``first..last`` (indexes) as labels and first days: a team's indicators
    usually share their span, so it is written out once for all of them."""
    keys = range(first, last + 1)
    return tuple([_label(k) for k in keys]), tuple([_first_day(k) for k in keys])


@dataclass(frozen=True)
class SeriesAnalysis:
    """The analysed monthly series and how it was built.

    ``periods`` are the points' months (``"YYYY-MM"``); ``result.x`` holds the same
    months as dates (first of the month). ``phase_reasons`` has one entry per phase
    (None for the first). ``gaps`` are months without data; ``ignored`` are months
    left out (before the baseline start, or outside start/end); ``notes`` explain
    choices the caller may want to show.
    """

    result: ChartResult
    periods: tuple[str, ...]
    freeze: int | None
    parts: tuple[int, ...]
    phase_reasons: tuple[str | None, ...]
    gaps: tuple[str, ...]
    ignored: tuple[str, ...]
    notes: tuple[SeriesNote, ...]

    def index_of(self, period: Any) -> int:
        """0-based point index of a month (ValidationError if it is not in the series)."""
        key = format_period(year_month(period))
        try:
            return self.periods.index(key)
        except ValueError:
            raise ValidationError(
                f"period {key} is not in the series", da=f"perioden {key} er ikke med i serien"
            ) from None


#: what _number checks, as Danish messages name it
_WHAT_DA = {"value": "værdien", "numerator": "tælleren", "denominator": "nævneren"}


def _number(value: Any, key: int, what: str) -> float | None:
    """A value of the month ``key`` as a float; None for none (or NaN); ValidationError for text."""
    if type(value) is float:  # most values, as stored
        return value if value == value else None
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        period = _label(key)
        raise ValidationError(
            f"period {period}: {what} {value!r} is not a number",
            da=f"perioden {period}: {_WHAT_DA.get(what, what)} {value!r} er ikke et tal",
        )
    if value != value:
        return None
    return float(value)


def analyze_series(
    observations: Iterable[Observation],
    *,
    chart: str = "run",
    baseline: tuple[Any, Any] | None = None,
    splits: Sequence[tuple[Any, str | None]] = (),
    start: Any = None,
    end: Any = None,
    exclude: Sequence[Any] = (),
    multiply: float = 1,
    screened_mr: bool = True,
    rules: Any = "anhoej",
    min_useful: int = 10,
) -> SeriesAnalysis:
    """Build the full monthly series and analyse it.

    ``observations``: ``(period "YYYY-MM", value, numerator, denominator)`` with None
    for what is not known. P and U charts (and their Laney variants) use numerator /
    denominator; other charts use the value, or numerator / denominator as a ratio when
    no month has a value. ``baseline``: ``(first, last)`` month. ``splits``:
    ``(month, reason)`` where a new phase starts. ``start``/``end`` clip the series;
    ``exclude``: months left out of the calculations (still plotted).
    """
    chart = normalize_chart(chart)
    rows: dict[int, tuple[float | None, float | None, float | None]] = {}
    for obs in observations:
        try:
            period, val, num, den = obs
        except (TypeError, ValueError):
            raise ValidationError(
                f"observation {obs!r} is not (period, value, numerator, denominator)",
                da=f"observationen {obs!r} er ikke (periode, værdi, tæller, nævner)",
            ) from None
        key = _month_key(period)
        if key in rows:
            label = _label(key)
            raise ValidationError(
                f"period {label} occurs more than once", da=f"perioden {label} forekommer mere end én gang"
            )
        # a stored value (a float, or None) as it is; anything else through _number
        rows[key] = (
            val if val is None or (type(val) is float and val == val) else _number(val, key, "value"),
            num if num is None or (type(num) is float and num == num) else _number(num, key, "numerator"),
            den if den is None or (type(den) is float and den == den) else _number(den, key, "denominator"),
        )
    if not rows:
        raise ValidationError("the series has no observations", da="serien har ingen observationer")

    first, last = min(rows), max(rows)
    notes: list[SeriesNote] = []
    base_start = base_end = None
    if baseline is not None:
        base_start = _month_index(year_month(baseline[0]))
        base_end = _month_index(year_month(baseline[1]))
        if base_end < base_start:
            raise ValidationError(
                "the baseline ends before it starts", da="baselinen slutter, før den begynder"
            )
        first = base_start
    if start is not None:
        first = _month_index(year_month(start))
    if end is not None:
        last = _month_index(year_month(end))
    if last < first:
        raise ValidationError("the series ends before it starts", da="serien slutter, før den begynder")
    ignored = tuple(format_period(_from_index(k)) for k in sorted(rows) if not first <= k <= last)
    if ignored:
        notes.append(
            SeriesNote(
                f"{len(ignored)} month(s) outside the series left out: {', '.join(ignored)}",
                f"{len(ignored)} måned(er) uden for serien er udeladt: {', '.join(ignored)}",
            )
        )

    keys = range(first, last + 1)
    periods, days = _span(first, last)
    x = list(days)
    present = [rows.get(k) for k in keys]
    gaps = tuple(p for p, r in zip(periods, present, strict=True) if r is None or _empty(chart, r))

    ratio = chart in DENOMINATOR_CHARTS or (
        chart in ("run", "i", "ip")
        and not any(r is not None and r[0] is not None for r in present)
        and any(r is not None and r[1] is not None and r[2] is not None for r in present)
    )
    y: list[float | None]
    n: list[float | None] | None = None
    if ratio:
        y, n = [], []
        for p, r in zip(periods, present, strict=True):
            value, num, den = r if r is not None else (None, None, None)
            if chart in DENOMINATOR_CHARTS and value is not None and (num is None or den is None):
                raise ValidationError(
                    f"period {p}: a {chart} chart needs a numerator and a denominator",
                    da=f"perioden {p}: et {chart}-diagram kræver en tæller og en nævner",
                )
            y.append(num)
            n.append(den)
    else:  # the value, else the numerator
        y = [None if r is None else r[0] if r[0] is not None else r[1] for r in present]

    freeze = None
    if base_end is not None:
        freeze = max(0, min(base_end, last) - first + 1)
    split_pos: dict[int, str | None] = {}
    for period, reason in splits:
        k = _month_index(year_month(period)) - first
        if 0 < k < len(keys):
            split_pos.setdefault(k, reason)
        else:
            shown = format_period(year_month(period))
            notes.append(
                SeriesNote(
                    f"phase split {shown} is outside the series",
                    f"faseskiftet {shown} ligger uden for serien",
                )
            )
    parts = tuple(sorted(split_pos))
    if parts and freeze is not None:
        notes.append(
            SeriesNote(
                "phases given: each phase has its own centre line, the baseline is not used",
                "der er faser: hver fase har sin egen centerlinje, og baseline bruges ikke",
                "baseline",
            )
        )
    excluded = [keys.index(_month_index(year_month(p))) + 1 for p in exclude
                if _month_index(year_month(p)) in keys]
    reasons = (None, *(split_pos[k] for k in parts))
    result = analyze(
        y,
        x=x,
        n=n,
        chart=chart,
        freeze=freeze,
        part=list(parts) or None,
        exclude=excluded or None,
        multiply=multiply,
        screened_mr=screened_mr,
        rules=rules,
        min_useful=min_useful,
        phase_labels=list(reasons),
    )
    return SeriesAnalysis(
        result=result,
        periods=periods,
        freeze=freeze if not parts else None,
        parts=parts,
        phase_reasons=reasons,
        gaps=gaps,
        ignored=ignored,
        notes=tuple(notes),
    )


def _empty(chart: str, row: tuple[float | None, float | None, float | None]) -> bool:
    value, num, den = row
    if chart in DENOMINATOR_CHARTS:
        return num is None or den is None
    return value is None and num is None
