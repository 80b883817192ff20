"""A small OpenDocument spreadsheet (``.ods``) writer for the importing tests.

It writes what LibreOffice Calc writes for plain sheets: a ``mimetype`` member stored
first and uncompressed, a manifest, and ``content.xml`` with typed cells (text, float,
date) and merged ranges across columns (``number-columns-spanned`` followed by covered
cells). Enough to give the reader real ``.ods`` files without LibreOffice or the network.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    'manifest:version="1.2">'
    f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{MIMETYPE}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'office:version="1.2"'
)


class Span:
    """A cell merged over ``columns`` columns (the covered cells follow it)."""

    def __init__(self, value: object, columns: int) -> None:
        self.value, self.columns = value, columns


def _cell(value: object) -> str:
    if isinstance(value, Span):
        inner = _cell(value.value)
        spanned = inner.replace(
            "<table:table-cell", f'<table:table-cell table:number-columns-spanned="{value.columns}"', 1
        )
        return spanned + "<table:covered-table-cell/>" * (value.columns - 1)
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, bool):
        raise TypeError("booleans are not needed in these tests")
    if isinstance(value, int | float):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    if isinstance(value, dt.date):
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
            f"<text:p>{value.isoformat()}</text:p></table:table-cell>"
        )
    return (
        '<table:table-cell office:value-type="string">'
        f"<text:p>{escape(str(value))}</text:p></table:table-cell>"
    )


def write_ods(path: Path, sheets: dict[str, Sequence[Sequence[object]]]) -> Path:
    """Write ``sheets`` (name -> rows of cells) as an ``.ods`` workbook at ``path``."""
    tables = []
    for name, rows in sheets.items():
        body = "".join(
            "<table:table-row>" + "".join(_cell(v) for v in row) + "</table:table-row>" for row in rows
        )
        tables.append(f"<table:table table:name={quoteattr(name)}>{body}</table:table>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<office:document-content {NAMESPACES}><office:body><office:spreadsheet>"
        + "".join(tables)
        + "</office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path
