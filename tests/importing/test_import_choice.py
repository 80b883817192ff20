"""The kind of file a team imports is remembered; an importer's options are checked before reading."""

from __future__ import annotations

from typing import Any

import pytest

from pdsa_core import hookimpl
from pdsa_core.errors import NotFoundError, ValidationError
from pdsa_core.extension_types import Importer, ImportResult, Parameter
from pdsa_core.i18n import set_language
from pdsa_core.importing import service as imports
from pdsa_core.plugins import load_plugins

TEAM = "Psykiatrien Syd"


class _SpliceImporter:
    """A region's importer with a required option, written the way a plugin would."""

    @hookimpl
    def register_importers(self, register: Any) -> None:
        register(
            Importer(
                id="test-splice",
                name_da="Test: to udtræk til én serie",
                name_en="Test: two extracts as one series",
                read=lambda path, options: ImportResult(),
                options=(
                    Parameter(name="new_file", required=True, description="the new system's extract"),
                    Parameter(name="switch_date", required=True),
                    Parameter(name="note", default="skift"),
                ),
            )
        )


@pytest.fixture()
def ws(workspace: Any) -> Any:
    workspace.add_team(TEAM)
    workspace.add_team("Regionspsykiatrien Midt")
    return workspace


@pytest.fixture()
def plugins() -> Any:
    return load_plugins(extra=[("test-splice", _SpliceImporter())], include_entry_points=False)


def test_a_team_that_never_chose_imports_measurement_tables(ws: Any) -> None:
    assert imports.import_choice(ws, TEAM) == {
        "kind": "table",
        "importer": None,
        "options": {},
        "population": None,
    }


def test_the_choice_is_remembered_per_team_with_each_importers_options(ws: Any) -> None:
    imports.save_import_choice(ws, TEAM, "importer", importer="municipal-force", options={"bosted": "Solhøj"})
    imports.save_import_choice(ws, TEAM, "events", population="voksne")
    choice = imports.import_choice(ws, TEAM)
    assert choice == {
        "kind": "events",
        "importer": "municipal-force",
        "options": {"municipal-force": {"bosted": "Solhøj"}},
        "population": "voksne",
    }
    imports.save_import_choice(ws, TEAM, "importer")  # back to the importer: its options are kept
    assert imports.import_choice(ws, TEAM)["kind"] == "importer"
    assert imports.import_choice(ws, TEAM)["options"]["municipal-force"] == {"bosted": "Solhøj"}
    assert imports.import_choice(ws, "Regionspsykiatrien Midt")["kind"] == "table"


def test_a_bad_choice_is_refused_and_a_damaged_one_read_as_tables(ws: Any) -> None:
    with pytest.raises(ValidationError, match="one of table, events, importer"):
        imports.save_import_choice(ws, TEAM, "spreadsheet")
    with pytest.raises(ValidationError, match="name the importer"):
        imports.save_import_choice(ws, TEAM, "importer")
    with pytest.raises(ValidationError, match="CPR"):
        imports.save_import_choice(
            ws, TEAM, "importer", importer="municipal-force", options={"borger": "010190-1234"}
        )
    with pytest.raises(NotFoundError):
        imports.save_import_choice(ws, "No such team", "events")
    team = ws.team(TEAM)
    ws.update_team_settings(team.id, import_choice={"kind": "importer", "options": "x", "population": 3})
    assert imports.import_choice(ws, TEAM)["kind"] == "table"
    ws.update_team_settings(team.id, import_choice=["events"])
    assert imports.import_choice(ws, TEAM)["kind"] == "table"


def test_importer_options_refuse_empty_required_ones_naming_them(plugins: Any) -> None:
    with pytest.raises(ValidationError) as info:
        imports.importer_options(plugins, "test-splice", {"new_file": "  ", "switch_date": "", "note": ""})
    assert info.value.message == (
        "Test: two extracts as one series needs these options: "
        "new_file (the new system's extract); switch_date"
    )
    set_language("da")
    try:
        assert str(info.value).startswith("Test: to udtræk til én serie: udfyld tilvalgene new_file")
    finally:
        set_language(None)
    with pytest.raises(ValidationError, match="needs the option: switch_date"):
        imports.importer_options(plugins, "test-splice", {"new_file": "ny.csv"})
    with pytest.raises(ValidationError, match="has no option colour"):
        imports.importer_options(plugins, "test-splice", {"colour": "red"})
    given = {"new_file": " ny.csv ", "switch_date": "2022-03-25", "note": ""}
    assert imports.importer_options(plugins, "test-splice", given) == {
        "new_file": "ny.csv",
        "switch_date": "2022-03-25",
    }
    with pytest.raises(NotFoundError):
        imports.importer_options(plugins, "no-such-importer", {})
