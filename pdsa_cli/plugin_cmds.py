"""``pdsa plugins``: list the loaded plugins, scaffold a new one, name a workspace plugin folder."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import click

from pdsa_cli.output import print_json
from pdsa_core.errors import DuplicateError, ValidationError
from pdsa_core.i18n import add_texts, t

add_texts(
    {
        "plugins.hooks": ("hooks", "hooks"),
        "plugins.error": ("fejl", "error"),
        "plugins.none": (
            "Ingen plugins installeret. Se de indbyggede med 'pdsa plugins list --all', "
            "eller lav et med 'pdsa plugins new NAVN'.",
            "No plugins installed. See the built-in ones with 'pdsa plugins list --all', "
            "or make one with 'pdsa plugins new NAME'.",
        ),
        "plugins.created": (
            "Oprettede plugin-distributionen {dist} i {path}\n"
            "Installér den med:  pip install -e {path}\n"
            "Så viser 'pdsa plugins list' den. Test den med:  python -m pytest {path}",
            "Created the plugin distribution {dist} in {path}\n"
            "Install it with:  pip install -e {path}\n"
            "Then 'pdsa plugins list' shows it. Test it with:  python -m pytest {path}",
        ),
        "plugins.folder_set": (
            "Arbejdsområdet indlæser nu plugin-filer fra {path}",
            "The workspace now loads plugin files from {path}",
        ),
        "plugins.folder_missing": (
            "mappen {path} findes ikke endnu; plugins indlæses fra den, når den findes",
            "the folder {path} does not exist yet; plugins are loaded from it once it does",
        ),
        "plugins.folder_cleared": (
            "Arbejdsområdet nævner ikke længere en plugin-mappe",
            "The workspace no longer names a plugins folder",
        ),
        "plugins.folder_none": (
            "Arbejdsområdet nævner ingen plugin-mappe (sæt en med 'pdsa plugins folder MAPPE')",
            "The workspace names no plugins folder (set one with 'pdsa plugins folder FOLDER')",
        ),
        "plugins.folder_is": ("Plugin-mappe: {path}", "Plugins folder: {path}"),
    }
)

_KIND_TEXT = {
    "indicator_sets": ("indikatorsæt", "indicator sets"),
    "diagram_templates": ("driverdiagram-skabeloner", "diagram templates"),
    "importers": ("importører", "importers"),
    "data_sources": ("datakilder", "data sources"),
    "populations": ("populationer", "populations"),
    "rule_sets": ("regelsæt", "rule sets"),
    "instruments": ("instrumenter", "instruments"),
    "report_sections": ("rapportafsnit", "report sections"),
    "commands": ("kommandoer", "commands"),
}
_KIND_KEYS = {f"plugins.kind.{k}" for k in _KIND_TEXT}
add_texts({f"plugins.kind.{k}": v for k, v in _KIND_TEXT.items()})

_ORIGIN_TEXT = {
    "built-in": ("indbygget", "built-in"),
    "entry point": ("installeret", "entry point"),
    "folder": ("mappe", "folder"),
    "extra": ("ekstra", "extra"),
}
add_texts({f"plugins.origin.{k}": v for k, v in _ORIGIN_TEXT.items()})


def register(cli: click.Group) -> None:
    from pdsa_cli import pass_app

    @cli.group()
    def plugins() -> None:
        """Plugins: what is loaded, make a new one, the workspace's plugin folder."""

    @plugins.command("list")
    @click.option("--all", "show_all", is_flag=True, help="Include pdsa's built-in default plugins.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @pass_app
    def plugins_list(app: Any, show_all: bool, as_json: bool) -> None:
        """List plugins: name, version, origin, hooks, what each registered, errors."""
        items = app.plugins().plugin_list(include_builtin=show_all)
        if as_json:
            print_json(items)
            return
        if not items:
            click.echo(t("plugins.none"))
            return
        for number, item in enumerate(items):
            if number:
                click.echo()
            _echo_plugin(item)

    @plugins.command("new")
    @click.argument("name")
    @click.option(
        "--dir",
        "directory",
        type=click.Path(file_okay=False),
        default=".",
        show_default=True,
        help="Folder to create the distribution folder in.",
    )
    def plugins_new(name: str, directory: str) -> None:
        """Create a plugin distribution NAME (pyproject, module with example hooks, a test)."""
        path = scaffold_plugin(name, Path(directory))
        click.echo(t("plugins.created", dist=path.name, path=path))

    @plugins.command("folder")
    @click.argument("path", required=False, type=click.Path(file_okay=False))
    @click.option("--clear", is_flag=True, help="Stop loading plugins from the workspace's folder.")
    @pass_app
    def plugins_folder(app: Any, path: str | None, clear: bool) -> None:
        """Show or set the folder of plugin .py files this workspace loads (setting plugins_dir).

        A relative PATH is relative to the current folder; it is stored relative to the
        workspace file when it lies beside it, so a workspace and its plugins can move together.
        """
        ws = app.workspace()
        if clear:
            ws.update_settings(plugins_dir=None)
            click.echo(t("plugins.folder_cleared"))
            return
        if path is None:
            from pdsa_core.plugins import workspace_plugins_dir

            current = workspace_plugins_dir(ws)
            click.echo(t("plugins.folder_is", path=current) if current else t("plugins.folder_none"))
            return
        folder = Path(path).expanduser().resolve()
        stored = str(folder)
        if "://" not in str(ws.location):
            base = Path(ws.location).resolve().parent
            if folder == base or base in folder.parents:
                stored = os.path.relpath(folder, base)
        ws.update_settings(plugins_dir=stored)
        click.echo(t("plugins.folder_set", path=folder))
        if not folder.is_dir():
            click.echo(f"{t('warning')}: {t('plugins.folder_missing', path=folder)}", err=True)


def _echo_plugin(item: dict[str, Any]) -> None:
    """One plugin as a short block: name and version, origin, hooks, what it registered, errors."""
    origin = item["origin"]
    origin_text = t(f"plugins.origin.{origin}") if origin in _ORIGIN_TEXT else origin
    where = f"{origin_text}: {item['location']}" if item["location"] else origin_text
    title = click.style(item["name"], bold=True)
    click.echo(f"{title} {item['version']}  ({where})" if item["version"] else f"{title}  ({where})")
    click.echo(f"  {t('plugins.hooks')}: {', '.join(item['hooks']) or '–'}")
    for kind, keys in item["registered"].items():
        click.echo(
            f"  {t('plugins.kind.' + kind) if 'plugins.kind.' + kind in _KIND_KEYS else kind}: "
            f"{', '.join(keys)}"
        )
    for error in item["errors"]:
        click.echo(click.style(f"  {t('plugins.error')}: {error}", fg="red"))


# -- scaffold ------------------------------------------------------------------------------------------
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)*$")


def plugin_names(name: str) -> tuple[str, str, str]:
    """(distribution, import package, short id) for NAME: ``region-syd`` -> pdsa-region-syd ..."""
    if not _NAME.match(name):
        raise ValidationError(
            f"a plugin name is letters and digits joined by '-' or '_', e.g. region-syd; got {name!r}"
        )
    short = re.sub(r"[-_]+", "-", name.lower())
    short = short.removeprefix("pdsa-") or short
    dist = f"pdsa-{short}"
    return dist, dist.replace("-", "_"), short


def scaffold_plugin(name: str, directory: Path) -> Path:
    """Write a plugin distribution for NAME into ``directory`` and return its folder."""
    dist, package, short = plugin_names(name)
    root = directory / dist
    if root.exists() and any(root.iterdir()):
        raise DuplicateError(f"{root} already exists and is not empty; choose another name or --dir")
    files = {
        root / "pyproject.toml": _PYPROJECT,
        root / "README.md": _README,
        root / package / "__init__.py": _MODULE,
        root / "tests" / f"test_{package}.py": _TEST,
    }
    values = {"dist": dist, "package": package, "short": short, "title": short.replace("-", " ")}
    for path, template in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.format(**values), encoding="utf-8")
    return root


_PYPROJECT = """\
[build-system]
requires = ["setuptools>=64"]
build-backend = "setuptools.build_meta"

[project]
name = "{dist}"
version = "0.1.0"
description = "A pdsa plugin: {title}"
readme = "README.md"
requires-python = ">=3.11"
dependencies = ["pdsa-tracker>=0.1"]

[project.optional-dependencies]
test = ["pytest>=8"]

# This line makes pdsa find the plugin once the distribution is installed.
[project.entry-points.pdsa]
{dist} = "{package}"

[tool.setuptools]
packages = ["{package}"]

[tool.pytest.ini_options]
pythonpath = ["."]
"""

_README = """\
# {dist}

A plugin for [pdsa](https://github.com/pdsa-tracker/pdsa): {title}.

    pip install -e .            # install it beside pdsa (editable: your changes count at once)
    pdsa plugins list           # {dist} is listed with its hooks and what it registered
    python -m pytest tests      # run its tests

What it adds:

- the indicator set `{short}-example` (`pdsa team add "My team" --indicator-set {short}-example`);
- the importer `{short}-monthly-csv` for a CSV with one row per month and indicator
  (`month;indicator;value`): `pdsa import with {short}-monthly-csv data.csv --team "My team"`.

Edit `{package}/__init__.py`; the hooks you can implement are described in pdsa's
plugin guide, `docs/plugins.md`.
"""

_MODULE = '''\
"""pdsa plugin {dist}: {title}.

Each function marked ``@hookimpl`` implements one pdsa hook; its name says which. pdsa
calls it once when it loads plugins, with a ``register`` function: call it once per thing
you add. Everything you need is imported from ``pdsa_core``. The hooks are described in
pdsa's plugin guide (docs/plugins.md). ``pdsa plugins list`` shows what this plugin
registered and any error in it.
"""

from __future__ import annotations

import csv
from pathlib import Path

from pdsa_core import (
    DataImportError,
    Direction,
    Importer,
    ImportResult,
    IndicatorDefinition,
    IndicatorKind,
    IndicatorSet,
    MeasurementInput,
    Parameter,
    Team,
    Unit,
    hookimpl,
)

__version__ = "0.1.0"


@hookimpl
def register_indicator_sets(register):
    """An indicator set: ``pdsa team add "My team" --indicator-set {short}-example``."""
    register(
        IndicatorSet(
            id="{short}-example",
            name_da="Eksempel på et indikatorsæt",
            name_en="Example indicator set",
            description="Replace with your own indicators.",
            indicators=[
                IndicatorDefinition(
                    code="X1",
                    name_da="Antal bæltefikseringer",
                    name_en="Number of belt restraints",
                    kind=IndicatorKind.RESULT,
                    unit=Unit.COUNT,
                    direction=Direction.DOWN,
                    baseline_start="2021-01",
                    baseline_end="2021-12",
                    population="Patienter indlagt på afsnittet",
                ),
            ],
        )
    )


def read_monthly_csv(path: Path, *, team: Team, options: dict[str, str]) -> ImportResult:
    """Read a CSV file with the columns month, indicator and value (one row per month).

    ``options`` holds the importer's options as text (``--option delimiter=,``).
    Raise DataImportError with the row number for a row that cannot be read.
    """
    values = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle, delimiter=options["delimiter"]), start=2):
            try:
                value = float(row["value"].replace(",", "."))
            except (KeyError, AttributeError, ValueError):
                raise DataImportError(f"row {{number}}: value is not a number", where=str(path)) from None
            values.append(MeasurementInput(indicator=row["indicator"], period=row["month"], value=value))
    return ImportResult(measurements=values, source="{short}-monthly-csv", rows_read=len(values))


@hookimpl
def register_importers(register):
    """An importer: ``pdsa import with {short}-monthly-csv FILE --team "My team"``."""
    register(
        Importer(
            id="{short}-monthly-csv",
            name_da="Månedstal (CSV: month;indicator;value)",
            name_en="Monthly values (CSV: month;indicator;value)",
            description="One row per month and indicator; the month is written YYYY-MM.",
            file_patterns=("*.csv",),
            options=(Parameter(name="delimiter", default=";", description="Column separator"),),
            read=read_monthly_csv,
        )
    )


# More hooks: remove the "# " in front of the ones you need. Each is described, with an
# example, in docs/plugins.md.
#
# from pdsa_core import DiagramTemplate, TemplateNode
#
# @hookimpl
# def register_diagram_templates(register):
#     register(
#         DiagramTemplate(
#             id="{short}-diagram",
#             name_da="Vores driverdiagram",
#             aim="At reducere ...",
#             drivers=[TemplateNode(text="Primær driver", children=[TemplateNode(text="Sekundær driver")])],
#         )
#     )
#
# from pdsa_core import DataSource, SourceResult
#
# @hookimpl
# def register_data_sources(register):
#     register(DataSource(id="{short}-source", name_da="...", fetch=my_fetch_function))
#
# from pdsa_core import ReportSection
#
# @hookimpl
# def register_report_sections(register):
#     register(ReportSection(id="{short}-section", title_da="...", render=lambda context: "Markdown"))
#
# @hookimpl
# def register_commands(cli):
#     import click
#
#     @cli.command(name="{short}-hello")
#     def hello():
#         click.echo("Hello from {dist}")
#
# @hookimpl
# def on_event(event, payload, workspace):
#     if event == "signal_appeared":
#         print("New signal on", payload["indicator"])
'''

_TEST = '''\
"""Tests of {dist}: it loads without errors and its importer reads a file."""

from __future__ import annotations

import pytest

import {package}
from pdsa_core import DataImportError, Team, load_plugins


@pytest.fixture()
def plugins():
    """pdsa's plugins plus this one (loaded directly, so the test runs before installing it)."""
    return load_plugins(extra=[("{dist}", {package})], include_entry_points=False)


def test_loads_without_errors(plugins):
    assert plugins.errors == []
    assert "{short}-example" in plugins.items("indicator_sets")
    assert "{short}-monthly-csv" in plugins.items("importers")


def test_importer_reads_a_monthly_csv(plugins, tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("month;indicator;value\\n2022-01;X1;4\\n2022-02;X1;2,5\\n", encoding="utf-8")
    team = Team(id="t", name="My team")
    result = plugins.importer("{short}-monthly-csv").run(path, team=team)
    assert [(m.period, m.value) for m in result.measurements] == [("2022-01", 4.0), ("2022-02", 2.5)]


def test_importer_names_the_row_it_cannot_read(plugins, tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("month;indicator;value\\n2022-01;X1;many\\n", encoding="utf-8")
    with pytest.raises(DataImportError, match="row 2"):
        plugins.importer("{short}-monthly-csv").run(path, team=Team(id="t", name="My team"))
'''
