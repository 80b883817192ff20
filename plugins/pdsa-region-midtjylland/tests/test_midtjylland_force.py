"""The municipal data source: force registrations counted per month, persons never kept."""

from __future__ import annotations

from pathlib import Path

import pdsa_region_midtjylland
import pytest

from pdsa_core import DataImportError, apply_result

EXPORT = """\
Dato;Bosted;Magtanvendelsestype;Borger-ID;Indberetnings-ID
12-01-2022 14:35;Bostedet Solvang;Fastholdelse;B-1042;2022-0013
12-01-2022 21:10;Bostedet Solvang;Føren til andet rum;B-1042;2022-0014
28-01-2022;Engvej 4;Fastholdelse;B-2210;2022-0015
31-01-2022 23:59;Bostedet Solvang;Fastholdelse;B-3001;2022-0016

01-03-2022 00:05;Engvej 4;Tilbageholdelse i boligen;B-2210;2022-0040
15.03.2022;Bostedet Åbo;Fastholdelse;B-4000;2022-0041
"""


@pytest.fixture()
def pdsa_plugin():
    """The plugin under test, for the fixtures of pdsa_core.testing (pdsa_plugins, run_pdsa)."""
    return ("pdsa-region-midtjylland", pdsa_region_midtjylland)


@pytest.fixture()
def export(tmp_path: Path) -> Path:
    path = tmp_path / "magtanvendelser.csv"
    path.write_bytes(EXPORT.encode("cp1252"))  # Danish Excel's plain CSV
    return path


def _values(result, code):
    return {m.period: m.value for m in result.measurements if m.indicator == code}


def test_registers_the_set_and_the_source(pdsa_plugins) -> None:
    assert pdsa_plugins.errors == []
    info = pdsa_plugins.info["pdsa-region-midtjylland"]
    assert info.registered == {
        "indicator_sets": ["midtjylland-viborg-kommunal-tvang"],
        "data_sources": ["midtjylland-magtanvendelse"],
    }
    codes = [d.code for d in pdsa_plugins.indicator_set("midtjylland-viborg-kommunal-tvang").indicators]
    assert codes == ["KT1", "KT2"]
    assert pdsa_plugins.data_source("midtjylland-magtanvendelse").plugin == "pdsa-region-midtjylland"


def test_counts_events_and_unique_persons_per_month(pdsa_plugins, export) -> None:
    result = pdsa_plugins.data_source("midtjylland-magtanvendelse").run(file=str(export))
    assert _values(result, "KT1") == {"2022-01": 4, "2022-02": 0, "2022-03": 2}
    assert _values(result, "KT2") == {"2022-01": 3, "2022-02": 0, "2022-03": 2}
    assert result.rows_read == 6
    solvang = result.details["by_residence"]["Bostedet Solvang"]
    assert solvang["uses"] == {"2022-01": 3, "2022-02": 0, "2022-03": 0}
    assert solvang["persons"]["2022-01"] == 2
    assert result.details["kinds_seen"]["fastholdelse"] == 4
    assert result.source == "midtjylland-magtanvendelse" and result.retrieved_at


def test_restricted_to_bosteder_kinds_and_months(pdsa_plugins, export) -> None:
    source = pdsa_plugins.data_source("midtjylland-magtanvendelse")
    result = source.run(
        file=str(export),
        bosteder="bostedet solvang, Engvej 4",
        types="Fastholdelse",
        from_month="2021-12",
        to_month="2022-04",
    )
    assert _values(result, "KT1") == {"2021-12": 0, "2022-01": 3, "2022-02": 0, "2022-03": 0, "2022-04": 0}
    assert _values(result, "KT2")["2022-01"] == 3
    assert result.details["outside"] == {"residence": 1, "kind": 2}


def test_the_person_pseudonym_is_never_kept(pdsa_plugins, export) -> None:
    result = pdsa_plugins.data_source("midtjylland-magtanvendelse").run(file=str(export))
    text = repr(result)
    for pseudonym in ("B-1042", "B-2210", "B-3001", "B-4000"):
        assert pseudonym not in text


def test_another_municipalitys_headers_and_the_national_codes(pdsa_plugins, tmp_path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "Tilbud,Dato for magtanvendelse,Type,Sagsnr\n"
        "Bo Vest,2022-05-02,Fastholdelse,S1\nBo Vest,2022-05-20,Fastholdelse,S1\n",
        encoding="utf-8",
    )
    result = pdsa_plugins.data_source("midtjylland-magtanvendelse").run(
        file=str(path),
        date_column="Dato for magtanvendelse",
        place_column="Tilbud",
        type_column="Type",
        person_column="Sagsnr",
        events_indicator="F4",
        persons_indicator="F3",
        to_month="2022-06",
    )
    assert _values(result, "F4") == {"2022-05": 2, "2022-06": 0}
    assert _values(result, "F3") == {"2022-05": 1, "2022-06": 0}


def test_a_missing_column_names_the_parameter(pdsa_plugins, export) -> None:
    with pytest.raises(DataImportError, match=r"no column 'Borger-nr' \(person\)"):
        pdsa_plugins.data_source("midtjylland-magtanvendelse").run(
            file=str(export), person_column="Borger-nr"
        )


def test_unreadable_rows_are_named_without_the_person(pdsa_plugins, tmp_path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "Dato;Bosted;Magtanvendelsestype;Borger-ID\n"
        "2022-13-01;Engvej 4;Fastholdelse;B-77\n"
        "0101801234;Engvej 4;Fastholdelse;B-78\n"
        "02-01-2022;Engvej 4;Fastholdelse;\n"
        "03-01-2022;Engvej 4;Fastholdelse;B-79\n",
        encoding="utf-8",
    )
    result = pdsa_plugins.data_source("midtjylland-magtanvendelse").run(file=str(path))
    errors = result.details["row_errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(2, "Dato"), (3, "Dato"), (4, "Borger-ID")]
    assert result.rows_skipped == 3
    assert _values(result, "KT1") == {"2022-01": 1}
    assert "B-7" not in repr(result) and "0101801234" not in repr(result)


def test_a_required_parameter_is_checked_before_reading(pdsa_plugins) -> None:
    from pdsa_core import ValidationError

    with pytest.raises(ValidationError, match="needs the option file"):
        pdsa_plugins.data_source("midtjylland-magtanvendelse").run()


def test_stored_for_the_viborg_team(pdsa_plugins, export, workspace) -> None:
    team = workspace.add_team(
        "Viborg voksen",
        region="midtjylland",
        indicator_set=pdsa_plugins.indicator_set("midtjylland-viborg-kommunal-tvang"),
    )
    result = pdsa_plugins.data_source("midtjylland-magtanvendelse").run(file=str(export), to_month="2022-04")
    written, notes = apply_result(workspace, team.id, result)
    assert (written.added, written.changed, notes) == (8, 0, [])
    stored = {m.period: m.value for m in workspace.measurements(team.id, "KT2")}
    assert stored == {"2022-01": 3, "2022-02": 0, "2022-03": 2, "2022-04": 0}
    assert workspace.measurements(team.id, "KT1")[0].source == "midtjylland-magtanvendelse"
    again, _ = apply_result(workspace, team.id, result)
    assert again.unchanged == 8
