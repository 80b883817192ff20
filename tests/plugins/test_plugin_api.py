"""The typed plugin API: what a plugin receives is typed, documented in docs/plugins.md and real.

- every hook argument has a pdsa type, and the guide's section 9 names the same types;
- the open workspace satisfies the documented ``WorkspaceView`` protocol (same signatures);
- ``on_event`` gets a typed ``change`` beside today's ``event``/``payload`` (old plugins work);
- ``register(item)`` is the one registration shape, populations included (the older
  three-argument population call still works);
- the guide's section 9 example, a plugin written from the guide alone, reaches a team's
  indicators and measurements through ``WorkspaceView``.
"""

from __future__ import annotations

import dataclasses
import inspect
import logging
import re
import typing
from pathlib import Path

import pytest

import pdsa_core
from pdsa_core import (
    Event,
    MeasurementAdded,
    NamedPopulation,
    OtherEvent,
    Population,
    WorkspaceView,
    hookimpl,
    hookspecs,
    load_plugins,
)
from pdsa_core.plugin_api import EVENT_TYPES, event_from
from pdsa_core.workspace import Workspace
from tests.plugins.test_docs import HOOKS, as_module, python_blocks, section

OBJECTS = section("9. Objects a plugin receives")
VIEW_MEMBERS = sorted(name for name in vars(WorkspaceView) if not name.startswith("_"))


def _spec_annotations(hook: str) -> dict[str, str]:
    return dict(getattr(hookspecs, hook).__annotations__)


@pytest.mark.parametrize("hook", [h for h in HOOKS if h.startswith("register_") and h != "register_commands"])
def test_every_register_hook_takes_a_typed_register_and_the_guide_says_which(hook: str) -> None:
    annotation = _spec_annotations(hook)["register"]
    assert re.fullmatch(r"Register\[\w+\]", annotation), f"{hook}: register is typed {annotation!r}"
    item_type = annotation.removeprefix("Register[").removesuffix("]")
    assert hasattr(pdsa_core, item_type), f"{hook}: {item_type} is not exported from pdsa_core"
    assert f"| `{hook}` | `{annotation}` |" in OBJECTS, f"section 9 does not give {hook}'s {annotation}"


def test_the_other_hooks_are_typed_too() -> None:
    assert _spec_annotations("register_commands")["cli"] == "click.Group"
    on_event = _spec_annotations("on_event")
    assert on_event["workspace"] == "WorkspaceView" and on_event["change"] == "Event"
    resolved = typing.get_type_hints(
        hookspecs.on_event, {**vars(hookspecs), **vars(pdsa_core)}, {"WorkspaceView": WorkspaceView}
    )
    assert resolved["change"] is Event


@pytest.mark.parametrize("member", VIEW_MEMBERS)
def test_the_workspace_has_every_member_of_the_view_with_the_same_signature(member: str) -> None:
    assert f"| `{member}" in OBJECTS, f"section 9 does not describe WorkspaceView.{member}"
    documented = getattr(WorkspaceView, member)
    actual = getattr(Workspace, member)
    if isinstance(documented, property):
        assert isinstance(actual, property)
        return
    assert inspect.signature(actual) == inspect.signature(documented), member


def test_an_open_workspace_is_a_workspace_view(workspace) -> None:
    assert isinstance(workspace, WorkspaceView)
    assert not isinstance(object(), WorkspaceView)


@pytest.mark.parametrize("event_type", EVENT_TYPES, ids=lambda c: c.__name__)
def test_every_event_type_is_documented_with_its_fields(event_type: type[Event]) -> None:
    (row,) = [line for line in OBJECTS.splitlines() if line.startswith(f"| `{event_type.__name__}` |")]
    for field in dataclasses.fields(event_type):
        assert f"`{field.name}`" in row, f"section 9 lacks {event_type.__name__}.{field.name}"
    assert f"`{event_type.name}`" in section("on_event", "### "), event_type.name


def test_every_event_pdsa_emits_has_a_type(workspace) -> None:
    """The names the workspace emits (read from the source) are exactly the typed events."""
    root = Path(pdsa_core.__file__).parent
    source = "\n".join(p.read_text(encoding="utf-8") for p in root.rglob("*.py"))
    # ws.emit("x", ...) or a bound emit("x", ...) (the import's write loop binds it once)
    emitted = set(re.findall(r"\bemit\(\s*\"(\w+)\"", source)) | set(
        re.findall(r"_emit_now\(\s*\"(\w+)\"", source)
    )
    assert emitted == {cls.name for cls in EVENT_TYPES}


def test_event_from_types_a_payload_and_keeps_unknown_events() -> None:
    change = event_from("measurement_added", {"measurement": {"period": "2022-01"}, "previous": None, "x": 1})
    assert change == MeasurementAdded(measurement={"period": "2022-01"}, previous=None)
    assert change.to_dict() == {"measurement": {"period": "2022-01"}, "previous": None}
    other = event_from("something_new", {"a": 1})
    assert isinstance(other, OtherEvent) and other.to_dict() == {"a": 1} and other.event == "something_new"
    incomplete = event_from("signal_appeared", {"team": "t"})
    assert isinstance(incomplete, OtherEvent)


def test_on_event_gets_a_typed_change_and_old_plugins_still_get_name_and_payload(workspace) -> None:
    seen: dict[str, list[object]] = {"new": [], "old": []}

    class New:
        @hookimpl
        def on_event(self, change, workspace):
            seen["new"].append((change, workspace.indicators(change.measurement["team_id"])[0].code))

    class Old:
        @hookimpl
        def on_event(self, event, payload):
            seen["old"].append((event, payload["measurement"]["period"]))

    plugins = load_plugins(extra=[("new", New()), ("old", Old())], include_entry_points=False)
    team = workspace.add_team("Team Syd")
    workspace.add_indicator(team.id, "R1", "Bæltefikseringer")
    plugins.attach(workspace)
    workspace.add_measurement(team.id, "R1", "2022-01", value=3)
    assert plugins.errors == []
    ((change, code),) = [(c, code) for c, code in seen["new"] if isinstance(c, MeasurementAdded)]
    assert code == "R1" and change.measurement["value"] == 3 and change.previous is None
    assert ("measurement_added", "2022-01") in seen["old"]


def test_populations_register_one_item_and_the_older_call_still_works() -> None:
    population = Population(min_age=18, wards=["P1"])

    class New:
        @hookimpl
        def register_populations(self, register):
            register(NamedPopulation(id="ny-form", population=population, description="Voksne på P1."))

    class Old:
        @hookimpl
        def register_populations(self, register):
            register("gammel-form", population, "Voksne på P1.")

    plugins = load_plugins(extra=[("new", New()), ("old", Old())], include_entry_points=False)
    assert plugins.errors == []
    for key in ("ny-form", "gammel-form"):
        assert plugins.population(key) == population
        assert plugins.population_description(key) == "Voksne på P1."


def test_a_wrong_named_population_is_refused_with_the_plugin_name() -> None:
    class Wrong:
        @hookimpl
        def register_populations(self, register):
            register(NamedPopulation(id="Ugyldig Id", population=Population(), description=""))

    plugins = load_plugins(extra=[("wrong", Wrong())], include_entry_points=False)
    assert [e.plugin for e in plugins.errors] == ["wrong"]
    assert "population refused" in plugins.errors[0].message


# -- the guide's own example, a plugin written from docs/plugins.md alone --------------------------------
def test_the_guides_example_reads_a_teams_indicators_and_measurements(cli, workspace_path, caplog) -> None:
    (code,) = python_blocks(OBJECTS)
    assert "WorkspaceView" in code and "dir(" not in code
    assert cli("init").exit_code == 0
    ws = Workspace.open(workspace_path)
    team = ws.add_team("Psykiatrien Syd")
    ws.add_indicator(team.id, "R1", "Bæltefikseringer")
    ws.add_indicator(team.id, "R2", "Tvangsmedicinering")
    ws.add_measurement(team.id, "R1", "2022-01", value=4)
    ws.add_measurement(team.id, "R1", "2022-02", value=2)
    with as_module(code, "docs_example_objects") as module:
        with pdsa_core.temporary_plugin(module, "syd-latest"):
            result = cli("syd-latest", "--team", "psykiatrien syd")
            plugins = load_plugins(include_entry_points=False)
            assert plugins.errors == []
            with caplog.at_level(logging.INFO, logger="pdsa_syd"):
                plugins.emit(
                    "signal_appeared",
                    {"team": team.id, "indicator": "R1", "period": "2022-02", "verdict": {}},
                    ws,
                )
            assert plugins.errors == []
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Psykiatrien Syd",
        "R1 Bæltefikseringer: 2022-02 2.0",
        "R2 Tvangsmedicinering: -",
    ]
    assert f"Signal: {team.id} R1 in 2022-02 (2 months)" in caplog.messages


def test_the_lazy_exports_have_their_real_types_for_a_type_checker() -> None:
    """``from pdsa_core import RuleSet`` is a class to mypy too, not the ``object`` of ``__getattr__``."""
    import ast

    tree = ast.parse(Path(pdsa_core.__file__).read_text(encoding="utf-8"))
    for_checkers = {
        alias.asname or alias.name
        for node in tree.body
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"
        for statement in node.body
        if isinstance(statement, ast.ImportFrom)
        for alias in statement.names
    }
    assert set(pdsa_core._LAZY) <= for_checkers, sorted(set(pdsa_core._LAZY) - for_checkers)
