"""The reading of one phase in words, in Danish or English.

``verdict(result)`` answers the question a team asks at its monthly meeting: is the
variation in the latest phase random, or is there a signal, and which rule says so?

* ``too_few``: fewer useful points than ``result.min_useful`` (default 10): "For få
  datapunkter (7 af mindst 10)". Pattern rules are not judged; points outside the
  control limits are mentioned, to be read with caution, but give no signal.
* ``non_random``: at least one rule of the rule set fired: "Ikke-tilfældig variation:
  længste serie 9 punkter (grænse 8)".
* ``random``: "Tilfældig variation".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .labels import check_lang, plural, point_label, points_label
from .model import ChartResult, Phase
from .rules import Finding, RuleSet, get_rule_set

__all__ = ["Verdict", "verdict", "verdicts", "compare_rule_sets"]

HEADLINES = {
    "random": {"da": "Tilfældig variation", "en": "Random variation"},
    "non_random": {"da": "Ikke-tilfældig variation", "en": "Non-random variation"},
}


@dataclass(frozen=True)
class Verdict:
    """The verdict of one phase.

    ``text`` = ``headline`` followed by sentences about the last point and points
    outside the limits where they add something; ``details`` holds the runs statistics
    in words. ``rules_fired`` are the ids of the rules behind a non-random verdict.
    """

    status: str
    signal: bool
    text: str
    headline: str
    details: tuple[str, ...]
    rules_fired: tuple[str, ...]
    findings: tuple[Finding, ...]
    outside_limits: tuple[int, ...]
    last_point_in_signal: bool
    part: int
    rule_set: str
    lang: str
    n_useful: int
    min_useful: int


def _join(parts: list[str], lang: str) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    word = " og " if lang == "da" else " and "
    return ", ".join(parts[:-1]) + word + parts[-1]


def _stats_sentence(phase: Phase, lang: str) -> str | None:
    if phase.longest_run is None:
        return None
    if lang == "da":
        return (
            f"Længste serie {phase.longest_run} (grænse {phase.longest_run_max}), "
            f"{plural(phase.n_crossings or 0, 'krydsning', 'krydsninger')} "
            f"(mindst {phase.n_crossings_min}), {phase.n_useful} brugbare punkter"
        )
    return (
        f"Longest run {phase.longest_run} (limit {phase.longest_run_max}), "
        f"{plural(phase.n_crossings or 0, 'crossing', 'crossings')} "
        f"(minimum {phase.n_crossings_min}), {phase.n_useful} useful points"
    )


def _last_point(result: ChartResult, phase: Phase) -> int | None:
    for i in reversed(phase.indices):
        if result.y[i] is not None and result.include[i]:
            return i
    return None


def verdict(
    result: ChartResult,
    phase_index: int = -1,
    lang: str = "da",
    rules: str | RuleSet | None = None,
) -> Verdict:
    """Verdict of one phase (default: the last) with the result's or another rule set."""
    check_lang(lang)
    phase = result.phases[phase_index]
    rule_set = result.rule_set if rules is None else get_rule_set(rules)
    if rule_set is None:
        rule_set = get_rule_set("anhoej")
    if rule_set is result.rule_set:
        all_findings: Iterable[Finding] = result.findings
    else:
        all_findings = rule_set.evaluate(result)
    findings = tuple(f for f in all_findings if f.part == phase.part)
    outside = tuple(i for i in phase.indices if result.sigma_signal[i])
    too_few = phase.n_useful < result.min_useful
    extras: list[str] = []
    last = _last_point(result, phase)

    if too_few:
        status = "too_few"
        if lang == "da":
            headline = f"For få datapunkter ({phase.n_useful} af mindst {result.min_useful})"
        else:
            headline = (
                f"Too few data points ({phase.n_useful} of at least {result.min_useful})"
            )
        if outside:
            k = len(outside)
            if lang == "da":
                extras.append(
                    f"{plural(k, 'punkt', 'punkter')} uden for kontrolgrænserne "
                    f"({points_label(result, outside, lang)}), tolkes med forsigtighed"
                )
            else:
                extras.append(
                    f"{plural(k, 'point', 'points')} outside the control limits "
                    f"({points_label(result, outside, lang)}), to be read with caution"
                )
        fired: tuple[str, ...] = ()
        in_signal = False
    elif findings:
        status = "non_random"
        headline = (
            f"{HEADLINES['non_random'][lang]}: "
            f"{_join([f.message(lang) for f in findings], lang)}"
        )
        fired = tuple(dict.fromkeys(f.rule for f in findings))
        point_findings = [f for f in findings if f.scope == "points"]
        in_signal = last is not None and any(last in f.indices for f in point_findings)
        if last is not None and point_findings:
            name = point_label(result, last, lang)
            if lang == "da":
                extras.append(
                    f"Sidste punkt ({name}) {'indgår' if in_signal else 'indgår ikke'} "
                    "i signalet"
                )
            else:
                extras.append(
                    f"The last point ({name}) {'is' if in_signal else 'is not'} "
                    "part of the signal"
                )
    else:
        status = "random"
        headline = HEADLINES["random"][lang]
        fired = ()
        in_signal = False
    details = tuple(s for s in (_stats_sentence(phase, lang),) if s)
    text = ". ".join([headline, *extras])
    return Verdict(
        status=status,
        signal=status == "non_random",
        text=text,
        headline=headline,
        details=details,
        rules_fired=fired,
        findings=findings,
        outside_limits=outside,
        last_point_in_signal=in_signal,
        part=phase.part,
        rule_set=rule_set.id,
        lang=lang,
        n_useful=phase.n_useful,
        min_useful=result.min_useful,
    )


def verdicts(result: ChartResult, lang: str = "da", rules: str | RuleSet | None = None) -> list[Verdict]:
    """One verdict per phase, in phase order."""
    return [verdict(result, i, lang, rules) for i in range(len(result.phases))]


def compare_rule_sets(
    result: ChartResult,
    rule_sets: Iterable[str | RuleSet] = ("anhoej", "ihi", "weco"),
    phase_index: int = -1,
    lang: str = "da",
) -> dict[str, Verdict]:
    """The same phase read side by side with several rule sets: ``{id: Verdict}``."""
    out = {}
    for rs in rule_sets:
        v = verdict(result, phase_index, lang, rs)
        out[v.rule_set] = v
    return out
