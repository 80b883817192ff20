"""Repeated assessments: storing them, comparing them, refusing to compare across versions."""

from __future__ import annotations

from typing import Any

import pytest

from pdsa_core.assessments import (
    Instrument,
    builtin_musiq,
    compare,
    compare_team_assessments,
    record_assessment,
)
from pdsa_core.errors import DuplicateError, NotFoundError, ValidationError


def musiq_v2() -> Instrument:
    """A later version of MUSIQ (e.g. official weights) with one factor fewer."""
    data = builtin_musiq().to_dict()
    data["version"] = "2.0-test"
    data["weights_official"] = True
    data["factors"] = [f for f in data["factors"] if f["id"] != "team_aim_clarity"]
    for factor in data["factors"]:
        factor["weight"] = 2 if factor["level"] == "qi_team" else 1
    return Instrument.from_dict(data)


def all_four(instrument: Instrument, **changes: int | None) -> dict[str, int | None]:
    ratings: dict[str, int | None] = {fid: 4 for fid in instrument.factor_ids}
    ratings.update(changes)
    return ratings


@pytest.fixture()
def team(workspace: Any) -> str:
    return workspace.add_team("Psykiatrien Syd").id


def test_recording_checks_the_ratings_and_saves_nothing_on_error(workspace: Any, team: str) -> None:
    musiq = builtin_musiq()
    bad = all_four(musiq, team_norms=8)
    del bad["motivation_to_change"]
    revision = workspace.revision
    with pytest.raises(ValidationError) as info:
        record_assessment(workspace, team, musiq, bad, date="2022-01-12", setting="regionspsykiatrien")
    assert "team_norms: rating 8 is outside the scale 1–7" in str(info.value)
    assert "motivation_to_change is missing" in str(info.value)
    assert workspace.assessments(team) == []
    assert workspace.revision == revision


def test_recording_needs_a_setting_and_refuses_a_cpr_as_participant(workspace: Any, team: str) -> None:
    musiq = builtin_musiq()
    with pytest.raises(ValidationError, match="setting"):
        record_assessment(workspace, team, musiq, all_four(musiq), setting="  ")
    with pytest.raises(ValidationError, match="CPR") as info:
        record_assessment(
            workspace, team, musiq, all_four(musiq), setting="kommune", participants=["0102031234"]
        )
    assert "0102031234" not in str(info.value)
    assert workspace.assessments(team) == []


def test_a_recorded_assessment_carries_its_instrument_version_and_event(workspace: Any, team: str) -> None:
    events: list[tuple[str, dict[str, Any]]] = []
    workspace.listeners.append(lambda name, payload: events.append((name, payload)))
    musiq = builtin_musiq()
    saved = record_assessment(
        workspace,
        team,
        musiq,
        all_four(musiq, team_norms=None),
        date="2022-01-12",
        setting="Regionspsykiatrien",
        participants=["Tovholder", " Overlæge ", "Tovholder"],
        note="første gang",
    )
    stored = workspace.assessment(saved.id)
    assert (stored.instrument, stored.instrument_version) == ("musiq", "1.0-equal-weights")
    assert stored.participants == ["Tovholder", "Overlæge"]
    assert [r.factor for r in stored.ratings] == musiq.factor_ids
    assert stored.rating("team_norms").value is None
    assert [name for name, _ in events] == ["assessment_added"]
    assert workspace.annotations(team) == []


def test_annotate_marks_the_date_on_all_indicator_charts_once(workspace: Any, team: str) -> None:
    musiq = builtin_musiq()
    saved = record_assessment(
        workspace, team, musiq, all_four(musiq), date="2022-01-12", setting="kommune", annotate=True
    )
    (note,) = workspace.annotations(team)
    assert (note.date, note.kind.value, note.indicators) == ("2022-01-12", "assessment", [])
    assert "kommune" in note.text
    with pytest.raises(DuplicateError, match="already marked"):
        workspace.annotate_assessment(saved.id, musiq)
    later = record_assessment(workspace, team, musiq, all_four(musiq), date="2022-09-01", setting="kommune")
    workspace.annotate_assessment(later.id, musiq)
    assert [a.date for a in workspace.annotations(team)] == ["2022-01-12", "2022-09-01"]


def test_comparison_side_by_side_with_moves_in_the_same_setting_and_focus(workspace: Any, team: str) -> None:
    musiq = builtin_musiq()
    first = record_assessment(
        workspace,
        team,
        musiq,
        all_four(musiq, resource_availability=2, team_qi_skills=2, qi_leadership_unit=3, team_norms=None),
        date="2022-01-12",
        setting="regionspsykiatrien",
    )
    record_assessment(
        workspace,
        team,
        musiq,
        all_four(musiq, resource_availability=1),
        date="2022-02-01",
        setting="Vordingborg Kommune",
    )
    last = record_assessment(
        workspace,
        team,
        musiq,
        all_four(
            musiq,
            resource_availability=5,
            team_qi_skills=3,
            qi_leadership_unit=3,
            team_norms=6,
            team_leadership=1,
        ),
        date="2022-09-01",
        setting="regionspsykiatrien",
    )
    comparison = compare_team_assessments(workspace, team, {musiq.key: musiq})
    assert [a.date for a in comparison.assessments] == ["2022-01-12", "2022-02-01", "2022-09-01"]
    # 21 factors at 4 + 2 + 2 + 3 (one N/A); 24 at 4 + 1; 20 at 4 + 5 + 3 + 3 + 6 + 1
    assert [s.total.score for s in comparison.scores] == [
        4 * 21 + 2 + 2 + 3,
        4 * 24 + 1,
        4 * 20 + 5 + 3 + 3 + 6 + 1,
    ]
    assert comparison.factor_values("resource_availability") == [2, 1, 5]
    # the latest is compared with the previous one in the same setting, not the municipality's
    assert (comparison.moved_from.id, comparison.moved_to.id) == (first.id, last.id)
    moves = [(m.factor, m.before, m.after, m.change) for m in comparison.moves]
    assert moves == [
        ("resource_availability", 2, 5, 3),
        ("team_leadership", 4, 1, -3),
        ("team_qi_skills", 2, 3, 1),
        ("team_norms", None, 6, None),
    ]
    # focus: changeable, below neutral, lowest first (external/organisation factors never)
    assert [(f.factor, f.rating) for f in comparison.focus] == [
        ("team_leadership", 1),
        ("qi_leadership_unit", 3),
        ("team_qi_skills", 3),
    ]
    data = comparison.to_dict()
    assert data["moved"]["to"] == last.id and data["assessments"][0]["scores"]["total"]["not_applicable"] == 1


def test_moves_between_two_named_assessments(workspace: Any, team: str) -> None:
    musiq = builtin_musiq()
    a = record_assessment(workspace, team, musiq, all_four(musiq), date="2022-01-01", setting="x")
    b = record_assessment(
        workspace, team, musiq, all_four(musiq, team_norms=7), date="2022-05-01", setting="y"
    )
    comparison = compare_team_assessments(workspace, team, {musiq.key: musiq}, moved_from=a.id, moved_to=b.id)
    assert [(m.factor, m.change) for m in comparison.moves] == [("team_norms", 3)]
    with pytest.raises(NotFoundError, match="no assessment 'asm-nope'"):
        compare_team_assessments(workspace, team, {musiq.key: musiq}, moved_from="asm-nope")


def test_totals_are_never_compared_across_instrument_versions(workspace: Any, team: str) -> None:
    musiq, v2 = builtin_musiq(), musiq_v2()
    old = record_assessment(workspace, team, musiq, all_four(musiq), date="2022-01-12", setting="r")
    record_assessment(workspace, team, v2, all_four(v2, team_norms=6), date="2022-09-01", setting="r")
    known = {musiq.key: musiq, v2.key: v2}
    with pytest.raises(ValidationError) as info:
        compare_team_assessments(workspace, team, known)
    message = str(info.value)
    assert "totals cannot be compared across instrument versions" in message
    assert f"{old.id} (2022-01-12, r) used musiq@1.0-equal-weights" in message
    assert "musiq@2.0-test" in message and "--factors-only" in message
    # the filter takes a key (one version) or an id (all its versions)
    assert len(workspace.assessments(team, instrument="musiq")) == 2
    assert [a.id for a in workspace.assessments(team, instrument=musiq.key)] == [old.id]
    # one version at a time works
    assert len(compare_team_assessments(workspace, team, known, instrument="musiq@2.0-test").assessments) == 1
    # factor by factor across versions: no totals, ids that exist in the latest version
    comparison = compare_team_assessments(workspace, team, known, factors_only=True)
    assert comparison.scores == [None, None]
    assert comparison.instrument.key == "musiq@2.0-test"
    assert [(m.factor, m.change) for m in comparison.moves] == [("team_norms", 2)]
    assert "team_aim_clarity" not in [f["factor"] for f in comparison.to_dict()["factors"]]


def test_different_instruments_or_scales_are_not_compared_even_factor_by_factor(workspace: Any) -> None:
    musiq = builtin_musiq()
    other_data = musiq.to_dict() | {"id": "other"}
    wider_data = musiq.to_dict() | {"version": "9-wide"}
    wider_data["scale"] = dict(wider_data["scale"], max=9)
    other, wider = Instrument.from_dict(other_data), Instrument.from_dict(wider_data)
    team = workspace.add_team("T").id
    record_assessment(workspace, team, musiq, all_four(musiq), date="2022-01-01", setting="s")
    record_assessment(workspace, team, other, all_four(other), date="2022-02-01", setting="s")
    with pytest.raises(ValidationError, match=r"different instruments \(musiq, other\)"):
        compare_team_assessments(workspace, team, {i.key: i for i in (musiq, other)}, factors_only=True)
    team2 = workspace.add_team("U").id
    record_assessment(workspace, team2, musiq, all_four(musiq), date="2022-01-01", setting="s")
    record_assessment(workspace, team2, wider, all_four(wider), date="2022-02-01", setting="s")
    with pytest.raises(ValidationError, match="different scales"):
        compare_team_assessments(workspace, team2, {i.key: i for i in (musiq, wider)}, factors_only=True)


def test_an_assessment_whose_instrument_is_not_installed_is_named(workspace: Any, team: str) -> None:
    v2 = musiq_v2()
    record_assessment(workspace, team, v2, all_four(v2), date="2022-01-01", setting="s")
    with pytest.raises(NotFoundError, match="instrument musiq@2.0-test is not installed"):
        compare(workspace.assessments(team), {"musiq@1.0-equal-weights": builtin_musiq()})


def test_no_assessments_yet_is_a_clear_not_found(workspace: Any, team: str) -> None:
    with pytest.raises(NotFoundError, match="has no assessments yet"):
        compare_team_assessments(workspace, team, {})


def test_remove_assessment(workspace: Any, team: str) -> None:
    musiq = builtin_musiq()
    saved = record_assessment(workspace, team, musiq, all_four(musiq), date="2022-01-01", setting="s")
    assert workspace.remove_assessment(saved.id).id == saved.id
    assert workspace.assessments(team) == []
    with pytest.raises(NotFoundError):
        workspace.remove_assessment(saved.id)
