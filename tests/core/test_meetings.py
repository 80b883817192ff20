"""Meeting mode through the core: agenda, recording, minutes, actions carried over."""

from __future__ import annotations

import json

import pytest

from pdsa_core.errors import NotFoundError, ValidationError
from pdsa_core.meetings import (
    Agenda,
    add_action,
    build_agenda,
    close_meeting,
    complete_action,
    meeting_agenda,
    minutes,
    month_ranges,
    note_item,
    planned_end,
    record_attendance,
    record_decision,
    start_meeting,
)
from pdsa_core.services.indicators import MeasurementInput

# A run of 17 months far below the baseline median: a signal by the Anhøj rules.
BASELINE = [3, 4, 2, 5, 3, 4, 3, 2, 4, 5, 3, 4, 3, 2, 4, 3, 5, 3, 4, 2, 3, 4, 3, 5]
AFTER = [1, 0, 1, 1, 0, 2, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1]


@pytest.fixture()
def team(workspace):
    ws = workspace
    t = ws.add_team("Psykiatrien Syd, Vordingborg", region="Sjælland")
    ws.add_indicator(
        t.id,
        "R1",
        "Personer tvangsindlagt",
        name_en="Persons coercively admitted",
        baseline_start="2019-01",
        baseline_end="2020-12",
    )
    ws.add_indicator(t.id, "R2", "Tvangsindlæggelser", name_en="Coercive admissions")
    ws.add_indicator(t.id, "V1", "Andel med UA/KP", unit="proportion", direction="up")
    ws.add_indicator(t.id, "V3", "Netværksmøder", unit="proportion", direction="up", voluntary=True)
    periods = [f"{y}-{m:02d}" for y in (2019, 2020, 2021, 2022) for m in range(1, 13)]
    values = BASELINE + AFTER
    ws.add_measurements(
        t.id, [MeasurementInput("R1", p, value=v) for p, v in zip(periods, values, strict=False)]
    )
    # R2 random: the same level throughout
    ws.add_measurements(
        t.id, [MeasurementInput("R2", p, value=BASELINE[i % 24]) for i, p in enumerate(periods[:40])]
    )
    ws.add_measurement(t.id, "V1", "2022-01", numerator=2, denominator=9)
    ws.add_measurement(t.id, "V1", "2022-04", numerator=4, denominator=9)
    return t


@pytest.fixture()
def cycles(workspace, team):
    ws = workspace
    due_study = ws.add_cycle(
        team.id, "Ringe hjem efter udskrivelse", plan_when="2022-04-01..2022-04-30", owner="Anna"
    )
    ws.update_cycle(due_study.id, start_date="2022-04-01")
    ws.set_cycle_status(due_study.id, "doing")
    not_due = ws.add_cycle(team.id, "Kendskabsbesøg", plan_when="maj-juli, til 2022-07-31")
    ws.update_cycle(not_due.id, start_date="2022-05-15")
    ws.set_cycle_status(not_due.id, "doing")
    studying = ws.add_cycle(team.id, "Ringe før 1. ambulante samtale")
    ws.set_cycle_status(studying.id, "doing")
    ws.set_cycle_status(studying.id, "studying")
    acting = ws.add_cycle(team.id, "Elektive indlæggelser")
    for status in ("doing", "studying", "acting"):
        ws.set_cycle_status(acting.id, status)
    ws.add_cycle(team.id, "Review af komplicerede tvangsindlæggelser")  # planned: not on the agenda
    return {"due": due_study, "not_due": not_due, "studying": studying, "acting": acting}


def test_a_whole_meeting_from_agenda_to_minutes_and_carry_over(workspace, team, cycles) -> None:
    ws = workspace
    clock = {"now": "2022-06-01T12:00:00+00:00"}
    ws.now = lambda: clock["now"]
    ws.add_assessment(team.id, instrument="musiq", instrument_version="1", date="2021-09-20", ratings=[])

    meeting = start_meeting(ws, team.id, "2022-06-01", ["Anna Hansen", "Bo Nielsen"])
    agenda = meeting_agenda(ws, meeting.id)
    assert isinstance(agenda, Agenda)
    assert agenda.since == ""
    ids = [item.id for item in agenda.items]
    # the signal of R1 is on the agenda, R2's random variation is not
    assert "signal:R1" in ids and "signal:R2" not in ids
    signal = agenda.item("signal:R1")
    assert signal.refs["new"] is True
    assert signal.title_da.startswith("Nyt signal: R1")
    assert "Ikke-tilfældig variation" in signal.detail_da
    assert "Non-random variation" in signal.detail_en
    # cycles due for Study (planned period passed) and Act; not the one still running or planned
    assert f"cycle:{cycles['due'].id}" in ids
    assert agenda.item(f"cycle:{cycles['due'].id}").refs["due_for"] == "study"
    assert agenda.item(f"cycle:{cycles['studying'].id}").refs["due_for"] == "study"
    assert agenda.item(f"cycle:{cycles['acting'].id}").refs["due_for"] == "act"
    assert f"cycle:{cycles['not_due'].id}" not in ids
    assert sum(1 for i in agenda.items if i.kind == "cycle") == 3
    # missing months up to the month before the meeting; a voluntary indicator without data is left out
    assert agenda.item("missing:R2").refs["months"] == ["2022-05"]
    assert agenda.item("missing:V1").refs["months"] == ["2022-02", "2022-03", "2022-05"]
    assert "missing:V3" not in ids
    assert "missing:R1" not in ids
    # MUSIQ was scored more than six months ago
    assert "2021-09-20" in agenda.item("musiq").detail_da
    # the agenda is in the order of a tavlemøde
    kinds = [item.kind for item in agenda.items]
    assert kinds == sorted(kinds, key=["action", "signal", "cycle", "missing_data", "musiq"].index)

    record_attendance(ws, meeting.id, ["Anna Hansen", "Bo Nielsen", "Carl (peer)"])
    record_decision(ws, meeting.id, "Ringe hjem fortsætter i juni", item=f"cycle:{cycles['due'].id}")
    record_decision(ws, meeting.id, "Datakonsulenten hjælper med V1")
    call = add_action(
        ws,
        meeting.id,
        "Ring til Guldborgsund Kommune",
        owner="Bo Nielsen",
        due="2022-06-20",
        item="signal:R1",
    )
    data = add_action(ws, meeting.id, "Find V1 for februar og marts", owner="Anna Hansen", due="2022-06-10")
    note_item(ws, meeting.id, "signal:R1", "Faldet følger starten af UA/KP.")

    text = close_meeting(ws, meeting.id, lang="da")
    assert text.startswith("# Referat af tavlemøde: Psykiatrien Syd, Vordingborg")
    assert "**Deltagere:** Anna Hansen, Bo Nielsen, Carl (peer)" in text
    assert "### 2. PDSA-cirkler klar til Study eller Act" in text
    assert "**Beslutning:** Ringe hjem fortsætter i juni" in text
    assert "  - Note: Faldet følger starten af UA/KP." in text
    assert "**Handling:** Ring til Guldborgsund Kommune; ansvarlig: Bo Nielsen; frist: 2022-06-20" in text
    assert "1. Ringe hjem fortsætter i juni\n2. Datakonsulenten hjælper med V1" in text
    assert "| Find V1 for februar og marts | Anna Hansen | 2022-06-10 | åben |" in text
    assert "*Udkast" not in text
    english = minutes(ws, meeting.id, lang="en")
    assert english.startswith("# Minutes of the team meeting")
    assert "## Open actions carried over to the next meeting" in english
    assert ws.meeting(meeting.id).closed

    # a closed meeting cannot change
    with pytest.raises(ValidationError, match="is closed"):
        record_decision(ws, meeting.id, "For sent")

    # the next meeting: both actions carry over; the signal is not repeated without new data
    clock["now"] = "2022-07-04T12:00:00+00:00"
    second = start_meeting(ws, team.id, "2022-07-04", ["Anna Hansen"])
    agenda2 = meeting_agenda(ws, second.id)
    assert agenda2.since == "2022-06-01"
    actions = agenda2.of_kind("action")
    assert [a.refs["action"] for a in actions] == [data.id, call.id]
    assert actions[0].urgent and "overskredet" in actions[0].detail_da
    assert "signal:R1" not in [i.id for i in agenda2.items]

    complete_action(ws, call.id)
    assert ws.meeting(meeting.id).actions[0].done_at == "2022-07-04"
    with pytest.raises(ValidationError, match="already done"):
        complete_action(ws, call.id)
    text2 = close_meeting(ws, second.id, lang="da")
    assert "Ring til Guldborgsund Kommune (ansvarlig: Bo Nielsen; overskredet" in text2
    assert "**udført på mødet**" in text2
    assert "Find V1 for februar og marts (ansvarlig: Anna Hansen" in text2
    assert "**føres videre**" in text2
    carried = text2.split("## Åbne handlinger, der føres videre til næste møde")[1]
    assert "Find V1 for februar og marts" in carried
    assert "Ring til Guldborgsund Kommune" not in carried

    # new data after the last meeting: the signal is back, as continuing
    clock["now"] = "2022-07-20T08:00:00+00:00"
    ws.add_measurement(team.id, "R1", "2022-06", value=0)
    clock["now"] = "2022-08-03T12:00:00+00:00"
    third = start_meeting(ws, team.id, "2022-08-03")
    item = meeting_agenda(ws, third.id).item("signal:R1")
    assert item.refs["new"] is False
    assert item.title_en.startswith("Signal continues: R1 Persons coercively admitted")
    assert [a.refs["action"] for a in meeting_agenda(ws, third.id).of_kind("action")] == [data.id]


def test_one_open_meeting_at_a_time_and_clear_errors(workspace, team) -> None:
    ws = workspace
    first = start_meeting(ws, team.id, "2022-06-01")
    with pytest.raises(ValidationError, match=f"2022-06-01 \\({first.id}\\) is still open"):
        start_meeting(ws, team.id, "2022-06-02")
    with pytest.raises(ValidationError, match="has no item 'signal:XX'"):
        record_decision(ws, first.id, "Noget", item="signal:XX")
    with pytest.raises(ValidationError, match="decision must not be empty"):
        record_decision(ws, first.id, "  ")
    with pytest.raises(ValidationError, match="due date must be a date"):
        add_action(ws, first.id, "Noget", due="næste uge")
    with pytest.raises(NotFoundError, match="no action 'act-x'"):
        complete_action(ws, "act-x")
    with pytest.raises(NotFoundError, match="no meeting 'mtg-none'"):
        close_meeting(ws, "mtg-none")
    with pytest.raises(ValidationError, match="meeting date must be a date"):
        start_meeting(ws, team.id, "1. juni")


def test_draft_minutes_while_open_and_item_notes_can_be_removed(workspace, team) -> None:
    ws = workspace
    meeting = start_meeting(ws, team.id, "2022-06-01", ["Anna"])
    note_item(ws, meeting.id, "signal:R1", "Første note")
    note_item(ws, meeting.id, "signal:R1", "Anden note")
    assert ws.meeting_extras(meeting.id)["item_notes"] == {"signal:R1": "Anden note"}
    note_item(ws, meeting.id, "signal:R1", "")
    assert ws.meeting_extras(meeting.id)["item_notes"] == {}
    draft = minutes(ws, meeting.id, lang="en")
    assert "*Draft: the meeting is not closed.*" in draft
    assert "No decisions." in draft


def test_action_by_text_reopen_and_save_meeting_keeps_the_agenda(workspace, team) -> None:
    ws = workspace
    meeting = start_meeting(ws, team.id, "2022-06-01")
    action = add_action(ws, meeting.id, "Opdatér tavlen", owner="Bo")
    done = complete_action(ws, "opdatér tavlen", team=team.id, done_at="2022-06-02")
    assert (done.id, done.done, done.done_at) == (action.id, True, "2022-06-02")
    assert ws.meeting_extras(meeting.id)["completed_actions"] == [action.id]
    reopened = ws.reopen_action(action.id)
    assert not reopened.done and ws.meeting_extras(meeting.id)["completed_actions"] == []
    ws.save_meeting(ws.meeting(meeting.id).replace(notes="Husk kaffe"))
    assert ws.meeting_agenda(meeting.id) is not None
    assert ws.meeting(meeting.id).notes == "Husk kaffe"


def test_musiq_interval_is_configurable(workspace, team) -> None:
    ws = workspace
    ws.add_assessment(team.id, instrument="MUSIQ", instrument_version="1", date="2022-01-10", ratings=[])
    assert [i.id for i in build_agenda(ws, team.id, date="2022-06-01").of_kind("musiq")] == []
    ws.update_team_settings(team.id, musiq_interval_months=3)
    assert [i.id for i in build_agenda(ws, team.id, date="2022-06-01").of_kind("musiq")] == ["musiq"]
    assert build_agenda(ws, team.id, date="2022-06-01", musiq_months=12).of_kind("musiq") == []
    with pytest.raises(ValidationError, match="at least 1"):
        build_agenda(ws, team.id, date="2022-06-01", musiq_months=0)


def test_a_long_running_cycle_without_dates_comes_up_for_study(workspace, team) -> None:
    ws = workspace
    cycle = ws.add_cycle(team.id, "Kendskabsbesøg")
    ws.update_cycle(cycle.id, start_date="2022-03-01")
    ws.set_cycle_status(cycle.id, "doing")
    agenda = build_agenda(ws, team.id, date="2022-06-01")
    assert "92 dage" in agenda.item(f"cycle:{cycle.id}").detail_da
    assert build_agenda(ws, team.id, date="2022-03-20").of_kind("cycle") == []


def test_agenda_round_trips_as_data(workspace, team) -> None:
    agenda = build_agenda(workspace, team.id, date="2022-06-01")
    assert Agenda.from_dict(agenda.to_dict()) == agenda


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022-04-01..2022-04-30", "2022-04-30"),
        ("fra 1.3.2022 til 15/3/2022", "2022-03-15"),
        ("2022-05", "2022-05-31"),
        ("uge 12", None),
        ("2022-13-40", None),
    ],
)
def test_planned_end(text: str, expected: str | None) -> None:
    assert planned_end(text) == expected


def test_month_ranges() -> None:
    assert month_ranges(["2022-01", "2022-02", "2022-03", "2022-06", "2021-12"]) == [
        "2021-12–2022-03",
        "2022-06",
    ]
    assert month_ranges([]) == []


# -- the command line ------------------------------------------------------------------------------
def _cli(*args: str):
    from click.testing import CliRunner

    from pdsa_cli import build_cli

    return CliRunner().invoke(build_cli(), list(args))


def test_a_meeting_from_the_command_line(workspace, team, tmp_path) -> None:
    path = str(workspace.location)
    preview = _cli("-w", path, "meeting", "agenda", team.id, "--date", "2022-06-01")
    assert preview.exit_code == 0, preview.output
    assert "Preview: the meeting has not started." in preview.output
    assert "New signal: R1 Persons coercively admitted" in preview.output

    started = _cli(
        "-w",
        path,
        "meeting",
        "start",
        "--team",
        "Psykiatrien Syd",
        "--date",
        "2022-06-01",
        "--attendee",
        "Anna",
        "--json",
    )
    assert started.exit_code == 0, started.output
    meeting_id = json.loads(started.output)["meeting"]["id"]
    assert _cli("-w", path, "meeting", "attend", "Psykiatrien Syd", "Bo", "Carl").output.strip() == (
        "Attendees: Anna, Bo, Carl"
    )
    decided = _cli(
        "-w", path, "meeting", "decide", meeting_id, "Datakonsulenten ser på R1", "--item", "signal:R1"
    )
    assert decided.exit_code == 0 and "Decision recorded (1 in all)." in decided.output
    action = _cli(
        "-w",
        path,
        "meeting",
        "action",
        "Psykiatrien Syd",
        "Ring til kommunen",
        "--owner",
        "Bo",
        "--due",
        "2022-06-15",
    )
    assert action.exit_code == 0, action.output
    assert _cli("-w", path, "meeting", "note", meeting_id, "signal:R1", "Faldet er tydeligt").exit_code == 0
    draft = _cli("-w", path, "meeting", "show", meeting_id)
    assert "*Draft: the meeting is not closed.*" in draft.output
    minutes_file = tmp_path / "referat.md"
    closed = _cli("-w", path, "--lang", "da", "meeting", "close", "Psykiatrien Syd", "-o", str(minutes_file))
    assert closed.exit_code == 0, closed.output
    text = minutes_file.read_text(encoding="utf-8")
    assert "**Beslutning:** Datakonsulenten ser på R1" in text and "Note: Faldet er tydeligt" in text
    listed = _cli("-w", path, "meeting", "list", "--team", "Psykiatrien Syd", "--json")
    assert [m["closed"] for m in json.loads(listed.output)] == [True]
    done = _cli(
        "-w",
        path,
        "meeting",
        "done",
        "Ring til kommunen",
        "--team",
        "Psykiatrien Syd",
        "--date",
        "2022-06-10",
    )
    assert done.exit_code == 0 and "is done (2022-06-10)" in done.output
    missing = _cli("-w", path, "meeting", "decide", "Psykiatrien Syd", "Noget")
    assert missing.exit_code == 3
    assert "psykiatrien-syd-vordingborg has no open meeting; start one with" in missing.output


def test_an_indicator_without_any_data_is_one_line_not_every_month(workspace, team) -> None:
    ws = workspace
    ws.add_indicator(
        team.id,
        "F3",
        "Personer udsat for magt",
        kind="follow",
        baseline_start="2018-01",
        baseline_end="2020-12",
    )
    ws.add_indicator(
        team.id,
        "V4",
        "Revurderet",
        unit="proportion",
        voluntary=True,
        baseline_start="2018-01",
        baseline_end="2020-12",
    )
    agenda = build_agenda(ws, team.id, date="2022-06-01")
    item = agenda.item("missing:F3")
    assert (item.title_da, item.refs["months"]) == ("F3 Personer udsat for magt: ingen data endnu", [])
    assert "missing:V4" not in [i.id for i in agenda.items]
