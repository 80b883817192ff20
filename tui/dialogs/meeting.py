"""Meeting mode's dialogs: framed boxes that name the agenda item they record on.

Each one is a :class:`~tui.dialogs.common.FormDialog` whose OK calls one core function (the
same ones ``pdsa meeting …``, ``pdsa cycle update`` and ``pdsa data add`` call); if the core
refuses, the message is shown and the dialog stays open with what was typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text

from pdsa_core.domain import CycleStatus, Unit
from pdsa_core.errors import ValidationError
from pdsa_core.i18n import add_texts, t
from pdsa_core.literal import rich_text
from pdsa_core.services.indicators import MeasurementInput
from tui.dialogs.common import ConfirmDialog, Field, FormDialog

if TYPE_CHECKING:
    from pdsa_core.workspace import Workspace

add_texts(
    {
        "tui.meeting.dlg.decision": ("Beslutning", "Decision"),
        "tui.meeting.dlg.note": ("Note", "Note"),
        "tui.meeting.dlg.action": ("Ny handling", "New action"),
        "tui.meeting.dlg.attendance": ("Deltagere", "Attendance"),
        "tui.meeting.dlg.study": ("Study", "Study"),
        "tui.meeting.dlg.values": ("Manglende værdier", "Missing values"),
        "tui.meeting.dlg.whole_meeting": ("hele mødet", "the whole meeting"),
        "tui.meeting.decision_label": ("Hvad besluttede teamet?", "What did the team decide?"),
        "tui.meeting.note_label": (
            "Note til punktet (tom fjerner noten)",
            "Note on the item (empty removes the note)",
        ),
        "tui.meeting.attendees_label": ("Deltagere (adskil med komma)", "Attendees (separate with commas)"),
        "tui.meeting.action_text": ("Hvad skal gøres", "What is to be done"),
        "tui.meeting.action_owner": ("Hvem", "Who"),
        "tui.meeting.action_due": ("Frist (ÅÅÅÅ-MM-DD)", "Due (YYYY-MM-DD)"),
        "tui.meeting.study_label": (
            "Resultater sammenlignet med forudsigelserne",
            "Results compared with the predictions",
        ),
        "tui.meeting.study_intro": ("Forudsigelserne (Plan):", "The predictions (Plan):"),
        "tui.meeting.study_observations": ("Observationerne (Do):", "The observations (Do):"),
        "tui.meeting.study_saved": (
            "Study gemt for {title}.",
            "Study saved for {title}.",
        ),
        "tui.meeting.values_intro": (
            "Skriv værdien ud for hver måned, du kender (tomme felter springes over). Tal som 3 eller 2,5.",
            "Write the value beside each month you know (empty fields are skipped). Numbers like 3 or 2.5.",
        ),
        "tui.meeting.values_none": (
            "skriv mindst én værdi (eller luk med Esc)",
            "write at least one value (or close with Esc)",
        ),
        "tui.meeting.values_saved": (
            "{code}: {n} måneder gemt.",
            "{code}: {n} months saved.",
        ),
        "tui.meeting.values_period": ("Måned (ÅÅÅÅ-MM)", "Month (YYYY-MM)"),
        "tui.meeting.confirm_close": (
            "Afslut mødet og skriv referatet? Bagefter kan mødet ikke ændres.",
            "Close the meeting and write the minutes? It cannot change afterwards.",
        ),
        "tui.meeting.yes_close": ("Afslut mødet", "Close the meeting"),
        "tui.meeting.not_closed": (
            "Mødet er ikke afsluttet; det kører videre.",
            "The meeting was not closed; it goes on.",
        ),
    }
)


def dialog_title(what: str, heading: Text | str) -> Text:
    """ "Beslutning · 3. Nyt signal: F1 …": what is recorded, on which item."""
    title = Text(what, style="bold")
    title.append(" · ")
    title.append_text(heading if isinstance(heading, Text) else rich_text(heading))
    return title


def decision_dialog(ws: Workspace, meeting_id: str, item_id: str, heading: Text) -> FormDialog:
    fields = [Field("text", t("tui.meeting.decision_label"))]
    return FormDialog(
        dialog_title(t("tui.meeting.dlg.decision"), heading),
        fields,
        lambda values: ws.record_decision(meeting_id, values["text"], item=item_id),
    )


def note_dialog(ws: Workspace, meeting_id: str, item_id: str, heading: Text, current: str) -> FormDialog:
    fields = [Field("text", t("tui.meeting.note_label"), current)]
    return FormDialog(
        dialog_title(t("tui.meeting.dlg.note"), heading),
        fields,
        lambda values: ws.note_item(meeting_id, item_id, values["text"], seen=current),
    )


def action_dialog(ws: Workspace, meeting_id: str, item_id: str, heading: Text) -> FormDialog:
    fields = [
        Field("text", t("tui.meeting.action_text")),
        Field("owner", t("tui.meeting.action_owner")),
        Field("due", t("tui.meeting.action_due"), placeholder="2024-02-15"),
    ]

    def submit(values: dict[str, Any]) -> Any:
        return ws.add_action(
            meeting_id,
            values["text"],
            owner=values["owner"].strip(),
            due=values["due"].strip(),
            item=item_id,
        )

    return FormDialog(dialog_title(t("tui.meeting.dlg.action"), heading), fields, submit)


def attendance_dialog(ws: Workspace, meeting_id: str, heading: Text, attendees: list[str]) -> FormDialog:
    fields = [Field("names", t("tui.meeting.attendees_label"), ", ".join(attendees))]
    return FormDialog(
        dialog_title(t("tui.meeting.dlg.attendance"), heading),
        fields,
        lambda values: ws.set_attendees(meeting_id, split_names(values["names"]), seen=attendees),
    )


def study_dialog(ws: Workspace, cycle: Any) -> FormDialog:
    """Write the Study of a cycle with its predictions in view; a cycle being done moves to Study."""
    intro = Text(t("tui.meeting.study_intro") + "\n", style="bold")
    intro.append_text(rich_text(cycle.predictions or t("tui.meeting.ev.not_written")))
    if cycle.do_observations:
        intro.append("\n" + t("tui.meeting.study_observations") + "\n", style="bold")
        intro.append_text(rich_text(cycle.do_observations))
    fields = [Field("study_results", t("tui.meeting.study_label"), cycle.study_results, "text")]

    def submit(values: dict[str, Any]) -> Any:
        updated = ws.update_cycle(cycle.id, expected_rev=cycle.rev, study_results=values["study_results"])
        if updated.status is CycleStatus.DOING:
            updated = ws.set_cycle_status(updated.id, CycleStatus.STUDYING.value)
        return updated

    return FormDialog(dialog_title(t("tui.meeting.dlg.study"), cycle.title), fields, submit, intro=intro)


def values_dialog(ws: Workspace, indicator: Any, months: list[str], lang: str) -> FormDialog:
    """One field per missing month (numerator and denominator for a proportion); OK stores the
    filled ones in one all-or-nothing ``ws.add_measurements``. Without months, a month field."""
    from tui.screens.indicator import user_number, user_period

    proportion = indicator.unit is Unit.PROPORTION
    fields: list[Field] = []
    if not months:
        fields.append(Field("period", t("tui.meeting.values_period")))
    for month in months or [""]:
        label = f"{month} " if month else ""
        if proportion:
            fields.append(Field(f"num-{month}", f"{label}{t('numerator')}"))
            fields.append(Field(f"den-{month}", f"{label}{t('denominator')}"))
        else:
            fields.append(Field(f"value-{month}", f"{label}{t('value')}"))

    def submit(values: dict[str, Any]) -> Any:
        items: list[MeasurementInput] = []
        for month in months or [""]:
            period = month or user_period(values["period"])
            if proportion:
                numerator = user_number(values[f"num-{month}"], f"{period} {t('numerator')}")
                denominator = user_number(values[f"den-{month}"], f"{period} {t('denominator')}")
                if numerator is None and denominator is None:
                    continue
                items.append(
                    MeasurementInput(indicator.code, period, numerator=numerator, denominator=denominator)
                )
            else:
                value = user_number(values[f"value-{month}"], f"{period} {t('value')}")
                if value is None:
                    continue
                items.append(MeasurementInput(indicator.code, period, value=value))
        if not items:
            raise ValidationError(
                t("tui.meeting.values_none", lang="en"), da=t("tui.meeting.values_none", lang="da")
            )
        # the months were shown empty: one filled meanwhile is a conflict, never overwritten
        ws.add_measurements(indicator.team_id, items, only_empty=True)
        return len(items)

    heading = rich_text(f"{indicator.code} {indicator.name(lang)}")
    return FormDialog(
        dialog_title(t("tui.meeting.dlg.values"), heading),
        fields,
        submit,
        intro=t("tui.meeting.values_intro"),
    )


def close_dialog() -> ConfirmDialog:
    return ConfirmDialog(
        t("tui.meeting.confirm_close"), yes=t("tui.meeting.yes_close"), declined=t("tui.meeting.not_closed")
    )


def split_names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]
