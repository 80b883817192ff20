"""What an agenda item shows in meeting mode: its evidence, read from the workspace now.

The agenda (:mod:`pdsa_core.meetings`) was built when the meeting started; the evidence is
read live, so values entered or a Study written during the meeting show at once:

* a **signal**: the indicator's chart with its reading (the indicator screen's
  :class:`~tui.widgets.chart.ChartView`): the verdict read with the indicator's direction
  (``IndicatorAnalysis.meaning()``: improvement or concern, in words, colour and a symbol
  that survives monochrome), the rules' text, the legend;
* a **PDSA cycle**: the plan's predictions beside the Do observations and the Study text,
  with the cycle's status and Act decision;
* **missing data**: the months still missing (up to the month before the meeting);
* an **action**: what, who, by when, and whether it is done;
* **MUSIQ**: when the team last scored it and how often it is repeated.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Static

from pdsa_core.errors import PdsaError
from pdsa_core.i18n import add_texts, t
from pdsa_core.literal import rich_text
from pdsa_core.meetings import last_month_before, month_ranges, months_missing
from tui.widgets.chart import ChartView

if TYPE_CHECKING:
    from pdsa_core.workspace import Workspace

add_texts(
    {
        "tui.meeting.ev.predictions": ("Forudsigelser (Plan)", "Predictions (Plan)"),
        "tui.meeting.ev.observations": ("Observationer (Do)", "Observations (Do)"),
        "tui.meeting.ev.study": ("Resultater (Study)", "Results (Study)"),
        "tui.meeting.ev.next_step": ("Næste skridt (Act)", "Next step (Act)"),
        "tui.meeting.ev.not_written": ("ikke skrevet endnu", "not written yet"),
        "tui.meeting.ev.status": ("Status", "Status"),
        "tui.meeting.ev.owner": ("Ansvarlig", "Owner"),
        "tui.meeting.ev.nobody": ("ingen", "nobody"),
        "tui.meeting.ev.started": ("startet", "started"),
        "tui.meeting.ev.planned_when": ("planlagt", "planned"),
        "tui.meeting.ev.act": ("Act-beslutning", "Act decision"),
        "tui.meeting.ev.no_act": ("ikke truffet", "not made"),
        "tui.meeting.ev.what": ("Hvad", "What"),
        "tui.meeting.ev.due": ("Frist", "Due"),
        "tui.meeting.ev.no_due": ("ingen frist", "no due date"),
        "tui.meeting.ev.overdue": ("overskredet", "overdue"),
        "tui.meeting.ev.from_meeting": ("Fra mødet", "From the meeting of"),
        "tui.meeting.ev.state": ("Status", "State"),
        "tui.meeting.ev.done": ("✔ UDFØRT {date}", "✔ DONE {date}"),
        "tui.meeting.ev.open": ("○ ÅBEN", "○ OPEN"),
        "tui.meeting.ev.missing_now": (
            "Mangler nu ({n} måneder til og med {until}):",
            "Missing now ({n} months up to {until}):",
        ),
        "tui.meeting.ev.missing_one": (
            "Mangler nu (1 måned til og med {until}):",
            "Missing now (1 month up to {until}):",
        ),
        "tui.meeting.ev.complete": (
            "✓ Alle måneder til og med {until} er udfyldt.",
            "✓ Every month up to {until} has a value.",
        ),
        "tui.meeting.ev.no_data": (
            "Ingen data endnu. Indtast den første måned med i, eller importér (5).",
            "No data yet. Enter the first month with i, or import (5).",
        ),
        "tui.meeting.ev.enter_hint": (
            "i indtaster værdierne her · Enter åbner indikatoren",
            "i enters the values here · Enter opens the indicator",
        ),
        "tui.meeting.ev.signal_hint": ("Enter åbner indikatoren", "Enter opens the indicator"),
        "tui.meeting.ev.cycle_hint": (
            "s skriver Study · f træffer Act-beslutningen · Enter åbner PDSA-skemaet",
            "s writes the Study · f makes the Act decision · Enter opens the PDSA worksheet",
        ),
        "tui.meeting.ev.action_hint": (
            "x markerer handlingen udført (igen: åben)",
            "x marks the action done (again: open)",
        ),
        "tui.meeting.ev.musiq_latest": ("Seneste MUSIQ-score: {date}", "Latest MUSIQ score: {date}"),
        "tui.meeting.ev.musiq_never": (
            "Teamet har ikke scoret MUSIQ endnu.",
            "The team has not scored MUSIQ yet.",
        ),
        "tui.meeting.ev.musiq_every": ("Gentages hver {n}. måned.", "Repeated every {n} months."),
        "tui.meeting.ev.musiq_hint": ("Enter åbner MUSIQ-vurderingen", "Enter opens the MUSIQ assessment"),
        "tui.meeting.ev.always_hint": (
            "← forrige · o note · e deltagere",
            "← previous · o note · e attendance",
        ),
        "tui.meeting.ev.gone": (
            "Findes ikke længere i arbejdsområdet.",
            "No longer in the workspace.",
        ),
    }
)


class ItemEvidence(Vertical):
    """The evidence of the current agenda item (one of the parts below is shown per kind)."""

    DEFAULT_CSS = """
    ItemEvidence { height: 1fr; }
    ItemEvidence > .ev-part { display: none; }
    ItemEvidence.-signal > #ev-signal, ItemEvidence.-cycle > #ev-cycle,
    ItemEvidence.-facts > #ev-facts { display: block; }
    ItemEvidence #ev-signal { height: 1fr; }
    ItemEvidence #ev-notes { max-height: 5; }
    ItemEvidence #ev-cycle { height: 1fr; }
    ItemEvidence #ev-cycle-status { height: auto; margin-bottom: 1; }
    ItemEvidence #ev-columns { height: 1fr; }
    ItemEvidence .ev-column { width: 1fr; height: 1fr; padding: 0 1; border-left: solid $primary 40%; }
    ItemEvidence .ev-column-title { text-style: bold; color: $primary; }
    ItemEvidence #ev-facts { height: 1fr; }
    ItemEvidence .ev-hint { height: auto; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id="ev-signal", classes="ev-part"):
            yield ChartView(id="ev-chartview", chart_id="ev-chart", notes_id="ev-notes")
        with Vertical(id="ev-cycle", classes="ev-part"):
            yield Static(id="ev-cycle-status")
            with Horizontal(id="ev-columns"):
                for part in ("predictions", "observations", "study"):
                    with VerticalScroll(classes="ev-column", id=f"ev-col-{part}"):
                        yield Static(t(f"tui.meeting.ev.{part}"), classes="ev-column-title")
                        yield Static(id=f"ev-{part}")
        with VerticalScroll(id="ev-facts", classes="ev-part"):
            yield Static(id="ev-facts-text")
        yield Static(id="ev-hint", classes="ev-hint")

    def on_resize(self, event: events.Resize) -> None:
        """On a tall screen the reading under the chart may take a third of the height, so
        every annotation stays listed (at 200x60: 16 lines); the chart keeps the rest."""
        self.query_one("#ev-notes").styles.max_height = max(5, event.size.height // 3)

    # -- choosing what to show ----------------------------------------------------------------------
    def _part(self, part: str) -> None:
        for name in ("signal", "cycle", "facts"):
            self.set_class(name == part, f"-{name}")

    def _hint(self, key: str) -> None:
        """The keys for this kind of item, then the ones for every item."""
        hint = Text(t(key))
        hint.append("  ·  " + t("tui.meeting.ev.always_hint"))
        self.query_one("#ev-hint", Static).update(hint)

    def show_nothing(self) -> None:
        self._part("")
        self.query_one("#ev-hint", Static).update("")

    def show(self, ws: Workspace, team_id: str, meeting: Any, item: Any, lang: str) -> None:
        """Show ``item`` of ``meeting`` as the workspace has it now."""
        kind = item.kind
        try:
            if kind == "signal":
                self._show_signal(ws, team_id, item.refs.get("indicator", ""), lang)
            elif kind == "cycle":
                self._show_cycle(ws, item.refs.get("cycle", ""), lang)
            elif kind == "missing_data":
                self._show_missing(ws, team_id, item.refs.get("indicator", ""), meeting.date, lang)
            elif kind == "action":
                self._show_action(ws, team_id, item.refs.get("action", ""), meeting.date)
            else:
                self._show_musiq(ws, team_id, item)
        except PdsaError as exc:  # the indicator, cycle or action was removed meanwhile
            self._part("facts")
            self.query_one("#ev-facts-text", Static).update(
                Text(f"{t('tui.meeting.ev.gone')} ({exc})", style="dim")
            )
            self.query_one("#ev-hint", Static).update("")

    # -- the kinds ------------------------------------------------------------------------------------
    def _show_signal(self, ws: Workspace, team_id: str, code: str, lang: str) -> None:
        """The indicator's chart and its reading: better or worse, the rules' text, the legend."""
        from pdsa_core.analysis import analyze_indicator

        self._part("signal")
        view = self.query_one("#ev-chartview", ChartView)
        self._hint("tui.meeting.ev.signal_hint")
        analysis = analyze_indicator(ws, team_id, code)
        if analysis is None:
            view.show_message(t("tui.ind.no_data"), t("tui.ind.no_data_hint"))
        else:
            view.show(analysis, lang)

    def _show_cycle(self, ws: Workspace, cycle_id: str, lang: str) -> None:
        cycle = ws.cycle(cycle_id)
        self._part("cycle")
        decision = cycle.act_decision.value
        status = Text()
        status.append(f"{t('tui.meeting.ev.status')}: ", style="bold")
        status.append(t(f"status.{cycle.status.value}"))
        if cycle.start_date:
            status.append(f" · {t('tui.meeting.ev.started')} {cycle.start_date}")
        if cycle.plan_when:
            status.append(f" · {t('tui.meeting.ev.planned_when')}: ")
            status.append_text(rich_text(cycle.plan_when))
        status.append(f"\n{t('tui.meeting.ev.owner')}: ", style="bold")
        status.append_text(rich_text(cycle.owner) if cycle.owner else Text(t("tui.meeting.ev.nobody")))
        status.append(f" · {t('tui.meeting.ev.act')}: ", style="bold")
        status.append(t(f"tui.act.decided.{decision}") if decision else t("tui.meeting.ev.no_act"))
        self.query_one("#ev-cycle-status", Static).update(status)
        study = _written(cycle.study_results)
        if cycle.next_step:
            study.append(f"\n\n{t('tui.meeting.ev.next_step')}\n", style="bold")
            study.append_text(rich_text(cycle.next_step))
        self.query_one("#ev-predictions", Static).update(_written(cycle.predictions))
        self.query_one("#ev-observations", Static).update(_written(cycle.do_observations))
        self.query_one("#ev-study", Static).update(study)
        self._hint("tui.meeting.ev.cycle_hint")

    def _show_missing(self, ws: Workspace, team_id: str, code: str, date: str, lang: str) -> None:
        indicator = ws.indicator(team_id, code)
        self._part("facts")
        until = last_month_before(date)
        text = rich_text(f"{indicator.code} {indicator.name(lang)}", "bold")
        text.append("\n\n")
        if not ws.measurements(team_id, code):
            text.append(t("tui.meeting.ev.no_data"))
        else:
            missing = months_missing(ws, team_id, code, date)
            if not missing:
                text.append(t("tui.meeting.ev.complete", until=until), style="bold green")
            else:
                key = "tui.meeting.ev.missing_one" if len(missing) == 1 else "tui.meeting.ev.missing_now"
                text.append(t(key, n=len(missing), until=until), style="bold")
                text.append("\n" + ", ".join(month_ranges(missing)), style="yellow")
        self.query_one("#ev-facts-text", Static).update(text)
        self._hint("tui.meeting.ev.enter_hint")

    def _show_action(self, ws: Workspace, team_id: str, action_id: str, date: str) -> None:
        origin, action = ws.action(action_id, team_ref=team_id)
        self._part("facts")
        text = Text()
        text.append(f"{t('tui.meeting.ev.what')}: ", style="bold")
        text.append_text(rich_text(action.text))
        text.append(f"\n{t('tui.meeting.ev.owner')}: ", style="bold")
        text.append_text(rich_text(action.owner) if action.owner else Text(t("tui.meeting.ev.nobody")))
        text.append(f"\n{t('tui.meeting.ev.due')}: ", style="bold")
        if action.due:
            text.append(action.due)
            if not action.done and action.due < date:
                text.append(f" ({t('tui.meeting.ev.overdue')})", style="bold dark_orange")
        else:
            text.append(t("tui.meeting.ev.no_due"))
        text.append(f"\n{t('tui.meeting.ev.from_meeting')}: ", style="bold")
        text.append(origin.date)
        text.append(f"\n{t('tui.meeting.ev.state')}: ", style="bold")
        if action.done:
            text.append(t("tui.meeting.ev.done", date=action.done_at[:10]).strip(), style="bold green")
        else:
            text.append(t("tui.meeting.ev.open"), style="bold")
        self.query_one("#ev-facts-text", Static).update(text)
        self._hint("tui.meeting.ev.action_hint")

    def _show_musiq(self, ws: Workspace, team_id: str, item: Any) -> None:
        self._part("facts")
        done = [a for a in ws.assessments(team_id) if a.instrument.lower().startswith("musiq")]
        text = Text()
        if done:
            latest = done[-1]
            text.append(t("tui.meeting.ev.musiq_latest", date=latest.date), style="bold")
            if latest.setting:
                text.append(" · ")
                text.append_text(rich_text(latest.setting))
        else:
            text.append(t("tui.meeting.ev.musiq_never"), style="bold")
        interval = item.refs.get("interval_months")
        if interval:
            text.append("\n" + t("tui.meeting.ev.musiq_every", n=interval))
        self.query_one("#ev-facts-text", Static).update(text)
        self._hint("tui.meeting.ev.musiq_hint")


def _written(text: str) -> Text:
    """User text as written, or a dim "not written yet"."""
    if text.strip():
        return rich_text(text)
    return Text(t("tui.meeting.ev.not_written"), style="dim italic")
