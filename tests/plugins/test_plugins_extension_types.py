"""Importer, DataSource, ReportSection and the results: checked by the core before anything is stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from pdsa_core import (
    AnnotationInput,
    DataImportError,
    DataSource,
    Importer,
    ImportResult,
    MeasurementInput,
    NotFoundError,
    Parameter,
    PdsaError,
    ReportContext,
    ReportSection,
    SourceError,
    SourceResult,
    Team,
    ValidationError,
    apply_result,
)

TEAM = Team(id="team-nord", name="Team Nord")


@pytest.fixture()
def data_file(tmp_path: Path) -> Path:
    path = tmp_path / "data.csv"
    path.write_text("month;value\n2022-01;3\n", encoding="utf-8")
    return path


def test_options_are_checked_and_filled_before_read(data_file) -> None:
    seen = {}

    def read(path, *, team, options):  # noqa: ANN001
        seen.update(options)
        return ImportResult(measurements=[MeasurementInput("R1", "2022-01", value=3)])

    importer = Importer(
        id="checked",
        name_da="Tjekket",
        read=read,
        options=(Parameter(name="sheet", default="1"), Parameter(name="system", required=True)),
    )
    with pytest.raises(
        ValidationError, match=r"importer checked has no option colour \(options: sheet, system\)"
    ):
        importer.run(data_file, team=TEAM, options={"colour": "red", "system": "x"})
    with pytest.raises(ValidationError, match="importer checked needs the option system"):
        importer.run(data_file, team=TEAM)
    result = importer.run(data_file, team=TEAM, options={"system": "NordEPJ"})
    assert seen == {"sheet": "1", "system": "NordEPJ"}
    assert result.source_file == str(data_file)  # filled in when the importer does not say
    with pytest.raises(DataImportError, match="no file"):
        importer.run(data_file.with_name("missing.csv"), team=TEAM, options={"system": "x"})


def test_read_gets_only_the_arguments_it_names(data_file) -> None:
    def minimal(path):  # noqa: ANN001 - a read that needs nothing but the file
        return ImportResult(rows_read=1)

    def everything(path, **kwargs):  # noqa: ANN001
        return ImportResult(rows_read=len(kwargs))

    assert Importer(id="minimal", name_da="M", read=minimal).run(data_file, team=TEAM).rows_read == 1
    assert Importer(id="all", name_da="A", read=everything).run(data_file, team=TEAM).rows_read == 3


def test_a_bug_in_read_names_the_importer_the_plugin_and_the_line(data_file) -> None:
    def read(path, *, team, options):  # noqa: ANN001, ARG001
        return {"R1": 3}["R2"]

    importer = Importer(id="buggy", name_da="Fejl", read=read, plugin="pdsa-region-x")
    with pytest.raises(DataImportError) as caught:
        importer.run(data_file, team=TEAM)
    line = read.__code__.co_firstlineno + 1
    assert str(caught.value) == (
        f"{data_file}: importer buggy (plugin pdsa-region-x) failed: KeyError: 'R2' "
        f"(test_plugins_extension_types.py, line {line})"
    )


def test_a_users_error_from_read_passes_unchanged(data_file) -> None:
    def read(path, *, team, options):  # noqa: ANN001, ARG001
        raise DataImportError("row 7, column R1: not a number", where="data.csv")

    with pytest.raises(DataImportError, match=r"^data.csv: row 7, column R1: not a number$"):
        Importer(id="strict", name_da="S", read=read).run(data_file, team=TEAM)


def test_read_must_return_an_import_result(data_file) -> None:
    importer = Importer(id="wrong", name_da="W", read=lambda path: [("R1", "2022-01", 3)])
    with pytest.raises(DataImportError, match="importer wrong returned list, not a ImportResult"):
        importer.run(data_file, team=TEAM)


def test_importer_fields_are_validated() -> None:
    with pytest.raises(ValidationError, match="importer id must be lower case"):
        Importer(id="My Importer", name_da="X", read=lambda path: ImportResult())
    with pytest.raises(ValidationError, match="read must be a function"):
        Importer(id="x", name_da="X", read="read")
    with pytest.raises(ValidationError, match="parameter name must be lower case"):
        Importer(id="x", name_da="X", read=lambda path: ImportResult(), options=(Parameter(name="Sheet"),))
    with pytest.raises(ValidationError, match="parameter sheet is defined twice"):
        Importer(
            id="x",
            name_da="X",
            read=lambda path: ImportResult(),
            options=(Parameter(name="sheet"), Parameter(name="sheet")),
        )
    importer = Importer(id="x", name_da="X", read=lambda path: ImportResult(), file_patterns="*.XLSX")
    assert importer.matches("Data 2022.xlsx") and not importer.matches("data.csv")
    assert importer.name("en") == "X"


def test_results_are_validated() -> None:
    with pytest.raises(ValidationError, match="period must be a month"):
        ImportResult(measurements=[MeasurementInput("R1", "januar", value=3)])
    with pytest.raises(ValidationError, match=r"^value 2 \(R1\) period: month 13 is not between 01 and 12"):
        ImportResult(
            measurements=[
                MeasurementInput("R1", "2022-01", value=3),
                MeasurementInput("R1", "2022-13", value=3),
            ]
        )
    with pytest.raises(ValidationError, match="needs a value or a numerator and a denominator"):
        ImportResult(measurements=[MeasurementInput("V1", "2022-01", numerator=3)])
    with pytest.raises(ValidationError, match="the same month is given twice: r1 2022-01"):
        ImportResult(
            measurements=[
                MeasurementInput("R1", "2022-01", value=3),
                MeasurementInput("r1", "2022-01", value=4),
            ]
        )
    with pytest.raises(ValidationError, match="annotation kind must be one of"):
        AnnotationInput(date="2022-03-25", text="Nyt EPJ", kind="new system")
    result = ImportResult(
        measurements=[{"indicator": "R1", "period": "2022-01", "value": 3}],
        annotations=[{"date": "2022-03-25", "text": "NordEPJ", "kind": "it system change"}],
    )
    assert result.indicators == ["R1"] and result.periods == ["2022-01"]
    assert result.annotations[0].kind == "it system change"


@pytest.mark.parametrize("cpr", ["010190-1234", "0101901234"])
def test_nothing_shaped_like_a_cpr_number_gets_through(cpr: str) -> None:
    with pytest.raises(ValidationError, match="looks like a CPR number"):
        ImportResult(measurements=[MeasurementInput("R1", "2022-01", value=3, note=f"patient {cpr}")])
    with pytest.raises(ValidationError, match="looks like a CPR number"):
        ImportResult(warnings=[f"row 3: {cpr} has no ward"])
    with pytest.raises(ValidationError, match="looks like a CPR number"):
        AnnotationInput(date="2022-01-01", text=f"Review of {cpr}")
    with pytest.raises(ValidationError, match="looks like a CPR number"):
        ImportResult(details={"persons": [cpr]})


def test_data_source_run() -> None:
    def fetch(table: str, refresh: str) -> SourceResult:
        if table == "down":
            raise ConnectionError("no route to host")
        return SourceResult(measurements=[MeasurementInput("POP", "2022-01", value=119_000)], url=table)

    source = DataSource(
        id="tables",
        name_da="Tabeller",
        fetch=fetch,
        parameters=(Parameter(name="table", required=True), Parameter(name="refresh", default="no")),
        plugin="pdsa-dst",
    )
    assert source.run(table="FOLK1A").url == "FOLK1A"
    with pytest.raises(SourceError, match=r"data source tables \(plugin pdsa-dst\) failed: ConnectionError"):
        source.run(table="down")
    with pytest.raises(ValidationError, match="needs the option table"):
        source.run()
    wrong = DataSource(id="wrong", name_da="W", fetch=lambda: ImportResult())
    with pytest.raises(SourceError, match="returned ImportResult, not a SourceResult"):
        wrong.run()


def test_report_section_run(workspace) -> None:
    context = ReportContext(
        workspace=workspace, team=TEAM, period_from="2022-01", period_to="2022-09", lang="en"
    )
    section = ReportSection(
        id="regional", title_da="Regionalt", title_en="Regional", render=lambda c: f"Period {c.period_from}"
    )
    assert section.run(context) == "Period 2022-01"
    assert section.title("en") == "Regional"
    broken = ReportSection(id="broken", title_da="B", render=lambda c: 1 / 0, plugin="p")
    with pytest.raises(PdsaError, match=r"report section broken \(plugin p\) failed: ZeroDivisionError"):
        broken.run(context)
    with pytest.raises(PdsaError, match="returned int, not text"):
        ReportSection(id="number", title_da="N", render=lambda c: 42).run(context)
    with pytest.raises(ValidationError, match="format must be md or html"):
        ReportSection(id="pdf", title_da="P", render=lambda c: "", format="pdf")


def test_apply_result_stores_values_and_each_annotation_once(workspace) -> None:
    team = workspace.add_team("Team Nord")
    workspace.add_indicator(team.id, "R1", "Tvangsindlagte")
    workspace.add_indicator(team.id, "V1", "UA/KP", unit="proportion")
    result = ImportResult(
        measurements=[MeasurementInput("R1", "2022-03", value=2), MeasurementInput("V1", "2022-03", 0, 3, 4)],
        annotations=[
            AnnotationInput(date="2022-03-25", text="NordEPJ", kind="it system change", phase_split=True)
        ],
        source="test-importer",
        source_file="extract.csv",
    )
    written, added = apply_result(workspace, team.id, result)
    assert (written.added, [a.text for a in added]) == (2, ["NordEPJ"])
    v1 = workspace.measurements(team.id, "V1")[0]
    assert (v1.value, v1.source, v1.source_file) == (0.75, "test-importer", "extract.csv")
    assert workspace.annotations(team.id)[0].phase_split
    again, added_again = apply_result(workspace, team.id, result)
    assert (again.unchanged, added_again) == (2, [])


def test_apply_result_writes_nothing_when_an_annotation_names_an_unknown_indicator(workspace) -> None:
    team = workspace.add_team("Team Nord")
    workspace.add_indicator(team.id, "R1", "Tvangsindlagte")
    result = ImportResult(
        measurements=[MeasurementInput("R1", "2022-03", value=2)],
        annotations=[AnnotationInput(date="2022-03-25", text="NordEPJ", indicators=("R9",))],
    )
    with pytest.raises(NotFoundError, match="has no indicator 'R9'"):
        apply_result(workspace, team.id, result)
    assert workspace.measurements(team.id, "R1") == []
