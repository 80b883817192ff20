"""The Excel data template: a team's monthly values the way teams send them to the secretariat.

One workbook, first sheet **Data**: a month per row (``januar 2022``), an indicator per column
(``R1 Antal personer, der tvangsindlægges``), a proportion as two columns (``V1 tæller``,
``V1 nævner``); an empty cell is a month without a value (never 0). A second sheet names the
indicators (code, name, unit, definition, population), a third says where the data came from.

``pdsa import FILE --team T`` reads the Data sheet back to exactly the same values: the
headers are written so that the measurement-table importer's own guess maps every column
(checked here with :func:`pdsa_core.importing.mapping.guess_mapping` before the file is
written), and the month labels are ones it reads.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pdsa_core.domain.common import month_range, parse_period
from pdsa_core.errors import ValidationError
from pdsa_core.reports.common import MONTHS_DA, MONTHS_EN, workspace_note

if TYPE_CHECKING:
    from pdsa_core.workspace import Workspace

__all__ = ["DataTemplate", "data_template", "write_data_template"]

_T = {
    "data": ("Data", "Data"),
    "indicators": ("Indikatorer", "Indicators"),
    "about": ("Om filen", "About"),
    "month": ("Måned", "Month"),
    "numerator": ("tæller", "numerator"),
    "denominator": ("nævner", "denominator"),
    "code": ("Kode", "Code"),
    "name": ("Navn", "Name"),
    "unit": ("Enhed", "Unit"),
    "columns": ("Kolonner", "Columns"),
    "definition": ("Definition", "Definition"),
    "population": ("Population", "Population"),
    "team": ("Team", "Team"),
    "period": ("Periode", "Period"),
    "made": ("Lavet", "Made"),
    "empty": (
        "En tom celle er en måned uden værdi (ikke 0).",
        "An empty cell is a month without a value (not 0).",
    ),
    "read_back": (
        "Læses ind igen med: pdsa import FIL --team {team}",
        "Read back in with: pdsa import FILE --team {team}",
    ),
    "no_values": (
        "{team} har ingen værdier{where}; angiv en periode med --from og --to",
        "{team} has no values{where}; give a period with --from and --to",
    ),
}
_UNITS = {"count": ("antal", "count"), "proportion": ("andel", "proportion"), "rate": ("rate", "rate")}


def _t(key: str, lang: str, **values: Any) -> str:
    da, en = _T[key]
    text = da if lang == "da" else en
    return text.format(**values) if values else text


def month_label(period: str, lang: str) -> str:
    """``2022-01`` -> ``januar 2022`` (``January 2022``): a label the importer reads back."""
    names = MONTHS_DA if lang == "da" else MONTHS_EN
    return f"{names[int(period[5:7]) - 1]} {period[:4]}"


@dataclass
class DataTemplate:
    """What was written: the team, the months, the indicator columns and how many values."""

    team: str
    period_from: str
    period_to: str
    columns: list[str]
    values: int
    content: bytes


def data_template(
    ws: Workspace,
    team_ref: str,
    *,
    period_from: str | None = None,
    period_to: str | None = None,
    lang: str = "da",
) -> DataTemplate:
    """The team's data template as ``.xlsx`` bytes (default period: its first to last month with data)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    team = ws.team(team_ref)
    indicators = ws.indicators(team.id)
    values = {i.code: {m.period: m for m in ws.measurements(team.id, i.code)} for i in indicators}
    start = parse_period(period_from, field="first month (--from)") if period_from else ""
    end = parse_period(period_to, field="last month (--to)") if period_to else ""
    periods = sorted({p for by_month in values.values() for p in by_month})
    start = start or (periods[0] if periods else "")
    end = end or (periods[-1] if periods else "")
    if not start or not end:
        where = f" ({start or '…'}–{end or '…'})" if start or end else ""
        raise ValidationError(
            _t("no_values", "en", team=team.name, where=where),
            da=_t("no_values", "da", team=team.name, where=where),
        )
    if end < start:
        raise ValidationError(
            f"the period ends ({end}) before it starts ({start})",
            da=f"perioden slutter ({end}), før den begynder ({start})",
        )
    months = month_range(start, end)

    # the columns: a count or rate as one, a proportion as numerator and denominator
    header = [_t("month", lang)]
    cells: list[tuple[str, str]] = []  # (indicator code, "value" | "numerator" | "denominator")
    for indicator in indicators:
        if indicator.unit.value == "proportion":
            for role in ("numerator", "denominator"):
                header.append(f"{indicator.code} {_t(role, lang)}")
                cells.append((indicator.code, role))
        else:
            header.append(f"{indicator.code} {indicator.name(lang)}".strip())
            cells.append((indicator.code, "value"))
    header = _headers_the_importer_reads(header, cells, [i.code for i in indicators])

    book = Workbook()
    sheet = book.active
    sheet.title = _t("data", lang)
    sheet.append(header)
    written = 0
    for period in months:
        row: list[Any] = [month_label(period, lang)]
        for code, role in cells:
            measurement = values[code].get(period)
            number = getattr(measurement, role) if measurement is not None else None
            if number is not None:
                written += 1
                number = int(number) if float(number).is_integer() else float(number)
            row.append(number)
        sheet.append(row)
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.fill = PatternFill("solid", fgColor="DCE9F4")
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = 16
    for k in range(2, len(header) + 1):
        sheet.column_dimensions[get_column_letter(k)].width = 18
    sheet.row_dimensions[1].height = 45

    about = book.create_sheet(_t("indicators", lang))
    about.append([_t(k, lang) for k in ("code", "name", "unit", "columns", "definition", "population")])
    for indicator in indicators:
        own = [h for h, (code, _role) in zip(header[1:], cells, strict=True) if code == indicator.code]
        unit = _UNITS.get(indicator.unit.value, (indicator.unit.value, indicator.unit.value))
        about.append(
            [
                indicator.code,
                indicator.name(lang),
                unit[0] if lang == "da" else unit[1],
                ", ".join(own),
                indicator.description,
                indicator.population,
            ]
        )
    for cell in about[1]:
        cell.font = bold
    for letter, width in zip("ABCDEF", (8, 50, 12, 30, 60, 40), strict=True):
        about.column_dimensions[letter].width = width

    info = book.create_sheet(_t("about", lang))
    info.append([_t("team", lang), team.name])
    info.append([_t("period", lang), f"{start} – {end}"])
    info.append([_t("made", lang), ws.today()])
    info.append([_t("empty", lang)])
    info.append([_t("read_back", lang, team=team.id)])
    note = workspace_note(ws)
    if note:
        info.append([note])
    info.column_dimensions["A"].width = 18
    info.column_dimensions["B"].width = 60

    buffer = io.BytesIO()
    book.save(buffer)
    return DataTemplate(team.id, start, end, header[1:], written, buffer.getvalue())


def _headers_the_importer_reads(
    header: list[str], cells: list[tuple[str, str]], codes: list[str]
) -> list[str]:
    """The headers, with a column the importer would not map to its own indicator and role
    shortened to the bare code (``R1``), which it always reads: ``pdsa import`` must read the
    file back without a mapping."""
    from pdsa_core.importing.mapping import _role, indicator_in_header

    fixed = [header[0]]
    for text, (code, role) in zip(header[1:], cells, strict=True):
        if indicator_in_header(text, codes) != code or _role(text) != role:
            text = code if role == "value" else f"{code} {text.rsplit(' ', 1)[-1]}"
        fixed.append(text)
    return fixed


def write_data_template(path: str | Path, template: DataTemplate) -> Path:
    """Write the workbook atomically (never a half-written file; only ever a regular file)."""
    from pdsa_core.output_files import write_output

    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise ValidationError(
            f"the data template is an Excel workbook: name it '.xlsx', not '{target.name}'",
            da=f"dataskabelonen er en Excel-projektmappe: giv den navnet '.xlsx', ikke '{target.name}'",
        )
    write_output(target, template.content)
    return target
