"""A server workspace re-indexes only the series a commit touched, and the result is exact."""

from __future__ import annotations

import json
import logging

import pytest

from pdsa_core.storage.pg_series import SeriesTable
from pdsa_core.workspace import Workspace


def _value(team: str, code: str, period: str, v: float) -> dict:
    return {"team_id": team, "indicator": code, "period": period, "value": v}


def _rows(docs: dict[str, dict]) -> list[tuple[str, int, str]]:
    """What the server sends: one row per series (id, count, its documents as one JSON text)."""
    series: dict[str, dict[str, dict]] = {}
    for doc_id, doc in sorted(docs.items()):
        series.setdefault(doc_id.rpartition("|")[0], {})[doc_id] = doc
    return [(sid, len(d), json.dumps(d)) for sid, d in series.items()]


def test_series_table_derives_only_touched_series_and_matches_a_full_read() -> None:
    docs = {f"a|R1|2022-0{m}": _value("a", "R1", f"2022-0{m}", m) for m in (1, 2, 3)}
    docs["b|R1|2022-01"] = _value("b", "R1", "2022-01", 9)
    table = SeriesTable.from_rows(_rows(docs))
    assert len(table) == 4 and dict(table) == docs
    before = table.series_docs()
    untouched = table.series("b|R1")
    written = {
        "a|R1|2022-02": None,
        "a|R1|2022-04": _value("a", "R1", "2022-04", 4),
        "a|R1|2022-01": _value("a", "R1", "2022-01", 10),
        "c|R2|2022-01": _value("c", "R2", "2022-01", 1),
    }
    after = table.derive(written)
    index = after.series_docs()
    assert after.series("b|R1") is untouched  # shared, not copied or parsed again
    assert [d["value"] for d in index[("a", "R1")]] == [10, 3, 4]
    assert index[("c", "R2")] == [_value("c", "R2", "2022-01", 1)]
    expected = {k: v for k, v in {**docs, **written}.items() if v is not None}
    fresh = SeriesTable.from_rows(_rows(expected))
    assert dict(after) == dict(fresh) and len(after) == len(fresh) == 5

    def plain(ix) -> dict:  # noqa: ANN001
        return {k: sorted(map(str, v)) for k, v in ix.items()}

    assert plain(index) == plain(fresh.series_docs())
    assert before[("a", "R1")][1]["value"] == 2 and "a|R1|2022-02" in table  # the old snapshot is intact
    gone = after.derive({"c|R2|2022-01": None})
    assert ("c", "R2") not in gone.series_docs() and "c|R2|2022-01" not in gone and len(gone) == 4


def test_a_series_is_parsed_when_first_used_and_a_bad_record_is_skipped(
    caplog: pytest.LogCaptureFixture,
) -> None:
    docs = {"a|R1|2022-01": _value("a", "R1", "2022-01", 1), "b|R1|2022-01": _value("b", "R1", "2022-01", 2)}
    docs["b|R1|2022-02"] = {"team_id": "b", "period": "2022-02", "value": 3}  # no indicator
    skipped: list[str] = []
    table = SeriesTable.from_rows(_rows(docs), where="db", skipped=skipped)
    with caplog.at_level(logging.WARNING, logger="pdsa.storage"):
        assert table["a|R1|2022-01"]["value"] == 1
        assert skipped == []  # series b not read yet
        assert "b|R1|2022-02" not in table and list(table.series("b|R1")) == ["b|R1|2022-01"]
    assert skipped == ["measurements b|R1|2022-02 lacks indicator"]
    assert "skipped a record" in caplog.text
    assert len(table) == 2 and [d["value"] for d in table.values()] == [1, 2]
    with pytest.raises(KeyError):
        table["nothing"]


def test_a_reader_follows_other_users_edits_exactly(postgres) -> None:
    url = postgres.new_database_url()
    writer = Workspace.create(url, actor="w")
    team = writer.add_team("T")
    for code in ("R1", "R2"):
        writer.add_indicator(team.id, code, code)
        for m in (1, 2, 3):
            writer.add_measurement(team.id, code, f"2022-0{m}", value=m)
    reader = Workspace.open(url)
    assert [m.value for m in reader.measurements(team.id, "R1")] == [1, 2, 3]
    writer.add_measurement(team.id, "R1", "2022-02", value=20)
    writer.add_measurement(team.id, "R1", "2022-04", value=4, expected=None)
    writer.remove_measurement(team.id, "R1", "2022-01")
    assert [(m.period, m.value) for m in reader.measurements(team.id, "R1")] == [
        ("2022-02", 20),
        ("2022-03", 3),
        ("2022-04", 4),
    ]
    assert [m.value for m in reader.measurements(team.id, "R2")] == [1, 2, 3]
    fresh = Workspace.open(url)
    assert reader.measurements(team.id, "R1") == fresh.measurements(team.id, "R1")
    for ws in (reader, writer, fresh):
        ws.store.close()
