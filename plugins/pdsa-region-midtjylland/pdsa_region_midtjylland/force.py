"""A municipality's export of force registrations (magtanvendelse), counted per month.

Danish municipalities register each use of force under the social services act
(serviceloven) on their bosteder. The real export formats are not public; this module reads
the plausible layout below and every column name can be changed, so a municipality can point
it at its own export.

Default layout (one row per registration; CSV with ``;``, ``,`` or tab, UTF-8 or
Windows-1252, a header row; other columns are ignored)::

    Dato;Bosted;Magtanvendelsestype;Borger-ID
    12-01-2022 14:35;Bostedet Solvang;Fastholdelse;B-1042
    12-01-2022 21:10;Bostedet Solvang;Føren til andet rum;B-1042
    03-02-2022;Engvej 4;Tilbageholdelse i boligen;B-2210

* ``Dato``: the day of the registration, ``dd-mm-yyyy``, ``dd.mm.yyyy``, ``dd/mm/yyyy`` or
  ``yyyy-mm-dd``, optionally followed by a time;
* ``Bosted``: the bosted (residential facility) where force was used;
* ``Magtanvendelsestype``: the kind of force (fastholdelse, føren til andet rum, ...);
* ``Borger-ID``: a pseudonym of the citizen (the municipality's case number or a local
  code). It is used only in memory, as a digest with a random key that is thrown away
  after the count; it is never stored, shown or written to an error message.

Per calendar month it counts the registrations (uses of force) and the unique persons.
A month inside the period without registrations is 0: the export lists every use of force.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from hashlib import blake2b
from pathlib import Path

from pdsa_core import DataImportError, ValidationError

_DMY = re.compile(r"(\d{1,2})[-./](\d{1,2})[-./](\d{4})")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_PERIOD = re.compile(r"(\d{4})-(\d{2})")
SEPARATORS = {";": ";", ",": ",", "tab": "\t", "\t": "\t", "|": "|"}
MAX_ERRORS_SHOWN = 10


def normalise(text: str) -> str:
    """Headers and labels are compared ignoring case, spacing, '-' and '_'."""
    return " ".join(re.sub(r"[-_]", " ", text).casefold().split())


@dataclass(frozen=True)
class ForceLayout:
    """Which header holds what, and how the file is written (``None``: detected)."""

    date: str = "Dato"
    place: str = "Bosted"
    kind: str = "Magtanvendelsestype"
    person: str = "Borger-ID"
    separator: str | None = None
    encoding: str | None = None

    def __post_init__(self) -> None:
        for name in ("date", "place", "kind", "person"):
            if not str(getattr(self, name)).strip():
                raise ValidationError(f"the {name} column name must not be empty")
        if self.separator is not None and self.separator not in SEPARATORS:
            raise ValidationError(f"separator must be ; , tab or |, got {self.separator!r}")


@dataclass
class ForceCounts:
    """Monthly counts from one export: uses of force and unique persons, per month and bosted."""

    months: list[str]
    events: dict[str, int]
    persons: dict[str, int]
    per_place: dict[str, dict[str, int]]
    kinds: dict[str, int]
    rows_read: int = 0
    rows_counted: int = 0
    skipped: dict[str, int] = field(default_factory=dict)


def parse_day(text: str) -> dt.date:
    head = text.strip().split(" ", 1)[0].split("T", 1)[0]
    try:
        if match := _DMY.fullmatch(head):
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
        if match := _YMD.fullmatch(head):
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        pass
    shown = text.strip()[:20]
    if re.search(r"\d{6}", shown):  # never repeat what might be a CPR number in a shifted row
        shown = "…"
    raise ValueError(f"the date {shown!r} cannot be read (write it dd-mm-yyyy or yyyy-mm-dd)")


def parse_month(text: str, *, name: str) -> str:
    match = _PERIOD.fullmatch(text.strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise ValidationError(f"{name} must be a month written YYYY-MM, got {text!r}")
    return text.strip()


def month_span(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _decode(data: bytes, encoding: str | None, where: str) -> str:
    if data[:4] == b"PK\x03\x04":
        raise DataImportError("this is an Excel workbook; save the export as CSV", where=where)
    for candidate in [encoding] if encoding else ["utf-8-sig", "cp1252"]:
        try:
            return data.decode(candidate)
        except (UnicodeDecodeError, LookupError) as exc:
            if encoding:
                raise DataImportError(f"the file cannot be read as {encoding}: {exc}", where=where) from None
    raise DataImportError("the file is neither UTF-8 nor Windows-1252 text", where=where)  # pragma: no cover


def _separator(header_line: str, chosen: str | None) -> str:
    if chosen:
        return SEPARATORS[chosen]
    counts = {sep: header_line.count(sep) for sep in (";", "\t", ",", "|")}
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] else ";"


def read_registrations(
    path: str | Path,
    layout: ForceLayout | None = None,
    *,
    places: list[str] | None = None,
    kinds: list[str] | None = None,
    first: str | None = None,
    last: str | None = None,
) -> ForceCounts:
    """Count uses of force and unique persons per month in an export.

    ``places`` and ``kinds`` restrict which bosteder and kinds of force count (empty: all);
    ``first``/``last`` (``YYYY-MM``) fix the months reported (default: the first to the last
    month with a registration). Rows that cannot be read make the whole read fail with a
    :class:`DataImportError` naming up to ten rows and why; no value of the person column
    ever appears in a message.
    """
    layout = layout or ForceLayout()
    path = Path(path)
    where = path.name
    text = _decode(path.read_bytes(), layout.encoding, where)
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None:
        raise DataImportError("the file is empty", where=where)
    reader = csv.reader(
        io.StringIO("\n".join(lines[start:])), delimiter=_separator(lines[start], layout.separator)
    )
    header = next(reader)
    columns = {normalise(h): i for i, h in enumerate(header)}
    index = {}
    for role in ("date", "place", "kind", "person"):
        name = getattr(layout, role)
        if normalise(name) not in columns:
            shown = ", ".join(h.strip() for h in header if h.strip()) or "none"
            raise DataImportError(
                f"the export has no column {name!r} (columns: {shown}); "
                f"name the right one with the parameter {role}_column",
                where=where,
            )
        index[role] = columns[normalise(name)]
    wanted_places = {normalise(p) for p in places or []}
    wanted_kinds = {normalise(k) for k in kinds or []}
    salt = os.urandom(16)
    events: Counter[str] = Counter()
    persons: dict[str, set[bytes]] = defaultdict(set)
    per_place: dict[str, Counter[str]] = defaultdict(Counter)
    kind_counts: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    errors: list[str] = []
    rows_read = 0
    width = max(index.values()) + 1
    for row_number, row in enumerate(reader, start=start + 2):
        if not any(cell.strip() for cell in row):
            continue
        rows_read += 1
        if len(row) < width:
            errors.append(f"row {row_number}: {len(row)} columns, expected at least {width}")
            continue
        try:
            period = parse_day(row[index["date"]]).isoformat()[:7]
        except ValueError as exc:
            errors.append(f"row {row_number}, column {layout.date}: {exc}")
            continue
        place = row[index["place"]].strip()
        kind = row[index["kind"]].strip()
        if not place:
            errors.append(f"row {row_number}, column {layout.place}: no bosted")
            continue
        if not row[index["person"]].strip():
            errors.append(f"row {row_number}, column {layout.person}: no person pseudonym")
            continue
        if wanted_places and normalise(place) not in wanted_places:
            skipped["other bosted"] += 1
            continue
        if wanted_kinds and normalise(kind) not in wanted_kinds:
            skipped["other kind of force"] += 1
            continue
        if (first and period < first) or (last and period > last):
            skipped["outside the months asked for"] += 1
            continue
        digest = blake2b(row[index["person"]].strip().encode(), key=salt, digest_size=16).digest()
        events[period] += 1
        persons[period].add(digest)
        per_place[place][period] += 1
        kind_counts[kind or "(ingen type)"] += 1
    if errors:
        shown = "; ".join(errors[:MAX_ERRORS_SHOWN])
        more = f" (and {len(errors) - MAX_ERRORS_SHOWN} more)" if len(errors) > MAX_ERRORS_SHOWN else ""
        raise DataImportError(f"{len(errors)} rows cannot be read: {shown}{more}", where=where)
    if not events and not (first and last):
        raise DataImportError(
            "no registration in the export matches the bosteder, kinds and months asked for", where=where
        )
    months = month_span(first or min(events), last or max(events))
    counts = ForceCounts(
        months=months,
        events={m: events.get(m, 0) for m in months},
        persons={m: len(persons.get(m, ())) for m in months},
        per_place={p: {m: c.get(m, 0) for m in months} for p, c in sorted(per_place.items())},
        kinds=dict(sorted(kind_counts.items())),
        rows_read=rows_read,
        rows_counted=sum(events.values()),
        skipped=dict(skipped),
    )
    persons.clear()  # the digests go with the salt; only counts are kept
    return counts
