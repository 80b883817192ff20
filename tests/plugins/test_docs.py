"""The plugin author guide, docs/plugins.md: every hook documented, and its examples work.

The guide is the only thing a plugin author reads, so its examples are run here: each hook's
example is loaded as a plugin (and, where it can run offline, used), and the tutorial's
importer reads the tutorial's own sample file.
"""

from __future__ import annotations

import re
import sys
import textwrap
import types
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
import pytest

import pdsa_core
from pdsa_core import Team, hookspecs, load_plugins

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "plugins.md"
TEXT = GUIDE.read_text(encoding="utf-8")
HOOKS = sorted(name for name in dir(hookspecs) if hasattr(getattr(hookspecs, name), "pdsa_spec"))


def headings() -> list[tuple[int, int, str]]:
    """(offset, level, title) of every Markdown heading outside fenced code blocks."""
    found, offset, fenced = [], 0, False
    for line in TEXT.splitlines(keepends=True):
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and (match := re.match(r"^(#{1,6}) (.*)$", line.rstrip("\n"))):
            found.append((offset, len(match[1]), match[2]))
        offset += len(line)
    return found


def section(title_start: str, level: str = "## ") -> str:
    """The text of the section whose heading starts with ``title_start``, up to the next one."""
    depth = len(level.strip())
    marks = headings()
    for index, (offset, found_depth, title) in enumerate(marks):
        if found_depth == depth and title.startswith(title_start):
            start = TEXT.index("\n", offset) + 1
            end = next((o for o, d, _ in marks[index + 1 :] if d <= depth), len(TEXT))
            return TEXT[start:end]
    raise AssertionError(f"docs/plugins.md has no section {level}{title_start}")


def python_blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


@contextmanager
def as_module(code: str, name: str) -> Iterator[types.ModuleType]:
    module = types.ModuleType(name)
    sys.modules[name] = module
    try:
        exec(compile(code, f"docs/plugins.md ({name})", "exec"), module.__dict__)  # noqa: S102
        yield module
    finally:
        del sys.modules[name]


@contextmanager
def example_plugin(hook: str) -> Iterator[tuple[types.ModuleType, pdsa_core.plugins.Plugins]]:
    (code,) = python_blocks(section(hook, "### "))
    with as_module(code, f"docs_example_{hook}") as module:
        plugins = load_plugins(extra=[(f"example-{hook}", module)], include_entry_points=False)
        assert plugins.errors == [], [str(e) for e in plugins.errors]
        assert plugins.info[f"example-{hook}"].hooks == [hook]
        yield module, plugins


def test_the_hooks_are_the_ones_the_guide_knows() -> None:
    assert HOOKS == [
        "on_event",
        "register_commands",
        "register_data_sources",
        "register_diagram_templates",
        "register_importers",
        "register_indicator_sets",
        "register_instruments",
        "register_populations",
        "register_report_sections",
        "register_rule_sets",
    ]


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_reference_entry(hook: str) -> None:
    reference = section("2. Hook reference")
    assert f"\n### {hook}\n" in reference, f"docs/plugins.md lacks a '### {hook}' entry in the hook reference"
    entry = section(hook, "### ")
    code = getattr(hookspecs, hook).__code__
    signature = f"{hook}({', '.join(code.co_varnames[: code.co_argcount])})"
    assert f"`{signature}`" in entry, f"{hook}: the entry must show the call {signature}"
    for part in ("**Arguments**", "**Returns**", "**When**"):
        assert part in entry, f"{hook}: the entry lacks {part}"
    assert len(python_blocks(entry)) == 1, f"{hook}: the entry needs one complete example plugin"


@pytest.mark.parametrize("hook", HOOKS)
def test_every_example_is_a_working_plugin(hook: str) -> None:
    with example_plugin(hook) as (_, plugins):
        kind = hook.removeprefix("register_")
        if kind in plugins.registries:
            assert plugins.info[f"example-{hook}"].registered.get(kind), (
                f"{hook}: the example registers nothing"
            )


def test_every_example_imports_only_the_public_api() -> None:
    for block in python_blocks(section("2. Hook reference")) + python_blocks(section("1. Tutorial")):
        for module in re.findall(r"^(?:from|import) ([\w.]+)", block, flags=re.M):
            top = module.split(".")[0]
            assert (
                module == "pdsa_core"
                or top in sys.stdlib_module_names
                or top in {"click", "pytest"}
                or (module in ("pdsa_region_syd", "pdsa_cli"))
            ), f"an example imports {module}"


def test_the_importer_example_reads_a_file(tmp_path: Path) -> None:
    from pdsa_core import Indicator

    with example_plugin("register_importers") as (_, plugins):
        path = tmp_path / "bi.tsv"
        path.write_text("2022-01\tB1\t4\n2022-01\tX9\t1\n\n2022-02\tB1\t2\n", encoding="utf-8")
        importer = plugins.importer("syd-bi-export")
        result = importer.run(
            path,
            team=Team(id="syd", name="Team Syd"),
            options={"system_change": "2022-02-01"},
            indicators=[Indicator(team_id="syd", code="B1", name_da="B1")],
        )
    assert [(m.indicator, m.period, m.value) for m in result.measurements] == [
        ("B1", "2022-01", 4),
        ("B1", "2022-02", 2),
    ]
    assert result.annotations[0].kind == "it system change"


def test_the_rule_set_example_finds_three_empty_months() -> None:
    from pdsa_core.spc import analyze

    with example_plugin("register_rule_sets") as (_, plugins):
        findings = plugins.rule_set("syd-zero-months").evaluate(analyze([2, 0, 0, 0, 1]))
    assert [(f.rule, f.indices) for f in findings] == [("zero-months", (1, 2, 3))]


def test_the_report_section_example_renders(workspace) -> None:
    from pdsa_core import ReportContext

    team = workspace.add_team("Team Syd")
    workspace.add_indicator(team.id, "F2", "Tvangshændelser", kind="follow")
    workspace.add_measurement(team.id, "F2", "2022-01", value=3)
    with example_plugin("register_report_sections") as (_, plugins):
        section_ = plugins.report_section("syd-municipal")
        context = ReportContext(workspace=workspace, team=team, period_from="2022-01", period_to="2022-12")
        text = section_.run(context)
    assert text.splitlines() == [
        "| Indikator | Navn | I alt |",
        "|---|---|---|",
        "| F2 | Tvangshændelser | < 5 |",
    ]


def test_the_command_and_event_examples(workspace, capsys) -> None:
    with example_plugin("register_commands") as (_, plugins):
        group = click.Group()
        plugins.add_cli_commands(group)
    assert "syd-missing" in group.commands
    with example_plugin("on_event") as (_, plugins):
        plugins.emit("signal_appeared", {"team": "t", "indicator": "R1", "period": "2022-05"}, workspace)
        assert plugins.errors == []


def test_the_population_and_instrument_examples() -> None:
    with example_plugin("register_populations") as (_, plugins):
        population = plugins.population("vordingborg-voksne")
    assert (population.min_age, population.wards) == (18, ["P1", "P2"])
    with example_plugin("register_instruments") as (_, plugins):
        assert plugins.instrument("syd-teamklima").key == "syd-teamklima@1.0"


def test_the_tutorials_importer_reads_the_tutorials_file(tmp_path: Path) -> None:
    tutorial = section("1. Tutorial")
    step = tutorial[tutorial.index("### Step 4") : tutorial.index("### Step 5")]
    (sample,) = re.findall(r"```text\n(Måned;.*?)```", step, flags=re.S)
    (code,) = python_blocks(step)
    path = tmp_path / "januar.csv"
    path.write_text(textwrap.dedent(sample), encoding="utf-8")
    with as_module(code, "docs_tutorial_importer") as module:
        plugins = load_plugins(extra=[("pdsa-region-syd", module)], include_entry_points=False)
        assert plugins.errors == []
        result = plugins.importer("region-syd-monthly-csv").run(path, team=Team(id="syd", name="Team Syd"))
    assert [(m.indicator, m.period, m.value, m.numerator, m.denominator) for m in result.measurements] == [
        ("B1", "2022-01", 4.0, None, None),
        ("B2", "2022-01", None, 3.0, 4.0),
        ("B1", "2022-02", 2.0, None, None),
    ]


def test_the_tutorials_indicator_set_and_every_block_compiles() -> None:
    tutorial = section("1. Tutorial")
    for number, block in enumerate(python_blocks(TEXT)):
        compile(block, f"docs/plugins.md block {number}", "exec")
    step = tutorial[tutorial.index("### Step 3") : tutorial.index("### Step 4")]
    (code,) = python_blocks(step)
    with as_module(code, "docs_tutorial_set") as module:
        plugins = load_plugins(extra=[("tutorial-set", module)], include_entry_points=False)
    assert plugins.errors == []
    assert [d.code for d in plugins.indicator_set("region-syd-baelte").indicators] == ["B1", "B2"]


def test_the_public_api_is_documented() -> None:
    api = section("3. The public API")
    missing = [name for name in pdsa_core.__all__ if f"`{name}" not in api]
    assert missing == [], f"docs/plugins.md section 3 does not describe {missing}"


def test_the_compatibility_policy_is_stated_in_the_guide_and_the_hookspecs() -> None:
    policy = section("5. Compatibility policy")
    assert "Hooks only ever gain arguments" in policy
    assert "hooks only ever gain arguments" in hookspecs.__doc__
