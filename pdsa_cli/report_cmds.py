"""``pdsa report``: status reports, storyboards, the national roll-up, and the team's own texts.

HTML reports are one self-contained file (charts inline); a Markdown status report written
with ``-o report.md`` puts its charts as SVG files in ``report-charts/`` beside it. The
national roll-up hides counts of 1–4 unless ``--no-suppress-small`` is given; the other
reports hide them with ``--suppress-small``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pdsa_cli.output import echo, print_json, print_table
from pdsa_core.i18n import add_texts, get_language, t
from pdsa_core.literal import terminal

if TYPE_CHECKING:
    from pdsa_cli.context import AppContext

add_texts(
    {
        "report.written": ("Skrev {what} til {path}", "Wrote {what} to {path}"),
        "report.charts": ("{n} diagrammer i {folder}", "{n} charts in {folder}"),
        "report.hidden": ("{n} små tal er skjult som «<5».", "{n} small numbers are hidden as “<5”."),
        "report.text_saved": ("Gemte {field} for {team} ({period}).", "Saved {field} for {team} ({period})."),
        "report.text_removed": (
            "Slettede {field} for {team} ({period}).",
            "Removed {field} for {team} ({period}).",
        ),
        "report.every_period": ("alle perioder", "every period"),
        "report.texts": ("Rapporttekster", "Report texts"),
        "report.field": ("Felt", "Field"),
    }
)


def _pass_app(f: Any) -> Any:
    from pdsa_cli.context import pass_app

    return pass_app(f)


def _write_report(report: Any, output: str | None, what: str) -> None:
    from pdsa_core.output_files import check_output_path, write_output, write_output_text

    for notice in report.notices:
        echo(notice, err=True)
    if not output:
        sys.stdout.write(terminal(report.text))
        return
    path = Path(output)
    check_output_path(path)  # a wrong path is refused before the charts are written beside it
    for relative, content in report.attachments.items():  # the charts first: the report links them
        target = path.parent / relative
        _make_folder(target.parent)
        write_output_text(target, content)
    write_output(path, report.content or report.text.encode("utf-8"))
    echo(t("report.written", what=what, path=path), err=True)
    if report.attachments:
        folder = Path(next(iter(report.attachments))).parent
        echo(t("report.charts", n=len(report.attachments), folder=path.parent / folder), err=True)
    if report.hidden_cells:
        echo(t("report.hidden", n=report.hidden_cells), err=True)


def _read_text_file(name: str) -> str:
    """The text of a file the user names ('-': standard input); one line when it cannot be read."""
    from pdsa_core.errors import ValidationError
    from pdsa_core.output_files import refuse_special_input

    if name == "-":
        return sys.stdin.read()
    refuse_special_input(name)
    try:
        return Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise ValidationError(f"cannot read the file: {reason}", where=name) from None


def _make_folder(folder: Path) -> None:
    """The charts' folder beside a report (one line when it cannot be made)."""
    from pdsa_core.errors import OutputError
    from pdsa_core.storage.atomic import os_error_reason

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        en, da = os_error_reason(exc)
        raise OutputError(
            f"{en}; nothing was written", where=str(folder), da=f"{da}; intet er skrevet"
        ) from None


def _format_for(output: str | None, fmt: str | None) -> str:
    if fmt:
        return fmt
    if output and Path(output).suffix.lower() in (".md", ".markdown"):
        return "md"
    return "html"


def register(cli: click.Group) -> None:
    @cli.group()
    def report() -> None:
        """Reports: status report, storyboard, national roll-up."""

    @report.command("status")
    @click.option("--team", "team_name", required=True, help="Team name or id.")
    @click.option("--from", "period_from", help="First month YYYY-MM (default: 12 months back).")
    @click.option("--to", "period_to", help="Last month YYYY-MM (default: the last complete month).")
    @click.option("--format", "fmt", type=click.Choice(["html", "md"]), help="html (default) or md.")
    @click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to FILE (default stdout).")
    @click.option("--suppress-small", is_flag=True, help="Hide counts of 1–4 in tables as <5.")
    @click.option("--no-charts", is_flag=True, help="Leave the charts out (verdicts stay).")
    @click.option("--no-plugin-sections", is_flag=True, help="Leave out sections added by plugins.")
    @click.option(
        "--state-today",
        is_flag=True,
        help="Show cycles, decisions and the driver diagram as they are today, not at the end of the period.",
    )
    @_pass_app
    def report_status(
        app: AppContext,
        team_name: str,
        period_from: str | None,
        period_to: str | None,
        fmt: str | None,
        output: str | None,
        suppress_small: bool,
        no_charts: bool,
        no_plugin_sections: bool,
        state_today: bool,
    ) -> None:
        """The team's status report for a period (the secretariat's structure)."""
        from pdsa_core.reports import status_report

        chosen = _format_for(output, fmt)
        chart_dir = f"{Path(output).stem}-charts" if output and chosen == "md" and not no_charts else ""
        result = status_report(
            app.workspace(),
            team_name,
            period_from=period_from,
            period_to=period_to,
            lang=get_language(),
            fmt=chosen,
            suppress_small=suppress_small,
            sections=[] if no_plugin_sections else None,
            plugins=app.plugins(),
            chart_dir=chart_dir,
            charts=not no_charts,
            state_today=state_today,
        )
        _write_report(result, output, result.title)

    @report.command("storyboard")
    @click.option("--team", "team_name", required=True, help="Team name or id.")
    @click.option("--from", "period_from", help="First month YYYY-MM (default: 12 months back).")
    @click.option("--to", "period_to", help="Last month YYYY-MM (default: the last complete month).")
    @click.option(
        "--indicator", "indicators", multiple=True, help="Chart this indicator (repeat; at most 4)."
    )
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(["html", "pptx"]),
        help="html (default; an A3 poster) or pptx (an editable PowerPoint deck; needs -o).",
    )
    @click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to FILE (default stdout).")
    @click.option("--suppress-small", is_flag=True, help="Hide counts of 1–4 as <5.")
    @click.option(
        "--state-today",
        is_flag=True,
        help="Show cycles, decisions and the driver diagram as they are today, not at the end of the period.",
    )
    @_pass_app
    def report_storyboard(
        app: AppContext,
        team_name: str,
        period_from: str | None,
        period_to: str | None,
        indicators: tuple[str, ...],
        fmt: str | None,
        output: str | None,
        suppress_small: bool,
        state_today: bool,
    ) -> None:
        """The storyboard: an A3 landscape poster (HTML), or an editable PowerPoint deck (--format pptx)."""
        from pdsa_core.errors import ValidationError
        from pdsa_core.reports import storyboard

        if len(indicators) > 4:
            raise ValidationError(
                f"a storyboard has room for 4 charts; {len(indicators)} were named",
                da=f"et storyboard har plads til 4 diagrammer; {len(indicators)} blev angivet",
            )
        chosen = fmt or ("pptx" if output and Path(output).suffix.lower() == ".pptx" else "html")
        if chosen == "pptx":
            from pdsa_core.reports.storyboard_pptx import storyboard_pptx

            if not output:
                raise ValidationError(
                    "a PowerPoint storyboard is a file: give -o FILE.pptx",
                    da="en PowerPoint-storyboard er en fil: angiv -o FIL.pptx",
                )
            make = storyboard_pptx
        else:
            make = storyboard
        result = make(
            app.workspace(),
            team_name,
            period_from=period_from,
            period_to=period_to,
            lang=get_language(),
            indicators=indicators,
            suppress_small=suppress_small,
            state_today=state_today,
        )
        _write_report(result, output, result.title)

    @report.command("national")
    @click.option(
        "--workspace",
        "workspaces",
        multiple=True,
        type=click.Path(dir_okay=False),
        help="A workspace file to include (repeat; default: the current workspace).",
    )
    @click.option("--from", "period_from", help="First month YYYY-MM (default: 12 months back).")
    @click.option("--to", "period_to", help="Last month YYYY-MM (default: the last complete month).")
    @click.option("--format", "fmt", type=click.Choice(["html", "md"]), help="html (default) or md.")
    @click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to FILE (default stdout).")
    @click.option(
        "--suppress-small/--no-suppress-small",
        default=True,
        show_default=True,
        help="Hide counts of 1–4 as <5 (on: the roll-up leaves the team).",
    )
    @click.option("--json", "as_json", is_flag=True, help="Print the roll-up as JSON.")
    @click.option(
        "--state-today",
        is_flag=True,
        help="Show cycles, decisions and the driver diagram as they are today, not at the end of the period.",
    )
    @_pass_app
    def report_national(
        app: AppContext,
        workspaces: tuple[str, ...],
        period_from: str | None,
        period_to: str | None,
        fmt: str | None,
        output: str | None,
        suppress_small: bool,
        as_json: bool,
        state_today: bool,
    ) -> None:
        """The national roll-up across every team of one or more workspaces."""
        from pdsa_core.reports import national_rollup, rollup_data
        from pdsa_core.workspace import Workspace

        opened = [Workspace.open(path) for path in workspaces] if workspaces else [app.workspace()]
        if as_json:
            print_json(
                rollup_data(
                    opened,
                    period_from=period_from,
                    period_to=period_to,
                    lang=get_language(),
                    suppress_small=suppress_small,
                    state_today=state_today,
                )
            )
            return
        result = national_rollup(
            opened,
            period_from=period_from,
            period_to=period_to,
            lang=get_language(),
            fmt=_format_for(output, fmt),
            suppress_small=suppress_small,
            state_today=state_today,
        )
        _write_report(result, output, result.title)

    @report.command("text")
    @click.option("--team", "team_name", required=True, help="Team name or id.")
    @click.option("--from", "period_from", default="", help="First month of the report period.")
    @click.option("--to", "period_to", default="", help="Last month of the report period.")
    @click.argument(
        "field", type=click.Choice(["progress", "barriers", "assessment", "lessons"]), required=False
    )
    @click.argument("text", required=False)
    @click.option(
        "--file",
        "from_file",
        type=click.Path(dir_okay=False, allow_dash=True),
        help="Read the text from a file ('-' = stdin).",
    )
    @click.option("--json", "as_json", is_flag=True, help="Print the stored texts as JSON.")
    @_pass_app
    def report_text(
        app: AppContext,
        team_name: str,
        period_from: str,
        period_to: str,
        field: str | None,
        text: str | None,
        from_file: Any,
        as_json: bool,
    ) -> None:
        """Write the team's own words for a report, or list them (without FIELD).

        FIELD is progress, barriers, assessment (samlet vurdering) or lessons (storyboard).
        Without --from/--to the text applies to every period; an empty TEXT removes it.
        """
        from pdsa_core.errors import ValidationError
        from pdsa_core.reports import all_report_texts, set_report_text

        ws = app.workspace()
        if field is None:
            stored = all_report_texts(ws, team_name)
            if as_json:
                print_json(stored)
                return
            print_table(
                t("report.texts"),
                [t("period"), t("report.field"), t("text")],
                [
                    (key or t("report.every_period"), name, value)
                    for key, texts in stored.items()
                    for name, value in texts.items()
                ],
            )
            return
        if from_file is not None:
            if text is not None:
                raise ValidationError("give the text as an argument or with --file, not both")
            text = _read_text_file(from_file)
        if text is None:
            raise ValidationError(f"give the {field} text (or --file FILE, '' to remove it)")
        team = ws.team(team_name)
        saved = set_report_text(ws, team.id, field, text, period_from=period_from, period_to=period_to)
        period = f"{period_from}..{period_to}" if period_from or period_to else t("report.every_period")
        key = "report.text_saved" if field in saved else "report.text_removed"
        echo(t(key, field=field, team=team.name, period=period))
