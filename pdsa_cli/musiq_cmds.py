"""``pdsa musiq``: context assessments (MUSIQ and other registered instruments).

``new`` reads a ratings CSV (start from ``template``), checks it against the instrument
and saves it (nothing is saved if any row is wrong); ``list``, ``show`` and ``compare``
read a team's assessments; ``instruments`` lists the registered instruments.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from pdsa_cli.output import echo, print_json, print_table
from pdsa_core.i18n import get_language, t
from pdsa_core.literal import rich_text

if TYPE_CHECKING:
    from pdsa_cli.context import AppContext


def _pass_app(f: Any) -> Any:
    from pdsa_cli.context import pass_app

    return pass_app(f)


def _instruments(app: AppContext) -> dict[str, Any]:
    from pdsa_core.assessments import Instrument

    return {k: v for k, v in app.plugins().items("instruments").items() if isinstance(v, Instrument)}


def _instrument(app: AppContext, key: str) -> Any:
    from pdsa_core.assessments import Instrument

    found = app.plugins().instrument(key.strip())
    if not isinstance(found, Instrument):  # registered by an older plugin manager without validation
        from pdsa_core.errors import PluginError

        raise PluginError(f"instrument {key} is not an Instrument")
    return found


def _print_scores(instrument: Any, score: Any) -> None:
    lang = get_language()
    rows = []
    for level, _factors in instrument.by_level():
        summary = score.levels[level.id]
        rows.append(_summary_row(level.name.get(lang), summary))
    rows.append(_summary_row(t("musiq.total"), score.total))
    print_table(
        instrument.score_title(lang),
        [
            t("musiq.level"),
            t("musiq.score"),
            t("musiq.range"),
            t("musiq.mean"),
            t("musiq.rated"),
            t("musiq.na"),
        ],
        rows,
    )
    echo(f"{t('musiq.weights')}: {instrument.weights_source.get(lang)}")


def _summary_row(name: str, summary: Any) -> list[str]:
    from pdsa_core.assessments import fmt_score

    return [
        name,
        fmt_score(summary.score),
        f"{fmt_score(summary.minimum)}–{fmt_score(summary.maximum)}" if summary.rated else "–",
        fmt_score(summary.mean),
        str(summary.rated),
        str(summary.not_applicable),
    ]


def _assessment_json(assessment: Any, instrument: Any | None) -> dict[str, Any]:
    from pdsa_core.assessments import instrument_key, score_assessment

    data = assessment.to_dict()
    data["instrument_key"] = instrument_key(assessment)
    data["scores"] = score_assessment(instrument, assessment).to_dict() if instrument is not None else None
    if instrument is not None:
        data["weights_official"] = instrument.weights_official
        data["weights_source"] = instrument.weights_source.to_dict()
    return data


def register(cli: click.Group) -> None:
    @cli.group()
    def musiq() -> None:
        """MUSIQ context assessments: score, list, show and compare a team's assessments."""

    @musiq.command("instruments")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @_pass_app
    def musiq_instruments(app: AppContext, as_json: bool) -> None:
        """List the assessment instruments that are registered (built-in and from plugins)."""
        found = _instruments(app)
        if as_json:
            print_json([i.to_dict() | {"key": key} for key, i in sorted(found.items())])
            return
        lang = get_language()
        print_table(
            t("musiq.instruments"),
            ["key", t("name"), t("musiq.factors"), t("musiq.weights")],
            [
                (key, i.name.get(lang), len(i.factors), i.weights_source.get(lang))
                for key, i in sorted(found.items())
            ],
        )

    @musiq.command("template")
    @click.option(
        "--instrument",
        "instrument_key",
        default=None,
        metavar="ID@VERSION",
        help="Instrument (default: the built-in musiq@1.0-equal-weights).",
    )
    @_pass_app
    def musiq_template(app: AppContext, instrument_key: str | None) -> None:
        """Print a blank ratings file to fill in: pdsa musiq template > ratings.csv

        One row per factor. Write a rating in the rating column (1–7), or leave it blank /
        write NA / "ved ikke" for don't know or not applicable. Danish (--lang da) uses ';'.
        """
        from pdsa_core.assessments import DEFAULT_INSTRUMENT, ratings_template

        instrument = _instrument(app, instrument_key or DEFAULT_INSTRUMENT)
        echo(ratings_template(instrument, lang=get_language()), nl=False)

    @musiq.command("new")
    @click.option("--team", "team_ref", required=True, help="The team (name or id).")
    @click.option(
        "--setting", required=True, help="Where it was scored, e.g. regionspsykiatrien or a municipality."
    )
    @click.option(
        "--ratings",
        "ratings_path",
        required=True,
        type=click.Path(dir_okay=False),
        help="CSV of factor, rating, note (see 'pdsa musiq template').",
    )
    @click.option("--date", default=None, help="Date of the assessment, YYYY-MM-DD (default: today).")
    @click.option(
        "--participant", "participants", multiple=True, help="Who took part (name or role; repeat)."
    )
    @click.option(
        "--instrument",
        "instrument_key",
        default=None,
        metavar="ID@VERSION",
        help="Instrument (default: the built-in musiq@1.0-equal-weights).",
    )
    @click.option("--note", default="", help="A note on the assessment as a whole.")
    @click.option("--annotate", is_flag=True, help="Mark the date on the team's indicator charts.")
    @click.option("--json", "as_json", is_flag=True, help="Print the saved assessment as JSON.")
    @_pass_app
    def musiq_new(
        app: AppContext,
        team_ref: str,
        setting: str,
        ratings_path: str,
        date: str | None,
        participants: tuple[str, ...],
        instrument_key: str | None,
        note: str,
        annotate: bool,
        as_json: bool,
    ) -> None:
        """Save an assessment from a ratings file (nothing is saved if any row is wrong)."""
        from pathlib import Path

        from pdsa_core.assessments import (
            DEFAULT_INSTRUMENT,
            read_ratings_file,
            record_assessment,
            score_assessment,
        )

        ws = app.workspace()
        team = ws.team(team_ref)
        instrument = _instrument(app, instrument_key or DEFAULT_INSTRUMENT)
        items = read_ratings_file(ratings_path)
        assessment = record_assessment(
            ws,
            team.id,
            instrument,
            items,
            date=date,
            setting=setting,
            participants=participants,
            note=note,
            annotate=annotate,
            source=Path(ratings_path).name,
        )
        if as_json:
            print_json(_assessment_json(assessment, instrument))
            return
        echo(
            t(
                "musiq.saved",
                name=instrument.name.get(),
                id=assessment.id,
                team=team.name,
                date=assessment.date,
                setting=assessment.setting,
            )
        )
        _print_scores(instrument, score_assessment(instrument, assessment))
        if annotate:
            echo(t("musiq.annotated", date=assessment.date))

    @musiq.command("list")
    @click.option("--team", "team_ref", required=True, help="The team (name or id).")
    @click.option("--instrument", "instrument_key", default=None, metavar="ID@VERSION", help="Only this one.")
    @click.option("--setting", default=None, help="Only assessments made in this setting.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @_pass_app
    def musiq_list(
        app: AppContext, team_ref: str, instrument_key: str | None, setting: str | None, as_json: bool
    ) -> None:
        """List a team's assessments, oldest first, with their totals."""
        from pdsa_core.assessments import fmt_score, score_assessment
        from pdsa_core.assessments import instrument_key as key_of

        ws = app.workspace()
        team = ws.team(team_ref)
        found = ws.assessments(team.id, instrument=instrument_key, setting=setting)
        known = _instruments(app)
        if as_json:
            print_json([_assessment_json(a, known.get(key_of(a))) for a in found])
            return
        if not found:
            echo(t("musiq.no_assessments", team=team.name))
            return
        rows = []
        missing: set[str] = set()
        for a in found:
            instrument = known.get(key_of(a))
            if instrument is None:
                missing.add(key_of(a))
                total = None
            else:
                total = score_assessment(instrument, a).total
            rows.append(
                (
                    a.id,
                    a.date,
                    a.setting,
                    key_of(a),
                    fmt_score(total.score) if total else "–",
                    fmt_score(total.mean) if total else "–",
                    str(total.not_applicable) if total else "–",
                )
            )
        print_table(
            f"{t('musiq.assessments')}: {team.name}",
            [
                "id",
                t("date"),
                t("musiq.setting"),
                t("musiq.instrument"),
                t("musiq.total"),
                t("musiq.mean"),
                t("musiq.na"),
            ],
            rows,
        )
        for key in sorted(missing):
            echo(f"{t('warning')}: {t('musiq.missing_instrument', instrument=key)}", err=True)
        shown = {key_of(a) for a in found} - missing
        for key in sorted(shown):
            echo(f"{key}: {known[key].weights_source.get()}")

    @musiq.command("show")
    @click.argument("assessment_id")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @_pass_app
    def musiq_show(app: AppContext, assessment_id: str, as_json: bool) -> None:
        """Show one assessment: every factor's rating and note, scores per level and in total."""
        from pdsa_core.assessments import fmt_rating, score_assessment
        from pdsa_core.assessments import instrument_key as key_of

        ws = app.workspace()
        assessment = ws.assessment(assessment_id)
        instrument = _instruments(app).get(key_of(assessment))
        if as_json:
            print_json(_assessment_json(assessment, instrument))
            return
        lang = get_language()
        team = ws.team(assessment.team_id)
        echo(
            f"{assessment.id}  {team.name} · {assessment.date} · {assessment.setting} · {key_of(assessment)}"
        )
        if assessment.participants:
            echo(f"{t('musiq.participants')}: {', '.join(assessment.participants)}")
        if assessment.note:
            echo(f"{t('note')}: {assessment.note}")
        if instrument is None:
            echo(f"{t('warning')}: {t('musiq.missing_instrument', instrument=key_of(assessment))}", err=True)
            print_table(
                None,
                [t("musiq.factor"), t("musiq.rating"), t("note")],
                [(r.factor, fmt_rating(r.value), r.note) for r in assessment.ratings],
            )
            return
        rows = []
        for level, factors in instrument.by_level():
            for index, factor in enumerate(factors):
                rating = assessment.rating(factor.id)
                label = factor.label.get(lang) + (" (?)" if factor.uncertain else "")
                rows.append(
                    (
                        level.name.get(lang) if index == 0 else "",
                        label,
                        fmt_rating(rating.value if rating else ""),
                        "✓" if factor.changeable else "",
                        rating.note if rating else "",
                    )
                )
        print_table(
            None,
            [t("musiq.level"), t("musiq.factor"), t("musiq.rating"), t("musiq.changeable"), t("note")],
            rows,
        )
        _print_scores(instrument, score_assessment(instrument, assessment))

    @musiq.command("compare")
    @click.option("--team", "team_ref", required=True, help="The team (name or id).")
    @click.option(
        "--instrument",
        "instrument_key",
        default=None,
        metavar="ID@VERSION",
        help="Compare only assessments made with this instrument version.",
    )
    @click.option("--setting", default=None, help="Compare only assessments made in this setting.")
    @click.option(
        "--factors-only",
        is_flag=True,
        help="Compare factor ratings across versions of one instrument (no totals).",
    )
    @click.option("--from", "moved_from", default=None, metavar="ID", help="Moves: from this assessment.")
    @click.option("--to", "moved_to", default=None, metavar="ID", help="Moves: to this assessment.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @_pass_app
    def musiq_compare(
        app: AppContext,
        team_ref: str,
        instrument_key: str | None,
        setting: str | None,
        factors_only: bool,
        moved_from: str | None,
        moved_to: str | None,
        as_json: bool,
    ) -> None:
        """A team's assessments side by side, the factors that moved, and suggested focus.

        Totals are compared only between assessments made with the same instrument version.
        """
        from pdsa_core.assessments import compare_team_assessments, fmt_rating, fmt_score

        ws = app.workspace()
        team = ws.team(team_ref)
        comparison = compare_team_assessments(
            ws,
            team.id,
            _instruments(app),
            instrument=instrument_key,
            setting=setting,
            factors_only=factors_only,
            moved_from=moved_from,
            moved_to=moved_to,
        )
        if as_json:
            print_json(comparison.to_dict())
            return
        lang = get_language()
        instrument = comparison.instrument
        columns = [t("musiq.factor")] + [f"{a.date}\n{a.setting}" for a in comparison.assessments]
        rows: list[list[Any]] = []
        if not comparison.factors_only:
            for level in instrument.levels:
                rows.append(
                    [rich_text(level.name.get(lang), "bold")]
                    + [fmt_score(s.levels[level.id].score) if s else "" for s in comparison.scores]
                )
            rows.append(
                [rich_text(t("musiq.total"), "bold")]
                + [fmt_score(s.total.score) if s else "" for s in comparison.scores]
            )
            rows.append([t("musiq.mean")] + [fmt_score(s.total.mean) if s else "" for s in comparison.scores])
            rows.append(
                [t("musiq.na")] + [str(s.total.not_applicable) if s else "" for s in comparison.scores]
            )
        for factor in instrument.factors:
            label = factor.label.get(lang) + (" *" if factor.changeable else "")
            rows.append([label] + [fmt_rating(v) for v in comparison.factor_values(factor.id)])
        title = instrument.score_title(lang) if not comparison.factors_only else t("musiq.factors_only")
        print_table(f"{team.name}: {title}", columns, rows)
        echo(f"* {t('musiq.changeable')}")
        echo(f"{t('musiq.weights')}: {instrument.weights_source.get(lang)}")

        if comparison.moved_from is None or comparison.moved_to is None:
            if len(comparison.assessments) > 1:
                echo(t("musiq.moved_no_pair", setting=comparison.assessments[-1].setting))
        else:
            before, after = comparison.moved_from, comparison.moved_to
            echo(
                t(
                    "musiq.moved",
                    before=f"{before.date} ({before.setting})",
                    after=f"{after.date} ({after.setting})",
                )
                + ":"
            )
            if not comparison.moves:
                echo("  " + t("musiq.moved_none"))
            for move in comparison.moves:
                moved = instrument.factor(move.factor)
                change = "" if move.change is None else f" ({move.change:+d})"
                echo(
                    f"  {moved.label.get(lang) if moved else move.factor}: "
                    f"{fmt_rating(move.before)} → {fmt_rating(move.after)}{change}"
                )
        echo(t("musiq.focus") + ":")
        if not comparison.focus:
            echo("  " + t("musiq.focus_none"))
        for item in comparison.focus:
            focus = instrument.factor(item.factor)
            echo(f"  {focus.label.get(lang) if focus else item.factor}: {item.rating}")

    @musiq.command("annotate")
    @click.argument("assessment_id")
    @_pass_app
    def musiq_annotate(app: AppContext, assessment_id: str) -> None:
        """Mark an assessment's date on the team's indicator charts (an annotation of kind assessment)."""
        from pdsa_core.assessments import instrument_key as key_of

        ws = app.workspace()
        assessment = ws.assessment(assessment_id)
        ws.annotate_assessment(assessment.id, _instruments(app).get(key_of(assessment)))
        echo(t("musiq.annotated", date=assessment.date))

    @musiq.command("remove")
    @click.argument("assessment_id")
    @click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
    @_pass_app
    def musiq_remove(app: AppContext, assessment_id: str, yes: bool) -> None:
        """Delete an assessment entered by mistake."""
        ws = app.workspace()
        assessment = ws.assessment(assessment_id)
        if not yes:
            from pdsa_cli.asking import confirm

            when = ", ".join(part for part in (str(assessment.date), assessment.setting) if part)
            confirm(t("musiq.remove_q", id=assessment.id, when=when), abort=True)
        ws.remove_assessment(assessment.id)
        echo(t("musiq.removed", id=assessment.id, date=assessment.date))
