"""The Excel data template: ``pdsa export --format xlsx`` and ``pdsa import FILE`` round-trip."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from pdsa_cli import build_cli
from pdsa_core.demo import write_demo
from pdsa_core.domain.measurement import measurement_key
from pdsa_core.reports.data_template import data_template
from pdsa_core.workspace import Workspace


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.json"
    write_demo(path)
    return path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(build_cli(), list(args), catch_exceptions=False)
    return result.exit_code, result.output


def stored(ws: Workspace, team: str) -> dict[tuple[str, str], tuple[float | None, ...]]:
    return {
        (i.code, m.period): (m.value, m.numerator, m.denominator)
        for i in ws.indicators(team)
        for m in ws.measurements(team, i.code)
    }


@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_template_round_trips_to_identical_values(demo_file: Path, tmp_path: Path, lang: str) -> None:
    ws = Workspace.open(demo_file)
    for team in [t.id for t in ws.teams()]:
        out = tmp_path / f"{team}-{lang}.xlsx"
        code, text = run("-w", str(demo_file), "--lang", lang, "export", "--format", "xlsx", "--team", team,
                         "-o", str(out))  # fmt: skip
        assert code == 0, text
        # an empty copy of the team: same indicators, no values
        empty = tmp_path / f"empty-{team}-{lang}.json"
        shutil.copy(demo_file, empty)
        copy = Workspace.open(empty)
        with copy.transaction() as tx:  # one write, not one per value
            for code, period in stored(copy, team):
                tx.delete("measurements", measurement_key(team, code, period))
        assert stored(Workspace.open(empty), team) == {}
        code, text = run("-w", str(empty), "--lang", lang, "import", str(out), "--team", team, "--yes")
        assert code == 0, text
        assert stored(Workspace.open(empty), team) == stored(ws, team)


def test_the_sheet_is_months_as_rows_in_danish(demo_file: Path) -> None:
    ws = Workspace.open(demo_file)
    template = data_template(ws, "psykiatrien-syd-vordingborg", period_from="2022-01", period_to="2022-12")
    path = Path(ws.location).with_name("syd.xlsx")
    path.write_bytes(template.content)
    book = load_workbook(path)
    assert book.sheetnames == ["Data", "Indikatorer", "Om filen"]
    rows = list(book["Data"].iter_rows(values_only=True))
    assert rows[0][0] == "Måned" and rows[0][1].startswith("R1 Antal personer")
    assert "V1 tæller" in rows[0] and "V1 nævner" in rows[0]
    assert [r[0] for r in rows[1:]] == [
        f"{m} 2022"
        for m in ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
                  "oktober", "november", "december")
    ]  # fmt: skip
    # a month without a value is an empty cell, never 0
    v3 = rows[0].index("V3 tæller")
    assert all(r[v3] is None for r in rows[1:])
    assert any("Syntetiske data" in str(r[0]) for r in book["Om filen"].iter_rows(values_only=True))


def test_the_export_refuses_what_it_cannot_write(demo_file: Path, tmp_path: Path) -> None:
    code, text = run("-w", str(demo_file), "--lang", "en", "export", "--format", "xlsx", "--team", "x")
    assert code != 0 and "--format xlsx needs --team and --output" in text
    code, text = run("-w", str(demo_file), "--lang", "en", "export", "--format", "xlsx",
                     "--team", "psykiatrien-syd-vordingborg", "-o", str(tmp_path / "data.csv"))  # fmt: skip
    assert code != 0 and "name it '.xlsx'" in text and not (tmp_path / "data.csv").exists()
    code, text = run("-w", str(demo_file), "--lang", "en", "export", "--team", "psykiatrien-syd-vordingborg")
    assert code != 0 and "for --format xlsx" in text
    code, text = run(
        "-w",
        str(demo_file),
        "--lang",
        "en",
        "export",
        "--format",
        "xlsx",
        "--team",
        "psykiatrien-syd-vordingborg",
        "--from",
        "2030-01",
        "-o",
        str(tmp_path / "x.xlsx"),
    )
    assert code != 0 and "before it starts" in text and "Traceback" not in text
