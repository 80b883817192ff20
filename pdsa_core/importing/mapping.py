"""Which column of a table means what: :class:`ColumnMapping` and :func:`guess_mapping`.

Two layouts:

* **wide**: one month per row, one column per indicator (or a numerator and a
  denominator column for a proportion), e.g. ``Måned | R1 | R2 | V1 tæller | V1 nævner``;
* **long**: one measurement per row, e.g. ``Periode | Indikator | Værdi``
  (optionally ``Tæller`` and ``Nævner``).

A sheet with the months across the header and an indicator per row is read turned
round (see :mod:`~pdsa_core.importing.tables`): it is then a wide table whose month
column is ``Måned`` and whose "columns" are the labels of the indicator rows
(``R1 Antal personer``, ``V1 tæller``). Its mapping is a wide mapping with
``months_in="columns"``, so that a saved mapping expects that shape again.

A mapping is plain data (``to_dict``/``from_dict`` round-trip through JSON) so that a
team's mapping can be saved and reused for next month's file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from pdsa_core.errors import ValidationError
from pdsa_core.importing.periods import read_period
from pdsa_core.importing.problems import ImportProblem
from pdsa_core.importing.tables import Table, normalise_header

Layout = Literal["wide", "long"]
MONTHS_IN = (None, "rows", "columns")

PERIOD_WORDS = {
    "måned", "maaned", "md", "md.", "mdr", "periode", "period", "month", "år-måned",
    "år/måned", "måned/år", "dato", "date", "tid", "time", "year-month", "yearmonth",
    "måned år", "år måned", "aar maaned",
}
INDICATOR_WORDS = {"indikator", "indicator", "kode", "code", "indikatorkode", "måling"}
VALUE_WORDS = {"værdi", "vaerdi", "value", "resultat", "result", "antal", "count"}
NUMERATOR_WORDS = {"tæller", "taeller", "numerator", "tællere"}
DENOMINATOR_WORDS = {"nævner", "naevner", "denominator", "nævnere"}
_TOKEN = re.compile(r"[0-9a-zæøåäöü]+")


@dataclass
class IndicatorColumns:
    """The columns of one indicator in a wide table: ``value``, or ``numerator`` and
    ``denominator`` (a proportion), or all three."""

    indicator: str
    value: str | None = None
    numerator: str | None = None
    denominator: str | None = None

    def columns(self) -> list[str]:
        return [c for c in (self.value, self.numerator, self.denominator) if c]

    def to_dict(self) -> dict[str, Any]:
        return {"indicator": self.indicator, "value": self.value, "numerator": self.numerator,
                "denominator": self.denominator}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> IndicatorColumns:
        return cls(
            indicator=_text(data, "indicator"),
            value=_optional_text(data, "value"),
            numerator=_optional_text(data, "numerator"),
            denominator=_optional_text(data, "denominator"),
        )


@dataclass
class ColumnMapping:
    """How to read measurements from a table.

    ``period`` names the month column. For ``layout="wide"``, ``indicators`` lists
    each indicator's columns. For ``layout="long"``, ``indicator_column`` names the
    column holding the indicator, and ``value_column`` and/or ``numerator_column`` +
    ``denominator_column`` the numbers; ``aliases`` maps labels found in the indicator
    column (``"Personer tvangsindlagt"``) to indicator codes (``"R1"``).
    ``sheet`` and ``header_rows`` say how to read the file in the first place, and
    ``months_in``: ``"columns"`` for a sheet with the months across the header (read
    turned round: ``period`` is then ``Måned`` and the indicator "columns" are the row
    labels), ``"rows"`` for a month per row, ``None`` to take the file as detected.
    """

    period: str
    layout: Layout = "wide"
    indicators: list[IndicatorColumns] = field(default_factory=list)
    indicator_column: str | None = None
    value_column: str | None = None
    numerator_column: str | None = None
    denominator_column: str | None = None
    aliases: dict[str, str] = field(default_factory=dict)
    sheet: str | int | None = None
    header_rows: int | None = None
    months_in: str | None = None

    def validate(self) -> None:
        """Raise :class:`ValidationError` if the mapping cannot be used as it is."""
        if not self.period:
            raise ValidationError("the mapping names no period column")
        if self.layout == "wide":
            if not self.indicators:
                raise ValidationError("the mapping names no indicator columns")
            for item in self.indicators:
                if not item.indicator:
                    raise ValidationError("an indicator in the mapping has no code")
                if (item.numerator is None) != (item.denominator is None):
                    raise ValidationError(
                        f"{item.indicator}: a proportion needs both a numerator and a "
                        "denominator column"
                    )
                if not item.columns():
                    raise ValidationError(f"{item.indicator}: the mapping names no column")
            codes = [item.indicator for item in self.indicators]
            if len(set(codes)) != len(codes):
                raise ValidationError("an indicator is mapped twice")
        elif self.layout == "long":
            if not self.indicator_column:
                raise ValidationError("a long table needs an indicator column")
            if (self.numerator_column is None) != (self.denominator_column is None):
                raise ValidationError("a proportion needs both a numerator and a denominator "
                                      "column")
            if not (self.value_column or self.numerator_column):
                raise ValidationError("a long table needs a value column (or numerator and "
                                      "denominator)")
        else:
            raise ValidationError(f"layout must be 'wide' or 'long', not {self.layout!r}")
        if self.header_rows is not None and not 1 <= self.header_rows <= 3:
            raise ValidationError("header_rows must be 1-3")
        if self.months_in not in MONTHS_IN:
            raise ValidationError(f"months_in must be 'rows' or 'columns', not {self.months_in!r}")
        if self.months_in == "columns" and self.layout != "wide":
            raise ValidationError("a table with the months across the header has a wide mapping")

    def used_columns(self) -> list[str]:
        columns = [self.period]
        if self.layout == "wide":
            for item in self.indicators:
                columns.extend(item.columns())
        else:
            columns.extend(
                c for c in (self.indicator_column, self.value_column, self.numerator_column,
                            self.denominator_column) if c
            )
        return columns

    def to_dict(self) -> dict[str, Any]:
        return {
            "layout": self.layout,
            "period": self.period,
            "indicators": [item.to_dict() for item in self.indicators],
            "indicator_column": self.indicator_column,
            "value_column": self.value_column,
            "numerator_column": self.numerator_column,
            "denominator_column": self.denominator_column,
            "aliases": dict(self.aliases),
            "sheet": self.sheet,
            "header_rows": self.header_rows,
            "months_in": self.months_in,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ColumnMapping:
        """Rebuild a saved mapping; :class:`ValidationError` if it is damaged."""
        if not isinstance(data, dict):
            raise ValidationError("a column mapping must be a JSON object")
        try:
            indicators = [IndicatorColumns.from_dict(item) for item in data.get("indicators", [])]
            aliases = data.get("aliases") or {}
            if not isinstance(aliases, dict):
                raise ValidationError("aliases must be an object")
            sheet = data.get("sheet")
            if sheet is not None and not isinstance(sheet, str | int):
                raise ValidationError("sheet must be a name or an index")
            header_rows = data.get("header_rows")
            if header_rows is not None and not isinstance(header_rows, int):
                raise ValidationError("header_rows must be a whole number")
            mapping = cls(
                period=_text(data, "period"),
                layout=data.get("layout", "wide"),
                indicators=indicators,
                indicator_column=_optional_text(data, "indicator_column"),
                value_column=_optional_text(data, "value_column"),
                numerator_column=_optional_text(data, "numerator_column"),
                denominator_column=_optional_text(data, "denominator_column"),
                aliases={str(k): str(v) for k, v in aliases.items()},
                sheet=sheet,
                header_rows=header_rows,
                months_in=data.get("months_in"),
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValidationError(f"the column mapping is damaged ({exc})") from None
        mapping.validate()
        return mapping


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise ValidationError(f"the column mapping needs a text {key!r}")
    return value


def _optional_text(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValidationError(f"{key!r} in the column mapping must be text")
    return value


@dataclass
class MappingGuess:
    """What :func:`guess_mapping` found.

    ``mapping`` is ``None`` when no usable mapping could be made; ``unmapped`` lists
    headers that were not understood (and so will not be imported); ``problems`` says
    what is missing, in Danish and English.
    """

    mapping: ColumnMapping | None
    unmapped: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.mapping is not None and not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {
            "mapping": self.mapping.to_dict() if self.mapping else None,
            "unmapped": list(self.unmapped),
            "problems": [{"da": da, "en": en} for da, en in self.problems],
            "complete": self.complete,
        }


def _tokens(header: str) -> list[str]:
    return _TOKEN.findall(normalise_header(header))


def indicator_in_header(header: str, codes: Iterable[str]) -> str | None:
    """The one known indicator code that appears as a word in ``header`` (else ``None``)."""
    by_token = {code.casefold(): code for code in codes}
    tokens = _tokens(header)
    found = {by_token[t] for t in tokens if t in by_token}
    if len(found) == 1:
        return found.pop()
    # "R1tæller" or "V1_naevner" written together
    if not found and tokens:
        for code_key, code in by_token.items():
            if tokens[0].startswith(code_key) and not tokens[0][len(code_key):].isdigit():
                return code
    return None


def _role(header: str) -> str:
    tokens = set(_tokens(header))
    joined = "".join(_tokens(header))
    if tokens & NUMERATOR_WORDS or any(joined.endswith(w) for w in NUMERATOR_WORDS):
        return "numerator"
    if tokens & DENOMINATOR_WORDS or any(joined.endswith(w) for w in DENOMINATOR_WORDS):
        return "denominator"
    return "value"


def period_column(table: Table) -> str | None:
    if table.transposed is not None:
        return table.headers[0]  # the months of the header, one per row once turned
    for header in table.headers:
        if normalise_header(header) in PERIOD_WORDS or set(_tokens(header)) & {
            "måned", "maaned", "periode", "period", "month"
        }:
            return header
    # No telling header: the first column whose filled cells are mostly months.
    for position, header in enumerate(table.headers):
        cells = [row[position] for row in table.rows[:50] if row[position] is not None]
        if not cells:
            continue
        readable = 0
        for cell in cells:
            try:
                read_period(cell)
                readable += 1
            except ImportProblem:
                pass
        if readable * 10 >= len(cells) * 8:
            return header
    return None


def guess_mapping(table: Table, known_indicator_codes: Iterable[str]) -> MappingGuess:
    """Guess a mapping from the headers (and, for the month column, the cells).

    Recognises ``R1``, ``R1 Personer tvangsindlagt``, ``V1 tæller``/``V1 nævner``,
    ``Måned``/``Periode``/``Month``, and the long layout's ``Indikator``/``Værdi``.
    """
    codes = list(known_indicator_codes)
    problems: list[tuple[str, str]] = []
    period = period_column(table)
    if period is None:
        problems.append(("ingen kolonne med måneder (fx 'Måned')",
                         "no column of months (e.g. 'Month')"))
    if table.transposed is not None:  # months across the header: always wide
        guess = _guess_wide(table, period, codes, problems)
        if guess.mapping is not None:
            guess.mapping.months_in = "columns"
        return guess
    normalised = {h: set(_tokens(h)) for h in table.headers}
    indicator_col = next((h for h in table.headers if h != period
                          and normalised[h] & INDICATOR_WORDS), None)
    if indicator_col is not None:
        return _guess_long(table, period, indicator_col, codes, problems)
    return _guess_wide(table, period, codes, problems)


def _guess_wide(table: Table, period: str | None, codes: list[str],
                problems: list[tuple[str, str]]) -> MappingGuess:
    found: dict[str, IndicatorColumns] = {}
    unmapped = []
    for header in table.headers:
        if header == period:
            continue
        code = indicator_in_header(header, codes)
        if code is None:
            unmapped.append(header)
            continue
        item = found.setdefault(code, IndicatorColumns(code))
        role = _role(header)
        if getattr(item, role) is not None:
            unmapped.append(header)
            problems.append((f"{code}: flere kolonner ligner {role}: {header!r}",
                             f"{code}: more than one column looks like its {role}: {header!r}"))
            continue
        setattr(item, role, header)
    for item in found.values():
        if (item.numerator is None) != (item.denominator is None):
            lone = item.numerator or item.denominator
            problems.append((f"{item.indicator}: tæller eller nævner mangler ved {lone!r}",
                             f"{item.indicator}: numerator or denominator missing for {lone!r}"))
            unmapped.append(lone or "")
            item.numerator = item.denominator = None
    indicators = [item for item in found.values() if item.columns()]
    if not indicators:
        problems.append(("ingen kolonner med kendte indikatorer",
                         "no columns of known indicators"))
    mapping = ColumnMapping(period=period, indicators=indicators) if period and indicators \
        else None
    return MappingGuess(mapping, unmapped, problems)


def _guess_long(table: Table, period: str | None, indicator_col: str, codes: list[str],
                problems: list[tuple[str, str]]) -> MappingGuess:
    value = numerator = denominator = None
    unmapped = []
    for header in table.headers:
        if header in (period, indicator_col):
            continue
        tokens = set(_tokens(header))
        if numerator is None and tokens & NUMERATOR_WORDS:
            numerator = header
        elif denominator is None and tokens & DENOMINATOR_WORDS:
            denominator = header
        elif value is None and tokens & VALUE_WORDS:
            value = header
        else:
            unmapped.append(header)
    if (numerator is None) != (denominator is None):
        problems.append(("tæller eller nævner mangler", "numerator or denominator missing"))
        unmapped.extend(c for c in (numerator, denominator) if c)
        numerator = denominator = None
    if value is None and numerator is None:
        problems.append(("ingen kolonne med værdier (fx 'Værdi')",
                         "no column of values (e.g. 'Value')"))
    aliases = {}
    position = table.headers.index(indicator_col)
    for label in {cell for row in table.rows if isinstance(cell := row[position], str)}:
        code = indicator_in_header(label, codes)
        if code is not None and label.strip() != code:
            aliases[label.strip()] = code
    mapping = None
    if period and (value or numerator):
        mapping = ColumnMapping(
            period=period, layout="long", indicator_column=indicator_col,
            value_column=value, numerator_column=numerator, denominator_column=denominator,
            aliases=aliases,
        )
    return MappingGuess(mapping, unmapped, problems)
