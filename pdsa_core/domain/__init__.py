"""The domain: plain, validated records with no I/O."""

from pdsa_core.domain.annotation import PHASE_KINDS, Annotation, AnnotationKind
from pdsa_core.domain.assessment import Assessment, Rating
from pdsa_core.domain.common import month_range, parse_date, parse_period, period_index
from pdsa_core.domain.cycle import BOARD_ORDER, ActDecision, CycleStatus, PdsaCycle
from pdsa_core.domain.driver import DiagramChange, DriverDiagram, DriverNode, NodeKind
from pdsa_core.domain.indicator import (
    Direction,
    Indicator,
    IndicatorDefinition,
    IndicatorKind,
    IndicatorSet,
    Target,
    Unit,
)
from pdsa_core.domain.measurement import Measurement, Revision, measurement_key
from pdsa_core.domain.meeting import Action, Meeting
from pdsa_core.domain.team import Member, Region, Role, Team, Track

__all__ = [
    "PHASE_KINDS",
    "BOARD_ORDER",
    "Action",
    "ActDecision",
    "Annotation",
    "AnnotationKind",
    "Assessment",
    "CycleStatus",
    "DiagramChange",
    "Direction",
    "DriverDiagram",
    "DriverNode",
    "Indicator",
    "IndicatorDefinition",
    "IndicatorKind",
    "IndicatorSet",
    "Measurement",
    "Meeting",
    "Member",
    "NodeKind",
    "PdsaCycle",
    "Rating",
    "Region",
    "Revision",
    "Role",
    "Target",
    "Team",
    "Track",
    "Unit",
    "measurement_key",
    "month_range",
    "parse_date",
    "parse_period",
    "period_index",
]
