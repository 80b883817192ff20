"""The NordEPJ splice: two extracts, one switch date, monthly R1-F2 and an annotation."""

from __future__ import annotations

from pathlib import Path

import pdsa_region_nordjylland
import pytest

from pdsa_core import DataImportError, Team, ValidationError, apply_result

OLD_HEADER = "CPR-nr;Dato;Tvangsform;Afsnit;Alder;Kommune;Ambulant forløb;Retspsykiatri"
OLD_ROWS = [
    "010190-1234;03-11-2021 10:15;Tvangsindlæggelse (gule papirer);S5;32;Aalborg;J;N",
    "010190-1234;03-11-2021 11:40;Bæltefiksering;S5;32;Aalborg;J;N",
    "020275-2345;14-01-2022 08:00;Tvangsindlæggelse (røde papirer);S5;46;Aalborg;J;N",
    "030380-3456;15-01-2022 09:00;Tvangsindlæggelse (gule papirer);S5;41;Hjørring;J;N",
    "040485-4567;16-01-2022 09:30;Tvangsindlæggelse (gule papirer);S5;36;Aalborg;J;J",
    "050505-5678;20-02-2022 12:00;Fastholdelse;S5;16;Aalborg;J;N",
    "010190-1234;10-03-2022 07:00;Tvangsindlæggelse (gule papirer);S5;32;Aalborg;J;N",
    "060690-6789;24-03-2022 23:59;Fastholdelse;S5;31;Aalborg;J;N",
]
NEW_HEADER = (
    "Personnummer,Starttidspunkt,Tvangstype,Afsnit,Alder,Bopælskommune,Aktivt ambulant forløb,Retspsykiatrisk"
)
NEW_ROWS = [
    "0101901234,2022-03-25T00:01:00,Tvangsindlæggelse,Sengeafsnit S5,32,Aalborg Kommune,Ja,Nej",
    "0707917890,2022-04-02T14:20:00,Tvangsindlæggelse,Sengeafsnit S5,30,Aalborg Kommune,Ja,Nej",
    "0707917890,2022-06-30T22:00:00,Bæltefiksering,Sengeafsnit S5,30,Aalborg Kommune,Ja,Nej",
]
IDENTIFIERS = ("010190", "0101901234", "020275", "030380", "040485", "050505", "060690", "0707917890")


def write(path: Path, header: str, rows: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("\n".join([header, *rows]) + "\n").encode(encoding))
    return path


@pytest.fixture()
def pdsa_plugin():
    """The plugin under test, for the fixtures of pdsa_core.testing (pdsa_plugins, run_pdsa)."""
    return ("pdsa-region-nordjylland", pdsa_region_nordjylland)


@pytest.fixture()
def extracts(tmp_path: Path) -> tuple[Path, Path]:
    old = write(tmp_path / "gammelt_epj.csv", OLD_HEADER, OLD_ROWS, encoding="cp1252")
    new = write(tmp_path / "nordepj.csv", NEW_HEADER, NEW_ROWS)
    return old, new


ADULTS = Team(id="aalborg-voksen", name="Aalborg voksen", region="nordjylland", track="voksenspor")


def run(pdsa_plugins, old: Path, new: Path, team: Team = ADULTS, **options: str):
    importer = pdsa_plugins.importer("nordjylland-nordepj-splice")
    return importer.run(
        old, team=team, options={"nordepj_file": str(new), "first_month": "2021-11", **options}
    )


def values(result, code: str) -> dict[str, float]:
    return {m.period: m.value for m in result.measurements if m.indicator == code}


def test_registers_populations_and_the_importer(pdsa_plugins) -> None:
    assert pdsa_plugins.errors == []
    assert pdsa_plugins.info["pdsa-region-nordjylland"].to_dict()["registered"] == {
        "importers": ["nordjylland-nordepj-splice"],
        "populations": ["nordjylland-boern-unge", "nordjylland-voksen"],
    }
    adults = pdsa_plugins.population("nordjylland-voksen")
    assert (adults.min_age, adults.max_age, adults.municipalities) == (18, None, ["Aalborg Kommune"])
    assert adults.require_outpatient_course and adults.exclude_forensic
    assert "S5" in adults.wards
    children = pdsa_plugins.population("nordjylland-boern-unge")
    assert (children.min_age, children.max_age) == (12, 17)
    assert "Aalborg" in pdsa_plugins.population_description("nordjylland-boern-unge")


def test_splices_the_series_at_the_switch_date(pdsa_plugins, extracts) -> None:
    result = run(pdsa_plugins, *extracts)
    months = ["2021-11", "2021-12", "2022-01", "2022-02", "2022-03", "2022-04", "2022-05", "2022-06"]
    assert values(result, "R1") == dict(zip(months, [1, 0, 1, 0, 2, 1, 0, 0], strict=True))
    assert values(result, "R2") == dict(zip(months, [1, 0, 1, 0, 2, 1, 0, 0], strict=True))
    assert values(result, "F1") == dict(zip(months, [1, 0, 1, 0, 3, 1, 0, 1], strict=True))
    assert values(result, "F2") == dict(zip(months, [2, 0, 1, 0, 3, 1, 0, 1], strict=True))
    assert result.source == "nordjylland-nordepj-splice"
    assert result.source_file == "gammelt_epj.csv + nordepj.csv"


def test_the_switch_month_says_where_its_value_comes_from(pdsa_plugins, extracts) -> None:
    result = run(pdsa_plugins, *extracts)
    notes = {m.indicator: m.note for m in result.measurements if m.period == "2022-03"}
    assert notes["R2"] == "2022-03: 1 from the old system + 1 from NordEPJ"
    assert "counts twice (at least 1)" in notes["R1"]
    assert all(not m.note for m in result.measurements if m.period != "2022-03")
    assert any("R1 and F1 add the persons of both systems" in w for w in result.warnings)


def test_annotation_on_the_switch_date(pdsa_plugins, extracts) -> None:
    (note,) = run(pdsa_plugins, *extracts).annotations
    assert (note.date, note.kind, note.phase_split) == ("2022-03-25", "it system change", True)
    assert note.indicators == ("R1", "R2", "F1", "F2")
    assert "NordEPJ" in note.text
    (plain,) = run(pdsa_plugins, *extracts, phase_split="no").annotations
    assert not plain.phase_split


def test_rows_outside_the_population_are_reported(pdsa_plugins, extracts) -> None:
    result = run(pdsa_plugins, *extracts)
    text = " | ".join(result.warnings)
    assert "rows outside the population (other municipality of residence)" in text
    assert "(forensic patient)" in text
    assert "(age outside the age band (or unknown))" in text
    assert result.details["population"] == "nordjylland-voksen"
    assert result.details["systems"]["nordepj"]["rows_read"] == 3


def test_no_identifier_leaves_the_importer(pdsa_plugins, extracts) -> None:
    text = repr(run(pdsa_plugins, *extracts))
    for identifier in IDENTIFIERS:
        assert identifier not in text


def test_stored_once_even_when_imported_twice(pdsa_plugins, extracts, workspace) -> None:
    team = workspace.add_team("Aalborg voksen", region="nordjylland")
    for code in ("R1", "R2", "F1", "F2"):
        workspace.add_indicator(team.id, code, f"{code} test")
    result = run(pdsa_plugins, *extracts, last_month="2022-06")
    written, added = apply_result(workspace, team.id, result)
    assert (written.added, len(added)) == (32, 1)
    assert workspace.annotations(team.id)[0].kind.value == "it system change"
    again, added_again = apply_result(workspace, team.id, result)
    assert (again.unchanged, added_again) == (32, [])
    assert len(workspace.annotations(team.id)) == 1
    stored = workspace.measurements(team.id, "F2")[4]
    assert (stored.period, stored.value, stored.source) == ("2022-03", 3, "nordjylland-nordepj-splice")


def test_only_the_teams_indicators(pdsa_plugins, extracts, workspace) -> None:
    from pdsa_core.domain import Indicator

    indicators = (Indicator(team_id=ADULTS.id, code="R2", name_da="R2"),)
    importer = pdsa_plugins.importer("nordjylland-nordepj-splice")
    result = importer.run(
        extracts[0], team=ADULTS, options={"nordepj_file": str(extracts[1])}, indicators=indicators
    )
    assert {m.indicator for m in result.measurements} == {"R2"}
    assert result.annotations[0].indicators == ("R2",)
    assert values(result, "R2")["2018-01"] == 0  # the default first month is the LKT baseline's


def test_an_old_extract_running_past_the_switch_is_refused(pdsa_plugins, extracts, tmp_path) -> None:
    old = write(
        tmp_path / "old.csv", OLD_HEADER, [*OLD_ROWS, "010190-1234;26-03-2022;Fastholdelse;S5;32;Aalborg;J;N"]
    )
    with pytest.raises(DataImportError, match="1 events in 2022-03 on or after the switch date 2022-03-25"):
        run(pdsa_plugins, old, extracts[1])


def test_a_nordepj_extract_starting_before_the_switch_is_refused(pdsa_plugins, extracts, tmp_path) -> None:
    row = "0101901234,2022-03-20T10:00:00,Fastholdelse,Sengeafsnit S5,32,Aalborg Kommune,Ja,Nej"
    new = write(tmp_path / "new.csv", NEW_HEADER, [row, *NEW_ROWS])
    with pytest.raises(DataImportError, match="1 events in 2022-03 before the switch date"):
        run(pdsa_plugins, extracts[0], new)


def test_column_names_are_options(pdsa_plugins, extracts, tmp_path) -> None:
    header = NEW_HEADER.replace("Personnummer", "CPR").replace("Starttidspunkt", "Tidspunkt")
    new = write(tmp_path / "new.csv", header, NEW_ROWS)
    result = run(pdsa_plugins, extracts[0], new, nordepj_columns="identifier=CPR, timestamp=Tidspunkt")
    assert values(result, "R2")["2022-04"] == 1
    with pytest.raises(DataImportError, match="Personnummer"):
        run(pdsa_plugins, extracts[0], new)
    with pytest.raises(ValidationError, match="roles: identifier, timestamp"):
        run(pdsa_plugins, extracts[0], new, nordepj_columns="person=CPR")


def test_unreadable_rows_refuse_the_import_unless_skipped(pdsa_plugins, extracts, tmp_path) -> None:
    old = write(
        tmp_path / "old.csv",
        OLD_HEADER,
        [*OLD_ROWS[:2], "010190-1234;31-02-2022;Fastholdelse;S5;32;Aalborg;J;N"],
    )
    with pytest.raises(DataImportError, match=r"1 rows cannot be read: old.csv: row 4"):
        run(pdsa_plugins, old, extracts[1])
    result = run(pdsa_plugins, old, extracts[1], skip_errors="yes")
    assert any(w.startswith("skipped old.csv: row 4") for w in result.warnings)


def test_childrens_team_uses_the_childrens_population(pdsa_plugins, extracts) -> None:
    team = Team(id="aalborg-bu", name="Aalborg BU", region="nordjylland", track="børne- og ungespor")
    result = run(pdsa_plugins, *extracts, team=team)
    assert result.details["population"] == "nordjylland-boern-unge"
    assert values(result, "F2")["2022-02"] == 1  # the 16-year-old
    assert values(result, "R2")["2022-01"] == 0  # adults are outside


def test_unknown_population_and_bad_dates(pdsa_plugins, extracts) -> None:
    with pytest.raises(ValidationError, match="no population 'nordjylland-x'"):
        run(pdsa_plugins, *extracts, population="nordjylland-x")
    with pytest.raises(ValidationError, match="switch_date must be a date"):
        run(pdsa_plugins, *extracts, switch_date="25.03.2022")
    with pytest.raises(ValidationError, match="needs the option nordepj_file"):
        pdsa_plugins.importer("nordjylland-nordepj-splice").run(extracts[0], team=ADULTS)
