"""The reports on the demo workspace (synthetic data shaped after LKT Tvang's 2022 status report)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from pdsa_core.demo import write_demo
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
