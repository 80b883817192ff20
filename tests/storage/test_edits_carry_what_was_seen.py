"""Every edit carries what the editor saw, on both backends: field-level merge, no silent overwrite.

Two ``Workspace`` objects on one location are two users (two processes, two logins).
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from pdsa_cli import build_cli
from pdsa_core.errors import ConflictError
from pdsa_core.services.merge import EditConflict
from pdsa_core.workspace import Workspace


@pytest.fixture()
def two_users(store_location: str) -> tuple[Workspace, Workspace, str]:
    clock = iter(f"2024-03-0{d}T10:00:00+00:00" for d in range(1, 10))
    first = Workspace.create(store_location, actor="tova1", clock=lambda: "2024-03-01T09:00:00+00:00")
    team = first.add_team("Aalborg", region="Nordjylland")
    first.add_indicator(team.id, "R1", "Tvangsindlagte")
    cycle = first.add_cycle(team.id, "Ringe hjem", objective="Færre bæltefikseringer", owner="Anna")
    other = Workspace.open(store_location, actor="tova2", clock=lambda: next(clock))
    return first, other, cycle.id


def test_different_fields_of_one_cycle_both_keep_their_change(two_users) -> None:
    first, other, cycle_id = two_users
    form = first.cycle(cycle_id)  # tova1's worksheet shows this
    other.update_cycle(cycle_id, seen={"objective": "Færre bæltefikseringer"}, objective="tova2's mål")
    saved = first.update_cycle(cycle_id, seen={"owner": form.owner}, owner="Bo")
    assert saved.objective == "tova2's mål" and saved.owner == "Bo"
    # the old way of saying what was seen (the version) merges by field too
    again = first.update_cycle(cycle_id, expected_rev=form.rev, plan_who="Sygeplejersker")
    assert (again.objective, again.owner, again.plan_who) == ("tova2's mål", "Bo", "Sygeplejersker")


def test_the_same_field_is_a_conflict_naming_the_real_other_value_who_and_when(two_users) -> None:
    first, other, cycle_id = two_users
    form = first.cycle(cycle_id)
    other.update_cycle(cycle_id, seen={"objective": form.objective}, objective="tova2's mål")
    with pytest.raises(EditConflict) as caught:
        first.update_cycle(cycle_id, seen={"objective": form.objective, "owner": "Anna"},
                           objective="tova1's mål", owner="Bo")
    conflict = caught.value
    assert [c.field for c in conflict.conflicts] == ["objective"]
    # on a server, "by" is the database login (here both users are the test's one login)
    by = other.store.login() or "tova2"
    assert conflict.conflicts[0].theirs == "tova2's mål" and conflict.conflicts[0].by == by
    assert f"theirs 'tova2's mål' (by {by} at" in conflict.message
    assert "2024-03-01T10:00:00" in conflict.message
    assert "den andens 'tova2's mål'" in conflict.text("da")
    stored = first.cycle(cycle_id)
    assert (stored.objective, stored.owner) == ("tova2's mål", "Anna")  # nothing of the edit saved
    with pytest.raises(EditConflict):  # by version: the field's stamp is newer than what was seen
        first.update_cycle(cycle_id, expected_rev=form.rev, objective="tova1's mål")


def test_typing_what_the_other_user_already_wrote_is_no_conflict(two_users) -> None:
    first, other, cycle_id = two_users
    other.update_cycle(cycle_id, seen={"objective": "Færre bæltefikseringer"}, objective="Samme")
    saved = first.update_cycle(cycle_id, seen={"objective": "Færre bæltefikseringer"}, objective="Samme")
    assert saved.objective == "Samme"


def test_a_value_form_refuses_a_month_filled_meanwhile_naming_who(two_users) -> None:
    first, other, _ = two_users
    team = first.teams()[0].id
    other.add_measurement(team, "R1", "2024-01", value=22, expected=None)
    with pytest.raises(ConflictError) as caught:
        first.add_measurement(team, "R1", "2024-01", value=11, expected=None)
    by = other.store.login() or "tova2"
    assert f"already has a value: 22 (entered by {by} at 2024-03-01T10:00:00" in caught.value.message
    assert first.measurements(team, "R1")[0].value == 22


def test_a_form_of_missing_months_refuses_one_filled_meanwhile_and_writes_none(two_users) -> None:
    """The meeting's missing-data dialog showed 2024-01 and 2024-02 empty; tova2 filled 2024-02."""
    from pdsa_core.services.indicators import MeasurementInput

    first, other, _ = two_users
    team = first.teams()[0].id
    other.add_measurement(team, "R1", "2024-02", value=22, expected=None)
    typed = [MeasurementInput("R1", "2024-01", value=5), MeasurementInput("R1", "2024-02", value=11)]
    with pytest.raises(ConflictError) as caught:
        first.add_measurements(team, typed, only_empty=True)
    assert "2024-02 already has a value: 22" in caught.value.message
    assert [(m.period, m.value) for m in first.measurements(team, "R1")] == [("2024-02", 22)]
    first.add_measurements(team, typed[:1], only_empty=True)  # the month still empty is stored
    assert [(m.period, m.value) for m in first.measurements(team, "R1")] == [("2024-01", 5), ("2024-02", 22)]


def test_cli_data_add_refuses_a_filled_month_unless_replace(store_location: str) -> None:
    ws = Workspace.create(store_location, actor="tova2")
    team = ws.add_team("Aalborg", region="Nordjylland")
    ws.add_indicator(team.id, "R1", "Tvangsindlagte")
    ws.store.close()
    runner = CliRunner()
    args = ["-w", store_location, "data", "add", "--team", team.id, "--indicator", "R1"]
    args += ["--period", "2024-01"]
    assert runner.invoke(build_cli(), [*args, "--value", "22"]).exit_code == 0
    refused = runner.invoke(build_cli(), [*args, "--value", "11"])
    assert refused.exit_code == ConflictError.exit_code
    assert "already has a value: 22 (entered by" in refused.output and "--replace" in refused.output
    assert "Traceback" not in refused.output
    replaced = runner.invoke(build_cli(), [*args, "--value", "11", "--replace"])
    assert replaced.exit_code == 0 and "replaced 22, entered by" in replaced.output
    check = Workspace.open(store_location)
    assert [m.value for m in check.measurements(team.id, "R1")] == [11]
    assert check.measurements(team.id, "R1")[0].revisions[0].value == 22
    check.store.close()


def test_cli_cycle_update_changes_only_the_fields_given(two_users, store_location: str) -> None:
    first, other, cycle_id = two_users
    first.store.close()
    other.update_cycle(cycle_id, seen={"owner": "Anna"}, owner="Bo")
    result = CliRunner().invoke(
        build_cli(), ["-w", store_location, "cycle", "update", cycle_id, "--objective", "Nyt mål"]
    )
    assert result.exit_code == 0, result.output
    stored = other.cycle(cycle_id)
    assert (stored.objective, stored.owner, stored.title) == ("Nyt mål", "Bo", "Ringe hjem")
