"""Text files as Danish Excel and EPJ exports write them: encoding and separator.

* encoding: UTF-8 with BOM (Excel's "CSV UTF-8"), UTF-8, else Windows-1252 (Excel's
  plain "CSV"); decided by trying UTF-8 strictly first;
* separator: ``;`` (Danish Excel, where ``,`` is the decimal mark), ``,`` or tab,
  sniffed from the first lines with quoting respected.
"""

from __future__ import annotations

import codecs
import csv
import io

from pdsa_core.errors import DataImportError

SEPARATORS = (";", "\t", ",")


def check_not_binary(data: bytes, name: str) -> None:
    """Refuse a workbook or other binary file given where a text file is expected."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise DataImportError(
            "this is UTF-16 text (Excel's 'Unicode text'); save it as 'CSV UTF-8' instead",
            where=name,
        )
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise DataImportError(
            "this is a workbook, not a CSV text file: give it its own name "
            "(.xlsx, .xls or .ods)",
            where=name,
        )
    if b"\x00" in data[:65536]:
        raise DataImportError("this is not a text file (it contains NUL bytes)", where=name)


def detect_encoding(sample: bytes) -> str:
    """``utf-8-sig``, ``utf-8`` or ``cp1252`` for the start of a file.

    A multi-byte character cut at the end of ``sample`` does not count against UTF-8.
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """(text, encoding) of a whole file: UTF-8 (BOM or not) strictly, else Windows-1252.

    UTF-16 with a byte order mark (Excel's "Unicode text", tab separated) is read too.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise DataImportError("the UTF-16 text is damaged", where=name) from None
    check_not_binary(data, name)
    try:
        return data.decode("utf-8-sig"), ("utf-8-sig" if data.startswith(codecs.BOM_UTF8)
                                           else "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise DataImportError(
            f"the file is neither UTF-8 nor Windows-1252 text (byte {exc.start + 1} cannot be "
            "read); save it again from Excel as 'CSV UTF-8'",
            where=name,
        ) from None


def sniff_separator(text: str) -> str:
    """The field separator of CSV ``text``: the one that splits the header into most
    fields while giving the following lines the same number of fields.

    Ties go to ``;`` before tab before ``,``. A single-column file gives ``;``.
    """
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    if not lines:
        return ";"
    sample = "\n".join(lines)
    best, best_score = ";", (0, 0)
    for sep in SEPARATORS:
        try:
            rows = list(csv.reader(io.StringIO(sample), delimiter=sep, quotechar='"'))
        except csv.Error:
            continue
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        agreeing = sum(1 for row in rows if len(row) == width)
        score = (agreeing * 1000 // len(rows), width)
        if score > best_score:
            best, best_score = sep, score
    return best
