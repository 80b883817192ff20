"""Guessing and saving column mappings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pdsa_core.errors import ValidationError
from pdsa_core.importing import ColumnMapping, IndicatorColumns, guess_mapping, read_csv_bytes

CODES = ["R1", "R2", "F1", "F2", "V1", "V2", "BU1"]


def test_guess_wide_danish_headers() -> None:
    table = read_csv_bytes(
        "Måned;R1 Personer tvangsindlagt;R2;V1 tæller;V1 nævner;Kommentar\njan-22;1;2;3;4;x\n"
        .encode("cp1252")
    )
    guess = guess_mapping(table, CODES)
    assert guess.complete
    mapping = guess.mapping
    assert mapping is not None and mapping.layout == "wide"
    assert mapping.period == "Måned"
    assert [item.to_dict() for item in mapping.indicators] == [
        {"indicator": "R1", "value": "R1 Personer tvangsindlagt", "numerator": None,
         "denominator": None},
        {"indicator": "R2", "value": "R2", "numerator": None, "denominator": None},
        {"indicator": "V1", "value": None, "numerator": "V1 tæller", "denominator": "V1 nævner"},
    ]
    assert guess.unmapped == ["Kommentar"]


def test_guess_english_and_written_together() -> None:
    table = read_csv_bytes(b"Month,r2,V2_numerator,V2_denominator,BU1\n2022-01,1,2,3,4\n")
    mapping = guess_mapping(table, CODES).mapping
    assert mapping is not None
    assert mapping.period == "Month"
    assert {i.indicator for i in mapping.indicators} == {"R2", "V2", "BU1"}


def test_guess_finds_month_column_by_its_cells() -> None:
    table = read_csv_bytes(b"Tid;F2\njan-22;1\nfeb-22;2\n")
    assert guess_mapping(table, CODES).mapping.period == "Tid"  # type: ignore[union-attr]
    table = read_csv_bytes(b"X;F2\njan-22;1\nfeb-22;2\n")
    assert guess_mapping(table, CODES).mapping.period == "X"  # type: ignore[union-attr]


def test_guess_reports_what_it_could_not_map() -> None:
    table = read_csv_bytes(b"Noget;Andet;V1 t\xe6ller\nx;1;2\n")
    guess = guess_mapping(table, CODES)
    assert guess.mapping is None
    assert not guess.complete
    texts = " ".join(en for _, en in guess.problems)
    assert "no column of months" in texts
    assert "numerator or denominator missing" in texts
    assert "Noget" in guess.unmapped and "V1 tæller" in guess.unmapped
    json.dumps(guess.to_dict())


def test_guess_long_layout() -> None:
    table = read_csv_bytes(
        "Periode;Indikator;Værdi\n2022-01;R1 Personer tvangsindlagt;3\n2022-01;R2;4\n".encode()
    )
    guess = guess_mapping(table, CODES)
    mapping = guess.mapping
    assert mapping is not None and mapping.layout == "long"
    assert (mapping.period, mapping.indicator_column, mapping.value_column) == (
        "Periode", "Indikator", "Værdi")
    assert mapping.aliases == {"R1 Personer tvangsindlagt": "R1"}


def test_mapping_round_trips_through_json() -> None:
    mapping = ColumnMapping(
        period="Måned",
        indicators=[IndicatorColumns("R1", value="R1"),
                    IndicatorColumns("V1", numerator="V1 tæller", denominator="V1 nævner")],
        sheet="Data",
        header_rows=2,
    )
    again = ColumnMapping.from_dict(json.loads(json.dumps(mapping.to_dict())))
    assert again == mapping
    long = ColumnMapping(period="P", layout="long", indicator_column="I", value_column="V",
                         aliases={"Personer": "R1"})
    assert ColumnMapping.from_dict(json.loads(json.dumps(long.to_dict()))) == long


@pytest.mark.parametrize(
    "data",
    [
        [],
        {"layout": "wide"},
        {"period": "M", "indicators": []},
        {"period": "M", "indicators": [{"indicator": "V1", "numerator": "a"}]},
        {"period": "M", "indicators": [{"indicator": "R1", "value": "a"},
                                       {"indicator": "R1", "value": "b"}]},
        {"period": "M", "indicators": [{"value": "a"}]},
        {"period": "M", "layout": "long"},
        {"period": "M", "layout": "long", "indicator_column": "I"},
        {"period": "M", "layout": "diagonal", "indicators": [{"indicator": "R1", "value": "a"}]},
        {"period": "M", "indicators": [{"indicator": "R1", "value": 3}]},
        {"period": "M", "indicators": [{"indicator": "R1", "value": "a"}], "header_rows": 7},
        {"period": "M", "indicators": [{"indicator": "R1", "value": "a"}], "aliases": [1]},
    ],
)
def test_damaged_mappings_are_refused(data: object) -> None:
    with pytest.raises(ValidationError):
        ColumnMapping.from_dict(data)  # type: ignore[arg-type]


def test_guess_on_workbook(tmp_path: Path) -> None:
    from pdsa_core.importing import read_table

    from .test_import_tables import make_workbook

    table = read_table(make_workbook(tmp_path / "w.xlsx"), sheet="Data 2022")
    mapping = guess_mapping(table, CODES).mapping
    assert mapping is not None
    assert mapping.indicators[1].numerator == "V1 Andel med UA/KP tæller"
