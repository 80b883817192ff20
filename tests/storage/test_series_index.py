"""A server workspace re-indexes only the series a commit touched, and the result is exact."""

from __future__ import annotations

from pdsa_core.storage.postgres_store import SeriesTable
from pdsa_core.workspace import Workspace


def test_series_table_derives_only_touched_series_and_matches_a_full_index() -> None:
    def value(team: str, code: str, period: str, v: float) -> dict:
        return {"team_id": team, "indicator": code, "period": period, "value": v}

    table = SeriesTable({f"a|R1|2022-0{m}": value("a", "R1", f"2022-0{m}", m) for m in (1, 2, 3)})
    table.update({"b|R1|2022-01": value("b", "R1", "2022-01", 9)})
    before = table.series_docs()
    untouched = before[("b", "R1")]
    after = table.derive(
        {
            "a|R1|2022-02": None,
            "a|R1|2022-04": value("a", "R1", "2022-04", 4),
            "a|R1|2022-01": value("a", "R1", "2022-01", 10),
            "c|R2|2022-01": value("c", "R2", "2022-01", 1),
        }
    )
    index = after.series_docs()
    assert index[("b", "R1")] is untouched  # not re-indexed
    assert [d["value"] for d in index[("a", "R1")]] == [10, 3, 4]
    assert index[("c", "R2")] == [value("c", "R2", "2022-01", 1)]
    fresh = SeriesTable(after).series_docs()

    def plain(ix: dict) -> dict:
        return {k: sorted(map(str, v)) for k, v in ix.items()}

    assert plain(index) == plain(fresh)
    assert table.series_docs() is before and "a|R1|2022-02" in table  # the old snapshot is intact
    gone = after.derive({"c|R2|2022-01": None})
    assert ("c", "R2") not in gone.series_docs()


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
        ("2022-02", 20), ("2022-03", 3), ("2022-04", 4)
    ]
    assert [m.value for m in reader.measurements(team.id, "R2")] == [1, 2, 3]
    fresh = Workspace.open(url)
    assert reader.measurements(team.id, "R1") == fresh.measurements(team.id, "R1")
    for ws in (reader, writer, fresh):
        ws.store.close()
