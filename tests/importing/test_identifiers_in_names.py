"""Person identifiers never enter the workspace or a message through a file's name, an
importer's texts, or an extract's columns mixed up.

- A CPR number in an imported file's name (or a sheet's) is redacted before the name is
  stored with the values, shown in a preview or printed in a report.
- A refusal that names such a file (missing, not a table) shows the name without the number.
- An importer's own ``source``, ``source_file`` or ``source_sheet`` holding a CPR-shaped
  number is refused.
- An extract's identifier (a CPR number or a local pseudonym, whatever its shape) is never
  printed: not in the kinds list when it stands in the kind column, not in the list of
  columns when a file lacks its header line.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pdsa_core.errors import DataImportError, ValidationError
from pdsa_core.extension_types import Importer, ImportResult
from pdsa_core.importing import EventLayout, Population, aggregate_events
from pdsa_core.importing import service as imports
from pdsa_core.importing.identifiers import could_be_identifier
from pdsa_core.importing.municipal import read_force_registrations
from pdsa_core.services.indicators import MeasurementInput

from .helpers import event, write_extract

TEAM = "Psykiatrien Syd"
CPR = "010180-1234"
PSEUDONYMS = ["P004711", "ABC-0042", "pt:7781", "X9"]


@pytest.fixture()
def ws(workspace):
    workspace.add_team(TEAM)
    workspace.add_indicator(TEAM, "R1", "Personer tvangsindlagt", unit="count")
    return workspace


def test_a_cpr_number_in_a_file_name_is_redacted_before_it_is_stored(ws, tmp_path: Path) -> None:
    path = tmp_path / f"tvang {CPR.replace('-', '')} 2022.csv"
    path.write_bytes("Måned;R1\r\njan-22;5\r\nfeb-22;4\r\n".encode("cp1252"))
    plan = imports.read_file(ws, TEAM, path)
    assert CPR.replace("-", "") not in json.dumps(plan.to_dict(), ensure_ascii=False)
    imports.commit(ws, plan)
    names = {m.source_file for m in ws.measurements(TEAM, "R1")}
    assert names == {"tvang *** 2022.csv"}
    raw = Path(ws.location).read_text(encoding="utf-8")
    assert "0101801234" not in raw and CPR not in raw


@pytest.mark.parametrize("content", [None, b"\x00\x01 not a table", b"PK\x03\x04 not a workbook"])
def test_a_refusal_naming_the_file_leaves_out_the_cpr_number(
    ws, tmp_path: Path, content: bytes | None
) -> None:
    suffix = ".xlsx" if content and content.startswith(b"PK") else ".csv"
    path = tmp_path / f"udtræk {CPR}{suffix}"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(DataImportError) as refused:
        imports.read_file(ws, TEAM, path)
    for language in ("en", "da"):
        shown = refused.value.text(language)
        assert "udtræk ***." in shown and CPR not in shown and CPR.replace("-", "") not in shown


def test_a_stored_file_name_is_redacted_whoever_gives_it(ws) -> None:
    ws.add_measurements(
        TEAM,
        [MeasurementInput("R1", "2022-01", value=3)],
        source="import",
        source_file=f"{CPR}.xlsx",
        source_sheet=f"ark {CPR}",
    )
    (m,) = ws.measurements(TEAM, "R1")
    assert (m.source_file, m.source_sheet) == ("***.xlsx", "ark ***")


@pytest.mark.parametrize("name", ["source", "source_file", "source_sheet"])
def test_an_importer_text_holding_a_cpr_number_is_refused(name: str) -> None:
    with pytest.raises(
        ValidationError, match=f"the importer's {name} contains something that looks like a CPR"
    ):
        ImportResult(measurements=[MeasurementInput("R1", "2022-01", value=1)], **{name: f"udtræk {CPR}"})


def test_an_importer_run_on_a_file_named_with_a_cpr_number_stores_it_redacted(ws, tmp_path: Path) -> None:
    path = tmp_path / f"{CPR}.txt"
    path.write_text("5\n")

    def read(path: Path) -> ImportResult:
        return ImportResult(measurements=[MeasurementInput("R1", "2022-01", value=int(path.read_text()))])

    importer = Importer(id="tal", name_da="Tal", read=read)
    result = importer.run(path, team=ws.team(TEAM), options={}, indicators=ws.indicators(TEAM))
    assert result.source_file.endswith("/***.txt") and "1234" not in result.source_file


def _aggregate(tmp_path: Path, rows: list[tuple[object, ...]], **kwargs: object):
    path = write_extract(tmp_path / "udtraek.csv", rows, **kwargs)  # type: ignore[arg-type]
    return aggregate_events(path, EventLayout(), Population())


@pytest.mark.parametrize("workers", [1, 2])
def test_an_identifier_in_the_kind_column_is_never_listed(tmp_path: Path, workers: int) -> None:
    rows = [event(p, f"0{d}.01.2022 10:00", "Remme") for d, p in enumerate(PSEUDONYMS, start=1)]
    rows += [
        event(PSEUDONYMS[0], "05.01.2022 10:00", kind=PSEUDONYMS[1]),  # a column mix-up
        event(PSEUDONYMS[2], "06.01.2022 10:00", kind=PSEUDONYMS[3]),
        event("010180-1234", "07.01.2022 10:00", kind="0101801234"),
    ]
    path = write_extract(tmp_path / "udtraek.csv", rows * 200)
    result = aggregate_events(path, EventLayout(), Population(), workers=workers)
    assert result.kinds_seen == {"***": 600, "remme": 800}
    blob = json.dumps(result.to_dict(), ensure_ascii=False) + repr(result)
    for pseudonym in PSEUDONYMS:
        assert pseudonym not in blob and pseudonym.lower() not in blob


def test_a_kind_that_only_looks_like_a_pseudonym_is_still_listed(tmp_path: Path) -> None:
    """Only the identifiers of the extract's persons are hidden: a kind label is never guessed."""
    result = _aggregate(tmp_path, [event("P1", "01.01.2022 10:00", "Type2")])
    assert result.kinds_seen == {"type2": 1}


def test_a_file_without_its_header_line_does_not_list_its_first_row(tmp_path: Path) -> None:
    first, *rest = [event(p, "01.01.2022 10:00") for p in PSEUDONYMS]
    path = write_extract(tmp_path / "no_header.csv", rest, header=[str(v) for v in first])
    with pytest.raises(DataImportError) as info:
        aggregate_events(path, EventLayout(), Population())
    message = str(info.value)
    assert "its first line looks like data, not column names" in message
    assert PSEUDONYMS[0] not in message and "Bæltefiksering" not in message


def test_a_real_header_is_still_listed(tmp_path: Path) -> None:
    path = write_extract(tmp_path / "x.csv", [("P1", "01.01.2022", "Remme")], header=["id", "tid", "type"])
    with pytest.raises(DataImportError, match="its columns are: 'id', 'tid', 'type'"):
        aggregate_events(path, EventLayout(), Population())


def test_a_municipal_export_never_lists_a_person_as_a_kind_or_a_bosted(tmp_path: Path) -> None:
    text = (
        "dato;bosted;type;borger\r\n"
        "01.01.2022;Bostedet Solhøj;Fastholdelse;B-77\r\n"
        "02.01.2022;Bostedet Solhøj;B-77;K-12\r\n"
        "03.01.2022;K-12;Fastholdelse;B-77\r\n"
    )
    path = tmp_path / "magt.csv"
    path.write_bytes(text.encode("cp1252"))
    result = read_force_registrations(path)
    assert result.kinds_seen == {"fastholdelse": 2, "***": 1}
    assert set(result.by_residence) == {"Bostedet Solhøj", "***"}
    blob = json.dumps(result.to_dict(), ensure_ascii=False) + repr(result)
    assert "B-77" not in blob and "K-12" not in blob and "b-77" not in blob and "k-12" not in blob


def test_municipal_missing_column_does_not_list_a_data_row(tmp_path: Path) -> None:
    path = tmp_path / "magt.csv"
    path.write_bytes("01.01.2022;Bostedet Solhøj;Fastholdelse;B-77\r\n".encode("cp1252"))
    with pytest.raises(DataImportError) as info:
        read_force_registrations(path)
    assert "B-77" not in str(info.value) and "looks like data" in str(info.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0101801234", True),
        ("010180-1234", True),
        ("P004711", True),
        ("ABC-0042", True),
        ("Bæltefiksering", False),
        ("Afsnit 2", False),
        ("cpr", False),
        ("tidspunkt", False),
    ],
)
def test_what_could_be_an_identifier(text: str, expected: bool) -> None:
    assert could_be_identifier(text) is expected
