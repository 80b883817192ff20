"""The import screen reads every kind of file the CLI reads: event extracts and plugin importers.

Driven with Textual's Pilot as a tovholder would: choose the kind of file (the key ``k``,
or the selector at the top), the population or the importer's options (``p``), the file
(``o``), look at the preview and import (``i``).
"""

from __future__ import annotations

import random
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from textual.widgets import DataTable, Input, Select, Static
from tui_helpers import settle, text_of

from pdsa_cli import build_cli
from pdsa_core import hookimpl
from pdsa_core.extension_types import Importer, ImportResult, Parameter
from pdsa_core.importing import Population
from pdsa_core.importing import service as imports
from pdsa_core.plugins import load_plugins
from pdsa_core.services.indicators import MeasurementInput
from pdsa_core.workspace import Workspace
from tests.importing.helpers import event, write_extract
from tui.app import PdsaApp
from tui.dialogs.common import ChoiceDialog, ConfirmDialog, FormDialog
from tui.screens.importing import ImportScreen

pytestmark = pytest.mark.anyio


def cpr_numbers(count: int, seed: int = 2023) -> list[str]:
    """Synthetic CPR-shaped numbers (valid dates, random last four digits)."""
    rng = random.Random(seed)
    numbers: set[str] = set()
    while len(numbers) < count:
        day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(40, 99)
        numbers.add(f"{day:02d}{month:02d}{year:02d}-{rng.randint(0, 9999):04d}")
    return sorted(numbers)


def extract_rows(persons: list[str]) -> list[tuple[object, ...]]:
    """Three months of coercion events: some persons many times a month, some outside the population."""
    rng = random.Random(5)
    rows = []
    for month in (10, 11, 12):
        for person in rng.sample(persons, 8):
            written = person if rng.random() < 0.5 else person.replace("-", "")
            for _ in range(rng.randint(1, 3)):
                day = rng.choice([1, 14, 28, 30, 31 if month != 11 else 30])
                kind = rng.choice(["Tvangsindlæggelse", "Bæltefiksering", "Fastholdelse"])
                rows.append(
                    event(
                        written,
                        f"{day:02d}.{month:02d}.2023 {rng.randint(0, 23):02d}:15",
                        kind,
                        municipality=rng.choice(["Vordingborg", "Vordingborg", "Næstved"]),
                        age=rng.choice([15, 34, 52, 71]),
                    )
                )
    return rows


async def _choose_file(pilot: Any, path: Path) -> None:
    await pilot.press("o")
    await pilot.pause()
    pilot.app.screen.query_one("#file-path", Input).value = str(path)
    pilot.app.screen.query_one("#file-path", Input).focus()
    await pilot.press("enter")
    await settle(pilot)


async def _choose(pilot: Any, text: str) -> None:
    """Pick the line of a choice dialog by typing part of it."""
    assert isinstance(pilot.app.screen, ChoiceDialog)
    pilot.app.screen.query_one("#choice-filter", Input).value = text
    await pilot.pause()
    await pilot.press("enter")
    await settle(pilot)


def _rows(table: DataTable[Any]) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def _notes(app: Any) -> str:
    return "\n".join(n.message for n in app._notifications)


async def test_an_event_extract_gives_what_the_cli_gives_and_no_cpr_is_kept(
    tui_workspace: Any, plugins: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = tui_workspace
    team = ws.team("Psykiatrien Syd, Vordingborg")
    ws.add_indicator(team.id, "R2", "Tvangsindlæggelser")
    ws.add_indicator(team.id, "F1", "Personer udsat for tvang")
    adults = Population(min_age=18, municipalities=["Vordingborg"])
    imports.save_event_settings(ws, team.id, population=("unge", Population(max_age=17)))
    imports.save_event_settings(ws, team.id, population=("voksne", adults))
    ws.update_team_settings(team.id, default_population=None)  # two populations, none the default
    persons = cpr_numbers(14)
    path = write_extract(tmp_path / "udtraek_q4.csv", extract_rows(persons))
    # the same workspace, for the command line to import the same file into
    cli_copy = tmp_path / "cli" / "ws.json"
    cli_copy.parent.mkdir()
    shutil.copy(tmp_path / "ws.json", cli_copy)

    app = PdsaApp(ws, plugins)
    async with app.run_test(size=(110, 36)) as pilot:
        await pilot.press("5")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ImportScreen) and app.team_id == team.id
        await pilot.press("k")
        await pilot.pause()
        await _choose(pilot, "Event extract")
        assert screen.query_one("#imp-kind", Select).value == "events"
        assert "one row per coercion event" in text_of(screen.query_one("#imp-summary", Static))
        # no default population: the screen asks which one before reading
        await _choose_file(pilot, path)
        assert "Choose the population" in _notes(app)
        await _choose(pilot, "voksne")
        summary = text_of(screen.query_one("#imp-summary", Static))
        assert "rows read" in summary and "(population 'voksne')" in summary
        assert "outside the population" in summary and "concentration" in summary
        details = text_of(screen.query_one("#imp-details", Static))
        assert "Months: 2023-10 – 2023-12 (3)" in details
        assert "Outside the population:" in details and "age outside the age band" in details
        assert "other municipality of residence" in details
        assert "Concentration: the" in details and "most affected persons" in details
        preview = _rows(screen.query_one("#imp-preview", DataTable))
        assert {row[0] for row in preview if row[0]} == {"R1", "R2", "F1", "F2"}
        assert any(row[4] == "changes" for row in preview)  # R1 and F2 had values for these months
        assert not screen.query_one("#imp-errors", DataTable).row_count
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert "Imported:" in _notes(app)
        assert "The population 'voksne' is saved as the team's default" in _notes(app)
        assert "0 new, 0 changed" in text_of(screen.query_one("#imp-summary", Static))
        shown = "\n".join(text_of(w) for w in screen.query(Static)) + _notes(app)

    monkeypatch.setenv("PDSA_LOAD_PLUGINS", "")  # only the built-in plugins, as in the app above
    result = CliRunner().invoke(
        build_cli(),
        [
            "--workspace",
            str(cli_copy),
            "--lang",
            "en",
            "import",
            "events",
            str(path),
            "--team",
            team.name,
            "--population",
            "voksne",
            "--yes",
        ],
    )
    assert result.exit_code == 0, result.output
    by_cli = Workspace.open(cli_copy)
    for code in ("R1", "R2", "F1", "F2"):
        tui_values = {m.period: (m.value, m.source) for m in ws.measurements(team.id, code)}
        cli_values = {m.period: (m.value, m.source) for m in by_cli.measurements(team.id, code)}
        assert tui_values == cli_values, code
        assert tui_values["2023-12"][1] == "event extract"
    assert ws.team_settings(team.id)["default_population"] == "voksne"
    assert imports.import_choice(ws, team.id)["kind"] == "events"
    # no CPR number (nor its ten digits) in the workspace folder or on the screen
    needles = [form for person in persons for form in (person, person.replace("-", ""))]
    for file in (tmp_path / "ws.json").parent.glob("ws.json*"):
        data = file.read_bytes()
        assert not [n for n in needles if n.encode() in data], file
    assert not [n for n in needles if n in shown]


def _force_export(path: Path) -> Path:
    path.write_bytes(
        (
            "dato;bosted;type;borger\r\n"
            "03.01.2022;Bostedet Solhøj;Fastholdelse;010190-1234\r\n"
            "20.01.2022;Bostedet Solhøj;Fastholdelse;0101901234\r\n"
            "31.01.2022;Engvej 4;Fastholdelse;020285-2345\r\n"
            "02.02.2022;Bostedet Solhøj;Fastholdelse;020285-2345\r\n"
        ).encode("cp1252")
    )
    return path


async def test_a_municipal_force_export_through_the_municipal_importer(
    tui_workspace: Any, plugins: Any, tmp_path: Path
) -> None:
    ws = tui_workspace
    app = PdsaApp(ws, plugins)
    async with app.run_test(size=(110, 36)) as pilot:
        await pilot.press("5")
        await settle(pilot)
        screen = app.screen
        for code in ("F3", "F4"):
            ws.add_indicator(app.team_id, code, f"Indikator {code}")
        # the visible selector lists the importers by name
        select = screen.query_one("#imp-kind", Select)
        labels = [str(label) for label, _ in select._options]
        assert "Force registrations from a municipality's export (F3/F4)" in labels
        assert "Measurement table (CSV or Excel)" not in labels  # the table kind reads those
        select.value = "importer:municipal-force"
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormDialog)
        form.query_one("#field-bosted", Input).value = "Bostedet Solhøj"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "bosted=Bostedet Solhøj" in text_of(screen.query_one("#imp-setting", Static))
        await _choose_file(pilot, _force_export(tmp_path / "magtanvendelser.csv"))
        summary = text_of(screen.query_one("#imp-summary", Static))
        assert "Force registrations from a municipality's export (F3/F4): 4 rows read" in summary
        assert "4 new, 0 changed, 0 unchanged" in summary
        details = text_of(screen.query_one("#imp-details", Static))
        assert "Options: bosted=Bostedet Solhøj" in details and "Per bosted" in details
        assert "2022-01                1/2" in details, details
        assert "010190" not in details + summary
        await pilot.press("i")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
    f3 = {m.period: m.value for m in ws.measurements(app.team_id, "F3")}
    f4 = {m.period: m.value for m in ws.measurements(app.team_id, "F4")}
    assert f3 == {"2022-01": 1, "2022-02": 1} and f4 == {"2022-01": 2, "2022-02": 1}
    assert ws.measurements(app.team_id, "F4")[0].source_file == "magtanvendelser.csv"
    choice = imports.import_choice(ws, app.team_id)
    assert choice["kind"] == "importer" and choice["importer"] == "municipal-force"
    assert choice["options"]["municipal-force"] == {"bosted": "Bostedet Solhøj"}


class _RegionImporter:
    """A region's importer with a required option (the other system's extract)."""

    @hookimpl
    def register_importers(self, register: Any) -> None:
        def read(path: Path, options: dict[str, str]) -> ImportResult:
            second = Path(options["second_file"])
            count = int(path.read_text(encoding="utf-8")) + int(second.read_text(encoding="utf-8"))
            return ImportResult(
                measurements=(MeasurementInput("R1", options["month"], value=count),), source="test splice"
            )

        register(
            Importer(
                id="test-splice",
                name_da="Test: to udtræk som én serie",
                name_en="Test: two extracts as one series",
                description="Adds the counts of two files.",
                read=read,
                options=(
                    Parameter(name="second_file", required=True, description="the other system's file"),
                    Parameter(name="month", default="2024-01", description="the month"),
                ),
            )
        )


async def test_a_required_option_left_empty_is_refused_with_a_clear_message(
    tui_workspace: Any, tmp_path: Path
) -> None:
    plugins = load_plugins(extra=[("test-splice", _RegionImporter())], include_entry_points=False)
    first, second = tmp_path / "gammel.csv", tmp_path / "ny.csv"
    first.write_text("3\n", encoding="utf-8")
    second.write_text("4\n", encoding="utf-8")
    app = PdsaApp(tui_workspace, plugins)
    async with app.run_test(size=(110, 36)) as pilot:
        await pilot.press("5")
        await settle(pilot)
        screen = app.screen
        await pilot.press("k")
        await pilot.pause()
        await _choose(pilot, "two extracts")
        form = app.screen
        assert isinstance(form, FormDialog)
        await pilot.press("ctrl+s")  # second_file left empty
        await settle(pilot)
        message = "Test: two extracts as one series needs the option: second_file (the other system's file)"
        assert message in _notes(app)
        assert app.screen is form  # the form stays open with what was typed
        await pilot.press("escape")
        await settle(pilot)
        # a file chosen without the option: refused again, nothing read, the form asks for it
        await _choose_file(pilot, first)
        assert screen.plan is None and isinstance(app.screen, FormDialog)
        app.screen.query_one("#field-second_file", Input).value = str(second)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "1 new" in text_of(screen.query_one("#imp-summary", Static))
        assert _rows(screen.query_one("#imp-preview", DataTable))[0][:4] == ["R1", "2024-01", "", "7"]


@pytest.mark.slow
async def test_the_kind_of_file_chosen_last_is_remembered_for_the_team(
    tui_workspace: Any, plugins: Any
) -> None:
    ws = tui_workspace
    app = PdsaApp(ws, plugins)
    async with app.run_test(size=(110, 36)) as pilot:
        await pilot.press("5")
        await settle(pilot)
        screen = app.screen
        first = app.team_id
        assert screen.query_one("#imp-kind", Select).value == "table"
        await pilot.press("k")
        await pilot.pause()
        await _choose(pilot, "Event extract")
        other = next(team.id for team in ws.teams() if team.id != first)
        app.set_team(other)
        await settle(pilot)
        assert screen.query_one("#imp-kind", Select).value == "table"  # the other team never chose
        app.set_team(first)
        await settle(pilot)
        assert screen.query_one("#imp-kind", Select).value == "events"
        assert screen.query_one("#imp-settings").display
    again = PdsaApp(ws, plugins)
    async with again.run_test(size=(110, 36)) as pilot:
        again.set_team(first)
        await pilot.press("5")
        await settle(pilot)
        screen = again.screen
        assert screen.query_one("#imp-kind", Select).value == "events"
        assert "one row per coercion event" in text_of(screen.query_one("#imp-summary", Static))
        # the kind is also in the palette: back to measurement tables
        await pilot.press("ctrl+p")
        await pilot.pause()
        again.screen.query_one(Input).value = "Import: Kind of file"
        await settle(pilot)  # the palette's search runs in a worker: wait for it, not for a fixed time
        await pilot.press("enter")
        await settle(pilot)
        await _choose(pilot, "Measurement table")
        assert screen.query_one("#imp-kind", Select).value == "table"
    assert imports.import_choice(ws, first)["kind"] == "table"


async def test_reading_runs_in_a_worker_with_the_file_named_and_the_screen_answers(
    tui_workspace: Any, plugins: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "tvang_2024.csv"
    data.write_text("Måned;R1\n2024-01;4\n", encoding="utf-8")
    release = threading.Event()
    read_file = imports.read_file

    def slow_read(*args: Any, **kwargs: Any) -> Any:
        release.wait(10)
        return read_file(*args, **kwargs)

    monkeypatch.setattr(imports, "read_file", slow_read)
    app = PdsaApp(tui_workspace, plugins)
    async with app.run_test(size=(110, 36)) as pilot:
        await pilot.press("5")
        await settle(pilot)
        screen = app.screen
        try:
            screen.path = str(data)
            screen.action_reload()
            for _ in range(250):  # the worker names the file at once; wait for that, no longer
                await pilot.pause(0.02)
                reading = text_of(screen.query_one("#imp-summary", Static))
                if reading.startswith("Reading"):
                    break
            assert reading.startswith("Reading tvang_2024.csv (0.0 MB) as Measurement table (CSV/Excel) …")
            await pilot.press("k")  # the screen answers while the file is read
            await pilot.pause()
            assert isinstance(app.screen, ChoiceDialog)
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("i")  # nothing to import yet: ignored, no error
            await pilot.pause()
            assert app.screen is screen and screen.loading
        finally:
            release.set()
        await settle(pilot)
        assert not screen.loading
        assert "1 new, 0 changed" in text_of(screen.query_one("#imp-summary", Static))


@pytest.mark.slow
async def test_an_extract_with_a_bad_row_is_imported_only_after_asking_and_a_wrong_file_is_a_message(
    tui_workspace: Any, plugins: Any, tmp_path: Path
) -> None:
    ws = tui_workspace
    team = ws.team("Psykiatrien Syd, Vordingborg")
    imports.save_import_choice(ws, team.id, "events", population="all")
    rows = [
        event("010190-1234", "02.01.2024 10:00", "Tvangsindlæggelse", municipality="Vordingborg"),
        event("010190-1234", "31.01.2024 23:59", "Bæltefiksering", municipality="Vordingborg"),
        event("020285-2345", "32.01.2024 10:00", "Bæltefiksering", municipality="Vordingborg"),
        event("030375-3456", "15.01.2024 08:00", "Tvangsindlæggelse", municipality="Vordingborg"),
    ]
    extract = write_extract(tmp_path / "januar.csv", rows)
    wrong = tmp_path / "tvang.csv"
    wrong.write_text("Måned;R1\n2024-01;4\n", encoding="utf-8")
    app = PdsaApp(ws, plugins)
    async with app.run_test(size=(110, 36)) as pilot:
        await pilot.press("5")
        await settle(pilot)
        screen = app.screen
        assert screen.query_one("#imp-kind", Select).value == "events"
        assert text_of(screen.query_one("#imp-setting", Static)) == "all"
        # a measurement table read as an extract: a message naming what is missing, no traceback
        await _choose_file(pilot, wrong)
        assert screen.plan is None and "tvang.csv: the extract lacks the column(s) 'cpr'" in _notes(app)
        assert "tvang.csv" in text_of(screen.query_one("#imp-summary", Static))
        await _choose_file(pilot, extract)
        errors = _rows(screen.query_one("#imp-errors", DataTable))
        assert errors == [["4", "tidspunkt", "not a valid timestamp (use e.g. 15.03.2022 14:35)"]]
        assert "020285" not in str(errors)
        await pilot.press("i")
        await pilot.pause()
        assert "1 rows cannot be read" in text_of(app.screen.query_one(".dialog-text", Static))
        await pilot.press("y")  # skip and import: no second question
        await settle(pilot)
        assert "1 row problems were skipped" in _notes(app)
        assert "saved as the team's default" not in _notes(app)  # 'all' is not a population to save
    r1 = {m.period: m.value for m in ws.measurements(team.id, "R1")}
    f2 = {m.period: m.value for m in ws.measurements(team.id, "F2")}
    assert (r1["2024-01"], f2["2024-01"]) == (2, 3)
