"""Aggregating event extracts into monthly R1, R2, F1, F2."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from openpyxl import Workbook

from pdsa_core.errors import DataImportError, ValidationError
from pdsa_core.importing import EventLayout, Population, aggregate_events
from pdsa_core.importing.events import run as eventrun

from .helpers import EVENT_HEADER, event, write_extract

POPULATION = Population(min_age=18, municipalities=["Aalborg Kommune", "Hjørring"],
                        wards=["S1", "S5"], exclude_forensic=True)

A, A2, A9 = "010190-1234", "0101901234", "101901234"  # one person, three spellings
B, C = "020285-4321", "P-0042"

GOOD_ROWS = [
    event(A, "01.01.2022 00:00", "Tvangsindlæggelse"),          # first minute of January
    event(A, "10.01.2022 12:00", "Bæltefiksering"),
    event(A, "15.01.2022 08:30", "Bæltefiksering", ward="s5"),
    event(A, "15.01.2022 09:10", "fastholdelse"),
    event(A, "31.01.2022 23:59", "TVANGSINDLÆGGELSE"),          # last minute of January
    event(C, "15.01.2022 10:00", "Beroligende medicin", municipality="hjørring kommune"),
    event(A2, "01.02.2022 00:00", "Tvangsindlæggelse"),         # A again, without dash
    event(B, "28.02.2022 23:59", "Fastholdelse", age=18),
    event(A9, "01.03.2022 00:00", "Fastholdelse"),              # A again, Excel lost the 0
    event(B, "01.03.2022 00:00", "Tvangsindlæggelse"),
    event("030303-3333", "20.01.2022 10:00", age=16),           # outside: age
    event("040404-4444", "20.01.2022 10:00", municipality="Aarhus"),  # outside: municipality
    event("050505-5555", "20.01.2022 10:00", ward="S9"),        # outside: ward
    event("060606-6666", "20.01.2022 10:00", forensic="ja"),    # outside: forensic
    event("070707-7777", "20.01.2022 10:00", ward="S9", age=12),  # outside: ward (first rule)
]
BAD_ROWS = [
    event("12-34", "20.01.2022 10:00"),                         # not an identifier
    event("080808-8888", "32.01.2022 10:00"),                   # no 32 January
    event("090909-9999", "20.01.2022 10:00", age="tredive"),    # age in words
    event("", "20.01.2022 10:00"),                              # no identifier
]

EXPECTED = {
    "R1": {"2022-01": 1, "2022-02": 1, "2022-03": 1},
    "R2": {"2022-01": 2, "2022-02": 1, "2022-03": 1},
    "F1": {"2022-01": 2, "2022-02": 2, "2022-03": 2},
    "F2": {"2022-01": 6, "2022-02": 2, "2022-03": 2},
}


def test_counts_persons_once_and_events_every_time(tmp_path: Path) -> None:
    path = write_extract(tmp_path / "udtraek.csv", GOOD_ROWS + BAD_ROWS)
    result = aggregate_events(path, EventLayout(), POPULATION)
    assert result.values == EXPECTED
    assert result.months == ["2022-01", "2022-02", "2022-03"]
    assert result.outside == {"ward": 2, "age": 1, "municipality": 1, "forensic": 1}
    assert result.rows_read == len(GOOD_ROWS) + len(BAD_ROWS)
    assert result.rows_counted == 10
    assert result.kinds_seen["tvangsindlæggelse"] == 4
    assert result.concentration.to_dict() == {
        "persons": 3, "events": 10, "top_persons": 1, "top_events": 7, "share": 0.7}
    assert result.concentration_by_year["2022"].events == 10


def test_bad_rows_are_reported_with_row_numbers_and_no_values(tmp_path: Path) -> None:
    path = write_extract(tmp_path / "udtraek.csv", GOOD_ROWS + BAD_ROWS)
    result = aggregate_events(path, EventLayout(), POPULATION)
    first = len(GOOD_ROWS) + 2  # header is row 1
    assert [(e.row, e.column, e.code) for e in result.errors] == [
        (first, "cpr", "identifier_invalid"),
        (first + 1, "tidspunkt", "timestamp_invalid"),
        (first + 2, "alder", "age_invalid"),
        (first + 3, "cpr", "identifier_missing"),
    ]
    assert result.error_count == 4
    assert str(result.errors[0]) == f"row {first}, column cpr: not a valid identifier"
    assert "12-34" not in json.dumps(result.to_dict())
    assert "080808" not in json.dumps(result.to_dict())


def test_fast_and_slow_paths_agree(tmp_path: Path) -> None:
    """A clean file is read by the fast path, a quoted one by the csv module."""
    fast = aggregate_events(write_extract(tmp_path / "a.csv", GOOD_ROWS), EventLayout(),
                            POPULATION)
    quoted_rows = [tuple(f'"{v}"' for v in row) for row in GOOD_ROWS]
    slow = aggregate_events(write_extract(tmp_path / "b.csv", quoted_rows), EventLayout(),
                            POPULATION)
    assert fast.values == slow.values == EXPECTED
    assert fast.outside == slow.outside
    assert fast.concentration == slow.concentration


def test_other_formats_encodings_and_layouts(tmp_path: Path) -> None:
    """Tab separated Windows-1252, \\n line ends, other headers in another order with an
    extra column, unpadded and ISO timestamps, blank lines."""
    header = ("Hændelse", "Type", "CPR-nummer", "Dato", "Afsnit", "Alder", "Kommune", "Amb",
              "Rets")
    rows = []
    for number, row in enumerate(GOOD_ROWS):
        stamp = row[1]
        if number % 3 == 1:  # unpadded Danish
            day, month, rest = stamp.split(".", 2)
            stamp = f"{int(day)}.{int(month)}.{rest}"
        elif number % 3 == 2:  # ISO with a T
            day, month, rest = stamp.split(".", 2)
            stamp = f"{rest[:4]}-{month}-{day}T{rest[5:]}:00"
        rows.append((f"H{number}", row[2], row[0], stamp, *row[3:]))
        if number == 4:
            rows.append(())
    path = write_extract(tmp_path / "epj.txt", rows, header=header, sep="\t",
                         encoding="cp1252", line_end="\n")
    layout = EventLayout(identifier="CPR-nummer", timestamp="dato", kind="type",
                         municipality="kommune", forensic="rets", outpatient=None)
    result = aggregate_events(path, layout, POPULATION)
    assert result.values == EXPECTED
    assert result.errors == []


def test_period_range_fills_months_without_events_with_zero(tmp_path: Path) -> None:
    path = write_extract(tmp_path / "x.csv", GOOD_ROWS)
    result = aggregate_events(path, EventLayout(), POPULATION,
                              period_range=("2021-12", "jun 2022"))
    assert result.months[0] == "2021-12" and result.months[-1] == "2022-06"
    assert result.values["R2"]["2021-12"] == 0 and result.values["F2"]["2022-06"] == 0
    rows = result.measurement_rows()
    assert len(rows) == 4 * 7 and all(r.numerator is None for r in rows)
    with pytest.raises(ValidationError, match="after"):
        aggregate_events(path, EventLayout(), POPULATION, period_range=("2022-03", "2022-01"))


def test_kinds_for_and_population_kinds(tmp_path: Path) -> None:
    path = write_extract(tmp_path / "x.csv", GOOD_ROWS)
    result = aggregate_events(
        path, EventLayout(), POPULATION,
        kinds_for={"R1": ["Fastholdelse"], "R2": "fastholdelse", "F1": ["bæltefiksering"],
                   "F2": None},
    )
    assert result.values["R1"] == {"2022-01": 1, "2022-02": 1, "2022-03": 1}
    assert result.values["F1"] == {"2022-01": 1, "2022-02": 0, "2022-03": 0}
    assert result.values["F2"] == EXPECTED["F2"]
    only = Population(min_age=18, municipalities=["Aalborg", "Hjørring"], wards=["S1", "S5"],
                      kinds=["Tvangsindlæggelse"])
    result = aggregate_events(path, EventLayout(), only)
    assert result.values["F2"] == {"2022-01": 2, "2022-02": 1, "2022-03": 1}
    assert result.outside == {"kind": 11}  # kind is tested first
    with pytest.raises(ValidationError):
        aggregate_events(path, EventLayout(), POPULATION, kinds_for={"X1": ["a"]})
    with pytest.raises(ValidationError):
        aggregate_events(path, EventLayout(), POPULATION, kinds_for={"R1": []})


@pytest.mark.parametrize(
    ("value", "inside"),
    [("ja", True), ("Ja", True), ("1", True), ("x", True), ("X", True), ("yes", True),
     ("nej", False), ("0", False), ("", False), ("Nej", False)],
)
def test_open_outpatient_course_yes_no(tmp_path: Path, value: str, inside: bool) -> None:
    path = write_extract(tmp_path / "x.csv", [event(A, "05.01.2022 10:00", outpatient=value)])
    population = Population(require_outpatient_course=True, exclude_forensic=False)
    result = aggregate_events(path, EventLayout(), population)
    assert result.values["F2"] == {"2022-01": int(inside)}
    assert result.outside == ({} if inside else {"outpatient": 1})


def test_unknown_yes_no_and_field_count_errors(tmp_path: Path) -> None:
    rows = [event(A, "05.01.2022 10:00", forensic="måske"), (A, "05.01.2022", "Remme")]
    result = aggregate_events(write_extract(tmp_path / "x.csv", rows), EventLayout(),
                              Population())
    assert [(e.row, e.column, e.code) for e in result.errors] == [
        (2, "retspsykiatrisk", "yes_no_invalid"), (3, None, "field_count")]
    assert result.errors[1].reason_en == "the row has 3 fields, the header has 8"
    assert result.values == {k: {} for k in ("R1", "R2", "F1", "F2")}


def test_missing_columns_are_named(tmp_path: Path) -> None:
    path = write_extract(tmp_path / "x.csv", [event(A, "05.01.2022")],
                         header=("cpr", "tid", *EVENT_HEADER[2:]))
    with pytest.raises(DataImportError, match=r"'tidspunkt' \(timestamp\)"):
        aggregate_events(path, EventLayout(), POPULATION)
    with pytest.raises(DataImportError, match="ward"):
        aggregate_events(path, EventLayout(timestamp="tid", ward=None), POPULATION)
    utf16 = tmp_path / "unicode.txt"
    utf16.write_bytes("cpr\ttidspunkt\ttvangstype\r\n".encode("utf-16"))
    with pytest.raises(DataImportError, match="UTF-16"):
        aggregate_events(utf16, EventLayout(), Population(exclude_forensic=False))
    huge = tmp_path / "huge.csv"
    huge.write_bytes(b";".join(h.encode() for h in EVENT_HEADER) + b"\n" + b"x" * 200_000 + b"\n")
    with pytest.raises(DataImportError, match="cannot be split"):
        aggregate_events(huge, EventLayout(), Population())
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"\r\n\r\n")
    with pytest.raises(DataImportError, match="empty"):
        aggregate_events(empty)


def test_layout_and_population_round_trip() -> None:
    layout = EventLayout(identifier="Patient", ward=None, separator=";", sheet="Ark1")
    assert EventLayout.from_dict(json.loads(json.dumps(layout.to_dict()))) == layout
    assert Population.from_dict(json.loads(json.dumps(POPULATION.to_dict()))) == POPULATION
    for bad in ({"identifier": None}, {"colour": "x"}, {"ward": ""}, {"separator": "x"}, []):
        with pytest.raises(ValidationError):
            EventLayout.from_dict(bad)  # type: ignore[arg-type]
    for bad in ({"min_age": -1}, {"min_age": 20, "max_age": 10}, {"wards": "S1"},
                {"kinds": [""]}, {"exclude_forensic": "ja"}, {"unknown": 1}, {"max_age": True}):
        with pytest.raises(ValidationError):
            Population.from_dict(bad)


def test_workbook_extract(tmp_path: Path) -> None:
    import datetime as dt

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(EVENT_HEADER))
    for row in GOOD_ROWS:
        day, month, rest = row[1].split(".", 2)
        when = dt.datetime(int(rest[:4]), int(month), int(day))
        cpr = int(row[0]) if row[0].isdigit() else row[0]  # Excel stores numbers as numbers
        sheet.append([cpr, when, *row[2:]])
    sheet.append(["", dt.datetime(2022, 1, 3), "Remme", "S1", 30, "Aalborg", "ja", "nej"])
    path = tmp_path / "udtraek.xlsx"
    workbook.save(path)
    result = aggregate_events(path, EventLayout(), POPULATION)
    assert result.values == EXPECTED
    assert [(e.row, e.code) for e in result.errors] == [(len(GOOD_ROWS) + 2,
                                                         "identifier_missing")]
    assert result.source.sheet == "Sheet"


def random_rows(count: int, seed: int) -> list[tuple[object, ...]]:
    rng = random.Random(seed)
    persons = [f"{rng.randrange(1, 29):02d}{rng.randrange(1, 13):02d}{rng.randrange(100):02d}-"
               f"{rng.randrange(10000):04d}" for _ in range(count // 8 + 1)]
    kinds = ["Tvangsindlæggelse", "Bæltefiksering", "Fastholdelse", "Remme"]
    rows: list[tuple[object, ...]] = []
    for _ in range(count):
        rows.append(event(
            rng.choice(persons),
            f"{rng.randrange(1, 29):02d}.{rng.randrange(1, 13):02d}.{rng.choice([2021, 2022])}"
            f" {rng.randrange(24):02d}:{rng.randrange(60):02d}",
            rng.choice(kinds), rng.choice(["S1", "S5", "S9"]), rng.randrange(10, 90),
            rng.choice(["Aalborg", "Hjørring", "Aarhus"]), "ja", rng.choice(["nej"] * 9 + ["ja"]),
        ))
    return rows


def test_two_processes_count_exactly_as_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    rows = random_rows(6000, seed=7)
    rows[4321] = event("nonsense id!", "01.01.2022 10:00")  # a row error in the second half
    path = write_extract(tmp_path / "big.csv", rows)
    monkeypatch.setattr(eventrun, "CHUNK_SIZE", 8192)
    one = aggregate_events(path, EventLayout(), POPULATION, workers=1)
    two = aggregate_events(path, EventLayout(), POPULATION, workers=2)
    assert one.workers == 1 and two.workers == 2
    assert one.values == two.values
    assert one.outside == two.outside
    assert one.concentration == two.concentration
    assert one.concentration_by_year == two.concentration_by_year
    assert [(e.row, e.code) for e in one.errors] == [(e.row, e.code) for e in two.errors] == [
        (4323, "identifier_invalid")]


def test_quotes_in_a_parallel_scan_fall_back_to_one_process(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = random_rows(3000, seed=3)
    rows[2500] = tuple(f'"{v}"' for v in rows[2500])
    path = write_extract(tmp_path / "q.csv", rows)
    monkeypatch.setattr(eventrun, "CHUNK_SIZE", 4096)
    result = aggregate_events(path, EventLayout(), POPULATION, workers=2)
    assert result.workers == 1
    reference = aggregate_events(write_extract(tmp_path / "r.csv", random_rows(3000, seed=3)),
                                 EventLayout(), POPULATION, workers=1)
    assert result.values == reference.values


def test_default_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(eventrun.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(eventrun.os, "getloadavg", lambda: (0.3, 0.3, 0.3))
    assert eventrun.default_workers(100 << 20) == 2
    assert eventrun.default_workers(1 << 20) == 1  # small files: one process
    monkeypatch.setattr(eventrun.os, "getloadavg", lambda: (3.5, 3.0, 2.0))
    assert eventrun.default_workers(100 << 20) == 1  # both cores busy already
    monkeypatch.setattr(eventrun.os, "cpu_count", lambda: 1)
    monkeypatch.setattr(eventrun.os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    assert eventrun.default_workers(100 << 20) == 1
