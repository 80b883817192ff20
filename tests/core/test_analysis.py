"""The bridge from stored indicators to the SPC engine, and the signal_appeared event."""

from __future__ import annotations

import pytest

from pdsa_core.analysis import analyze_indicator, indicator_verdict, watch_signals
from pdsa_core.services.indicators import MeasurementInput

#: 36 baseline months alternating around a median of 4: random variation by construction
BASELINE = [3, 5] * 18


@pytest.fixture()
def team(workspace):
    t = workspace.add_team("Syd")
    workspace.add_indicator(
        t.id, "R1", "Personer tvangsindlagt", baseline_start="2018-01", baseline_end="2020-12"
    )
    months = [f"{2018 + i // 12}-{i % 12 + 1:02d}" for i in range(36)]
    workspace.add_measurements(
        t.id, [MeasurementInput("R1", m, value=v) for m, v in zip(months, BASELINE, strict=True)]
    )
    return t


def test_verdict_of_a_stored_series(workspace, team) -> None:
    verdict = indicator_verdict(workspace, team.id, "R1")
    assert verdict["status"] == "random" and verdict["text_en"].startswith("Random variation")
    analysis = analyze_indicator(workspace, team.id, "R1")
    assert analysis.series.freeze == 36 and analysis.chart == "run" and analysis.rules == "anhoej"


def test_missing_months_are_gaps_not_zeros(workspace, team) -> None:
    workspace.add_measurement(team.id, "R1", "2021-03", value=1)
    analysis = analyze_indicator(workspace, team.id, "R1")
    assert analysis.series.gaps == ("2021-01", "2021-02")
    assert analysis.series.result.y[36] is None


def test_signal_appears_once_per_commit_when_a_run_becomes_too_long(workspace, team) -> None:
    seen: list[dict] = []
    workspace.listeners.append(
        lambda name, payload: seen.append(payload) if name == "signal_appeared" else None
    )
    watch_signals(workspace)  # as the plugins do when one of them listens (Plugins.attach)
    # 8 months below the median of 4: the longest-run limit for 44 useful points is 8, so no signal yet
    workspace.add_measurements(
        team.id, [MeasurementInput("R1", f"2021-{m:02d}", value=1) for m in range(1, 9)]
    )
    assert seen == []
    workspace.add_measurement(team.id, "R1", "2021-09", value=1)  # the 9th: run of 9 > 8
    assert len(seen) == 1 and seen[0]["indicator"] == "R1" and seen[0]["period"] == "2021-09"
    assert "longest run 9" in seen[0]["verdict"]["text_en"]
    workspace.add_measurement(team.id, "R1", "2021-10", value=1)  # still signalling: not new
    assert len(seen) == 1


def test_a_phase_split_annotation_starts_a_new_phase(workspace, team) -> None:
    workspace.add_annotation(team.id, "2020-08-01", "Ny psykiatrilov", kind="law change", phase_split=True)
    analysis = analyze_indicator(workspace, team.id, "R1")
    assert analysis.series.phase_reasons == (None, "Ny psykiatrilov")
    assert len(analysis.series.result.phases) == 2


def test_a_new_team_with_an_empty_baseline_is_told_why_and_what_to_do(workspace) -> None:
    """An indicator set's 2018-2020 baseline on a team that started in 2023: the chart starts at
    the team's first month, the empty baseline is not used, and "too few" explains itself."""
    new = workspace.add_team("Nyt team")
    workspace.add_indicator(
        new.id, "R1", "Personer tvangsindlagt", baseline_start="2018-01", baseline_end="2020-12"
    )
    for period, value in (("2023-10", 5), ("2023-11", 4), ("2023-12", 6)):
        workspace.add_measurement(new.id, "R1", period, value=value)
    analysis = analyze_indicator(workspace, new.id, "R1")
    assert analysis.series.periods == ("2023-10", "2023-11", "2023-12")
    assert analysis.series.freeze is None
    reading = analysis.verdict("en")
    assert reading.status == "too_few" and reading.n_useful == 2
    danish = [note.text("da") for note in analysis.notes]
    assert (
        danish[0].startswith("Baselinen 2018-01..2020-12 har ingen værdier") and "Vælg en anden" in danish[0]
    )
    assert "mindst 8 måned(er) mere" in danish[1]
    assert [note.kind for note in analysis.notes] == ["baseline", ""]
    summary = analysis.summary()
    assert summary["notes_en"][0].startswith("The baseline 2018-01..2020-12 has no values")
    assert summary["meaning"]["variation"] == "too_few"


def test_a_partly_empty_baseline_starts_at_the_first_value(workspace) -> None:
    t = workspace.add_team("Midt")
    workspace.add_indicator(t.id, "R1", "Personer", baseline_start="2018-01", baseline_end="2020-12")
    months = [f"{2020 + i // 12}-{i % 12 + 1:02d}" for i in range(24)]
    workspace.add_measurements(
        t.id, [MeasurementInput("R1", m, value=3 + i % 2) for i, m in enumerate(months)]
    )
    analysis = analyze_indicator(workspace, t.id, "R1")
    assert analysis.series.periods[0] == "2020-01" and analysis.series.freeze == 12
    reading = analysis.verdict("da")
    if reading.status == "too_few":  # the baseline's twelve points may be enough, or not
        assert analysis.notes[-1].kind == "baseline"
