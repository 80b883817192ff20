"""``pdsa spc``: analyse and draw a run or control chart from a CSV file.

The CSV file has a ``y`` column and optionally ``x`` (repeated x values form
subgroups), ``n`` (denominators), ``part`` (phase labels) and ``cl`` (a given centre
line). Comma, semicolon or tab separated; decimal commas are fine.

The main CLI adds the group with ``register(cli)`` (or ``cli.add_command(spc)``).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from pdsa_core.errors import PdsaError, ValidationError

__all__ = ["spc", "register"]


class SpcCommandError(click.ClickException):
    """A user error shown as one line on stderr, with the error's own exit code."""

    def __init__(self, error: PdsaError) -> None:
        super().__init__(str(error))
        self.exit_code = error.exit_code


def _default_lang() -> str:
    try:
        from pdsa_core.i18n import get_language

        lang = get_language()
        return lang if lang in ("da", "en") else "da"
    except Exception:  # noqa: BLE001 - the CLI works without the i18n module
        return "da"


def _chart_options(func: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path)),
        click.option("--chart", "-c", default="run", show_default=True,
                     help="Chart type: run, i, mr, xbar, s, t, p, pp, c, u, up, g, ip."),
        click.option("--freeze", type=int, metavar="K",
                     help="Baseline = points 1..K (ignored when phases are given)."),
        click.option("--part", type=int, multiple=True, metavar="K",
                     help="A new phase starts after point K (repeatable)."),
        click.option("--exclude", type=int, multiple=True, metavar="K",
                     help="Leave point K out of the calculations (repeatable)."),
        click.option("--cl", type=float, metavar="VALUE", help="Use this centre line."),
        click.option("--multiply", type=float, default=1.0, show_default=True,
                     help="Multiply y, centre line and limits (100 for percent)."),
        click.option("--no-mr-screening", is_flag=True,
                     help="Do not screen large moving ranges (qicharts2 not attached)."),
        click.option("--rules", type=click.Choice(["anhoej", "ihi", "weco"]), default="anhoej",
                     show_default=True, help="Rule set for the verdict."),
        click.option("--min-useful", type=int, default=10, show_default=True, metavar="N",
                     help="Fewer useful points than N give 'too few data points'."),
        click.option("--lang", type=click.Choice(["da", "en"]), default=None,
                     help="Language of the verdict (default: the CLI language, else da)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _analyze_file(
    file: Path, chart: str, freeze: int | None, part: tuple[int, ...], exclude: tuple[int, ...],
    cl: float | None, multiply: float, no_mr_screening: bool, rules: str, min_useful: int,
) -> Any:
    from pdsa_core.spc import analyze, normalize_chart
    from pdsa_core.spc.engine import validate_values
    from pdsa_core.spc.table import parse_chart_csv

    chart = normalize_chart(chart)
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
        freeze=freeze,
        part=list(part) if part else data.part,
        exclude=list(exclude) or None,
        cl=cl if cl is not None else data.cl,
        multiply=multiply,
        screened_mr=not no_mr_screening,
        rules=rules,
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
            str(i + 1), point_label(result, i, lang) if result.x_kind != "index" else str(i + 1),
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
            f"{ph.part}{' ' + ph.label if ph.label else ''}", str(ph.n_obs), str(ph.n_useful),
            lr, cr, str(ph.sigma_signal_count),
        )
    console.print(phases)
    for v in verdicts(result, lang):
        prefix = f"{'Fase' if da else 'Phase'} {v.part}: " if len(result.phases) > 1 else ""
        console.print(f"{prefix}{v.text}")


@click.group("spc")
def spc() -> None:
    """Run and control charts computed as qicharts2, read with the Anhøj rules."""


@spc.command("analyze")
@_chart_options
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Output format.")
def analyze_cmd(file: Path, fmt: str, lang: str | None, **kwargs: Any) -> None:
    """Analyse the chart in FILE.csv and print points, phases and the verdict."""
    lang = lang or _default_lang()
    try:
        result = _analyze_file(file, **kwargs)
        if fmt == "json":
            click.echo(json.dumps(_json_payload(result, lang), ensure_ascii=False, allow_nan=False))
        else:
            _print_table(result, lang)
    except PdsaError as err:
        raise SpcCommandError(err) from None


@spc.command("plot")
@_chart_options
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Chart file to write: .svg or .png.")
@click.option("--title", default=None, help="Chart title (default: the file name).")
@click.option("--annotate", multiple=True, metavar="WHERE=LABEL",
              help="Mark a point: index (1-based), month (2022-03) or x value, '=' label.")
def plot_cmd(
    file: Path, output: Path, title: str | None, annotate: tuple[str, ...], lang: str | None,
    **kwargs: Any,
) -> None:
    """Draw the chart in FILE.csv to an SVG or PNG file."""
    from pdsa_core.spc.render import render_chart

    lang = lang or _default_lang()
    try:
        result = _analyze_file(file, **kwargs)
        notes: list[tuple[Any, str]] = []
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
        written = render_chart(result, output, title=title or file.stem, annotations=notes,
                               lang=lang)
    except PdsaError as err:
        raise SpcCommandError(err) from None
    click.echo(str(written))


def register(cli: click.Group) -> None:
    """Add ``spc`` to the main CLI."""
    cli.add_command(spc)
