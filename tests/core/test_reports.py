"""Reports: the status report, the storyboard and the national roll-up, as HTML and Markdown."""

from __future__ import annotations

import random
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pdsa_core.errors import ValidationError
from pdsa_core.extension_types import ReportSection
from pdsa_core.meetings import close_meeting, start_meeting
from pdsa_core.reports import (
    SmallNumbers,
    national_rollup,
    normalise_title,
    report_texts,
    rollup_data,
    set_report_text,
    status_report,
    storyboard,
)
from pdsa_core.services.indicators import MeasurementInput
from pdsa_core.workspace import Workspace

PERIOD = {"period_from": "2022-01", "period_to": "2022-09"}


def _months(start_year: int, end: str) -> list[str]:
    out = []
    year, month = start_year, 1
    while f"{year}-{month:02d}" <= end:
        out.append(f"{year}-{month:02d}")
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return out


def build_workspace(path: Path) -> Workspace:
    """Three teams in two regions with data, diagrams, PDSA ramps, annotations and a meeting."""
    counter = iter(range(1, 10**6))
    ws = Workspace.create(
        path,
        actor="tester",
        id_factory=lambda prefix: f"{prefix}-{next(counter):04d}",
        clock=lambda: "2022-10-03T09:00:00+00:00",
    )
    rng = random.Random(7)

    syd = ws.add_team("Psykiatrien Syd, Vordingborg", region="Sjælland", municipalities=["Guldborgsund"])
    for code, name, name_en in (
        ("R1", "Personer tvangsindlagt", "Persons coercively admitted"),
        ("R2", "Tvangsindlæggelser", "Coercive admissions"),
        ("F1", "Personer udsat for tvang", "Persons subject to coercion"),
    ):
        ws.add_indicator(
            syd.id,
            code,
            name,
            name_en=name_en,
            kind="result" if code.startswith("R") else "follow",
            baseline_start="2018-01",
            baseline_end="2020-12",
            population="Borgere fra Guldborgsund Kommune indlagt på S1",
        )
    ws.add_indicator(
        syd.id,
        "V1",
        "Andel med UA/KP",
        name_en="Share with UA/KP",
        kind="process",
        unit="proportion",
        direction="up",
    )
    ws.add_indicator(
        syd.id, "V3", "Netværksmøder", kind="process", unit="proportion", direction="up", voluntary=True
    )
    months = _months(2018, "2022-09")
    items = []
    for period in months:
        after = period >= "2021-06"
        items.append(
            MeasurementInput("R1", period, value=rng.choice([0, 1, 1, 2] if after else [2, 3, 4, 5, 3]))
        )
        items.append(MeasurementInput("R2", period, value=rng.choice([1, 2, 3, 4, 5, 6])))
        if period != "2022-06":  # one month missing in the period
            items.append(MeasurementInput("F1", period, value=rng.choice([6, 9, 12, 15, 20])))
    for i, period in enumerate(_months(2022, "2022-09")):
        items.append(MeasurementInput("V1", period, numerator=min(i + 1, 9), denominator=9 if i else 3))
    ws.add_measurements(syd.id, items, source="import", source_file="/data/syd_2022.xlsx")
    ws.add_measurement(syd.id, "R2", "2022-09", value=7)  # a corrected month
    ws.add_annotation(syd.id, "2022-03-25", "Ny EPJ (NordEPJ)", kind="it system change", indicators=["F1"])

    ws.set_aim(syd.id, "Færre tvangsindlæggelser gennem tværsektorielt samarbejde med patienten i centrum")
    plans = ws.add_node(syd.id, "primary", "Udskrivningsaftaler og koordinationsplaner")
    network = ws.add_node(syd.id, "primary", "Tværsektorielle netværksmøder")
    routine = ws.add_node(syd.id, "secondary", "Faste arbejdsgange ved udskrivelse", parents=[plans.id])
    contact = ws.add_node(syd.id, "secondary", "Kontakt efter udskrivelse", parents=[network.id])
    call = ws.add_node(syd.id, "change idea", "Ringe hjem-ordning", parents=[contact.id])
    visit = ws.add_node(syd.id, "change idea", "Kendskabsbesøg", parents=[routine.id])
    elective = ws.add_node(syd.id, "change idea", "Elektive indlæggelser", parents=[plans.id])
    ws.add_node(syd.id, "change idea", "Review af komplicerede tvangsindlæggelser", parents=[routine.id])

    first = ws.add_cycle(
        syd.id,
        "Ringe hjem",
        change_idea=call.id,
        owner="Anna",
        indicators=["R1"],
        start_date="2022-02-01",
        end_date="2022-03-15",
    )
    first = ws.update_cycle(first.id, study_results="Patienterne satte pris på opkaldet.")
    _, second = ws.act(first.id, "adapt", next_step="Ring også til pårørende")
    ws.update_cycle(second.id, start_date="2022-04-01")
    ws.set_cycle_status(second.id, "doing")
    kb = ws.add_cycle(
        syd.id, "Kendskabsbesøg", change_idea=visit.id, start_date="2022-03-01", end_date="2022-05-01"
    )
    ws.update_cycle(kb.id, study_results="Besøgene gav tryghed før indlæggelse.")
    ws.act(kb.id, "adopt")
    el = ws.add_cycle(
        syd.id,
        "Elektive indlæggelser",
        change_idea=elective.id,
        start_date="2022-05-10",
        end_date="2022-06-30",
    )
    ws.act(el.id, "abandon", next_step="For få senge")
    meeting = start_meeting(ws, syd.id, "2022-08-03", ["Anna", "Bo"])
    ws.record_decision(meeting.id, "Ringe hjem fortsætter")
    ws.add_action(meeting.id, "Tal med kommunen om bostøtte", owner="Bo", due="2022-09-01")
    close_meeting(ws, meeting.id)

    vest = ws.add_team("Psykiatrien Vest, Slagelse", region="Sjælland")
    ws.add_indicator(
        vest.id, "R1", "Personer tvangsindlagt", baseline_start="2019-01", baseline_end="2020-12"
    )
    ws.add_indicator(vest.id, "V1", "Andel med UA/KP", kind="process", unit="proportion", direction="up")
    ws.add_measurements(
        vest.id,
        [MeasurementInput("R1", p, value=rng.choice([1, 2, 3, 5, 8])) for p in _months(2019, "2022-04")],
    )
    idea = ws.add_node(vest.id, "primary", "Netværksmøder")
    call_vest = ws.add_node(vest.id, "change idea", "Ringe hjem ordning", parents=[idea.id])
    ws.add_cycle(vest.id, "Ringe hjem ordning (cyklus 1)", change_idea=call_vest.id)
    cycle = ws.cycles(vest.id)[0]
    ws.set_cycle_status(cycle.id, "doing")
    kb_vest = ws.add_cycle(vest.id, "kendskabsbesøg!", start_date="2022-02-01", end_date="2022-03-01")
    ws.act(kb_vest.id, "adopt")

    buc = ws.add_team("BUC Roskilde", region="Sjælland", track="børne- og ungespor")
    ws.add_indicator(buc.id, "R1", "Personer tvangsindlagt")
    ws.add_indicator(buc.id, "BU1", "Antal med tryghedsplan", kind="process", direction="up")
    ws.add_measurements(
        buc.id, [MeasurementInput("BU1", p, value=12 + i) for i, p in enumerate(_months(2022, "2022-09"))]
    )
    return ws


@pytest.fixture()
def ws(tmp_path: Path) -> Workspace:
    return build_workspace(tmp_path / "workspace.json")


class _Structure(HTMLParser):
    """Headings, tags and the attributes that could load something from outside."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.headings: list[str] = []
        self.external: list[str] = []
        self.ids: list[str] = []
        self._heading: str | None = None
        self._text: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag in ("h1", "h2", "h3"):
            self._heading = tag
            self._text = []
        if tag in ("link", "script", "iframe", "img", "object", "embed"):
            self.external.append(f"<{tag}>")
        for name, value in attrs:
            if name == "id" and value:
                self.ids.append(value)
            if name in ("src", "href", "xlink:href") and value and not value.startswith("#"):
                self.external.append(f"{tag} {name}={value}")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._heading:
            self.headings.append("".join(self._text).strip())
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._heading:
            self._text.append(data)
        self.text.append(data)


def parse(html: str) -> _Structure:
    parser = _Structure()
    parser.feed(html)
    parser.close()
    return parser


def test_status_report_html_has_the_secretariat_structure_and_is_self_contained(ws: Workspace) -> None:
    set_report_text(ws, "Psykiatrien Syd", "barriers", "Kommunen deltager kun *ad hoc*.", **PERIOD)
    set_report_text(ws, "Psykiatrien Syd", "assessment", "God fremdrift i PDSA-cirklerne.", **PERIOD)
    report = status_report(ws, "Psykiatrien Syd", **PERIOD, lang="da", fmt="html", sections=[])
    assert report.text.startswith("<!DOCTYPE html>")
    doc = parse(report.text)
    assert doc.external == []
    assert "@page { size: A4 portrait" in report.text and "@media print" in report.text
    assert doc.headings[0] == "Statusrapport: Psykiatrien Syd, Vordingborg"
    top = [h for h in doc.headings if h[:2] in ("1.", "2.", "3.", "4.", "5.")]
    assert top == ["1. Indledning", "2. Data", "3. Fremdrift", "4. Barrierer", "5. Samlet vurdering"]
    for code in ("R1", "R2", "F1", "V1", "V3"):
        assert any(h.startswith(f"{code}:") for h in doc.headings)
    # charts are inline SVG, one per indicator with data, with ids unique in the page
    assert doc.tags.count("svg") == 4
    assert len(doc.ids) == len(set(doc.ids))
    text = " ".join(doc.text)
    assert "Ikke-tilfældig variation" in text  # R1's signal in words
    assert "Manglende måneder i perioden: 2022-06." in text  # F1
    assert "Teamet har leveret data for 4 af 5 indikatorer i perioden." in text
    assert "Kommunen deltager kun" in text and "<em>ad hoc</em>" in report.text
    assert "God fremdrift i PDSA-cirklerne." in text
    # progress: the cycles, the ramp of "Ringe hjem", the diagram with the ideas' states
    assert "Ringe hjem (cyklus 2)" in text and "Tilpas" in text
    assert "fastholdt" in text and "opgivet" in text
    assert "Færre tvangsindlæggelser gennem tværsektorielt samarbejde" in text
    assert report.hidden_cells == 0


def test_status_report_in_english_markdown_with_charts_beside_it(ws: Workspace) -> None:
    report = status_report(
        ws, "Psykiatrien Syd", **PERIOD, lang="en", fmt="md", chart_dir="report-charts", sections=[]
    )
    assert report.text.startswith("# Status report: Psykiatrien Syd, Vordingborg")
    for heading in (
        "## 1. Introduction",
        "## 2. Data",
        "## 3. Progress",
        "## 4. Barriers",
        "## 5. Overall assessment",
        "### R1: Persons coercively admitted",
    ):
        assert heading in report.text
    assert "![Chart of R1](report-charts/R1.svg)" in report.text
    assert sorted(report.attachments) == [f"report-charts/{c}.svg" for c in ("F1", "R1", "R2", "V1")]
    assert all(svg.startswith("<svg") for svg in report.attachments.values())
    assert (
        "Not written yet. The team writes it with: pdsa report text --team psykiatrien-syd-vordingborg"
        in report.text
    )
    assert "| R1 Persons coercively admitted | Result | 9/9 |" in report.text


def test_small_counts_are_hidden_when_asked_and_the_report_says_so(ws: Workspace) -> None:
    plain = status_report(ws, "Psykiatrien Syd", **PERIOD, fmt="md", sections=[], charts=False)
    hidden = status_report(
        ws, "Psykiatrien Syd", **PERIOD, fmt="md", sections=[], charts=False, suppress_small=True
    )
    r1_plain = next(line for line in plain.text.splitlines() if line.startswith("| R1 "))
    r1_hidden = next(line for line in hidden.text.splitlines() if line.startswith("| R1 "))
    latest = ws.measurements("Psykiatrien Syd", "R1")[-1].value
    assert 0 < latest < 5
    assert f"| {int(latest)} (2022-09) |" in r1_plain
    assert "| <5 (2022-09) |" in r1_hidden
    assert hidden.hidden_cells >= 1
    assert "Små tal: antal fra 1 til 4 vises som «<5»" in hidden.text
    assert "Små tal" not in plain.text


def test_plugin_sections_come_after_the_built_in_ones_and_a_failing_one_is_contained(ws: Workspace) -> None:
    def good(context):
        period = f"{context.period_from}..{context.period_to}"
        return f"Team {context.team.name}, {period}, small={context.hide_small_counts}"

    def broken(context):
        raise RuntimeError("boom")

    sections = [
        ReportSection(id="region-extra", title_da="Regionens tillæg", render=good, order=5),
        ReportSection(id="broken", title_da="Virker ikke", render=broken),
    ]
    report = status_report(ws, "Psykiatrien Syd", **PERIOD, fmt="html", sections=sections, charts=False)
    doc = parse(report.text)
    assert doc.headings.index("Regionens tillæg") > doc.headings.index("5. Samlet vurdering")
    assert "Team Psykiatrien Syd, Vordingborg, 2022-01..2022-09, small=False" in report.text
    assert "Virker ikke kunne ikke skrives: report section broken failed: RuntimeError: boom" in report.text


def test_an_action_done_after_the_period_was_open_at_its_end(ws: Workspace) -> None:
    """As of the period: the meetings section lists an action done in October as open in September."""
    from pdsa_core.plugins import load_plugins

    plugins = load_plugins(fresh=True)
    ws.complete_action("Tal med kommunen om bostøtte", team_ref="Psykiatrien Syd", done_at="2022-10-10")
    then = status_report(ws, "Psykiatrien Syd", **PERIOD, fmt="md", plugins=plugins, charts=False).text
    assert "- Tal med kommunen om bostøtte (Bo), frist 2022-09-01" in then
    october = {"period_from": "2022-01", "period_to": "2022-10"}
    later = status_report(ws, "Psykiatrien Syd", **october, fmt="md", plugins=plugins, charts=False).text
    assert "Tal med kommunen om bostøtte" not in later


def test_built_in_report_sections_are_registered_through_the_hook(ws: Workspace) -> None:
    from pdsa_core.plugins import load_plugins

    plugins = load_plugins(fresh=True)
    assert {"events", "meetings", "data-basis"} <= set(plugins.items("report_sections"))
    assert "report_sections" in {k for k in plugins.info["report_sections"].registered}
    report = status_report(ws, "Psykiatrien Syd", **PERIOD, fmt="md", plugins=plugins, charts=False)
    text = report.text
    assert text.index("## Begivenheder i perioden") > text.index("## 5. Samlet vurdering")
    assert "| 2022-03-25 | Ny EPJ (NordEPJ) | Nyt IT-system | F1 | nej |" in text
    assert "## Møder i perioden" in text and "- 2022-08-03: Ringe hjem fortsætter" in text
    assert "- Tal med kommunen om bostøtte (Bo), frist 2022-09-01" in text
    assert "| R2 | manual, syd_2022.xlsx | 1 | 2022-10-03 |" in text


def test_report_texts_are_stored_per_period_and_refuse_cpr(ws: Workspace) -> None:
    set_report_text(ws, "BUC Roskilde", "lessons", "Start småt.")
    set_report_text(ws, "BUC Roskilde", "barriers", "Ressourcer.", **PERIOD)
    assert report_texts(ws, "BUC Roskilde", **PERIOD) == {"lessons": "Start småt.", "barriers": "Ressourcer."}
    assert report_texts(ws, "BUC Roskilde") == {"lessons": "Start småt."}
    set_report_text(ws, "BUC Roskilde", "barriers", "", **PERIOD)
    assert report_texts(ws, "BUC Roskilde", **PERIOD) == {"lessons": "Start småt."}
    with pytest.raises(ValidationError, match="CPR"):
        set_report_text(ws, "BUC Roskilde", "barriers", "Patient 010203-1234 blev indlagt", **PERIOD)
    with pytest.raises(ValidationError, match="report text must be one of"):
        set_report_text(ws, "BUC Roskilde", "summary", "x")
    with pytest.raises(ValidationError, match="needs both a first and a last month"):
        set_report_text(ws, "BUC Roskilde", "barriers", "x", period_from="2022-01")


def test_storyboard_is_one_a3_landscape_page_with_aim_diagram_ramps_charts_and_lessons(ws: Workspace) -> None:
    set_report_text(ws, "Psykiatrien Syd", "lessons", "Små test hurtigt: det virker.")
    report = storyboard(ws, "Psykiatrien Syd", **PERIOD, lang="da")
    doc = parse(report.text)
    assert doc.external == []
    assert "@page { size: A3 landscape" in report.text
    assert doc.headings[0] == "Storyboard: Psykiatrien Syd, Vordingborg"
    assert {"Driverdiagram", "Data", "PDSA-ramper", "Erfaringer"} <= set(doc.headings)
    assert 1 <= doc.tags.count("svg") <= 4
    assert report.data["charts"][:2] == ["R1", "R2"]  # result indicators first
    assert len(doc.ids) == len(set(doc.ids))
    text = " ".join(doc.text)
    assert "Færre tvangsindlæggelser" in text
    assert "Ringe hjem (cyklus 2)" in text
    assert "Små test hurtigt: det virker." in text
    assert "Kendskabsbesøg: fasthold – Besøgene gav tryghed før indlæggelse." in text


def test_storyboard_with_chosen_indicators_and_an_empty_team(ws: Workspace) -> None:
    chosen = storyboard(ws, "Psykiatrien Syd", **PERIOD, indicators=["V1"], lang="en")
    assert chosen.data["charts"] == ["V1"]
    empty_team = ws.add_team("Nyt team")
    empty = storyboard(ws, empty_team.id, **PERIOD, lang="en")
    text = " ".join(parse(empty.text).text)
    assert "No aim written yet." in text and "No indicators with data yet." in text
    assert "No PDSA cycles yet." in text


def test_national_rollup_lists_every_team_and_indicator_with_months_delivered(ws: Workspace) -> None:
    data = rollup_data([ws], **PERIOD, lang="en", suppress_small=False)
    assert [t["name"] for t in data["teams"]] == [
        "BUC Roskilde",
        "Psykiatrien Syd, Vordingborg",
        "Psykiatrien Vest, Slagelse",
    ]
    pairs = {(r["team_name"], r["code"]): r for r in data["rows"]}
    assert set(pairs) == {
        ("BUC Roskilde", "R1"),
        ("BUC Roskilde", "BU1"),
        *(("Psykiatrien Syd, Vordingborg", c) for c in ("R1", "R2", "F1", "V1", "V3")),
        ("Psykiatrien Vest, Slagelse", "R1"),
        ("Psykiatrien Vest, Slagelse", "V1"),
    }
    assert pairs[("Psykiatrien Syd, Vordingborg", "F1")]["months_text"] == "2022-01–2022-05, 2022-07–2022-09"
    assert pairs[("Psykiatrien Vest, Slagelse", "R1")]["months_text"] == "2022-01–2022-04"
    assert pairs[("Psykiatrien Vest, Slagelse", "R1")]["missing_text"] == "2022-05–2022-09"
    assert pairs[("BUC Roskilde", "R1")]["months_text"] == "none"
    v1 = next(i for i in data["indicators"] if i["code"] == "V1")
    assert (v1["teams_delivered"], v1["teams_with"]) == (1, 2)
    assert [i["code"] for i in data["indicators"]] == ["R1", "R2", "F1", "V1", "V3", "BU1"]
    r1 = next(i for i in data["indicators"] if i["code"] == "R1")
    assert r1["per_team"] == {"T1": "0/9", "T2": "9/9", "T3": "4/9"}
    # change ideas matched across teams by normalised title
    ideas = {i["title"]: i for i in data["ideas"]}
    assert ideas["Kendskabsbesøg"]["states"] == {"adopted": ["T2", "T3"]}
    call = next(i for i in data["ideas"] if i["key"] == "ringe hjem ordning")
    # T2's ramp went on after "adapt" and its second cycle is running; T3's first test started after
    # the period (on 2022-10-03), so as of the period's end it had not tested it yet
    assert call["states"] == {"testing": ["T2"], "untested": ["T3"]}
    today = rollup_data([ws], **PERIOD, lang="en", suppress_small=False, state_today=True)
    call = next(i for i in today["ideas"] if i["key"] == "ringe hjem ordning")
    assert call["states"] == {"testing": ["T2", "T3"]}
    assert call["n_teams"] == 2
    assert ideas["Elektive indlæggelser"]["states"] == {"abandoned": ["T2"]}


def test_national_rollup_hides_small_counts_by_default(ws: Workspace, tmp_path: Path) -> None:
    other = Workspace.create(tmp_path / "region-midt.json")
    team = other.add_team("Regionspsykiatrien Randers", region="Midtjylland")
    other.add_indicator(team.id, "R1", "Personer tvangsindlagt")
    other.add_measurement(team.id, "R1", "2022-09", value=3)
    report = national_rollup([ws, other], **PERIOD, lang="da", fmt="md")
    assert report.hidden_cells >= 1
    assert "Små tal: antal fra 1 til 4 vises som «<5»" in report.text
    assert "| T4 Regionspsykiatrien Randers | R1 | 2022-09 | 2022-01–2022-08 | <5 (2022-09) |" in report.text
    assert "| R1 Personer tvangsindlagt | 3 af 4 teams |" in report.text
    shown = national_rollup([ws, other], **PERIOD, lang="da", fmt="md", suppress_small=False)
    assert "| 3 (2022-09) |" in shown.text and "Små tal" not in shown.text
    html = national_rollup([ws, other], **PERIOD, lang="en", fmt="html")
    doc = parse(html.text)
    assert doc.external == []
    assert "@page { size: A4 landscape" in html.text
    assert doc.headings[:5] == [
        "National roll-up",
        "Teams in the roll-up",
        "Indicators delivered",
        "Indicators by team",
        "Spread of change ideas",
    ]


def test_small_numbers_formatting() -> None:
    small = SmallNumbers(enabled=True)
    assert [small.count(v) for v in (0, 1, 4, 5, None)] == ["0", "<5", "<5", "5", "–"]
    assert small.measurement(0.5, unit="proportion", numerator=2, denominator=4) == "n<5"
    assert small.measurement(0.5, unit="proportion", numerator=5, denominator=10) == "50 %"
    assert small.hidden == 3
    assert SmallNumbers(enabled=False).count(2) == "2"
    assert SmallNumbers(enabled=False).note("da") == ""


def test_normalised_titles() -> None:
    assert normalise_title("Ringe hjem-ordning (cyklus 3)") == normalise_title("ringe  hjem ordning")
    assert normalise_title("Kendskabsbesøg!") == "kendskabsbesoeg"


def test_period_errors(ws: Workspace) -> None:
    with pytest.raises(ValidationError, match="ends \\(2022-01\\) before it starts \\(2022-09\\)"):
        status_report(ws, "BUC Roskilde", period_from="2022-09", period_to="2022-01")
    with pytest.raises(ValidationError, match="report format must be md or html"):
        status_report(ws, "BUC Roskilde", fmt="pdf")


# -- the command line ------------------------------------------------------------------------------
def _cli(*args: str):
    from click.testing import CliRunner

    from pdsa_cli import build_cli

    return CliRunner().invoke(build_cli(), list(args))


def test_cli_writes_the_reports_and_the_team_texts(ws: Workspace, tmp_path: Path) -> None:
    path = str(ws.location)
    result = _cli(
        "-w",
        path,
        "--lang",
        "da",
        "report",
        "text",
        "--team",
        "Psykiatrien Syd",
        "--from",
        "2022-01",
        "--to",
        "2022-09",
        "assessment",
        "Projektet er godt på vej.",
    )
    assert result.exit_code == 0, result.output
    assert "Gemte assessment for Psykiatrien Syd, Vordingborg (2022-01..2022-09)." in result.output
    listed = _cli("-w", path, "report", "text", "--team", "Psykiatrien Syd", "--json")
    assert '"assessment": "Projektet er godt på vej."' in listed.output

    out = tmp_path / "status.md"
    result = _cli(
        "-w",
        path,
        "--lang",
        "da",
        "report",
        "status",
        "--team",
        "Psykiatrien Syd",
        "--from",
        "2022-01",
        "--to",
        "2022-09",
        "--format",
        "md",
        "-o",
        str(out),
        "--suppress-small",
    )
    assert result.exit_code == 0, result.output
    assert "Projektet er godt på vej." in out.read_text(encoding="utf-8")
    assert sorted(p.name for p in (tmp_path / "status-charts").iterdir()) == [
        "F1.svg",
        "R1.svg",
        "R2.svg",
        "V1.svg",
    ]
    assert "små tal er skjult" in result.output

    html = tmp_path / "status.html"
    result = _cli(
        "-w",
        path,
        "report",
        "status",
        "--team",
        "Psykiatrien Syd",
        "--from",
        "2022-01",
        "--to",
        "2022-09",
        "-o",
        str(html),
        "--no-plugin-sections",
    )
    assert result.exit_code == 0, result.output
    assert parse(html.read_text(encoding="utf-8")).tags.count("svg") == 4

    poster = tmp_path / "storyboard.html"
    result = _cli(
        "-w",
        path,
        "report",
        "storyboard",
        "--team",
        "Psykiatrien Syd",
        "--to",
        "2022-09",
        "--indicator",
        "R1",
        "-o",
        str(poster),
    )
    assert result.exit_code == 0, result.output
    assert parse(poster.read_text(encoding="utf-8")).tags.count("svg") == 1

    other = tmp_path / "other.json"
    Workspace.create(other).add_team("Aalborg Universitetshospital, Psykiatrien", region="Nordjylland")
    result = _cli(
        "report",
        "national",
        "--workspace",
        path,
        "--workspace",
        str(other),
        "--from",
        "2022-01",
        "--to",
        "2022-09",
        "--format",
        "md",
    )
    assert result.exit_code == 0, result.output
    assert "| T4 | Aalborg Universitetshospital, Psykiatrien | Region Nordjylland |" in result.output
    assert "Small numbers: counts from 1 to 4" in result.output
    data = _cli(
        "-w",
        path,
        "report",
        "national",
        "--from",
        "2022-01",
        "--to",
        "2022-09",
        "--no-suppress-small",
        "--json",
    )
    assert data.exit_code == 0, data.output
    assert '"suppress_small": false' in data.output


def test_cli_report_errors_are_one_clear_line(ws: Workspace) -> None:
    result = _cli("-w", str(ws.location), "report", "status", "--team", "Nowhere")
    assert result.exit_code == 3
    assert result.output.startswith("Error: no team 'Nowhere'")
    result = _cli("-w", str(ws.location), "report", "status", "--team", "BUC", "--from", "2022-13")
    assert result.exit_code == 2 and "month 13 is not between 01 and 12" in result.output
    result = _cli("-w", str(ws.location), "report", "text", "--team", "BUC", "barriers")
    assert result.exit_code == 2 and "give the barriers text" in result.output
