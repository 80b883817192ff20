"""Ratings files: a CSV of factor id, rating and note, and a blank template to fill in.

The file has a header row. Accepted column names (any case): ``factor``/``faktor``,
``rating``/``score``/``vurdering``, ``note``/``notat``/``kommentar``; the template's
helper columns ``level``/``niveau`` and ``label``/``betegnelse`` are ignored when read.
The separator is ``;`` or ``,`` (detected from the header). A blank rating, ``NA`` or
``ved ikke`` means "don't know / not applicable". Files saved by Excel (UTF-8 with a BOM,
or Windows-1252) are read too.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pdsa_core.assessments.instrument import Instrument
from pdsa_core.assessments.scoring import RatingInput
from pdsa_core.errors import ValidationError

FACTOR_COLUMNS = ("factor", "faktor", "factor_id", "faktor_id")
RATING_COLUMNS = ("rating", "score", "vurdering", "værdi", "vaerdi", "value")
NOTE_COLUMNS = ("note", "notat", "kommentar", "comment")
HELPER_COLUMNS = ("level", "niveau", "label", "betegnelse", "navn", "name", "low", "lav", "high", "høj")


def _decode(data: bytes, where: str) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(
        "the file is neither UTF-8 nor Windows-1252 text",
        where=where,
        da="filen er hverken UTF-8- eller Windows-1252-tekst",
    )


def read_ratings_text(text: str, *, where: str = "ratings file") -> list[RatingInput]:
    """The rows of a ratings CSV as :class:`RatingInput` (checked later against the instrument)."""
    lines = text.splitlines()
    header_index = next(
        (i for i, line in enumerate(lines) if line.strip() and not line.startswith("#")), None
    )
    if header_index is None:
        raise ValidationError(
            "the file is empty; start from 'pdsa musiq template'",
            where=where,
            da="filen er tom; begynd med skabelonen fra 'pdsa musiq template'",
        )
    header_line = lines[header_index]
    delimiter = ";" if header_line.count(";") >= header_line.count(",") and ";" in header_line else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = list(reader)
    header = [cell.strip().lower() for cell in rows[header_index]]

    def column(names: tuple[str, ...]) -> int | None:
        found = [i for i, name in enumerate(header) if name in names]
        if len(found) > 1:
            raise ValidationError(
                f"row {header_index + 1}: the header names the column {header[found[0]]!r} twice",
                where=where,
                da=f"række {header_index + 1}: overskriften nævner kolonnen {header[found[0]]!r} to gange",
            )
        return found[0] if found else None

    factor_col = column(FACTOR_COLUMNS)
    rating_col = column(RATING_COLUMNS)
    note_col = column(NOTE_COLUMNS)
    if factor_col is None or rating_col is None:
        raise ValidationError(
            f"row {header_index + 1}: the header must name a factor column and a rating column, e.g. "
            f"'factor,rating,note' or 'faktor;score;note'; got {rows[header_index]!r}",
            where=where,
            da=f"række {header_index + 1}: overskriften skal have en kolonne til faktoren og en til scoren, "
            f"fx 'faktor;score;note' eller 'factor,rating,note'; ikke {rows[header_index]!r}",
        )
    unknown = [
        name
        for i, name in enumerate(header)
        if name and i not in (factor_col, rating_col, note_col) and name not in HELPER_COLUMNS
    ]
    if unknown:
        raise ValidationError(
            f"row {header_index + 1}: unknown column {', '.join(repr(u) for u in unknown)} "
            "(expected factor, rating, note)",
            where=where,
            da=f"række {header_index + 1}: ukendt kolonne {', '.join(repr(u) for u in unknown)} "
            "(forventede faktor, score, note)",
        )
    items: list[RatingInput] = []
    for number, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        if not any(cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
            continue

        def cell(index: int | None, row: list[str] = row) -> str:
            return row[index].strip() if index is not None and index < len(row) else ""

        items.append(RatingInput(cell(factor_col), cell(rating_col), cell(note_col), number))
    return items


def read_ratings_file(path: str | Path) -> list[RatingInput]:
    from pdsa_core.output_files import refuse_special_input

    path = Path(path)
    refuse_special_input(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError(
            f"cannot read the ratings file: {exc.strerror}",
            where=str(path),
            da=f"kan ikke læse filen med scorer: {exc.strerror}",
        ) from None
    return read_ratings_text(_decode(data, str(path)), where=path.name)


def ratings_template(instrument: Instrument, *, lang: str = "en") -> str:
    """A blank ratings file for ``instrument``: one row per factor, in the instrument's order.

    Danish uses ``;`` (what Excel in Denmark expects) and Danish column names.
    """
    buffer = io.StringIO()
    if lang == "da":
        writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
        writer.writerow(["faktor", "score", "note", "niveau", "betegnelse"])
    else:
        writer = csv.writer(buffer, delimiter=",", lineterminator="\n")
        writer.writerow(["factor", "rating", "note", "level", "label"])
    for level, factors in instrument.by_level():
        for factor in factors:
            writer.writerow([factor.id, "", "", level.name.get(lang), factor.label.get(lang)])
    return buffer.getvalue()
