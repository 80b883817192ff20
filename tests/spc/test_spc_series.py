"""The domain bridge: monthly observations to a full series with gaps, baseline and phases."""

from __future__ import annotations

import datetime as dt

import pytest

from pdsa_core.errors import ValidationError
from pdsa_core.spc import analyze_series, year_month


def months(start_year: int, count: int) -> list[str]:
    return [f"{start_year + m // 12}-{m % 12 + 1:02d}" for m in range(count)]


def test_gaps_are_missing_not_zero() -> None:
    obs = [(p, 5.0, None, None) for p in months(2022, 12) if p not in ("2022-04", "2022-05")]
    sa = analyze_series(obs)
    assert len(sa.periods) == 12 and sa.gaps == ("2022-04", "2022-05")
    assert sa.result.y[3] is None and sa.result.y[4] is None
    assert sa.result.x[0] == dt.date(2022, 1, 1)
    assert sa.result.phases[0].n_obs == 12


def test_baseline_gives_freeze_and_starts_the_series() -> None:
    obs = [(p, float(i % 7), None, None) for i, p in enumerate(months(2017, 72))]
    sa = analyze_series(obs, baseline=("2018-01", "2020-12"))
    assert sa.periods[0] == "2018-01" and sa.freeze == 36
    assert sa.result.baseline.count(True) == 36
    assert len(sa.ignored) == 12 and sa.notes


def test_splits_become_phases_with_reasons() -> None:
    obs = [(p, float(i % 5), None, None) for i, p in enumerate(months(2019, 48))]
    sa = analyze_series(
        obs, chart="i", splits=[("2020-08", "Ny psykiatrilov"), ("2022-03", "NordEPJ")]
    )
    assert sa.parts == (19, 38)
    assert sa.phase_reasons == (None, "Ny psykiatrilov", "NordEPJ")
    assert [ph.label for ph in sa.result.phases] == [None, "Ny psykiatrilov", "NordEPJ"]
    assert sa.result.phases[1].first_xx == 20
    assert sa.index_of("2022-03") == 38


def test_baseline_with_splits_follows_qicharts2() -> None:
    obs = [(p, float(i % 5), None, None) for i, p in enumerate(months(2018, 48))]
    sa = analyze_series(obs, baseline=("2018-01", "2020-12"), splits=[("2021-01", "Projekt")])
    assert sa.freeze is None and all(sa.result.baseline)
    assert any("baseline is not used" in n for n in sa.notes)
    danish = [n.text("da") for n in sa.notes]
    assert any("baseline bruges ikke" in n for n in danish)
    assert [n.text("en") for n in sa.notes] == list(sa.notes)


def test_notes_are_in_danish_and_english() -> None:
    obs = [(p, float(i % 7), None, None) for i, p in enumerate(months(2017, 30))]
    sa = analyze_series(obs, baseline=("2018-01", "2018-12"), splits=[("2030-01", "Senere")])
    assert [n.text("da") for n in sa.notes] == [
        "12 måned(er) uden for serien er udeladt: 2017-01, 2017-02, 2017-03, 2017-04, 2017-05, "
        "2017-06, 2017-07, 2017-08, 2017-09, 2017-10, 2017-11, 2017-12",
        "faseskiftet 2030-01 ligger uden for serien",
    ]
    assert sa.notes[1] == "phase split 2030-01 is outside the series"


def test_p_chart_from_numerators_and_denominators() -> None:
    obs = [(p, None, 3 + i % 4, 10) for i, p in enumerate(months(2021, 24))]
    obs[5] = (obs[5][0], None, None, None)
    sa = analyze_series(obs, chart="p", multiply=100)
    assert sa.result.n[5] == 0.0 and sa.result.y[5] is None
    assert sa.result.y[0] == pytest.approx(30.0)


def test_ratio_run_chart_when_only_counts_are_known() -> None:
    obs = [(p, None, 2.0, 4.0) for p in months(2021, 12)]
    sa = analyze_series(obs, chart="run")
    assert sa.result.y[0] == 0.5


def test_bad_observations() -> None:
    with pytest.raises(ValidationError, match="occurs more than once"):
        analyze_series([("2022-01", 1, None, None), ("2022-01", 2, None, None)])
    with pytest.raises(ValidationError, match="YYYY-MM"):
        analyze_series([("jan 2022", 1, None, None)])
    with pytest.raises(ValidationError, match="needs a numerator and a denominator"):
        analyze_series([("2022-01", 0.5, None, None)], chart="p")
    with pytest.raises(ValidationError, match="no observations"):
        analyze_series([])


def test_parse_period() -> None:
    assert year_month("2022-03") == (2022, 3)
    assert year_month(dt.date(2021, 11, 5)) == (2021, 11)
    with pytest.raises(ValidationError):
        year_month("2022-13")


def test_periods_written_differently_are_the_same_month() -> None:
    """Months are remembered once read: a date, a padded text and the canonical text are one
    month, and a text that is not a month is still refused each time."""
    canonical = [(p, float(i), None, None) for i, p in enumerate(months(2021, 14))]
    mixed = [(dt.date(2021, 1, 9), 0.0, None, None), (" 2021-02 ", 1.0, None, None), *canonical[2:]]
    assert repr(analyze_series(mixed, chart="i")) == repr(analyze_series(canonical, chart="i"))
    with pytest.raises(ValidationError, match="period 2021-02 occurs more than once"):
        analyze_series([("2021-02", 1, None, None), (" 2021-02", 2, None, None)])
    with pytest.raises(ValidationError, match="period 2021-02 occurs more than once"):
        analyze_series([("2021-02", 1, None, None), (dt.date(2021, 2, 1), 2, None, None)])
    for _ in range(2):
        with pytest.raises(ValidationError, match="YYYY-MM"):
            analyze_series([("2021-2x", 1, None, None)])
    with pytest.raises(ValidationError, match="period 2021-03: value 'x' is not a number"):
        analyze_series([("2021-02", 1, None, None), ("2021-03", "x", None, None)])
    with pytest.raises(ValidationError) as err:
        analyze_series([("2021-03", None, True, 2)])
    assert err.value.message == "period 2021-03: numerator True is not a number"
    assert err.value.message_da == "perioden 2021-03: tælleren True er ikke et tal"


def test_nan_and_whole_numbers_are_read_as_before() -> None:
    sa = analyze_series(
        [("2021-01", float("nan"), None, None), ("2021-02", 3, None, None), ("2021-03", 4.5, None, None)]
    )
    assert sa.result.y == (None, 3.0, 4.5) and sa.gaps == ("2021-01",)
