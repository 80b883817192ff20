"""``pdsa plugins list`` and ``pdsa plugins new``."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest


def test_list_without_and_with_built_ins(cli) -> None:
    plain = json.loads(cli("plugins", "list", "--json", workspace=False).stdout)
    assert all(p["origin"] != "built-in" for p in plain)
    everything = json.loads(cli("plugins", "list", "--all", "--json", workspace=False).stdout)
    built_in = {p["name"]: p for p in everything if p["origin"] == "built-in"}
    assert built_in["rule_sets"]["registered"] == {"rule_sets": ["anhoej", "ihi", "weco"]}
    assert built_in["rule_sets"]["hooks"] == ["register_rule_sets"]
    assert built_in["importers"]["registered"] == {"importers": ["measurement-table"]}
    assert built_in["instruments"]["registered"] == {"instruments": ["musiq@1.0-equal-weights"]}
    from pdsa_core import __version__

    assert {p["version"] for p in built_in.values()} == {__version__}
    assert all(p["errors"] == [] for p in everything if p["origin"] == "built-in")


def test_list_as_text(cli, register_plugin) -> None:
    from pdsa_core import hookimpl

    class Shown:
        @hookimpl
        def register_importers(self, register):  # noqa: ANN001, ARG002
            raise OSError("disk")

    register_plugin(Shown(), "shown-plugin")
    result = cli("--lang", "da", "plugins", "list", "--all", workspace=False)
    assert result.exit_code == 0
    blocks = result.stdout.split("\n\n")
    rule_sets = next(b for b in blocks if b.startswith("rule_sets"))
    assert rule_sets.splitlines()[1:] == ["  hooks: register_rule_sets", "  regelsæt: anhoej, ihi, weco"]
    assert "(indbygget: pdsa_core.default_plugins.rule_sets)" in rule_sets
    shown = next(b for b in blocks if b.startswith("shown-plugin"))
    line = Shown.register_importers.__code__.co_firstlineno + 2
    assert shown.splitlines() == [
        "shown-plugin  (ekstra)",
        "  hooks: register_importers",
        f"  fejl: register_importers: OSError: disk (test_plugins_cli.py, line {line}); "
        "nothing it registered in this hook was kept",
    ]


def test_new_writes_a_distribution(cli, tmp_path) -> None:
    result = cli("plugins", "new", "region-syd", "--dir", str(tmp_path), workspace=False)
    assert result.exit_code == 0
    root = tmp_path / "pdsa-region-syd"
    assert f"pip install -e {root}" in result.stdout
    assert sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) == [
        "README.md",
        "pdsa_region_syd/__init__.py",
        "pyproject.toml",
        "tests/test_pdsa_region_syd.py",
    ]
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["name"] == "pdsa-region-syd"
    assert project["project"]["entry-points"]["pdsa"] == {"pdsa-region-syd": "pdsa_region_syd"}
    assert "pdsa-tracker>=0.1" in project["project"]["dependencies"]
    assert project["build-system"]["build-backend"] == "setuptools.build_meta"


def test_the_scaffold_registers_through_the_public_hooks(cli, tmp_path) -> None:
    cli("plugins", "new", "region-syd", "--dir", str(tmp_path), workspace=False)
    path = tmp_path / "pdsa-region-syd" / "pdsa_region_syd" / "__init__.py"
    spec = importlib.util.spec_from_file_location("pdsa_region_syd_scaffold", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
        from pdsa_core import load_plugins

        plugins = load_plugins(extra=[("pdsa-region-syd", module)], include_entry_points=False)
    finally:
        del sys.modules[spec.name]
    assert plugins.errors == []
    assert plugins.info["pdsa-region-syd"].to_dict()["registered"] == {
        "importers": ["region-syd-monthly-csv"],
        "indicator_sets": ["region-syd-example"],
    }
    assert plugins.info["pdsa-region-syd"].version == "0.1.0"


def test_the_scaffolds_own_tests_pass(cli, tmp_path) -> None:
    cli("plugins", "new", "region_syd", "--dir", str(tmp_path), workspace=False)
    root = tmp_path / "pdsa-region-syd"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(root)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 passed" in done.stdout


def test_new_refuses_a_bad_name_and_an_existing_folder(cli, tmp_path) -> None:
    bad = cli("plugins", "new", "region syd!", "--dir", str(tmp_path), workspace=False)
    assert bad.exit_code == 2
    assert "a plugin name is letters and digits joined by '-' or '_'" in bad.stderr
    assert cli("plugins", "new", "pdsa-region-syd", "--dir", str(tmp_path), workspace=False).exit_code == 0
    again = cli("plugins", "new", "region-syd", "--dir", str(tmp_path), workspace=False)
    assert again.exit_code == 4
    assert "already exists and is not empty" in again.stderr


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("region-syd", ("pdsa-region-syd", "pdsa_region_syd", "region-syd")),
        ("pdsa-region-syd", ("pdsa-region-syd", "pdsa_region_syd", "region-syd")),
        ("Hovedstaden_BU", ("pdsa-hovedstaden-bu", "pdsa_hovedstaden_bu", "hovedstaden-bu")),
    ],
)
def test_plugin_names(name: str, expected: tuple[str, str, str]) -> None:
    from pdsa_cli.plugin_cmds import plugin_names

    assert plugin_names(name) == expected


def test_scaffold_module_imports_only_the_public_api(cli, tmp_path: Path) -> None:
    import ast

    cli("plugins", "new", "region-syd", "--dir", str(tmp_path), workspace=False)
    tree = ast.parse((tmp_path / "pdsa-region-syd" / "pdsa_region_syd" / "__init__.py").read_text())
    modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert modules == {"__future__", "pathlib", "pdsa_core"}
