"""The import screen: choose a file, guessed mapping, fix a column, preview, row errors, import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input, Static
from tui_helpers import settle, text_of

from pdsa_core.importing import service as imports
from tui.app import PdsaApp
from tui.screens.importing import ImportScreen

pytestmark = pytest.mark.anyio

CSV = (
    "Måned;R1;Tvangshændelser i alt;Kommentar\n"
    "2024-01;4;21;ok\n"
    "2024-02;3;19;\n"
    "2024-03;x;25;fejl\n"
    "2023-12;1;22;\n"
)


def _column(table: DataTable[Any], index: int) -> list[str]:
    return [str(table.get_row_at(i)[index]) for i in range(table.row_count)]


async def test_import_a_table_with_a_fix_and_a_bad_row(
    tui_workspace: Any, plugins: Any, tmp_path: Path
) -> None:
    ws = tui_workspace
    data = tmp_path / "tvang_2024.csv"
    data.write_text(CSV, encoding="utf-8")
    app = PdsaApp(ws, plugins)
    async with app.run_test(size=(110, 34)) as pilot:
        await pilot.press("5")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        assert "Press o to choose" in text_of(screen.query_one("#imp-summary", Static))
        # choose the file by typing its path in the file picker
        await pilot.press("o")
        await pilot.pause()
        app.screen.query_one("#file-path", Input).value = str(data)
        await pilot.press("tab")
        app.screen.query_one("#file-path", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        mapping = screen.query_one("#imp-mapping", DataTable)
        assert _column(mapping, 0) == ["Måned", "R1", "Tvangshændelser i alt", "Kommentar"]
        assert _column(mapping, 1) == ["month", "R1", "not read", "not read"]
        summary = text_of(screen.query_one("#imp-summary", Static))
        assert "4 rows read" in summary and "columns guessed" in summary
        assert "2 new, 0 changed, 1 unchanged" in summary and "1 row errors" in summary
        errors = screen.query_one("#imp-errors", DataTable)
        assert [str(c) for c in errors.get_row_at(0)] == ["4", "R1", "not a number: 'x'"]
        # fix the mapping: the third column is F2
        mapping.focus()
        mapping.move_cursor(row=2)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*"F2", "enter")
        await settle(pilot)
        assert _column(mapping, 1)[2] == "F2"
        summary = text_of(screen.query_one("#imp-summary", Static))
        assert "5 new, 0 changed, 2 unchanged" in summary
        preview = screen.query_one("#imp-preview", DataTable)
        assert ["F2", "2024-01", "", "21", "new"] in [
            [str(c) for c in preview.get_row_at(i)] for i in range(5)
        ]
        # import: the bad row is skipped only after asking; the mapping is saved for next month
        await pilot.press("i")
        await pilot.pause()
        assert "1 rows cannot be read" in text_of(app.screen.query_one(".dialog-text", Static))
        await pilot.press("y")
        await settle(pilot)
        app.screen.query_one("#field-save_as", Input).value = "maanedlig"
        await pilot.press("ctrl+s")
        await settle(pilot)
        f2 = {m.period: m.value for m in ws.measurements(app.team_id, "F2")}
        r1 = {m.period: m.value for m in ws.measurements(app.team_id, "R1")}
        assert (f2["2024-01"], f2["2024-03"], r1["2024-02"]) == (21, 25, 3)
        assert "2024-03" not in r1
        assert ws.measurements(app.team_id, "F2")[-1].source_file == "tvang_2024.csv"
        assert "maanedlig" in imports.saved_mappings(ws, app.team_id)
        assert any("Imported: 5 new" in n.message for n in app._notifications)
        # read again after the import: everything is there, the saved mapping is used
        summary = text_of(screen.query_one("#imp-summary", Static))
        assert "saved mapping 'maanedlig'" in summary and "0 new, 0 changed, 7 unchanged" in summary


async def test_an_unreadable_file_is_a_message(tui_workspace: Any, plugins: Any, tmp_path: Path) -> None:
    app = PdsaApp(tui_workspace, plugins)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("5")
        await settle(pilot)
        screen = app.screen
        screen.path = str(tmp_path / "gone.csv")
        screen.action_reload()
        await settle(pilot)
        assert any("no such file" in n.message for n in app._notifications)
        assert "no such file" in text_of(screen.query_one("#imp-summary", Static))
