"""Core commands: workspace, teams, indicators, data, annotations, driver diagram, PDSA cycles."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click

from pdsa_cli.output import echo, print_json, print_table
from pdsa_cli.params import NUMBER
from pdsa_core.domain.common import parse_period_range
from pdsa_core.errors import ConflictError, ValidationError
from pdsa_core.formatting import fmt_number
from pdsa_core.i18n import add_texts, get_language, t

if TYPE_CHECKING:
    from pdsa_cli.context import AppContext

add_texts(
    {
        "updated_indicator": ("Rettede indikator {code} for {team}", "Updated indicator {code} for {team}"),
        "removed_indicator": (
            "Fjernede indikator {code} fra {team} ({n} værdier)",
            "Removed indicator {code} from {team} ({n} values)",
        ),
        "ind.no_target_to_date": (
            "indikatoren har intet mål at give en dato; angiv --target",
            "the indicator has no target to give a date; give --target",
        ),
        "driver.delete_q": ('Slet {kind} "{text}"?', 'Delete {kind} "{text}"?'),
        "driver.delete_below": (
            "Det, der hænger under den og ikke hører til en anden driver, slettes også "
            "(du kan fortryde med 'pdsa driver undo').",
            "What hangs under it and serves no other driver is deleted too "
            "(you can undo it with 'pdsa driver undo').",
        ),
        "driver.undid": ("Fortrudt: {summary}", "Undone: {summary}"),
        "driver.undone": (" (fortrudt)", " (undone)"),
        "driver.who": ("Hvem", "Who"),
        "export.template": (
            "Skrev dataskabelonen ({n} værdier, {start} – {end}) til {path}",
            "Wrote the data template ({n} values, {start} – {end}) to {path}",
        ),
    }
)


def _pass_app(f: Any) -> Any:
    from pdsa_cli.context import pass_app

    return pass_app(f)


def _changed_target(current: Any, value: float | None, date: str | None, relative: bool | None) -> Any:
    """The indicator's target with what ``indicator update`` was given changed."""
    from pdsa_core.domain import Target

    old = current.target
    if value is None and old is None:
        raise ValidationError(t("ind.no_target_to_date", "en"), da=t("ind.no_target_to_date", "da"))
    return Target(
        value=value if value is not None else old.value,
        date=date if date is not None else (old.date if old else ""),
        relative=relative if relative is not None else (old.relative if old else False),
    )


def _report_problems(indicators: Any) -> None:
    """Name each indicator whose stored form had to be read with a part left out."""
    for indicator in indicators:
        if indicator.problem:
            text = indicator.problem_da if get_language() == "da" else indicator.problem
            echo(f"{t('warning')}: {text}", err=True)


def register(cli: click.Group) -> None:
    # -- workspace -----------------------------------------------------------------------------
    @cli.command()
    @_pass_app
    def init(app: AppContext) -> None:
        """Create an empty workspace (refuses to overwrite an existing file)."""
        from pdsa_core.workspace import Workspace

        Workspace.create(app.location)
        echo(t("created_workspace", path=app.location))

    @cli.command()
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(["json", "xlsx"]),
        default="json",
        show_default=True,
        help="json: the whole workspace; xlsx: a team's data template (months as rows).",
    )
    @click.option(
        "--output", "-o", type=click.Path(dir_okay=False), help="Write to a file instead of stdout."
    )
    @click.option("--team", "team_name", help="xlsx: the team whose monthly values to export.")
    @click.option("--from", "period_from", help="xlsx: first month YYYY-MM (default: the first with data).")
    @click.option("--to", "period_to", help="xlsx: last month YYYY-MM (default: the last with data).")
    @_pass_app
    def export(
        app: AppContext,
        fmt: str,
        output: str | None,
        team_name: str | None,
        period_from: str | None,
        period_to: str | None,
    ) -> None:
        """Export the whole workspace (JSON), or a team's Excel data template (--format xlsx).

        The data template has a month per row and an indicator per column (a proportion as
        numerator and denominator), with Danish headers and month labels in Danish; 'pdsa import
        FILE --team T' reads it back to the same values.
        """
        if fmt == "xlsx":
            from pdsa_core.reports.data_template import data_template, write_data_template

            if not team_name or not output:
                raise ValidationError(
                    "--format xlsx needs --team and --output FILE.xlsx",
                    da="--format xlsx kræver --team og --output FIL.xlsx",
                )
            template = data_template(
                app.workspace(),
                team_name,
                period_from=period_from,
                period_to=period_to,
                lang=get_language(),
            )
            path = write_data_template(output, template)
            echo(
                t(
                    "export.template",
                    path=path,
                    n=template.values,
                    start=template.period_from,
                    end=template.period_to,
                ),
                err=True,
            )
            return
        if team_name or period_from or period_to:
            raise ValidationError(
                "--team, --from and --to are for --format xlsx",
                da="--team, --from og --to gælder --format xlsx",
            )
        data = app.workspace().export()
        if output:
            from pdsa_core.output_files import write_output

            write_output(output, json.dumps(data, ensure_ascii=False, indent=2).encode())
        else:
            print_json(data)

    @cli.command()
    @click.option(
        "--write", "write_path", type=click.Path(dir_okay=False), help="Write the demo to PATH and exit."
    )
    @click.pass_context
    def demo(ctx: click.Context, write_path: str | None) -> None:
        """Open the TUI on a fresh copy of the demo workspace (synthetic data)."""
        from pdsa_core.demo import write_demo

        if write_path is not None:  # also an empty name, which is refused, not the TUI
            write_demo(write_path)
            echo(t("wrote_demo", path=write_path))
            return
        from pdsa_cli.context import AppContext, open_tui
        from pdsa_core.workspace import default_workspace_path

        path = default_workspace_path().with_name("demo-workspace.json")
        path.parent.mkdir(parents=True, exist_ok=True)
        for stale in (path, path.with_name(path.name + ".lock")):
            stale.unlink(missing_ok=True)
        write_demo(path)
        app: AppContext = ctx.obj
        open_tui(AppContext(str(path), app.plugins_dirs), title_suffix=" (demo)")

    # -- teams ----------------------------------------------------------------------------------------
    @cli.group()
    def team() -> None:
        """Teams (forbedringsteams)."""

    @team.command("add")
    @click.argument("name")
    @click.option(
        "--region", default="other", help="Region Hovedstaden/Sjælland/Syddanmark/Midtjylland/Nordjylland."
    )
    @click.option("--track", default="voksenspor", help="voksenspor, 'børne- og ungespor' or other.")
    @click.option(
        "--municipality", "municipalities", multiple=True, help="A municipality in the team (repeat)."
    )
    @click.option(
        "--indicator-set", help="Give the team the indicators of this set (see 'pdsa plugins list')."
    )
    @click.option("--template", help="Start the driver diagram from this template.")
    @_pass_app
    def team_add(
        app: AppContext,
        name: str,
        region: str,
        track: str,
        municipalities: tuple[str, ...],
        indicator_set: str | None,
        template: str | None,
    ) -> None:
        """Add a team."""
        ws = app.workspace()
        chosen_set = app.plugins().indicator_set(indicator_set) if indicator_set else None
        chosen_template = app.plugins().diagram_template(template) if template else None
        new = ws.add_team(
            name, region=region, track=track, municipalities=municipalities, indicator_set=chosen_set
        )
        if chosen_template is not None:
            ws.apply_template(new.id, chosen_template)
        echo(t("added_team", name=new.name, id=new.id))

    @team.command("list")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @_pass_app
    def team_list(app: AppContext, as_json: bool) -> None:
        """List the teams."""
        teams = app.workspace().teams()
        if as_json:
            print_json([tm.to_dict() for tm in teams])
            return
        if not teams:
            echo(t("no_teams"))
            return
        print_table(
            t("teams"),
            [t("name"), "id", t("region"), t("track"), t("municipalities")],
            [(tm.name, tm.id, tm.region.value, tm.track.value, ", ".join(tm.municipalities)) for tm in teams],
        )

    @team.command("show")
    @click.argument("name")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @_pass_app
    def team_show(app: AppContext, name: str, as_json: bool) -> None:
        """Show a team: members, indicators with latest values, cycles by status."""
        from pdsa_core.overview import team_overview

        overview = team_overview(app.workspace(), name)
        _report_problems(app.workspace().indicators(name))
        if as_json:
            print_json(overview)
            return
        lang = get_language()
        info = overview["team"]
        echo(f"{info['name']}  ({info['region']}, {info['track']})")
        if info["municipalities"]:
            echo(f"{t('municipalities')}: {', '.join(info['municipalities'])}")
        echo(f"{t('aim')}: {overview['aim'] or '–'}")
        for member in info["members"]:
            echo(f"  · {member['name']} ({member['role']})")
        print_table(
            t("indicators"),
            ["id", t("name"), t("latest"), t("period"), t("missing_months")],
            [
                (
                    i["code"],
                    i["name_da"] if lang == "da" else i["name_en"] or i["name_da"],
                    fmt_number(i["latest_value"]),
                    i["latest_period"] or "–",
                    i["missing_months"],
                )
                for i in overview["indicators"]
            ],
        )
        for status, cycles in overview["cycles_by_status"].items():
            if cycles:
                echo(f"{t('status.' + status)}: " + "; ".join(c["title"] for c in cycles))

    @team.command("member")
    @click.argument("team_name")
    @click.argument("member_name")
    @click.option(
        "--role",
        default="other",
        help="tovholder, leader, peer, data consultant, clinician, municipal staff.",
    )
    @click.option("--organisation", default="", help="The member's organisation (workplace).")
    @click.option("--remove", is_flag=True, help="Remove the member instead.")
    @_pass_app
    def team_member(
        app: AppContext, team_name: str, member_name: str, role: str, organisation: str, remove: bool
    ) -> None:
        """Add (or --remove) a member of a team."""
        ws = app.workspace()
        if remove:
            ws.remove_member(team_name, member_name)
        else:
            ws.add_member(team_name, member_name, role, organisation)
        echo(", ".join(f"{m.name} ({m.role.value})" for m in ws.team(team_name).members) or "–")

    # -- indicators ----------------------------------------------------------------------------------
    @cli.group()
    def indicator() -> None:
        """Indicators of a team."""

    @indicator.command("add")
    @click.argument("code")
    @click.option("--team", "team_name", required=True, help="The team (name or id).")
    @click.option("--name", "name_da", required=True, help="Danish name.")
    @click.option("--name-en", default="", help="English name.")
    @click.option("--kind", default="result", help="result, process, follow or balancing.")
    @click.option("--unit", default="count", help="count, proportion (numerator/denominator) or rate.")
    @click.option("--direction", default="down", help="Direction of improvement: down, up, target, none.")
    @click.option("--target", "target_value", type=NUMBER, help="Target value.")
    @click.option("--target-date", default="", help="Date the target should be met (YYYY-MM-DD).")
    @click.option("--relative-target", is_flag=True, help="The target is a relative change (-0.1 = -10 %).")
    @click.option("--baseline", help="Baseline months, e.g. 2018-01..2020-12.")
    @click.option("--population", default="", help="Who is counted (free text).")
    @click.option("--source", "data_source", default="", help="Where the data come from.")
    @click.option("--chart", default="", help="Chart type (run, i, c, u, p, ...).")
    @_pass_app
    def indicator_add(
        app: AppContext,
        code: str,
        team_name: str,
        target_value: float | None,
        target_date: str,
        relative_target: bool,
        baseline: str | None,
        **fields: Any,
    ) -> None:
        """Add an indicator to a team."""
        from pdsa_core.domain import Target

        if target_value is not None:
            fields["target"] = Target(value=target_value, date=target_date, relative=relative_target)
        if baseline:
            fields["baseline_start"], fields["baseline_end"] = parse_period_range(baseline, field="baseline")
        new = app.workspace().add_indicator(team_name, code, **fields)
        echo(t("added_indicator", code=new.code, team=app.workspace().team(team_name).name))

    @indicator.command("update")
    @click.argument("code")
    @click.option("--team", "team_name", required=True, help="The team (name or id).")
    @click.option("--name", "name_da", help="Danish name.")
    @click.option("--name-en", help="English name.")
    @click.option("--kind", help="result, process, follow or balancing.")
    @click.option("--direction", help="Direction of improvement: down, up, target, none.")
    @click.option("--target", "target_value", type=NUMBER, help="Target value (a finite number).")
    @click.option("--no-target", is_flag=True, help="Remove the target.")
    @click.option("--target-date", help="Date the target should be met (YYYY-MM-DD).")
    @click.option(
        "--relative-target/--absolute-target",
        default=None,
        help="The target is a relative change (-0.1 = -10 %) or an absolute value.",
    )
    @click.option("--baseline", help="Baseline months, e.g. 2018-01..2020-12.")
    @click.option("--no-baseline", is_flag=True, help="Remove the baseline.")
    @click.option("--population", help="Who is counted (free text).")
    @click.option("--source", "data_source", help="Where the data come from.")
    @click.option("--chart", help="Chart type (run, i, c, u, p, ...).")
    @click.option("--description", help="Description.")
    @_pass_app
    def indicator_update(
        app: AppContext,
        code: str,
        team_name: str,
        target_value: float | None,
        no_target: bool,
        target_date: str | None,
        relative_target: bool | None,
        baseline: str | None,
        no_baseline: bool,
        **fields: Any,
    ) -> None:
        """Change an indicator: names, kind, direction, target, baseline, population, source, chart.
        Only the options given change; its id, team and unit stay."""
        ws = app.workspace()
        current = ws.indicator(team_name, code)
        changes = {key: value for key, value in fields.items() if value is not None}
        if no_target:
            changes["target"] = None
        elif target_value is not None or target_date is not None or relative_target is not None:
            changes["target"] = _changed_target(current, target_value, target_date, relative_target)
        if no_baseline:
            changes["baseline_start"] = changes["baseline_end"] = ""
        elif baseline:
            first, last = parse_period_range(baseline, field="baseline")
            changes["baseline_start"], changes["baseline_end"] = first, last
        updated = ws.update_indicator(team_name, current.code, **changes)
        echo(t("updated_indicator", code=updated.code, team=ws.team(team_name).name))

    @indicator.command("remove")
    @click.argument("code")
    @click.option("--team", "team_name", required=True, help="The team (name or id).")
    @click.option("--with-values", is_flag=True, help="Remove the indicator's values too.")
    @_pass_app
    def indicator_remove(app: AppContext, code: str, team_name: str, with_values: bool) -> None:
        """Remove an indicator. If it has values, --with-values is needed and they go too."""
        ws = app.workspace()
        n = len(ws.measurements(team_name, code))
        removed = ws.remove_indicator(team_name, code, with_values=with_values)
        echo(t("removed_indicator", code=removed.code, team=ws.team(team_name).name, n=n))

    @indicator.command("list")
    @click.option("--team", "team_name", required=True, help="The team (name or id).")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @_pass_app
    def indicator_list(app: AppContext, team_name: str, as_json: bool) -> None:
        """List a team's indicators."""
        items = app.workspace().indicators(team_name)
        _report_problems(items)
        if as_json:
            print_json([i.to_dict() for i in items])
            return
        lang = get_language()
        print_table(
            t("indicators"),
            ["id", t("name"), t("kind"), t("unit"), t("direction"), t("baseline")],
            [
                (
                    i.code,
                    i.name(lang),
                    t("kind." + i.kind.value),
                    t("unit." + i.unit.value),
                    i.direction.value,
                    f"{i.baseline_start}..{i.baseline_end}" if i.baseline_start else "–",
                )
                for i in items
            ],
        )

    # -- data ---------------------------------------------------------------------------------------------
    @cli.group()
    def data() -> None:
        """Monthly values of an indicator."""

    @data.command("add")
    @click.option("--team", "team_name", required=True, help="The team (name or id).")
    @click.option("--indicator", "code", required=True, help="The indicator's id (R1, V1, …).")
    @click.option("--period", required=True, help="Month, YYYY-MM.")
    @click.option("--value", type=NUMBER, help="The value (counts and rates).")
    @click.option("--numerator", type=NUMBER, help="Numerator (proportions).")
    @click.option("--denominator", type=NUMBER, help="Denominator (proportions).")
    @click.option("--note", default="", help="A note on the value.")
    @click.option(
        "--replace", is_flag=True, help="Replace the month's value if it has one (it is kept as a revision)."
    )
    @_pass_app
    def data_add(
        app: AppContext,
        team_name: str,
        code: str,
        period: str,
        value: float | None,
        numerator: float | None,
        denominator: float | None,
        note: str,
        replace: bool,
    ) -> None:
        """Add one month's value; a month that has one is refused unless --replace (the earlier
        value is kept as a revision, and named)."""
        from pdsa_core.services.indicators import NOT_CHECKED

        try:
            measurement, status = app.workspace().add_measurement(
                team_name,
                code,
                period,
                value=value,
                numerator=numerator,
                denominator=denominator,
                note=note,
                expected=NOT_CHECKED if replace else None,
            )
        except ConflictError as exc:
            hint = t("measurement_has_value_hint")
            raise ConflictError(
                f"{exc.message}; {t('measurement_has_value_hint', 'en')}",
                where=exc.where,
                da=f"{exc.message_da}; {t('measurement_has_value_hint', 'da')}" if exc.message_da else hint,
            ) from None
        shown = fmt_number(measurement.value)
        if measurement.denominator is not None:
            shown = f"{fmt_number(measurement.numerator)}/{fmt_number(measurement.denominator)} = {shown}"
        if status == "changed" and measurement.revisions:
            old = measurement.revisions[-1]
            echo(
                t(
                    "measurement_replaced",
                    code=measurement.indicator,
                    period=measurement.period,
                    value=shown,
                    old=fmt_number(old.value),
                    by=old.entered_by or "?",
                    at=old.entered_at or "?",
                )
            )
            return
        echo(t(f"measurement_{status}", code=measurement.indicator, period=measurement.period, value=shown))

    @data.command("list")
    @click.option("--team", "team_name", required=True, help="The team (name or id).")
    @click.option("--indicator", "code", required=True, help="The indicator's id (R1, V1, …).")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @_pass_app
    def data_list(app: AppContext, team_name: str, code: str, as_json: bool) -> None:
        """List an indicator's values by month."""
        ws = app.workspace()
        items = ws.measurements(team_name, code)
        if as_json:
            print_json([m.to_dict() for m in items])
            return
        print_table(
            f"{ws.indicator(team_name, code).code}: {ws.indicator(team_name, code).name(get_language())}",
            [t("period"), t("value"), t("numerator"), t("denominator"), t("source"), t("note")],
            [
                (
                    m.period,
                    fmt_number(m.value),
                    fmt_number(m.numerator) if m.numerator is not None else "",
                    fmt_number(m.denominator) if m.denominator is not None else "",
                    m.source_file or m.source,
                    m.note + (f" (rev. {len(m.revisions)})" if m.revisions else ""),
                )
                for m in items
            ],
        )
        missing = ws.missing_months(team_name, code)
        if missing:
            echo(f"{t('missing_months')}: {', '.join(missing)}")

    @data.command("remove")
    @click.option("--team", "team_name", required=True, help="The team (name or id).")
    @click.option("--indicator", "code", required=True, help="The indicator's id (R1, V1, …).")
    @click.option("--period", required=True, help="Month, YYYY-MM.")
    @_pass_app
    def data_remove(app: AppContext, team_name: str, code: str, period: str) -> None:
        """Remove one month's value."""
        removed = app.workspace().remove_measurement(team_name, code, period)
        echo(f"- {removed.indicator} {removed.period} ({fmt_number(removed.value)})")

    # -- annotations ---------------------------------------------------------------------------------
    @cli.group()
    def annotation() -> None:
        """Dated notes shown on charts (law changes, IT system changes, ...)."""

    @annotation.command("add")
    @click.option("--team", "team_name", required=True, help="The team (name or id).")
    @click.option("--date", required=True, help="YYYY-MM-DD")
    @click.option("--text", required=True, help="The annotation's text.")
    @click.option(
        "--kind",
        default="other",
        help="pdsa start, pdsa end, law change, it system change, data definition change, other.",
    )
    @click.option("--indicator", "indicators", multiple=True, help="Only for this indicator (repeat).")
    @click.option("--phase-split", is_flag=True, help="Start a new chart phase here.")
    @_pass_app
    def annotation_add(
        app: AppContext,
        team_name: str,
        date: str,
        text: str,
        kind: str,
        indicators: tuple[str, ...],
        phase_split: bool,
    ) -> None:
        """Add an annotation."""
        note = app.workspace().add_annotation(
            team_name, date, text, kind=kind, indicators=indicators, phase_split=phase_split
        )
        echo(f"{note.id}: {note.date} {note.text}")

    @annotation.command("list")
    @click.option("--team", "team_name", required=True, help="The team (name or id).")
    @click.option("--indicator", "code", help="Only annotations of this indicator.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @_pass_app
    def annotation_list(app: AppContext, team_name: str, code: str | None, as_json: bool) -> None:
        """List annotations."""
        notes = app.workspace().annotations(team_name, code)
        if as_json:
            print_json([n.to_dict() for n in notes])
            return
        print_table(
            t("annotations"),
            ["id", t("date"), t("kind"), t("text"), t("indicators")],
            [(n.id, n.date, n.kind.value, n.text, ", ".join(n.indicators) or "*") for n in notes],
        )

    _register_driver(cli)
    _register_cycles(cli)


def _register_driver(cli: click.Group) -> None:
    @cli.group()
    def driver() -> None:
        """The driver diagram: aim, primary and secondary drivers, change ideas."""

    @driver.command("show")
    @click.option("--team", "team_name", required=True, help="The team (name or id).")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @_pass_app
    def driver_show(app: AppContext, team_name: str, as_json: bool) -> None:
        """Show the diagram as a tree."""
        from rich.text import Text
        from rich.tree import Tree

        from pdsa_cli.output import console
        from pdsa_core.literal import rich_text

        ws = app.workspace()
        diagram = ws.diagram(team_name)
        if as_json:
            print_json(diagram.to_dict())
            return
        cycles_by_idea: dict[str, list[str]] = {}
        for cycle in ws.cycles(team_name):
            cycles_by_idea.setdefault(cycle.change_idea, []).append(cycle.title)
        root = Tree(Text.assemble((f"{t('aim')}:", "bold"), " ", rich_text(diagram.aim or "–")))

        def add(branch: Tree, parent: str | None, depth: int) -> None:
            for node in diagram.children(parent):
                cycles = cycles_by_idea.get(node.id, [])
                extra = f"  ({len(cycles)} PDSA)" if cycles else ""
                label = Text.assemble(rich_text(node.text), " ", rich_text(node.id, "dim"), (extra, "dim"))
                sub = branch.add(label)
                if depth < 3:
                    add(sub, node.id, depth + 1)

        add(root, None, 1)
        console.print(root)

    @driver.command("aim")
    @click.option("--team", "team_name", required=True, help="The team (name or id).")
    @click.argument("text")
    @_pass_app
    def driver_aim(app: AppContext, team_name: str, text: str) -> None:
        """Set the aim."""
        app.workspace().set_aim(team_name, text)
        echo(f"{t('aim')}: {text}")

    @driver.command("add")
    @click.option("--team", "team_name", required=True, help="The team (name or id).")
    @click.option(
        "--kind",
        type=click.Choice(["primary", "secondary", "change-idea"]),
        required=True,
        help="What the node is: a primary or secondary driver, or a change idea.",
    )
    @click.option("--parent", "parents", multiple=True, help="Parent node id or text (repeat for several).")
    @click.argument("text")
    @_pass_app
    def driver_add(app: AppContext, team_name: str, kind: str, parents: tuple[str, ...], text: str) -> None:
        """Add a driver or change idea."""
        node = app.workspace().add_node(team_name, kind.replace("-", " "), text, parents=parents)
        echo(f"{node.id}: {node.text}")

    @driver.command("rename")
    @click.option("--team", "team_name", required=True, help="The team (name or id).")
    @click.argument("node")
    @click.argument("text")
    @_pass_app
    def driver_rename(app: AppContext, team_name: str, node: str, text: str) -> None:
        """Rename a node."""
        renamed = app.workspace().rename_node(team_name, node, text)
        echo(f"{renamed.id}: {renamed.text}")

    @driver.command("move")
    @click.option("--team", "team_name", required=True, help="The team (name or id).")
    @click.option(
        "--parent",
        "parents",
        multiple=True,
        required=True,
        help="New parent node id or text (repeat for several).",
    )
    @click.argument("node")
    @_pass_app
    def driver_move(app: AppContext, team_name: str, parents: tuple[str, ...], node: str) -> None:
        """Hang a node under other parent(s)."""
        moved = app.workspace().move_node(team_name, node, parents)
        echo(f"{moved.id}: {moved.text} <- {', '.join(moved.parents)}")

    @driver.command("delete")
    @click.option("--team", "team_name", required=True, help="The team (name or id).")
    @click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
    @click.argument("node")
    @_pass_app
    def driver_delete(app: AppContext, team_name: str, yes: bool, node: str) -> None:
        """Delete a node (and what hangs only under it); 'pdsa driver undo' brings it back."""
        ws = app.workspace()
        target = ws.diagram(team_name).node(node)
        if not yes:
            from pdsa_cli.asking import confirm

            kind = t(f"node.{target.kind.value}").lower()
            if ws.diagram(team_name).children(target.id):
                echo(t("driver.delete_below"))
            confirm(t("driver.delete_q", kind=kind, text=target.text), abort=True)
        ws.delete_node(team_name, target.id)
        echo(ws.diagram_history(team_name)[0].describe(get_language()))

    @driver.command("undo")
    @click.option("--team", "team_name", required=True, help="The team (name or id).")
    @_pass_app
    def driver_undo(app: AppContext, team_name: str) -> None:
        """Undo the latest change of the diagram."""
        change = app.workspace().undo_diagram(team_name)
        echo(t("driver.undid", summary=change.describe(get_language())))

    @driver.command("history")
    @click.option("--team", "team_name", required=True, help="The team (name or id).")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @_pass_app
    def driver_history(app: AppContext, team_name: str, as_json: bool) -> None:
        """Who changed what in the diagram, newest first."""
        changes = app.workspace().diagram_history(team_name)
        if as_json:
            print_json(
                [{k: v for k, v in c.to_dict().items() if k not in ("before", "after")} for c in changes]
            )
            return
        lang = get_language()
        print_table(
            None,
            ["#", t("date"), t("driver.who"), t("text")],
            [
                (c.seq, c.at, c.who, c.describe(lang) + (t("driver.undone") if c.undone else ""))
                for c in changes
            ],
        )


def _cycle_fields(options: dict[str, Any]) -> dict[str, Any]:
    fields = {k: v for k, v in options.items() if v is not None}
    if "indicators" in fields:
        fields["indicators"] = tuple(fields["indicators"]) or None
        if fields["indicators"] is None:
            del fields["indicators"]
    return fields


_CYCLE_OPTIONS = [
    click.option("--change-idea", help="Change idea (id or text) this cycle tests."),
    click.option("--objective", help="Plan: the cycle's objective."),
    click.option("--questions", help="Plan: the questions the cycle is to answer."),
    click.option("--predictions", help="Plan: what you predict will happen."),
    click.option("--who", "plan_who", help="Plan: who carries it out."),
    click.option("--what", "plan_what", help="Plan: what is done."),
    click.option("--when", "plan_when", help="Plan: when."),
    click.option("--where", "plan_where", help="Plan: where."),
    click.option("--data", "data_to_collect", help="Data to collect."),
    click.option("--observations", "do_observations", help="Do: what happened."),
    click.option("--study", "study_results", help="Study: results against predictions."),
    click.option("--next-step", help="Act: the next step."),
    click.option("--owner", help="Who is responsible for the cycle."),
    click.option("--start-date", help="Start date (YYYY-MM-DD)."),
    click.option("--end-date", help="End date (YYYY-MM-DD)."),
    click.option("--indicator", "indicators", multiple=True, help="Linked indicator (repeat)."),
]


def _with_cycle_options(f: Any) -> Any:
    for option in reversed(_CYCLE_OPTIONS):
        f = option(f)
    return f


def _register_cycles(cli: click.Group) -> None:
    @cli.group()
    def cycle() -> None:
        """PDSA cycles (PDSA-cirkler)."""

    @cycle.command("add")
    @click.option("--team", "team_name", required=True, help="The team (name or id).")
    @click.argument("title")
    @_with_cycle_options
    @_pass_app
    def cycle_add(
        app: AppContext, team_name: str, title: str, change_idea: str | None, **options: Any
    ) -> None:
        """Plan a new PDSA cycle."""
        new = app.workspace().add_cycle(
            team_name, title, change_idea=change_idea or "", **_cycle_fields(options)
        )
        echo(f"{new.id}: {new.title} ({t('status.' + new.status.value)})")

    @cycle.command("list")
    @click.option("--team", "team_name", required=True, help="The team (name or id).")
    @click.option("--status", help="Only cycles with this status.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @_pass_app
    def cycle_list(app: AppContext, team_name: str, status: str | None, as_json: bool) -> None:
        """List a team's cycles."""
        items = app.workspace().cycles(team_name, status=status)
        if as_json:
            print_json([c.to_dict() for c in items])
            return
        print_table(
            t("pdsa_cycles"),
            ["id", t("cycle"), t("status"), t("owner"), t("start"), t("end")],
            [
                (c.id, c.title, t("status." + c.status.value), c.owner, c.start_date, c.end_date)
                for c in items
            ],
        )

    @cycle.command("show")
    @click.argument("ref")
    @click.option("--team", "team_name", help="Needed when the cycle is named by title.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @_pass_app
    def cycle_show(app: AppContext, ref: str, team_name: str | None, as_json: bool) -> None:
        """Show a cycle's worksheet."""
        item = app.workspace().cycle(ref, team_name)
        if as_json:
            print_json(item.to_dict())
            return
        for key, value in item.to_dict().items():
            if value not in ("", [], None, (), {}) and key != "edits":
                echo(f"{key:16} {value}")

    @cycle.command("update")
    @click.argument("ref")
    @click.option("--team", "team_name", help="Needed when the cycle is named by title.")
    @click.option("--title", help="New title.")
    @click.option("--status", help="planned, doing, studying, acting, done, abandoned.")
    @_with_cycle_options
    @_pass_app
    def cycle_update(
        app: AppContext, ref: str, team_name: str | None, status: str | None, **options: Any
    ) -> None:
        """Fill in worksheet fields and/or move the cycle to another status."""
        ws = app.workspace()
        item = ws.cycle(ref, team_name)
        fields = _cycle_fields(options)
        if fields:  # only the fields given; one someone changed since it was read here is a conflict
            seen = {name: getattr(item, name) for name in fields}
            item = ws.update_cycle(item.id, seen=seen, **fields)
        if status:
            item = ws.set_cycle_status(item.id, status)
        echo(f"{item.id}: {item.title} ({t('status.' + item.status.value)})")

    @cycle.command("act")
    @click.argument("ref")
    @click.argument("decision", type=click.Choice(["adopt", "adapt", "abandon"]))
    @click.option("--team", "team_name", help="Needed when the cycle is named by title.")
    @click.option("--next-step", default="", help="Act: what happens next.")
    @click.option("--next-title", default="", help="Title of the next cycle when adapting.")
    @_pass_app
    def cycle_act(
        app: AppContext, ref: str, decision: str, team_name: str | None, next_step: str, next_title: str
    ) -> None:
        """Record the Act decision; adapt starts the next cycle of the ramp."""
        ws = app.workspace()
        item = ws.cycle(ref, team_name)
        done, follow_up = ws.act(item.id, decision, next_step=next_step, next_title=next_title)
        echo(f"{done.id}: {done.title} ({t('status.' + done.status.value)})")
        if follow_up:
            echo(f"{follow_up.id}: {follow_up.title} ({t('status.' + follow_up.status.value)})")
