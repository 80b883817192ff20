"""A plugin written only from docs/plugins.md (tests/plugins/docs_plugin/pdsa_team_syd.py) works.

It adds an indicator set and a CSV importer, uses nothing but ``from pdsa_core import ...``,
and is used the way the guide says: a loose file in a plugins folder, ``pdsa team add
--indicator-set``, ``pdsa import with``.
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

from pdsa_core import Team, apply_result, load_plugins

FOLDER = Path(__file__).resolve().parent / "docs_plugin"
PLUGIN = FOLDER / "pdsa_team_syd.py"
EXPORT = "Måned;R1;R2;V1 tæller;V1 nævner\n01-2022;3;4;5;8\n02-2022;2;2;6;9\n03-2022;0;0;;\n"


def test_it_imports_only_the_public_api() -> None:
    tree = ast.parse(PLUGIN.read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    outside = {m for m in imported if m != "pdsa_core" and m.split(".")[0] not in sys.stdlib_module_names}
    assert outside == set()
    assert "pdsa_core" in imported


def test_it_loads_without_errors_from_a_plugins_folder() -> None:
    plugins = load_plugins([FOLDER], include_entry_points=False)
    assert plugins.errors == []
    assert plugins.info["pdsa_team_syd"].to_dict() | {"location": ""} == {
        "name": "pdsa_team_syd",
        "origin": "folder",
        "version": "0.3",
        "location": "",
        "hooks": ["register_importers", "register_indicator_sets"],
        "registered": {"importers": ["syd-bi-wide"], "indicator_sets": ["syd-tvang"]},
        "errors": [],
    }


def test_its_importer_reads_the_bi_export(tmp_path: Path, workspace) -> None:
    path = tmp_path / "bi.csv"
    path.write_bytes(EXPORT.encode("cp1252"))
    plugins = load_plugins([FOLDER], include_entry_points=False)
    team = workspace.add_team("Team Syd", indicator_set=plugins.indicator_set("syd-tvang"))
    result = plugins.importer("syd-bi-wide").run(path, team=Team(id=team.id, name=team.name))
    written, _ = apply_result(workspace, team.id, result)
    assert written.added == 8
    assert [m.value for m in workspace.measurements(team.id, "R1")] == [3, 2, 0]
    assert [m.value for m in workspace.measurements(team.id, "V1")] == [5 / 8, 6 / 9]


def test_the_whole_way_through_the_cli(cli, tmp_path: Path) -> None:
    path = tmp_path / "bi.csv"
    path.write_bytes(EXPORT.encode("cp1252"))
    folder = ["--plugins-dir", str(FOLDER)]
    assert cli("init").exit_code == 0
    added = cli(*folder, "team", "add", "Team Syd", "--indicator-set", "syd-tvang")
    assert added.exit_code == 0 and added.stderr == ""
    imported = cli(*folder, "import", "with", "syd-bi-wide", str(path), "--team", "Team Syd", "--yes")
    assert imported.exit_code == 0, imported.output
    values = json.loads(cli("data", "list", "--team", "Team Syd", "--indicator", "R2", "--json").stdout)
    assert [(v["period"], v["value"]) for v in values] == [
        ("2022-01", 4.0),
        ("2022-02", 2.0),
        ("2022-03", 0.0),
    ]
