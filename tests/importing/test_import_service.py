"""The import service (pdsa_core.importing.service): read -> preview -> commit, on real-looking files."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from pdsa_core.errors import DataImportError, NotFoundError, ValidationError
from pdsa_core.extension_types import AnnotationInput, ImportResult
from pdsa_core.importing import service as imports
from pdsa_core.importing.events import Population
from pdsa_core.importing.mapping import ColumnMapping
from pdsa_core.services.indicators import MeasurementInput

TEAM = "Psykiatrien Syd"

#: Danish Excel's plain "CSV (semikolonsepareret)": Windows-1252, æøå in the headers,
#: decimal comma, month labels as teams write them, a comment column that is not imported
DANISH_CSV = (
    "Måned;R1 Personer tvangsindlagt;R2 Tvangsindlæggelser;V1 Udskrivningsaftale tæller;"
    "V1 Udskrivningsaftale nævner;Bemærkning\r\n"
    "jan-22;5;7;3;10;Ny overlæge på afsnittet\r\n"
    "februar 2022;4;6;2;9;\r\n"
    "03-2022;6;9;4;11;Øget belægning\r\n"
)


@pytest.fixture()
def ws(workspace):
    workspace.add_team(TEAM)
    for code in ("R1", "R2", "F1", "F2", "F3", "F4"):
        workspace.add_indicator(TEAM, code, f"Indikator {code}", unit="count")
    workspace.add_indicator(TEAM, "V1", "Andel med UA/KP", unit="proportion", direction="up")
    return workspace


def write(path: Path, text: str, encoding: str = "cp1252") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def stored(ws, code: str) -> dict[str, float]:
    return {m.period: m.value for m in ws.measurements(TEAM, code)}


# -- measurement tables ---------------------------------------------------------------------------------
def test_danish_windows_1252_csv_is_guessed_previewed_and_stored_with_its_source(ws, tmp_path) -> None:
    path = write(tmp_path / "tvang_2022.csv", DANISH_CSV)
    plan = imports.read_file(ws, TEAM, path)
    assert plan.mapping_origin == "guessed" and plan.problems == []
    info = plan.table_info()
    assert (info["encoding"], info["separator"], info["decimal"]) == ("cp1252", ";", ",")
    assert dict(plan.mapping_lines())["Måned"] == "period"
    assert dict(plan.mapping_lines())["V1 Udskrivningsaftale nævner"] == "V1:denominator"
    assert plan.unmapped == ["Bemærkning"]
    assert plan.errors == [] and plan.can_commit

    preview = imports.preview(ws, plan)
    assert preview.counts() == {"added": 9, "changed": 0, "unchanged": 0, "missing": 0}
    v1 = next(r for r in preview.added if r.indicator == "V1" and r.period == "2022-01")
    assert (v1.numerator, v1.denominator) == (3, 10)

    done = imports.commit(ws, plan)
    assert (done.added, done.changed, done.unchanged) == (9, 0, 0)
    assert stored(ws, "R1") == {"2022-01": 5, "2022-02": 4, "2022-03": 6}
    january = ws.measurements(TEAM, "V1")[0]
    assert (january.numerator, january.denominator, january.value) == (3, 10, 0.3)
    for m in ws.measurements(TEAM, "R2"):
        assert (m.source, m.source_file, m.source_sheet) == ("import", "tvang_2022.csv", "")
        assert m.entered_at == "2022-06-01T10:00:00+00:00"  # the import time (the test clock)


def test_reimport_of_a_month_replaces_it_and_keeps_the_old_value_as_a_revision(ws, tmp_path) -> None:
    imports.commit(ws, imports.read_file(ws, TEAM, write(tmp_path / "tvang_jan-mar.csv", DANISH_CSV)))
    corrected = DANISH_CSV.replace("03-2022;6;9;4;11", "03-2022;7;9;4;11") + "april 2022;3;3;5;12;\r\n"
    plan = imports.read_file(ws, TEAM, write(tmp_path / "tvang_rettet.csv", corrected))
    preview = imports.preview(ws, plan)
    assert [(c.indicator, c.period, c.old[0], c.new.value) for c in preview.changed] == [
        ("R1", "2022-03", 6.0, 7.0)
    ]
    assert len(preview.added) == 3 and len(preview.unchanged) == 8
    done = imports.commit(ws, plan)
    assert (done.added, done.changed, done.unchanged) == (3, 1, 8)
    march = next(m for m in ws.measurements(TEAM, "R1") if m.period == "2022-03")
    assert march.value == 7 and march.source_file == "tvang_rettet.csv"
    assert [(r.value, r.source) for r in march.revisions] == [(6.0, "tvang_jan-mar.csv")]


def test_row_errors_refuse_the_import_until_skipped_and_nothing_is_written(
    ws, tmp_path, workspace_path
) -> None:
    text = DANISH_CSV.replace("februar 2022;4;6", "februar 2022;4;seks").replace(
        "03-2022;6;9;4;11", "03-2022;6;9;12;11"
    )
    plan = imports.read_file(ws, TEAM, write(tmp_path / "fejl.csv", text))
    assert [(e.row, e.column, e.code) for e in plan.errors] == [
        (3, "R2 Tvangsindlæggelser", "not_a_number"),
        (4, "V1 Udskrivningsaftale tæller", "numerator_gt_denominator"),
    ]
    assert "seks" in plan.errors[0].reason_en and "række 3" in plan.errors[0].message("da")
    before = workspace_path.read_bytes()
    with pytest.raises(DataImportError, match=r"2 rows cannot be read.*row 3, column R2"):
        imports.commit(ws, plan)
    assert workspace_path.read_bytes() == before
    done = imports.commit(ws, plan, skip_errors=True)
    assert done.skipped_count == 2 and [e.row for e in done.skipped] == [3, 4]
    assert stored(ws, "R2") == {"2022-01": 7, "2022-03": 9}
    assert set(stored(ws, "V1")) == {"2022-01", "2022-02"}


def test_a_value_that_does_not_fit_the_indicator_is_a_row_error(ws, tmp_path) -> None:
    text = "Måned;R1;V1\r\njan-22;2,5;0,4\r\n"
    plan = imports.read_file(ws, TEAM, write(tmp_path / "enheder.csv", text))
    codes = {(e.row, e.column, e.code) for e in plan.errors}
    assert codes == {(2, "R1", "count_not_whole"), (2, "V1", "unit_needs_fraction")}
    assert "helt tal" in plan.errors[0].reason_da or "helt tal" in plan.errors[1].reason_da


def test_mapping_changes_adjust_the_guess(ws, tmp_path) -> None:
    text = "Periode;Antal personer;Antal indlæggelser;Med plan;Udskrevne\r\n2022-01;5;7;3;10\r\n"
    path = write(tmp_path / "egne_navne.csv", text)
    plan = imports.read_file(ws, TEAM, path)
    assert plan.mapping is None and plan.problems and not plan.can_commit
    with pytest.raises(DataImportError, match="no usable column mapping"):
        imports.commit(ws, plan)
    changes = [
        imports.MappingChange.parse(c)
        for c in ("Antal personer=R1", "Antal indlæggelser=R2", "Med plan=V1:tæller", "Udskrevne=V1:nævner")
    ]
    plan = imports.remap(ws, plan, changes=changes)
    assert plan.problems == [] and plan.changes == [str(c) for c in changes]
    assert {(r.indicator, r.value) for r in plan.rows} == {("R1", 5), ("R2", 7), ("V1", 0.3)}
    moved = imports.remap(ws, plan, changes=[imports.MappingChange.parse("Antal personer=-")])
    assert {r.indicator for r in moved.rows} == {"R2", "V1"}
    with pytest.raises(NotFoundError, match="no indicator 'X9'"):
        imports.remap(ws, plan, changes=[imports.MappingChange.parse("Antal personer=X9")])
    with pytest.raises(DataImportError, match="no column 'Antal borgere'"):
        imports.remap(ws, plan, changes=[imports.MappingChange.parse("Antal borgere=R1")])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Antal=R1", ("Antal", "code", "R1", "value")),
        ("Med plan=V1:tæller", ("Med plan", "code", "V1", "numerator")),
        ("Udskrevne=v1:denominator", ("Udskrevne", "code", "v1", "denominator")),
        ("Måned=period", ("Måned", "period", None, "value")),
        ("Kode=indikator", ("Kode", "indicator", None, "value")),
        ("Kommentar=-", ("Kommentar", "ignore", None, "value")),
        ("a=b=R2", ("a=b", "code", "R2", "value")),
    ],
)
def test_mapping_change_syntax(text, expected) -> None:
    change = imports.MappingChange.parse(text)
    assert (change.column, change.role, change.code, change.part) == expected


@pytest.mark.parametrize("text", ["Antal", "Antal=", "=R1", "Antal=V1:halvdelen", "Antal=12 3"])
def test_mapping_change_syntax_errors_say_how_to_write_it(text) -> None:
    with pytest.raises(ValidationError):
        imports.MappingChange.parse(text)


def test_a_long_table_with_indicator_and_value_columns(ws, tmp_path) -> None:
    text = (
        "Periode;Indikator;Værdi;Tæller;Nævner\r\n"
        "2022-01;R1 Personer tvangsindlagt;5;;\r\n2022-01;V1;;3;10\r\n2022-02;R1;4;;\r\n"
    )
    plan = imports.read_file(ws, TEAM, write(tmp_path / "lang.csv", text))
    assert plan.mapping is not None and plan.mapping.layout == "long"
    assert plan.errors == []
    assert sorted((r.indicator, r.period, r.value) for r in plan.rows) == [
        ("R1", "2022-01", 5),
        ("R1", "2022-02", 4),
        ("V1", "2022-01", 0.3),
    ]


def test_saved_mapping_is_used_next_month_and_fits_automatically(ws, tmp_path) -> None:
    text = "Periode;Antal personer\r\n2022-01;5\r\n"
    plan = imports.read_file(
        ws,
        TEAM,
        write(tmp_path / "jan.csv", text),
        changes=[imports.MappingChange.parse("Antal personer=R1")],
    )
    done = imports.commit(ws, plan, save_mapping_as="månedlig")
    assert done.mapping_saved == "månedlig"
    assert ColumnMapping.from_dict(imports.saved_mappings(ws, TEAM)["månedlig"]).used_columns() == [
        "Periode",
        "Antal personer",
    ]
    february = write(tmp_path / "feb.csv", "periode;ANTAL PERSONER\r\n2022-02;4\r\n")
    by_name = imports.read_file(ws, TEAM, february, mapping="månedlig")
    assert by_name.mapping_origin == "saved" and [r.value for r in by_name.rows] == [4]
    fitted = imports.read_file(ws, TEAM, february)
    assert fitted.mapping_origin == "saved" and fitted.mapping_name == "månedlig"
    assert any("månedlig" in w for w in fitted.warnings)
    with pytest.raises(NotFoundError, match="no saved mapping 'andet'.*månedlig"):
        imports.read_file(ws, TEAM, february, mapping="andet")
    imports.remove_mapping(ws, TEAM, "månedlig")
    assert imports.saved_mappings(ws, TEAM) == {}


def test_a_mapping_with_a_cpr_number_is_never_saved(ws, tmp_path) -> None:
    text = "Periode;010190-1234\r\n2022-01;5\r\n"
    plan = imports.read_file(
        ws, TEAM, write(tmp_path / "x.csv", text), changes=[imports.MappingChange.parse("010190-1234=R1")]
    )
    assert "010190-1234" not in json.dumps(plan.to_dict())
    with pytest.raises(ValidationError, match="CPR"):
        imports.save_mapping(ws, TEAM, "x", plan.mapping)


def _workbook(path: Path) -> Path:
    """Two sheets; the second has a two-row header with merged cells and Danish months."""
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    first.title = "Forside"
    first.append(["Tvangsdata for Psykiatrien Syd"])
    first.append(["Udarbejdet af datakonsulenten"])
    data = book.create_sheet("Data 2022")
    data.append(["Måned", "R1", "R2", "V1", None])
    data.append([None, "Personer", "Indlæggelser", "tæller", "nævner"])
    data.merge_cells("A1:A2")
    data.merge_cells("D1:E1")
    for label, r1, r2, num, den in [
        ("januar 2022", 5, 7, 3, 10),
        ("februar 2022", 4, 6, 2, 9),
        (dt.datetime(2022, 3, 1), 6, 9, 4, 11),
    ]:
        data.append([label, r1, r2, num, den])
    book.save(path)
    return path


def test_an_xlsx_with_two_sheets_and_merged_header_cells(ws, tmp_path) -> None:
    path = _workbook(tmp_path / "tvang.xlsx")
    assert imports.list_sheets(path) == ["Forside", "Data 2022"]
    plan = imports.read_file(ws, TEAM, path, sheet="Data 2022")
    assert plan.problems == [] and plan.errors == []
    assert dict(plan.mapping_lines()) == {
        "Måned": "period",
        "R1 Personer": "R1",
        "R2 Indlæggelser": "R2",
        "V1 tæller": "V1:numerator",
        "V1 nævner": "V1:denominator",
    }
    imports.commit(ws, plan, save_mapping_as="regneark")
    assert stored(ws, "R2") == {"2022-01": 7, "2022-02": 6, "2022-03": 9}
    m = ws.measurements(TEAM, "V1")[0]
    assert (m.source_file, m.source_sheet) == ("tvang.xlsx", "Data 2022")
    assert imports.saved_mappings(ws, TEAM)["regneark"]["sheet"] == "Data 2022"
    again = imports.read_file(ws, TEAM, path, mapping="regneark")
    assert again.source_sheet == "Data 2022" and len(imports.preview(ws, again).unchanged) == 9
    cover = imports.read_file(ws, TEAM, path)  # the first sheet: nothing to read
    assert cover.mapping is None and cover.problems


def test_a_missing_or_unreadable_file_is_a_clear_error(ws, tmp_path) -> None:
    with pytest.raises(DataImportError, match="no such file"):
        imports.read_file(ws, TEAM, tmp_path / "findes_ikke.csv")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(DataImportError, match="not a readable .xlsx"):
        imports.read_file(ws, TEAM, broken)


def test_the_generic_importer_path_reads_tables_the_same_way(ws, tmp_path) -> None:
    path = write(tmp_path / "tvang.csv", DANISH_CSV.replace("februar 2022;4;6", "februar 2022;4;x"))
    plan = imports.read_file(ws, TEAM, path)
    indicators = ws.indicators(TEAM)
    with pytest.raises(DataImportError, match=r"row 3, column R2"):
        imports.table_import_result(path, indicators=indicators)
    result = imports.table_import_result(
        path, indicators=indicators, skip_errors=True, source="measurement-table"
    )
    assert [imports.input_to_row(m) for m in result.measurements] == [
        dataclasses.replace(r, source_row=None) for r in plan.rows
    ]
    assert (result.source, result.rows_read, result.rows_skipped) == ("measurement-table", 3, 1)
    assert result.details["row_errors"][0]["row"] == 3
    unit_error = write(tmp_path / "enhed.csv", "Måned;V1\r\njan-22;0,4\r\n")
    with pytest.raises(DataImportError, match="V1 is a proportion"):
        imports.table_import_result(unit_error, indicators=indicators)
    mapping = imports.read_file(ws, TEAM, path).mapping
    plain = imports.table_import_result(path, mapping=mapping.to_dict(), skip_errors=True)
    assert len(plain.measurements) == len(result.measurements)


# -- results of importers and sources: measurements and annotations together ------------------------------
def test_values_and_annotations_are_written_in_one_transaction(ws) -> None:
    result = ImportResult(
        measurements=(MeasurementInput("R1", "2022-03", value=4), MeasurementInput("R1", "2022-04", value=2)),
        annotations=(
            AnnotationInput(
                date="2022-03-25",
                text="Ny EPJ (NordEPJ)",
                kind="it system change",
                indicators=("R1",),
                phase_split=True,
            ),
        ),
        source="nordepj",
        source_file="udtraek.csv",
    )
    plan = imports.plan_from_result(ws, TEAM, result, kind="importer")
    revision = ws.revision
    done = imports.commit(ws, plan)
    assert ws.revision == revision + 1  # one transaction
    assert done.added == 2 and [a.text for a in done.annotations] == ["Ny EPJ (NordEPJ)"]
    again = imports.commit(ws, imports.plan_from_result(ws, TEAM, result, kind="importer"))
    assert (again.unchanged, again.annotations) == (2, ())
    assert len(ws.annotations(TEAM)) == 1


def test_a_failing_value_writes_neither_values_nor_annotations(ws, workspace_path) -> None:
    result = ImportResult(
        measurements=(MeasurementInput("R1", "2022-03", value=4),),
        annotations=(AnnotationInput(date="2022-03-25", text="Skift", indicators=("R9",)),),
    )
    plan = imports.plan_from_result(ws, TEAM, result)
    before = workspace_path.read_bytes()
    with pytest.raises(NotFoundError, match="R9"):
        imports.commit(ws, plan)
    assert workspace_path.read_bytes() == before and ws.measurements(TEAM, "R1") == []


def test_a_result_for_an_indicator_the_team_lacks_says_how_to_add_it(ws) -> None:
    result = ImportResult(measurements=(MeasurementInput("BEF", "2022-01", value=1000),))
    with pytest.raises(NotFoundError, match="BEF.*pdsa indicator add BEF"):
        imports.plan_from_result(ws, TEAM, result)


def test_row_errors_reported_by_an_importer_refuse_the_import(ws) -> None:
    result = ImportResult(
        measurements=(MeasurementInput("F4", "2022-01", value=3),),
        rows_read=3,
        rows_skipped=1,
        details={
            "row_errors": [
                {
                    "row": 3,
                    "column": "dato",
                    "code": "date_invalid",
                    "reason_da": "ugyldig dato",
                    "reason_en": "not a valid date",
                }
            ]
        },
    )
    plan = imports.plan_from_result(ws, TEAM, result, kind="importer")
    assert plan.error_count == 1 and plan.errors[0].row == 3 and "row_errors" not in plan.details
    with pytest.raises(DataImportError, match="row 3, column dato"):
        imports.commit(ws, plan)
    assert imports.commit(ws, plan, skip_errors=True).added == 1


# -- event extracts -----------------------------------------------------------------------------------------
EXTRACT_HEADER = "cpr;tidspunkt;tvangstype;afsnit;alder;bopælskommune;ambulant_forløb;retspsykiatrisk"


def write_extract(path: Path, rows: list[str]) -> Path:
    path.write_bytes(("\r\n".join([EXTRACT_HEADER, *rows]) + "\r\n").encode("utf-8-sig"))
    return path


EXTRACT = [
    # one person, many events in March, the first on the 1st just after midnight, one on the 31st
    "010190-1234;01.03.2022 00:05;Tvangsindlæggelse;S1;32;Aalborg;ja;nej",
    "0101901234;14.03.2022 10:00;Tvangsindlæggelse;S1;32;Aalborg;ja;nej",
    "010190-1234;31.03.2022 23:59;Tvangsindlæggelse;S1;32;Aalborg;ja;nej",
    "010190-1234;31.03.2022 23:59;Bæltefiksering;S1;32;Aalborg;ja;nej",
    # another person on the last day of February and the first of April
    "020285-2345;28.02.2022 23:59;Tvangsindlæggelse;S1;37;Aalborg;nej;nej",
    "020285-2345;01.04.2022 00:00;Fastholdelse;S1;37;Aalborg;nej;nej",
    # outside the population: too young, other municipality, forensic
    "030310-3456;15.03.2022 12:00;Tvangsindlæggelse;S1;12;Aalborg;ja;nej",
    "040475-4567;15.03.2022 12:00;Tvangsindlæggelse;S1;47;Aarhus;ja;nej",
    "050580-5678;15.03.2022 12:00;Tvangsindlæggelse;S1;42;Aalborg;ja;ja",
]
ADULTS_IN_AALBORG = Population(min_age=18, municipalities=["Aalborg Kommune"], exclude_forensic=True)


def test_event_extract_counts_persons_once_and_events_every_time(ws, tmp_path) -> None:
    path = write_extract(tmp_path / "udtraek.csv", EXTRACT)
    plan = imports.read_events(ws, TEAM, path, population=ADULTS_IN_AALBORG, population_name="voksne")
    values = {(r.indicator, r.period): r.value for r in plan.rows}
    assert values[("R1", "2022-03")] == 1 and values[("R2", "2022-03")] == 3
    assert values[("F1", "2022-03")] == 1 and values[("F2", "2022-03")] == 4
    assert values[("R1", "2022-02")] == 1 and values[("R2", "2022-02")] == 1
    assert values[("R1", "2022-04")] == 0 and values[("F2", "2022-04")] == 1
    events = plan.events
    assert events["rows_read"] == 9 and events["rows_counted"] == 6
    assert events["outside"] == {"age": 1, "municipality": 1, "forensic": 1}
    assert events["population"]["name"] == "voksne"
    assert events["concentration"]["events"] == 6 and events["concentration"]["top_persons"] == 1
    assert plan.source == "event extract" and plan.source_file == "udtraek.csv"
    done = imports.commit(ws, plan)
    assert done.added == 12
    assert ws.measurements(TEAM, "R2")[1].source_file == "udtraek.csv"


def test_event_extract_stores_only_the_teams_and_the_chosen_indicators(workspace, tmp_path) -> None:
    workspace.add_team(TEAM)
    workspace.add_indicator(TEAM, "R1", "Personer tvangsindlagt")
    workspace.add_indicator(TEAM, "R2", "Tvangsindlæggelser")
    path = write_extract(tmp_path / "udtraek.csv", EXTRACT)
    plan = imports.read_events(workspace, TEAM, path, population=ADULTS_IN_AALBORG)
    assert plan.indicators == ["R1", "R2"] and plan.not_stored == ["F1", "F2"]
    assert any("F1, F2" in w for w in plan.warnings)
    only = imports.read_events(workspace, TEAM, path, population=ADULTS_IN_AALBORG, indicators=["r1"])
    assert only.indicators == ["R1"]


def test_event_extract_errors_never_echo_the_identifier(ws, tmp_path, workspace_path) -> None:
    rows = [
        *EXTRACT,
        "0101901234 X;15.03.2022;Tvangsindlæggelse;S1;32;Aalborg;ja;nej",
        "060690-6789;32.03.2022;Tvangsindlæggelse;S1;32;Aalborg;ja;nej",
    ]
    plan = imports.read_events(
        ws, TEAM, write_extract(tmp_path / "fejl.csv", rows), population=ADULTS_IN_AALBORG
    )
    assert [(e.row, e.column) for e in plan.errors] == [(11, "cpr"), (12, "tidspunkt")]
    text = json.dumps(plan.to_dict(), ensure_ascii=False)
    for secret in ("0101901234", "010190-1234", "060690", "6789"):
        assert secret not in text
    before = workspace_path.read_bytes()
    with pytest.raises(DataImportError) as caught:
        imports.commit(ws, plan)
    assert "row 11, column cpr" in str(caught.value) and "0101901234" not in str(caught.value)
    assert workspace_path.read_bytes() == before


def test_populations_come_from_the_team_plugins_files_or_all(ws, tmp_path) -> None:
    with pytest.raises(ValidationError, match="--population"):
        imports.resolve_population(ws, TEAM, None)
    assert imports.resolve_population(ws, TEAM, "all")[1].exclude_forensic is False
    file = tmp_path / "unge.json"
    file.write_text(json.dumps({"min_age": 12, "max_age": 17}), encoding="utf-8")
    name, population = imports.resolve_population(ws, TEAM, str(file))
    assert (name, population.min_age, population.max_age) == ("unge", 12, 17)
    imports.save_event_settings(ws, TEAM, population=("unge", population))
    assert imports.resolve_population(ws, TEAM, None) == ("unge", population)
    with pytest.raises(NotFoundError, match="no population 'voksne'.*unge"):
        imports.resolve_population(ws, TEAM, "voksne")


def test_event_months_can_be_limited(ws, tmp_path) -> None:
    assert imports.check_period_range("jan-22..marts 2022") == ("2022-01", "2022-03")
    for text in ("2022-01", "2022-03..2022-01", "x..2022-01"):
        with pytest.raises(ValidationError):
            imports.check_period_range(text)
    path = write_extract(tmp_path / "udtraek.csv", EXTRACT)
    plan = imports.read_events(
        ws, TEAM, path, population=ADULTS_IN_AALBORG, period_range=("2022-03", "2022-05")
    )
    assert {r.period for r in plan.rows} == {"2022-03", "2022-04", "2022-05"}


def test_a_saved_layout_reads_an_extract_with_other_headers(ws, tmp_path) -> None:
    layout_file = tmp_path / "layout.json"
    layout_file.write_text(
        json.dumps(
            {
                "identifier": "Patient-id",
                "timestamp": "Dato",
                "kind": "Type",
                "ward": None,
                "age": None,
                "municipality": None,
                "outpatient": None,
                "forensic": None,
                "kinds_for": {"R1": ["Indlæggelse"], "R2": ["Indlæggelse"]},
            }
        ),
        encoding="utf-8",
    )
    layout, kinds_for = imports.load_layout(layout_file)
    imports.save_event_settings(ws, TEAM, layout=layout, kinds_for=kinds_for)
    path = tmp_path / "andet.csv"
    path.write_text(
        "Patient-id;Dato;Type\nP-17;2022-05-02 10:00;Indlæggelse\nP-17;2022-05-09;Indlæggelse\n",
        encoding="utf-8",
    )
    plan = imports.read_events(ws, TEAM, path, population="all")
    values = {(r.indicator, r.period): r.value for r in plan.rows}
    assert values[("R1", "2022-05")] == 1 and values[("R2", "2022-05")] == 2


# -- the municipal importer through the service---------------------------------------------------------------
def test_municipal_force_registrations_through_the_importer(ws, tmp_path) -> None:
    from pdsa_core.plugins import load_plugins

    path = tmp_path / "magtanvendelser.csv"
    path.write_bytes(
        (
            "dato;bosted;type;borger\r\n"
            "03.01.2022 10:15;Bostedet Solhøj;Fastholdelse;010190-1234\r\n"
            "03.01.2022 18:00;Bostedet Solhøj;Fastholdelse;0101901234\r\n"
            "31.01.2022;Engvej 4;Fastholdelse;020285-2345\r\n"
            "01.02.2022;Bostedet Solhøj;Alarm;030390-3456\r\n"
        ).encode("cp1252")
    )
    plugins = load_plugins(include_entry_points=False)
    plan = imports.run_importer(ws, plugins, "municipal-force", path, TEAM, {"bosted": "bostedet solhøj"})
    values = {(r.indicator, r.period): r.value for r in plan.rows}
    assert values == {("F3", "2022-01"): 1, ("F4", "2022-01"): 2, ("F3", "2022-02"): 1, ("F4", "2022-02"): 1}
    assert plan.importer == "municipal-force" and plan.source_file == "magtanvendelser.csv"
    assert plan.details["outside"] == {"residence": 1}
    imports.commit(ws, plan)
    assert stored(ws, "F4") == {"2022-01": 2, "2022-02": 1}


# -- rates----------------------------------------------------------------------------------------------------
def test_rate_plan_previews_the_rate_and_the_commit_creates_the_indicator(ws) -> None:
    from pdsa_core.sources.statbank import PopulationSeries

    ws.add_measurements(
        TEAM, [MeasurementInput("R1", "2022-01", value=5), MeasurementInput("R1", "2022-02", value=4)]
    )
    series = PopulationSeries("FOLK1AM", "851", 18, 64, {"2022-01": 100000}, "2022-06-01T10:00:00+00:00")
    plan = imports.rate_plan(ws, TEAM, "R1", series)
    assert [(r.indicator, r.period, r.value) for r in plan.rows] == [("R1-rate", "2022-01", 0.5)]
    assert plan.details["creates_indicator"] is True and "2022-02" in plan.warnings[0]
    assert imports.preview(ws, plan).counts()["added"] == 1
    done = imports.commit(ws, plan)
    assert done.created_indicator == "R1-rate" and done.months_without_population == ("2022-02",)
    assert ws.indicator(TEAM, "R1-rate").unit.value == "rate"


def test_source_parameters_fill_positional_values_in_order() -> None:
    from pdsa_core.sources.statbank import statbank_source

    source = statbank_source()
    assert imports.source_parameters(source, ["FOLK1A"], {"--municipality": "851", "age": "18-64"}) == {
        "table": "FOLK1A",
        "municipality": "851",
        "age": "18-64",
    }
    with pytest.raises(ValidationError, match="given twice"):
        imports.source_parameters(source, ["FOLK1A"], {"table": "FOLK1AM"})
    with pytest.raises(ValidationError, match="at most 5 values"):
        imports.source_parameters(source, list("abcdef"))
