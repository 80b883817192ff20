"""The reports on the demo workspace (synthetic data shaped after LKT Tvang's 2022 status report)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from pdsa_core.demo import write_demo
from pdsa_core.plugins import load_plugins
from pdsa_core.reports import national_rollup, rollup_data, status_report, storyboard
from pdsa_core.workspace import Workspace

SYD = "psykiatrien-syd-vordingborg"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    path = tmp_path_factory.mktemp("demo") / "demo.json"
    write_demo(path)
    return Workspace.open(path)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag in ("link", "script", "img", "iframe"):
            self.external.append(tag)
        self.external += [
            f"{k}={v}" for k, v in attrs if k in ("src", "href") and v and not v.startswith("#")
        ]


def _tags(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def test_the_rollup_lists_every_team_and_indicator_with_the_months_delivered(demo: Workspace) -> None:
    data = rollup_data([demo], lang="da", suppress_small=False)
    # the demo's story is told on its own day: the last complete month before it
    assert (data["period_from"], data["period_to"]) == ("2022-10", "2023-09")
    assert {t["id"] for t in data["teams"]} == {t.id for t in demo.teams()}
    expected = {(t.name, i.code) for t in demo.teams() for i in demo.indicators(t.id)}
    assert {(r["team_name"], r["code"]) for r in data["rows"]} == expected
    for row in data["rows"]:
        team = demo.team(row["team_name"])
        have = {
            m.period for m in demo.measurements(team.id, row["code"]) if "2022-10" <= m.period <= "2023-09"
        }
        assert row["months"] == sorted(have)
        assert row["n_delivered"] == len(have)
    for indicator in data["indicators"]:
        having = [r for r in data["rows"] if r["code"] == indicator["code"]]
        assert indicator["teams_with"] == len(having)
        assert indicator["teams_delivered"] == sum(1 for r in having if r["n_delivered"])


def test_the_rollup_hides_small_counts_when_asked(demo: Workspace) -> None:
    hidden = national_rollup([demo], lang="da", fmt="md")
    shown = national_rollup([demo], lang="da", fmt="md", suppress_small=False)
    assert hidden.hidden_cells > 0 and "<5 (" in hidden.text
    assert "Små tal: antal fra 1 til 4 vises som «<5»" in hidden.text
    assert shown.hidden_cells == 0 and "<5 (" not in shown.text
    assert "Syntetiske data / synthetic data" in hidden.text
    html = national_rollup([demo], lang="en", fmt="html")
    assert _tags(html.text).external == []


def test_status_report_and_storyboard_of_the_demo_team(demo: Workspace) -> None:
    report = status_report(demo, SYD, lang="da", fmt="html", sections=[])
    parsed = _tags(report.text)
    assert parsed.external == []
    with_data = [
        i.code
        for i in demo.indicators(SYD)
        if any("2022-10" <= m.period <= "2023-09" for m in demo.measurements(SYD, i.code))
    ]
    assert parsed.tags.count("svg") == len(with_data)
    assert "Ikke-tilfældig variation" in report.text
    poster = storyboard(demo, SYD, lang="da")
    parsed = _tags(poster.text)
    assert parsed.external == [] and 1 <= parsed.tags.count("svg") <= 4
    assert "@page { size: A3 landscape" in poster.text


# -- as of the period -------------------------------------------------------------------------------
DATE = re.compile(r"\b(20\d\d-\d\d)(?:-\d\d)?\b")


class _Text(HTMLParser):
    """The printed text of a page: no style, no SVG; sections by id."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[tuple[str, str]] = []
        self._skip = 0
        self._section = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "svg", "title"):
            self._skip += 1
        if tag == "section":
            self._section = dict(attrs).get("id") or self._section
        if tag in ("footer", "dl"):
            self._section = tag

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "svg", "title"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append((self._section, data))


def section_text(html_page: str, *sections: str) -> str:
    parser = _Text()
    parser.feed(html_page)
    return " ".join(text for section, text in parser.parts if section in sections)


def dates_outside(html_page: str, last: str, *, ignore: tuple[str, ...] = ()) -> list[str]:
    """Dates in the printed text later than ``last`` (a month), leaving out the sections ``ignore``."""
    parser = _Text()
    parser.feed(html_page)
    found = []
    for section, text in parser.parts:
        if section in ignore:
            continue
        found += [f"{section}: {m[0]}" for m in DATE.finditer(text) if m[1] > last]
    return found


def test_status_report_for_a_past_period_shows_nothing_dated_after_it(demo: Workspace) -> None:
    """The report for January–September 2022 shows 2022 as it stood: cycles, decisions, diagram, notes."""
    report = status_report(
        demo, SYD, period_from="2022-01", period_to="2022-09", lang="da", fmt="html", plugins=load_plugins()
    )
    # when the report was made (meta, footer), and where the period's data came from (September's
    # values arrive in October) are not events of the period; the target's own date is a definition
    late = dates_outside(report.text, "2022-09", ignore=("dl", "footer", "section-data-basis"))
    late = [d for d in late if not d.endswith("2023-09-30")]
    assert late == []
    text = report.text
    later_cycles = [c.title for c in demo.cycles(SYD) if (c.start_date or c.created_at) > "2022-10"]
    cycles_text = section_text(text, "progress", "ramps")
    assert later_cycles and not [title for title in later_cycles if title in cycles_text]
    # the diagram's later edits are not in it; the ramp that ended on 30 September has its decision
    for change in demo.diagram_history(SYD):
        if change.at[:10] > "2022-09-30" and change.action in ("add", "rename"):
            node = next(n for n in change.after["nodes"] if n["id"] == change.node_id)
            assert node["text"] not in text
    assert "Tilpas" in text
    now = status_report(
        demo, SYD, period_from="2022-01", period_to="2022-09", lang="da", fmt="html", state_today=True
    )
    for change in demo.diagram_history(SYD):
        if change.at[:10] > "2022-09-30" and change.action in ("add", "rename"):
            node = next(n for n in change.after["nodes"] if n["id"] == change.node_id)
            assert node["text"] in now.text


def test_storyboard_and_rollup_of_a_past_period_are_as_of_its_end(demo: Workspace) -> None:
    poster = storyboard(demo, SYD, period_from="2022-01", period_to="2022-09", lang="da")
    assert dates_outside(poster.text, "2022-09", ignore=("footer",)) == []
    later = [c.title for c in demo.cycles(SYD) if (c.start_date or c.created_at) > "2022-10"]
    shown = section_text(poster.text, "story-ramps", "story-lessons")
    assert not [title for title in later if title in shown]
    then = rollup_data([demo], period_from="2022-01", period_to="2022-09", lang="da")
    now = rollup_data([demo], period_from="2022-01", period_to="2022-09", lang="da", state_today=True)
    assert then["ideas"] != now["ideas"]
    tested_then = {i["key"] for i in then["ideas"] if set(i["states"]) - {"untested"}}
    tested_now = {i["key"] for i in now["ideas"] if set(i["states"]) - {"untested"}}
    assert tested_then < tested_now
