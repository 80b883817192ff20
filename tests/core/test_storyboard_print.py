"""The storyboard never cuts what it holds: every indicator, ramp and lesson is on paper.

HTML-level checks always run; the print checks run where Chromium and pdftotext are installed
(a clone may not have them): the PDF holds every indicator row and has as many pages as the
storyboard says it needs. Teams: every demo team (three with ten indicators), and a team with
long, hostile texts and many ramps.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from pdsa_core.demo import write_demo
from pdsa_core.reports import set_report_text, storyboard
from pdsa_core.reports.storyboard import CHART_GAP, COL_W, LESSON_LENGTHS, lessons_from_cycles
from pdsa_core.services.indicators import MeasurementInput
from pdsa_core.workspace import Workspace

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
PDFTOTEXT = shutil.which("pdftotext")
PDFINFO = shutil.which("pdfinfo")
needs_print = pytest.mark.skipif(
    not (CHROMIUM and PDFTOTEXT and PDFINFO), reason="Chromium and poppler-utils are not installed"
)
LONG = (
    "Meget lang tekst om en ændring af datadefinitionen og en ny lov, der gør tallene svære at sammenligne "
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    path = tmp_path_factory.mktemp("demo") / "demo.json"
    write_demo(path)
    return Workspace.open(path)


@pytest.fixture(scope="module")
def demo_storyboard(demo: Workspace) -> Callable[..., Any]:
    """A demo team's storyboard, made once per module and language (the tests only read it)."""

    @functools.cache
    def make(team: str, lang: str = "da") -> Any:
        return storyboard(demo, team, lang=lang)

    return make


@pytest.fixture(scope="module")
def crowded(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """A team with long and hostile texts: long name and aim, 12 indicators, 14 ramps, long lessons."""
    ws = Workspace.create(tmp_path_factory.mktemp("crowded") / "ws.json", actor="tester")
    name = "Psykiatrisk Center <b>Nord</b> [antal] $5 and $10 " + "Ambulatorium og sengeafsnit " * 4
    team = ws.add_team(name.strip(), region="Hovedstaden")
    ws.set_aim(team.id, ("Budget $\\foo$ cut: " + LONG * 6).strip())
    items = []
    for k in range(12):
        code = f"X{k + 1}"
        ws.add_indicator(team.id, code, f"{code} {LONG[: 40 + 7 * k]}".strip(), direction="down")
        items += [MeasurementInput(code, f"2022-{m:02d}", value=(m * (k + 3)) % 7) for m in range(1, 13)]
    ws.add_measurements(team.id, items)
    driver = ws.add_node(team.id, "primary", "Driver " + LONG)
    for k in range(14):
        idea = ws.add_node(team.id, "change idea", f"Idé {k + 1}: {LONG[: 30 + 5 * k]}", parents=[driver.id])
        cycle = ws.add_cycle(
            team.id,
            f"Cyklus {k + 1} <i>{LONG[: 20 + 4 * k]}</i>",
            change_idea=idea.id,
            start_date="2022-02-01",
            end_date="2022-03-01",
        )
        ws.update_cycle(cycle.id, study_results=LONG * 2)
        ws.act(cycle.id, "adopt" if k % 2 else "adapt")
    set_report_text(ws, team.id, "lessons", ("**Vi lærte:** <script>x</script> " + LONG * 8).strip())
    return ws


class _Rows(HTMLParser):
    """The first cell of every row of the indicator tables, and the titles in the ramps."""

    def __init__(self) -> None:
        super().__init__()
        self.first_cells: list[str] = []
        self.ramp_titles: list[str] = []
        self._cell = -1
        self._in_title = False
        self._in_table = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "table" and "all-indicators" in (values.get("class") or ""):
            self._in_table = True
        if self._in_table and tag == "tr":
            self._cell = -1
        if self._in_table and tag == "td":
            self._cell += 1
            if self._cell == 0:
                self.first_cells.append("")
        if tag == "span" and values.get("class") == "title":
            self._in_title = True
            self.ramp_titles.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._in_table = False
        if tag == "span":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_table and self._cell == 0 and self.first_cells:
            self.first_cells[-1] += data
        if self._in_title:
            self.ramp_titles[-1] += data


def rows_of(html: str) -> _Rows:
    parser = _Rows()
    parser.feed(html)
    return parser


def print_pdf(html: str, folder: Path) -> tuple[int, str]:
    page = folder / "storyboard.html"
    page.write_text(html, encoding="utf-8")
    pdf = folder / "storyboard.pdf"
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         f"--print-to-pdf={pdf}", page.as_uri()],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    info = subprocess.run([PDFINFO, str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info)[1])  # type: ignore[index]
    text = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True)
    return pages, text.stdout


def section_of(html_page: str, ident: str) -> str:
    """The HTML of the ``<section id=ident>`` (sections on the poster do not nest)."""
    start = html_page.index(f'<section id="{ident}"')
    return html_page[start : html_page.index("</section>", start)]


def teams(ws: Workspace) -> list[str]:
    return [t.id for t in ws.teams()]


def test_every_demo_team_storyboard_holds_every_indicator_row(demo: Workspace, demo_storyboard: Any) -> None:
    for team in teams(demo):
        report = demo_storyboard(team)
        cells = rows_of(report.text).first_cells
        codes = [i.code for i in demo.indicators(team)]
        assert [c.split()[0] for c in cells] == codes, team
        assert report.data["pages"] == (2 if report.data["moved"] else 1)
        assert bool(report.notices) == bool(report.data["moved"])


def test_ten_indicator_teams_fit_one_page(demo: Workspace, demo_storyboard: Any) -> None:
    from pdsa_core.spc.render import font_family

    arial_widths = font_family()[0] != "DejaVu Sans"  # Arial, Liberation Sans or Helvetica
    ten = [t for t in teams(demo) if len(demo.indicators(t)) >= 10]
    assert len(ten) >= 2
    for team in ten:
        for lang in ("da", "en"):
            report = demo_storyboard(team, lang)
            assert "Alle indikatorer" not in " ".join(report.data["moved"]), team
            # nothing moves to a second page: a demo team's storyboard is one A3 page
            assert report.data["pages"] == 1 and not report.notices, (team, lang, report.data["moved"])
            # and the whole table is under the charts (not continued in another column), its
            # verdicts in the short words that keep a row to one line in the narrow column; the
            # charts' titles are measured in the font they are drawn in, and with DejaVu Sans (no
            # Arial or Liberation Sans installed) they wrap more, and the table may continue
            if arial_widths:
                assert 'id="story-indicators"' not in report.text, (team, lang)
            data = section_of(report.text, "story-data")
            table = data[data.index('<table class="all-indicators"') :]
            assert "Tilfældig variation" not in table and "Common cause variation" not in table


def test_lessons_from_cycles_are_shortened_to_stay_on_page_one(demo: Workspace, demo_storyboard: Any) -> None:
    """Psykiatrien Syd's four lessons fit page one when the cycles' study results are shortened
    (marked "…"; the status report has them whole); the ramps' room is estimated from the titles
    they show ("Cyklus 1"), not the cycles' full titles."""
    team = "psykiatrien-syd-vordingborg"
    cycles = demo.cycles(team)
    whole = lessons_from_cycles(cycles, "da")
    short = lessons_from_cycles(cycles, "da", length=LESSON_LENGTHS[-1])
    assert len(short) == len(whole) == 4
    assert all(len(s) <= len(w) for s, w in zip(short, whole, strict=True)) and short != whole
    report = demo_storyboard(team)
    lessons = section_of(report.text, "story-lessons")
    assert report.data["pages"] == 1
    assert all(item.split(":")[0] in lessons for item in whole)
    assert any(item in lessons for item in short) and "…" in lessons


def test_charts_print_at_their_own_size(demo: Workspace, demo_storyboard: Any) -> None:
    """A chart is never scaled down in print, so its 8 pt texts stay 8 pt on A3."""
    report = demo_storyboard(teams(demo)[0])
    inner = ((COL_W[1] - CHART_GAP) / 2 - 3 - 0.4) * 72 / 25.4  # a figure's inner width, points
    widths = [float(w) for w in re.findall(r'<svg style="max-width: ([\d.]+)pt"', report.text)]
    assert widths and all(w <= inner + 0.5 for w in widths)


def test_a_crowded_team_loses_nothing_and_says_so(crowded: Workspace) -> None:
    team = teams(crowded)[0]
    report = storyboard(crowded, team, period_from="2022-01", period_to="2022-12", lang="da")
    parsed = rows_of(report.text)
    assert [c.split()[0] for c in parsed.first_cells] == [f"X{k}" for k in range(1, 13)]
    titles = {c.title for c in crowded.cycles(team) if c.start_date}  # follow-ups came after the period
    assert titles <= set(parsed.ramp_titles)
    assert "&lt;b&gt;Nord&lt;/b&gt; [antal] $5 and $10" in report.text and "<script>x" not in report.text
    assert report.data["pages"] == 2 and report.notices
    assert "Storyboardet fylder 2 sider" in report.notices[0]


def test_the_command_says_on_stderr_when_a_second_page_is_needed(crowded: Workspace, tmp_path: Path) -> None:
    from pdsa_cli import build_cli

    out = tmp_path / "poster.html"
    team = teams(crowded)[0]
    result = CliRunner().invoke(
        build_cli(),
        ["-w", crowded.location, "--lang", "en", "report", "storyboard", "--team", team,
         "--from", "2022-01", "--to", "2022-12", "-o", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "The storyboard needs 2 pages; on page 2:" in result.output
    assert out.exists()


@needs_print
@pytest.mark.parametrize("which", ["demo", "crowded"])
def test_what_chromium_prints_holds_every_row_on_the_pages_said(
    which: str, demo: Workspace, crowded: Workspace, tmp_path: Path
) -> None:
    ws = demo if which == "demo" else crowded
    for k, team in enumerate(teams(ws)):
        report = storyboard(ws, team, period_from="2022-10", period_to="2023-09", lang="da")
        if which == "crowded":
            report = storyboard(ws, team, period_from="2022-01", period_to="2022-12", lang="da")
        folder = tmp_path / f"{which}-{k}"
        folder.mkdir()
        pages, text = print_pdf(report.text, folder)
        assert pages == report.data["pages"], (team, report.data["moved"])
        for indicator in ws.indicators(team):
            assert re.search(rf"(^|\s){re.escape(indicator.code)}\s", text), (team, indicator.code)
