"""The LKT Tvang indicator sets, as in the project description and the experience catalogue.

They are data: ``data/indicator_sets.json`` (format ``pdsa-indicator-sets/1``, read with
:func:`pdsa_core.load_indicator_sets`). Result indicators R1/R2 and follow indicators F1-F4
are monthly counts with the baseline 2018-2020; R1 and R2 aim at -10 % by 30 September 2023
for the participating units. The process indicators V1/V2 (adults) are proportions that
should rise, BU1 (children and young people) a count that should rise. The voluntary
indicators (V3, V4, BU2-BU4) are proportions with the target of at least 90 %; they are
marked ``voluntary``. "Persons" indicators count unique persons per month, the others count
events.

The baseline is set where the project collected historic data: R1-F4 and V1/V2 (the 2019
law change made discharge agreements and coordination plans mandatory, so V1/V2 exist for
2018-2020). BU1 and the voluntary indicators measure tools the project introduced and have
no baseline period.
"""

from __future__ import annotations

from pathlib import Path

from pdsa_core import IndicatorSet, load_indicator_sets

#: the one place the sets are written down (pdsa's demo keeps a copy, tested to be equal)
DATA_FILE = Path(__file__).resolve().parent / "data" / "indicator_sets.json"


def indicator_sets() -> list[IndicatorSet]:
    """Both tracks' sets: ``lkt-tvang-voksen`` and ``lkt-tvang-boern-unge``."""
    return load_indicator_sets(DATA_FILE)
