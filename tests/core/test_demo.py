"""The demo workspace: what it holds, that it is the same every time, and that it refuses to overwrite."""

from __future__ import annotations

import hashlib
import re
import statistics
from pathlib import Path

import pytest
from click.testing import CliRunner

from pdsa_core import demo
from pdsa_core.analysis import analyze_indicator
from pdsa_core.demo.builder import DemoBuilder
from pdsa_core.demo.story import INDICATOR_SETS_FILE
from pdsa_core.domain import CycleStatus, NodeKind, Role
from pdsa_core.domain.common import month_range
from pdsa_core.errors import ValidationError, WorkspaceError
from pdsa_core.workspace import Workspace

SYD = "Psykiatrien Syd, Vordingborg"
VIBORG = "Regionspsykiatrien Midt, Viborg"
AALBORG = "Børne- og Ungdomspsykiatrien, Aalborg"
AARHUS = "Børne- og Ungdomspsykiatrien Aarhus (BUA)"

SYD_CYCLES = (
    "Kendskabsbesøg",
    "Ambulante forhåndstilkendegivelser",
    "Ringe før 1. ambulante samtale",
    "Elektive indlæggelser i sengeafsnit",
    "Review af komplicerede tvangsindlæggelser",
    "Ringe hjem-ordning efter udskrivelse ved en tvangsindlæggelse",
    "Udskrivningsaftaler/koordinationsplaner",
)
ALL_MONTHS = month_range("2018-01", "2023-09")
BASELINE = month_range("2018-01", "2020-12")


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo.write_demo(tmp_path_factory.mktemp("demo") / "demo.json")


@pytest.fixture()
def ws(demo_path: Path) -> Workspace:
    return Workspace.open(demo_path)


def values(ws: Workspace, team: str, code: str, periods: list[str] | None = None) -> list[float]:
    wanted = set(periods) if periods is not None else None
    return [
        m.value  # type: ignore[misc]
        for m in ws.measurements(team, code)
        if wanted is None or m.period in wanted
    ]


# -- writing ----------------------------------------------------------------------------------------------
def test_writes_a_workspace_that_reopens_and_says_it_is_synthetic(demo_path: Path, ws: Workspace) -> None:
    assert demo_path.is_file() and demo_path.stat().st_size > 0
    settings = ws.settings()
    assert settings["demo"] is True
    assert settings["note"] == "Syntetiske data / synthetic data"
    assert settings["as_of"] == "2023-10-16"
    assert [t.name for t in ws.teams()] == sorted([SYD, VIBORG, AALBORG, AARHUS], key=str.lower)
    for team in ws.teams():
        assert "SYNTETISKE DATA" in team.description and "SYNTHETIC DATA" in team.description


def test_two_writes_give_byte_identical_files(tmp_path: Path, demo_path: Path) -> None:
    again = demo.write_demo(tmp_path / "again.json")
    assert again.read_bytes() == demo_path.read_bytes()


#: SHA-256 of the demo file. The demo's story moved from Python literals to data files
#: (pdsa_core/demo/data) without changing a byte. A deliberate change of the demo, or of the
#: workspace file format, changes it: look at the new demo (pdsa demo), then update the digest.
#: (Schema 4, months stored as runs and whole-number floats as integers, changed it; every
#: table reads back as schema 3's did, as JSON byte for byte.)
DEMO_SHA256 = "1a6dac96b9206d7c2a094176c6e89fcfb8d700d8244aabbae8a4a55c0ee9de52"


def test_the_demo_is_the_committed_one(demo_path: Path) -> None:
    assert hashlib.sha256(demo_path.read_bytes()).hexdigest() == DEMO_SHA256


def test_a_mistake_in_the_demo_data_names_the_team_and_what_is_wrong() -> None:
    from pdsa_core.assessments import builtin_musiq
    from pdsa_core.demo import story

    instrument = builtin_musiq()
    ratings = dict.fromkeys(instrument.factor_ids[1:], 4)
    assessment = {"date": "2022-01-25", "setting": "x", "participants": [], "ratings": ratings}
    with pytest.raises(ValidationError, match=r"syd, assessment 2022-01-25: .*missing: external_motivators"):
        story._assessment(assessment, instrument, "demo team syd")
    ratings["external_motivator"] = 3
    with pytest.raises(ValidationError, match=r"unknown: external_motivator;"):
        story._assessment(assessment, instrument, "demo team syd")
    shared = story._read(story.DATA / "story.toml")
    with pytest.raises(ValidationError, match="ideas under drivers the track does not have: Deltagerkres"):
        story._drivers(["network"], shared["drivers"], {"Deltagerkres": ["Kaffe"]}, "demo team syd")


def test_does_not_depend_on_todays_date(
    tmp_path: Path, demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With every clock the services could fall back on moved years ahead, the bytes are the same."""
    import pdsa_core.domain.common as common
    import pdsa_core.storage.tinydb_store as tinydb_store

    monkeypatch.setattr(common, "now_iso", lambda: "2031-02-03T04:05:06+00:00")
    monkeypatch.setattr(common, "today_iso", lambda: "2031-02-03")
    monkeypatch.setattr(tinydb_store, "now_iso", lambda: "2031-02-03T04:05:06+00:00")
    assert demo.write_demo(tmp_path / "later.json").read_bytes() == demo_path.read_bytes()


def test_refuses_to_overwrite_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "precious.json"
    target.write_text('{"not": "a workspace"}')
    with pytest.raises(WorkspaceError, match="already exists") as caught:
        demo.write_demo(target)
    assert caught.value.where == str(target)
    assert target.read_text() == '{"not": "a workspace"}'


def test_refuses_to_fill_a_workspace_in_use(workspace: Workspace) -> None:
    workspace.add_team("Eget team", region="Region Sjælland")
    before = workspace.export()
    with pytest.raises(WorkspaceError, match=r"only fill an empty workspace.*teams \(1\)"):
        demo.build_demo(workspace)
    assert workspace.export() == before


def test_build_demo_fills_an_empty_workspace_and_keeps_its_settings(workspace: Workspace) -> None:
    workspace.update_settings(language="da")
    demo.build_demo(workspace)
    assert workspace.settings()["language"] == "da"
    assert workspace.settings()["demo"] is True
    assert len(workspace.teams()) == 4
    assert workspace.revision == 2  # the settings, then the whole demo in one transaction


def test_a_failed_build_leaves_no_file_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(DemoBuilder, "build", broken)
    target = tmp_path / "demo.json"
    with pytest.raises(RuntimeError, match="disk full"):
        demo.write_demo(target)
    assert not target.exists()


def test_the_cli_writes_the_demo_and_refuses_to_overwrite_it(tmp_path: Path) -> None:
    from pdsa_cli import build_cli

    target = tmp_path / "cli-demo.json"
    first = CliRunner().invoke(build_cli(), ["demo", "--write", str(target)])
    assert first.exit_code == 0, first.output
    second = CliRunner().invoke(build_cli(), ["demo", "--write", str(target)])
    assert second.exit_code != 0
    assert "already exists" in second.output


def test_no_person_identifier_is_stored(demo_path: Path) -> None:
    assert not re.search(r"\b\d{6}-?\d{4}\b", demo_path.read_text(encoding="utf-8"))


# -- teams ------------------------------------------------------------------------------------------------
def test_teams_regions_tracks_municipalities_and_roles(ws: Workspace) -> None:
    syd = ws.team(SYD)
    assert (syd.region.value, syd.track.value) == ("Region Sjælland", "voksenspor")
    assert syd.municipalities == ["Vordingborg", "Guldborgsund"]
    roles = {m.role for m in syd.members}
    assert {Role.TOVHOLDER, Role.LEADER, Role.PEER, Role.DATA_CONSULTANT} <= roles
    assert len(syd.tovholdere()) == 2

    viborg = ws.team(VIBORG)
    assert (viborg.region.value, viborg.track.value) == ("Region Midtjylland", "voksenspor")
    assert any("Kommune" in m.organisation for m in viborg.tovholdere())
    assert any("Regionspsykiatrien" in m.organisation for m in viborg.tovholdere())

    aalborg = ws.team(AALBORG)
    assert (aalborg.region.value, aalborg.track.value) == ("Region Nordjylland", "børne- og ungespor")
    assert aalborg.municipalities == ["Aalborg"]
    assert any("Aalborg Kommune" in m.organisation for m in aalborg.tovholdere())

    aarhus = ws.team(AARHUS)
    assert (aarhus.region.value, aarhus.track.value) == ("Region Midtjylland", "børne- og ungespor")


# -- indicators -------------------------------------------------------------------------------------------
def test_indicator_sets_per_track(ws: Workspace) -> None:
    adults = ["R1", "R2", "F1", "F2", "F3", "F4", "V1", "V2", "V3", "V4"]
    children = ["R1", "R2", "F1", "F2", "F3", "F4", "BU1", "BU2", "BU3", "BU4"]
    for team in (SYD, VIBORG):
        assert [i.code for i in ws.indicators(team)] == adults
        assert {i.indicator_set for i in ws.indicators(team)} == {"lkt-tvang-voksen"}
    for team in (AALBORG, AARHUS):
        assert [i.code for i in ws.indicators(team)] == children
        assert {i.indicator_set for i in ws.indicators(team)} == {"lkt-tvang-boern-unge"}


#: the LKT Tvang plugin's indicator sets, relative to the repository
PLUGIN_SETS_FILE = "plugins/pdsa-lkt-tvang/pdsa_lkt_tvang/data/indicator_sets.json"


def test_indicator_sets_are_the_lkt_tvang_plugins(ws: Workspace) -> None:
    """The demo keeps its own copy so it works without the plugin; the two must not drift apart.

    Compared with the plugin's file in this repository (not with an installed copy of the
    plugin, which may be older), and with the sets the installed plugin registers.
    """
    from pdsa_lkt_tvang.indicators import indicator_sets

    plugin_file = Path(__file__).resolve().parents[2] / PLUGIN_SETS_FILE
    assert INDICATOR_SETS_FILE.read_bytes() == plugin_file.read_bytes(), (
        "the demo's copy of the LKT Tvang indicator sets differs from the plugin's: copy "
        f"{PLUGIN_SETS_FILE} to pdsa_core/demo/data/"
        "lkt_tvang_indicator_sets.json"
    )
    plugin = {s.id: s.to_dict() for s in indicator_sets()}
    assert plugin == {key: s.to_dict() for key, s in demo.demo_indicator_sets().items()}
    for team in ws.teams():  # each team's copy differs only in its own population
        definitions = {d["code"]: d for d in plugin[team.indicator_set]["indicators"]}
        for indicator in ws.indicators(team.id):
            stored = {k: v for k, v in indicator.to_dict().items() if k in definitions[indicator.code]}
            assert {**stored, "population": ""} == {**definitions[indicator.code], "population": ""}


def test_indicator_definitions(ws: Workspace) -> None:
    for team in ws.teams():
        for indicator in ws.indicators(team.id):
            assert indicator.name_da and indicator.name_en
            assert indicator.population, f"{team.name} {indicator.code} has no population"
            new_tool = indicator.voluntary or indicator.code == "BU1"  # no baseline period
            baseline = ("", "") if new_tool else ("2018-01", "2020-12")
            assert (indicator.baseline_start, indicator.baseline_end) == baseline, indicator.code
    r1 = ws.indicator(SYD, "R1")
    assert (r1.kind.value, r1.unit.value, r1.direction.value) == ("result", "count", "down")
    assert r1.target is not None
    assert (r1.target.value, r1.target.date, r1.target.relative) == (-0.10, "2023-09-30", True)
    assert ws.indicator(SYD, "R2").target == r1.target
    assert ws.indicator(SYD, "F2").kind.value == "follow"
    for code in ("V1", "V2"):
        v = ws.indicator(VIBORG, code)
        assert (v.kind.value, v.unit.value, v.direction.value) == ("process", "proportion", "up")
        assert not v.voluntary
    assert ws.indicator(VIBORG, "V3").voluntary
    bu1 = ws.indicator(AALBORG, "BU1")
    assert (bu1.kind.value, bu1.unit.value, bu1.direction.value) == ("process", "count", "up")
    assert "Guldborgsund" in r1.population and "S1" in r1.population


def test_proportions_carry_numerator_and_denominator(ws: Workspace) -> None:
    for team in (SYD, VIBORG):
        for code in ("V1", "V2"):
            items = ws.measurements(team, code)
            assert items
            for m in items:
                assert m.numerator is not None and m.denominator
                assert 0 <= m.numerator <= m.denominator
                assert m.value == pytest.approx(m.numerator / m.denominator)


# -- monthly data -----------------------------------------------------------------------------------------
#: (team, indicator) -> months deliberately missing between 2018-01 and 2023-09
DELIBERATE_GAPS = {
    (AALBORG, "R1"): ["2022-03"],
    (AALBORG, "R2"): ["2022-03"],
    (AALBORG, "F1"): month_range("2022-03", "2023-09"),
    (AALBORG, "F2"): month_range("2022-03", "2023-09"),
    (VIBORG, "V3"): [p for p in ALL_MONTHS if not ("2023-03" <= p <= "2023-09") or p == "2023-07"],
    # BU1 counts a tool the project introduced: from the project start, no baseline
    (AALBORG, "BU1"): month_range("2018-01", "2021-12"),
    (AARHUS, "BU1"): month_range("2018-01", "2021-12"),
}
#: indicators nobody delivered (municipality not taking part; voluntary indicators)
NO_DATA = (
    {(SYD, c) for c in ("F3", "F4", "V3", "V4")}
    | {(VIBORG, "V4")}
    | {(team, c) for team in (AALBORG, AARHUS) for c in ("BU2", "BU3", "BU4")}
)


def test_months_from_2018_01_to_2023_09_except_the_deliberate_gaps(ws: Workspace) -> None:
    for team in ws.teams():
        for indicator in ws.indicators(team.id):
            key = (team.name, indicator.code)
            periods = [m.period for m in ws.measurements(team.id, indicator.code)]
            if key in NO_DATA:
                assert periods == [], key
                continue
            missing = [p for p in ALL_MONTHS if p not in periods]
            if key == (SYD, "V2"):  # no share of UA when no UA/KP was made that month
                numerators = {m.period: m.numerator for m in ws.measurements(SYD, "V1")}
                assert missing and all(numerators[p] == 0 for p in missing)
                assert all(numerators[p] > 0 for p in periods)
                continue
            assert missing == DELIBERATE_GAPS.get(key, []), key
            assert set(periods) <= set(ALL_MONTHS), key
            if key not in DELIBERATE_GAPS:
                assert ws.missing_months(team.id, indicator.code, until="2023-09") == []


def test_baseline_medians_and_ranges_match_the_status_report(ws: Workspace) -> None:
    # Psykiatrien Syd: R1 and R2 median 2, range 0-5; F1 median 9, range 1-33; F2 median 17
    for code in ("R1", "R2"):
        base = values(ws, SYD, code, BASELINE)
        assert (statistics.median(base), min(base), max(base)) == (2, 0, 5)
    f1 = values(ws, SYD, "F1", BASELINE)
    assert (statistics.median(f1), min(f1), max(f1)) == (9, 1, 33)
    assert statistics.median(values(ws, SYD, "F2", BASELINE)) == 17
    # V1: hardly any UA/KP before the project, none in 2020-2021, a clear rise from March 2022
    v1 = {m.period: m for m in ws.measurements(SYD, "V1")}
    assert all(v1[p].numerator == 0 for p in month_range("2020-01", "2021-12"))
    assert [round(v1[p].value * 100) for p in ("2022-03", "2022-04", "2022-06", "2022-07", "2022-08")] == [
        9,
        14,
        21,
        24,
        27,
    ]
    # every event count is at least the person count of the same month
    for team in ws.teams():
        for persons, events in (("R1", "R2"), ("F1", "F2"), ("F3", "F4")):
            by_month = {m.period: m.value for m in ws.measurements(team.id, persons)}
            for m in ws.measurements(team.id, events):
                if m.period in by_month:
                    assert m.value >= by_month[m.period], (team.name, events, m.period)

    # Viborg: small but constant numbers; UA/KP stably high
    r1 = values(ws, VIBORG, "R1", BASELINE)
    assert statistics.median(r1) == 2 and max(r1) <= 5
    assert 0.6 <= statistics.median(values(ws, VIBORG, "V1", BASELINE)) <= 0.9
    f3 = values(ws, VIBORG, "F3", BASELINE)
    f4 = values(ws, VIBORG, "F4", BASELINE)
    assert (sum(f3), sum(f4)) == (4, 5)  # 5 episodes on 4 citizens
    assert sum(values(ws, VIBORG, "F4", month_range("2022-01", "2022-12"))) == 0

    # Aalborg: 5 persons coercively admitted to BU1 in the baseline, 21 other coercive events
    assert values(ws, AALBORG, "R1", BASELINE).count(1) == 5
    assert sum(values(ws, AALBORG, "R1", BASELINE)) == 5
    assert sum(values(ws, AALBORG, "F2", BASELINE)) == 21
    f3 = values(ws, AALBORG, "F3", month_range("2019-05", "2020-12"))
    f4 = values(ws, AALBORG, "F4", month_range("2019-05", "2020-12"))
    assert (min(f3), max(f3)) == (1, 3) and 1 <= min(f4) and max(f4) <= 10
    assert set(values(ws, AALBORG, "BU1", month_range("2022-01", "2022-10"))) == {0}
    assert sum(values(ws, AALBORG, "BU1", month_range("2022-11", "2023-09"))) > 10

    # Aarhus: a marked rise after the law change of August 2020, a fall in 2022
    r2 = ws.measurements(AARHUS, "R2")
    base = sum(m.value for m in r2 if m.period <= "2020-07") / 31
    y2021 = sum(m.value for m in r2 if m.period.startswith("2021")) / 12
    y2022 = sum(m.value for m in r2 if m.period.startswith("2022")) / 12
    assert y2021 > 3 * base and y2022 < y2021 / 3
    f2 = ws.measurements(AARHUS, "F2")
    assert sum(m.value for m in f2 if m.period.startswith("2021")) > 1000  # 1,198 in the report


def test_the_anhoej_rules_find_the_improvement_and_leave_random_variation_alone(ws: Workspace) -> None:
    f1 = analyze_indicator(ws, SYD, "F1")
    assert f1 is not None and f1.verdict_en.signal
    project = values(ws, SYD, "F1", month_range("2022-04", "2023-09"))
    assert statistics.median(project) < 9  # the run is below the baseline median: fewer persons
    assert analyze_indicator(ws, SYD, "V1").verdict_en.signal  # type: ignore[union-attr]
    for team, code in ((SYD, "R1"), (SYD, "R2"), (VIBORG, "R1"), (VIBORG, "R2")):
        analysis = analyze_indicator(ws, team, code)
        assert analysis is not None and not analysis.verdict_en.signal, (team, code)
        assert analysis.verdict_en.status == "random"


def test_recomputed_baseline_keeps_the_first_values_as_revisions(ws: Workspace) -> None:
    revised = [m for m in ws.measurements(VIBORG, "R1") if m.revisions]
    assert revised
    for m in revised:
        assert m.period <= "2022-04"
        (revision,) = m.revisions
        assert revision.entered_at < revision.replaced_at == "2022-06-01T09:00:00+00:00"
        assert revision.note == "Opgjort med den oprindelige datadefinition"
        assert revision.value != m.value


def test_late_nordepj_data_arrived_in_one_batch(ws: Workspace) -> None:
    late = [m for m in ws.measurements(AALBORG, "R1") if "2022-04" <= m.period <= "2022-12"]
    assert len(late) == 9
    assert {m.source_file for m in late} == {"NordEPJ-udtraek-BUP-Aalborg-2022-04-2022-12.xlsx"}
    assert {m.entered_at for m in late} == {"2023-01-16T09:00:00+00:00"}


# -- annotations ------------------------------------------------------------------------------------------
def test_law_changes_project_start_and_system_and_definition_changes(ws: Workspace) -> None:
    for team in ws.teams():
        notes = ws.annotations(team.id)
        law = [(n.date, n.kind.value) for n in notes if n.kind.value == "law change"]
        assert law == [("2019-07-01", "law change"), ("2020-08-01", "law change")]
        assert any(n.date == "2022-01-01" and "Projektperioden" in n.text for n in notes)
    (nordepj,) = [n for n in ws.annotations(AALBORG) if n.kind.value == "it system change"]
    assert (nordepj.date, nordepj.phase_split) == ("2022-03-25", True)
    assert "NordEPJ" in nordepj.text and nordepj.indicators == ["R1", "R2", "F1", "F2"]
    (definition,) = [n for n in ws.annotations(VIBORG) if n.kind.value == "data definition change"]
    assert "baseline genberegnet" in definition.text
    (law_2020,) = [n for n in ws.annotations(AARHUS) if n.date == "2020-08-01"]
    assert law_2020.phase_split and "F2" in law_2020.indicators


def test_cycles_with_indicators_are_marked_on_the_charts(ws: Workspace) -> None:
    for team in ws.teams():
        notes = {(n.date, n.kind.value, n.text) for n in ws.annotations(team.id)}
        for cycle in ws.cycles(team.id):
            if cycle.indicators and cycle.start_date:
                assert (cycle.start_date, "pdsa start", f"PDSA start: {cycle.title}") in notes
            if cycle.indicators and cycle.end_date:
                assert (cycle.end_date, "pdsa end", f"PDSA end: {cycle.title}") in notes


# -- driver diagrams and cycles ---------------------------------------------------------------------------
def test_driver_diagrams_follow_the_experience_catalogue(ws: Workspace) -> None:
    expected = {
        "voksenspor": ["Udskrivningsaftaler/koordinationsplaner (UA/KP)", "Tværsektorielle netværksmøder"],
        "børne- og ungespor": ["Trygheds- og forebyggelsesplaner", "Tværsektorielle netværksmøder"],
    }
    for team in ws.teams():
        diagram = ws.diagram(team.id)
        assert diagram.aim.startswith("At reducere omfanget af tvangsindlæggelser")
        assert [n.text for n in diagram.children(None)] == expected[team.track.value]
        assert len(diagram.of_kind(NodeKind.SECONDARY)) >= 7
        assert len(diagram.of_kind(NodeKind.CHANGE_IDEA)) >= 4
        history = ws.diagram_history(team.id)
        assert history[-1].action == "template" and len(history) >= 2
        for cycle in ws.cycles(team.id):
            assert diagram.node(cycle.change_idea).kind is NodeKind.CHANGE_IDEA
    syd = ws.diagram(SYD)
    review = syd.node("Review af komplicerede tvangsindlæggelser")
    assert len(review.parents) == 2  # serves two drivers
    assert [h.action for h in ws.diagram_history(SYD)] == ["rename", "move", "move", "add", "template"]


def test_syd_has_its_seven_cycles_with_filled_worksheets(ws: Workspace) -> None:
    cycles = ws.cycles(SYD)
    titles = [c.title for c in cycles]
    for title in SYD_CYCLES:
        assert title in titles
    for cycle in cycles:
        for field in ("objective", "questions", "predictions", "plan_who", "plan_what", "plan_when"):
            assert getattr(cycle, field), (cycle.title, field)
        assert cycle.plan_where and cycle.data_to_collect and cycle.owner
        if cycle.status is not CycleStatus.PLANNED:
            assert cycle.start_date and cycle.do_observations, cycle.title
        if cycle.status in (CycleStatus.STUDYING, CycleStatus.ACTING, CycleStatus.DONE):
            assert cycle.study_results, cycle.title
        if cycle.status is CycleStatus.DONE:
            assert cycle.act_decision.value in ("adopt", "adapt") and cycle.next_step and cycle.end_date


def test_ramps_and_every_status_on_the_board(ws: Workspace) -> None:
    statuses = {c.status for c in ws.cycles()}
    assert statuses == set(CycleStatus)
    follow_up = ws.cycle("Ringe hjem-ordning efter udskrivelse ved en tvangsindlæggelse (cyklus 2)", SYD)
    first, second = ws.ramp(follow_up.id)
    assert first.title == "Ringe hjem-ordning efter udskrivelse ved en tvangsindlæggelse"
    assert first.act_decision.value == "adapt" and first.status is CycleStatus.DONE
    assert second.id == follow_up.id and second.status is CycleStatus.DOING
    assert second.change_idea == first.change_idea
    ua = ws.ramp(ws.cycle("Udskrivningsaftaler/koordinationsplaner", SYD).id)
    assert [c.act_decision.value for c in ua] == ["adapt", "adopt"]
    assert all(set(c.indicators) == {"V1", "V2"} for c in ua)
    abandoned = ws.cycles(VIBORG, status="abandoned")
    assert len(abandoned) == 1 and abandoned[0].act_decision.value == "abandon"


# -- MUSIQ and meetings -----------------------------------------------------------------------------------
def test_musiq_assessments_use_the_built_in_instrument(ws: Workspace) -> None:
    from pdsa_core.assessments import RatingInput, builtin_musiq, check_ratings

    instrument = builtin_musiq()
    viborg = ws.assessments(VIBORG)
    assert [(a.date, a.setting) for a in viborg] == [
        ("2022-03-08", "regional psykiatri"),
        ("2022-03-22", "kommune"),
        ("2023-03-14", "regional psykiatri"),
    ]
    assert len(ws.assessments(SYD)) == 1
    for assessment in [*viborg, *ws.assessments(SYD)]:
        assert (assessment.instrument, assessment.instrument_version) == (instrument.id, instrument.version)
        assert assessment.participants
        checked = check_ratings(
            instrument, [RatingInput(r.factor, r.value, r.note) for r in assessment.ratings]
        )
        assert [r.to_dict() for r in checked] == [r.to_dict() for r in assessment.ratings]


def test_a_past_meeting_has_decisions_and_an_overdue_open_action(ws: Workspace) -> None:
    meetings = ws.meetings(SYD)
    assert [m.date for m in meetings] == ["2023-06-20", "2023-08-22"]
    assert all(m.closed and m.decisions and m.attendees for m in meetings)
    overdue = [a for m in meetings for a in m.actions if not a.done and a.due < "2023-10-01"]
    assert len(overdue) == 1 and overdue[0].owner == "Jens Kofoed"
    done = [a for m in meetings for a in m.actions if a.done]
    assert done and all(a.done_at for a in done)
