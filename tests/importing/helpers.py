"""Helpers for the importing tests: real-looking files written into ``tmp_path``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

EVENT_HEADER = (
    "cpr",
    "tidspunkt",
    "tvangstype",
    "afsnit",
    "alder",
    "bopælskommune",
    "ambulant_forløb",
    "retspsykiatrisk",
)


def write_extract(
    path: Path,
    rows: Iterable[Sequence[object]],
    *,
    header: Sequence[str] = EVENT_HEADER,
    sep: str = ";",
    encoding: str = "utf-8-sig",
    line_end: str = "\r\n",
) -> Path:
    """Write an event extract the way an EPJ export saved by Excel looks."""
    lines = [sep.join(header)]
    lines += [sep.join("" if v is None else str(v) for v in row) for row in rows]
    path.write_bytes((line_end.join(lines) + line_end).encode(encoding))
    return path


def event(cpr: str, when: str, kind: str = "Bæltefiksering", ward: str = "S1", age: int | str = 40,
          municipality: str = "Aalborg", outpatient: str = "ja", forensic: str = "nej"
          ) -> tuple[object, ...]:
    return (cpr, when, kind, ward, age, municipality, outpatient, forensic)
