"""pdsa plugin: LKT Tvang, the national learning and quality team on coercion in psychiatry.

Registers the indicator sets of both tracks (``lkt-tvang-voksen``: R1, R2, F1-F4, V1-V4;
``lkt-tvang-boern-unge``: R1, R2, F1-F4, BU1-BU4) and a driver diagram template for each
track, built from the project's closing experience catalogue. A team gets its indicators
and its starting diagram in one step::

    pdsa team add "Psykiatrien Syd" --indicator-set lkt-tvang-voksen --template lkt-tvang-voksen
"""

from __future__ import annotations

from pdsa_core import DiagramTemplate, IndicatorSet, Register, hookimpl
from pdsa_lkt_tvang.indicators import indicator_sets
from pdsa_lkt_tvang.templates import diagram_templates

__version__ = "1.0.0"


@hookimpl
def register_indicator_sets(register: Register[IndicatorSet]) -> None:
    for indicator_set in indicator_sets():
        register(indicator_set)


@hookimpl
def register_diagram_templates(register: Register[DiagramTemplate]) -> None:
    for template in diagram_templates():
        register(template)
