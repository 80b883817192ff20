"""Scoring on hand-computed examples, and the checks on a set of ratings."""

from __future__ import annotations

import pytest

from pdsa_core.assessments import (
    Factor,
    Instrument,
    Level,
    LocalText,
    RatingInput,
    Scale,
    Scoring,
    builtin_musiq,
    check_ratings,
    score_ratings,
)
from pdsa_core.errors import ValidationError


def L(text: str) -> LocalText:  # noqa: N802 - short helper for test data
    return LocalText(da=f"{text} (da)", en=text)


def weighted_instrument(method: str = "weighted_sum") -> Instrument:
    """Two levels, unequal weights: A = a1 (w2), a2 (w1); B = b1 (w1), b2 (w3), b3 (w1)."""

    def factor(fid: str, level: str, weight: float) -> Factor:
        return Factor(fid, level, L(fid), L("low"), L("high"), weight=weight, changeable=True)

    return Instrument(
        id="weighted",
        version="2",
        name=L("Weighted"),
        levels=(Level("a", L("Level A")), Level("b", L("Level B"))),
        factors=(
            factor("a1", "a", 2),
            factor("a2", "a", 1),
            factor("b1", "b", 1),
            factor("b2", "b", 3),
            factor("b3", "b", 1),
        ),
        scale=Scale(min=1, max=7),
        scoring=Scoring(method=method),
        weights_source=L("made up for a test"),
    )


RATINGS = {"a1": 5, "a2": None, "b1": 2, "b2": 4, "b3": None}


def test_weighted_sum_per_level_and_total_with_not_applicable_factors() -> None:
    score = score_ratings(weighted_instrument(), RATINGS)
    a, b, total = score.levels["a"], score.levels["b"], score.total
    # A: only a1 rated: 2 x 5 = 10; mean 10 / 2 = 5; possible 2..14
    assert (a.score, a.mean, a.rated, a.not_applicable, a.minimum, a.maximum) == (10, 5, 1, 1, 2, 14)
    # B: 1 x 2 + 3 x 4 = 14; weights 4; mean 3.5; possible 4..28
    assert (b.score, b.mean, b.rated, b.not_applicable, b.minimum, b.maximum) == (14, 3.5, 2, 1, 4, 28)
    # total: 24 over weights 6: mean 4; two N/A
    assert (total.score, total.mean, total.rated, total.not_applicable, total.unrated) == (24, 4, 3, 2, 0)
    assert (total.minimum, total.maximum) == (6, 42)
    assert score.factors == RATINGS


def test_weighted_mean_method_gives_the_mean_per_rated_factor_as_the_score() -> None:
    score = score_ratings(weighted_instrument("weighted_mean"), RATINGS)
    assert score.levels["a"].score == 5
    assert score.levels["b"].score == 3.5
    assert score.total.score == 4
    assert score.total.weighted_sum == 24


def test_a_level_with_only_not_applicable_has_no_score() -> None:
    score = score_ratings(weighted_instrument(), {"a1": None, "a2": None, "b1": 7, "b2": 7, "b3": 7})
    assert score.levels["a"].score is None and score.levels["a"].mean is None
    assert score.levels["a"].not_applicable == 2
    assert score.total.score == 35 and score.total.mean == 7


def test_running_totals_of_an_incomplete_form_count_the_unanswered() -> None:
    score = score_ratings(weighted_instrument(), {"a1": 3})
    assert score.total.score == 6 and score.total.rated == 1 and score.total.unrated == 4


def test_musiq_equal_weights_hand_computed() -> None:
    musiq = builtin_musiq()
    ratings: dict[str, int | None] = {fid: 4 for fid in musiq.factor_ids}
    ratings.update(external_motivators=None, physician_payment_structure=None, team_norms=None)
    ratings.update(resource_availability=1, team_qi_skills=7)
    score = score_ratings(musiq, ratings)
    # 22 rated factors: 20 x 4 + 1 + 7 = 88; mean 4; 3 not applicable
    assert (score.total.score, score.total.mean, score.total.not_applicable) == (88, 4, 3)
    assert (score.total.minimum, score.total.maximum) == (22, 154)
    # external environment: project_sponsorship only
    assert score.levels["external_environment"].score == 4
    # QI support: data 4 + resources 1 + workforce 4
    assert score.levels["qi_support"].score == 9 and score.levels["qi_support"].mean == 3
    # QI team: 10 rated (team_norms N/A): 9 x 4 + 7 = 43
    assert score.levels["qi_team"].score == 43 and score.levels["qi_team"].rated == 10
    data = score.to_dict()
    assert data["instrument"] == "musiq@1.0-equal-weights" and data["weights_official"] is False


def test_scoring_refuses_unknown_factors_and_ratings_off_the_scale() -> None:
    with pytest.raises(ValidationError, match="has no factor zz"):
        score_ratings(weighted_instrument(), {"zz": 3})
    with pytest.raises(ValidationError, match="rating 8 is outside the scale 1–7"):
        score_ratings(weighted_instrument(), {"a1": 8})


# -- checking a set of ratings -------------------------------------------------------------------------
def rows(**values: object) -> list[RatingInput]:
    return [RatingInput(fid, value, row=i + 2) for i, (fid, value) in enumerate(values.items())]


def test_check_accepts_not_applicable_spellings_and_returns_the_instrument_order() -> None:
    items = [
        RatingInput("b3", "ved ikke", row=2),
        RatingInput("b2", "4", note="ok", row=3),
        RatingInput("a2", "NA", row=4),
        RatingInput("a1", " 5 ", row=5),
        RatingInput("b1", "", row=6),
    ]
    ratings = check_ratings(weighted_instrument(), items)
    assert [(r.factor, r.value) for r in ratings] == [
        ("a1", 5),
        ("a2", None),
        ("b1", None),
        ("b2", 4),
        ("b3", None),
    ]
    assert ratings[3].note == "ok"


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        (
            rows(a1=5, a2=3, b1=8, b2=4, b3=1),
            "ratings.csv, row 4: factor b1: rating 8 is outside the scale 1–7",
        ),
        (
            rows(a1=5, a2=3, b11=2, b2=4, b3=1),
            "row 4: factor b11: unknown factor id for weighted@2 (did you mean b1?)",
        ),
        (rows(a1=5, a2=3, b2=4, b3=1), 'ratings.csv: factor b1 is missing: rate it or mark it "NA"'),
        (
            rows(a1=5, a2=3, b1=2, b2=4, b3="4.5"),
            "row 6: factor b3: rating must be a whole number from 1 to 7",
        ),
        (rows(a1=5, a2=3, b1=2, b2=4, b3="høj"), "got 'høj'"),
    ],
)
def test_check_names_the_factor_and_the_row(items: list[RatingInput], expected: str) -> None:
    with pytest.raises(ValidationError) as info:
        check_ratings(weighted_instrument(), items, source="ratings.csv")
    assert expected in str(info.value)
    assert "were not saved" in str(info.value)


def test_check_reports_every_problem_at_once_including_a_duplicate() -> None:
    items = rows(a1=5, a2=9, b1=2, b2=4) + [RatingInput("a1", "3", row=7)]
    with pytest.raises(ValidationError) as info:
        check_ratings(weighted_instrument(), items, source="f.csv")
    message = str(info.value)
    assert "(3 problems)" in message
    assert "row 3: factor a2: rating 9 is outside" in message
    assert "row 7: factor a1: rated twice (also in row 2)" in message
    assert "factor b3 is missing" in message


def test_check_refuses_a_cpr_number_in_a_note_without_repeating_it() -> None:
    items = rows(a1=5, a2=3, b1=2, b2=4, b3=1)
    items[0] = RatingInput("a1", "5", note="patient 010203-1234 said", row=2)
    with pytest.raises(ValidationError) as info:
        check_ratings(weighted_instrument(), items)
    assert "CPR" in str(info.value) and "010203" not in str(info.value)


def test_check_lists_many_missing_factors_on_one_line() -> None:
    with pytest.raises(ValidationError) as info:
        check_ratings(builtin_musiq(), [RatingInput("team_norms", "3", row=2)])
    assert "24 factors are missing: external_motivators, project_sponsorship" in str(info.value)
    assert "(1 problem)" in str(info.value)


def test_incomplete_checks_allow_missing_factors() -> None:
    ratings = check_ratings(weighted_instrument(), rows(a1=5), complete=False)
    assert [(r.factor, r.value) for r in ratings] == [("a1", 5)]


def test_an_instrument_without_not_applicable_refuses_blank_ratings() -> None:
    strict = weighted_instrument()
    strict = Instrument(**{**strict.__dict__, "scale": Scale(min=1, max=7, allow_not_applicable=False)})
    with pytest.raises(ValidationError, match='does not allow "not applicable"'):
        check_ratings(strict, rows(a1=5, a2="NA", b1=2, b2=4, b3=1))
