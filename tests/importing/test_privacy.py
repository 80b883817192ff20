"""No CPR number leaves the importing package: not in results, errors, reprs or logs.

An extract full of CPR numbers (valid, without dash, with Excel's lost leading zero,
broken ones, and CPR numbers typed into the wrong columns) is aggregated; every output
object is serialised every way we know, and none of the numbers may appear.
"""

from __future__ import annotations

import json
import logging
import random
from pathlib import Path

import pytest

from pdsa_core.errors import PdsaError
from pdsa_core.importing import (
    EventLayout,
    Population,
    aggregate_events,
    guess_mapping,
    read_csv_bytes,
    read_measurements,
    read_period,
)

from .helpers import EVENT_HEADER, event, write_extract


def make_cprs(count: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    return [
        f"{rng.randrange(1, 29):02d}{rng.randrange(1, 13):02d}{rng.randrange(100):02d}-"
        f"{rng.randrange(10000):04d}"
        for _ in range(count)
    ]


def forms(cpr: str) -> set[str]:
    digits = cpr.replace("-", "")
    found = {cpr, digits}
    if digits.startswith("0"):
        found.add(digits[1:])
    return found


def assert_no_cpr(texts: list[str], cprs: list[str]) -> None:
    blob = "\n".join(texts)
    leaked = sorted(form for cpr in cprs for form in forms(cpr) if form in blob)
    assert leaked == []


def extract_rows(cprs: list[str]) -> list[tuple[object, ...]]:
    rng = random.Random(2)
    rows: list[tuple[object, ...]] = []
    for number, cpr in enumerate(cprs):
        spelling = (cpr, cpr.replace("-", ""), cpr.replace("-", "").lstrip("0"))[number % 3]
        when = f"{rng.randrange(1, 29):02d}.{rng.randrange(1, 13):02d}.2022 10:00"
        rows.append(event(spelling, when, rng.choice(["Tvangsindlæggelse", "Remme"]),
                          rng.choice(["S1", "S2"]), rng.randrange(10, 80)))
    # CPR numbers where they do not belong, and broken ones:
    victim = cprs[0]
    rows += [
        event(victim[:-1], "01.01.2022 10:00"),           # one digit short
        event(victim + "9", "01.01.2022 10:00"),           # one digit too many
        event(f"{victim} x", "01.01.2022 10:00"),          # text after it
        event(cprs[1], victim),                            # CPR as the timestamp
        event(cprs[2], "02.01.2022 10:00", kind=cprs[3]),  # CPR as the kind
        event(cprs[4], "02.01.2022 10:00", ward=cprs[5]),  # CPR as the ward
        event(cprs[6], "02.01.2022 10:00", age=cprs[7]),   # CPR as the age
        event(cprs[8], "02.01.2022 10:00", forensic=cprs[9]),
        (cprs[10], "03.01.2022 10:00"),                    # too few fields
    ]
    return rows


def everything(obj: object) -> list[str]:
    texts = [repr(obj), str(obj)]
    to_dict = getattr(obj, "to_dict", None)
    if to_dict is not None:
        texts.append(json.dumps(to_dict(), ensure_ascii=False))
        texts.append(json.dumps(to_dict()))
    return texts


@pytest.mark.parametrize("workers", [1, 2])
def test_aggregate_never_shows_a_cpr(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                     monkeypatch: pytest.MonkeyPatch, workers: int) -> None:
    from pdsa_core.importing.events import run as eventrun

    monkeypatch.setattr(eventrun, "CHUNK_SIZE", 4096)
    caplog.set_level(logging.DEBUG)
    cprs = make_cprs(3000)
    path = write_extract(tmp_path / "udtraek.csv", extract_rows(cprs))
    result = aggregate_events(path, EventLayout(), Population(min_age=18, wards=["S1"]),
                              workers=workers)
    assert result.rows_counted > 0 and result.error_count >= 6
    texts = everything(result)
    for error in result.errors:
        texts += everything(error) + [error.message("da"), error.reason_da, error.reason_en]
    texts += [str(row) for row in result.measurement_rows()]
    texts += everything(result.concentration) + [record.getMessage() for record in caplog.records]
    assert_no_cpr(texts, cprs)


def test_error_messages_about_the_file_never_show_a_cpr(tmp_path: Path) -> None:
    cprs = make_cprs(5, seed=9)
    # No header line: the first data row is taken as the header.
    first, *rest = [event(c, "01.01.2022") for c in cprs]
    headerless = write_extract(tmp_path / "no_header.csv", rest,
                               header=[str(value) for value in first])
    texts = []
    with pytest.raises(PdsaError) as info:
        aggregate_events(headerless, EventLayout(), Population())
    texts.append(str(info.value))
    assert "its first line looks like data, not column names" in texts[0]
    with pytest.raises(PdsaError) as info:
        aggregate_events(tmp_path / "no_header.csv", EventLayout(), Population(),
                         period_range=(cprs[0], "2022-01"))
    texts.append(str(info.value))
    with pytest.raises(PdsaError) as info:
        read_period(cprs[1].replace("-", ""))
    texts.append(str(info.value))
    assert_no_cpr(texts, cprs)


def test_measurement_table_errors_redact_cpr_numbers() -> None:
    cprs = make_cprs(3, seed=4)
    data = f"Måned;R1\n{cprs[0]};1\njan-22;{cprs[1]}\nfeb-22;1\nmar-22;{cprs[2]} (fejl)\n"
    table = read_csv_bytes(data.encode())
    result = read_measurements(table, guess_mapping(table, ["R1"]).mapping)  # type: ignore[arg-type]
    assert len(result.errors) == 3
    texts = everything(result)
    for error in result.errors:
        texts += everything(error) + [error.message("da")]
    assert_no_cpr(texts, cprs)
    assert "***" in result.errors[1].reason_en


def test_header_names_of_the_extract_are_redacted(tmp_path: Path) -> None:
    cpr = make_cprs(1, seed=5)[0]
    header = (*EVENT_HEADER[:3], f"afsnit {cpr}", *EVENT_HEADER[4:])
    path = write_extract(tmp_path / "x.csv", [event("P1", "01.01.2022")], header=header)
    with pytest.raises(PdsaError) as info:
        aggregate_events(path, EventLayout(), Population(wards=["S1"]))
    assert_no_cpr([str(info.value)], [cpr])
