"""The PowerPoint storyboard: an editable deck whose text stays text."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx import Presentation
from pptx.util import Emu

from pdsa_cli import build_cli
from pdsa_core.demo import write_demo
from pdsa_core.reports.progress import cycles_as_of, diagram_as_of, period_end_day, ramps
from pdsa_core.reports.storyboard_pptx import storyboard_pptx
from pdsa_core.workspace import Workspace

SYD = "psykiatrien-syd-vordingborg"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    path = tmp_path_factory.mktemp("demo") / "demo.json"
    write_demo(path)
    return Workspace.open(path)


def texts(deck: Presentation) -> list[str]:
    """Every text of every text frame and table cell, slide by slide."""
    found = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                found.append(shape.text_frame.text)
            if shape.has_table:
                found += [cell.text for row in shape.table.rows for cell in row.cells]
    return found


def test_the_deck_holds_the_aim_every_ramp_the_charts_and_the_period(demo: Workspace) -> None:
    report = storyboard_pptx(demo, SYD, lang="da")
    deck = Presentation(io.BytesIO(report.content))
    shown = texts(deck)
    joined = "\n".join(shown)
    end = report.data["period_to"]
    diagram = diagram_as_of(demo, SYD, period_end_day(end))
    assert diagram.aim in joined
    cycles = cycles_as_of(demo.cycles(SYD), period_end_day(end))
    for ramp in ramps(diagram, cycles, "da"):
        if ramp["idea"]:
            assert ramp["idea"] in joined
        for cycle in ramp["cycles"]:
            assert cycle["title"] in joined
    for node in diagram.nodes:
        assert node.text in joined
    assert "oktober 2022 – september 2023" in joined
    # every slide says the period and that the data are synthetic
    for slide in deck.slides:
        slide_text = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        assert "oktober 2022 – september 2023" in slide_text and "Syntetiske data" in slide_text
    pictures = [s for slide in deck.slides for s in slide.shapes if s.shape_type == 13]
    assert len(pictures) == len(report.data["charts"]) >= 1
    for picture in pictures:  # high resolution: 200 dpi at its size on the slide
        width_in = Emu(picture.width).inches
        assert picture.image.size[0] >= 190 * width_in
    for indicator in demo.indicators(SYD):
        assert any(t.startswith(f"{indicator.code} ") for t in shown), indicator.code


def test_shapes_stay_on_their_slides(demo: Workspace) -> None:
    deck = Presentation(io.BytesIO(storyboard_pptx(demo, "boerne-og-ungdomspsykiatrien-aarhus-bua").content))
    for number, slide in enumerate(deck.slides, start=1):
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, (number, shape.name)
            assert shape.left + shape.width <= deck.slide_width + 1, (number, shape.name)
            assert shape.top + shape.height <= deck.slide_height + 1, (number, shape.name)


def test_user_text_is_kept_as_typed(tmp_path: Path) -> None:
    ws = Workspace.create(tmp_path / "ws.json", actor="tester")
    team = ws.add_team("Team <b>[antal]</b> $5 and $10", region="Sjælland")
    ws.set_aim(team.id, "Budget $\\foo$ cut & <script>")
    driver = ws.add_node(team.id, "primary", "Driver [/] & <i>")
    idea = ws.add_node(team.id, "change idea", "Idé $x$", parents=[driver.id])
    ws.add_cycle(team.id, "Cyklus <1>", change_idea=idea.id, start_date="2022-01-03")
    report = storyboard_pptx(ws, team.id, period_from="2022-01", period_to="2022-12", lang="en")
    joined = "\n".join(texts(Presentation(io.BytesIO(report.content))))
    for typed in ("Team <b>[antal]</b> $5 and $10", "Budget $\\foo$ cut & <script>", "Driver [/] & <i>",
                  "Idé $x$", "Cyklus <1>"):  # fmt: skip
        assert typed in joined


def test_the_command_writes_a_pptx_and_refuses_stdout(demo: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "story.pptx"
    args = ["-w", demo.location, "--lang", "en", "report", "storyboard", "--team", SYD]
    result = CliRunner().invoke(build_cli(), [*args, "--format", "pptx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert Presentation(str(out)).slides
    result = CliRunner().invoke(build_cli(), [*args, "--format", "pptx"])
    assert result.exit_code != 0 and "give -o FILE.pptx" in result.output
