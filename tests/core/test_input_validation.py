"""Input the core refuses, so the CLI and the TUI both refuse it (issue 17, items 1 and 2):
control and direction characters, names that only differ in case, Unicode form or spacing,
impossible numbers and dates; and a workspace with an impossible stored target stays usable."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from pdsa_cli import build_cli
from pdsa_core.domain import Measurement, Target
from pdsa_core.domain.common import parse_date, parse_period, tolerating
from pdsa_core.errors import DuplicateError, NotFoundError, ValidationError

TEAM = "Psykiatri Nord [/] Syd [antal]"


def run(*args: str) -> Any:
    return CliRunner().invoke(build_cli(), list(args))


@pytest.fixture()
def team(workspace: Any) -> Any:
    return workspace.add_team(TEAM)


# -- control and direction characters --------------------------------------------------------------
@pytest.mark.parametrize("bad", ["\x1b[2J", "\x07", "\x00", "\x7f", "\x9b31m", "\u202e", "\u2066", "\r"])
def test_control_and_bidi_characters_are_refused_naming_the_field(
    workspace: Any, team: Any, bad: str
) -> None:
    attempts = {
        "team name": lambda: workspace.add_team(f"Team {bad} Nord"),
        "member name": lambda: workspace.add_member(team.id, f"Anne{bad}x"),
        "indicator name": lambda: workspace.add_indicator(team.id, "R1", f"Tvang{bad}x"),
        "aim": lambda: workspace.set_aim(team.id, f"Færre{bad}x"),
        "primary text": lambda: workspace.add_node(team.id, "primary", f"Driver{bad}x"),
        "cycle title": lambda: workspace.add_cycle(team.id, f"Cyklus{bad}x"),
        "objective": lambda: workspace.add_cycle(team.id, "Cyklus", objective=f"Mål{bad}x"),
        "annotation text": lambda: workspace.add_annotation(team.id, "2023-01-05", f"Note{bad}x"),
    }
    for field, attempt in attempts.items():
        with pytest.raises(ValidationError) as caught:
            attempt()
        assert field in caught.value.message, (field, caught.value.message)
        assert f"U+{ord(bad[0]):04X}" in caught.value.message
    assert workspace.teams() == [team]
    assert workspace.indicators(team.id) == []
    assert workspace.cycles(team.id) == []


def test_newline_and_tab_are_allowed_where_a_field_has_several_lines(workspace: Any, team: Any) -> None:
    cycle = workspace.add_cycle(team.id, "Cyklus", objective="Første linje\nAnden linje\tmed tab")
    assert cycle.objective == "Første linje\nAnden linje\tmed tab"
    aim = workspace.set_aim(team.id, "Færre\nbæltefikseringer").aim
    assert aim == "Færre\nbæltefikseringer"
    with pytest.raises(ValidationError, match="team name"):
        workspace.add_team("Team\nNord")
    with pytest.raises(ValidationError, match="member name"):
        workspace.add_member(team.id, "Anne\tHansen")


def test_danish_help_names_the_field_in_danish(workspace: Any, team: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        workspace.add_member(team.id, "Anne\x1b")
    assert "medlemmets navn" in caught.value.text("da")
    assert "U+001B" in caught.value.text("da")


def test_an_old_stored_text_with_a_control_character_blocks_no_other_edit(workspace: Any) -> None:
    with tolerating(None):  # as an older version stored it
        old = workspace.add_team("Gammel\x1b[2J")
    renamed_region = workspace.update_team(old.id, region="Region Sjælland")
    assert renamed_region.name == "Gammel\x1b[2J"
    assert workspace.add_member(old.id, "Anne").members[0].name == "Anne"
    with pytest.raises(ValidationError, match="team name"):
        workspace.update_team(old.id, name="Ny\x1b")
    assert workspace.update_team(old.id, name="Ny").name == "Ny"


# -- names: NFC, and duplicates up to case, Unicode form and spacing -------------------------------------
def test_names_are_stored_nfc(workspace: Any) -> None:
    decomposed = unicodedata.normalize("NFD", "Sjælland Øst Århus Café")
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    team = workspace.add_team(decomposed)
    assert team.name == unicodedata.normalize("NFC", decomposed)
    assert workspace.add_member(team.id, unicodedata.normalize("NFD", "Åse")).members[0].name == "Åse"


@pytest.mark.parametrize(
    "twin",
    [
        "psykiatri nord [/] syd [ANTAL]",
        "Psykiatri  Nord [/]   Syd [antal] ",
        "\tPSYKIATRI NORD [/] SYD [ANTAL]",
    ],
)
def test_team_names_differing_only_by_case_or_spacing_are_duplicates(
    workspace: Any, team: Any, twin: str
) -> None:
    with pytest.raises(DuplicateError):
        workspace.add_team(twin.replace("\t", ""))
    other = workspace.add_team("Andet team")
    with pytest.raises(DuplicateError):
        workspace.update_team(other.id, name=twin.replace("\t", ""))
    assert [t.name for t in workspace.teams()] == ["Andet team", TEAM]


def test_team_names_differing_only_by_unicode_form_are_duplicates(workspace: Any) -> None:
    workspace.add_team("Region Sjælland Café")
    with pytest.raises(DuplicateError):
        workspace.add_team(unicodedata.normalize("NFD", "region sjælland café"))
    found = workspace.team(unicodedata.normalize("NFD", "Region  Sjælland Café"))
    assert found.name == "Region Sjælland Café"


def test_member_and_indicator_twins_are_duplicates(workspace: Any, team: Any) -> None:
    workspace.add_member(team.id, "Anne Hansen")
    with pytest.raises(DuplicateError):
        workspace.add_member(team.id, "anne  HANSEN")
    workspace.add_indicator(team.id, "R1", "Personer tvangsindlagt")
    with pytest.raises(DuplicateError):
        workspace.add_indicator(team.id, "r1", "Noget andet")
    with pytest.raises(DuplicateError):
        workspace.add_indicator(team.id, "R2", "personer  TVANGSINDLAGT")
    workspace.add_indicator(team.id, "R2", "Tvangshændelser")
    with pytest.raises(DuplicateError):
        workspace.update_indicator(team.id, "R2", name_da="Personer Tvangsindlagt")
    assert [i.code for i in workspace.indicators(team.id)] == ["R1", "R2"]
    removed = workspace.remove_member(team.id, "ANNE hansen")
    assert removed.members == []


# -- numbers ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "bad", [float("nan"), float("inf"), float("-inf"), "nan", "1e309", "-1e309", None, True]
)
def test_impossible_targets_are_refused(workspace: Any, team: Any, bad: object) -> None:
    with pytest.raises(ValidationError, match="target value"):
        Target(value=bad)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        workspace.add_indicator(team.id, "X9", "X", multiply=bad)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "-inf", "1e309", "NaN"])
def test_impossible_values_numerators_and_denominators_are_refused(bad: object) -> None:
    for fields in (
        {"value": bad},
        {"numerator": bad, "denominator": 10},
        {"numerator": 1, "denominator": bad},
    ):
        with pytest.raises(ValidationError, match="finite number"):
            Measurement(team_id="t", indicator="R1", period="2023-01", **fields)  # type: ignore[arg-type]


def test_a_proportions_numerator_must_be_whole(workspace: Any, team: Any) -> None:
    from pdsa_core.services.indicators import MeasurementInput

    workspace.add_indicator(team.id, "V1", "Andel", unit="proportion")
    with pytest.raises(ValidationError, match="whole number"):
        workspace.add_measurements(
            team.id, [MeasurementInput("V1", "2023-01", numerator=2.5, denominator=10)]
        )
    assert workspace.measurements(team.id, "V1") == []
    workspace.add_measurements(team.id, [MeasurementInput("V1", "2023-01", numerator=2, denominator=10)])
    assert workspace.measurements(team.id, "V1")[0].value == 0.2


@pytest.mark.parametrize("cli_value", ["nan", "inf", "-inf", "1e309"])
def test_cli_refuses_impossible_numbers_with_one_line(
    workspace_path: Path, workspace: Any, cli_value: str
) -> None:
    ws = str(workspace_path)
    assert run("--workspace", ws, "team", "add", "Nord").exit_code == 0
    assert run("--workspace", ws, "indicator", "add", "R1", "--team", "Nord", "--name", "R").exit_code == 0
    before = workspace_path.read_bytes()
    for args in (
        ("indicator", "add", "X9", "--team", "Nord", "--name", "X", "--target", cli_value),
        ("indicator", "update", "R1", "--team", "Nord", "--target", cli_value),
        ("data", "add", "--team", "Nord", "--indicator", "R1", "--period", "2023-01", "--value", cli_value),
    ):
        result = run("--workspace", ws, *args)
        assert result.exit_code == 2, result.output
        assert len(result.output.strip().splitlines()) == 1, result.output
        assert "finite number" in result.output
        assert "Traceback" not in result.output
    assert workspace_path.read_bytes() == before


def test_periods_and_dates_share_one_range() -> None:
    assert parse_period("1900-01") == "1900-01"
    assert parse_date("2200-12-31") == "2200-12-31"
    for period in ("1899-12", "2201-01"):
        with pytest.raises(ValidationError, match="out of range"):
            parse_period(period)
    for date in ("0001-01-01", "1899-12-31", "2201-01-01", "9999-12-31"):
        with pytest.raises(ValidationError, match="out of range"):
            parse_date(date)


# -- a stored impossible target, and its repair -----------------------------------------------------------
def _damage_target(path: Path, code: str, value: object) -> None:
    data = json.loads(path.read_text())
    text = json.dumps(data)
    assert f'"code": "{code}"' in text
    stored = text.replace('"target": {"value": 3.0', f'"target": {{"value": {json.dumps(value)}')
    assert stored != text
    path.write_text(stored)


def test_a_stored_null_target_is_reported_and_repaired(workspace_path: Path, workspace: Any) -> None:
    ws = str(workspace_path)
    assert run("--workspace", ws, "team", "add", "Nord").exit_code == 0
    added = run("--workspace", ws, "indicator", "add", "X9", "--team", "Nord", "--name", "X", "--target", "3")
    assert added.exit_code == 0, added.output
    _damage_target(workspace_path, "X9", None)
    listed = run("--workspace", ws, "indicator", "list", "--team", "Nord")
    assert listed.exit_code == 0, listed.output
    assert "X9: the stored target is left out" in listed.output
    assert "pdsa indicator update X9" in listed.output
    for args in (
        ("data", "add", "--team", "Nord", "--indicator", "X9", "--period", "2023-01", "--value", "2"),
        ("team", "show", "Nord"),
        ("report", "national", "--from", "2023-01", "--to", "2023-03", "--json"),
    ):
        result = run("--workspace", ws, *args)
        assert result.exit_code == 0, (args, result.output)
    repaired = run("--workspace", ws, "indicator", "update", "X9", "--team", "Nord", "--target", "1")
    assert repaired.exit_code == 0, repaired.output
    listed = run("--workspace", ws, "indicator", "list", "--team", "Nord", "--json")
    assert "left out" not in listed.output
    assert json.loads(listed.output)[0]["target"]["value"] == 1.0


def test_indicator_update_and_remove(workspace_path: Path, workspace: Any) -> None:
    ws = str(workspace_path)
    assert run("--workspace", ws, "team", "add", "Nord").exit_code == 0
    assert (
        run(
            "--workspace", ws, "indicator", "add", "R1", "--team", "Nord", "--name", "R", "--target", "3"
        ).exit_code
        == 0
    )
    updated = run(
        "--workspace",
        ws,
        "indicator",
        "update",
        "r1",
        "--team",
        "Nord",
        "--name",
        "Plan [/] B",
        "--target-date",
        "2025-06-30",
        "--baseline",
        "2023-01..2023-12",
    )
    assert updated.exit_code == 0, updated.output
    indicator = workspace.indicator("Nord", "R1")
    assert (indicator.name_da, indicator.target.value, indicator.target.date) == (
        "Plan [/] B",
        3.0,
        "2025-06-30",
    )
    assert (indicator.baseline_start, indicator.baseline_end) == ("2023-01", "2023-12")
    cleared = run(
        "--workspace", ws, "indicator", "update", "R1", "--team", "Nord", "--no-target", "--no-baseline"
    )
    assert cleared.exit_code == 0, cleared.output
    indicator = workspace.indicator("Nord", "R1")
    assert (indicator.target, indicator.baseline_start) == (None, "")
    no_target = run(
        "--workspace", ws, "indicator", "update", "R1", "--team", "Nord", "--target-date", "2025-01-01"
    )
    assert no_target.exit_code == 2 and "--target" in no_target.output
    assert (
        run(
            "--workspace",
            ws,
            "data",
            "add",
            "--team",
            "Nord",
            "--indicator",
            "R1",
            "--period",
            "2023-01",
            "--value",
            "2",
        ).exit_code
        == 0
    )
    before = workspace_path.read_bytes()
    refused = run("--workspace", ws, "indicator", "remove", "R1", "--team", "Nord")
    assert refused.exit_code == 2 and "--with-values" in refused.output
    assert workspace_path.read_bytes() == before
    removed = run("--workspace", ws, "indicator", "remove", "R1", "--team", "Nord", "--with-values")
    assert removed.exit_code == 0, removed.output
    with pytest.raises(NotFoundError):
        workspace.indicator("Nord", "R1")
    # a new R1 starts without the old values
    assert run("--workspace", ws, "indicator", "add", "R1", "--team", "Nord", "--name", "R").exit_code == 0
    assert workspace.measurements("Nord", "R1") == []


def test_indicator_update_and_remove_help_in_danish_and_english() -> None:
    da = run("--lang", "da", "indicator", "update", "--help")
    assert da.exit_code == 0 and "Ret en indikator" in da.output and "Fjern målet." in da.output
    en = run("--lang", "en", "indicator", "update", "--help")
    assert "Change an indicator" in en.output and "Remove the target." in en.output
    da = run("--lang", "da", "indicator", "remove", "--help")
    assert "Fjern en indikator" in da.output and "--with-values" in da.output
    listing = run("--lang", "da", "indicator", "--help")
    assert "Fjern en indikator" in listing.output


@pytest.mark.parametrize("option", ["--cl", "--multiply", "--freeze", "--part", "--exclude"])
@pytest.mark.parametrize("bad", ["nan", "inf", "-inf", "1e309"])
def test_spc_number_options_refuse_impossible_numbers(tmp_path: Path, option: str, bad: str) -> None:
    csv = tmp_path / "series.csv"
    csv.write_text("x,y\n" + "".join(f"{i},{i % 4 + 1}\n" for i in range(1, 21)))
    result = run("spc", "analyze", str(csv), option, bad)
    assert result.exit_code == 2, result.output
    assert result.output.strip() == f"Error: {option} must be a finite number, got {bad!r}"


@given(st.text(max_size=40))
@settings(max_examples=300, deadline=None)
def test_a_name_is_refused_exactly_when_it_holds_something_that_cannot_be_shown(text: str) -> None:
    from pdsa_core.domain.common import require_text
    from pdsa_core.literal import unsafe_characters

    value = f"Team {text} x"
    stripped = value.strip()
    bad = bool(unsafe_characters(stripped)) or "\n" in stripped or "\t" in stripped
    if bad:
        with pytest.raises(ValidationError, match="team name"):
            require_text(value, field="team name", single_line=True)
    else:
        stored = require_text(value, field="team name", single_line=True)
        assert stored == unicodedata.normalize("NFC", stripped)
