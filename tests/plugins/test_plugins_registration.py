"""What the core does with registrations: validation, copies, de-duplication, clear errors."""

from __future__ import annotations

from typing import Any

import pytest

from pdsa_core import (
    DataSource,
    DiagramTemplate,
    Importer,
    ImportResult,
    IndicatorDefinition,
    IndicatorSet,
    ReportSection,
    SourceResult,
    TemplateNode,
    hookimpl,
    load_plugins,
)
from pdsa_core.importing.events import Population


def load(*plugins: tuple[str, object]) -> Any:
    return load_plugins(extra=list(plugins), include_entry_points=False)


def messages(plugins: Any, name: str) -> list[str]:
    return [f"{f.stage}: {f.message}" for f in plugins.errors if f.plugin == name]


def a_set(set_id: str = "my-set", code: str = "X1") -> IndicatorSet:
    return IndicatorSet(
        id=set_id, name_da="Mit sæt", indicators=[IndicatorDefinition(code=code, name_da="X")]
    )


def read(path, *, team, options):  # noqa: ANN001, ARG001 - an importer's read for the tests
    return ImportResult()


# -- hook signatures ---------------------------------------------------------------------------------
def test_a_wrong_argument_name_is_refused_by_pluggy_with_the_hooks_arguments() -> None:
    class Wrong:
        @hookimpl
        def register_indicator_sets(self, registr):  # noqa: ANN001
            registr(a_set())

    plugins = load(("wrong", Wrong()))
    (message,) = messages(plugins, "wrong")
    assert message.startswith("hooks: Plugin 'wrong' for hook 'register_indicator_sets'")
    assert "registr" in message and message.endswith("(the hook takes: register)")
    assert plugins.info["wrong"].hooks == []
    assert "my-set" not in plugins.items("indicator_sets")


def test_a_misspelt_hook_is_named_with_a_suggestion() -> None:
    class Typo:
        @hookimpl
        def register_indicator_set(self, register):  # noqa: ANN001
            register(a_set())

        @hookimpl
        def register_importers(self, register):  # noqa: ANN001
            register(Importer(id="typo-importer", name_da="X", read=read))

    plugins = load(("typo", Typo()))
    assert messages(plugins, "typo") == [
        "hooks: register_indicator_set is not a pdsa hook (did you mean register_indicator_sets?)"
    ]
    assert plugins.info["typo"].hooks == ["register_importers"]
    assert "typo-importer" in plugins.items("importers")


def test_a_register_hook_without_register_and_a_module_without_hooks() -> None:
    class NoArgument:
        @hookimpl
        def register_importers(self):
            return None

    class Nothing:
        def register_importers(self, register):  # noqa: ANN001 - forgot @hookimpl
            register(Importer(id="never", name_da="X", read=read))

    plugins = load(("no-argument", NoArgument()), ("nothing", Nothing()))
    assert messages(plugins, "no-argument") == [
        "hooks: register_importers() must take the argument 'register'"
    ]
    assert messages(plugins, "nothing") == [
        "hooks: no hooks found: decorate the hook functions with @hookimpl from pdsa_core"
    ]


def test_hook_wrappers_are_refused() -> None:
    class Wrapper:
        @hookimpl(wrapper=True)
        def register_indicator_sets(self, register):  # noqa: ANN001
            return (yield)

    plugins = load(("wrapper", Wrapper()))
    assert messages(plugins, "wrapper") == [
        "hooks: register_indicator_sets: hook wrappers are not supported by pdsa"
    ]
    assert plugins.info["wrapper"].hooks == []


def test_a_hook_returning_items_is_told_to_call_register() -> None:
    class Returns:
        @hookimpl
        def register_indicator_sets(self, register):  # noqa: ANN001, ARG002
            return [a_set()]

    plugins = load(("returns", Returns()))
    (message,) = messages(plugins, "returns")
    assert "the hook returned list; call register(item) for each item instead" in message


# -- validation -----------------------------------------------------------------------------------------
class Mixed:
    """One valid item of each kind and one invalid one; the valid ones must survive."""

    @hookimpl
    def register_indicator_sets(self, register):  # noqa: ANN001
        register("not a set")
        register({"id": "from-dict", "name_da": "Fra dict", "indicators": [{"code": "D1", "name_da": "D"}]})
        register(
            IndicatorSet(
                id="Has Spaces", name_da="X", indicators=[IndicatorDefinition(code="X", name_da="X")]
            )
        )
        register(IndicatorSet(id="empty-set", name_da="Tomt"))
        register(
            {"id": "bad-unit", "name_da": "X", "indicators": [{"code": "B1", "name_da": "B", "unit": "kg"}]}
        )
        register(a_set("mixed-set"))

    @hookimpl
    def register_diagram_templates(self, register):  # noqa: ANN001
        register(DiagramTemplate(id="no-drivers", name_da="Tom"))
        register(DiagramTemplate(id="tree", name_da="Træ", drivers=[TemplateNode(text="Primær")]))

    @hookimpl
    def register_importers(self, register):  # noqa: ANN001
        register(object())
        register(Importer(id="mixed-importer", name_da="X", read=read))

    @hookimpl
    def register_data_sources(self, register):  # noqa: ANN001
        register({"id": "dict-source"})
        register(DataSource(id="mixed-source", name_da="X", fetch=lambda: SourceResult()))

    @hookimpl
    def register_populations(self, register):  # noqa: ANN001
        register("mixed-population", {"min_age": 18}, "a dict is not a Population")
        register("ok-population", Population(min_age=18), "Voksne")

    @hookimpl
    def register_rule_sets(self, register):  # noqa: ANN001
        class NoEvaluate:
            id = "no-evaluate"

        register(NoEvaluate())

    @hookimpl
    def register_report_sections(self, register):  # noqa: ANN001
        register(ReportSection(id="mixed-section", title_da="Afsnit", render=lambda context: "tekst"))


def test_invalid_items_are_refused_and_valid_ones_kept() -> None:
    plugins = load(("mixed", Mixed()))
    assert messages(plugins, "mixed") == [
        "register_indicator_sets: indicator set refused: expected an IndicatorSet, got str",
        "register_indicator_sets: indicator set refused: indicator set id must be lower case letters, "
        "digits, '.', '-' or '_' (at most 80, e.g. lkt-tvang-voksen); got 'Has Spaces'",
        "register_indicator_sets: indicator set refused: indicator set empty-set has no indicators",
        "register_indicator_sets: indicator set refused: unit must be one of count, proportion, rate; "
        "got 'kg'",
        "register_diagram_templates: diagram template refused: diagram template no-drivers has no drivers",
        "register_importers: importer refused: expected Importer(...) from pdsa_core, got object",
        "register_data_sources: data source refused: expected DataSource(...) from pdsa_core, got dict",
        "register_populations: population refused: population mixed-population must be a Population, "
        "got dict",
        "register_rule_sets: rule set refused: rule set no-evaluate has no evaluate(chart_result) method",
    ]
    assert plugins.info["mixed"].to_dict()["registered"] == {
        "data_sources": ["mixed-source"],
        "diagram_templates": ["tree"],
        "importers": ["mixed-importer"],
        "indicator_sets": ["from-dict", "mixed-set"],
        "populations": ["ok-population"],
        "report_sections": ["mixed-section"],
    }
    assert plugins.importer("mixed-importer").plugin == "mixed"
    assert plugins.report_section("mixed-section").plugin == "mixed"


def test_the_core_keeps_its_own_copy() -> None:
    definitions = [IndicatorDefinition(code="C1", name_da="C")]
    population = Population(min_age=18, municipalities=["Aalborg"])

    class Mutating:
        @hookimpl
        def register_indicator_sets(self, register):  # noqa: ANN001
            register(IndicatorSet(id="copied", name_da="Kopi", indicators=definitions))
            definitions.append(IndicatorDefinition(code="C2", name_da="C2"))

        @hookimpl
        def register_populations(self, register):  # noqa: ANN001
            register("copied-population", population, "")
            population.municipalities.append("Hjørring")

    plugins = load(("mutating", Mutating()))
    assert [d.code for d in plugins.indicator_set("copied").indicators] == ["C1"]
    assert plugins.population("copied-population").municipalities == ["Aalborg"]


# -- duplicates ---------------------------------------------------------------------------------------------
def test_the_first_registration_of_an_id_wins() -> None:
    class First:
        @hookimpl
        def register_indicator_sets(self, register):  # noqa: ANN001
            register(a_set("shared", code="F1"))

    class Second:
        @hookimpl
        def register_indicator_sets(self, register):  # noqa: ANN001
            register(a_set("shared", code="S1"))
            register(a_set("only-second"))
            register(a_set("only-second"))

    plugins = load(("first", First()), ("second", Second()))
    assert [d.code for d in plugins.indicator_set("shared").indicators] == ["F1"]
    assert plugins.owner("indicator_sets", "shared") == "first"
    assert messages(plugins, "second") == [
        "register_indicator_sets: indicator set 'shared' is already registered by first",
        "register_indicator_sets: indicator set 'only-second' is already registered by this plugin",
    ]
    assert plugins.info["second"].registered == {"indicator_sets": ["only-second"]}


def test_a_plugin_cannot_replace_a_built_in_rule_set() -> None:
    class Impostor:
        id = "anhoej"
        title_da = title_en = "Falske regler"

        def evaluate(self, result):  # noqa: ANN001, ARG002
            return []

    class Plugin:
        @hookimpl
        def register_rule_sets(self, register):  # noqa: ANN001
            register(Impostor())

    plugins = load(("impostor", Plugin()))
    assert messages(plugins, "impostor") == [
        "register_rule_sets: rule set 'anhoej' is already registered by rule_sets"
    ]
    from pdsa_core.spc import BUILTIN_RULE_SETS

    assert plugins.rule_set("anhoej") is BUILTIN_RULE_SETS["anhoej"]


def test_two_plugins_with_one_name() -> None:
    class One:
        @hookimpl
        def register_indicator_sets(self, register):  # noqa: ANN001
            register(a_set("one"))

    plugins = load(("twin", One()), ("twin", One()))
    assert [str(f) for f in plugins.errors] == [
        "plugin twin: name already in use: a plugin called twin is already loaded (extra); "
        "this one (extra) is ignored"
    ]
    assert plugins.info["twin"].errors == []
    assert "one" in plugins.items("indicator_sets")


def test_lookups_name_what_is_known() -> None:
    from pdsa_core import NotFoundError

    plugins = load(("mixed", Mixed()))
    with pytest.raises(NotFoundError, match=r"no importer 'nope' \(known: measurement-table, mixed-importer"):
        plugins.importer("nope")
    with pytest.raises(NotFoundError, match="no indicator set 'nope'"):
        plugins.indicator_set("nope")
    assert plugins.instrument("musiq").key == "musiq@1.0-equal-weights"
