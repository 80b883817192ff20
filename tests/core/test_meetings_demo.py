"""A whole meeting on the demo workspace: the agenda comes from the demo's signals and due cycles."""

from __future__ import annotations

from pathlib import Path

from pdsa_core.demo import write_demo
from pdsa_core.meetings import (
    add_action,
    close_meeting,
    complete_action,
    meeting_agenda,
    record_decision,
    start_meeting,
)
from pdsa_core.workspace import Workspace

SYD = "psykiatrien-syd-vordingborg"


def test_a_demo_meeting_from_agenda_to_minutes(tmp_path: Path) -> None:
    write_demo(tmp_path / "demo.json")
    ws = Workspace.open(tmp_path / "demo.json")
    day = ws.settings()["as_of"]
    earlier_open = [(m.id, a.id) for m in ws.meetings(SYD) for a in m.actions if not a.done]
    assert earlier_open, "the demo has open actions from earlier meetings"

    meeting = start_meeting(ws, SYD, day, ["Lene Mortensen", "Jens Kofoed"])
    agenda = meeting_agenda(ws, meeting.id)
    kinds = {item.kind for item in agenda.items}
    assert {"action", "signal", "cycle"} <= kinds
    # every open action carries over; the signals are the indicators the SPC engine reads as non-random
    assert {i.refs["action"] for i in agenda.of_kind("action")} == {a for _, a in earlier_open}
    from pdsa_core.analysis import indicator_verdict

    signalling = {
        i.code
        for i in ws.indicators(SYD)
        if (indicator_verdict(ws, SYD, i.code) or {}).get("status") == "non_random"
    }
    assert {i.refs["indicator"] for i in agenda.of_kind("signal")} == signalling
    due = {c.id for c in ws.cycles(SYD) if c.status.value in ("studying", "acting")}
    assert due <= {i.refs["cycle"] for i in agenda.of_kind("cycle")}

    signal = agenda.of_kind("signal")[0]
    record_decision(ws, meeting.id, "Datakonsulenten gennemgår signalet", item=signal.id)
    add_action(ws, meeting.id, "Book netværksmøde med kommunen", owner="Lene Mortensen", due="2023-11-01")
    first_carried = agenda.of_kind("action")[0].refs["action"]
    complete_action(ws, first_carried)
    minutes = close_meeting(ws, meeting.id, lang="da")
    assert "**Beslutning:** Datakonsulenten gennemgår signalet" in minutes
    assert "**udført på mødet**" in minutes
    assert "| Book netværksmøde med kommunen | Lene Mortensen | 2023-11-01 | åben |" in minutes

    following = start_meeting(ws, SYD, "2023-11-14")
    carried = {i.refs["action"] for i in meeting_agenda(ws, following.id).of_kind("action")}
    assert first_carried not in carried
    assert any(
        a.text == "Book netværksmøde med kommunen"
        for m in ws.meetings(SYD)
        for a in m.actions
        if a.id in carried
    )


def test_a_meeting_stored_without_an_agenda_shows_one_and_stays_unwritten(tmp_path: Path) -> None:
    """The demo's past meetings have no stored agenda: ``meeting agenda`` showed a traceback
    (found by tests/core/test_cli_fuzz.py); now it shows the agenda for the meeting's date,
    built but not stored (reading a meeting never writes)."""
    from click.testing import CliRunner

    from pdsa_cli import build_cli

    path = write_demo(tmp_path / "demo.json")
    ws = Workspace.open(path)
    past = next(m for m in ws.meetings(SYD) if ws.meeting_agenda(m.id) is None)
    before = path.read_bytes()
    agenda = meeting_agenda(ws, past.id)
    assert agenda.date == past.date
    for extra in ([], ["--json"]):
        result = CliRunner().invoke(
            build_cli(), ["--workspace", str(path), "meeting", "agenda", past.id, *extra]
        )
        assert result.exit_code == 0, result.output
        assert past.date in result.stdout
    assert path.read_bytes() == before
