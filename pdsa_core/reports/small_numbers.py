"""Small numbers in tables: counts of 1 to 4 shown as "<5", as Danish statistics practice does.

A report that leaves the team (the national roll-up, anything made with ``--suppress-small``)
must not let a reader single out a person from a count of one or two. :class:`SmallNumbers`
formats the cells of tables: a count from 1 to 4 becomes ``<5``; a proportion whose
numerator or denominator is from 1 to 4 becomes ``n<5``. Zero is shown (it identifies
nobody). It counts what it hid, so the report can say that it did.
"""

from __future__ import annotations

from dataclasses import dataclass

from pdsa_core.formatting import fmt_number, fmt_percent

SMALL = "<5"
SMALL_SHARE = "n<5"


def fmt_value(value: float | None, *, unit: str = "count", lang: str = "da") -> str:
    """A measurement value for a table: counts as whole numbers, proportions as per cent."""
    if value is None:
        return "–"
    if unit == "proportion":
        return fmt_percent(value * 100, lang)
    if float(value).is_integer():
        return fmt_number(value, lang)
    return fmt_number(value, lang, decimals=1)


@dataclass
class SmallNumbers:
    """Formats table cells, hiding counts of 1–4 when ``enabled``; ``hidden`` counts the cells hidden."""

    enabled: bool = False
    hidden: int = 0

    @staticmethod
    def is_small(value: float | None) -> bool:
        return value is not None and 0 < value < 5

    def count(self, value: float | None, *, lang: str = "da") -> str:
        if self.enabled and self.is_small(value):
            self.hidden += 1
            return SMALL
        return fmt_value(value, lang=lang)

    def measurement(
        self,
        value: float | None,
        *,
        unit: str,
        numerator: float | None = None,
        denominator: float | None = None,
        lang: str = "da",
    ) -> str:
        """A value of an indicator: a count is hidden when small; a share when built from small counts."""
        if unit == "proportion":
            if self.enabled and (self.is_small(numerator) or self.is_small(denominator)):
                self.hidden += 1
                return SMALL_SHARE
            return fmt_value(value, unit=unit, lang=lang)
        if unit == "count":
            return self.count(value, lang=lang)
        return fmt_value(value, unit=unit, lang=lang)

    def note(self, lang: str = "da", *, charts: bool = False) -> str:
        """What the reader must know: that small counts were hidden (empty when not enabled)."""
        if not self.enabled:
            return ""
        if lang == "da":
            text = (
                "Små tal: antal fra 1 til 4 vises som «<5» i tabellerne, og andele beregnet af så små "
                "antal som «n<5», så enkeltpersoner ikke kan genkendes (Danmarks Statistiks praksis). "
                f"{self.hidden} {'celle er' if self.hidden == 1 else 'celler er'} skjult."
            )
            if charts:
                text += " Diagrammerne viser de faktiske månedlige værdier."
            return text
        text = (
            "Small numbers: counts from 1 to 4 are shown as “<5” in the tables, and shares computed "
            "from such small counts as “n<5”, so no person can be singled out (the practice of "
            f"Statistics Denmark). {self.hidden} {'cell is' if self.hidden == 1 else 'cells are'} hidden."
        )
        if charts:
            text += " The charts show the actual monthly values."
        return text
