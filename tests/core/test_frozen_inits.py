"""MeasurementInput, MeasurementRow and Measurement write their own __init__ (an import builds one
of each per value, a dashboard reads 3,600 measurements): it takes exactly the dataclass's fields,
in order, with their defaults, and the records stay frozen, comparable and hashable."""

from __future__ import annotations

import dataclasses
import inspect

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pdsa_core.domain import Measurement, Revision
from pdsa_core.domain.common import restore, tolerate
from pdsa_core.domain.record import Record
from pdsa_core.errors import ValidationError
from pdsa_core.importing.measurements import MeasurementRow
from pdsa_core.services.indicators import MeasurementInput


@pytest.mark.parametrize("cls", [MeasurementInput, MeasurementRow, Measurement])
def test_the_init_takes_the_fields_in_order_with_their_defaults(cls: type) -> None:
    parameters = list(inspect.signature(cls).parameters.values())
    fields = dataclasses.fields(cls)
    assert [p.name for p in parameters] == [f.name for f in fields]
    for parameter, field in zip(parameters, fields, strict=True):
        if field.default_factory is not dataclasses.MISSING:
            assert parameter.default is not inspect.Parameter.empty, field.name  # a sentinel
            continue
        default = field.default if field.default is not dataclasses.MISSING else inspect.Parameter.empty
        assert parameter.default == default, field.name
        assert parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD


def test_the_records_are_frozen_comparable_and_hashable() -> None:
    item = MeasurementInput("R1", "2024-01", value=3.0)
    assert item == MeasurementInput(indicator="R1", period="2024-01", value=3.0, note="")
    assert dataclasses.asdict(item) == {
        "indicator": "R1",
        "period": "2024-01",
        "value": 3.0,
        "numerator": None,
        "denominator": None,
        "note": "",
    }
    assert dataclasses.replace(item, note="ny") == MeasurementInput("R1", "2024-01", 3.0, None, None, "ny")
    row = MeasurementRow("R1", "2024-01", 0.5, 1.0, 2.0, 7)
    assert row.source_column is None and row.key == ("R1", "2024-01")
    assert len({row, MeasurementRow("R1", "2024-01", 0.5, 1.0, 2.0, 7)}) == 1
    for record in (item, row):
        with pytest.raises(dataclasses.FrozenInstanceError):
            record.period = "2024-02"  # type: ignore[misc]
    with pytest.raises(TypeError):
        MeasurementInput("R1")  # type: ignore[call-arg]


def test_a_measurement_is_checked_and_frozen_as_before() -> None:
    """Measurement's own __init__ checks its fields as __post_init__ did, and each record gets
    its own list of revisions."""
    count = Measurement("t", "R1", "2024-01", value=3)
    assert count.value == 3.0 and type(count.value) is float and count.revisions == []
    assert count.revisions is not Measurement("t", "R1", "2024-01", value=3).revisions
    share = Measurement("t", "V1", "2024-02", None, 1, 4, note="x")
    assert (share.value, share.numerator, share.denominator, share.note) == (0.25, 1.0, 4.0, "x")
    assert dataclasses.replace(share, numerator=2).value == 0.5
    assert Measurement.from_dict(share.to_dict()) == share
    earlier = Revision(3.0, None, None, "manual", "2024-01-02", "2024-01-03")
    assert Measurement("t", "R1", "2024-01", value=4, revisions=[earlier]).revisions == [earlier]
    with pytest.raises(dataclasses.FrozenInstanceError):
        count.value = 4.0  # type: ignore[misc]
    with pytest.raises(ValidationError, match="needs a value"):
        Measurement("t", "R1", "2024-01")
    with pytest.raises(ValidationError, match="larger than denominator"):
        Measurement("t", "V1", "2024-01", numerator=5, denominator=4)
    with pytest.raises(ValidationError, match="YYYY-MM"):
        Measurement("t", "R1", "jan", value=1)
    with pytest.raises(ValidationError, match="Measurement record is incomplete"):
        Measurement.from_dict({"team_id": "t", "indicator": "R1", "value": 1.0})
    with pytest.raises(TypeError):
        Measurement("t", "R1")  # type: ignore[call-arg]


_NUMBERS = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-5, 50),
    st.sampled_from(["", "3", "x", True, 0.0, -0.0, 1.5]),
)


@settings(max_examples=300, deadline=None)
@given(
    st.fixed_dictionaries(
        {"team_id": st.just("team-01"), "indicator": st.just("R1")},
        optional={
            "period": st.sampled_from(["2024-01", " 2024-02", "2024-13", "jan", 202401]),
            "value": _NUMBERS,
            "numerator": _NUMBERS,
            "denominator": _NUMBERS,
            "note": st.sampled_from(["", "ok", "a\x07b", 3]),
            "source": st.sampled_from(["import", "manual"]),
            "entered_by": st.text(max_size=3),
            "revisions": st.sampled_from([None, []]),
            "unknown": st.just(1),
        },
    )
)
def test_a_stored_measurement_is_read_as_its_init_builds_it(doc: dict) -> None:
    """Measurement._from_dict reads a plain stored document without calling __init__: the same
    record (fields, their types and order) or the same refusal as the general way."""

    def read(build):  # noqa: ANN001, ANN202
        try:
            record = build()
        except ValidationError as exc:
            return ("refused", exc.message, exc.message_da)
        return ("read", record, [(k, type(v), v) for k, v in record.__dict__.items()])

    general_way = Record._from_dict.__func__  # type: ignore[attr-defined]
    # as new input (texts checked) and as stored texts (taken as they are, from_dict's way)
    assert repr(read(lambda: Measurement._from_dict(doc))) == repr(
        read(lambda: general_way(Measurement, doc))
    )
    tokens = tolerate(None)
    try:
        fast = read(lambda: Measurement._from_dict(doc))
        general = read(lambda: general_way(Measurement, doc))
    finally:
        restore(tokens)
    assert repr(fast) == repr(general)
