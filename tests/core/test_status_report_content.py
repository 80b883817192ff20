"""What the status report says, and how it prints on A4.

Every indicator with data has its runs statistics (a random verdict too) and the verdict's
meaning in words, with the assurance where a target and control limits allow one; a phase
split that replaces the baseline is said; member roles, cycle states and the diagram's change
log are Danish in the Danish report; the Markdown report shows HTML typed by users as text;
charts are drawn no wider than the A4 page prints them (their 8 pt texts stay 8 pt). The print
checks run where Chromium and poppler-utils are installed: every page has "Side N af M" and no
page ends with a heading.
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
from markdown_it import MarkdownIt

from pdsa_core.demo import write_demo
from pdsa_core.domain.indicator import Target
from pdsa_core.i18n import t
from pdsa_core.reports import set_report_text, status_report
from pdsa_core.reports.document import A4_PRINT_WIDTH_MM
from pdsa_core.services.indicators import MeasurementInput
from pdsa_core.workspace import Workspace

SYD = "psykiatrien-syd-vordingborg"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
PDFTOTEXT = shutil.which("pdftotext")
needs_print = pytest.mark.skipif(
    not (CHROMIUM and PDFTOTEXT), reason="Chromium and poppler-utils are not installed"
)
HOSTILE = "<script>alert(1)</script> <b>fed</b> &amp; [link](http://x) $5"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    path = tmp_path_factory.mktemp("demo") / "demo.json"
    write_demo(path)
    return Workspace.open(path)


@pytest.fixture(scope="module")
def demo_report(demo: Workspace) -> Callable[[str], Any]:
    """A demo team's Danish status report for 2022-10..2023-09, made once per module (tests only read it)."""

    @functools.cache
    def make(team: str) -> Any:
        return status_report(demo, team, period_from="2022-10", period_to="2023-09", lang="da", sections=[])

    return make


def _months(first: str, n: int) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    out = []
    for _ in range(n):
        out.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


@pytest.fixture()
def small(tmp_path: Path) -> Workspace:
    """A team with a random I chart that reliably meets its target, a run chart with a rise,
    a baseline replaced by a phase split, and HTML typed in every field a user fills."""
    ws = Workspace.create(tmp_path / "ws.json", actor="tester", clock=lambda: "2023-01-10T09:00:00+00:00")
    team = ws.add_team(f"Team {HOSTILE}", region="Sjælland")
    ws.add_member(team.id, f"Anna {HOSTILE}", role="tovholder")
    ws.add_member(team.id, "Bo", role="data consultant")
    ws.add_member(team.id, "Eva", role="peer")
    ws.set_aim(team.id, f"Færre tvangsindlæggelser {HOSTILE}")
    driver = ws.add_node(team.id, "primary", "Samarbejde")
    idea = ws.add_node(team.id, "change idea", f"Idé {HOSTILE}", parents=[driver.id])
    cycle = ws.add_cycle(team.id, f"Cyklus {HOSTILE}", change_idea=idea.id, start_date="2022-03-01")
    ws.set_cycle_status(cycle.id, "doing")
    ws.add_indicator(team.id, "R1", "Stabilt under målet", chart="i", target=Target(value=20.0))
    ws.add_indicator(team.id, "V1", "Stigende", direction="up")
    ws.add_indicator(
        team.id, "R2", "Med baseline og ny fase", baseline_start="2020-01", baseline_end="2020-12"
    )
    months = _months("2020-01", 33)  # 2020-01 .. 2022-09
    stable = [5, 6, 5, 4, 6, 5, 7, 5, 4, 6]
    items = [MeasurementInput("R1", m, value=stable[k % len(stable)]) for k, m in enumerate(months)]
    items += [MeasurementInput("V1", m, value=(3 if k < 20 else 9) + k % 2) for k, m in enumerate(months)]
    items += [MeasurementInput("R2", m, value=stable[(k * 3) % len(stable)]) for k, m in enumerate(months)]
    ws.add_measurements(team.id, items)
    ws.add_annotation(
        team.id, "2022-01-01", f"Ny lov {HOSTILE}", kind="other", indicators=["R2"], phase_split=True
    )
    set_report_text(
        ws, team.id, "barriers", f"Barriere {HOSTILE}", period_from="2022-01", period_to="2022-09"
    )
    return ws


class _Sections(HTMLParser):
    """The text of every ``<section id=...>`` (no style, no SVG) and the headings in order."""

    def __init__(self) -> None:
        super().__init__()
        self.text: dict[str, str] = {}
        self.stack: list[str] = []
        self.headings: list[tuple[str, bool]] = []  # (heading, inside a .keep box with more)
        self._skip = 0
        self._heading = ""
        self._in_heading = False
        self._keep_depth = 0
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("style", "svg", "title"):
            self._skip += 1
        if tag == "section":
            self.stack.append(values.get("id") or "")
        if tag == "div":
            self._depth += 1
            if values.get("class") == "keep":
                self._keep_depth = self._depth
        if tag in ("h2", "h3"):
            self._in_heading, self._heading = True, ""

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "svg", "title"):
            self._skip -= 1
        if tag == "section" and self.stack:
            self.stack.pop()
        if tag == "div":
            if self._depth == self._keep_depth:
                self._keep_depth = 0
            self._depth -= 1
        if tag in ("h2", "h3"):
            self._in_heading = False
            self.headings.append((self._heading.strip(), bool(self._keep_depth)))

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._in_heading:
            self._heading += data
        for ident in self.stack:
            self.text[ident] = self.text.get(ident, "") + data


def sections(html_page: str) -> _Sections:
    parser = _Sections()
    parser.feed(html_page)
    return parser


def test_every_verdict_has_its_runs_statistics_and_meaning_in_words(
    demo: Workspace, demo_report: Any
) -> None:
    report = demo_report(SYD)
    parsed = sections(report.text)
    verdicts = set()
    for indicator in demo.indicators(SYD):
        text = parsed.text[f"indicator-{indicator.code}"]
        if "Ingen data i perioden" in text:
            continue
        assert "Serieanalyse: Længste serie" in text and "brugbare punkter" in text, indicator.code
        if "Ikke-tilfældig variation" in text:
            verdicts.add("non_random")
            assert re.search(r"Betydning: [▲▼◆] (Forbedring|Forværring|Ikke-tilfældig)", text), indicator.code
        else:
            verdicts.add("random")
    assert verdicts == {"random", "non_random"}  # the demo team has both


def test_assurance_phase_note_and_a_random_verdict_in_words(small: Workspace) -> None:
    team = small.teams()[0].id
    report = status_report(small, team, period_from="2022-01", period_to="2022-09", lang="da", sections=[])
    parsed = sections(report.text)
    r1 = parsed.text["indicator-R1"]
    assert "Vurdering: Tilfældig variation" in r1 and "Ikke-tilfældig" not in r1
    assert "Serieanalyse: Længste serie" in r1 and "uden for kontrolgrænserne" in r1
    assert "Betydning: ≈ Tilfældig variation · ✓ Målet nås stabilt." in r1
    assert "Betydning: ▲ Forbedring" in parsed.text["indicator-V1"]
    r2 = parsed.text["indicator-R2"]
    assert "der er faser: hver fase har sin egen centerlinje, og baseline bruges ikke" in r2
    english = status_report(small, team, period_from="2022-01", period_to="2022-09", lang="en", sections=[])
    r1_en = sections(english.text).text["indicator-R1"]
    assert "Runs analysis: Longest run" in r1_en
    assert "Meaning: ≈ Common cause variation · ✓ The target will reliably be met." in r1_en


def test_the_danish_report_is_danish_throughout(small: Workspace, demo: Workspace, demo_report: Any) -> None:
    team = small.teams()[0].id
    report = status_report(small, team, period_from="2022-01", period_to="2022-09", lang="da", sections=[])
    intro = sections(report.text).text["introduction"]
    for role in ("tovholder", "data consultant", "peer"):
        assert f"({t(f'role.{role}', 'da')})" in intro
    assert "(data consultant)" not in intro and "(peer" not in intro
    progress = sections(report.text).text["progress"]
    assert t("status.doing", "da") in progress and "Doing" not in progress
    # the diagram's change log, and every cycle state, in Danish
    syd = demo_report(SYD)
    diagram = sections(syd.text).text["diagram"]
    changes = [c for c in demo.diagram_history(SYD) if "2022-10" <= c.at[:7] <= "2023-09"]
    assert changes
    for change in changes:
        assert change.describe("da") in diagram
        if change.describe("da") != change.summary:
            assert change.summary not in diagram
    assert "Dato" in diagram and "Ændring" in diagram
    shown = sections(syd.text).text["progress"]
    for cycle in demo.cycles(SYD):
        english = {"doing": "Doing", "studying": "Studying", "acting": "Acting", "done": "Done"}
        assert english.get(cycle.status.value, "§") not in shown


def test_the_markdown_report_shows_html_typed_by_users_as_text(small: Workspace) -> None:
    team = small.teams()[0].id
    report = status_report(
        small,
        team,
        period_from="2022-01",
        period_to="2022-09",
        lang="da",
        fmt="md",
        charts=False,
        sections=[],
    )
    assert report.text.count("alert(1)") >= 6  # team, member, aim, idea, cycle, note, barriers
    rendered = MarkdownIt("commonmark").render(report.text)  # raw HTML on, as most renderers have it
    assert "<script" not in rendered and "<b>" not in rendered
    # a link is a link only where the team writes Markdown on purpose (barriers); elsewhere it is text
    assert rendered.count('href="http://x"') == 1 and "<p>Barriere &lt;script&gt;" in rendered
    # what a reader sees is what was typed
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;fed&lt;/b&gt; &amp;amp; [link](http://x) $5"
        in rendered
    )


def test_charts_are_drawn_no_wider_than_the_a4_page_prints(demo: Workspace, demo_report: Any) -> None:
    report = demo_report(SYD)
    widths = [float(w) for w in re.findall(r'<svg style="max-width: ([\d.]+)pt"', report.text)]
    assert widths
    assert all(w <= A4_PRINT_WIDTH_MM / 25.4 * 72 for w in widths)
    assert "margin: 14mm 12mm 16mm 12mm" in report.text and "padding: 0 0.6mm" in report.text


def test_every_heading_is_kept_with_what_follows_it(demo: Workspace, demo_report: Any) -> None:
    report = demo_report(SYD)
    headings = sections(report.text).headings
    assert headings and all(kept for _h, kept in headings), [h for h, kept in headings if not kept]
    assert "h2, h3 { break-after: avoid" in report.text
    # what may break across pages follows the kept box, which it may not be parted from
    assert ".keep + * { break-before: avoid" in report.text
    assert '<div class="keep"><h2>2. Data</h2><p>' in report.text and "</p></div><table>" in report.text


@needs_print
@pytest.mark.parametrize(
    "team",
    [
        SYD,
        "regionspsykiatrien-midt-viborg",
        "boerne-og-ungdomspsykiatrien-aalborg",
        "boerne-og-ungdomspsykiatrien-aarhus-bua",
    ],
)
def test_the_printed_report_has_page_numbers_and_no_heading_ends_a_page(
    demo: Workspace, demo_report: Any, tmp_path: Path, team: str
) -> None:
    report = demo_report(team)
    page = tmp_path / "status.html"
    page.write_text(report.text, encoding="utf-8")
    pdf = tmp_path / "status.pdf"
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         f"--print-to-pdf={pdf}", page.as_uri()],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    text = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True)
    pages = text.stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) > 1
    headings = {h for h, _kept in sections(report.text).headings}
    # a long table starts under its heading (its header and first rows with it), not whole on the
    # next page leaving most of the first one empty
    first = pages[0]
    assert "2. Data" in first and "Indikatorer i perioden" in first and "R1 Antal personer" in first
    for number, content in enumerate(pages, start=1):
        lines = [line.strip() for line in content.splitlines() if line.strip()]
        assert lines[-1].endswith(f"Side {number} af {len(pages)}"), lines[-1]
        body = lines[:-1]
        assert body and body[-1] not in headings, f"page {number} ends with the heading {body[-1]!r}"
