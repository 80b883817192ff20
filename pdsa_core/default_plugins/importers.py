"""Built-in plugin: the generic measurement-table importer (CSV and ``.xlsx``).

A measurement table has a month per row and the indicators in columns (``Måned;R1;R2;V1
tæller;V1 nævner``), or is long (``Måned;Indikator;Værdi``). The file is read by
:mod:`pdsa_core.importing` (Danish Excel CSV dialects, workbooks, Danish month names) and
the columns are matched to the team's indicators by their headers, unless a saved mapping
is given. Registered through the public ``register_importers`` hook exactly as a
third-party importer would be.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pdsa_core.domain import Indicator, Team
from pdsa_core.errors import ValidationError
from pdsa_core.extension_types import Importer, ImportResult, Parameter
from pdsa_core.hookspecs import hookimpl

IMPORTER_ID = "measurement-table"
MAX_ERRORS_SHOWN = 10
YES = {"1", "yes", "ja", "true", "y", "j"}


def _mapping(text: str) -> Any:
    """A saved column mapping: JSON text, or the path of a JSON file holding it."""
    from pdsa_core.importing.mapping import ColumnMapping

    raw = text.strip()
    if not raw.startswith("{"):
        path = Path(raw).expanduser()
        if not path.is_file():
            raise ValidationError(f"option mapping: no file {path} (give a JSON mapping or its file)")
        raw = path.read_text(encoding="utf-8")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValidationError(f"option mapping is not valid JSON: {exc.msg} (line {exc.lineno})") from None
    return ColumnMapping.from_dict(data)


def read_measurement_table(
    path: Path, *, team: Team, options: dict[str, str], indicators: tuple[Indicator, ...] = ()
) -> ImportResult:
    """Read a measurement table for ``team`` the same way ``pdsa import`` does (one reader for both).

    Rows that cannot be read refuse the file unless ``skip_errors`` is yes.
    """
    from pdsa_core.importing.service import table_import_result

    sheet: str | int | None = options["sheet"] or None
    if isinstance(sheet, str) and sheet.isdigit():
        sheet = int(sheet) - 1  # the user counts sheets from 1
    return table_import_result(
        path,
        mapping=_mapping(options["mapping"]) if options["mapping"] else None,
        indicators=indicators,
        sheet=sheet,
        header_rows=int(options["header_rows"]) if options["header_rows"] else None,
        skip_errors=options["skip_errors"].strip().lower() in YES,
        source=IMPORTER_ID,
    )


@hookimpl
def register_importers(register: Any) -> None:
    register(
        Importer(
            id=IMPORTER_ID,
            name_da="Måledata i en tabel (CSV eller Excel)",
            name_en="Measurement table (CSV or Excel)",
            description=(
                "A month per row and the indicators in columns (R1, R2, 'V1 tæller', 'V1 nævner'), "
                "or long (month, indicator, value). Danish Excel CSV (semicolon, decimal comma, "
                "Windows-1252 or UTF-8) and .xlsx workbooks."
            ),
            file_patterns=("*.csv", "*.txt", "*.xlsx", "*.xlsm", "*.xls", "*.ods"),
            options=(
                Parameter(
                    name="sheet", description="Workbook sheet: its name or number (default: the first)."
                ),
                Parameter(
                    name="header_rows", description="Rows forming the header, 1-3 (default: detected)."
                ),
                Parameter(
                    name="mapping",
                    description="A saved column mapping: JSON or a JSON file (default: guessed).",
                ),
                Parameter(
                    name="skip_errors",
                    default="no",
                    description="yes: import the readable rows, list the others (default: refuse the file).",
                ),
            ),
            read=read_measurement_table,
        )
    )
