"""pdsa: the core of the improvement-work tool (domain, storage, SPC, import, plugins).

This package never imports Textual. What a plugin needs is exported here; a plugin
should import from ``pdsa_core`` only, not from submodules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pdsa_core.version import __version__

if TYPE_CHECKING:  # what a type checker sees of the lazy names below: their real types
    from pdsa_core.assessments.instrument import Instrument, load_instrument
    from pdsa_core.domain import (
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
    from pdsa_core.domain.driver import DiagramTemplate, TemplateNode
    from pdsa_core.errors import (
        DataImportError,
        NotFoundError,
        PdsaError,
        PluginError,
        SourceError,
        ValidationError,
    )
    from pdsa_core.extension_types import (
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
    from pdsa_core.hookspecs import hookimpl
    from pdsa_core.i18n import get_language
    from pdsa_core.importing.events import EventLayout, Population, aggregate_events
    from pdsa_core.importing.municipal import ForceLayout, force_result, read_force_registrations
    from pdsa_core.indicator_sets import load_indicator_sets
    from pdsa_core.plugin_api import (
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
    from pdsa_core.plugins import load_plugins, temporary_plugin
    from pdsa_core.spc import ChartResult, Finding, RuleSet

#: every exported name and the module defining it. A module is imported when one of its names
#: is first used (``from pdsa_core import X`` or ``pdsa_core.X``), so importing pdsa_core (the
#: TUI's texts do, through ``pdsa_core.i18n``) does not load MUSIQ, the importers and the plugin
#: machinery a command may never use.
_LAZY = {
    "Instrument": "pdsa_core.assessments.instrument",
    "load_instrument": "pdsa_core.assessments.instrument",
    **dict.fromkeys(
        (
            "Annotation",
            "AnnotationKind",
            "Direction",
            "Indicator",
            "IndicatorDefinition",
            "IndicatorKind",
            "IndicatorSet",
            "Measurement",
            "Target",
            "Team",
            "Unit",
        ),
        "pdsa_core.domain",
    ),
    "DiagramTemplate": "pdsa_core.domain.driver",
    "TemplateNode": "pdsa_core.domain.driver",
    **dict.fromkeys(
        ("DataImportError", "NotFoundError", "PdsaError", "PluginError", "SourceError", "ValidationError"),
        "pdsa_core.errors",
    ),
    **dict.fromkeys(
        (
            "AnnotationInput",
            "DataSource",
            "Importer",
            "ImportResult",
            "MeasurementInput",
            "Parameter",
            "ReportContext",
            "ReportSection",
            "SourceResult",
            "apply_result",
        ),
        "pdsa_core.extension_types",
    ),
    "hookimpl": "pdsa_core.hookspecs",
    "get_language": "pdsa_core.i18n",
    "EventLayout": "pdsa_core.importing.events",
    "Population": "pdsa_core.importing.events",
    "aggregate_events": "pdsa_core.importing.events",
    "ForceLayout": "pdsa_core.importing.municipal",
    "read_force_registrations": "pdsa_core.importing.municipal",
    "force_result": "pdsa_core.importing.municipal",
    "load_indicator_sets": "pdsa_core.indicator_sets",
    **dict.fromkeys(
        (
            "AssessmentAdded",
            "CycleAdded",
            "CycleStatusChanged",
            "DiagramChanged",
            "Event",
            "MeasurementAdded",
            "NamedPopulation",
            "OtherEvent",
            "Register",
            "SignalAppeared",
            "TeamAdded",
            "WorkspaceView",
        ),
        "pdsa_core.plugin_api",
    ),
    "load_plugins": "pdsa_core.plugins",
    "temporary_plugin": "pdsa_core.plugins",
    "ChartResult": "pdsa_core.spc",
    "Finding": "pdsa_core.spc",
    "RuleSet": "pdsa_core.spc",
}


def __getattr__(name: str) -> object:
    from pdsa_core.lazy_imports import lazy_attribute

    return lazy_attribute(__name__, _LAZY, globals(), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


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
