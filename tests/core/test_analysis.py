"""The bridge from stored indicators to the SPC engine, and the signal_appeared event."""

from __future__ import annotations

import pytest

from pdsa_core.analysis import analyze_indicator, indicator_verdict
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
