"""Small shared pieces of the domain: periods, timestamps, enum and text validation."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from enum import StrEnum
from typing import TypeVar

from pdsa_core.errors import ValidationError
from pdsa_core.literal import unsafe_characters

E = TypeVar("E", bound=StrEnum)

_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")

#: the years a period or a date may have (one range for both)
FIRST_YEAR, LAST_YEAR = 1900, 2200

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
    "target value": "målets værdi",
    "target": "målet",
    "multiply": "multiplikatoren (multiply)",
    "baseline": "baselinen",
    "months": "månederne",
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
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(
            f"{field}: year {year} is out of range in {text!r}",
            da=f"{field_da(field)}: året {year} i {text!r} ligger uden for {FIRST_YEAR}-{LAST_YEAR}",
        )
    period = f"{year:04d}-{month:02d}"
    if period == text:
        _CANONICAL_PERIODS.add(period)
    return period


#: what separates the two months of a range: ``..`` (also an en dash, ``--`` or ``:``)
_RANGE_SEPARATOR = re.compile(r"\s*(?:\.\.|–|--|:)\s*")


def parse_period_range(
    text: str, *, field: str = "period", read: Callable[[str], str] | None = None
) -> tuple[str, str]:
    """``FIRST..LAST`` (``2018-01..2020-12``) -> the two canonical months, the last not
    before the first; a clear error otherwise. The one range parser: each month is read by
    ``read`` (default :func:`parse_period`; an importer passes its reader of month labels,
    so ``jan-22..marts 2022`` is a range there).
    """
    parts = _RANGE_SEPARATOR.split(text.strip()) if isinstance(text, str) else []
    if len(parts) != 2 or not all(parts):
        raise ValidationError(
            f"{field} is written FIRST..LAST, e.g. 2018-01..2020-12; got {text!r}",
            da=f"{field_da(field)} skrives FØRSTE..SIDSTE, fx 2018-01..2020-12; ikke {text!r}",
        )
    first, last = (read(part) if read else parse_period(part, field=field) for part in parts)
    if last < first:
        raise ValidationError(
            f"{field}: the last month ({last}) is before the first ({first}) in {text!r}",
            da=f"{field_da(field)}: den sidste måned ({last}) ligger før den første ({first}) i {text!r}",
        )
    return first, last


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
    """Return an ISO date ``YYYY-MM-DD`` (in the years periods allow) or raise a clear error."""
    try:
        date = dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise ValidationError(
            f"{field} must be a date written YYYY-MM-DD (e.g. 2022-03-25), got {text!r}",
            da=f"{field_da(field)} skal være en dato skrevet ÅÅÅÅ-MM-DD (fx 2022-03-25), ikke {text!r}",
        ) from None
    if not FIRST_YEAR <= date.year <= LAST_YEAR:
        raise ValidationError(
            f"{field}: year {date.year} is out of range in {text!r}",
            da=f"{field_da(field)}: året {date.year} i {text!r} ligger uden for {FIRST_YEAR}-{LAST_YEAR}",
        )
    return date.isoformat()


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


#: Texts accepted as they are, without the input checks: ``None`` means every text (a record
#: read from storage, see :meth:`Record.from_dict`); a set holds the texts a record already had
#: before an edit (:meth:`Record.replace`), so an old stored text never blocks another change.
#: Outside both (the default) every text is new input and is checked.
_TOLERATED: ContextVar[frozenset[str] | None] = ContextVar("tolerated_texts", default=frozenset())
#: whether a caller has chosen what is tolerated (:func:`tolerating`), so that a record read
#: within it (``from_dict``) does not widen the choice to every text
_CHOSEN: ContextVar[bool] = ContextVar("tolerated_texts_chosen", default=False)


def tolerate(texts: frozenset[str] | None) -> tuple[Token[frozenset[str] | None], Token[bool]]:
    """From now on ``texts`` (``None``: every text) are taken as stored; give the result to
    :func:`restore`. (:func:`tolerating` is the same as a ``with`` block; this pair is for
    ``Record.from_dict``, which runs for every stored record and so avoids a generator.)"""
    return _TOLERATED.set(texts), _CHOSEN.set(True)


def restore(tokens: tuple[Token[frozenset[str] | None], Token[bool]]) -> None:
    _CHOSEN.reset(tokens[1])
    _TOLERATED.reset(tokens[0])


@contextmanager
def tolerating(texts: frozenset[str] | None) -> Iterator[None]:
    """Within: ``texts`` (``None``: every text) are taken as stored, unchecked; others are input."""
    tokens = tolerate(texts)
    try:
        yield
    finally:
        restore(tokens)


#: whether a caller chose what is tolerated (a ``from_dict`` inside keeps that choice)
tolerance_chosen = _CHOSEN.get


def reading_stored() -> bool:
    """True while a record is read from storage (every stored text taken as it is)."""
    return _TOLERATED.get() is None


def _checked(text: str, *, field: str, single_line: bool) -> str:
    """``text`` NFC-normalised, or an error naming ``field`` for a control or bidi character.

    Newline and tab are allowed where the field holds several lines (not ``single_line``).
    Text read from storage, or already stored in a record being edited, passes unchanged.
    """
    tolerated = _TOLERATED.get()
    if tolerated is None or text in tolerated:
        return text
    bad = unsafe_characters(text)
    if single_line:
        bad += [c for c in text if c in "\n\t"]
    if bad:
        code = f"U+{ord(bad[0]):04X}"
        raise ValidationError(
            f"{field} contains a control or direction character ({code}), which cannot be shown; "
            "type it without",
            da=f"{field_da(field)} indeholder et styre- eller retningstegn ({code}), som ikke kan vises; "
            "skriv det uden",
        )
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def name_key(name: str) -> str:
    """What makes two names the same name: case, Unicode form and spacing do not count."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def require_text(value: object, *, field: str, max_length: int = 2000, single_line: bool = False) -> str:
    """A non-empty, trimmed string of bounded length, with no control or direction characters."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"{field} must not be empty", da=f"{field_da(field)} skal udfyldes")
    text = value.strip()
    if len(text) > max_length:
        raise ValidationError(
            f"{field} is longer than {max_length} characters",
            da=f"{field_da(field)} er længere end {max_length} tegn",
        )
    return _checked(text, field=field, single_line=single_line)


def optional_text(value: object, *, field: str, max_length: int = 20000, single_line: bool = False) -> str:
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
    text = value.strip()
    return _checked(text, field=field, single_line=single_line) if text else text


def text_list(values: Iterable[object] | None, *, field: str, single_line: bool = False) -> list[str]:
    return [require_text(v, field=field, single_line=single_line) for v in (values or [])]


def finite_number(value: object, *, field: str) -> float:
    """``value`` as a float; NaN, infinity, an overflow (``1e309``) or a non-number is refused."""
    number = math.nan
    if not isinstance(value, bool) and value is not None:
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError, OverflowError):
            pass
    if math.isnan(number) and not (isinstance(value, float | str) and "nan" in str(value).lower()):
        raise ValidationError(
            f"{field} must be a number, got {value!r}",
            da=f"{field_da(field)} skal være et tal, ikke {value!r}",
        )
    if not math.isfinite(number):
        raise ValidationError(
            f"{field} must be a finite number, got {value!r}",
            da=f"{field_da(field)} skal være et endeligt tal, ikke {value!r}",
        )
    return number


def unique(items: Iterable[str]) -> Iterator[str]:
    seen: set[str] = set()
    for item in items:
        if item not in seen:
            seen.add(item)
            yield item


def slugify(text: str) -> str:
    """A stable, readable id from a name: "Psykiatrien Syd, Vordingborg" -> psykiatrien-syd-vordingborg."""
    text = text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60] or "team"
