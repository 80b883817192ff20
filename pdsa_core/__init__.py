"""pdsa: the core of the improvement-work tool (domain, storage, SPC, import, plugins).

This package never imports Textual. What a plugin needs is exported here; a plugin
should import from ``pdsa_core`` only, not from submodules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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
    Team,
    Unit,
)
from pdsa_core.domain.driver import DiagramTemplate, TemplateNode  # noqa: E402
from pdsa_core.errors import (  # noqa: E402
    DataImportError,
    NotFoundError,
    PdsaError,
    PluginError,
    SourceError,
    ValidationError,
)
from pdsa_core.extension_types import (  # noqa: E402
    AnnotationInput,
    DataSource,
    Importer,
    ImportResult,
    MeasurementInput,
    Parameter,
    ReportContext,
    ReportSection,
    SourceResult,
    apply_result,
)
from pdsa_core.hookspecs import hookimpl  # noqa: E402
from pdsa_core.i18n import get_language  # noqa: E402
from pdsa_core.indicator_sets import load_indicator_sets  # noqa: E402
from pdsa_core.plugin_api import (  # noqa: E402
    AssessmentAdded,
    CycleAdded,
    CycleStatusChanged,
    DiagramChanged,
    Event,
    MeasurementAdded,
    NamedPopulation,
    OtherEvent,
    Register,
    SignalAppeared,
    TeamAdded,
    WorkspaceView,
)
from pdsa_core.plugins import load_plugins, temporary_plugin  # noqa: E402
from pdsa_core.version import __version__

if TYPE_CHECKING:  # what a type checker sees of the lazy names below: their real types
    from pdsa_core.importing.events import EventLayout, Population, aggregate_events
    from pdsa_core.importing.municipal import ForceLayout, force_result, read_force_registrations
    from pdsa_core.spc import ChartResult, Finding, RuleSet

#: exported names whose modules are imported only when first used (keeps ``import pdsa_core`` fast)
_LAZY = {
    "ChartResult": "pdsa_core.spc",
    "Finding": "pdsa_core.spc",
    "RuleSet": "pdsa_core.spc",
    "EventLayout": "pdsa_core.importing.events",
    "Population": "pdsa_core.importing.events",
    "aggregate_events": "pdsa_core.importing.events",
    "ForceLayout": "pdsa_core.importing.municipal",
    "read_force_registrations": "pdsa_core.importing.municipal",
    "force_result": "pdsa_core.importing.municipal",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'pdsa_core' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "__version__",
    "Annotation",
    "AnnotationInput",
    "AnnotationKind",
    "AssessmentAdded",
    "ChartResult",
    "CycleAdded",
    "CycleStatusChanged",
    "DataImportError",
    "DataSource",
    "DiagramChanged",
    "DiagramTemplate",
    "Direction",
    "Event",
    "EventLayout",
    "Finding",
    "ForceLayout",
    "ImportResult",
    "Importer",
    "Indicator",
    "IndicatorDefinition",
    "IndicatorKind",
    "IndicatorSet",
    "Instrument",
    "Measurement",
    "MeasurementAdded",
    "MeasurementInput",
    "NamedPopulation",
    "NotFoundError",
    "OtherEvent",
    "Parameter",
    "PdsaError",
    "PluginError",
    "Population",
    "Register",
    "ReportContext",
    "ReportSection",
    "RuleSet",
    "SignalAppeared",
    "SourceError",
    "SourceResult",
    "Target",
    "Team",
    "TeamAdded",
    "TemplateNode",
    "Unit",
    "ValidationError",
    "WorkspaceView",
    "aggregate_events",
    "apply_result",
    "force_result",
    "get_language",
    "hookimpl",
    "load_indicator_sets",
    "load_instrument",
    "load_plugins",
    "read_force_registrations",
    "temporary_plugin",
]
