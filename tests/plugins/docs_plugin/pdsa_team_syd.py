"""A plugin written only from docs/plugins.md: Team Syd's indicator set and its BI export.

It imports nothing from pdsa but ``pdsa_core`` (the public API). The region's BI tool
exports one row per month with the indicators in columns, Danish style::

    Måned;R1;R2;V1 tæller;V1 nævner
    01-2022;3;4;5;8
    02-2022;2;2;6;9

A loose file in a plugins folder (``pdsa --plugins-dir``), as a tovholder would use it.
"""

from __future__ import annotations

import csv
from pathlib import Path

from pdsa_core import (
    DataImportError,
    Direction,
    Importer,
    ImportResult,
    IndicatorDefinition,
    IndicatorKind,
    IndicatorSet,
    MeasurementInput,
    Parameter,
    Target,
    Team,
    Unit,
    hookimpl,
)

__version__ = "0.3"


@hookimpl
def register_indicator_sets(register):
    register(
        IndicatorSet(
            id="syd-tvang",
            name_da="Team Syd: tvang",
            name_en="Team Syd: coercion",
            indicators=[
                IndicatorDefinition(
                    code="R1",
                    name_da="Antal personer, der tvangsindlægges",
                    name_en="Persons coercively admitted",
                    kind=IndicatorKind.RESULT,
                    unit=Unit.COUNT,
                    direction=Direction.DOWN,
                    baseline_start="2018-01",
                    baseline_end="2020-12",
                    target=Target(value=-0.10, date="2023-09-30", relative=True),
                ),
                IndicatorDefinition(
                    code="R2",
                    name_da="Antal tvangsindlæggelser",
                    name_en="Coercive admissions",
                    kind=IndicatorKind.RESULT,
                    unit=Unit.COUNT,
                    direction=Direction.DOWN,
                ),
                IndicatorDefinition(
                    code="V1",
                    name_da="Andel med UA/KP",
                    name_en="Share with a UA/KP",
                    kind=IndicatorKind.PROCESS,
                    unit=Unit.PROPORTION,
                    direction=Direction.UP,
                ),
            ],
        )
    )


def _month(text: str, row: int, path: Path) -> str:
    month, _, year = text.strip().partition("-")
    if not (month.isdigit() and year.isdigit() and len(year) == 4):
        raise DataImportError(f"row {row}, column Måned: write the month as MM-YYYY", where=path.name)
    return f"{year}-{int(month):02d}"


def _count(text: str, row: int, column: str, path: Path) -> float | None:
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise DataImportError(f"row {row}, column {column}: not a number", where=path.name) from None


def read_bi_export(path: Path, *, team: Team, options: dict[str, str]) -> ImportResult:
    values = []
    with path.open(encoding=options["encoding"], newline="") as handle:
        for row, line in enumerate(csv.DictReader(handle, delimiter=";"), start=2):
            period = _month(line["Måned"], row, path)
            for code in ("R1", "R2"):
                value = _count(line.get(code, ""), row, code, path)
                if value is not None:
                    values.append(MeasurementInput(indicator=code, period=period, value=value))
            numerator = _count(line.get("V1 tæller", ""), row, "V1 tæller", path)
            denominator = _count(line.get("V1 nævner", ""), row, "V1 nævner", path)
            if numerator is not None and denominator is not None:
                values.append(
                    MeasurementInput(
                        indicator="V1", period=period, numerator=numerator, denominator=denominator
                    )
                )
    return ImportResult(measurements=values, source="Team Syd BI", rows_read=row - 1 if values else 0)


@hookimpl
def register_importers(register):
    register(
        Importer(
            id="syd-bi-wide",
            name_da="Team Syd: BI-udtræk (en måned pr. række)",
            name_en="Team Syd: BI export (a month per row)",
            file_patterns=("*.csv",),
            options=(Parameter(name="encoding", default="cp1252", description="cp1252 or utf-8-sig"),),
            read=read_bi_export,
        )
    )
