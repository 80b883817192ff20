"""The workspace services: every user action, through the same functions the CLI and TUI use."""

from __future__ import annotations

import json

import pytest

from pdsa_core.errors import ConflictError, DuplicateError, NotFoundError, ValidationError
from pdsa_core.services.indicators import MeasurementInput
from pdsa_core.workspace import Workspace


@pytest.fixture()
def team(workspace):
    t = workspace.add_team("Psykiatrien Syd, Vordingborg", region="Sjælland", municipalities=["Vordingborg"])
    workspace.add_indicator(
        t.id, "R1", "Personer tvangsindlagt", baseline_start="2018-01", baseline_end="2020-12"
    )
    workspace.add_indicator(t.id, "V1", "Andel med UA/KP", unit="proportion", direction="up")
    return t


def test_team_lookup_by_id_name_and_prefix(workspace, team) -> None:
    assert workspace.team("psykiatrien-syd-vordingborg") == team
    assert workspace.team("psykiatrien syd, vordingborg") == team
    assert workspace.team("Psykiatrien") == team
    with pytest.raises(NotFoundError, match="no team 'Aalborg'"):
        workspace.team("Aalborg")
    with pytest.raises(DuplicateError):
        workspace.add_team("PSYKIATRIEN SYD, VORDINGBORG")


def test_revision_keeps_the_earlier_value(workspace, team) -> None:
    _, status = workspace.add_measurement(team.id, "R1", "2022-03", value=3)
    assert status == "added"
    _, status = workspace.add_measurement(team.id, "R1", "2022-03", value=3)
    assert status == "unchanged"
    measurement, status = workspace.add_measurement(team.id, "R1", "2022-03", value=4, source="import")
    assert status == "changed"
    assert measurement.value == 4
    assert [r.value for r in measurement.revisions] == [3]
    assert workspace.measurements(team.id, "R1")[0].revisions[0].source == "manual"


def test_bulk_write_is_all_or_nothing(workspace, team) -> None:
    items = [MeasurementInput("R1", f"2022-{m:02d}", value=m) for m in range(1, 6)]
    items.append(MeasurementInput("R1", "2022-06", value=-1))
    with pytest.raises(ValidationError, match=r"value 6 \(R1 2022-06\).*cannot be negative"):
        workspace.add_measurements(team.id, items)
    assert workspace.measurements(team.id, "R1") == []
    result = workspace.add_measurements(team.id, items[:5], source="import", source_file="data.csv")
    assert (result.added, result.changed, result.unchanged) == (5, 0, 0)
    assert {m.source_file for m in workspace.measurements(team.id, "R1")} == {"data.csv"}


def test_proportion_needs_fraction(workspace, team) -> None:
    with pytest.raises(ValidationError, match="proportion: give a numerator"):
        workspace.add_measurement(team.id, "V1", "2022-01", value=0.5)
    m, _ = workspace.add_measurement(team.id, "V1", "2022-01", numerator=4, denominator=10)
    assert m.value == pytest.approx(0.4)


def test_missing_months_from_baseline(workspace, team) -> None:
    workspace.add_measurement(team.id, "V1", "2018-01", numerator=1, denominator=2)
    workspace.add_measurement(team.id, "R1", "2018-03", value=1)
    missing = workspace.missing_months(team.id, "R1", until="2018-05")
    assert missing == ["2018-01", "2018-02", "2018-04", "2018-05"]


def test_missing_months_only_from_the_teams_first_month(workspace, team) -> None:
    """A team that starts measuring in 2023 did not miss its indicator set's 2018-2020 baseline."""
    assert workspace.team_start(team.id) is None
    assert workspace.missing_months(team.id, "R1", until="2023-12") == []
    for period in ("2023-10", "2023-12"):
        workspace.add_measurement(team.id, "R1", period, value=4)
    assert workspace.team_start(team.id) == "2023-10"
    assert workspace.missing_months(team.id, "R1", until="2024-01") == ["2023-11", "2024-01"]
    assert workspace.missing_months(team.id, "V1", until="2023-11") == ["2023-10", "2023-11"]


def test_team_start_is_read_from_the_stored_values_without_records(workspace, team) -> None:
    """The team's first month is the first month of any of its indicators (a proportion's too),
    found in the stored documents: no indicator's values are built as records for it."""
    other = workspace.add_team("Psykiatrien Nord")
    workspace.add_indicator(other.id, "R1", "Personer tvangsindlagt")
    workspace.add_measurement(team.id, "R1", "2021-07", value=2)
    workspace.add_measurement(team.id, "R1", "2021-09", value=0)
    workspace.add_measurement(team.id, "V1", "2021-05", numerator=1, denominator=4)
    fresh = Workspace.open(workspace.location)
    assert fresh.team_start(team.id) == "2021-05"
    assert fresh.team_start(other.id) is None
    assert not [key for key in fresh._derived[1] if key.startswith("measurements:")]
    # what the records say, as team_start read it before
    firsts = [fresh.measurements(team.id, code)[0].period for code in ("R1", "V1")]
    assert fresh.team_start(team.id) == min(firsts)
    missing = fresh.missing_months(team.id, "R1", until="2021-10")
    assert missing == ["2021-05", "2021-06", "2021-08", "2021-10"]
    assert fresh.missing_months(team.id, "V1") == []
    assert fresh.missing_months(other.id, "R1", until="2021-10") == []


def test_team_start_refuses_a_stored_value_without_a_month(workspace, team) -> None:
    """A damaged value (no month) is a clear error, as reading the indicator's values says."""
    try:
        with workspace.store.transaction() as tx:
            tx.put(
                "measurements", f"{team.id}|R1|2021-07", {"team_id": team.id, "indicator": "R1", "value": 2.0}
            )
    except ValidationError as exc:  # a store that checks each record itself (PostgreSQL) holds none
        assert "lacks period" in exc.message
        return
    with pytest.raises(ValidationError, match="period must be a month"):
        workspace.team_start(team.id)
    with pytest.raises(ValidationError):
        workspace.measurements(team.id, "R1")


def test_teams_and_indicators_found_once_are_found_again_until_the_workspace_changes(workspace, team) -> None:
    """Lookups are remembered per state of the workspace: a rename, a removal or another user's
    change is seen at once, and a reference that matches nothing is refused every time."""
    assert workspace.team("Psykiatrien") is workspace.team("Psykiatrien")
    assert workspace.indicator("Psykiatrien", "r1") is workspace.indicator(team.id, "R1")
    workspace.update_team(team.id, name="Psykiatrien Nord, Aalborg")
    with pytest.raises(NotFoundError):
        workspace.team("Psykiatrien Syd, Vordingborg")
    assert workspace.team("psykiatrien nord").name == "Psykiatrien Nord, Aalborg"
    for _ in range(2):
        with pytest.raises(NotFoundError, match="no team 'Aarhus'"):
            workspace.team("Aarhus")
        with pytest.raises(NotFoundError, match="has no indicator 'X9'"):
            workspace.indicator(team.id, "X9")
    other = Workspace.open(workspace.location)
    assert other.indicator(team.id, "V1").name_da == "Andel med UA/KP"
    workspace.update_indicator(team.id, "V1", name_da="Andel med udskrivningsaftale")
    assert other.indicator(team.id, "V1").name_da == "Andel med udskrivningsaftale"
    workspace.remove_indicator(team.id, "V1")
    with pytest.raises(NotFoundError):
        other.indicator(team.id, "v1")


def test_missing_months_are_remembered_until_a_value_fills_one(workspace, team) -> None:
    workspace.add_measurement(team.id, "R1", "2023-10", value=4)
    missing = workspace.missing_months(team.id, "r1", until="2023-12")
    assert missing == ["2023-11", "2023-12"]
    missing.clear()  # the caller's own list
    assert workspace.missing_months(team.id, "R1", until="2023-12") == ["2023-11", "2023-12"]
    assert workspace.missing_months(team.id, "R1") == []
    workspace.add_measurement(team.id, "R1", "2023-12", value=5)
    assert workspace.missing_months(team.id, "R1", until="2023-12") == ["2023-11"]
    assert workspace.missing_months(team.id, "R1") == ["2023-11"]


def test_annotations_are_the_teams_own_sorted_and_follow_every_change(workspace, team) -> None:
    other = workspace.add_team("Psykiatrien Nord")
    workspace.add_annotation(other.id, "2021-01-04", "Ikke vores")
    late = workspace.add_annotation(team.id, "2022-03-01", "NordEPJ", indicators=["V1"])
    workspace.add_annotation(team.id, "2021-06-01", "Ny psykiatrilov", phase_split=True)
    assert [a.text for a in workspace.annotations(team.id)] == ["Ny psykiatrilov", "NordEPJ"]
    assert [a.text for a in workspace.annotations(team.id, "R1")] == ["Ny psykiatrilov"]
    mine = workspace.annotations(team.id, "V1")
    mine.clear()  # the caller's own list
    assert len(workspace.annotations(team.id, "V1")) == 2
    workspace.remove_annotation(late.id)
    assert [a.text for a in workspace.annotations(team.id, "V1")] == ["Ny psykiatrilov"]
    assert [a.text for a in workspace.annotations(other.id)] == ["Ikke vores"]


def test_driver_diagram_history_and_undo(workspace, team) -> None:
    workspace.set_aim(team.id, "Færre tvangsindlæggelser")
    primary = workspace.add_node(team.id, "primary", "Netværksmøder")
    other = workspace.add_node(team.id, "primary", "Udskrivningsaftaler")
    secondary = workspace.add_node(team.id, "secondary", "Fast mødeform", parents=[primary.id])
    idea = workspace.add_node(team.id, "change idea", "Netværksmøde før udskrivelse", parents=[secondary.id])
    workspace.link_node(team.id, idea.id, other.id)
    assert set(workspace.diagram(team.id).node(idea.id).parents) == {secondary.id, other.id}
    workspace.delete_node(team.id, primary.id)
    diagram = workspace.diagram(team.id)
    assert secondary.id not in {n.id for n in diagram.nodes}
    assert diagram.node(idea.id).parents == [other.id]  # survives: it serves another driver
    workspace.undo_diagram(team.id)
    restored = workspace.diagram(team.id)
    assert set(restored.node(idea.id).parents) == {secondary.id, other.id}
    history = workspace.diagram_history(team.id)
    # on a server, who changed it is the database login
    assert history[0].action == "undo" and history[0].who == (workspace.store.login() or "tester")
    assert [c.action for c in history[1:]] == ["delete", "move", "add", "add", "add", "add", "set aim"]


def test_undo_refuses_when_later_edits_exist(workspace, team) -> None:
    workspace.add_node(team.id, "primary", "A")
    workspace.undo_diagram(team.id)
    with pytest.raises(NotFoundError, match="nothing to undo"):
        workspace.undo_diagram(team.id)


def test_cycle_flow_with_adapt_and_annotations(workspace, team) -> None:
    primary = workspace.add_node(team.id, "primary", "Udskrivningsaftaler")
    idea = workspace.add_node(team.id, "change idea", "Ringe hjem", parents=[primary.id])
    cycle = workspace.add_cycle(
        team.id,
        "Ringe hjem-ordning",
        change_idea="Ringe hjem",
        indicators=["R1"],
        objective="Færre genindlæggelser",
        predictions="8 af 10 kan træffes",
    )
    assert cycle.change_idea == idea.id
    with pytest.raises(ValidationError, match="cannot move from planned to done"):
        workspace.set_cycle_status(cycle.id, "done")
    workspace.set_cycle_status(cycle.id, "doing")
    workspace.update_cycle(cycle.id, do_observations="7 af 10 træffes")
    done, follow_up = workspace.act(cycle.id, "adapt", next_step="Ring også i weekenden")
    assert done.status.value == "done" and done.act_decision.value == "adapt"
    assert follow_up is not None and follow_up.follows == done.id
    assert follow_up.objective == "Færre genindlæggelser" and follow_up.predictions == ""
    assert [c.id for c in workspace.ramp(follow_up.id)] == [done.id, follow_up.id]
    kinds = [a.kind.value for a in workspace.annotations(team.id, "R1")]
    assert kinds == ["pdsa start", "pdsa end"] or sorted(kinds) == ["pdsa end", "pdsa start"]


def test_update_cycle_conflict_shows_both_versions(workspace, team) -> None:
    cycle = workspace.add_cycle(team.id, "Kendskabsbesøg")
    workspace.update_cycle(cycle.id, objective="theirs")
    with pytest.raises(ConflictError, match="yours 'mine', theirs 'theirs'"):
        workspace.update_cycle(cycle.id, expected_rev=cycle.rev, objective="mine")


def test_events_are_sent_after_commit_only(workspace, team) -> None:
    seen: list[tuple[str, dict]] = []
    workspace.listeners.append(lambda name, payload: seen.append((name, payload)))
    workspace.add_measurement(team.id, "R1", "2022-01", value=2)
    assert seen[0][0] == "measurement_added" and seen[0][1]["measurement"]["value"] == 2
    seen.clear()
    with pytest.raises(ValidationError):
        workspace.add_measurements(
            team.id, [MeasurementInput("R1", "2022-02", 1), MeasurementInput("R1", "x", 1)]
        )
    assert seen == []


def test_two_workspace_objects_see_each_others_changes(workspace_path, workspace, team) -> None:
    other = Workspace.open(workspace_path)
    workspace.add_measurement(team.id, "R1", "2022-01", value=2)
    other.add_measurement(team.id, "R1", "2022-02", value=3)  # starts from the latest file, loses nothing
    assert [m.period for m in workspace.measurements(team.id, "R1")] == ["2022-01", "2022-02"]


def test_export_is_plain_json(workspace, team) -> None:
    workspace.add_measurement(team.id, "R1", "2022-01", value=2)
    data = json.loads(json.dumps(workspace.export()))
    assert data["format"] == "pdsa-workspace"
    assert "psykiatrien-syd-vordingborg|R1|2022-01" in data["tables"]["measurements"]


def test_cycle_dates_follow_the_workspace_clock(workspace, team) -> None:
    """A workspace telling its story on a fixed day (the demo's ``as_of``) dates starts and ends then."""
    workspace.update_settings(as_of="2023-10-16")
    cycle = workspace.add_cycle(team.id, "Kendskabsbesøg", indicators=["R1"])
    started = workspace.set_cycle_status(cycle.id, "doing")
    ended, _ = workspace.act(cycle.id, "adopt")
    assert started.start_date == "2023-10-16" and ended.end_date == "2023-10-16"
    assert {a.date for a in workspace.annotations(team.id, "R1")} == {"2023-10-16"}
