"""Context assessments such as MUSIQ: instruments as data, scoring, ratings files, comparison.

The built-in MUSIQ instrument (``musiq@1.0-equal-weights``) is the JSON file in
``data/`` and is registered by the default plugin ``pdsa_core.default_plugins.instruments``
through the same ``register_instruments`` hook a third-party plugin uses.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pdsa_core.assessments.instrument import (
    Factor,
    Instrument,
    Level,
    LocalText,
    Scale,
    ScaleAnchor,
    ScoreMethod,
    Scoring,
    load_instrument,
)
from pdsa_core.assessments.texts import fmt_rating, fmt_score, summary_line, weights_line

if TYPE_CHECKING:  # what a type checker sees of the names below, imported when first used
    from pdsa_core.assessments.comparison import (
        Comparison,
        FactorMove,
        FocusItem,
        compare,
        compare_team_assessments,
        factor_moves,
        instrument_key,
        suggested_focus,
    )
    from pdsa_core.assessments.ratings_file import ratings_template, read_ratings_file, read_ratings_text
    from pdsa_core.assessments.recording import record_assessment
    from pdsa_core.assessments.scoring import (
        RatingInput,
        Score,
        ScoreSummary,
        check_participants,
        check_ratings,
        parse_rating_value,
        score_assessment,
        score_ratings,
    )

#: the package's other names and their modules: each module is imported when one of its names
#: is first used, so that registering the built-in instrument (at every start,
#: :mod:`pdsa_core.default_plugins.instruments`) imports only the instrument and the texts
_LAZY = {
    **dict.fromkeys(
        (
            "Comparison",
            "FactorMove",
            "FocusItem",
            "compare",
            "compare_team_assessments",
            "factor_moves",
            "instrument_key",
            "suggested_focus",
        ),
        "pdsa_core.assessments.comparison",
    ),
    **dict.fromkeys(
        ("ratings_template", "read_ratings_file", "read_ratings_text"), "pdsa_core.assessments.ratings_file"
    ),
    "record_assessment": "pdsa_core.assessments.recording",
    **dict.fromkeys(
        (
            "RatingInput",
            "Score",
            "ScoreSummary",
            "check_participants",
            "check_ratings",
            "parse_rating_value",
            "score_assessment",
            "score_ratings",
        ),
        "pdsa_core.assessments.scoring",
    ),
}


def __getattr__(name: str) -> object:
    from pdsa_core.lazy_imports import lazy_attribute

    return lazy_attribute(__name__, _LAZY, globals(), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


#: the registry key of the built-in MUSIQ instrument (used when no --instrument is given)
MUSIQ_KEY = "musiq@1.0-equal-weights"
DEFAULT_INSTRUMENT = MUSIQ_KEY

DATA_DIR = Path(__file__).resolve().parent / "data"


def builtin_musiq() -> Instrument:
    """The built-in MUSIQ instrument, read from its JSON file."""
    return load_instrument(DATA_DIR / "musiq-1.0-equal-weights.json")


__all__ = [
    "DATA_DIR",
    "DEFAULT_INSTRUMENT",
    "MUSIQ_KEY",
    "Comparison",
    "Factor",
    "FactorMove",
    "FocusItem",
    "Instrument",
    "Level",
    "LocalText",
    "RatingInput",
    "Scale",
    "ScaleAnchor",
    "Score",
    "ScoreMethod",
    "ScoreSummary",
    "Scoring",
    "builtin_musiq",
    "check_participants",
    "fmt_rating",
    "fmt_score",
    "check_ratings",
    "compare",
    "compare_team_assessments",
    "factor_moves",
    "instrument_key",
    "load_instrument",
    "parse_rating_value",
    "ratings_template",
    "read_ratings_file",
    "read_ratings_text",
    "record_assessment",
    "score_assessment",
    "score_ratings",
    "suggested_focus",
    "summary_line",
    "weights_line",
]
