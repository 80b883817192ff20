"""MUSIQ (and any registered instrument): score factor by factor, compare, follow over time.

:class:`MusiqScreen` is a self-contained screen: ``MusiqScreen(workspace, team_id, plugins)``
(``instrument_key=`` to choose an instrument; default: the one of the team's latest
assessment, else the built-in MUSIQ). Push it from any app. It has three tabs:

* **Score**: one row per factor. Keys: ``1``–``7`` rate the factor under the cursor and
  move on, ``0`` or ``n`` mark it "don't know / not applicable", arrows/Enter move,
  ``Ctrl+S`` saves (all factors must be answered; nothing is saved otherwise). The factor's
  description of a low and a high rating and the running totals per level are shown.
* **Compare**: the team's assessments made with the same instrument version side by side,
  the factors that moved and the suggested focus.
* **Over time**: the mean per rated factor, per level and in total, at each assessment.

Every score is shown with the instrument's statement of where its weights come from.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Checkbox, DataTable, Header, Input, Static, TabbedContent, TabPane
from textual_plotext import PlotextPlot

from pdsa_core.assessments import (
    MUSIQ_KEY,
    Comparison,
    Instrument,
    fmt_rating,
    fmt_score,
    instrument_key,
    record_assessment,
    score_ratings,
)
from pdsa_core.domain.common import parse_date, today_iso
from pdsa_core.errors import PdsaError
from pdsa_core.i18n import add_texts, get_language, t
from pdsa_core.literal import rich_text
from tui.keys import binding as _binding
from tui.keys import localize_bindings
from tui.unsaved import FieldKeys, ask_before_leaving
from tui.widgets.footer import PdsaFooter
from tui.widgets.navbar import NavBar

add_texts(
    {
        "tui.key.musiq.save": ("Gem vurdering", "Save assessment"),
        "tui.key.musiq.back": ("Tilbage", "Back"),
        "tui.key.musiq.score_tab": ("Vurder", "Score"),
        "tui.key.musiq.compare_tab": ("Sammenlign", "Compare"),
        "tui.key.musiq.chart_tab": ("Udvikling", "Over time"),
        "tui.key.musiq.rate": ("Score 1–7", "Rate 1–7"),
        "tui.key.musiq.na": ("Ved ikke / ikke relevant", "Don't know / N/A"),
        "tui.key.musiq.next": ("Næste faktor", "Next factor"),
        "musiq.tui.no_team": ("Vælg et team først.", "Choose a team first."),
        "musiq.tui.missing_setting": (
            "Skriv hvor vurderingen er lavet (sted), f.eks. regionspsykiatrien eller en kommune.",
            "Say where the assessment was made (setting), e.g. regional psychiatry or a municipality.",
        ),
        "musiq.tui.unanswered": ("ikke besvaret", "not answered"),
        "musiq.tui.yes": ("ja", "yes"),
        "musiq.tui.no": ("nej", "no"),
        "musiq.tui.uncertain_factor": (
            "Usikker: faktoren kunne ikke bekræftes i den publicerede model.",
            "Uncertain: this factor could not be confirmed in the published model.",
        ),
        "musiq.tui.moves": ("Flyttede sig", "Moved"),
        "musiq.tui.unsaved": (
            "MUSIQ-vurdering ({answered} af {count} faktorer besvaret)",
            "MUSIQ assessment ({answered} of {count} factors answered)",
        ),
    }
)

#: characters that mark a factor as "don't know / not applicable" in the form
NA_KEYS = ("0", "n")


class FactorTable(DataTable[Any]):
    """The scoring form: one row per factor; digits rate the factor under the cursor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        _binding("1", "rate(1)", "musiq.rate", show=False),
        _binding("2", "rate(2)", "musiq.rate", show=False),
        _binding("3", "rate(3)", "musiq.rate", show=False),
        _binding("4", "rate(4)", "musiq.rate", show=False),
        _binding("5", "rate(5)", "musiq.rate", show=False),
        _binding("6", "rate(6)", "musiq.rate", show=False),
        _binding("7", "rate(7)", "musiq.rate", show=False),
        _binding("8", "rate(8)", "musiq.rate", show=False),
        _binding("9", "rate(9)", "musiq.rate", show=False),
        _binding("0,n", "not_applicable", "musiq.na"),
    ]

    def action_rate(self, value: int) -> None:
        screen = self.screen
        if isinstance(screen, MusiqScreen):
            screen.rate_current(value)

    def action_not_applicable(self) -> None:
        screen = self.screen
        if isinstance(screen, MusiqScreen):
            screen.rate_current(None)


class MusiqScreen(FieldKeys, Screen[None]):
    """Score, compare and follow a team's context assessments (MUSIQ by default)."""

    DEFAULT_CSS = """
    MusiqScreen #musiq-meta {
        height: 3;
    }
    MusiqScreen #musiq-date {
        width: 16;
    }
    MusiqScreen #musiq-setting {
        width: 1fr;
    }
    MusiqScreen #musiq-participants {
        width: 1fr;
    }
    MusiqScreen #musiq-annotate {
        width: 100%;
        margin: 1 0 0 0;
    }
    MusiqScreen #musiq-keys {
        height: 1;
    }
    MusiqScreen #musiq-body {
        height: 1fr;
    }
    MusiqScreen #musiq-left {
        width: 1fr;
    }
    MusiqScreen #musiq-factors {
        height: 1fr;
    }
    MusiqScreen #musiq-detail {
        height: auto;
        max-height: 7;
        padding: 0 1;
        border-top: solid $primary 50%;
    }
    MusiqScreen #musiq-side {
        width: 34;
        padding: 0 1;
        border-left: solid $primary 50%;
    }
    MusiqScreen .musiq-hint {
        color: $text-muted;
        height: auto;
    }
    MusiqScreen #musiq-compare {
        height: 1fr;
    }
    MusiqScreen #musiq-compare-notes {
        height: auto;
        max-height: 12;
        padding: 0 1;
    }
    MusiqScreen #musiq-chart {
        height: 1fr;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        _binding("ctrl+s", "save", "musiq.save", priority=True),
        _binding("escape", "back", "musiq.back"),
        _binding("f2", "show_tab('musiq-tab-score')", "musiq.score_tab"),
        _binding("f3", "show_tab('musiq-tab-compare')", "musiq.compare_tab"),
        _binding("f4", "show_tab('musiq-tab-chart')", "musiq.chart_tab"),
    ]

    def __init__(
        self,
        workspace: Any,
        team_id: str,
        plugins: Any,
        *,
        instrument_key: str | None = None,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's argument name
    ) -> None:
        super().__init__(name=name, id=id)
        self.ws = workspace
        self.team_id = team_id
        self.plugins = plugins
        self.instruments: dict[str, Instrument] = {
            key: item
            for key, item in (plugins.items("instruments") if plugins is not None else {}).items()
            if isinstance(item, Instrument)
        }
        self.instrument = self._choose_instrument(instrument_key)
        self.ratings: dict[str, int | None] = {}
        self._row_ids: list[str] = [f.id for _, factors in self.instrument.by_level() for f in factors]
        self.saved: list[str] = []
        """Ids of the assessments saved from this screen (newest last)."""
        self._form_values = {"date": today_iso(), "setting": "", "participants": "", "annotate": False}
        self._baseline = dict(self._form_values)
        """The form as it was after the last save (what counts as nothing typed)."""
        self._language = get_language()

    # -- set-up ---------------------------------------------------------------------------------
    def _choose_instrument(self, key: str | None) -> Instrument:
        if key:
            if key not in self.instruments:
                known = ", ".join(sorted(self.instruments)) or "none"
                raise PdsaError(f"no instrument {key!r} (known: {known})")
            return self.instruments[key]
        for assessment in reversed(self.ws.assessments(self.team_id)):
            found = self.instruments.get(instrument_key(assessment))
            if found is not None:
                return found
        if MUSIQ_KEY in self.instruments:
            return self.instruments[MUSIQ_KEY]
        if not self.instruments:
            raise PdsaError("no assessment instrument is registered (the built-in MUSIQ plugin is missing)")
        return self.instruments[sorted(self.instruments)[0]]

    def compose(self) -> ComposeResult:
        lang = get_language()
        yield Header()
        if hasattr(self.app, "keys_for"):  # in the pdsa app: the bar of screens
            yield NavBar("musiq")
        with TabbedContent(id="musiq-tabs", initial="musiq-tab-score"):
            with TabPane(t("musiq.tab_score"), id="musiq-tab-score"):
                with Horizontal(id="musiq-meta"):
                    yield Input(
                        value=str(self._form_values["date"]),
                        placeholder="YYYY-MM-DD",
                        id="musiq-date",
                    )
                    yield Input(
                        value=str(self._form_values["setting"]),
                        placeholder=t("musiq.setting_placeholder"),
                        id="musiq-setting",
                    )
                    yield Input(
                        value=str(self._form_values["participants"]),
                        placeholder=t("musiq.participants_placeholder"),
                        id="musiq-participants",
                    )
                with Horizontal(id="musiq-body"):
                    with Vertical(id="musiq-left"):
                        yield FactorTable(id="musiq-factors", cursor_type="row", zebra_stripes=True)
                        yield Static(id="musiq-detail")
                    with VerticalScroll(id="musiq-side"):
                        yield Static(id="musiq-totals")
                        yield Checkbox(
                            t("musiq.annotate"), bool(self._form_values["annotate"]), id="musiq-annotate"
                        )
                        yield Static(self._provenance(lang), id="musiq-provenance", classes="musiq-hint")
                yield Static(t("musiq.keys_help"), classes="musiq-hint", id="musiq-keys")
            with TabPane(t("musiq.tab_compare"), id="musiq-tab-compare"):
                yield DataTable(id="musiq-compare", zebra_stripes=True, cursor_type="row")
                yield Static(id="musiq-compare-notes")
            with TabPane(t("musiq.tab_chart"), id="musiq-tab-chart"):
                yield PlotextPlot(id="musiq-chart")
        yield PdsaFooter()

    def on_mount(self) -> None:
        localize_bindings(self)
        localize_bindings(self.query_one(FactorTable))
        self._title()
        self._fill_form()
        self.refresh_history()
        self.query_one(FactorTable).focus()

    def _title(self) -> None:
        try:
            team = self.ws.team(self.team_id).name
        except PdsaError:
            team = self.team_id
        self.title = t("musiq.title")
        self.sub_title = f"{team} · {self.instrument.score_title()}"

    def _provenance(self, lang: str) -> Text:
        ins = self.instrument
        text = Text()
        text.append(f"{ins.name.get(lang)} ({ins.key})\n", style="bold")
        text.append(f"{t('musiq.weights')}: ", style="bold")
        text.append(ins.weights_source.get(lang) + "\n")
        if ins.scoring.description.get(lang):
            text.append(f"{t('musiq.scoring')}: ", style="bold")
            text.append(ins.scoring.description.get(lang) + "\n")
        if ins.source.get(lang):
            text.append(f"{t('musiq.source')}: ", style="bold")
            text.append(ins.source.get(lang) + "\n")
        if ins.notes.get(lang):
            text.append(f"{t('musiq.notes')}: ", style="bold")
            text.append(ins.notes.get(lang))
        return text

    # -- the scoring form -----------------------------------------------------------------------
    def _fill_form(self) -> None:
        lang = get_language()
        table = self.query_one(FactorTable)
        cursor = table.cursor_row if table.row_count else 0
        table.clear(columns=True)
        table.add_column(t("musiq.rating"), key="rating", width=8)
        table.add_column(t("musiq.factor"), key="factor")
        table.add_column(t("musiq.level"), key="level")
        for level, factors in self.instrument.by_level():
            for index, factor in enumerate(factors):
                label = factor.label.get(lang) + (" (?)" if factor.uncertain else "")
                table.add_row(
                    self._rating_cell(factor.id),
                    rich_text(label),
                    rich_text(level.name.get(lang) if index == 0 else "", "dim"),
                    key=factor.id,
                )
        table.move_cursor(row=min(cursor, table.row_count - 1))
        self._show_detail()
        self._show_totals()

    def _rating_cell(self, factor_id: str) -> Text:
        if factor_id not in self.ratings:
            return Text("·", style="dim")
        value = self.ratings[factor_id]
        if value is None:
            return Text(fmt_rating(None), style="italic")
        return Text(str(value), style="bold")

    @property
    def current_factor(self) -> str | None:
        table = self.query_one(FactorTable)
        if not table.row_count:
            return None
        return self._row_ids[table.cursor_row]

    def rate_current(self, value: int | None) -> None:
        """Rate the factor under the cursor (None: don't know / not applicable) and move on."""
        factor_id = self.current_factor
        if factor_id is None:
            return
        scale = self.instrument.scale
        if value is None and not scale.allow_not_applicable:
            self.notify(t("musiq.na") + ": –", severity="warning")
            return
        if value is not None and not scale.contains(value):
            self.notify(f"{value}: {scale.min}–{scale.max}", severity="warning", timeout=3)
            return
        self.ratings[factor_id] = value
        table = self.query_one(FactorTable)
        table.update_cell(factor_id, "rating", self._rating_cell(factor_id))
        if table.cursor_row < table.row_count - 1:
            table.move_cursor(row=table.cursor_row + 1)
        self._show_detail()
        self._show_totals()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if isinstance(event.data_table, FactorTable):
            self._show_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if isinstance(event.data_table, FactorTable):  # Enter moves to the next factor
            table = event.data_table
            if table.cursor_row < table.row_count - 1:
                table.move_cursor(row=table.cursor_row + 1)

    def _show_detail(self) -> None:
        factor_id = self.current_factor
        detail = self.query_one("#musiq-detail", Static)
        if factor_id is None:
            detail.update("")
            return
        lang = get_language()
        factor = self.instrument.factor(factor_id)
        assert factor is not None
        level = self.instrument.level(factor.level)
        scale = self.instrument.scale
        text = Text()
        text.append(factor.label.get(lang), style="bold")
        text.append(f"  ({level.name.get(lang) if level else factor.level})  ")
        text.append(
            f"{t('musiq.changeable')}: {t('musiq.tui.yes') if factor.changeable else t('musiq.tui.no')}",
            style="dim",
        )
        low_label = scale.anchor(scale.min)
        high_label = scale.anchor(scale.max)
        text.append(f"\n{scale.min}", style="bold red")
        text.append(f" {low_label.get(lang)}: " if low_label else ": ", style="red")
        text.append(factor.low.get(lang))
        text.append(f"\n{scale.max}", style="bold green")
        text.append(f" {high_label.get(lang)}: " if high_label else ": ", style="green")
        text.append(factor.high.get(lang))
        middle = [a for a in scale.anchors if a.value not in (scale.min, scale.max)]
        if middle:
            text.append("\n" + ", ".join(f"{a.value} = {a.label.get(lang)}" for a in middle), style="dim")
        if scale.allow_not_applicable:
            text.append(f" · 0/n = {scale.not_applicable_label.get(lang)}", style="dim")
        if factor.uncertain:
            text.append("\n" + t("musiq.tui.uncertain_factor"), style="italic yellow")
        detail.update(text)

    def _show_totals(self) -> None:
        lang = get_language()
        score = score_ratings(self.instrument, self.ratings)
        table = Table(box=None, padding=(0, 0, 0, 1), show_edge=False, expand=True)
        table.add_column(t("musiq.level"), ratio=1, overflow="ellipsis", no_wrap=True)
        table.add_column(t("musiq.score"), justify="right", no_wrap=True)
        table.add_column(t("musiq.mean_short"), justify="right", no_wrap=True)
        table.add_column(t("musiq.na_short"), justify="right", no_wrap=True)
        for level in self.instrument.levels:
            summary = score.levels[level.id]
            table.add_row(
                level.name.get(lang),
                fmt_score(summary.score),
                fmt_score(summary.mean),
                str(summary.not_applicable),
            )
        total = score.total
        table.add_row(
            Text(t("musiq.total"), style="bold"),
            Text(fmt_score(total.score), style="bold"),
            Text(fmt_score(total.mean), style="bold"),
            Text(str(total.not_applicable), style="bold"),
        )
        answered = total.rated + total.not_applicable
        progress = Text(
            t("musiq.progress", answered=answered, count=len(self.instrument.factors)),
            style="bold green" if not total.unrated else "bold",
        )
        title = Text(self.instrument.score_title(lang), style="bold")
        self.query_one("#musiq-totals", Static).update(Group(title, table, progress))

    def _read_form(self) -> dict[str, Any]:
        return {
            "date": self.query_one("#musiq-date", Input).value,
            "setting": self.query_one("#musiq-setting", Input).value,
            "participants": self.query_one("#musiq-participants", Input).value,
            "annotate": self.query_one("#musiq-annotate", Checkbox).value,
        }

    def action_save(self) -> None:
        self.save_input()

    def save_input(self) -> bool:
        """Save the assessment; False (everything kept, the reason shown) when it is not complete."""
        form = self._read_form()
        missing = [factor_id for factor_id in self._row_ids if factor_id not in self.ratings]
        table = self.query_one(FactorTable)
        if missing:
            first = self.instrument.factor(missing[0])
            label = first.label.get() if first else missing[0]
            self.notify(t("musiq.incomplete", missing=len(missing), first=label), severity="error", timeout=6)
            self.action_show_tab("musiq-tab-score")
            table.move_cursor(row=self._row_ids.index(missing[0]))
            table.focus()
            return False
        if not form["setting"].strip():
            self.notify(t("musiq.tui.missing_setting"), severity="error", timeout=6)
            self.query_one("#musiq-setting", Input).focus()
            return False
        try:
            date = parse_date(form["date"] or today_iso(), field=t("musiq.date"))
            assessment = record_assessment(
                self.ws,
                self.team_id,
                self.instrument,
                dict(self.ratings),
                date=date,
                setting=form["setting"],
                participants=[p for p in form["participants"].split(",") if p.strip()],
                annotate=bool(form["annotate"]),
            )
        except PdsaError as exc:
            self.notify(str(exc), title=t("error"), severity="error", timeout=10)
            return False
        self.saved.append(assessment.id)
        self.notify(t("musiq.saved_short", id=assessment.id), timeout=5)
        self.ratings = {}
        self._form_values = {**form, "date": today_iso(), "annotate": False}
        self._baseline = dict(self._form_values)
        self.query_one("#musiq-date", Input).value = today_iso()
        self.query_one("#musiq-annotate", Checkbox).value = False
        table.move_cursor(row=0)
        self._fill_form()
        changed = getattr(self.app, "changed", None)
        if callable(changed):  # the pdsa app refreshes its other screens
            changed()
        self.refresh_history()
        self.action_show_tab("musiq-tab-compare")
        return True

    def unsaved_input(self) -> str:
        """The ratings and the form typed but not saved ("" when there are none)."""
        if not self.is_mounted:
            return ""
        form = self._read_form()
        typed = any(form[key] != self._baseline[key] for key in ("setting", "participants"))
        if not self.ratings and not typed:
            return ""
        score = score_ratings(self.instrument, self.ratings).total
        return t(
            "musiq.tui.unsaved",
            answered=score.rated + score.not_applicable,
            count=len(self.instrument.factors),
        )

    def discard_input(self) -> None:
        self.ratings = {}
        self._form_values = dict(self._baseline)
        self.query_one("#musiq-setting", Input).value = str(self._baseline["setting"])
        self.query_one("#musiq-participants", Input).value = str(self._baseline["participants"])
        self._fill_form()

    # -- comparison and chart ---------------------------------------------------------------------
    def _comparison(self) -> tuple[Comparison | None, list[str]]:
        """The team's assessments with this instrument version, and the other versions left out."""
        every = self.ws.assessments(self.team_id)
        others = sorted({instrument_key(a) for a in every} - {self.instrument.key})
        mine = [a for a in every if instrument_key(a) == self.instrument.key]
        if not mine:
            return None, others
        from pdsa_core.assessments import compare

        return compare(mine, {self.instrument.key: self.instrument}), others

    def refresh_history(self) -> None:
        try:
            comparison, others = self._comparison()
        except PdsaError as exc:
            self.notify(str(exc), title=t("error"), severity="error")
            return
        self._show_compare(comparison, others)
        self._show_chart(comparison)

    def _show_compare(self, comparison: Comparison | None, others: list[str]) -> None:
        lang = get_language()
        table = self.query_one("#musiq-compare", DataTable)
        notes = self.query_one("#musiq-compare-notes", Static)
        table.clear(columns=True)
        if comparison is None:
            table.add_column(t("musiq.factor"))
            text = Text(t("musiq.compare_empty"))
            if others:
                text.append("\n" + t("musiq.other_versions", count=len(others), keys=", ".join(others)))
            notes.update(text)
            return
        table.add_column(t("musiq.factor"), key="factor")
        for a in comparison.assessments:
            table.add_column(rich_text(f"{a.date} {a.setting}"[:24]), key=a.id)
        for level in self.instrument.levels:
            table.add_row(
                rich_text(level.name.get(lang), "bold"),
                *[fmt_score(s.levels[level.id].score) if s else "" for s in comparison.scores],
            )
        table.add_row(
            Text(t("musiq.total"), style="bold"),
            *[Text(fmt_score(s.total.score), style="bold") if s else "" for s in comparison.scores],
        )
        table.add_row(t("musiq.mean"), *[fmt_score(s.total.mean) if s else "" for s in comparison.scores])
        table.add_row(t("musiq.na"), *[str(s.total.not_applicable) if s else "" for s in comparison.scores])
        for factor in self.instrument.factors:
            label = factor.label.get(lang) + (" *" if factor.changeable else "")
            table.add_row(
                rich_text(label), *[fmt_rating(v) for v in comparison.factor_values(factor.id)], key=factor.id
            )
        text = Text()
        if comparison.moved_from is not None and comparison.moved_to is not None:
            before, after = comparison.moved_from, comparison.moved_to
            text.append(t("musiq.moved", before=before.date, after=after.date) + ": ", style="bold")
            if not comparison.moves:
                text.append(t("musiq.moved_none"))
            parts = []
            for move in comparison.moves:
                moved = self.instrument.factor(move.factor)
                name = moved.label.get(lang) if moved else move.factor
                change = f"{move.change:+d}" if move.change is not None else "N/A"
                parts.append(f"{name} {fmt_rating(move.before)}→{fmt_rating(move.after)} ({change})")
            text.append("; ".join(parts))
            text.append("\n")
        elif len(comparison.assessments) > 1:
            text.append(t("musiq.moved_no_pair", setting=comparison.assessments[-1].setting) + "\n")
        text.append(t("musiq.focus") + ": ", style="bold")
        if comparison.focus:
            names = []
            for item in comparison.focus:
                focus = self.instrument.factor(item.factor)
                names.append(f"{focus.label.get(lang) if focus else item.factor} ({item.rating})")
            text.append(", ".join(names))
        else:
            text.append(t("musiq.focus_none"))
        text.append(
            f"\n* {t('musiq.changeable')}. {t('musiq.weights')}: {self.instrument.weights_source.get(lang)}",
            style="dim",
        )
        if others:
            text.append(
                "\n" + t("musiq.other_versions", count=len(others), keys=", ".join(others)), style="italic"
            )
        notes.update(text)

    def _show_chart(self, comparison: Comparison | None) -> None:
        lang = get_language()
        widget = self.query_one("#musiq-chart", PlotextPlot)
        plt = widget.plt
        plt.clear_data()
        plt.clear_figure()
        plt.title(t("musiq.chart_title") + f" · {self.instrument.key}")
        if comparison is None or not comparison.assessments:
            plt.title(t("musiq.chart_empty"))
            widget.refresh()
            return
        xs: list[float] = list(range(1, len(comparison.assessments) + 1))
        labels = [a.date for a in comparison.assessments]
        scale = self.instrument.scale
        for level in self.instrument.levels:
            ys = [s.levels[level.id].mean if s else None for s in comparison.scores]
            points = [(x, y) for x, y in zip(xs, ys, strict=True) if y is not None]
            if points:
                plt.plot(
                    [p[0] for p in points], [p[1] for p in points], label=level.name.get(lang), marker="dot"
                )
        totals = [
            (x, s.total.mean)
            for x, s in zip(xs, comparison.scores, strict=True)
            if s and s.total.mean is not None
        ]
        if totals:
            plt.plot(
                [p[0] for p in totals],
                [p[1] for p in totals],
                label=t("musiq.total"),
                marker="hd",
            )
        plt.xticks(xs, labels)
        plt.xlim(0.5, len(xs) + 0.5)
        plt.ylim(scale.min, scale.max)
        widget.refresh()

    # -- navigation and app hooks -------------------------------------------------------------------
    def action_show_tab(self, tab_id: str) -> None:
        self.query_one(TabbedContent).active = tab_id
        if tab_id == "musiq-tab-score":
            self.query_one(FactorTable).focus()
        elif tab_id == "musiq-tab-compare":
            self.query_one("#musiq-compare", DataTable).focus()

    def action_back(self) -> None:
        """Back to the screen before; ratings not saved yet are saved or discarded first (asked)."""
        ask_before_leaving(self.app, [self], self._leave)

    def _leave(self) -> None:
        leave_mode = getattr(self.app, "leave_mode", None)
        if leave_mode is not None:  # the pdsa app: MUSIQ is one of its screens
            leave_mode()
        elif len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def sync(self) -> None:
        """Called by the pdsa app after a change (here or in another process)."""
        self.refresh_history()

    async def on_screen_resume(self) -> None:
        if self._language != get_language():  # the language changed while another screen was shown
            await self.relabel()

    async def relabel(self) -> None:
        """Rebuild the texts in the current language (the ratings typed so far are kept)."""
        self._language = get_language()
        self._form_values = self._read_form()
        row = self.query_one(FactorTable).cursor_row
        tab = self.query_one(TabbedContent).active
        localize_bindings(self)
        await self.recompose()
        localize_bindings(self.query_one(FactorTable))
        self._title()
        self._fill_form()
        self.query_one(FactorTable).move_cursor(row=row)
        self.refresh_history()
        self.action_show_tab(tab)
