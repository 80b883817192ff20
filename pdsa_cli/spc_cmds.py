"""``pdsa spc``: analyse and draw a run or control chart from a CSV file or from stored data.

The CSV file has a ``y`` column and optionally ``x`` (repeated x values form
subgroups), ``n`` (denominators), ``part`` (phase labels) and ``cl`` (a given centre
line). Comma, semicolon or tab separated; decimal commas are fine.

``--team T --indicator R1 [--from --to]`` analyses a stored indicator instead, the way
the TUI and the reports do (its chart type, rule set, baseline and phases, through
:mod:`pdsa_core.analysis`); the JSON is the same as for a CSV of the same values.

The main CLI adds the group with ``register(cli)`` (or ``cli.add_command(spc)``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from pdsa_cli.output import cell, echo, exit_with, print_json
from pdsa_cli.params import NUMBER
from pdsa_core.errors import PdsaError, ValidationError

__all__ = ["spc", "register"]


def _default_lang() -> str:
    try:
        from pdsa_core.i18n import get_language

        lang = get_language()
        return lang if lang in ("da", "en") else "da"
    except Exception:  # noqa: BLE001 - the CLI works without the i18n module
        return "da"


def _chart_options(func: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.argument("file", required=False,
                       type=click.Path(exists=True, dir_okay=False, path_type=Path)),
        click.option("--team", "team_ref", metavar="TEAM",
                     help="Analyse a stored indicator of this team (with --indicator) instead of a CSV."),
        click.option("--indicator", "indicator_code", metavar="CODE",
                     help="The stored indicator (R1, V1, …): its chart type, rules, baseline and phases."),
        click.option("--from", "period_from", metavar="YYYY-MM",
                     help="Stored data: first month (default: the first with data)."),
        click.option("--to", "period_to", metavar="YYYY-MM",
                     help="Stored data: last month (default: the last with data)."),
        click.option("--chart", "-c", default=None,
                     help="Chart type: run, i, mr, xbar, s, t, p, pp, c, u, up, g, ip "
                          "(default: run for a CSV, the indicator's own for stored data)."),
        click.option("--freeze", type=NUMBER, metavar="K",
                     help="CSV: baseline = points 1..K (ignored when phases are given)."),
        click.option("--part", type=NUMBER, multiple=True, metavar="K",
                     help="CSV: a new phase starts after point K (repeatable)."),
        click.option("--exclude", type=NUMBER, multiple=True, metavar="K",
                     help="CSV: leave point K out of the calculations (repeatable)."),
        click.option("--cl", type=NUMBER, metavar="VALUE", help="CSV: use this centre line."),
        click.option("--multiply", type=NUMBER, default=None,
                     help="CSV: multiply y, centre line and limits (100 for percent; default 1)."),
        click.option("--no-mr-screening", is_flag=True,
                     help="Do not screen large moving ranges (qicharts2 not attached)."),
        click.option("--rules", type=click.Choice(["anhoej", "ihi", "weco"]), default=None,
                     help="Rule set for the verdict (default: anhoej for a CSV, the indicator's own)."),
        click.option("--min-useful", type=int, default=10, show_default=True, metavar="N",
                     help="Fewer useful points than N give 'too few data points'."),
        click.option("--lang", type=click.Choice(["da", "en"]), default=None,
                     help="Language of the verdict (default: the CLI language, else da)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


#: options that describe a CSV's series; a stored indicator has its own baseline and phases
_CSV_ONLY = ("freeze", "part", "exclude", "cl", "multiply")


def _analyze(
    file: Path | None, team_ref: str | None, indicator_code: str | None, period_from: str | None,
    period_to: str | None, **options: Any,
) -> tuple[Any, Any]:
    """The chart of a CSV file or of a stored indicator: (ChartResult, IndicatorAnalysis or None)."""
    stored = team_ref is not None or indicator_code is not None
    if file is not None and stored:
        raise ValidationError(
            "give a CSV file or --team and --indicator, not both",
            da="angiv en CSV-fil eller --team og --indicator, ikke begge",
        )
    if not stored:
        if file is None:
            raise ValidationError(
                "give a CSV file, or --team and --indicator for stored data",
                da="angiv en CSV-fil, eller --team og --indicator for gemte data",
            )
        if period_from or period_to:
            raise ValidationError(
                "--from and --to choose months of stored data (with --team and --indicator)",
                da="--from og --to vælger måneder af gemte data (med --team og --indicator)",
            )
        return _analyze_file(file, **options), None
    if not (team_ref and indicator_code):
        raise ValidationError(
            "stored data needs both --team and --indicator", da="gemte data kræver både --team og --indicator"
        )
    given = [name for name in _CSV_ONLY if options.get(name) not in (None, ())]
    if given or options.get("no_mr_screening"):
        name = (given or ["no_mr_screening"])[0].replace("_", "-")
        raise ValidationError(
            f"--{name} is for a CSV file; a stored indicator uses its own baseline, phases and settings",
            da=f"--{name} gælder en CSV-fil; en gemt indikator bruger sin egen baseline, faser "
            "og indstillinger",
        )
    analysis = _analyze_stored(team_ref, indicator_code, period_from, period_to, **options)
    return analysis.series.result, analysis


def _analyze_stored(
    team_ref: str, code: str, period_from: str | None, period_to: str | None, *,
    chart: str | None, rules: str | None, min_useful: int, **_unused: Any,
) -> Any:
    """A stored indicator analysed as everywhere in pdsa (pdsa_core.analysis), on months from..to."""
    from pdsa_core.analysis import analyze_measurements
    from pdsa_core.domain.common import parse_period
    from pdsa_core.spc import normalize_chart

    start = parse_period(period_from, field="first month (--from)") if period_from else ""
    end = parse_period(period_to, field="last month (--to)") if period_to else ""
    if start and end and end < start:
        raise ValidationError(
            f"the period ends ({end}) before it starts ({start})",
            da=f"perioden slutter ({end}), før den begynder ({start})",
        )
    ws = _workspace()
    indicator = ws.indicator(team_ref, code)
    values = [
        m for m in ws.measurements(indicator.team_id, indicator.code)
        if (not start or m.period >= start) and (not end or m.period <= end)
    ]
    notes = [
        a for a in ws.annotations(indicator.team_id, indicator.code)
        if (not start or a.date[:7] >= start) and (not end or a.date[:7] <= end)
    ]
    # a baseline that lies wholly before --from has no values here: the centre line is then
    # taken from the months shown (the table output says so)
    baseline_before = bool(start and indicator.baseline_end and indicator.baseline_end < start)
    analysis = analyze_measurements(
        indicator, values, notes, chart=normalize_chart(chart) if chart else None, rules=rules,
        min_useful=min_useful, use_baseline=not baseline_before, rule_sets=ws.rule_sets,
    )
    if analysis is None:
        months = f"{start or '…'}–{end or '…'}"
        raise ValidationError(
            f"{indicator.code} has no values{' in ' + months if start or end else ''}",
            da=f"{indicator.code} har ingen værdier{' i ' + months if start or end else ''}",
        )
    return analysis


def _workspace() -> Any:
    """The workspace of the pdsa command line (``-w``, PDSA_WORKSPACE or the default)."""
    from pdsa_cli.context import AppContext

    ctx = click.get_current_context()
    app = ctx.find_object(AppContext)
    if app is None:  # the group used on its own
        app = ctx.ensure_object(lambda: AppContext(None))  # type: ignore[arg-type]
    return app.workspace()


def _position(value: float | None) -> Any:
    """A point position typed as a number: 3.0 is point 3; 2.5 goes on to the engine, which refuses it
    with its message (the same in the API and here)."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _analyze_file(
    file: Path, chart: str | None, freeze: float | None, part: tuple[float, ...],
    exclude: tuple[float, ...], cl: float | None, multiply: float | None, no_mr_screening: bool,
    rules: str | None, min_useful: int,
) -> Any:
    from pdsa_core.output_files import refuse_special_input
    from pdsa_core.spc import analyze, normalize_chart
    from pdsa_core.spc.engine import validate_values
    from pdsa_core.spc.table import parse_chart_csv

    chart = normalize_chart(chart or "run")
    refuse_special_input(file)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        text = file.read_text(encoding="cp1252")
    except OSError as exc:
        raise ValidationError(f"cannot read {file}: {exc.strerror}") from None
    data = parse_chart_csv(text)
    nan = float("nan")
    validate_values(
        chart,
        [nan if v is None else v for v in data.y],
        None if data.n is None else [nan if v is None else v for v in data.n],
        rows=data.rows,
    )
    if part and data.part is not None:
        raise ValidationError("give phases either with --part or with a 'part' column, not both")
    if cl is not None and data.cl is not None:
        raise ValidationError("give the centre line either with --cl or with a 'cl' column")
    return analyze(
        data.y,
        x=data.x,
        n=data.n,
        chart=chart,
        freeze=_position(freeze),
        part=[_position(k) for k in part] if part else data.part,
        exclude=[_position(k) for k in exclude] or None,
        cl=cl if cl is not None else data.cl,
        multiply=1.0 if multiply is None else multiply,
        screened_mr=not no_mr_screening,
        rules=rules or "anhoej",
        min_useful=min_useful,
    )


def _json_payload(result: Any, lang: str) -> dict[str, Any]:
    from pdsa_core.spc import verdicts

    payload = result.to_dict()
    payload["rules"] = result.rules
    payload["verdicts"] = [
        {
            "part": v.part, "status": v.status, "signal": v.signal, "text": v.text,
            "rules_fired": list(v.rules_fired),
            "last_point_in_signal": v.last_point_in_signal,
            "outside_limits": [i + 1 for i in v.outside_limits],
        }
        for v in verdicts(result, lang)
    ]
    payload["verdict"] = payload["verdicts"][-1]
    return payload


def _num(v: float | None, lang: str) -> str:
    from pdsa_core.formatting import fmt_number

    return fmt_number(v, lang)


def _print_table(result: Any, lang: str) -> None:
    from rich.console import Console
    from rich.table import Table

    from pdsa_core.spc import verdicts
    from pdsa_core.spc.labels import point_label

    da = lang == "da"
    console = Console(file=sys.stdout, highlight=False, soft_wrap=False)
    points = Table(title=("Punkter" if da else "Points"), title_justify="left")
    heads = ["#", "x", "y", "n", "CL", "LCL", "UCL", "sigma", "runs", "fase" if da else "phase"]
    for h in heads:
        points.add_column(h, justify="right" if h not in ("x",) else "left")
    for i in range(len(result)):
        marks = []
        if not result.include[i]:
            marks.append("ekskl." if da else "excl.")
        if result.freeze is not None and result.baseline[i]:
            marks.append("basis" if da else "base")
        points.add_row(
            str(i + 1), cell(point_label(result, i, lang) if result.x_kind != "index" else str(i + 1)),
            _num(result.y[i], lang), _num(result.n[i], lang), _num(result.cl[i], lang),
            _num(result.lcl[i], lang), _num(result.ucl[i], lang),
            "●" if result.sigma_signal[i] else "", "●" if result.runs_signal[i] else "",
            f"{result.part[i]}{' ' + ' '.join(marks) if marks else ''}",
        )
    console.print(points)
    phases = Table(title=("Faser" if da else "Phases"), title_justify="left")
    cols = (["fase", "punkter", "brugbare", "længste serie", "krydsninger", "uden for grænser"]
            if da else ["phase", "points", "useful", "longest run", "crossings", "outside limits"])
    for c in cols:
        phases.add_column(c, justify="right")
    for ph in result.phases:
        lr = "–" if ph.longest_run is None else f"{ph.longest_run} / {ph.longest_run_max}"
        cr = "–" if ph.n_crossings is None else f"{ph.n_crossings} / {ph.n_crossings_min}"
        phases.add_row(
            cell(f"{ph.part}{' ' + ph.label if ph.label else ''}"), str(ph.n_obs), str(ph.n_useful),
            lr, cr, str(ph.sigma_signal_count),
        )
    console.print(phases)
    for v in verdicts(result, lang):
        prefix = f"{'Fase' if da else 'Phase'} {v.part}: " if len(result.phases) > 1 else ""
        console.print(cell(f"{prefix}{v.text}"))


def _print_notes(analysis: Any, lang: str) -> None:
    """How a stored series was read: months left out, a baseline not used, phases."""
    indicator = analysis.indicator
    notes = [note.text(lang) for note in analysis.series.notes]
    periods = analysis.series.periods
    if indicator.baseline_end and periods and periods[0] > indicator.baseline_end:
        start, end = indicator.baseline_start, indicator.baseline_end
        notes.append(
            f"baselinen ({start}–{end}) ligger før de valgte måneder; centerlinjen er beregnet af dem"
            if lang == "da"
            else f"the baseline ({start}–{end}) lies before the months chosen; the centre line is theirs"
        )
    for note in notes:
        echo(f"{'Bemærk' if lang == 'da' else 'Note'}: {note}")


@click.group("spc")
def spc() -> None:
    """Run and control charts computed as qicharts2, read with the Anhøj rules."""


@spc.command("analyze")
@_chart_options
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Output format.")
def analyze_cmd(fmt: str, lang: str | None, **kwargs: Any) -> None:
    """Analyse the chart in FILE.csv, or a stored indicator (--team T --indicator R1), and print
    points, phases and the verdict."""
    lang = lang or _default_lang()
    try:
        result, analysis = _analyze(**kwargs)
        if fmt == "json":
            print_json(_json_payload(result, lang), indent=None, allow_nan=False)
        else:
            _print_table(result, lang)
            if analysis is not None:
                _print_notes(analysis, lang)
    except PdsaError as err:
        exit_with(err)


@spc.command("plot")
@_chart_options
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Chart file to write: .svg or .png.")
@click.option("--title", default=None,
              help="Chart title (default: the file name, or the indicator's code and name).")
@click.option("--annotate", multiple=True, metavar="WHERE=LABEL",
              help="Mark a point: index (1-based), month (2022-03) or x value, '=' label.")
def plot_cmd(
    output: Path, title: str | None, annotate: tuple[str, ...], lang: str | None, **kwargs: Any,
) -> None:
    """Draw the chart in FILE.csv, or a stored indicator (--team T --indicator R1), to an SVG or
    PNG file. A stored indicator's chart has its notes, direction, target and unit."""
    from pdsa_core.reports.charts import annotation_label
    from pdsa_core.spc.render import render_chart

    lang = lang or _default_lang()
    try:
        result, analysis = _analyze(**kwargs)
        notes: list[tuple[Any, str]] = []
        style: dict[str, Any] = {}
        if analysis is not None:
            indicator = analysis.indicator
            periods = set(analysis.series.periods)
            notes = [(a.date[:7], annotation_label(a, lang)) for a in analysis.annotations
                     if a.date[:7] in periods]
            style = {
                "direction": indicator.direction.value,
                "target": analysis.target_value(),
                "unit": indicator.unit.value,
            }
            title = title or f"{indicator.code} {indicator.name(lang)}"
        for item in annotate:
            where, sep, label = item.partition("=")
            if not sep or not label:
                raise ValidationError(f"--annotate wants WHERE=LABEL, not '{item}'")
            where = where.strip()
            key: Any = where
            if where.isdigit() and result.x_kind != "numeric":
                key = int(where) - 1  # 1-based on the command line
            elif result.x_kind == "numeric":
                try:
                    key = float(where.replace(",", "."))
                except ValueError:
                    pass
            notes.append((key, label.strip()))
        file = kwargs.get("file")
        written = render_chart(result, output, title=title or (file.stem if file else ""),
                               annotations=notes, lang=lang, **style)
    except PdsaError as err:
        exit_with(err)
    echo(str(written))


def register(cli: click.Group) -> None:
    """Add ``spc`` to the main CLI."""
    cli.add_command(spc)
