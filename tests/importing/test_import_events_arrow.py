"""The pyarrow engine for event extracts counts exactly as the Python scanner does.

Every extract here is aggregated twice, with ``engine="arrow"`` and ``engine="python"``,
and the two results must be identical in every field. A clean extract must really be
read by pyarrow (``result.engine == "arrow"``); an extract with unreadable rows must
fall back to the Python scanner, which reports the row errors.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pdsa_core.errors import DataImportError, ValidationError
from pdsa_core.importing import (
    EventAggregate,
    EventLayout,
    Population,
    aggregate_events,
)
from pdsa_core.importing.events import arrow as eventarrow
from pdsa_core.importing.events import run as eventrun

from .helpers import EVENT_HEADER, event, write_extract

POPULATION = Population(min_age=18, municipalities=["Aalborg Kommune", "Hjørring"],
                        wards=["S1", "S5"], exclude_forensic=True)
A, A2, A9 = "010190-1234", "0101901234", "101901234"  # one person, three spellings
B, C = "020285-4321", "P-0042"


def both(path: Path, layout: EventLayout | None = None, population: Population | None = None,
         **options: Any) -> tuple[EventAggregate, EventAggregate]:
    """The extract aggregated by both engines; their results must be identical."""
    arrow = aggregate_events(path, layout, population, engine="arrow", **options)
    python = aggregate_events(path, layout, population, engine="python", **options)
    assert python.engine == "python"
    assert arrow.to_dict() == python.to_dict()
    assert [str(e) for e in arrow.errors] == [str(e) for e in python.errors]
    return arrow, python


def clean(path: Path, layout: EventLayout | None = None, population: Population | None = None,
          **options: Any) -> EventAggregate:
    """Both engines agree and pyarrow really read the file."""
    arrow, _ = both(path, layout, population, **options)
    assert arrow.engine == "arrow"
    assert arrow.errors == []
    return arrow


ROWS = [
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
    event(B, "31.03.2022 23:59", "Tvangsindlæggelse"),
    event("030303-3333", "20.01.2022 10:00", age=16),           # outside: age
    event("030303-3334", "20.01.2022 10:00", age=""),           # outside: age unknown
    event("040404-4444", "20.01.2022 10:00", municipality="Aarhus"),  # outside: municipality
    event("050505-5555", "20.01.2022 10:00", ward="S9"),        # outside: ward
    event("060606-6666", "20.01.2022 10:00", forensic="ja"),    # outside: forensic
    event("070707-7777", "20.01.2022 10:00", ward="S9", age=12),  # outside: ward (first rule)
    event("080808-8888", "20.01.2022 10:00", outpatient="nej"),
]
EXPECTED = {
    "R1": {"2022-01": 1, "2022-02": 1, "2022-03": 1},
    "R2": {"2022-01": 2, "2022-02": 1, "2022-03": 2},
    "F1": {"2022-01": 3, "2022-02": 2, "2022-03": 2},
    "F2": {"2022-01": 7, "2022-02": 2, "2022-03": 3},
}


def test_a_clean_extract_is_read_by_pyarrow_and_counted_alike(tmp_path: Path) -> None:
    result = clean(write_extract(tmp_path / "udtraek.csv", ROWS), EventLayout(), POPULATION)
    assert result.values == EXPECTED
    assert result.outside == {"ward": 2, "age": 2, "municipality": 1, "forensic": 1}
    assert result.rows_read == len(ROWS) and result.rows_counted == 12
    assert result.concentration.to_dict() == {
        "persons": 4, "events": 12, "top_persons": 1, "top_events": 7, "share": 7 / 12}
    assert result.workers == 1


def test_every_outside_reason_and_population_kinds(tmp_path: Path) -> None:
    path = write_extract(tmp_path / "x.csv", ROWS)
    population = Population(min_age=18, max_age=64, municipalities=["Aalborg", "Hjørring"],
                            wards=["S1", "S5"], kinds=["Tvangsindlæggelse", "Bæltefiksering"],
                            require_outpatient_course=True, exclude_forensic=True)
    result = clean(path, EventLayout(), population)
    assert set(result.outside) == {"kind", "ward", "age", "municipality", "outpatient",
                                   "forensic"}
    clean(path, EventLayout(), Population())  # no restriction at all
    clean(path, EventLayout(), Population(exclude_forensic=False, max_age=30))


def test_encodings_line_ends_separators_and_blank_lines(tmp_path: Path) -> None:
    """BOM or none, CRLF or LF, Windows-1252 with æøå, tab/comma/pipe, blank lines."""
    rows: list[Sequence[object]] = list(ROWS)
    rows.insert(3, ())
    rows.insert(8, ())
    rows += [(), ()]
    for number, (encoding, line_end, sep) in enumerate([
        ("utf-8-sig", "\r\n", ";"), ("utf-8", "\n", ";"), ("cp1252", "\r\n", ";"),
        ("cp1252", "\n", "\t"), ("utf-8-sig", "\r\n", ","), ("utf-8", "\r\n", "|"),
    ]):
        path = write_extract(tmp_path / f"x{number}.csv", rows, encoding=encoding,
                             line_end=line_end, sep=sep)
        layout = EventLayout(separator=sep if sep == "|" else None)  # | is not guessed
        result = clean(path, layout, POPULATION)
        assert result.values == EXPECTED, (encoding, line_end, sep)
        assert result.kinds_seen["bæltefiksering"] == 9


def test_a_file_mixing_utf8_and_windows_1252_values(tmp_path: Path) -> None:
    header = ";".join(EVENT_HEADER).encode("utf-8")
    lines = [header]
    for number, row in enumerate(ROWS):
        line = ";".join(str(v) for v in row)
        lines.append(line.encode("cp1252" if number % 2 else "utf-8"))
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"\r\n".join(lines) + b"\r\n")
    assert clean(path, EventLayout(), POPULATION).values == EXPECTED


def test_quoted_fields(tmp_path: Path) -> None:
    """All fields quoted, doubled quotes, separators and line breaks inside quotes."""
    quoted = [tuple(f'"{v}"' for v in row) for row in ROWS]
    assert clean(write_extract(tmp_path / "q.csv", quoted), EventLayout(),
                 POPULATION).values == EXPECTED
    odd = list(ROWS) + [
        event(B, '"15.03.2022 10:00"', '"Bælte; fiksering"'),
        event(B, "15.03.2022 10:00", '"Bælte ""fiksering"""'),
        event(B, "16.03.2022 10:00", '"Tvangs\r\nindlæggelse"'),
        event(B, "16.03.2022 10:00", '"Tvangs\nindlæggelse"', ward='"S1"'),
    ]
    result = clean(write_extract(tmp_path / "odd.csv", odd), EventLayout(), POPULATION)
    assert result.kinds_seen['bælte "fiksering"'] == 1
    assert result.kinds_seen["tvangs indlæggelse"] == 2


def test_timestamp_forms_and_period_range(tmp_path: Path) -> None:
    """Padded and unpadded Danish dates, ISO with and without time, spaces before."""
    stamps = ["1.1.2022 8:05", "2022-01-31T23:59:00", "2022-02-01", "28-02-22",
              " 01.03.2022 10:00", "20220331", "1/3/2022", "31.12.2021 12:00",
              "15.01.2022", "15.01.2022T10:00"]
    rows = [event(A if n % 2 else B, stamp) for n, stamp in enumerate(stamps)]
    path = write_extract(tmp_path / "t.csv", rows)
    result = clean(path, EventLayout(), POPULATION)
    assert result.months == ["2021-12", "2022-01", "2022-02", "2022-03"]
    result = clean(path, EventLayout(), POPULATION, period_range=("2021-06", "2022-06"))
    assert result.months[0] == "2021-06" and result.values["F2"]["2022-06"] == 0


def test_kinds_for_with_several_kind_groups(tmp_path: Path) -> None:
    path = write_extract(tmp_path / "k.csv", ROWS)
    result = clean(path, EventLayout(), POPULATION, kinds_for={
        "R1": ["Fastholdelse"], "R2": "tvangsindlæggelse", "F1": ["bæltefiksering", "fastholdelse"],
        "F2": ["beroligende medicin"]})
    assert result.values["R1"] == {"2022-01": 1, "2022-02": 1, "2022-03": 1}
    assert result.values["F2"] == {"2022-01": 1, "2022-02": 0, "2022-03": 0}
    assert result.concentration.events == 1  # the concentration follows F2's kinds


def test_one_person_with_many_events_and_many_persons(tmp_path: Path) -> None:
    rows = [event(A, f"{day:02d}.01.2022 {hour:02d}:00", "Tvangsindlæggelse")
            for day in range(1, 32) for hour in range(0, 24, 6)]
    rows += [event(f"{n % 28 + 1:02d}0{n % 9 + 1}{n % 100:02d}-{n:04d}", "15.02.2023 10:00",
                   "Remme") for n in range(3000)]
    path = write_extract(tmp_path / "many.csv", rows)
    result = clean(path, EventLayout(), Population())
    assert result.values["R1"]["2022-01"] == 1 and result.values["R2"]["2022-01"] == 124
    assert result.values["F1"]["2023-02"] == 3000
    assert set(result.concentration_by_year) == {"2022", "2023"}


def test_other_headers_order_and_extra_columns(tmp_path: Path) -> None:
    header = ("Hændelse", "Type", "CPR-nummer", "Dato", "Afsnit", "Alder", "Kommune", "Amb",
              "Rets", "Bemærkning")
    rows = [(f"H{n}", row[2], row[0], row[1], *row[3:], "fri tekst; ok")
            for n, row in enumerate(ROWS)]
    path = write_extract(tmp_path / "epj.txt", rows, header=header, sep="\t")
    layout = EventLayout(identifier="CPR-nummer", timestamp="dato", kind="type",
                         municipality="kommune", forensic="rets", outpatient=None)
    assert clean(path, layout, POPULATION).values == EXPECTED


def test_the_same_column_for_two_roles(tmp_path: Path) -> None:
    rows = [("P-1", "01.01.2022"), ("P-2", "02.01.2022"), ("P-1", "03.02.2022")]
    path = write_extract(tmp_path / "two.csv", rows, header=("id", "dato"))
    layout = EventLayout(identifier="id", timestamp="dato", kind="id")
    result = clean(path, layout, Population(exclude_forensic=False),
                   kinds_for={"R1": ["p-1"], "R2": ["p-1"]})
    assert result.values["R1"] == {"2022-01": 1, "2022-02": 1}


def test_header_only_and_no_rows(tmp_path: Path) -> None:
    path = write_extract(tmp_path / "empty.csv", [])
    both(path, EventLayout(), POPULATION)
    both(path, EventLayout(), POPULATION, period_range=("2022-01", "2022-03"))
    blank = write_extract(tmp_path / "blank.csv", [(), ()])
    both(blank, EventLayout(), POPULATION)


BAD = [
    event("12-34", "20.01.2022 10:00"),                         # not an identifier
    event("080808-8888", "32.01.2022 10:00"),                   # no 32 January
    event("090909-9999", "20.01.2022 10:00", age="tredive"),    # age in words
    event("", "20.01.2022 10:00"),                              # no identifier
    event(A, "20.01.2022 10:00", kind=""),                      # no kind
    event(A, "20.01.2022 10:00", forensic="måske"),             # neither yes nor no
    (A, "20.01.2022 10:00", "Remme"),                           # too few fields
    (*event(A, "20.01.2022 10:00"), "extra"),                   # too many fields
    event(A, ""),                                               # no timestamp
]


@pytest.mark.parametrize("bad", range(len(BAD)))
def test_an_unreadable_row_falls_back_to_the_exact_scanner(tmp_path: Path, bad: int) -> None:
    rows = list(ROWS)
    rows.insert(5, BAD[bad])
    arrow, python = both(write_extract(tmp_path / "bad.csv", rows), EventLayout(), POPULATION)
    assert arrow.engine == "python"
    assert len(arrow.errors) == 1 and arrow.errors[0].row == 7


def test_lines_that_pyarrow_cannot_read_fall_back(tmp_path: Path) -> None:
    header = ";".join(EVENT_HEADER)
    good = ";".join(str(v) for v in ROWS[0])
    for number, text in enumerate([
        f"{header}\r\n{good}\r\n   \r\n{good}\r\n",          # a line of spaces: skipped by both
        f'{header}\r\n{good}\r\n"{good}\r\n{good}\r\n',       # a quote never closed
        f"{header}\r\n{good}\r\n{'x' * 200_000}\r\n",          # a line too long for csv
        f"{header}\r\n{good}\r\n{good};{'y' * 140_000}\r\n",   # a field too long for csv
    ]):
        path = tmp_path / f"odd{number}.csv"
        path.write_bytes(text.encode("utf-8"))
        try:
            arrow, _ = both(path, EventLayout(), POPULATION)
        except DataImportError as error:
            with pytest.raises(DataImportError, match=str(error).split(":")[0]):
                aggregate_events(path, EventLayout(), POPULATION, engine="python")
            continue
        assert arrow.engine == "python"


def test_a_value_longer_than_the_csv_field_limit_falls_back(tmp_path: Path) -> None:
    """In a used column or not: the Python scanner decides (it refuses such a file when
    it reads it with the csv module, i.e. when there are quotes)."""
    rows = list(ROWS) + [event(A, "20.01.2022 10:00", kind="k" * 140_000)]
    arrow, _ = both(write_extract(tmp_path / "long.csv", rows), EventLayout(), POPULATION)
    assert arrow.engine == "python"
    unused = list(ROWS) + [event(A, "20.01.2022 10:00", outpatient="x" * 140_000)]
    arrow, _ = both(write_extract(tmp_path / "unused.csv", unused), EventLayout(), POPULATION)
    assert arrow.engine == "python"
    unused.append(event(f'"{B}"', "21.01.2022 10:00"))
    path = write_extract(tmp_path / "quoted.csv", unused)
    for engine in ("arrow", "python"):
        with pytest.raises(DataImportError, match="field limit"):
            aggregate_events(path, EventLayout(), POPULATION, engine=engine)


def test_without_pyarrow_the_exact_scanner_runs(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_extract(tmp_path / "x.csv", ROWS)
    for name in ("pyarrow", "pyarrow.csv", "pyarrow.compute"):
        monkeypatch.setitem(sys.modules, name, None)  # "import pyarrow" now fails
    assert not eventarrow.arrow_available()
    result = aggregate_events(path, EventLayout(), POPULATION, engine="arrow")
    assert result.engine == "python" and result.values == EXPECTED
    monkeypatch.undo()
    assert eventarrow.arrow_available()


def test_auto_uses_pyarrow_for_large_files_only(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_extract(tmp_path / "x.csv", ROWS)
    assert aggregate_events(path, EventLayout(), POPULATION).engine == "python"
    monkeypatch.setattr(eventrun, "ARROW_MIN_BYTES", 100)
    assert aggregate_events(path, EventLayout(), POPULATION).engine == "arrow"
    with pytest.raises(ValidationError, match="engine"):
        aggregate_events(path, EventLayout(), POPULATION, engine="polars")


def test_small_steps_and_big_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Many small blocks and steps count as one; too large tables go to the exact path."""
    rows = [event(f"P-{n % 2000}", f"{n % 28 + 1:02d}.{n % 12 + 1:02d}.{2020 + n // 12 % 3} 10:00",
                  ("Tvangsindlæggelse", "Remme", "Bæltefiksering")[n % 3],
                  ("S1", "S5", "S9")[n % 3], 10 + n % 70)
            for n in range(5000)]
    path = write_extract(tmp_path / "steps.csv", rows)
    whole = clean(path, EventLayout(), POPULATION)
    monkeypatch.setattr(eventarrow, "BLOCK_SIZE", 4096)
    monkeypatch.setattr(eventarrow, "STEP_ROWS", 100)
    assert clean(path, EventLayout(), POPULATION).to_dict() == whole.to_dict()
    monkeypatch.setattr(eventarrow, "TABLE_BYTES", 1000)
    arrow, _ = both(path, EventLayout(), POPULATION)
    assert arrow.engine == "python"


def test_identifiers_are_not_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The memo of raw identifiers is dropped when the scan ends, even when it gives up."""
    scans: list[Any] = []
    original = eventarrow._ArrowScan.__init__

    def remember(self: Any, *args: Any) -> None:
        original(self, *args)
        scans.append(self)

    monkeypatch.setattr(eventarrow._ArrowScan, "__init__", remember)
    aggregate_events(write_extract(tmp_path / "a.csv", ROWS), EventLayout(), POPULATION,
                     engine="arrow")
    aggregate_events(write_extract(tmp_path / "b.csv", [*ROWS, BAD[0]]), EventLayout(),
                     POPULATION, engine="arrow")
    assert len(scans) == 2
    for scan in scans:
        assert scan.ids.known is None and scan.heads.known is None and scan.kinds.known is None
        assert all(memo.known is None for memo in scan.filters.values())
    texts = json.dumps(aggregate_events(tmp_path / "a.csv", EventLayout(), POPULATION,
                                        engine="arrow").to_dict())
    assert A not in texts and A2 not in texts and B not in texts


# --- generated extracts ----------------------------------------------------------------

PERSONS = ["010190-1234", "0101901234", "101901234", "020285-4321", "0202854321", "P-7",
           "p-7", "Pseudonym_æ", "311299-9999", " 030303-3333 "]
GOOD_STAMPS = st.one_of(
    st.builds(lambda d, m, y, h: f"{d:02d}.{m:02d}.{y} {h:02d}:{d:02d}",
              st.integers(1, 28), st.integers(1, 12), st.sampled_from([2021, 2022, 2023]),
              st.integers(0, 23)),
    st.sampled_from(["01.01.2022 00:00", "31.01.2022 23:59", "1.2.2022 8:05",
                     "2022-02-28T10:00:00", "28-02-22", "29.02.2024 10:00", " 15.03.2022 10:00",
                     "15.03.2022", "20220401", "31.12.2021 12:00", "2022-12-31", "1/6/2022"]),
)
KIND_LABELS = st.sampled_from(["Tvangsindlæggelse", "tvangsindlæggelse ", "TVANGSINDLÆGGELSE",
                               "Remme", "Bælte fiksering", "bælte  fiksering", "Fastholdelse",
                               "Beroligende medicin"])
WARD_LABELS = st.sampled_from(["S1", "s5", "S9", "", "S 1", "Sengeafsnit Ø"])
AGE_VALUES = st.sampled_from(["18", "17", "90", "", "40", " 40 ", "12", "65"])
PLACES = st.sampled_from(["Aalborg", "Aalborg Kommune", "AALBORG  kommune", "Aarhus", "",
                          "Hjørring", "Brønderslev Kommune"])
YES_NO = st.sampled_from(["ja", "nej", "", "x", "1", "0", "Nej ", "JA", "-"])
GOOD_ROWS = st.tuples(st.sampled_from(PERSONS), GOOD_STAMPS, KIND_LABELS, WARD_LABELS,
                      AGE_VALUES, PLACES, YES_NO, YES_NO)
BAD_VALUES = st.sampled_from([
    (0, "12-34"), (0, ""), (0, "x" * 70), (0, "040404 4444"), (1, "32.01.2022 10:00"),
    (1, "nu"), (1, ""), (1, "15.03.20221 10:00"), (2, ""), (2, "  "), (4, "atten"),
    (4, "18.0"), (6, "måske"), (7, "kanske"),
])
POPULATIONS = st.builds(
    lambda ages, **fields: Population(min_age=ages[0], max_age=ages[1], **fields),
    st.sampled_from([(None, None), (18, None), (12, 17), (18, 64), (None, 40)]),
    municipalities=st.sampled_from([[], ["Aalborg"], ["Aalborg Kommune", "Hjørring"]]),
    wards=st.sampled_from([[], ["S1", "S5"], ["s 1"]]),
    kinds=st.sampled_from([[], ["Tvangsindlæggelse", "Remme"]]),
    require_outpatient_course=st.booleans(), exclude_forensic=st.booleans(),
)
KINDS_FOR = st.sampled_from([
    None, {"R1": ["Remme"], "F1": ["Tvangsindlæggelse", "Remme"], "F2": ["bælte fiksering"]},
    {"R2": None, "F2": ["Fastholdelse"]},
])
FORMATS = st.tuples(st.sampled_from(["utf-8-sig", "utf-8", "cp1252"]),
                    st.sampled_from(["\r\n", "\n"]), st.sampled_from([";", "\t", ","]),
                    st.sampled_from(["none", "all", "some"]))


def render(rows: list[tuple[str, ...]], formats: tuple[str, str, str, str], blanks: list[int],
           path: Path) -> Path:
    encoding, line_end, sep, quoting = formats
    lines = [sep.join(EVENT_HEADER)]
    for number, row in enumerate(rows):
        if quoting == "all" or (quoting == "some" and number % 3 == 0):
            row = tuple('"' + v.replace('"', '""') + '"' for v in row)
        lines.append(sep.join(row))
    for position in sorted(blanks, reverse=True):
        lines.insert(min(position, len(lines) - 1) + 1, "")
    path.write_bytes((line_end.join(lines) + line_end).encode(encoding, errors="replace"))
    return path


GENERATED = settings(max_examples=150, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow])


@GENERATED
@given(st.lists(GOOD_ROWS, max_size=60), FORMATS, st.lists(st.integers(0, 60), max_size=3),
       POPULATIONS, KINDS_FOR, st.sampled_from([None, ("2021-11", "2022-02")]))
def test_generated_clean_extracts(rows: list[tuple[str, ...]],
                                  formats: tuple[str, str, str, str], blanks: list[int],
                                  population: Population, kinds_for: Any,
                                  period_range: tuple[str, str] | None) -> None:
    if formats[2] == "," and formats[3] == "none":
        formats = (*formats[:3], "all")  # a comma in a value needs quotes
    with tempfile.TemporaryDirectory() as folder:
        path = render(rows, formats, blanks, Path(folder) / "x.csv")
        clean(path, EventLayout(), population, kinds_for=kinds_for, period_range=period_range)


@GENERATED
@given(st.lists(GOOD_ROWS, min_size=1, max_size=40), st.lists(BAD_VALUES, min_size=1, max_size=3),
       st.data(), FORMATS, POPULATIONS)
def test_generated_extracts_with_bad_rows(rows: list[tuple[str, ...]],
                                          bad: list[tuple[int, str]], data: st.DataObject,
                                          formats: tuple[str, str, str, str],
                                          population: Population) -> None:
    rows = list(rows)
    for column, value in bad:
        number = data.draw(st.integers(0, len(rows) - 1))
        row = list(rows[number])
        row[column] = value
        rows[number] = tuple(row)
    if formats[2] == "," and formats[3] == "none":
        formats = (*formats[:3], "all")
    with tempfile.TemporaryDirectory() as folder:
        path = render(rows, formats, [], Path(folder) / "x.csv")
        arrow, python = both(path, EventLayout(), population)
    if python.errors:
        assert arrow.engine == "python"


PIECES = st.sampled_from(['"', ";", "\r", "\n", "\r\n", " ", "a", "010190-1234", "01.01.2022",
                          "Remme", "S1", "40", "Aalborg", "ja", "nej", '""', '";"', "æ"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(PIECES, max_size=20).map("".join), max_size=12),
       st.sampled_from(["\r\n", "\n"]))
def test_generated_odd_text_reads_alike(lines: list[str], line_end: str) -> None:
    """Quotes, separators and line breaks anywhere: both engines count alike, or both
    refuse the file with the same message."""
    text = line_end.join([";".join(EVENT_HEADER), *lines])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "odd.csv"
        path.write_bytes(text.encode("utf-8"))
        outcomes = []
        for engine in ("arrow", "python"):
            try:
                result = aggregate_events(path, EventLayout(), Population(min_age=18),
                                          engine=engine)
                outcomes.append(result.to_dict())
            except DataImportError as error:
                outcomes.append(str(error))
    assert outcomes[0] == outcomes[1]


FIELD_VALUES = [["010190-1234", "0101901234", "P-7"],
                ["01.01.2022 10:00", "15.02.2022", "2022-03-01T08:00"],
                ["Remme", "Tvangs indlæggelse", "Bælte;fiksering", 'a"b'], ["S1", "S 5"],
                ["40", "17", ""], ["Aalborg", "Aarhus"], ["ja", "nej"], ["nej", "ja", ""]]


def quoted(value: str, how: int, cut: int) -> str:
    """``value`` written as a field, quoted in one of the ways files really have."""
    if how == 1:
        return '"' + value.replace('"', '""') + '"'
    if how == 2:  # the quote closes early, the rest follows unquoted
        return '"' + value[:cut].replace('"', '""') + '"' + value[cut:]
    if how == 3:  # a line break inside the quotes
        return '"' + value[:cut].replace('"', '""') + "\r\n" + value[cut:].replace('"', '""') + '"'
    if how == 4:
        return f'"{value}" '  # a space after the closing quote
    if how == 5:
        return f' "{value}"'  # a space before the opening quote
    return value


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 5), st.integers(0, 12)),
                         min_size=8, max_size=8), max_size=8),
       st.sampled_from(["\r\n", "\n"]), st.lists(st.integers(0, 8), max_size=2))
def test_generated_quoting_reads_alike(rows: list[list[tuple[int, int, int]]], line_end: str,
                                       blanks: list[int]) -> None:
    """pyarrow splits quoted fields exactly as the csv module does (or gives up)."""
    lines = [";".join(EVENT_HEADER)]
    for row in rows:
        lines.append(";".join(quoted(FIELD_VALUES[i][pick % len(FIELD_VALUES[i])], how, cut)
                              for i, (pick, how, cut) in enumerate(row)))
    for position in blanks:
        lines.insert(min(position, len(lines) - 1) + 1, "")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "quoted.csv"
        path.write_bytes((line_end.join(lines) + line_end).encode("utf-8"))
        both(path, EventLayout(), Population(min_age=18, exclude_forensic=False))


def test_the_command_line_prints_the_same_with_either_engine(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """``pdsa import events`` (and the TUI, through the same function) uses the pyarrow
    engine for large files; what it prints (table and JSON) does not change."""
    from click.testing import CliRunner

    from pdsa_cli import build_cli
    from pdsa_core.workspace import Workspace

    monkeypatch.setenv("PDSA_LOAD_PLUGINS", "")
    monkeypatch.setenv("COLUMNS", "160")
    ws_path = tmp_path / "workspace.json"
    ws = Workspace.create(ws_path)
    ws.add_team("Syd")
    for code in ("R1", "R2", "F1", "F2"):
        ws.add_indicator("Syd", code, f"Indikator {code}")
    path = write_extract(tmp_path / "udtraek.csv", [*ROWS, *ROWS[:4]])
    population = tmp_path / "voksne.json"
    population.write_text(json.dumps(POPULATION.to_dict()), encoding="utf-8")
    read_by_arrow: list[bool] = []

    def spy(*args: Any) -> Any:
        found = eventarrow.arrow_scan(*args)
        read_by_arrow.append(found is not None)
        return found

    monkeypatch.setattr(eventrun, "arrow_scan", spy)
    outputs = []
    for minimum in (0, 1 << 60):  # pyarrow for every file, then for none
        monkeypatch.setattr(eventrun, "ARROW_MIN_BYTES", minimum)
        for extra in ([], ["--json"]):
            result = CliRunner().invoke(build_cli(), [
                "--workspace", str(ws_path), "--lang", "en", "import", "events", str(path),
                "--team", "Syd", "--population", str(population), "--dry-run", *extra])
            assert result.exit_code == 0, result.output
            outputs.append(result.stdout)
    assert read_by_arrow == [True, True]
    assert outputs[:2] == outputs[2:]
    assert "Event extract: 22 rows read, 16 counted" in outputs[0]


def test_no_cpr_number_in_what_the_pyarrow_engine_returns(tmp_path: Path) -> None:
    from .test_privacy import assert_no_cpr, everything, make_cprs

    cprs = make_cprs(2000, seed=11)
    rows = [event((cpr, cpr.replace("-", ""))[n % 2], f"{n % 28 + 1:02d}.{n % 12 + 1:02d}.2022",
                  ("Tvangsindlæggelse", "Remme")[n % 2]) for n, cpr in enumerate(cprs)]
    result = clean(write_extract(tmp_path / "cpr.csv", rows), EventLayout(), POPULATION)
    assert result.rows_counted == len(rows)
    texts = everything(result) + everything(result.concentration)
    texts += [str(row) for row in result.measurement_rows()]
    assert_no_cpr(texts, cprs)


def test_a_digest_collision_is_retried_with_a_new_salt(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Two persons sharing a digest (practically never) make the run start again, with a
    new random salt, in the pyarrow engine as in the Python scanner."""
    from pdsa_core.importing.identifiers import PersonKeys

    path = write_extract(tmp_path / "x.csv", ROWS)
    salts: list[bytes] = []
    original = PersonKeys.key

    def colliding(self: PersonKeys, canonical: str) -> tuple[int, int]:
        person, check = original(self, canonical)
        if self.salt not in salts:
            salts.append(self.salt)
        return (1, check) if self.salt == salts[0] else (person, check)

    for engine in ("arrow", "python"):
        salts.clear()
        monkeypatch.setattr(PersonKeys, "key", colliding)
        result = aggregate_events(path, EventLayout(), POPULATION, engine=engine)
        monkeypatch.undo()
        assert result.engine == engine and result.values == EXPECTED
        assert len(salts) == 2
