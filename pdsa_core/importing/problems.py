"""Row errors and the catalogue of import problems, in Danish and English.

Every problem an importer can find in a row has a stable ``code`` (for tests, for
counting, for a UI that wants its own wording) and a Danish and an English text.
Texts never contain a value from an event extract: a value there may be a CPR number.
Texts for measurement tables may quote the (short, redacted) cell text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pdsa_core.errors import ValidationError
from pdsa_core.redaction import redact

#: code -> (Danish, English). ``{placeholders}`` are filled by :func:`problem`.
PROBLEMS: dict[str, tuple[str, str]] = {
    # periods
    "period_missing": ("perioden mangler", "the period is missing"),
    "period_unknown": (
        "kan ikke læses som en måned: {text}",
        "cannot be read as a month: {text}",
    ),
    "period_ambiguous": (
        "tvetydig måned: {text} (skriv året med 4 cifre, fx 01-2022 eller jan-2022)",
        "ambiguous month: {text} (write the year with 4 digits, e.g. 01-2022 or jan-2022)",
    ),
    "period_quarter": (
        "{text} er et kvartal eller et år, ikke en måned",
        "{text} is a quarter or a year, not a month",
    ),
    "period_out_of_range": (
        "året i {text} ligger uden for 1900-2200",
        "the year in {text} is outside 1900-2200",
    ),
    "date_invalid": ("ugyldig dato: {text}", "not a valid date: {text}"),
    # numbers
    "not_a_number": ("ikke et tal: {text}", "not a number: {text}"),
    "not_whole": ("skal være et helt tal: {text}", "must be a whole number: {text}"),
    "negative": ("negativ værdi ({text}) er umulig her", "a negative value ({text}) is impossible here"),
    "denominator_zero": ("nævneren er 0", "the denominator is 0"),
    "numerator_gt_denominator": (
        "tælleren ({numerator}) er større end nævneren ({denominator})",
        "the numerator ({numerator}) is larger than the denominator ({denominator})",
    ),
    "numerator_missing": ("tælleren mangler", "the numerator is missing"),
    "denominator_missing": ("nævneren mangler", "the denominator is missing"),
    "duplicate": (
        "{indicator} for {period} står allerede i række {first_row}",
        "{indicator} for {period} is already given in row {first_row}",
    ),
    "duplicate_column": (
        "{indicator} for {period} står allerede i kolonne {first_column}",
        "{indicator} for {period} is already given in column {first_column}",
    ),
    "indicator_missing": ("indikatoren mangler", "the indicator is missing"),
    "indicator_unknown": ("ukendt indikator: {text}", "unknown indicator: {text}"),
    "value_missing": ("værdien mangler", "the value is missing"),
    # event extracts (never quote the value)
    "identifier_invalid": ("ikke et gyldigt person-id", "not a valid identifier"),
    "identifier_missing": ("person-id mangler", "the identifier is missing"),
    "timestamp_invalid": (
        "ikke et gyldigt tidspunkt (brug fx 15.03.2022 14:35)",
        "not a valid timestamp (use e.g. 15.03.2022 14:35)",
    ),
    "timestamp_missing": ("tidspunktet mangler", "the timestamp is missing"),
    "kind_missing": ("tvangstypen mangler", "the kind of coercion is missing"),
    "age_invalid": ("alderen er ikke et helt tal", "the age is not a whole number"),
    "yes_no_invalid": (
        "forventede ja/nej, 1/0 eller x/tom",
        "expected yes/no (ja/nej, 1/0 or x/blank)",
    ),
    "field_count": (
        "rækken har {found} felter, overskriften har {expected}",
        "the row has {found} fields, the header has {expected}",
    ),
    "unreadable": ("rækken kan ikke læses", "the row cannot be read"),
}


class ImportProblem(ValidationError):
    """A single value cannot be used; carries a problem ``code`` and both texts."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        self.reason_da, self.reason_en = problem_texts(code, **params)
        super().__init__(self.reason_en, da=self.reason_da)


def problem_texts(code: str, **params: Any) -> tuple[str, str]:
    """The Danish and English text of a problem ``code`` with its placeholders filled."""
    da, en = PROBLEMS[code]
    return da.format(**params), en.format(**params)


def short(text: object, limit: int = 40) -> str:
    """A cell's text fit for a message: quoted, cut to ``limit`` characters, CPR-redacted."""
    shown = redact(str(text)).replace("\n", " ")
    if len(shown) > limit:
        shown = shown[: limit - 1] + "…"
    return f"'{shown}'"


@dataclass(frozen=True)
class RowError:
    """One problem in one row of an imported file.

    ``row`` is the row number the user sees in Excel (the header is row 1 in a CSV
    file; in a workbook it is the sheet's own row number); ``column`` is the header
    text of the column, or ``None`` when the whole row is at fault.
    """

    row: int | None
    column: str | None
    code: str
    reason_da: str
    reason_en: str

    @classmethod
    def of(cls, row: int | None, column: str | None, code: str, **params: Any) -> RowError:
        da, en = problem_texts(code, **params)
        return cls(row, column, code, da, en)

    @classmethod
    def from_problem(cls, row: int | None, column: str | None, exc: ImportProblem) -> RowError:
        return cls(row, column, exc.code, exc.reason_da, exc.reason_en)

    def message(self, lang: str = "en") -> str:
        """``row 17, column cpr: not a valid identifier`` (or the Danish text)."""
        reason = self.reason_da if lang == "da" else self.reason_en
        row_word, column_word = ("række", "kolonne") if lang == "da" else ("row", "column")
        where = []
        if self.row is not None:
            where.append(f"{row_word} {self.row}")
        if self.column is not None:
            where.append(f"{column_word} {self.column}")
        return f"{', '.join(where)}: {reason}" if where else reason

    def __str__(self) -> str:
        return self.message("en")

    def to_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "code": self.code,
            "reason_da": self.reason_da,
            "reason_en": self.reason_en,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RowError:
        return cls(data.get("row"), data.get("column"), data["code"], data["reason_da"],
                   data["reason_en"])
