"""Fuzzing: malformed bytes and CSV content never crash the importers.

Whatever the input, the importers either return a result whose row errors carry row
numbers, or raise :class:`DataImportError`/:class:`ValidationError`. The event
aggregation is also checked against a plain row-by-row reference implementation.
"""

from __future__ import annotations

import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pdsa_core.errors import DataImportError, ValidationError
from pdsa_core.importing import (
    EventLayout,
    Population,
    aggregate_events,
    guess_mapping,
    read_csv_bytes,
    read_measurements,
)
from pdsa_core.importing.events import normalise_label, normalise_municipality
from pdsa_core.importing.events import run as eventrun
from pdsa_core.importing.identifiers import canonical_identifier
from pdsa_core.importing.periods import parse_day

from .helpers import EVENT_HEADER

FUZZ = settings(max_examples=60, deadline=None)
ALLOWED = (DataImportError, ValidationError)


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes_as_csv(data: bytes) -> None:
    try:
        table = read_csv_bytes(data, name="fuzz.csv")
    except ALLOWED:
        return
    assert all(isinstance(n, int) and n >= 1 for n in table.row_numbers)
    assert len(set(table.headers)) == len(table.headers)


CELLS = st.one_of(
    st.sampled_from(["jan-22", "2022-02", "01-22", "marts 2022", "2022", "", " ", "1,5", "-3",
                     "1.234,5", "abc", "12", "0", "1e400", "nan", "44562", '"', "æøå"]),
    st.text(alphabet="0123456789,.-;\" abcjanæøå\t", max_size=8),
)
HEADERS = st.lists(st.sampled_from(["Måned", "R1", "R2", "V1 tæller", "V1 nævner", "Periode",
                                    "Indikator", "Værdi", "x", ""]), min_size=1, max_size=5)


@FUZZ
@given(HEADERS, st.lists(st.lists(CELLS, max_size=6), max_size=8), st.sampled_from([";", ",",
                                                                                      "\t"]),
       st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
def test_random_tables_give_row_errors_not_crashes(headers: list[str], rows: list[list[str]],
                                                   sep: str, encoding: str) -> None:
    text = "\n".join(sep.join(row) for row in [headers, *rows])
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return
    try:
        table = read_csv_bytes(data)
        guess = guess_mapping(table, ["R1", "R2", "V1"])
        if guess.mapping is None:
            return
        result = read_measurements(table, guess.mapping, known_indicator_codes=["R1", "R2",
                                                                                 "V1"])
    except ALLOWED:
        return
    for error in result.errors:
        assert isinstance(error.row, int) and error.row >= 2
        assert error.column is None or error.column in table.headers
        assert error.reason_da and error.reason_en
    for row in result.rows:
        assert row.value >= 0
        if row.denominator is not None:
            assert row.numerator is not None and 0 <= row.numerator <= row.denominator


LINES = st.lists(st.binary(max_size=60), max_size=12)


@FUZZ
@given(LINES, st.sampled_from([b"\r\n", b"\n"]), st.integers(min_value=1, max_value=2))
def test_random_event_lines(lines: list[bytes], line_end: bytes, workers: int) -> None:
    header = ";".join(EVENT_HEADER).encode("utf-8")
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        patch.setattr(eventrun, "CHUNK_SIZE", 64)
        path = Path(folder) / "fuzz.csv"
        path.write_bytes(line_end.join([header, *lines]))
        try:
            result = aggregate_events(path, EventLayout(), Population(min_age=18),
                                      workers=workers)
        except DataImportError:
            return
    for error in result.errors:
        assert isinstance(error.row, int) and error.row >= 2
    # every row read is counted, outside the population, or has errors
    rows_with_errors = len({error.row for error in result.errors})
    assert rows_with_errors == result.rows_read - result.rows_counted - sum(
        result.outside.values())


IDS = st.sampled_from(["010190-1234", "0101901234", "101901234", "020285-4321", "P-7", "p-7",
                       "12-34", "", " 030303-3333 ", "040404 4444", "abc", "x" * 70])
STAMPS = st.sampled_from(["01.01.2022 00:00", "31.01.2022 23:59", "1.2.2022 8:05",
                          "2022-02-28T10:00:00", "28-02-22", "29.02.2022 10:00", "", "nu",
                          " 15.03.2022 10:00", "15.03.2022", "15.03.20221 10:00", "20220401",
                          "31.12.2021 12:00"])
KINDS = st.sampled_from(["Tvangsindlæggelse", "tvangsindlæggelse ", "Remme", "Bælte fiksering",
                         "", "  "])
WARDS = st.sampled_from(["S1", "s5", "S9", "", "S 1"])
AGES = st.sampled_from(["18", "17", "90", "", "atten", "18.0", " 40 "])
PLACES = st.sampled_from(["Aalborg", "Aalborg Kommune", "AALBORG  kommune", "Aarhus", ""])
YES_NO = st.sampled_from(["ja", "nej", "", "x", "1", "0", "måske", "Nej "])
ROWS = st.lists(st.tuples(IDS, STAMPS, KINDS, WARDS, AGES, PLACES, YES_NO, YES_NO),
                max_size=40)


def reference(rows: list[tuple[str, ...]]) -> tuple[dict[str, dict[str, int]], list[int]]:
    """R1/R2/F1/F2 by month and the error rows, computed row by row, plainly."""
    persons: dict[str, dict[str, set[str]]] = {"R": defaultdict(set), "F": defaultdict(set)}
    events: dict[str, Counter[str]] = {"R": Counter(), "F": Counter()}
    error_rows = []
    for number, (cpr, stamp, kind, ward, age, place, _outpatient, forensic) in enumerate(
            rows, start=2):
        try:
            person = canonical_identifier(cpr)
        except ValidationError:
            person = None
        try:
            day = parse_day(stamp)
        except ValidationError:
            day = None
        label = normalise_label(kind)
        age_ok = age.strip() == "" or (age.strip().isascii() and age.strip().isdigit())
        yes_no = normalise_label(forensic)
        if None in (person, day) or not label or not age_ok or yes_no not in (
                "ja", "nej", "", "x", "1", "0"):
            error_rows.append(number)
            continue
        inside = (
            normalise_label(ward) in ("s1", "s5")
            and age.strip() != "" and int(age) >= 18
            and normalise_municipality(place) == "aalborg"
            and yes_no in ("nej", "", "0")
        )
        if not inside:
            continue
        assert day is not None and person is not None
        month = f"{day.year:04d}-{day.month:02d}"
        groups = ("R", "F") if label == "tvangsindlæggelse" else ("F",)
        for group in groups:
            persons[group][month].add(person)
            events[group][month] += 1
    months = sorted(set(events["F"]) | set(events["R"]))
    values = {
        "R1": {m: len(persons["R"][m]) for m in months},
        "R2": {m: events["R"][m] for m in months},
        "F1": {m: len(persons["F"][m]) for m in months},
        "F2": {m: events["F"][m] for m in months},
    }
    return values, error_rows


@settings(max_examples=80, deadline=None)
@given(ROWS, st.integers(min_value=1, max_value=2), st.booleans())
def test_aggregation_matches_a_plain_reference(rows: list[tuple[str, ...]], workers: int,
                                               quoted: bool) -> None:
    population = Population(min_age=18, wards=["S1", "S5"], municipalities=["Aalborg"],
                            exclude_forensic=True)
    lines = [";".join(EVENT_HEADER)]
    for row in rows:
        lines.append(";".join(f'"{v}"' if quoted else v for v in row))
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        patch.setattr(eventrun, "CHUNK_SIZE", 128)
        path = Path(folder) / "extract.csv"
        path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
        result = aggregate_events(path, EventLayout(), population, workers=workers)
    expected, error_rows = reference(rows)
    got = {k: {m: v for m, v in by_month.items() if v} for k, by_month in result.values.items()}
    want = {k: {m: v for m, v in by_month.items() if v} for k, by_month in expected.items()}
    assert got == want
    assert sorted({e.row for e in result.errors}) == error_rows
