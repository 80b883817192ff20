"""``pdsa spc analyze|plot`` through click's CliRunner on the group itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pdsa_cli.spc_cmds import spc

P_CSV = "x;y;n\n" + "".join(
    f"2022-{m:02d};{y};{n}\n"
    for m, y, n in zip(range(1, 13), [5, 6, 4, 7, 3, 8, 6, 5, 7, 2, 6, 5],
                       [10, 12, 11, 12, 9, 12, 10, 10, 11, 10, 10, 10], strict=True)
)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write(tmp_path: Path, text: str, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_json_is_one_object_with_points_and_phases(runner: CliRunner, tmp_path: Path) -> None:
    f = write(tmp_path, P_CSV)
    res = runner.invoke(spc, ["analyze", str(f), "--chart", "p", "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert set(data) >= {"points", "phases"}
    point_keys = {"x", "y", "n", "cl", "lcl", "ucl", "sigma_signal", "runs_signal", "part",
                  "baseline", "include"}
    assert all(point_keys <= set(p) for p in data["points"])
    phase_keys = {"part", "n_obs", "n_useful", "longest_run", "longest_run_max", "n_crossings",
                  "n_crossings_min", "runs_signal", "sigma_signal_count"}
    assert phase_keys <= set(data["phases"][0])
    assert len(data["points"]) == 12 and data["points"][0]["y"] == 0.5
    assert data["verdict"]["status"] == "random"


def test_options_reach_the_engine(runner: CliRunner, tmp_path: Path) -> None:
    f = write(tmp_path, "y\n" + "\n".join(str(v) for v in [1] * 6 + [9] * 6 + [1] * 6) + "\n")
    res = runner.invoke(spc, ["analyze", str(f), "--format", "json", "--part", "6",
                              "--exclude", "2", "--multiply", "10", "--lang", "en"])
    data = json.loads(res.output)
    assert [p["part"] for p in data["points"]] == [1] * 6 + [2] * 12
    assert data["points"][1]["include"] is False and data["points"][0]["y"] == 10
    assert data["verdicts"][1]["text"].startswith("Non-random variation")


def test_missing_values_are_null(runner: CliRunner, tmp_path: Path) -> None:
    f = write(tmp_path, "y\n1\n\nNA\n3\n4\n")
    data = json.loads(runner.invoke(spc, ["analyze", str(f), "--format", "json"]).output)
    # the empty line is a missing value kept as a point (qicharts2 keeps NA), as NA is
    assert [p["y"] for p in data["points"]] == [1.0, None, None, 3.0, 4.0]


def test_decimal_comma_and_semicolons(runner: CliRunner, tmp_path: Path) -> None:
    f = write(tmp_path, "y;n\n1,5;3\n2,5;4\n")
    data = json.loads(runner.invoke(spc, ["analyze", str(f), "--format", "json"]).output)
    assert [p["y"] for p in data["points"]] == [0.5, 0.625]


def test_table_output(runner: CliRunner, tmp_path: Path) -> None:
    f = write(tmp_path, "y\n" + "\n".join(["1"] * 7 + ["9"] * 7) + "\n")
    res = runner.invoke(spc, ["analyze", str(f), "--lang", "da", "--rules", "anhoej"])
    assert res.exit_code == 0
    assert "Ikke-tilfældig variation: 1 krydsning (mindst 4)" in res.output
    assert "Faser" in res.output


def test_min_useful_and_rules_options(runner: CliRunner, tmp_path: Path) -> None:
    f = write(tmp_path, "y\n" + "\n".join(["3", "7", "3"] + ["7"] * 7 + ["3", "7"]) + "\n")
    res = runner.invoke(spc, ["analyze", str(f), "--rules", "ihi", "--lang", "en", "--cl", "5"])
    assert "shift: 7 points in a row" in res.output
    res = runner.invoke(spc, ["analyze", str(f), "--min-useful", "20", "--lang", "en",
                              "--cl", "5"])
    assert "Too few data points (12 of at least 20)" in res.output


@pytest.mark.parametrize("suffix", [".svg", ".png"])
def test_plot(runner: CliRunner, tmp_path: Path, suffix: str) -> None:
    f = write(tmp_path, P_CSV)
    out = tmp_path / f"chart{suffix}"
    res = runner.invoke(spc, ["plot", str(f), "--chart", "p", "-o", str(out),
                              "--annotate", "2022-05=Ny praksis", "--title", "V1"])
    assert res.exit_code == 0, res.output
    assert out.exists() and out.stat().st_size > 1000


@pytest.mark.parametrize(
    ("text", "args", "expected"),
    [
        ("a;b\n1;2\n", [], "no 'y' column"),
        ("y\n1\nabc\n3\n", [], "row 3, column 'y': 'abc' is not a number"),
        ("y;n\n1;2\n1;0\n", ["--chart", "p"], "row 3, column 'n': denominator is 0"),
        ("y;n\n1;2\n5;4\n", ["--chart", "p"], "row 3, column 'n'"),
        ("y\n1\n-2\n", ["--chart", "c"], "row 3, column 'y': count -2 is negative"),
        ("y;n\n1;2\n-2;4\n", ["--chart", "u"], "row 3, column 'y'"),
        ("y\n1\n2\n", ["--chart", "zz"], "unknown chart type 'zz'"),
        ("y;n\n1;x\n", [], "row 2, column 'n': 'x' is not a number"),
    ],
)
def test_bad_input_gives_clear_message(
    runner: CliRunner, tmp_path: Path, text: str, args: list[str], expected: str
) -> None:
    f = write(tmp_path, text)
    res = runner.invoke(spc, ["analyze", str(f), *args])
    assert res.exit_code != 0
    assert expected in res.output
    assert "Traceback" not in res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)


def test_bad_plot_suffix(runner: CliRunner, tmp_path: Path) -> None:
    f = write(tmp_path, "y\n1\n2\n3\n")
    res = runner.invoke(spc, ["plot", str(f), "-o", str(tmp_path / "chart.pdf")])
    assert res.exit_code != 0 and ".svg or .png" in res.output


def test_register_adds_group() -> None:
    import click

    from pdsa_cli.spc_cmds import register

    group = click.Group("pdsa")
    register(group)
    assert group.commands["spc"] is spc
