"""Small shared pieces of the domain: periods, timestamps, enum and text validation."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from enum import StrEnum
from typing import TypeVar

from pdsa_core.errors import ValidationError

E = TypeVar("E", bound=StrEnum)

_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")

#: The Danish names of the fields that validation messages name, keyed by the English name
#: the code passes as ``field=``. A field not listed is named in English in both languages.
FIELD_NAMES_DA: dict[str, str] = {
    "period": "perioden",
    "date": "datoen",
    "value": "værdien",
    "numerator": "tælleren",
    "denominator": "nævneren",
    "note": "noten",
    "notes": "noterne",
    "name": "navnet",
    "text": "teksten",
    "description": "beskrivelsen",
    "kind": "typen",
    "unit": "enheden",
    "direction": "retningen",
    "frequency": "hyppigheden",
    "status": "status",
    "region": "regionen",
    "track": "sporet",
    "role": "rollen",
    "municipality": "kommunen",
    "organisation": "organisationen",
    "email": "e-mailadressen",
    "team id": "team-id'et",
    "team name": "teamets navn",
    "member name": "medlemmets navn",
    "indicator name": "indikatorens navn",
    "English name": "det engelske navn",
    "indicator set id": "indikatorsættets id",
    "indicator set name": "indikatorsættets navn",
    "target date": "måldatoen",
    "baseline start": "baselinens første måned",
    "baseline end": "baselinens sidste måned",
    "first month": "første måned",
    "last month": "sidste måned",
    "first month (--from)": "første måned (--from)",
    "last month (--to)": "sidste måned (--to)",
    "population": "populationen",
    "data_source": "datakilden",
    "chart": "diagramtypen",
    "rules": "regelsættet",
    "aim": "det overordnede mål",
    "node kind": "typen af punkt i driverdiagrammet",
    "primary text": "den primære drivers tekst",
    "secondary text": "den sekundære drivers tekst",
    "change idea text": "forandringsidéens tekst",
    "template id": "skabelonens id",
    "template name": "skabelonens navn",
    "template node text": "teksten i skabelonen",
    "cycle title": "PDSA-cirklens titel",
    "objective": "formålet",
    "questions": "spørgsmålene",
    "predictions": "forudsigelserne",
    "plan_who": "planen for hvem",
    "plan_what": "planen for hvad",
    "plan_when": "planen for hvornår",
    "plan_where": "planen for hvor",
    "data_to_collect": "de data, der skal indsamles",
    "do_observations": "observationerne (Do)",
    "study_results": "resultaterne (Study)",
    "next_step": "næste skridt",
    "owner": "den ansvarlige",
    "start date": "startdatoen",
    "end date": "slutdatoen",
    "act decision": "Act-beslutningen",
    "annotation date": "annoteringens dato",
    "annotation text": "annoteringens tekst",
    "annotation kind": "annoteringens type",
    "meeting date": "mødedatoen",
    "attendee": "deltageren",
    "decision": "beslutningen",
    "action": "handlingen",
    "due date": "fristen",
    "done date": "datoen for udført",
    "since": "datoen (siden)",
    "assessment date": "vurderingens dato",
    "instrument": "instrumentet",
    "setting": "stedet for vurderingen",
    "factor id": "faktorens id",
    "progress": "fremdriften",
    "barriers": "barriererne",
    "assessment": "den samlede vurdering",
    "overall assessment": "den samlede vurdering",
    "lessons": "erfaringerne",
    "lessons learnt": "erfaringerne",
}


def field_da(field: str) -> str:
    """The Danish name of ``field`` for a message (the name itself when it has none)."""
    return FIELD_NAMES_DA.get(field, field)


#: canonical months already read (at most 301 years x 12): an import reads the same few often
_CANONICAL_PERIODS: set[str] = set()


def parse_period(text: str, *, field: str = "period") -> str:
    """Return the canonical monthly period ``YYYY-MM`` or raise a clear error."""
    if type(text) is str and text in _CANONICAL_PERIODS:
        return text
    if not isinstance(text, str):
        raise ValidationError(
            f"{field} must be a month written YYYY-MM, got {text!r}",
            da=f"{field_da(field)} skal være en måned skrevet ÅÅÅÅ-MM, ikke {text!r}",
        )
    match = _PERIOD.match(text.strip())
    if not match:
        raise ValidationError(
            f"{field} must be a month written YYYY-MM (e.g. 2022-03), got {text!r}",
            da=f"{field_da(field)} skal være en måned skrevet ÅÅÅÅ-MM (fx 2022-03), ikke {text!r}",
        )
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        raise ValidationError(
            f"{field}: month {month} is not between 01 and 12 in {text!r}",
            da=f"{field_da(field)}: måned {month} i {text!r} ligger ikke mellem 01 og 12",
        )
    if not 1900 <= year <= 2200:
        raise ValidationError(
            f"{field}: year {year} is out of range in {text!r}",
            da=f"{field_da(field)}: året {year} i {text!r} ligger uden for 1900-2200",
        )
    period = f"{year:04d}-{month:02d}"
    if period == text:
        _CANONICAL_PERIODS.add(period)
    return period


def period_index(period: str) -> int:
    """Months since year 0: consecutive months differ by exactly one."""
    return int(period[:4]) * 12 + int(period[5:7]) - 1


def period_from_index(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_range(start: str, end: str) -> list[str]:
    """Every month from ``start`` to ``end`` inclusive."""
    return [period_from_index(i) for i in range(period_index(start), period_index(end) + 1)]


def period_of_date(date: str) -> str:
    return parse_date(date)[:7]


def parse_date(text: str, *, field: str = "date") -> str:
    """Return an ISO date ``YYYY-MM-DD`` or raise a clear error."""
    try:
        return dt.date.fromisoformat(str(text).strip()).isoformat()
    except ValueError:
        raise ValidationError(
            f"{field} must be a date written YYYY-MM-DD (e.g. 2022-03-25), got {text!r}",
            da=f"{field_da(field)} skal være en dato skrevet ÅÅÅÅ-MM-DD (fx 2022-03-25), ikke {text!r}",
        ) from None


def now_iso() -> str:
    """The current time in UTC, ISO 8601 with seconds."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def today_iso() -> str:
    return dt.date.today().isoformat()


def parse_enum(enum: type[E], value: object, *, field: str) -> E:
    """Accept an enum member, its value, or its name (any case); explain the choices."""
    if isinstance(value, enum):
        return value
    text = str(value).strip().lower().replace(" ", "_").replace("-", "_")
    for member in enum:
        if text in (member.value.lower().replace(" ", "_").replace("-", "_"), member.name.lower()):
            return member
    choices = ", ".join(m.value for m in enum)
    raise ValidationError(
        f"{field} must be one of {choices}; got {value!r}",
        da=f"{field_da(field)} skal være en af {choices}, ikke {value!r}",
    )


def require_text(value: object, *, field: str, max_length: int = 2000) -> str:
    """A non-empty, trimmed string of bounded length."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"{field} must not be empty", da=f"{field_da(field)} skal udfyldes")
    text = value.strip()
    if len(text) > max_length:
        raise ValidationError(
            f"{field} is longer than {max_length} characters",
            da=f"{field_da(field)} er længere end {max_length} tegn",
        )
    return text


def optional_text(value: object, *, field: str, max_length: int = 20000) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(
            f"{field} must be text, got {type(value).__name__}",
            da=f"{field_da(field)} skal være tekst, ikke {type(value).__name__}",
        )
    if len(value) > max_length:
        raise ValidationError(
            f"{field} is longer than {max_length} characters",
            da=f"{field_da(field)} er længere end {max_length} tegn",
        )
    return value.strip()


def text_list(values: Iterable[object] | None, *, field: str) -> list[str]:
    return [require_text(v, field=field) for v in (values or [])]


def unique(items: Iterable[str]) -> Iterator[str]:
    seen: set[str] = set()
    for item in items:
        if item not in seen:
            seen.add(item)
            yield item
