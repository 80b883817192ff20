"""pdsa: the core of the improvement-work tool (domain, storage, SPC, import, plugins).

This package never imports Textual. What a plugin needs is exported here; a plugin
should import from ``pdsa_core`` only, not from submodules.
"""

from __future__ import annotations

__version__ = "0.1.0"

from pdsa_core.assessments.instrument import Instrument, load_instrument  # noqa: E402
from pdsa_core.domain import (  # noqa: E402
    Annotation,
    AnnotationKind,
    Direction,
    Indicator,
    IndicatorDefinition,
    IndicatorKind,
    IndicatorSet,
    Measurement,
    Target,
    Unit,
)
from pdsa_core.domain.driver import DiagramTemplate, TemplateNode  # noqa: E402
from pdsa_core.errors import PdsaError, ValidationError  # noqa: E402
from pdsa_core.hookspecs import hookimpl  # noqa: E402

__all__ = [
    "__version__",
    "Annotation",
    "AnnotationKind",
    "DiagramTemplate",
    "Direction",
    "Indicator",
    "IndicatorDefinition",
    "IndicatorKind",
    "IndicatorSet",
    "Instrument",
    "Measurement",
    "PdsaError",
    "Target",
    "TemplateNode",
    "Unit",
    "ValidationError",
    "hookimpl",
    "load_instrument",
]
