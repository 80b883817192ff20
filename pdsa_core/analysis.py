"""Analysis of a team's stored indicator with the SPC engine.

This is the one bridge from the workspace to :mod:`pdsa_core.spc`: it collects the
measurements, the baseline and the phase splits (annotations marked as such), calls
:func:`pdsa_core.spc.analyze_series`, and reads the result with the indicator's rule set.
The TUI, the reports, the meeting agenda and ``pdsa spc analyze --team`` all use it and
never compute statistics themselves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pdsa_core.domain import Annotation, Indicator, Measurement
from pdsa_core.errors import PdsaError
from pdsa_core.spc import SeriesAnalysis, Verdict, analyze_series, verdict
from pdsa_core.spc.meaning import Meaning, read_meaning
from pdsa_core.spc.rules import get_rule_set
from pdsa_core.spc.series import SeriesNote


@dataclass(frozen=True)
class IndicatorAnalysis:
    """An indicator's chart and its reading, with what went into it."""

    indicator: Indicator
    series: SeriesAnalysis
    annotations: tuple[Annotation, ...]
    verdict_da: Verdict
    verdict_en: Verdict
    chart: str
    rules: str
    #: how the chart was read, in both languages: the series' notes, an unused empty
    #: baseline, and why there are too few points and what to do about it
    notes: tuple[SeriesNote, ...] = ()

    def verdict(self, lang: str = "da") -> Verdict:
        return self.verdict_da if lang == "da" else self.verdict_en

    def target_value(self) -> float | None:
        """The indicator's target in the chart's scale, or None.

        An absolute target is multiplied like the values (a proportion's 0.90 on a chart in
        per cent is 90); a relative one (-10 %) is taken from the baseline's centre line.
        """
        target = self.indicator.target
        if target is None:
            return None
        if not target.relative:
            return target.value * self.indicator.multiply
        result = self.series.result
        baseline = [i for i, b in enumerate(result.baseline) if b and result.cl[i] is not None]
        if not baseline:
            return None
        centre = result.cl[baseline[0]]
        return None if centre is None else centre * (1 + target.value)

    def meaning(self) -> Meaning:
        """Improvement or concern, and the assurance against the target (see :mod:`pdsa_core.spc.meaning`)."""
        return read_meaning(
            self.series.result, self.verdict_da, self.indicator.direction.value, self.target_value()
        )

    def summary(self) -> dict[str, Any]:
        """Plain data for dashboards, agendas and JSON output."""
        v = self.verdict_da
        return {
            "status": v.status,
            "signal": v.signal,
            "text_da": self.verdict_da.text,
            "text_en": self.verdict_en.text,
            "headline_da": self.verdict_da.headline,
            "headline_en": self.verdict_en.headline,
            "rules_fired": list(v.rules_fired),
            "rule_set": self.rules,
            "chart": self.chart,
            "n_useful": v.n_useful,
            "min_useful": v.min_useful,
            "last_point_in_signal": v.last_point_in_signal,
            "outside_limits": [self.series.periods[i] for i in v.outside_limits],
            "meaning": self.meaning().to_dict(),
            "notes_da": [n.text("da") for n in self.notes],
            "notes_en": [n.text("en") for n in self.notes],
        }


def _observations(measurements: Sequence[Measurement]) -> list[tuple[str, Any, Any, Any]]:
    return [(m.period, m.value, m.numerator, m.denominator) for m in measurements]


def analyze_measurements(
    indicator: Indicator,
    measurements: Sequence[Measurement],
    annotations: Sequence[Annotation] = (),
    *,
    chart: str | None = None,
    rules: Any = None,
    use_baseline: bool = True,
    split_at_annotations: bool = True,
    splits: Sequence[tuple[str, str]] = (),
    exclude: Sequence[str] = (),
    min_useful: int = 10,
    rule_sets: Mapping[str, Any] | None = None,
) -> IndicatorAnalysis | None:
    """Analyse an indicator's values; None when it has no values yet.

    ``rule_sets`` are the rule sets plugins registered, by id (a workspace's
    ``rule_sets``, which the loaded plugins fill when they are attached to it): an
    indicator naming one of them is read with it. The built-in ones need no registry.

    The baseline (e.g. 2018-01..2020-12) freezes the centre line; annotations marked as
    phase splits (a law change, a new IT system) start new phases, keeping their text as
    the reason. Missing months are gaps, never zeros.
    """
    if not measurements:
        return None
    chart_type = chart or indicator.chart_type
    rule_set = get_rule_set(rules or indicator.rules or "anhoej", rule_sets)
    notes = tuple(a for a in annotations if a.applies_to(indicator.code))
    phase_splits = list(splits)
    if split_at_annotations:
        phase_splits += [(a.period, a.text) for a in notes if a.phase_split]
    baseline, start, baseline_notes = _baseline(indicator, measurements, use_baseline)
    series = analyze_series(
        _observations(measurements),
        chart=chart_type,
        baseline=baseline,
        start=start,
        splits=phase_splits,
        exclude=exclude,
        multiply=indicator.multiply,
        rules=rule_set,
        min_useful=min_useful,
    )
    verdict_da = verdict(series.result, lang="da")
    return IndicatorAnalysis(
        indicator=indicator,
        series=series,
        annotations=notes,
        verdict_da=verdict_da,
        verdict_en=verdict(series.result, lang="en"),
        chart=chart_type,
        rules=rule_set.id,
        notes=(*series.notes, *baseline_notes, *_too_few_notes(series, verdict_da, baseline)),
    )


def _has_value(m: Measurement) -> bool:
    return m.value is not None or (m.numerator is not None and m.denominator is not None)


def _baseline(
    indicator: Indicator, measurements: Sequence[Measurement], use_baseline: bool
) -> tuple[tuple[str, str] | None, str | None, tuple[SeriesNote, ...]]:
    """The baseline to freeze the centre line on, where the series starts, and why.

    A baseline without a single value (a new team given an indicator set's 2018-2020
    baseline) is not used: the centre line of no points would make every later month
    "too few". The series starts at the first month with data, never at empty months
    before it, so a new team's chart is not squeezed into its right edge.
    """
    first_data = next((m.period for m in measurements if _has_value(m)), None)
    if not (use_baseline and indicator.baseline_start and indicator.baseline_end):
        return None, None, ()
    first, last = indicator.baseline_start, indicator.baseline_end
    if not any(first <= m.period <= last and _has_value(m) for m in measurements):
        note = SeriesNote(
            f"The baseline {first}..{last} has no values, so it is not used: the centre line "
            "comes from all points. Choose another baseline.",
            f"Baselinen {first}..{last} har ingen værdier og bruges derfor ikke: centerlinjen "
            "beregnes af alle punkter. Vælg en anden baseline.",
            "baseline",
        )
        return None, None, (note,)
    start = first_data if first_data is not None and first_data > first else None
    return (first, last), start, ()


def _too_few_notes(
    series: SeriesAnalysis, reading: Verdict, baseline: tuple[str, str] | None
) -> tuple[SeriesNote, ...]:
    """Why a chart cannot be read yet, and what helps (empty for a chart that can be read)."""
    if reading.status != "too_few":
        return ()
    have, need = reading.n_useful, reading.min_useful
    if series.freeze and baseline is not None:
        first, last = baseline
        return (
            SeriesNote(
                f"The baseline {first}..{last} has {have} useful points; the rules need at least "
                f"{need}. Choose another baseline, or turn it off.",
                f"Baselinen {first}..{last} har {have} brugbare punkter; reglerne kræver mindst "
                f"{need}. Vælg en anden baseline, eller slå den fra.",
                "baseline",
            ),
        )
    more = need - have
    return (
        SeriesNote(
            f"The rules need at least {need} useful points (months with a value that is not on "
            f"the centre line) before the chart can be read; there are {have}, so at least "
            f"{more} more month(s) are needed.",
            f"Reglerne kræver mindst {need} brugbare punkter (måneder med en værdi, der ikke "
            f"ligger på centerlinjen), før diagrammet kan læses; der er {have}, så der skal "
            f"mindst {more} måned(er) mere til.",
        ),
    )


def analyze_indicator(ws: Any, team_ref: str, code: str, **options: Any) -> IndicatorAnalysis | None:
    """Analyse a stored indicator (see :func:`analyze_measurements` for the options) with the
    rule sets registered for the workspace."""
    indicator = ws.indicator(team_ref, code)
    options.setdefault("rule_sets", ws.rule_sets)
    return analyze_measurements(
        indicator,
        ws.measurements(indicator.team_id, indicator.code),
        ws.annotations(indicator.team_id, indicator.code),
        **options,
    )


def indicator_verdict(ws: Any, team_ref: str, code: str) -> dict[str, Any] | None:
    """The current verdict of an indicator as plain data (cached until the workspace changes)."""
    indicator = ws.indicator(team_ref, code)

    def build(_snapshot: Any) -> dict[str, Any] | None:
        analysis = analyze_indicator(ws, indicator.team_id, indicator.code)
        return analysis.summary() if analysis else None

    return ws.derived(f"verdict:{indicator.team_id}|{indicator.code}", build)


def watch_signals(ws: Any) -> None:
    """Emit ``signal_appeared`` when new or corrected values turn an indicator non-random.

    Runs once per commit and indicator (an import of 3,000 values analyses each touched
    indicator, not each value), and only when someone listens to the workspace's events
    (a plugin's ``on_event``): the series before the change is analysed only when the one
    after it has a signal.
    """

    def on_commit(events: list[tuple[str, dict[str, Any]]]) -> None:
        if not ws.listeners:
            return  # nobody to tell: an import into a workspace without listeners skips the analyses
        changed: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for name, payload in events:
            if name == "measurement_added":
                doc = payload["measurement"]
                changed.setdefault((doc["team_id"], doc["indicator"]), []).append(payload)
        for (team_id, code), payloads in changed.items():
            try:
                _check(team_id, code, payloads)
            except PdsaError:
                continue  # a series the engine cannot read yet (e.g. a chart needing more data)

    def _check(team_id: str, code: str, payloads: list[dict[str, Any]]) -> None:
        indicator = ws.indicator(team_id, code)
        after = list(ws.measurements(team_id, code))
        earlier = {m.period: m for m in after}
        for payload in payloads:
            period = payload["measurement"]["period"]
            if payload.get("previous"):
                earlier[period] = Measurement.from_dict(payload["previous"])
            else:
                earlier.pop(period, None)
        before = [earlier[p] for p in sorted(earlier)]
        notes = ws.annotations(team_id, code)
        now = analyze_measurements(indicator, after, notes, rule_sets=ws.rule_sets)
        if not (now and now.verdict_da.signal):
            return
        then = analyze_measurements(indicator, before, notes, rule_sets=ws.rule_sets)
        if not (then and then.verdict_da.signal):
            ws._emit_now(
                "signal_appeared",
                {
                    "team": team_id,
                    "indicator": code,
                    "period": max(p["measurement"]["period"] for p in payloads),
                    "verdict": now.summary(),
                },
            )

    ws.commit_listeners.append(on_commit)
