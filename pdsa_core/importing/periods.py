"""Month labels as teams write them, turned into the canonical ``YYYY-MM``.

Accepted (case and surrounding spaces do not matter)::

    2022-01  2022-1  2022/01  202201          year first, 4-digit year
    01-2022  1/2022  1.2022                   month first, 4-digit year
    jan-22  jan 22  jan. 22  okt. 22  maj-2022  januar 2022  Januar 2022
    January 2022  Oct-22  2022 januar  1. januar 2022
    1/1/2022  01-01-2022  15.03.2022  2022-01-01  (dates are day-first, Danish)
    datetime / date cells, Excel serial numbers (44562 = 2022-01-01)

Two-digit years are 2000-2069 for 00-69 and 1970-1999 for 70-99. Labels that could be
read two ways (``01-22``, ``3/4``) are refused with an explanation rather than
guessed; so are quarters (``2022K1``) and bare years.

:func:`read_period` reads what a file holds; a month a person types as a command's option
or in a form (always ``YYYY-MM``) is checked by the one canonical parser,
:func:`pdsa_core.domain.common.parse_period`.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from pdsa_core.importing.problems import ImportProblem, short

MONTH_NAMES: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("januar", "jan", "january"),
        ("februar", "feb", "february"),
        ("marts", "mar", "march", "mrts"),
        ("april", "apr"),
        ("maj", "may"),
        ("juni", "jun", "june"),
        ("juli", "jul", "july"),
        ("august", "aug"),
        ("september", "sep", "sept"),
        ("oktober", "okt", "october", "oct"),
        ("november", "nov"),
        ("december", "dec"),
    ),
    start=1,
):
    for _name in _names:
        MONTH_NAMES[_name] = _number

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_TIME = r"(?:[ t]+\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:[.,]\d+)?)?)?"
_SEP = r"[-/.]"

_YEAR_MONTH = re.compile(rf"(\d{{4}}){_SEP}(\d{{1,2}})")
_MONTH_YEAR = re.compile(rf"(\d{{1,2}}){_SEP}(\d{{4}})")
_YYYYMM = re.compile(r"(\d{4})(\d{2})")
_SERIAL = re.compile(r"\d{5}(?:[.,]\d+)?")
_DMY = re.compile(rf"(\d{{1,2}})({_SEP})(\d{{1,2}})\2(\d{{4}}|\d{{2}}){_TIME}")
_YMD = re.compile(rf"(\d{{4}})-(\d{{1,2}})-(\d{{1,2}}){_TIME}")
_NAME_YEAR = re.compile(r"(?:\d{1,2}\.?\s*)?([a-zæøå]+)\.?\s*[-/. ]?\s*'?(\d{4}|\d{2})")
_YEAR_NAME = re.compile(r"(\d{4})\s*[-/. ]?\s*([a-zæøå]+)\.?")
_QUARTER = re.compile(r"(\d{4}\s*[-/ ]?\s*[kq]\s*[1-4])|([kq]\s*[1-4]\s*[-/ ]?\s*\d{4})|(\d{4})")
_AMBIGUOUS = re.compile(rf"\d{{1,2}}{_SEP}\d{{1,2}}")


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900
    return year


def _period(year: int, month: int, label: object) -> str:
    if not 1 <= month <= 12:
        raise ImportProblem("period_unknown", text=short(label))
    if not 1900 <= year <= 2200:
        raise ImportProblem("period_out_of_range", text=short(label))
    return f"{year:04d}-{month:02d}"


def excel_serial_date(serial: float) -> dt.date:
    """The date of an Excel serial day number (1900 date system, as Excel on Windows)."""
    if isinstance(serial, bool) or not math.isfinite(serial) or not 1 <= serial < 2958466:
        raise ImportProblem("date_invalid", text=short(serial))
    return _EXCEL_EPOCH + dt.timedelta(days=int(serial))


def read_period(value: object) -> str:
    """The month ``YYYY-MM`` of a label, cell or date of an imported file; :class:`ImportProblem`
    if unreadable.

    ``ImportProblem`` is a :class:`pdsa_core.errors.ValidationError` with a problem
    ``code`` and Danish and English texts.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ImportProblem("period_missing")
    if isinstance(value, dt.datetime | dt.date):
        return _period(value.year, value.month, value)
    if isinstance(value, bool):
        raise ImportProblem("period_unknown", text=short(value))
    if isinstance(value, int | float):
        return _period_from_number(value)
    text = " ".join(str(value).strip().casefold().split())
    return _period_from_text(text, value)


def _period_from_number(value: float) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        raise ImportProblem("period_unknown", text=short(value))
    if value == int(value) and 190001 <= value <= 220012:
        year, month = divmod(int(value), 100)
        return _period(year, month, value)
    if value == int(value) and 1900 <= value <= 2200:
        raise ImportProblem("period_quarter", text=short(value))
    if 10000 <= value < 80000:
        day = excel_serial_date(value)
        return _period(day.year, day.month, value)
    raise ImportProblem("period_unknown", text=short(value))


def _period_from_text(text: str, label: object) -> str:
    if match := _YEAR_MONTH.fullmatch(text):
        return _period(int(match[1]), int(match[2]), label)
    if match := _MONTH_YEAR.fullmatch(text):
        return _period(int(match[2]), int(match[1]), label)
    if match := _YYYYMM.fullmatch(text):
        return _period(int(match[1]), int(match[2]), label)
    if _SERIAL.fullmatch(text):
        return _period_from_number(float(text.replace(",", ".")))
    if _DMY.fullmatch(text) or _YMD.fullmatch(text):
        day = parse_day(text, label=label)
        return _period(day.year, day.month, label)
    if match := _NAME_YEAR.fullmatch(text):
        if match[1] in MONTH_NAMES:
            return _period(_year(match[2]), MONTH_NAMES[match[1]], label)
    if match := _YEAR_NAME.fullmatch(text):
        if match[2] in MONTH_NAMES:
            return _period(int(match[1]), MONTH_NAMES[match[2]], label)
    if _QUARTER.fullmatch(text):
        raise ImportProblem("period_quarter", text=short(label))
    if _AMBIGUOUS.fullmatch(text):
        raise ImportProblem("period_ambiguous", text=short(label))
    raise ImportProblem("period_unknown", text=short(label))


_DAY_DMY = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})")
_DAY_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_DATE_PART = re.compile(r"[ tT]")


def parse_day(text: str, *, label: object | None = None) -> dt.date:
    """The date at the start of a Danish timestamp (day first).

    ``15.03.2022 14:35``, ``15-03-2022``, ``1/3/22``, ``2022-03-15T14:35:00``,
    ``20220315``. Only the part before the first space or ``T`` is read: the time is
    not needed to place an event in a month. Raises :class:`ImportProblem`
    (``date_invalid``) and repeats the text only if ``label`` is given.
    """
    shown = short(label) if label is not None else "''"
    head = _DATE_PART.split(text.strip(), maxsplit=1)[0]
    try:
        if match := _DAY_DMY.fullmatch(head):
            return dt.date(_year(match[4]), int(match[3]), int(match[1]))
        if match := _DAY_YMD.fullmatch(head):
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        if match := _DAY_COMPACT.fullmatch(head):
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise ImportProblem("date_invalid", text=shown) from None
    raise ImportProblem("date_invalid", text=shown)


def month_index(period: str) -> int:
    """Months since year 0 of a canonical period: consecutive months differ by one."""
    return int(period[:4]) * 12 + int(period[5:7]) - 1


def period_of_index(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_span(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` inclusive (empty if ``last`` < ``first``)."""
    return [period_of_index(i) for i in range(month_index(first), month_index(last) + 1)]
