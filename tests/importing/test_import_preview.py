"""What an import would change."""

from __future__ import annotations

import json

from pdsa_core.importing import MeasurementRow, build_preview


def row(indicator: str, period: str, value: float, num: float | None = None,
        den: float | None = None) -> MeasurementRow:
    return MeasurementRow(indicator, period, value, num, den, source_row=2)


def test_added_changed_unchanged_and_missing() -> None:
    existing = {
        ("R1", "2022-01"): (3.0, None, None),
        ("R1", "2022-02"): (2.0, None, None),
        ("V1", "2022-01"): (0.5, 5.0, 10.0),
        ("R1", "2021-10"): (1.0, None, None),
    }
    incoming = [
        row("R1", "2022-01", 3),           # unchanged
        row("R1", "2022-02", 4),           # changed 2 -> 4
        row("R1", "2022-05", 1),           # added; 2022-03/04 missing
        row("V1", "2022-01", 0.6, 6, 10),  # changed proportion
        row("V1", "2022-02", 0.5, 5, 10),  # added
    ]
    preview = build_preview(incoming, existing)
    assert [(r.indicator, r.period) for r in preview.added] == [("R1", "2022-05"),
                                                                ("V1", "2022-02")]
    assert [(c.indicator, c.period, c.old, c.new.value) for c in preview.changed] == [
        ("R1", "2022-02", (2.0, None, None), 4),
        ("V1", "2022-01", (0.5, 5.0, 10.0), 0.6),
    ]
    assert [(r.indicator, r.period) for r in preview.unchanged] == [("R1", "2022-01")]
    assert preview.missing == {"R1": ["2021-11", "2021-12", "2022-03", "2022-04"]}
    assert preview.has_changes
    data = json.loads(json.dumps(preview.to_dict()))
    assert data["counts"] == {"added": 2, "changed": 2, "unchanged": 1, "missing": 4}
    assert data["changed"][0]["old"] == {"value": 2.0, "numerator": None, "denominator": None}


def test_float_noise_is_not_a_change_and_empty_preview() -> None:
    existing = {("V1", "2022-01"): (0.1 + 0.2, None, None)}
    preview = build_preview([row("V1", "2022-01", 0.3)], existing)
    assert preview.unchanged and not preview.changed and not preview.has_changes
    empty = build_preview([], existing)
    assert empty.to_dict()["counts"] == {"added": 0, "changed": 0, "unchanged": 0, "missing": 0}


def test_a_full_series_across_a_new_year_has_no_missing_months_and_one_gap_is_found() -> None:
    months = ["2021-11", "2021-12", "2022-01", "2022-02"]
    full = build_preview([row("R1", m, 1) for m in months], {})
    assert full.missing == {}
    gap = build_preview(
        [row("R1", m, 1) for m in months if m != "2021-12"], {("R1", "2022-03"): (1.0, None, None)}
    )
    assert gap.missing == {"R1": ["2021-12"]}
