"""What a verdict means for the team: better or worse, and will the target be met.

A rule set says *whether* the variation is random; with the indicator's direction
(lower is better for R1, higher for V1) this module says whether a signal is an
**improvement** or a **concern** (forbedring / forværring), following NHS England's
*Making Data Count* (MDC) convention, and, where a target and control limits exist,
gives MDC's **assurance**: the process will reliably meet the target, will reliably
miss it, or may do either.

This is the one place the TUI, the reports, the meeting agenda and the CLI ask; none of
them decides "better or worse" on its own.

Variation (``Meaning.variation``):

* ``common_cause``: random variation (MDC's grey icon);
* ``improvement``: a signal in the direction the indicator should move (MDC blue);
* ``concern``: a signal in the wrong direction (MDC orange);
* ``neither``: a signal whose direction has no meaning here (no direction set, or the
  pattern has no side, MDC purple);
* ``too_few``: too few useful points to judge.

A signal's side is read from its points: a run or shift by where its points lie against
the centre line, a trend by whether it rises or falls, a phase-wide pattern (too few
crossings, too few runs) by the side of the phase's longest run. When findings point both
ways, the one that holds the latest point decides (else the latest finding), as MDC reads
the most recent data.

Assurance (``Meaning.assurance``), only on control charts with a target, judged from the
limits at the phase's last useful point: ``pass`` (the whole band between the limits is
on the good side of the target), ``fail`` (the whole band is on the bad side) or
``hit_and_miss`` (the target lies between the limits). ``None`` when it cannot be judged:
no target, a run chart (no limits), no direction, or too few points.
"""

from __future__ import annotations

from dataclasses import dataclass

from .labels import check_lang
from .model import ChartResult
from .rules import Finding
from .runs import split_runs, useful_signs
from .verdict import Verdict

__all__ = [
    "ASSURANCES",
    "SHORT_WORDS",
    "VARIATIONS",
    "Meaning",
    "finding_side",
    "good_side",
    "read_meaning",
    "side_variation",
]

#: variation key -> (symbol, Danish word, English word). The symbols differ in shape, so
#: they survive a monochrome screen or a black-and-white print.
VARIATIONS: dict[str, tuple[str, str, str]] = {
    "common_cause": ("≈", "Tilfældig variation", "Common cause variation"),
    "improvement": ("▲", "Forbedring", "Improvement"),
    "concern": ("▼", "Forværring", "Concern"),
    "neither": ("◆", "Ikke-tilfældig variation uden retning", "Special cause, no direction"),
    "too_few": ("…", "For få datapunkter", "Too few data points"),
}

#: variation key -> (Danish, English) word short enough for a table column
SHORT_WORDS: dict[str, tuple[str, str]] = {
    "common_cause": ("Tilfældig", "Common cause"),
    "improvement": ("Forbedring", "Improvement"),
    "concern": ("Forværring", "Concern"),
    "neither": ("Signal", "Signal"),
    "too_few": ("For få data", "Too few"),
}

#: assurance key -> (symbol, Danish words, English words)
ASSURANCES: dict[str, tuple[str, str, str]] = {
    "pass": ("✓", "Målet nås stabilt", "The target will reliably be met"),
    "fail": ("✗", "Målet nås ikke med den nuværende proces", "The target will reliably be missed"),
    "hit_and_miss": ("?", "Målet nås kun nogle gange", "The target may or may not be met"),
}

#: the good direction of change per indicator direction (+1 up, -1 down)
_GOOD = {"up": 1, "down": -1}


@dataclass(frozen=True)
class Meaning:
    """The direction-aware reading of one phase.

    ``side`` is the side of the deciding signal: +1 (higher than expected), -1 (lower)
    or 0 (no side, or no signal). ``css`` is a stable class name for screens and HTML
    (``-improvement``, ``-concern``, ``-neither``, ``-common``, ``-too-few``).
    """

    variation: str
    side: int
    direction: str
    assurance: str | None = None
    target: float | None = None
    limits: tuple[float, float] | None = None

    @property
    def signal(self) -> bool:
        return self.variation in ("improvement", "concern", "neither")

    @property
    def symbol(self) -> str:
        return VARIATIONS[self.variation][0]

    def word(self, lang: str = "da") -> str:
        """"Forbedring", "Forværring", "Tilfældig variation", ... in ``lang``."""
        check_lang(lang)
        symbol, da, en = VARIATIONS[self.variation]
        return da if lang == "da" else en

    def short_word(self, lang: str = "da") -> str:
        """The word for a narrow table column: "Tilfældig", "Forbedring", "For få data", ..."""
        check_lang(lang)
        da, en = SHORT_WORDS[self.variation]
        return da if lang == "da" else en

    @property
    def assurance_symbol(self) -> str:
        return ASSURANCES[self.assurance][0] if self.assurance else ""

    def assurance_words(self, lang: str = "da") -> str:
        """The assurance in words, or "" when there is none."""
        check_lang(lang)
        if not self.assurance:
            return ""
        symbol, da, en = ASSURANCES[self.assurance]
        return da if lang == "da" else en

    def label(self, lang: str = "da") -> str:
        """Symbol and word, e.g. "▲ Forbedring", plus the assurance when there is one."""
        text = f"{self.symbol} {self.word(lang)}"
        if self.assurance:
            text += f" · {self.assurance_symbol} {self.assurance_words(lang)}"
        return text

    @property
    def css(self) -> str:
        return {
            "improvement": "-improvement",
            "concern": "-concern",
            "neither": "-neither",
            "common_cause": "-common",
            "too_few": "-too-few",
        }[self.variation]

    def to_dict(self) -> dict[str, object]:
        return {
            "variation": self.variation,
            "side": self.side,
            "direction": self.direction,
            "assurance": self.assurance,
            "target": self.target,
            "limits": list(self.limits) if self.limits else None,
            "symbol": self.symbol,
            "css": self.css,
            "assurance_symbol": self.assurance_symbol or None,
            "word_da": self.word("da"),
            "word_en": self.word("en"),
            "short_da": self.short_word("da"),
            "short_en": self.short_word("en"),
            "assurance_da": self.assurance_words("da") or None,
            "assurance_en": self.assurance_words("en") or None,
        }


def _sign(value: float) -> int:
    return (value > 0) - (value < 0)


def _longest_run_side(result: ChartResult, part: int) -> int:
    """The side (+1/-1) of the longest run in phase ``part``; the latest wins a tie."""
    phase = next(p for p in result.phases if p.part == part)
    runs = split_runs(useful_signs(result.y, result.cl, result.include, phase.indices))
    if not runs:
        return 0
    longest = max(len(r) for r in runs)
    last = [r for r in runs if len(r) == longest][-1]
    y, cl = result.y[last[0]], result.cl[last[0]]
    return 0 if y is None or cl is None else _sign(y - cl)


def finding_side(result: ChartResult, finding: Finding) -> int:
    """+1 when a finding's points lie high (or rise), -1 when low (or fall), 0 when neither."""
    points = [i for i in finding.indices if result.y[i] is not None]
    if not points:
        return 0
    if "trend" in finding.rule:
        first, last = result.y[points[0]], result.y[points[-1]]
        return _sign(last - first)  # type: ignore[operator]
    if finding.scope == "phase":
        return _longest_run_side(result, finding.part)
    total = 0.0
    for i in points:
        cl = result.cl[i]
        if cl is not None:
            total += result.y[i] - cl  # type: ignore[operator]
    return _sign(total)


def _deciding_side(result: ChartResult, findings: tuple[Finding, ...], last: int | None) -> int:
    sides = [(finding, finding_side(result, finding)) for finding in findings]
    directed = [(f, s) for f, s in sides if s]
    if not directed:
        return 0
    if len({s for _, s in directed}) == 1:
        return directed[0][1]
    holding_last = [s for f, s in directed if last is not None and last in f.indices]
    if holding_last:
        return holding_last[-1]
    return max(directed, key=lambda fs: max(fs[0].indices, default=-1))[1]


def _last_useful(result: ChartResult, part: int) -> int | None:
    phase = next(p for p in result.phases if p.part == part)
    for i in reversed(phase.indices):
        if result.y[i] is not None and result.include[i]:
            return i
    return None


def _assurance(
    result: ChartResult, part: int, good: int, target: float | None
) -> tuple[str | None, tuple[float, float] | None]:
    if target is None or not good or not result.has_limits:
        return None, None
    last = _last_useful(result, part)
    if last is None:
        return None, None
    lcl, ucl = result.lcl[last], result.ucl[last]
    if lcl is None or ucl is None:
        return None, None
    limits = (lcl, ucl)
    if good > 0:
        if lcl >= target:
            return "pass", limits
        if ucl < target:
            return "fail", limits
    else:
        if ucl <= target:
            return "pass", limits
        if lcl > target:
            return "fail", limits
    return "hit_and_miss", limits


def read_meaning(
    result: ChartResult,
    verdict: Verdict,
    direction: str | None,
    target: float | None = None,
) -> Meaning:
    """The direction-aware reading of the phase ``verdict`` is about.

    ``direction`` is the indicator's direction (``"up"``, ``"down"``, ``"target"`` or
    ``"none"``/None); ``target`` is the target in the chart's own scale (the ``y`` of
    ``result``, so a proportion of 90 % on a chart multiplied by 100 is 90).
    """
    direction = (direction or "none").lower()
    good = good_side(result, verdict.part, direction, target)
    if verdict.status == "too_few":
        return Meaning("too_few", 0, direction, None, target, None)
    assurance, limits = _assurance(result, verdict.part, good, target)
    if not verdict.signal:
        return Meaning("common_cause", 0, direction, assurance, target, limits)
    last = _last_useful(result, verdict.part)
    side = _deciding_side(result, verdict.findings, last)
    return Meaning(side_variation(side, good), side, direction, assurance, target, limits)


def good_side(result: ChartResult, part: int, direction: str | None, target: float | None = None) -> int:
    """The side a change should move to in phase ``part``: +1 up, -1 down, 0 when no side is better.

    ``"up"``/``"down"`` as stored; ``"target"`` means towards the target from the phase's centre line.
    """
    direction = (direction or "none").lower()
    if direction == "target":
        if target is None:
            return 0
        centre = next(p.mean_cl for p in result.phases if p.part == part)
        return 0 if centre is None else _sign(target - centre)
    return _GOOD.get(direction, 0)


def side_variation(side: int, good: int) -> str:
    """A signal's variation key from its side and the good side: improvement, concern or neither.

    The chart renderer colours a point outside the limits with it, the same reading as the verdict's.
    """
    if not side or not good:
        return "neither"
    return "improvement" if side == good else "concern"
