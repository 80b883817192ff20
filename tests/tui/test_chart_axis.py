"""The terminal chart's axis and top labels: whole ticks for counts, per cent for proportions,
decimal commas in Danish, annotation markers that never overlap."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.widgets.chart import TopLabel, axis_labels, axis_ticks, merge_markers, place_labels, value_axis


def test_counts_get_whole_number_ticks() -> None:
    ticks = axis_ticks(0, 5.4, whole=True, most=6)
    assert ticks == [0, 1, 2, 3, 4, 5]
    assert all(float(v).is_integer() for v in axis_ticks(0, 2.7, whole=True, most=8))
    assert axis_ticks(0, 1, whole=True, most=8) == [0, 1]


def test_a_short_chart_still_gets_two_ticks() -> None:
    assert len(axis_ticks(0, 8, whole=True, most=2)) >= 2


def test_a_short_chart_over_a_wide_range_gets_two_round_ticks_not_four() -> None:
    # found by the property below: steps of 200 gave four ticks where the room is for two
    assert axis_ticks(1, 800, whole=True, most=2) == [400, 800]


@given(
    st.floats(-1000, 1000, allow_nan=False),
    st.floats(0.001, 5000, allow_nan=False),
    st.integers(2, 10),
    st.booleans(),
)
def test_ticks_are_round_within_range_and_not_too_many(
    low: float, span: float, most: int, whole: bool
) -> None:
    high = low + span
    ticks = axis_ticks(low, high, whole=whole, most=most)
    assert ticks == sorted(ticks)
    assert all(low - 1e-6 <= v <= high + 1e-6 for v in ticks)
    if whole:
        assert all(float(v).is_integer() for v in ticks)
    if len(ticks) > 2:
        assert len(ticks) <= max(most, 3)  # two ticks win over "at most"


def test_percent_axis_and_decimal_comma() -> None:
    axis = value_axis(0, 0.73, unit="proportion", chart="p", multiply=1, lang="da", most=5)
    assert axis.labels[-1].endswith(" %") and "0 %" in axis.labels
    assert all(
        abs(v * 100 - float(label[:-2].replace(",", "."))) < 1e-6
        for v, label in zip(axis.ticks, axis.labels, strict=True)
    )
    scaled = value_axis(0, 73, unit="proportion", chart="p", multiply=100, lang="da", most=5)
    assert scaled.labels == axis.labels or scaled.labels[-1].endswith(" %")
    assert axis_labels([0, 0.5, 1.0, 1.5], "da") == ["0,0", "0,5", "1,0", "1,5"]
    assert axis_labels([0, 0.5, 1.0, 1.5], "en") == ["0.0", "0.5", "1.0", "1.5"]
    counts = value_axis(0, 5.4, unit="count", chart="run", multiply=1, lang="da", most=6)
    assert counts.labels == ["0", "1", "2", "3", "4", "5"]


def test_close_annotation_markers_share_one_label() -> None:
    labels = merge_markers([(10, 1), (10, 2), (11, 3), (40, 4)], chars_per_point=1.2)
    assert [label.text for label in labels] == ["▼1,2,3", "▼4"]


@given(
    st.lists(
        st.tuples(st.integers(0, 80), st.text(alphabet="▼◂abc0123", min_size=1, max_size=12)), max_size=12
    ),
    st.floats(0.3, 4),
)
def test_top_labels_never_overlap(items: list[tuple[int, str]], per_point: float) -> None:
    labels = sorted((TopLabel(x, text, "annotation") for x, text in items), key=lambda label: label.x)
    width = int(81 * per_point) + 12
    rows = place_labels(labels, per_point, width)
    spans: dict[int, list[tuple[float, float]]] = {}
    for label, row in zip(labels, rows, strict=True):
        start = max(0.0, min(label.x * per_point, width - len(label.text)))
        spans.setdefault(row, []).append((start, start + len(label.text)))
    for row_spans in spans.values():
        row_spans.sort()
        for (_, end), (start, _) in zip(row_spans, row_spans[1:], strict=False):
            assert start >= end + 2
