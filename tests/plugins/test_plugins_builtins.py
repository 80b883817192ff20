"""pdsa's own features are plugins: registered through the same hooks as anyone else's."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from pdsa_core import Team, load_plugins
from pdsa_core.domain import Indicator
from pdsa_core.plugins import DEFAULT_PLUGINS


def test_built_ins_are_plugins_with_their_registrations() -> None:
    plugins = load_plugins(include_entry_points=False)
    built_in = {name: info for name, info in plugins.info.items() if info.builtin}
    assert {"rule_sets", "importers", "instruments"} <= set(built_in)
    assert all(not info.errors for info in built_in.values())
    from pdsa_core.spc import BUILTIN_RULE_SETS

    assert plugins.items("rule_sets") == BUILTIN_RULE_SETS
    assert plugins.owner("importers", "measurement-table") == "importers"


def test_built_in_modules_use_only_the_hooks() -> None:
    """Each default plugin module defines @hookimpl functions and nothing the core calls directly."""
    for name in DEFAULT_PLUGINS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        hooks = [
            node.name
            for node in tree.body
            if isinstance(node, ast.FunctionDef)
            and any(isinstance(d, ast.Name) and d.id == "hookimpl" for d in node.decorator_list)
        ]
        assert hooks, name
        assert all(h.startswith(("register_", "on_event")) for h in hooks), (name, hooks)


def test_the_measurement_table_importer(tmp_path: Path) -> None:
    path = tmp_path / "måledata.csv"
    path.write_bytes("Måned;R1;V1 tæller;V1 nævner\n2022-01;3;5;10\nfeb-22;2;6;10\n".encode("cp1252"))
    indicators = [
        Indicator(team_id="t", code="R1", name_da="R1"),
        Indicator(team_id="t", code="V1", name_da="V1", unit="proportion"),
    ]
    importer = load_plugins(include_entry_points=False).importer("measurement-table")
    result = importer.run(path, team=Team(id="t", name="T"), indicators=indicators)
    values = {(m.indicator, m.period): (m.value, m.numerator, m.denominator) for m in result.measurements}
    assert values == {
        ("R1", "2022-01"): (3.0, None, None),
        ("V1", "2022-01"): (None, 5.0, 10.0),
        ("R1", "2022-02"): (2.0, None, None),
        ("V1", "2022-02"): (None, 6.0, 10.0),
    }
    assert (result.source, result.rows_read) == ("measurement-table", 2)


def test_the_measurement_table_importer_refuses_unreadable_rows_unless_skipped(tmp_path: Path) -> None:
    import pytest

    from pdsa_core import DataImportError

    path = tmp_path / "data.csv"
    path.write_text("Måned;R1\n2022-01;3\n2022-02;mange\n", encoding="utf-8")
    importer = load_plugins(include_entry_points=False).importer("measurement-table")
    team = Team(id="t", name="T")
    indicators = [Indicator(team_id="t", code="R1", name_da="R1")]
    with pytest.raises(DataImportError, match="1 row cannot be read .*row 3, column R1: not a number"):
        importer.run(path, team=team, indicators=indicators)
    result = importer.run(path, team=team, indicators=indicators, options={"skip_errors": "yes"})
    assert [m.period for m in result.measurements] == ["2022-01"]
    assert result.rows_skipped == 1
    assert [(e["row"], e["column"]) for e in result.details["row_errors"]] == [(3, "R1")]
    with pytest.raises(DataImportError, match="no usable column mapping"):
        importer.run(path, team=team)
