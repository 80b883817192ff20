"""Validation of the domain records: clear messages for impossible values."""

from __future__ import annotations

import pytest

from pdsa_core.domain import (
    Annotation,
    DriverDiagram,
    DriverNode,
    Indicator,
    Measurement,
    PdsaCycle,
    Team,
)
from pdsa_core.domain.common import month_range, parse_period
from pdsa_core.errors import ValidationError


def test_team_accepts_region_and_track_aliases() -> None:
    team = Team(id="syd", name="Psykiatrien Syd", region="sjælland", track="BU")
    assert team.region.value == "Region Sjælland"
    assert team.track.value == "børne- og ungespor"
    assert Team.from_dict(team.to_dict()) == team


def test_team_refuses_unknown_region_with_the_choices() -> None:
    with pytest.raises(ValidationError, match="region must be one of .*Region Hovedstaden"):
        Team(id="x", name="X", region="Bornholm")


@pytest.mark.parametrize("text", ["2022-13", "2022-00", "22-01", "januar", "", "2022/01"])
def test_period_refuses_malformed_months(text: str) -> None:
    with pytest.raises(ValidationError, match="period"):
        parse_period(text)


def test_month_range_crosses_years() -> None:
    assert month_range("2021-11", "2022-02") == ["2021-11", "2021-12", "2022-01", "2022-02"]


def test_proportion_value_is_numerator_over_denominator() -> None:
    m = Measurement(team_id="t", indicator="V1", period="2022-01", numerator=3, denominator=4)
    assert m.value == 0.75


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"numerator": 5, "denominator": 4}, "larger than denominator"),
        ({"numerator": 1, "denominator": 0}, "denominator is 0"),
        ({"numerator": 1}, "both a numerator and a denominator"),
        ({}, "needs a value"),
        ({"value": "tre"}, "value must be a number"),
        ({"value": float("nan")}, "finite"),
    ],
)
def test_measurement_refuses_impossible_values(fields: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Measurement(team_id="t", indicator="V1", period="2022-01", **fields)


def test_count_must_be_whole_and_not_negative() -> None:
    from pdsa_core.domain import Unit

    with pytest.raises(ValidationError, match="whole number"):
        Measurement(team_id="t", indicator="R1", period="2022-01", value=2.5).check_unit(Unit.COUNT)
    with pytest.raises(ValidationError, match="cannot be negative"):
        Measurement(team_id="t", indicator="R1", period="2022-01", value=-1).check_unit(Unit.COUNT)


def test_indicator_baseline_must_be_ordered() -> None:
    with pytest.raises(ValidationError, match="baseline ends"):
        Indicator(team_id="t", code="R1", name_da="x", baseline_start="2020-12", baseline_end="2018-01")
    with pytest.raises(ValidationError, match="indicator id"):
        Indicator(team_id="t", code="1R", name_da="x")


def test_driver_diagram_checks_parent_kinds() -> None:
    primary = DriverNode(id="p", kind="primary", text="Netværksmøder")
    idea = DriverNode(id="c", kind="change idea", text="Ringe hjem", parents=["p"])
    DriverDiagram(team_id="t", nodes=[primary, idea])  # a change idea may hang under a primary driver
    secondary = DriverNode(id="s", kind="secondary", text="Systematik", parents=["c"])
    with pytest.raises(ValidationError, match="cannot hang under a change idea"):
        DriverDiagram(team_id="t", nodes=[primary, idea, secondary])
    with pytest.raises(ValidationError, match="missing node"):
        DriverDiagram(team_id="t", nodes=[DriverNode(id="s", kind="secondary", text="x", parents=["zz"])])


def test_cycle_dates_and_status() -> None:
    with pytest.raises(ValidationError, match="ends .* before it starts"):
        PdsaCycle(id="c", team_id="t", title="x", start_date="2022-05-01", end_date="2022-04-01")
    with pytest.raises(ValidationError, match="status must be one of"):
        PdsaCycle(id="c", team_id="t", title="x", status="ongoing")


def test_annotation_date_must_be_iso() -> None:
    with pytest.raises(ValidationError, match="annotation date"):
        Annotation(id="a", team_id="t", date="25-03-2022", text="NordEPJ")


def test_from_dict_ignores_unknown_keys_and_reports_missing_ones() -> None:
    data = Team(id="a", name="A").to_dict() | {"added_in_a_later_version": 1}
    assert Team.from_dict(data).name == "A"
    with pytest.raises(ValidationError, match="incomplete"):
        Team.from_dict({"name": "no id"})


def test_one_range_parser_for_every_range() -> None:
    """FIRST..LAST, each month read by the canonical parser (or a reader given by an importer)."""
    from pdsa_core.domain.common import parse_period_range

    assert parse_period_range("2018-01..2020-12") == ("2018-01", "2020-12")
    assert parse_period_range(" 2018-01 – 2020-12 ", field="baseline") == ("2018-01", "2020-12")
    with pytest.raises(ValidationError) as written:
        parse_period_range("2018-01", field="baseline")
    assert written.value.message_da == (
        "baselinen skrives FØRSTE..SIDSTE, fx 2018-01..2020-12; ikke '2018-01'"
    )
    with pytest.raises(ValidationError, match=r"the last month \(2018-01\) is before the first \(2020-12\)"):
        parse_period_range("2020-12..2018-01")
    with pytest.raises(ValidationError, match="month 13 is not between 01 and 12"):
        parse_period_range("2018-13..2020-12")
    assert parse_period_range(
        "jan-22..marts 2022", read=lambda text: {"jan-22": "2022-01"}.get(text, "2022-03")
    ) == (
        "2022-01",
        "2022-03",
    )


def test_from_dicts_reads_stored_records_as_from_dict_does() -> None:
    """The batch reader (a team's measurements at start) gives what ``from_dict`` gives: its
    own fields as stored, nested revisions, unknown keys ignored, a stored text with a control
    character taken as it is, and a broken record refused with the same message."""
    docs = [
        {"team_id": "t", "indicator": "R1", "period": "2022-01", "value": 3.0},
        {"team_id": "t", "indicator": "R1", "period": "2022-02", "value": 4.0, "added_later": 1},
        {"team_id": "t", "indicator": "R1", "period": "2022-03", "value": 5.0, "note": "bell\x07"},
        {
            "team_id": "t",
            "indicator": "R1",
            "period": "2022-04",
            "value": 6.0,
            "revisions": [
                {
                    "value": 2.0,
                    "numerator": None,
                    "denominator": None,
                    "source": "manual",
                    "entered_at": "2022-05-01T10:00:00+00:00",
                    "replaced_at": "2022-05-02T10:00:00+00:00",
                }
            ],
        },
    ]
    assert Measurement.from_dicts(docs) == [Measurement.from_dict(d) for d in docs]
    assert Measurement.from_dicts(docs)[2].note == "bell\x07"
    assert Measurement.from_dicts(docs)[3].revisions[0].value == 2.0
    with pytest.raises(ValidationError, match="incomplete") as batch:
        Measurement.from_dicts([{"team_id": "t", "indicator": "R1", "value": 1.0}])
    with pytest.raises(ValidationError, match="incomplete") as single:
        Measurement.from_dict({"team_id": "t", "indicator": "R1", "value": 1.0})
    assert str(batch.value) == str(single.value)
