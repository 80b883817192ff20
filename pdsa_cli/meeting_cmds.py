"""``pdsa meeting``: the monthly tavlemøde from the command line.

``start`` builds the agenda (signals, PDSA cycles due for Study or Act, open actions,
missing data, MUSIQ due) and opens the meeting; ``attend``, ``decide``, ``action``,
``done`` and ``note`` record as you go; ``close`` writes the minutes. Wherever a MEETING is
asked for, a team's name or id also works: it means the team's open meeting.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from pdsa_cli.output import echo, print_json, print_table, print_text
from pdsa_core.errors import NotFoundError
from pdsa_core.i18n import add_texts, get_language, t

if TYPE_CHECKING:
    from pdsa_cli.context import AppContext

add_texts(
    {
        "meeting.started": (
            "Startede mødet {id} for {team} den {date}.",
            "Started meeting {id} for {team} on {date}.",
        ),
        "meeting.agenda": ("Dagsorden", "Agenda"),
        "meeting.empty_agenda": ("Intet på dagsordenen.", "Nothing on the agenda."),
        "meeting.meetings": ("Møder", "Meetings"),
        "meeting.date": ("Dato", "Date"),
        "meeting.attendees": ("Deltagere", "Attendees"),
        "meeting.decisions": ("Beslutninger", "Decisions"),
        "meeting.actions": ("Handlinger", "Actions"),
        "meeting.state": ("Status", "State"),
        "meeting.open": ("åbent", "open"),
        "meeting.closed": ("afsluttet", "closed"),
        "meeting.item": ("Punkt", "Item"),
        "meeting.decided": ("Beslutning noteret ({n} i alt).", "Decision recorded ({n} in all)."),
        "meeting.action_added": ("Handling {id} tilføjet.", "Action {id} added."),
        "meeting.action_done": ("Handling {id} er udført ({date}).", "Action {id} is done ({date})."),
        "meeting.action_reopened": ("Handling {id} er åben igen.", "Action {id} is open again."),
        "meeting.noted": ("Note gemt under {item}.", "Note saved under {item}."),
        "meeting.attending": ("Deltagere: {names}", "Attendees: {names}"),
        "meeting.closed_minutes": (
            "Mødet er afsluttet; referatet er skrevet til {path}.",
            "The meeting is closed; the minutes were written to {path}.",
        ),
        "meeting.no_open": (
            "{team} har intet åbent møde; start et med: pdsa meeting start --team {team}",
            "{team} has no open meeting; start one with: pdsa meeting start --team {team}",
        ),
        "meeting.preview": (
            "Forhåndsvisning: mødet er ikke startet.",
            "Preview: the meeting has not started.",
        ),
    }
)


def _pass_app(f: Any) -> Any:
    from pdsa_cli.context import pass_app

    return pass_app(f)


def resolve_meeting(ws: Any, ref: str) -> Any:
    """A meeting by id; a team's name or id means that team's open meeting."""
    if ws.snapshot().table("meetings").get(ref) is not None:
        return ws.meeting(ref)
    try:
        team = ws.team(ref)
    except NotFoundError:
        raise NotFoundError(f"no meeting or team {ref!r}") from None
    running = ws.open_meeting(team.id)
    if running is None:
        raise NotFoundError(t("meeting.no_open", team=team.id))
    return running


def _print_agenda(agenda: Any, lang: str) -> None:
    from pdsa_core.meetings import section_title

    print_text((f"{t('meeting.agenda')}: {agenda.team_name} {agenda.date}", "bold"))
    if not agenda.items:
        print_text(t("meeting.empty_agenda"))
        return
    for number, (kind, items) in enumerate(agenda.sections(), start=1):
        print_text("")
        print_text((f"{number}. {section_title(kind, lang)}", "bold"))
        for item in items:
            mark = ("! ", "bold red") if item.urgent else "  "
            print_text(mark, item.title(lang), "  ", (f"({item.id})", "dim"))
            if item.detail(lang):
                print_text("    ", (item.detail(lang), "dim"))


def _write(path: str, text: str) -> None:
    from pdsa_core.output_files import write_output_text

    write_output_text(path, text)


def register(cli: click.Group) -> None:
    @cli.group()
    def meeting() -> None:
        """Meetings (tavlemøder): agenda, decisions, actions, minutes."""

    @meeting.command("start")
    @click.option("--team", "team_name", required=True, help="Team name or id.")
    @click.option("--date", "day", help="Meeting date YYYY-MM-DD (default today).")
    @click.option("--attendee", "attendees", multiple=True, help="Someone attending (repeat).")
    @click.option("--musiq-months", type=int, help="MUSIQ is due after this many months (default 6).")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @_pass_app
    def meeting_start(
        app: AppContext,
        team_name: str,
        day: str | None,
        attendees: tuple[str, ...],
        musiq_months: int | None,
        as_json: bool,
    ) -> None:
        """Start a meeting; its agenda is built from the team's data."""
        from pdsa_core.meetings import meeting_agenda, start_meeting

        ws = app.workspace()
        started = start_meeting(ws, team_name, day, attendees, musiq_months=musiq_months)
        agenda = meeting_agenda(ws, started.id)
        if as_json:
            print_json({"meeting": started.to_dict(), "agenda": agenda.to_dict()})
            return
        echo(t("meeting.started", id=started.id, team=agenda.team_name, date=started.date))
        _print_agenda(agenda, get_language())

    @meeting.command("list")
    @click.option("--team", "team_name", required=True, help="Team name or id.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @_pass_app
    def meeting_list(app: AppContext, team_name: str, as_json: bool) -> None:
        """List a team's meetings."""
        items = app.workspace().meetings(team_name)
        if as_json:
            print_json([m.to_dict() for m in items])
            return
        print_table(
            t("meeting.meetings"),
            [
                "id",
                t("meeting.date"),
                t("meeting.attendees"),
                t("meeting.decisions"),
                t("meeting.actions"),
                t("meeting.state"),
            ],
            [
                (
                    m.id,
                    m.date,
                    len(m.attendees),
                    len(m.decisions),
                    len(m.actions),
                    t("meeting.closed") if m.closed else t("meeting.open"),
                )
                for m in items
            ],
        )

    @meeting.command("show")
    @click.argument("meeting_ref", metavar="MEETING")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @_pass_app
    def meeting_show(app: AppContext, meeting_ref: str, as_json: bool) -> None:
        """Show a meeting as its minutes (a draft while it is open)."""
        from pdsa_core.meetings import minutes

        ws = app.workspace()
        found = resolve_meeting(ws, meeting_ref)
        if as_json:
            extras = ws.meeting_extras(found.id)
            print_json({"meeting": found.to_dict(), **extras})
            return
        echo(minutes(ws, found.id, lang=get_language()))

    @meeting.command("agenda")
    @click.argument("meeting_ref", metavar="MEETING_OR_TEAM")
    @click.option("--date", "day", help="For a team without an open meeting: the date to preview for.")
    @click.option("--refresh", is_flag=True, help="Build the open meeting's agenda again from the data now.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @_pass_app
    def meeting_agenda_cmd(
        app: AppContext, meeting_ref: str, day: str | None, refresh: bool, as_json: bool
    ) -> None:
        """Show a meeting's agenda, or preview the agenda of a team's next meeting."""
        from pdsa_core.meetings import build_agenda, meeting_agenda, refresh_agenda

        ws = app.workspace()
        preview = False
        try:
            found = resolve_meeting(ws, meeting_ref)
        except NotFoundError:
            team = ws.team(meeting_ref)  # a team without an open meeting: preview
            agenda = build_agenda(ws, team.id, date=day)
            preview = True
        else:
            agenda = refresh_agenda(ws, found.id) if refresh else meeting_agenda(ws, found.id)
        if as_json:
            print_json({**agenda.to_dict(), "preview": preview})
            return
        if preview:
            echo(t("meeting.preview"))
        _print_agenda(agenda, get_language())

    @meeting.command("attend")
    @click.argument("meeting_ref", metavar="MEETING")
    @click.argument("names", nargs=-1, required=True)
    @click.option("--remove", is_flag=True, help="Take the names off the attendance list.")
    @_pass_app
    def meeting_attend(app: AppContext, meeting_ref: str, names: tuple[str, ...], remove: bool) -> None:
        """Record who attends (or, with --remove, who does not after all)."""
        ws = app.workspace()
        found = resolve_meeting(ws, meeting_ref)
        for name in names:
            found = ws.remove_attendee(found.id, name) if remove else ws.add_attendee(found.id, name)
        echo(t("meeting.attending", names=", ".join(found.attendees) or "–"))

    @meeting.command("decide")
    @click.argument("meeting_ref", metavar="MEETING")
    @click.argument("text")
    @click.option("--item", default="", help="Agenda item id the decision belongs to (e.g. signal:R1).")
    @_pass_app
    def meeting_decide(app: AppContext, meeting_ref: str, text: str, item: str) -> None:
        """Record a decision."""
        ws = app.workspace()
        found = ws.record_decision(resolve_meeting(ws, meeting_ref).id, text, item=item)
        echo(t("meeting.decided", n=len(found.decisions)))

    @meeting.command("action")
    @click.argument("meeting_ref", metavar="MEETING")
    @click.argument("text")
    @click.option("--owner", default="", help="Who does it.")
    @click.option("--due", default="", help="By when (YYYY-MM-DD).")
    @click.option("--item", default="", help="Agenda item id the action belongs to.")
    @_pass_app
    def meeting_action(app: AppContext, meeting_ref: str, text: str, owner: str, due: str, item: str) -> None:
        """Add an action (who does what by when)."""
        ws = app.workspace()
        added = ws.add_action(resolve_meeting(ws, meeting_ref).id, text, owner=owner, due=due, item=item)
        echo(t("meeting.action_added", id=added.id))

    @meeting.command("done")
    @click.argument("action_ref", metavar="ACTION")
    @click.option("--team", "team_name", help="Team, when ACTION is the action's text rather than its id.")
    @click.option("--date", "day", help="Done on this date (default: the open meeting's date, else today).")
    @click.option("--undo", is_flag=True, help="Mark the action as not done after all.")
    @_pass_app
    def meeting_done(
        app: AppContext, action_ref: str, team_name: str | None, day: str | None, undo: bool
    ) -> None:
        """Mark an action done (also one from an earlier meeting)."""
        ws = app.workspace()
        if undo:
            action = ws.reopen_action(action_ref, team_ref=team_name)
            echo(t("meeting.action_reopened", id=action.id))
            return
        action = ws.complete_action(action_ref, team_ref=team_name, done_at=day)
        echo(t("meeting.action_done", id=action.id, date=action.done_at))

    @meeting.command("note")
    @click.argument("meeting_ref", metavar="MEETING")
    @click.argument("item")
    @click.argument("text")
    @_pass_app
    def meeting_note(app: AppContext, meeting_ref: str, item: str, text: str) -> None:
        """Write the note of an agenda item (empty text removes it)."""
        ws = app.workspace()
        ws.note_item(resolve_meeting(ws, meeting_ref).id, item, text)
        echo(t("meeting.noted", item=item))

    @meeting.command("close")
    @click.argument("meeting_ref", metavar="MEETING")
    @click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the minutes to a file.")
    @_pass_app
    def meeting_close(app: AppContext, meeting_ref: str, output: str | None) -> None:
        """Close the meeting and print (or write) its minutes."""
        from pdsa_core.meetings import close_meeting

        ws = app.workspace()
        text = close_meeting(ws, resolve_meeting(ws, meeting_ref).id, lang=get_language())
        if output:
            _write(output, text)
            echo(t("meeting.closed_minutes", path=output))
        else:
            echo(text)

    @meeting.command("minutes")
    @click.argument("meeting_ref", metavar="MEETING")
    @click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the minutes to a file.")
    @_pass_app
    def meeting_minutes_cmd(app: AppContext, meeting_ref: str, output: str | None) -> None:
        """Print (or write) the minutes of a meeting (a draft while it is open)."""
        from pdsa_core.meetings import minutes

        ws = app.workspace()
        ref = meeting_ref
        if ws.snapshot().table("meetings").get(ref) is None:
            team = ws.team(ref)
            held = ws.meetings(team.id)
            if not held:
                raise NotFoundError(f"{team.name} has no meetings yet")
            ref = held[-1].id
        text = minutes(ws, ref, lang=get_language())
        if output:
            _write(output, text)
        else:
            echo(text)
