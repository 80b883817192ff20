"""Schema 3 of the workspace file: measurements packed per series, read through a view.

Packing is exact for any JSON documents; snapshots and transactions still show one
document per measurement; a commit packs only the series it touched; schema 1 and 2 files
are migrated after a backup; damaged packed data is refused with the table and series named.
"""

from __future__ import annotations

import json
import math
import random
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from pdsa_cli import build_cli
from pdsa_core.errors import WorkspaceError
from pdsa_core.services.indicators import MeasurementInput, _index_measurement_docs
from pdsa_core.storage import CURRENT_SCHEMA, Snapshot, TinyDBStore, create_store, open_store
from pdsa_core.storage import migrations as migrations_module
from pdsa_core.storage import tinydb_store as tinydb_module
from pdsa_core.storage.packed import (
    PackedTable,
    PackingError,
    damage,
    pack_series,
    pack_table,
    row_ids,
    unpack_series,
    unpack_table,
)
from pdsa_core.storage.pg_copy import copy_workspace
from pdsa_core.workspace import Workspace


def _strict(value: Any) -> bytes:
    """JSON text with sorted keys: tells 1, 1.0 and true apart (== does not)."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


# -- packing is exact ------------------------------------------------------------------------------
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "import", "manual", "udtræk.xlsx", "Ark1", "2024-01-15T09:00:00+00:00"]),
    st.text(max_size=8),
)
_json = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)
_revision = st.fixed_dictionaries(
    {
        "value": st.one_of(st.none(), st.integers(0, 50), st.floats(0, 50)),
        "source": st.sampled_from(["a", "b"]),
    },
    optional={"note": st.text(max_size=5)},
)
_FIELDS = {
    "value": st.one_of(st.none(), st.integers(0, 40), st.floats(0, 40, allow_nan=False)),
    "numerator": st.one_of(st.none(), st.integers(0, 9).map(float)),
    "denominator": st.one_of(st.none(), st.integers(1, 9).map(float)),
    "source": st.sampled_from(["manual", "import", "statbank"]),
    "source_file": st.sampled_from(["", "R1.xlsx", "udtræk 2023.csv"]),
    "source_sheet": st.sampled_from(["", "Ark1"]),
    "note": st.text(max_size=6),
    "entered_at": st.sampled_from(["2024-01-15T09:00:00+00:00", "2024-02-01T10:30:00+00:00", ""]),
    "entered_by": st.sampled_from(["tovholder", "bench", ""]),
    "revisions": st.lists(_revision, max_size=2),
    "extra": _json,
}


@st.composite
def _tables(draw: st.DrawFn) -> dict[str, dict[str, Any]]:
    """Measurement-like documents of a few series: fields missing or null, mixed values."""
    docs: dict[str, dict[str, Any]] = {}
    for team, code in draw(st.lists(st.sampled_from([("t", "R1"), ("t", "R2"), ("a|b", "V1")]), unique=True)):
        months = draw(st.lists(st.integers(0, 30), min_size=1, max_size=12, unique=True))
        for month in months:
            period = f"{2020 + month // 12}-{month % 12 + 1:02d}"
            doc: dict[str, Any] = {}
            if draw(st.integers(0, 9)):  # nearly always the usual fields ...
                doc.update(team_id=team, indicator=code, period=period)
            else:  # ... but anything goes
                doc.update(
                    draw(st.dictionaries(st.sampled_from(["team_id", "period", "x"]), _json, max_size=2))
                )
            for name, strategy in _FIELDS.items():
                if draw(st.booleans()):
                    doc[name] = draw(strategy)
            docs[f"{team}|{code}|{period}"] = doc
    return docs


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(_tables())
def test_packing_round_trips_exactly_through_a_file(docs: dict[str, dict[str, Any]]) -> None:
    packed = pack_table(docs)
    assert all(damage(series) is None for series in packed.values())
    back = unpack_table(orjson.loads(orjson.dumps(packed)))
    assert back == docs and _strict(back) == _strict(docs)
    for series_id in packed:  # field order too, when a series' documents agree on it
        series = {k: d for k, d in docs.items() if k.rpartition("|")[0] == series_id}
        if len({tuple(d) for d in series.values()}) == 1:
            assert all(list(back[k]) == list(d) for k, d in series.items())
    shuffled = list(docs.items())
    random.Random(len(docs)).shuffle(shuffled)
    again = pack_table(dict(shuffled))  # a series packs the same whatever the order of its rows
    assert all(orjson.dumps(again[series_id]) == orjson.dumps(packed[series_id]) for series_id in packed)
    view = PackedTable(orjson.loads(orjson.dumps(packed)))
    assert len(view) == len(docs) and dict(view) == docs and view == docs
    assert sorted(view.items()) == sorted(docs.items()) and all(doc_id in view for doc_id in docs)


def test_missing_and_null_fields_nested_values_and_json_types_are_kept_apart() -> None:
    docs = {
        "t|R1|2022-01": {"team_id": "t", "indicator": "R1", "period": "2022-01", "value": 1, "note": None},
        "t|R1|2022-02": {"team_id": "t", "indicator": "R1", "period": "2022-02", "value": 1.0},
        "t|R1|2022-03": {
            "team_id": "t",
            "indicator": "R1",
            "period": "2022-03",
            "value": True,
            "revisions": [{"value": 2, "source": "import", "replaced_at": "2022-04-01"}],
        },
        "t|R1|2022-04": {"team_id": "t", "indicator": "R1", "period": "2022-04", "value": None, "note": ""},
    }
    series = pack_series(docs)
    assert series["same"] == {"team_id": "t", "indicator": "R1"} and series["id_field"] == "period"
    assert series["absent"] == {"note": [1, 2], "revisions": [0, 1, 3]}
    assert series["columns"]["value"] == [1, 1.0, True, None]  # equal in Python, not in JSON
    back = unpack_series("t|R1", orjson.loads(orjson.dumps(series)))
    assert _strict(back) == _strict(docs)
    assert "note" not in back["t|R1|2022-02"] and back["t|R1|2022-01"]["note"] is None


def test_repeated_texts_are_dictionary_encoded_and_constants_stored_once() -> None:
    stamps = ["2024-01-15T09:00:00+00:00", "2024-02-01T10:30:00+00:00"]
    docs = {
        f"syd|R1|2023-{m:02d}": {
            "team_id": "syd",
            "indicator": "R1",
            "period": f"2023-{m:02d}",
            "value": float(m),
            "source": "import",
            "source_file": "R1.xlsx" if m < 7 else "R1 2.xlsx",
            "entered_at": stamps[m >= 7],
            "entered_by": "tovholder",
        }
        for m in range(1, 13)
    }
    series = pack_series(docs)
    assert series["rows"] == [["2023-01", 12]]  # a run of consecutive months
    assert row_ids(series["rows"]) == [f"2023-{m:02d}" for m in range(1, 13)]
    assert series["same"] == {
        "team_id": "syd",
        "indicator": "R1",
        "source": "import",
        "entered_by": "tovholder",
    }
    assert series["codes"] == {"source_file": ["R1.xlsx", "R1 2.xlsx"], "entered_at": stamps}
    assert series["columns"]["entered_at"] == [0] * 6 + [1] * 6
    assert series["fields"] == list(next(iter(docs.values())))
    assert unpack_series("syd|R1", series) == docs


def test_the_index_by_team_and_indicator_is_the_same_as_from_plain_documents() -> None:
    docs = {
        "t|R1|2022-01": {"team_id": "t", "indicator": "R1", "period": "2022-01", "value": 1},
        "t|R1|2022-02": {"team_id": "t", "indicator": "R2", "period": "2022-02", "value": 2},  # odd, valid
        "t|R2|2022-03": {"team_id": "t", "indicator": "R2", "period": "2022-03", "value": 3},
        "u|R1|2022-01": {"team_id": "u", "indicator": "R1", "period": "2022-01", "value": 4},
    }
    plain = _index_measurement_docs(Snapshot(0, {}, {"measurements": docs}))
    packed = _index_measurement_docs(Snapshot(0, {}, {"measurements": PackedTable(pack_table(docs))}))
    assert not isinstance(packed, dict)  # the lazy index of the view, not the plain loop
    assert set(packed) == set(plain) and len(packed) == len(plain) == 3
    for key, items in plain.items():
        assert sorted(packed[key], key=lambda d: d["period"]) == sorted(items, key=lambda d: d["period"])
    assert packed.get(("t", "R9"), []) == []


# -- the store -------------------------------------------------------------------------------------
def _measurement(team: str, code: str, period: str, value: float) -> dict[str, Any]:
    return {"team_id": team, "indicator": code, "period": period, "value": value, "source": "import"}


def _filled(path: Path) -> TinyDBStore:
    store = create_store(path)
    with store.transaction() as tx:
        for team in ("nord", "syd"):
            for code in ("R1", "R2"):
                for month in range(1, 7):
                    period = f"2023-{month:02d}"
                    tx.put("measurements", f"{team}|{code}|{period}", _measurement(team, code, period, month))
    assert isinstance(store, TinyDBStore)
    return store


def test_the_file_holds_one_document_per_series_and_the_snapshot_one_per_measurement(tmp_path: Path) -> None:
    path = tmp_path / "workspace.json"
    _filled(path)
    on_disk = orjson.loads(path.read_bytes())
    assert on_disk["_meta"]["meta"]["schema_version"] == CURRENT_SCHEMA == 4
    assert list(on_disk["measurements"]) == ["nord|R1", "nord|R2", "syd|R1", "syd|R2"]
    assert on_disk["measurements"]["syd|R2"]["same"]["team_id"] == "syd"
    snap = open_store(path).load()
    table = snap.table("measurements")
    assert len(table) == 24 and table["syd|R2|2023-03"] == _measurement("syd", "R2", "2023-03", 3)
    assert table.get("syd|R2|2024-01") is None and table.get("no separator") is None
    assert "syd|R9|2023-01" not in table and "nord|R1|2023-06" in table
    assert [doc["period"] for doc in table.series("nord|R1").values()] == [
        f"2023-{m:02d}" for m in range(1, 7)
    ]
    by_series = table.series_docs()
    assert [doc["value"] for doc in by_series[("syd", "R1")]] == [1, 2, 3, 4, 5, 6]
    assert ("syd", "R9") not in by_series and len(by_series) == 4


def test_transactions_see_and_change_single_measurements(tmp_path: Path) -> None:
    store = _filled(tmp_path / "workspace.json")
    with store.transaction() as tx:
        assert tx.get("measurements", "nord|R1|2023-02") == _measurement("nord", "R1", "2023-02", 2)
        tx.put("measurements", "nord|R1|2023-02", _measurement("nord", "R1", "2023-02", 20))
        tx.put("measurements", "nord|R1|2022-12", _measurement("nord", "R1", "2022-12", 0))
        tx.delete("measurements", "nord|R1|2023-06")
        tx.put("measurements", "ny|R1|2023-01", _measurement("ny", "R1", "2023-01", 7))
        assert tx.get("measurements", "nord|R1|2023-02")["value"] == 20
        assert tx.get("measurements", "nord|R1|2023-06") is None
        everything = tx.all("measurements")
        assert len(everything) == 24 + 1 - 1 + 1 and everything["ny|R1|2023-01"]["value"] == 7
    fresh = open_store(store.location).load().table("measurements")
    assert [d["value"] for d in fresh.series("nord|R1").values()] == [0, 1, 20, 3, 4, 5]
    assert fresh["ny|R1|2023-01"] == _measurement("ny", "R1", "2023-01", 7) and len(fresh) == 25


def test_a_commit_packs_only_the_series_it_touched(tmp_path: Path) -> None:
    store = _filled(tmp_path / "workspace.json")
    before = store.load().table("measurements")
    assert isinstance(before, PackedTable)
    untouched_doc = before["syd|R2|2023-04"]
    with store.transaction() as tx:
        tx.put("measurements", "nord|R1|2023-01", _measurement("nord", "R1", "2023-01", 99))
    after = store.load().table("measurements")
    assert isinstance(after, PackedTable) and after is not before
    for series_id in ("nord|R2", "syd|R1", "syd|R2"):
        assert after.packed[series_id] is before.packed[series_id]  # the file's series, reused
    assert after.packed["nord|R1"] is not before.packed["nord|R1"]
    assert after["syd|R2|2023-04"] is untouched_doc  # unpacked documents are reused too
    assert after["nord|R1|2023-01"]["value"] == 99 and before["nord|R1|2023-01"]["value"] == 1


def test_deleting_a_series_last_measurement_removes_its_document(tmp_path: Path) -> None:
    path = tmp_path / "workspace.json"
    store = _filled(path)
    with store.transaction() as tx:
        for month in range(1, 7):
            tx.delete("measurements", f"syd|R2|2023-{month:02d}")
        tx.delete("measurements", "nowhere|R1|2023-01")
    assert list(orjson.loads(path.read_bytes())["measurements"]) == ["nord|R1", "nord|R2", "syd|R1"]
    assert len(store.load().table("measurements")) == 18


def test_a_measurement_id_without_a_series_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "workspace.json"
    store = _filled(path)
    before = path.read_bytes()
    with pytest.raises(WorkspaceError, match="table 'measurements'.*'2023-01' has no series part") as caught:
        with store.transaction() as tx:
            tx.put("measurements", "2023-01", {"value": 1})
    assert "id'et '2023-01' mangler en seriedel" in caught.value.text("da")
    assert path.read_bytes() == before


def test_the_workspace_reads_and_writes_measurements_as_before(tmp_path: Path) -> None:
    ws = Workspace.create(tmp_path / "workspace.json", actor="tovholder")
    team = ws.add_team("Psykiatrien Syd")
    ws.add_indicator(team.id, "R1", "Tvangsindlagte")
    ws.add_indicator(team.id, "V1", "Andel med UA/KP", unit="proportion")
    ws.add_measurements(
        team.id, [MeasurementInput("R1", f"2023-{m:02d}", value=m) for m in range(1, 13)], source="import"
    )
    ws.add_measurement(team.id, "R1", "2023-05", value=50, note="rettet")
    ws.add_measurement(team.id, "V1", "2023-01", numerator=3, denominator=4)
    ws.remove_measurement(team.id, "R1", "2023-12")
    fresh = Workspace.open(ws.location)
    values = fresh.measurements(team.id, "R1")
    assert [m.value for m in values] == [1, 2, 3, 4, 50, 6, 7, 8, 9, 10, 11]
    assert values[4].note == "rettet" and [r.value for r in values[4].revisions] == [5]
    assert fresh.measurements(team.id, "V1")[0].value == 0.75
    assert fresh.missing_months(team.id, "R1", until="2023-12") == ["2023-12"]

    result = CliRunner().invoke(build_cli(), ["-w", ws.location, "export", "--format", "json"])
    assert result.exit_code == 0, result.output
    exported = json.loads(result.output)["tables"]["measurements"]
    assert list(exported) == sorted(exported) and len(exported) == 12
    doc = exported[f"{team.id}|R1|2023-05"]
    assert doc["period"] == "2023-05" and doc["value"] == 50 and doc["revisions"][0]["value"] == 5


def test_a_file_to_file_copy_writes_the_packed_form(tmp_path: Path) -> None:
    source = tmp_path / "a.json"
    _filled(source)
    copy_workspace(str(source), str(tmp_path / "b.json"))
    copied = orjson.loads((tmp_path / "b.json").read_bytes())
    assert copied["measurements"] == orjson.loads(source.read_bytes())["measurements"]
    assert open_store(tmp_path / "b.json").load().table("measurements") == unpack_table(
        copied["measurements"]
    )


# -- migration ---------------------------------------------------------------------------------------
def _as_schema_2(path: Path) -> bytes:
    """Rewrite a workspace file the way pdsa wrote it before schema 3 (one document per measurement)."""
    data = orjson.loads(path.read_bytes())
    data["_meta"]["meta"]["schema_version"] = 2
    data["measurements"] = unpack_table(data["measurements"])
    old = orjson.dumps(data)
    path.write_bytes(old)
    return old


def test_a_schema_2_file_is_backed_up_and_reads_identically(tmp_path: Path) -> None:
    path = tmp_path / "workspace.json"
    ws = Workspace.create(path, actor="tovholder")
    team = ws.add_team("Psykiatrien Syd")
    ws.add_indicator(team.id, "R1", "Tvangsindlagte")
    ws.add_indicator(team.id, "V1", "Andel med UA/KP", unit="proportion")
    ws.add_measurements(team.id, [MeasurementInput("R1", f"2022-{m:02d}", value=m) for m in range(1, 13)])
    ws.add_measurement(team.id, "R1", "2022-03", value=30, source="import")
    ws.add_measurement(team.id, "V1", "2022-01", numerator=1, denominator=3, note="første")
    exported = ws.export()["tables"]
    old_bytes = _as_schema_2(path)
    assert isinstance(orjson.loads(old_bytes)["measurements"][f"{team.id}|R1|2022-03"]["revisions"], list)

    migrated = Workspace.open(path)
    meta = migrated.snapshot().meta
    assert meta["schema_version"] == CURRENT_SCHEMA and meta["migrated_from"] == 2
    assert migrated.export()["tables"] == exported
    assert path.read_bytes() == old_bytes  # a read migrates in memory only
    migrated.add_team("Psykiatrien Nord")  # the first write backs the file up and migrates it
    meta = migrated.snapshot().meta
    assert (tmp_path / meta["backup"]).read_bytes() == old_bytes
    exported["teams"] = migrated.export()["tables"]["teams"]
    assert migrated.export()["tables"] == exported
    on_disk = orjson.loads(path.read_bytes())
    assert sorted(on_disk["measurements"]) == [f"{team.id}|R1", f"{team.id}|V1"]
    assert Workspace.open(path).snapshot().meta["backup"] == meta["backup"]  # migrated once
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".bak")) == [meta["backup"]]


def test_a_transaction_on_a_schema_2_file_migrates_it_first(tmp_path: Path) -> None:
    path = tmp_path / "workspace.json"
    store = _filled(path)
    _as_schema_2(path)
    with store.transaction() as tx:
        tx.put("measurements", "syd|R1|2023-07", _measurement("syd", "R1", "2023-07", 7))
    on_disk = orjson.loads(path.read_bytes())
    assert on_disk["_meta"]["meta"]["migrated_from"] == 2
    assert row_ids(on_disk["measurements"]["syd|R1"]["rows"])[-1] == "2023-07"
    assert len(open_store(path).load().table("measurements")) == 25


def test_a_later_migration_step_sees_one_document_per_measurement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "workspace.json"
    _filled(path)
    seen: list[str] = []

    def step(tables: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        seen.extend(tables["measurements"])
        for doc in tables["measurements"].values():
            doc["checked"] = True
        return tables

    monkeypatch.setattr(migrations_module, "CURRENT_SCHEMA", 5)
    monkeypatch.setattr(tinydb_module, "CURRENT_SCHEMA", 5)
    monkeypatch.setitem(migrations_module.MIGRATIONS, 4, step)
    snap = TinyDBStore(path).load()
    assert len(seen) == 24 and "syd|R2|2023-06" in seen
    assert snap.meta["schema_version"] == 5 and snap.meta["migrated_from"] == 4
    assert all(doc["checked"] is True for doc in snap.table("measurements").values())
    assert "checked" not in orjson.loads(path.read_bytes())["measurements"]["syd|R2"]["same"]  # read only


def test_a_file_of_the_next_schema_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "workspace.json"
    _filled(path)
    data = orjson.loads(path.read_bytes())
    data["_meta"]["meta"]["schema_version"] = CURRENT_SCHEMA + 1
    path.write_bytes(orjson.dumps(data))
    before = path.read_bytes()
    with pytest.raises(
        WorkspaceError, match="written by a newer pdsa \\(schema 5, this one reads up to 4\\)"
    ):
        Workspace.open(path)
    assert path.read_bytes() == before


# -- damaged packed data --------------------------------------------------------------------------------
def _break_columns(series: dict[str, Any]) -> None:
    series["columns"]["value"].pop()


def _break_code_range(series: dict[str, Any]) -> None:
    series["columns"]["source_file"][2] = 5


def _break_code_type(series: dict[str, Any]) -> None:
    series["columns"]["source_file"][0] = "R1.xlsx"


def _break_absent(series: dict[str, Any]) -> None:
    series["absent"] = {"value": [12]}


def _break_fields(series: dict[str, Any]) -> None:
    series["fields"].append("ghost")


def _break_rows(series: dict[str, Any]) -> None:
    series["rows"] = "2023-01"


def _break_part(series: dict[str, Any]) -> None:
    series["values"] = []


def _break_same(series: dict[str, Any]) -> None:
    series["same"] = ["syd"]


@pytest.mark.parametrize(
    ("breaks", "reason"),
    [
        (_break_columns, "has column 'value' with 11 entries for 12 rows"),
        (_break_code_range, "has column 'source_file' with code 5, but only 2 values"),
        (_break_code_type, "has column 'source_file' with a code that is not a whole number"),
        (_break_absent, "marks field 'value' absent in rows outside 0..11 or twice"),
        (_break_fields, "stores field 'ghost' nowhere"),
        (_break_rows, "has no list of row ids"),
        (_break_part, "has an unknown part 'values'"),
        (_break_same, "has 'same' that is not an object"),
    ],
)
def test_damaged_packed_data_is_refused_with_the_series_named(
    tmp_path: Path, breaks: Any, reason: str
) -> None:
    path = tmp_path / "workspace.json"
    _two_files(path)
    data = orjson.loads(path.read_bytes())
    breaks(data["measurements"]["syd|R1"])
    path.write_bytes(orjson.dumps(data))
    damaged = path.read_bytes()
    message = f"table 'measurements' of the workspace is damaged: series 'syd|R1' {reason}"
    with pytest.raises(WorkspaceError, match=_escaped(message)) as caught:
        Workspace.open(path)
    assert caught.value.where == str(path) and "left untouched" in caught.value.message
    danish = caught.value.text("da")
    assert "tabellen 'measurements' i arbejdsområdet er beskadiget: serien 'syd|R1' " in danish
    assert "Filen er ikke rørt" in danish and reason not in danish
    result = CliRunner().invoke(
        build_cli(), ["-w", str(path), "data", "list", "--team", "syd", "--indicator", "R1"]
    )
    assert result.exit_code == 5 and reason in result.output and "Traceback" not in result.output
    with pytest.raises(WorkspaceError, match=_escaped(message)), TinyDBStore(path).transaction() as tx:
        tx.put("teams", "x", {"id": "x"})
    assert path.read_bytes() == damaged
    assert sorted(p.name for p in tmp_path.iterdir()) == ["workspace.json", "workspace.json.lock"]


@pytest.mark.parametrize(
    ("rows", "reason"),
    [
        (["2023-01", "2023-01", *[f"2023-{m:02d}" for m in range(3, 13)]], "has the same row id twice"),
    ],
)
def test_damaged_row_ids_are_refused_when_the_series_is_read(
    tmp_path: Path, rows: list[Any], reason: str
) -> None:
    path = tmp_path / "workspace.json"
    _two_files(path)
    data = orjson.loads(path.read_bytes())
    series = data["measurements"]["syd|R1"]
    assert series.pop("id_field") == "period"
    series["rows"] = series["columns"]["period"] = rows
    path.write_bytes(orjson.dumps(data))
    damaged = path.read_bytes()
    ws = Workspace.open(path)  # the structure is sound; row ids are checked per series
    assert [m.value for m in ws.measurements("syd", "R2")] == [float(m) for m in range(1, 13)]
    message = f"table 'measurements' of the workspace is damaged: series 'syd|R1' {reason}"
    with pytest.raises(WorkspaceError, match=_escaped(message)):
        ws.measurements("syd", "R1")
    with pytest.raises(WorkspaceError, match=_escaped(message)):
        ws.add_measurement("syd", "R1", "2024-01", value=1)
    result = CliRunner().invoke(
        build_cli(), ["-w", str(path), "data", "list", "--team", "syd", "--indicator", "R1"]
    )
    assert result.exit_code == 5 and reason in result.output and "Traceback" not in result.output
    assert path.read_bytes() == damaged


def test_a_row_id_that_is_not_a_text_is_refused_on_open(tmp_path: Path) -> None:
    """A period stored as a number is a field of the wrong type: the file is refused when opened."""
    path = tmp_path / "workspace.json"
    _two_files(path)
    data = orjson.loads(path.read_bytes())
    series = data["measurements"]["syd|R1"]
    assert series.pop("id_field") == "period"
    series["rows"] = series["columns"]["period"] = [2023, *[f"2023-{m:02d}" for m in range(2, 13)]]
    path.write_bytes(orjson.dumps(data))
    damaged = path.read_bytes()
    message = (
        "table 'measurements' of the workspace is damaged: series 'syd|R1' has a row that is neither "
        "an id nor a run of months"
    )
    with pytest.raises(WorkspaceError, match=_escaped(message)):
        Workspace.open(path)
    result = CliRunner().invoke(
        build_cli(), ["-w", str(path), "data", "list", "--team", "syd", "--indicator", "R2"]
    )
    assert result.exit_code == 5 and message in result.output and "Traceback" not in result.output
    assert path.read_bytes() == damaged


def _escaped(text: str) -> str:
    import re

    return re.escape(text)


def _two_files(path: Path) -> None:
    """A workspace with team syd, indicators R1 and R2: twelve months each, from two files."""
    ws = Workspace.create(path, actor="tovholder")
    team = ws.add_team("syd")
    for code in ("R1", "R2"):
        ws.add_indicator(team.id, code, f"Indikator {code}")
        for name, months in (("R1.xlsx", range(1, 7)), ("R1 2.xlsx", range(7, 13))):
            ws.add_measurements(
                team.id,
                [MeasurementInput(code, f"2023-{m:02d}", value=m) for m in months],
                source="import",
                source_file=name,
            )


# -- schema 4: consecutive months stored as runs ------------------------------------------------------
@pytest.mark.parametrize(
    ("rows", "stored"),
    [
        ([f"2023-{m:02d}" for m in range(1, 13)], [["2023-01", 12]]),
        (["2022-11", "2022-12", "2023-01", "2023-03"], [["2022-11", 3], "2023-03"]),
        (["2023-01", "2023-03", "2023-05"], ["2023-01", "2023-03", "2023-05"]),
        (["2023-12", "2024-01", "q1", "q2"], [["2023-12", 2], "q1", "q2"]),
        (["2023-1", "2023-13", "2023-02", "2023-03"], [["2023-02", 2], "2023-1", "2023-13"]),
        (["0001-01", "0001-02"], [["0001-01", 2]]),
    ],
)
def test_consecutive_months_are_stored_as_runs_and_read_back_exactly(
    rows: list[str], stored: list[Any]
) -> None:
    docs = {f"syd|R1|{row}": {"period": row, "value": float(i)} for i, row in enumerate(rows)}
    series = pack_series(docs)
    assert series["rows"] == stored
    assert row_ids(series["rows"]) == sorted(rows)
    assert unpack_series("syd|R1", series) == dict(sorted(docs.items()))


def test_random_rows_round_trip() -> None:
    rng = random.Random(4)
    for _ in range(300):
        months = sorted(rng.sample(range(2010 * 12, 2030 * 12), rng.randint(1, 60)))
        rows = [f"{m // 12:04d}-{m % 12 + 1:02d}" for m in months] + rng.sample(["a", "2023-00", "x|y"], 2)
        docs = {f"t|R1|{row}": {"period": row, "n": i} for i, row in enumerate(rows) if "|" not in row}
        series = pack_series(docs)
        assert unpack_series("t|R1", series) == dict(sorted(docs.items()))
        assert len(series["rows"]) <= len(docs)


@pytest.mark.parametrize(
    "run",
    [
        ["2023-13", 2],
        ["2023-01", 0],
        ["2023-01", "12"],
        ["2023-01", 1.0],
        ["9999-12", 2],
        ["2023-01"],
        [1, 2],
    ],
)
def test_a_run_that_is_not_one_is_refused_on_open(tmp_path: Path, run: list[Any]) -> None:
    path = tmp_path / "workspace.json"
    _two_files(path)
    data = orjson.loads(path.read_bytes())
    assert data["measurements"]["syd|R1"]["rows"] == [["2023-01", 12]]
    data["measurements"]["syd|R1"]["rows"] = [run]
    path.write_bytes(orjson.dumps(data))
    damaged = path.read_bytes()
    message = "series 'syd|R1' has a row that is neither an id nor a run of months"
    with pytest.raises(WorkspaceError, match=_escaped(message)):
        Workspace.open(path)
    assert path.read_bytes() == damaged


def test_a_schema_3_file_is_read_as_it_is_and_its_first_write_stores_runs(tmp_path: Path) -> None:
    """Schema 3 stored every row id as a text: read without a change, and written (after a
    backup) as schema 4, whose runs a schema 3 pdsa refuses by the number, not as damage."""
    path = tmp_path / "workspace.json"
    _two_files(path)
    data = orjson.loads(path.read_bytes())
    for series in data["measurements"].values():
        series["rows"] = row_ids(series["rows"])
    data["_meta"]["meta"]["schema_version"] = 3
    old = orjson.dumps(data)
    path.write_bytes(old)
    ws = Workspace.open(path)
    assert [m.period for m in ws.measurements("syd", "R1")] == [f"2023-{m:02d}" for m in range(1, 13)]
    assert path.read_bytes() == old  # a read never writes
    ws.add_measurement("syd", "R1", "2024-01", value=3)
    on_disk = orjson.loads(path.read_bytes())
    assert on_disk["_meta"]["meta"]["schema_version"] == CURRENT_SCHEMA == 4
    assert on_disk["_meta"]["meta"]["migrated_from"] == 3
    assert on_disk["measurements"]["syd|R1"]["rows"] == [["2023-01", 13]]
    untouched = on_disk["measurements"]["syd|R2"]  # stored as schema 4 stores it too
    assert untouched["rows"] == [["2023-01", 12]]
    assert untouched["floats"] == ["value"] and untouched["columns"]["value"] == list(range(1, 13))
    backups = [p for p in tmp_path.iterdir() if p.name.endswith(".bak")]
    assert len(backups) == 1 and backups[0].read_bytes() == old
    assert [m.value for m in Workspace.open(path).measurements("syd", "R2")] == [
        float(m) for m in range(1, 13)
    ]


# -- schema 4: whole-number floats stored as integers -----------------------------------------------------
def test_whole_number_floats_are_stored_as_integers_and_read_back_as_floats() -> None:
    docs = {
        f"syd|R1|2023-{m:02d}": {
            "period": f"2023-{m:02d}",
            "value": float(m) if m != 5 else None,
            "count": m,  # integers stay integers
            "share": m / 7,  # fractions stay as they are
            "zero": -0.0 if m == 2 else 0.0,  # the sign of a zero is kept
            "big": 2.0**53 + m * 2,  # beyond what an integer gives back exactly
        }
        for m in range(1, 13)
    }
    series = pack_series(docs)
    assert series["floats"] == ["value"]
    assert series["columns"]["value"] == [1, 2, 3, 4, None, 6, 7, 8, 9, 10, 11, 12]
    assert series["columns"]["count"] == list(range(1, 13))
    back = unpack_series("syd|R1", series)
    assert back == docs
    for doc, original in zip(back.values(), docs.values(), strict=True):
        assert [type(v) for v in doc.values()] == [type(v) for v in original.values()]
        assert math.copysign(1.0, doc["zero"]) == math.copysign(1.0, original["zero"])


@pytest.mark.parametrize(
    ("floats", "reason"),
    [
        ("value", "has 'floats' that is not a list of distinct names"),
        (["value", "value"], "has 'floats' that is not a list of distinct names"),
        (["ghost"], "marks 'ghost' as floats, which is not a column of values"),
        (["source_file"], "marks 'source_file' as floats, which is not a column of values"),  # codes
    ],
)
def test_a_floats_part_that_is_not_one_is_refused_on_open(tmp_path: Path, floats: Any, reason: str) -> None:
    path = tmp_path / "workspace.json"
    _two_files(path)
    data = orjson.loads(path.read_bytes())
    series = data["measurements"]["syd|R1"]
    assert series["floats"] == ["value"] and "source_file" in series["codes"]
    series["floats"] = floats
    path.write_bytes(orjson.dumps(data))
    damaged = path.read_bytes()
    with pytest.raises(WorkspaceError, match=_escaped(f"series 'syd|R1' {reason}")):
        Workspace.open(path)
    assert path.read_bytes() == damaged


def test_an_entry_of_floats_that_is_not_a_number_is_refused() -> None:
    """A known field's entries are checked as its type when the file is checked (a text in
    'value' is named so, see test_damaged_files); any field's when the series is read."""
    docs = {f"syd|R1|2023-{m:02d}": {"period": f"2023-{m:02d}", "extra": float(m)} for m in range(1, 4)}
    series = pack_series(docs)
    assert series["floats"] == ["extra"]
    assert unpack_series("syd|R1", {**series, "columns": {"extra": [1, 2.5, None]}})["syd|R1|2023-02"] == {
        "period": "2023-02",
        "extra": 2.5,
    }
    for bad in ("4", True, [4]):
        with pytest.raises(
            PackingError, match="has column 'extra' of floats with an entry that is not a number"
        ):
            unpack_series("syd|R1", {**series, "columns": {"extra": [1, bad, 3]}})
