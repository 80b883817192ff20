"""``pdsa spc analyze|plot --team T --indicator R1``: stored data analysed as everywhere in pdsa.

The JSON equals ``pdsa spc analyze`` on the same values written as a CSV (with the baseline as
``--freeze`` and the phases as a ``part`` column); CSV-only options are refused for stored data;
fractional positions are refused in the API as on the command line.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pdsa_cli import build_cli
from pdsa_core.errors import ValidationError
from pdsa_core.services.indicators import MeasurementInput
from pdsa_core.spc import analyze
from pdsa_core.workspace import Workspace


def months(first: str, last: str) -> list[str]:
    out, (year, month) = [], (int(first[:4]), int(first[5:]))
    while f"{year}-{month:02d}" <= last:
        out.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    path = tmp_path / "ws.json"
    ws = Workspace.create(path, actor="tester")
    team = ws.add_team("Psykiatrien Syd", region="Sjælland")
    ws.add_indicator(
        team.id,
        "R1",
        "Personer tvangsindlagt",
        baseline_start="2020-01",
        baseline_end="2020-12",
        direction="down",
    )
    ws.add_indicator(team.id, "V1", "Andel med UA/KP", unit="proportion", direction="up", chart="p")
    counts = [3, 5, 4, 6, 2, 5, 4, 3, 6, 5, 4, 5, 2, 1, 2, 3, 1, 2, 1, 0, 2, 1, 2, 1, 3, 2, 1, 2]
    items = [
        MeasurementInput("R1", period, value=value)
        for period, value in zip(months("2020-01", "2022-04"), counts, strict=True)
        if period not in ("2021-03", "2021-11")  # two months never delivered
    ]
    shares = [
        (2, 10),
        (3, 12),
        (1, 9),
        (4, 11),
        (3, 10),
        (5, 12),
        (6, 10),
        (7, 11),
        (8, 12),
        (7, 10),
        (9, 11),
    ]
    items += [
        MeasurementInput("V1", period, numerator=num, denominator=den)
        for period, (num, den) in zip(months("2021-06", "2022-04"), shares, strict=True)
    ]
    ws.add_measurements(team.id, items)
    ws.add_annotation(team.id, "2021-12-01", "Ny arbejdsgang", indicators=["V1"], phase_split=True)
    ws.add_annotation(team.id, "2021-05-10", "Budget $\\foo$ cut", indicators=["R1"])
    return path


def run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(build_cli(), args, catch_exceptions=False)
    return result.exit_code, result.output


def stored_json(workspace: Path, code: str, *extra: str) -> dict:
    code_, out = run(
        [
            "-w",
            str(workspace),
            "spc",
            "analyze",
            "--team",
            "Psykiatrien Syd",
            "--indicator",
            code,
            "--format",
            "json",
            "--lang",
            "da",
            *extra,
        ]
    )
    assert code_ == 0, out
    return json.loads(out)


def test_stored_count_equals_the_same_values_as_a_csv(workspace: Path, tmp_path: Path) -> None:
    stored = stored_json(workspace, "R1")
    ws = Workspace.open(workspace)
    values = {m.period: m.value for m in ws.measurements("psykiatrien-syd", "R1")}
    lines = ["x;y"] + [
        f"{p};{'' if values.get(p) is None else int(values[p])}" for p in months("2020-01", "2022-04")
    ]
    csv = tmp_path / "r1.csv"
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out = run(["spc", "analyze", str(csv), "--freeze", "12", "--format", "json", "--lang", "da"])
    assert code == 0, out
    assert json.loads(out) == stored
    assert [p["y"] for p in stored["points"]][14] is None  # 2021-03: a gap, not a zero
    assert sum(p["baseline"] for p in stored["points"]) == 12


def test_stored_proportion_with_a_phase_equals_the_csv(workspace: Path, tmp_path: Path) -> None:
    stored = stored_json(workspace, "V1")
    assert stored["chart"] == "p" and len(stored["phases"]) == 2
    ws = Workspace.open(workspace)
    rows = ["x;y;n;part"]
    for m in ws.measurements("psykiatrien-syd", "V1"):
        phase = "Ny arbejdsgang" if m.period >= "2021-12" else ""
        rows.append(f"{m.period};{int(m.numerator)};{int(m.denominator)};{phase}")
    csv = tmp_path / "v1.csv"
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, out = run(["spc", "analyze", str(csv), "--chart", "p", "--format", "json", "--lang", "da"])
    assert code == 0, out
    assert json.loads(out) == stored


def test_from_to_chart_and_rules(workspace: Path) -> None:
    window = stored_json(workspace, "R1", "--from", "2021-01", "--to", "2021-12")
    assert window["points"][0]["x"] == "2021-01-01" and window["points"][-1]["x"] == "2021-12-01"
    code, out = run(
        [
            "-w",
            str(workspace),
            "--lang",
            "da",
            "spc",
            "analyze",
            "--team",
            "Psykiatrien Syd",
            "--indicator",
            "R1",
            "--from",
            "2021-01",
        ]
    )
    assert code == 0 and "Bemærk: baselinen (2020-01–2020-12) ligger før de valgte måneder" in out
    assert stored_json(workspace, "R1", "--chart", "c")["chart"] == "c"
    assert stored_json(workspace, "R1", "--rules", "ihi")["rules"] == "ihi"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--freeze", "3"], "--freeze is for a CSV file"),
        (["--exclude", "2"], "--exclude is for a CSV file"),
        (["--indicator", "ZZ"], "ZZ"),
        (["--from", "2022-13"], "2022-13"),
    ],
)
def test_stored_data_refuses_what_does_not_apply(workspace: Path, args: list[str], message: str) -> None:
    base = ["-w", str(workspace), "--lang", "en", "spc", "analyze", "--team", "Psykiatrien Syd"]
    if "--indicator" not in args:
        base += ["--indicator", "R1"]
    code, out = run([*base, *args])
    assert code != 0 and message in out and "Traceback" not in out


def test_a_file_and_a_team_together_or_neither_are_refused(workspace: Path, tmp_path: Path) -> None:
    csv = tmp_path / "y.csv"
    csv.write_text("y\n1\n2\n", encoding="utf-8")
    code, out = run(
        ["--lang", "en", "spc", "analyze", str(csv), "--team", "Psykiatrien Syd", "--indicator", "R1"]
    )
    assert code != 0 and "not both" in out
    code, out = run(["--lang", "en", "spc", "analyze"])
    assert code != 0 and "give a CSV file" in out


def test_plot_of_a_stored_indicator_has_its_notes_and_title(workspace: Path, tmp_path: Path) -> None:
    out_file = tmp_path / "r1.svg"
    code, out = run(
        [
            "-w",
            str(workspace),
            "--lang",
            "da",
            "spc",
            "plot",
            "--team",
            "Psykiatrien Syd",
            "--indicator",
            "R1",
            "-o",
            str(out_file),
        ]
    )
    assert code == 0, out
    svg = out_file.read_text(encoding="utf-8")
    assert "R1 Personer tvangsindlagt" in svg and "Budget $\\foo$ cut" in svg


@pytest.mark.parametrize("option", ["--freeze", "--exclude", "--part"])
def test_fractional_positions_are_refused_on_the_command_line(tmp_path: Path, option: str) -> None:
    csv = tmp_path / "y.csv"
    csv.write_text("y\n" + "\n".join(str(v) for v in range(1, 13)) + "\n", encoding="utf-8")
    code, out = run(["--lang", "en", "spc", "analyze", str(csv), option, "2.5"])
    assert code != 0 and "whole point position" in out and "Traceback" not in out
    code, out = run(["--lang", "en", "spc", "analyze", str(csv), option, "3.0"])
    assert code == 0, out


def test_fractional_positions_are_refused_in_the_api() -> None:
    values = list(range(1, 13))
    for kwargs in ({"freeze": 2.5}, {"exclude": [2.5]}, {"part": [6.5]}):
        with pytest.raises(ValidationError, match="whole point position"):
            analyze(values, **kwargs)
    # whole numbers written as floats are the points they name (qicharts2: xx <= freeze, xx %in% exclude)
    result = analyze(values, freeze=3.0, exclude=[2.0])
    assert result.baseline[:4] == (True, True, True, False)
    assert result.include[:3] == (True, False, True)


def test_an_empty_line_in_a_one_column_file_is_a_missing_point(tmp_path: Path) -> None:
    csv = tmp_path / "y.csv"
    csv.write_text("y\n4\n\n5\n6\n\n7\n\n\n", encoding="utf-8")
    code, out = run(["spc", "analyze", str(csv), "--format", "json"])
    assert code == 0, out
    assert [p["y"] for p in json.loads(out)["points"]] == [4.0, None, 5.0, 6.0, None, 7.0]
