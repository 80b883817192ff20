"""Force registrations (magtanvendelse) from a municipality's export, counted to F3 and F4."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from pdsa_core.default_plugins.municipal import municipal_importer
from pdsa_core.errors import DataImportError, ValidationError
from pdsa_core.extension_types import ImportResult, SourceResult
from pdsa_core.importing.municipal import ForceLayout, force_result, read_force_registrations

#: one row per registration; a person at two bosteder, several uses in a month,
#: registrations on the first and the last day of a month, CPR with and without the dash
EXPORT = (
    "dato;bosted;type;borger;sagsbehandler\r\n"
    "01.01.2022 00:10;Bostedet Solhøj;Fastholdelse;010190-1234;AB\r\n"
    "12.01.2022 14:35;Bostedet Solhøj;Føren til andet rum;0101901234;AB\r\n"
    "31.01.2022 23:59;Engvej 4;Fastholdelse;010190-1234;CD\r\n"
    "31.01.2022;Engvej 4;Fastholdelse;020285-2345;CD\r\n"
    "\r\n"
    "01.03.2022;Bostedet Solhøj;Tilbageholdelse i boligen;B-77;AB\r\n"
)


def export_file(tmp_path: Path, text: str = EXPORT, name: str = "magtanvendelser.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("cp1252"))
    return path


def test_persons_once_per_month_and_every_use(tmp_path) -> None:
    result = read_force_registrations(export_file(tmp_path))
    assert result.months == ["2022-01", "2022-02", "2022-03"]
    assert result.persons == {"2022-01": 2, "2022-02": 0, "2022-03": 1}
    assert result.uses == {"2022-01": 4, "2022-02": 0, "2022-03": 1}
    assert result.by_residence["Bostedet Solhøj"]["persons"]["2022-01"] == 1
    assert result.by_residence["Bostedet Solhøj"]["uses"]["2022-01"] == 2
    assert result.by_residence["Engvej 4"]["persons"]["2022-01"] == 2
    assert (result.rows_read, result.rows_counted, result.error_count) == (5, 5, 0)
    assert result.kinds_seen["fastholdelse"] == 3
    rows = {(r.indicator, r.period): r.value for r in result.measurement_rows()}
    assert rows[("F3", "2022-01")] == 2 and rows[("F4", "2022-01")] == 4 and rows[("F4", "2022-02")] == 0


def test_only_some_bosteder_kinds_and_months(tmp_path) -> None:
    path = export_file(tmp_path)
    result = read_force_registrations(
        path,
        residences="  bostedet SOLHØJ ",
        kinds=["fastholdelse", "Føren til andet rum"],
        first="2021-12",
        last="2022-02",
    )
    assert result.uses == {"2021-12": 0, "2022-01": 2, "2022-02": 0}
    assert result.persons == {"2021-12": 0, "2022-01": 1, "2022-02": 0}
    assert result.outside == {"residence": 2, "period": 1}
    assert list(result.by_residence) == ["Bostedet Solhøj"]
    with pytest.raises(ValidationError, match="before the first"):
        read_force_registrations(path, first="2022-03", last="2022-01")
    with pytest.raises(ValidationError, match="first month"):
        read_force_registrations(path, first="marts")


def test_a_count_column_and_another_municipalitys_headers(tmp_path) -> None:
    text = (
        "Tilbud,Dato for magtanvendelse,Indgreb,Sagsnr,Antal\nBo Vest,2022-05-02,Fastholdelse,S1,3\n"
        "Bo Vest,2022-05-20,Fastholdelse,S1,\nBo Vest,2022-06-01,Fastholdelse,S2,0\n"
    )
    layout = ForceLayout.from_dict(
        {
            "date": "Dato for magtanvendelse",
            "residence": "Tilbud",
            "kind": "Indgreb",
            "person": "Sagsnr",
            "count": "Antal",
        }
    )
    result = read_force_registrations(export_file(tmp_path, text, "andet.csv"), layout=layout)
    assert result.uses == {"2022-05": 4} and result.persons == {"2022-05": 1}
    assert [(e.row, e.column, e.code) for e in result.errors] == [(4, "Antal", "count_invalid")]


def test_an_excel_export_with_date_cells_and_a_cpr_that_lost_its_zero(tmp_path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Indberetninger"
    book.active.append(["Dato", "Bosted", "Type", "Borger"])
    book.active.append([dt.datetime(2022, 2, 1, 9, 30), "Engvej 4", "Fastholdelse", 101901234])
    book.active.append([dt.date(2022, 2, 28), "Engvej 4", "Fastholdelse", "010190-1234"])
    book.active.append([44620, "Engvej 4", "Fastholdelse", "020285-2345"])  # Excel serial for 2022-02-28
    path = tmp_path / "magt.xlsx"
    book.save(path)
    result = read_force_registrations(path)
    assert result.source.sheet == "Indberetninger"
    assert result.uses == {"2022-02": 3} and result.persons == {"2022-02": 2}


def test_rows_that_cannot_be_read_never_repeat_the_person(tmp_path) -> None:
    text = (
        "dato;bosted;type;borger\r\n"
        "32.01.2022;Engvej 4;Fastholdelse;010190-1234\r\n"
        "0101901234;Engvej 4;Fastholdelse;B-1\r\n"
        "02.01.2022;Engvej 4;Fastholdelse;\r\n"
        "02.01.2022;Engvej 4;Fastholdelse;010190 1234 x\r\n"
        "03.01.2022;Engvej 4;Fastholdelse;020285-2345\r\n"
    )
    result = read_force_registrations(export_file(tmp_path, text))
    assert [(e.row, e.column, e.code) for e in result.errors] == [
        (2, "dato", "date_invalid"),
        (3, "dato", "date_invalid"),
        (4, "borger", "identifier_missing"),
        (5, "borger", "identifier_invalid"),
    ]
    assert result.uses == {"2022-01": 1}
    shown = json.dumps(result.to_dict(), ensure_ascii=False)
    for secret in ("010190", "0101901234", "1234", "020285"):
        assert secret not in shown
    assert max_errors_respected(tmp_path)


def max_errors_respected(tmp_path: Path) -> bool:
    text = "dato;bosted;type;borger\r\n" + "x;Engvej 4;Fastholdelse;B-1\r\n" * 30
    result = read_force_registrations(export_file(tmp_path, text, "mange.csv"), max_errors=5)
    return len(result.errors) == 5 and result.error_count == 30


def test_a_missing_column_lists_the_headers_but_never_a_cpr_number(tmp_path) -> None:
    with pytest.raises(DataImportError, match="no column 'borger'.*'dato', 'bosted', 'type', 'person'"):
        read_force_registrations(export_file(tmp_path, "dato;bosted;type;person\r\n01.01.2022;A;B;C\r\n"))
    headerless = "01.01.2022;Engvej 4;Fastholdelse;010190-1234\r\n02.01.2022;Engvej 4;Fastholdelse;B-2\r\n"
    with pytest.raises(DataImportError) as caught:
        read_force_registrations(export_file(tmp_path, headerless, "uden.csv"))
    assert "010190" not in str(caught.value) and "no column 'dato'" in str(caught.value)
    with pytest.raises(DataImportError, match="bosted"):
        read_force_registrations(
            export_file(tmp_path, "dato;type;borger\r\n01.01.2022;A;B-1\r\n", "b.csv"), residences="Engvej 4"
        )


def test_layout_from_json_and_its_errors(tmp_path) -> None:
    path = tmp_path / "layout.json"
    path.write_text(
        json.dumps({"date": "Dato", "person": "CPR", "kind": None, "separator": ";"}), encoding="utf-8"
    )
    layout = ForceLayout.load(path)
    assert (layout.date, layout.person, layout.kind, layout.residence) == ("Dato", "CPR", None, "bosted")
    assert ForceLayout.from_dict(layout.to_dict()) == layout
    for data, message in [
        ({"farve": "x"}, "unknown keys"),
        ({"person": None}, "required"),
        ({"date": ""}, "column name"),
        ({"separator": "x"}, "separator"),
        ({"sheet": True}, "sheet"),
        ([], "JSON object"),
    ]:
        with pytest.raises(ValidationError, match=message):
            ForceLayout.from_dict(data)  # type: ignore[arg-type]
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(ValidationError, match="not valid JSON"):
        ForceLayout.load(bad)


def test_bytes_from_a_data_source_give_a_source_result(tmp_path) -> None:
    aggregate = read_force_registrations(
        EXPORT.encode("utf-8"), name="svar.csv", residences="Engvej 4, Findes ikke"
    )
    result = force_result(
        aggregate,
        persons_indicator="KT2",
        uses_indicator="KT1",
        source="kommunens system",
        retrieved_at="2022-06-01T10:00:00+00:00",
        url="https://kommune.example/api",
    )
    assert isinstance(result, SourceResult) and result.source == "kommunens system"
    assert {(m.indicator, m.period): m.value for m in result.measurements} == {
        ("KT2", "2022-01"): 2,
        ("KT1", "2022-01"): 2,
        ("KT2", "2022-02"): 0,
        ("KT1", "2022-02"): 0,
        ("KT2", "2022-03"): 0,
        ("KT1", "2022-03"): 0,
    }
    assert any("Findes ikke" in w for w in result.warnings)
    assert result.source_file == "svar.csv" and result.rows_read == 5


def test_row_errors_travel_in_the_result_details(tmp_path) -> None:
    text = EXPORT + "31.02.2022;Engvej 4;Fastholdelse;B-9\r\n"
    result = force_result(read_force_registrations(export_file(tmp_path, text)))
    assert isinstance(result, ImportResult) and not isinstance(result, SourceResult)
    assert result.rows_skipped == 1
    assert result.details["row_errors"][0]["row"] == 8


def test_the_importer_is_registered_by_a_built_in_plugin(tmp_path) -> None:
    from pdsa_core.domain import Team
    from pdsa_core.plugins import load_plugins

    plugins = load_plugins(include_entry_points=False)
    importer = plugins.importer("municipal-force")
    assert importer.plugin == "municipal" and importer.matches("magt.xlsx")
    assert plugins.owner("importers", "municipal-force") == "municipal"
    team = Team(id="syd", name="Syd")
    result = importer.run(
        export_file(tmp_path), team=team, options={"bosted": "Engvej 4", "persons_indicator": "-"}
    )
    assert {m.indicator for m in result.measurements} == {"F4"}
    layout = tmp_path / "layout.json"
    layout.write_text(
        json.dumps({"date": "Dato", "residence": "Tilbud", "person": "Sagsnr", "kind": None}),
        encoding="utf-8",
    )
    other = tmp_path / "andet.csv"
    other.write_text("Tilbud;Dato;Sagsnr\nBo Vest;2022-05-02;S1\n", encoding="utf-8")
    result = importer.run(other, team=team, options={"layout": str(layout), "last_month": "2022-06"})
    assert {(m.indicator, m.period): m.value for m in result.measurements} == {
        ("F3", "2022-05"): 1,
        ("F4", "2022-05"): 1,
        ("F3", "2022-06"): 0,
        ("F4", "2022-06"): 0,
    }
    assert municipal_importer().id == "municipal-force"
