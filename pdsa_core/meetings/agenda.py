"""The agenda of a team's monthly meeting (tavlemøde), built from what the workspace knows.

:func:`build_agenda` looks at the team on the meeting date and lists, in this order:

1. **actions** still open from earlier meetings (overdue, due, or open), so they carry over
   until someone marks them done;
2. **signals**: indicators whose SPC verdict (``pdsa_core.analysis.indicator_verdict``) is
   non-random and that are new since the last meeting, or still signalling with new data;
3. **PDSA cycles** due for Study (being done, and their planned period or end date has
   passed, or running longer than ``stale_days`` with no date) or for Act (studying/acting);
4. **missing data**: months without a value up to the month before the meeting;
5. **MUSIQ** due: no assessment in the last ``musiq_months`` months (team setting
   ``musiq_interval_months``, workspace setting of the same name, else 6).

Every item carries Danish and English text, so the CLI, the TUI and the minutes can show it
in either language. Building an agenda only reads.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from pdsa_core.domain import CycleStatus, Meeting
from pdsa_core.domain.agenda import Agenda, AgendaItem
from pdsa_core.domain.common import (
    parse_date,
    period_from_index,
    period_index,
)
from pdsa_core.errors import ValidationError

if TYPE_CHECKING:
    from pdsa_core.workspace import Workspace

DEFAULT_MUSIQ_MONTHS = 6
DEFAULT_STALE_DAYS = 28


# -- building -------------------------------------------------------------------------------------
def build_agenda(
    ws: Workspace,
    team_ref: str,
    *,
    date: str | None = None,
    since: str | None = None,
    musiq_months: int | None = None,
    stale_days: int = DEFAULT_STALE_DAYS,
    exclude_meeting: str | None = None,
) -> Agenda:
    """The agenda for a meeting of ``team_ref`` on ``date`` (default today).

    ``since`` is the date of the previous meeting; by default the latest meeting of the team
    dated before ``date`` (other than ``exclude_meeting``, the meeting being held). Every
    item is read from one snapshot (:meth:`~pdsa_core.workspace.Workspace.reading`).
    """
    with ws.reading():
        return _build_agenda(ws, team_ref, date, since, musiq_months, stale_days, exclude_meeting)


def _build_agenda(
    ws: Workspace,
    team_ref: str,
    date: str | None,
    since: str | None,
    musiq_months: int | None,
    stale_days: int,
    exclude_meeting: str | None,
) -> Agenda:
    team = ws.team(team_ref)
    day = parse_date(date or ws.today(), field="meeting date")
    earlier = [m for m in ws.meetings(team.id) if m.id != exclude_meeting and m.date <= day]
    previous = earlier[-1] if earlier else None
    if since is None:
        since = previous.date if previous else ""
    elif since:
        since = parse_date(since, field="since")
    items: list[AgendaItem] = []
    items += _action_items(ws, team.id, day, exclude_meeting)
    signalling, signal_items = _signal_items(ws, team.id, since, _previous_agenda(ws, previous))
    items += signal_items
    items += _cycle_items(ws, team.id, day, stale_days)
    items += _missing_items(ws, team.id, day)
    items += _musiq_items(ws, team.id, day, musiq_months)
    return Agenda(
        team_id=team.id,
        team_name=team.name,
        date=day,
        since=since or "",
        items=items,
        signalling=signalling,
        built_at=ws.now(),
    )


def open_actions(
    ws: Workspace, team_ref: str, *, exclude_meeting: str | None = None
) -> list[tuple[Meeting, Any]]:
    """(meeting, action) for every action not yet done, oldest due date first."""
    team = ws.team(team_ref)
    pairs = [
        (meeting, action)
        for meeting in ws.meetings(team.id)
        if meeting.id != exclude_meeting
        for action in meeting.actions
        if not action.done
    ]
    return sorted(pairs, key=lambda p: (p[1].due or "9999-99-99", p[0].date, p[1].id))


def _action_items(ws: Workspace, team_id: str, day: str, exclude_meeting: str | None) -> list[AgendaItem]:
    items = []
    for meeting, action in open_actions(ws, team_id, exclude_meeting=exclude_meeting):
        if action.due and action.due < day:
            state_da, state_en = f"overskredet (frist {action.due})", f"overdue (due {action.due})"
            urgent = True
        elif action.due == day:
            state_da, state_en, urgent = "frist i dag", "due today", True
        elif action.due:
            state_da, state_en, urgent = f"frist {action.due}", f"due {action.due}", False
        else:
            state_da, state_en, urgent = "ingen frist", "no due date", False
        owner_da = f"ansvarlig: {action.owner}" if action.owner else "ingen ansvarlig"
        owner_en = f"owner: {action.owner}" if action.owner else "no owner"
        items.append(
            AgendaItem(
                id=f"action:{action.id}",
                kind="action",
                title_da=action.text,
                title_en=action.text,
                detail_da=f"{owner_da}; {state_da}; fra mødet {meeting.date}",
                detail_en=f"{owner_en}; {state_en}; from the meeting of {meeting.date}",
                urgent=urgent,
                refs={"action": action.id, "meeting": meeting.id, "due": action.due, "owner": action.owner},
            )
        )
    return items


def _new_data_since(ws: Workspace, team_id: str, code: str, since: str, previous: Agenda | None) -> bool:
    """Whether values were entered after the previous meeting's agenda was built."""
    if not since and previous is None:
        return True
    for m in ws.measurements(team_id, code):
        if previous is not None and previous.built_at and m.entered_at:
            if m.entered_at > previous.built_at:
                return True
        elif m.entered_at:
            if m.entered_at[:10] > since:
                return True
        elif m.period >= since[:7]:
            return True
    return False


def _previous_agenda(ws: Workspace, previous: Meeting | None) -> Agenda | None:
    """The agenda stored with the previous meeting, if it has one."""
    if previous is None:
        return None
    getter = getattr(ws, "meeting_agenda", None)
    return getter(previous.id) if getter else None


def _signal_items(
    ws: Workspace, team_id: str, since: str, previous: Agenda | None
) -> tuple[list[str], list[AgendaItem]]:
    from pdsa_core.analysis import indicator_verdict

    before = set(previous.signalling) if previous is not None else None
    signalling: list[str] = []
    items = []
    for indicator in ws.indicators(team_id):
        verdict = indicator_verdict(ws, team_id, indicator.code)
        if not verdict or verdict.get("status") != "non_random":
            continue
        signalling.append(indicator.code)
        fresh_data = _new_data_since(ws, team_id, indicator.code, since, previous)
        new = fresh_data if before is None else indicator.code not in before
        if not (new or fresh_data):
            continue  # the same signal, no new data: it was on the last agenda
        label_da = "Nyt signal" if new else "Signalet fortsætter"
        label_en = "New signal" if new else "Signal continues"
        items.append(
            AgendaItem(
                id=f"signal:{indicator.code}",
                kind="signal",
                title_da=f"{label_da}: {indicator.code} {indicator.name('da')}",
                title_en=f"{label_en}: {indicator.code} {indicator.name('en')}",
                detail_da=str(verdict.get("text_da", "")),
                detail_en=str(verdict.get("text_en", "")),
                urgent=new,
                refs={"indicator": indicator.code, "new": new},
            )
        )
    return signalling, items


_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DK_DATE = re.compile(r"\b(\d{1,2})[./-](\d{1,2})[./-](\d{4})\b")
_ISO_MONTH = re.compile(r"\b(\d{4})-(\d{2})\b(?!-\d)")


def planned_end(text: str) -> str | None:
    """The latest date named in a cycle's "when" (2022-03-15, 15.3.2022, or 2022-03 = its last day)."""
    found: list[str] = []
    for y, m, d in _ISO_DATE.findall(text):
        found += _valid(int(y), int(m), int(d))
    for d, m, y in _DK_DATE.findall(text):
        found += _valid(int(y), int(m), int(d))
    for y, m in _ISO_MONTH.findall(_ISO_DATE.sub(" ", text)):
        if 1 <= int(m) <= 12:
            found += _valid(int(y), int(m), calendar.monthrange(int(y), int(m))[1])
    return max(found) if found else None


def _valid(year: int, month: int, day: int) -> list[str]:
    try:
        return [dt.date(year, month, day).isoformat()]
    except ValueError:
        return []


def _cycle_items(ws: Workspace, team_id: str, day: str, stale_days: int) -> list[AgendaItem]:
    items = []
    for cycle in ws.cycles(team_id):
        detail_da = detail_en = ""
        if cycle.status is CycleStatus.STUDYING:
            title_da, title_en = f"Study: {cycle.title}", f"Study: {cycle.title}"
            detail_da = "Sammenlign resultaterne med forudsigelserne."
            detail_en = "Compare the results with the predictions."
            due_for = "study"
        elif cycle.status is CycleStatus.ACTING:
            title_da, title_en = f"Act-beslutning: {cycle.title}", f"Act decision: {cycle.title}"
            detail_da = "Beslut: fasthold (adopt), tilpas (adapt) eller opgiv (abandon)."
            detail_en = "Decide: adopt, adapt or abandon."
            due_for = "act"
        elif cycle.status is CycleStatus.DOING:
            end = cycle.end_date or planned_end(cycle.plan_when)
            if end and end < day:
                detail_da = f"Afprøvningen skulle være slut {end}."
                detail_en = f"The test was due to end on {end}."
            elif not end and cycle.start_date and _days_between(cycle.start_date, day) > stale_days:
                days = _days_between(cycle.start_date, day)
                detail_da = f"Afprøvningen har kørt i {days} dage uden en slutdato."
                detail_en = f"The test has run for {days} days without an end date."
            else:
                continue
            title_da, title_en = f"Klar til Study: {cycle.title}", f"Ready for Study: {cycle.title}"
            due_for = "study"
        else:
            continue
        if cycle.owner:
            detail_da += f" Ansvarlig: {cycle.owner}."
            detail_en += f" Owner: {cycle.owner}."
        items.append(
            AgendaItem(
                id=f"cycle:{cycle.id}",
                kind="cycle",
                title_da=title_da,
                title_en=title_en,
                detail_da=detail_da.strip(),
                detail_en=detail_en.strip(),
                urgent=due_for == "act",
                refs={"cycle": cycle.id, "status": cycle.status.value, "due_for": due_for},
            )
        )
    return items


def _days_between(start: str, end: str) -> int:
    return (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days


def month_ranges(periods: list[str]) -> list[str]:
    """["2022-01", "2022-02", "2022-03", "2022-06"] -> ["2022-01–2022-03", "2022-06"]."""
    indices = sorted(period_index(p) for p in periods)
    ranges: list[str] = []
    start = prev = None
    for i in indices:
        if start is None:
            start = prev = i
        elif i == prev + 1:  # type: ignore[operator]
            prev = i
        else:
            ranges.append(_range_text(start, prev))  # type: ignore[arg-type]
            start = prev = i
    if start is not None:
        ranges.append(_range_text(start, prev))  # type: ignore[arg-type]
    return ranges


def _range_text(start: int, end: int) -> str:
    if start == end:
        return period_from_index(start)
    return f"{period_from_index(start)}–{period_from_index(end)}"


def last_month_before(day: str) -> str:
    """The last month a meeting on ``day`` can expect values for: the month before it."""
    return period_from_index(period_index(day[:7]) - 1)


def months_missing(ws: Workspace, team_id: str, code: str, day: str) -> list[str]:
    """The months of an indicator without a value, up to the month before a meeting on ``day``."""
    until = last_month_before(day)
    return [p for p in ws.missing_months(team_id, code, until=until) if p <= until]


def _missing_items(ws: Workspace, team_id: str, day: str) -> list[AgendaItem]:
    until = last_month_before(day)
    items = []
    for indicator in ws.indicators(team_id):
        has_data = bool(ws.measurements(team_id, indicator.code))
        if not has_data:
            if indicator.voluntary:
                continue  # a voluntary indicator the team has not taken up
            items.append(
                AgendaItem(
                    id=f"missing:{indicator.code}",
                    kind="missing_data",
                    title_da=f"{indicator.code} {indicator.name('da')}: ingen data endnu",
                    title_en=f"{indicator.code} {indicator.name('en')}: no data yet",
                    refs={"indicator": indicator.code, "months": []},
                )
            )
            continue
        missing = months_missing(ws, team_id, indicator.code, day)
        if not missing:
            continue
        ranges = ", ".join(month_ranges(missing))
        n = len(missing)
        months_da = "måned mangler" if n == 1 else "måneder mangler"
        months_en = "month missing" if n == 1 else "months missing"
        items.append(
            AgendaItem(
                id=f"missing:{indicator.code}",
                kind="missing_data",
                title_da=f"{indicator.code} {indicator.name('da')}: {n} {months_da}",
                title_en=f"{indicator.code} {indicator.name('en')}: {n} {months_en}",
                detail_da=f"Mangler: {ranges}",
                detail_en=f"Missing: {ranges}",
                urgent=until in missing,
                refs={"indicator": indicator.code, "months": missing},
            )
        )
    return items


def musiq_interval(ws: Workspace, team_id: str, months: int | None = None) -> int:
    """How many months may pass between MUSIQ assessments before it is due again."""
    if months is None:
        months = ws.team_settings(team_id).get("musiq_interval_months")
    if months is None:
        months = ws.settings().get("musiq_interval_months")
    if months is None:
        return DEFAULT_MUSIQ_MONTHS
    try:
        value = int(months)
    except (TypeError, ValueError):
        raise ValidationError(
            f"musiq_interval_months must be a whole number, got {months!r}",
            da="musiq_interval_months (måneder mellem MUSIQ-vurderinger) skal være et helt tal, "
            f"ikke {months!r}",
        ) from None
    if value < 1:
        raise ValidationError(
            f"musiq_interval_months must be at least 1, got {value}",
            da=f"musiq_interval_months (måneder mellem MUSIQ-vurderinger) skal være mindst 1, ikke {value}",
        )
    return value


def _months_before(day: str, months: int) -> str:
    date = dt.date.fromisoformat(day)
    index = date.year * 12 + date.month - 1 - months
    year, month = index // 12, index % 12 + 1
    return dt.date(year, month, min(date.day, calendar.monthrange(year, month)[1])).isoformat()


def _musiq_items(ws: Workspace, team_id: str, day: str, months: int | None) -> list[AgendaItem]:
    interval = musiq_interval(ws, team_id, months)
    done = [a for a in ws.assessments(team_id) if a.instrument.lower().startswith("musiq") and a.date <= day]
    latest = done[-1].date if done else ""
    if latest and latest > _months_before(day, interval):
        return []
    if latest:
        detail_da = f"Seneste MUSIQ-score er fra {latest}; den gentages hver {interval}. måned."
        detail_en = f"The latest MUSIQ score is from {latest}; it is repeated every {interval} months."
    else:
        detail_da = "Teamet har ikke scoret MUSIQ endnu."
        detail_en = "The team has not scored MUSIQ yet."
    return [
        AgendaItem(
            id="musiq",
            kind="musiq",
            title_da="MUSIQ-score skal laves",
            title_en="MUSIQ score is due",
            detail_da=detail_da,
            detail_en=detail_en,
            refs={"latest": latest, "interval_months": interval},
        )
    ]
