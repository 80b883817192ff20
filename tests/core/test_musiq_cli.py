"""``pdsa musiq``: template, new from a ratings file, list, show, compare."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from pdsa_cli import build_cli
from pdsa_core.assessments import MUSIQ_KEY, builtin_musiq

TEAM = "Psykiatrien Syd"


def run(*args: str) -> Any:
    return CliRunner().invoke(build_cli(), list(args))


@pytest.fixture()
def ws(tmp_path: Path) -> str:
    path = str(tmp_path / "w.json")
    assert run("--workspace", path, "init").exit_code == 0
    assert run("--workspace", path, "team", "add", TEAM).exit_code == 0
    return path


def filled(template: str, values: dict[str, str], *, delimiter: str = ",") -> str:
    """The template with ratings written in (factor id -> rating text)."""
    rows = list(csv.reader(io.StringIO(template), delimiter=delimiter))
    for row in rows[1:]:
        row[1] = values.get(row[0], "4")
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue()


def template(ws: str, *extra: str) -> str:
    result = run("--workspace", ws, *extra, "musiq", "template")
    assert result.exit_code == 0, result.output
    return result.stdout


def listed(ws: str) -> list[dict[str, Any]]:
    result = run("--workspace", ws, "musiq", "list", "--team", TEAM, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_template_lists_every_factor_in_english_or_danish(ws: str) -> None:
    english = template(ws)
    lines = english.splitlines()
    assert lines[0] == "factor,rating,note,level,label"
    assert [line.split(",")[0] for line in lines[1:]] == builtin_musiq().factor_ids
    danish = template(ws, "--lang", "da")
    assert danish.splitlines()[0] == "faktor;score;note;niveau;betegnelse"
    assert "team_norms;;;Forbedringsteam;Teamets normer" in danish


def test_new_from_a_filled_template_then_list_show_and_compare(ws: str, tmp_path: Path) -> None:
    first = tmp_path / "jan.csv"
    first.write_text(
        filled(
            template(ws), {"resource_availability": "2", "team_norms": "NA", "team_qi_skills": "ved ikke"}
        ),
        encoding="utf-8",
    )
    result = run(
        "--workspace",
        ws,
        "musiq",
        "new",
        "--team",
        TEAM,
        "--setting",
        "regionspsykiatrien",
        "--ratings",
        str(first),
        "--date",
        "2022-01-12",
        "--participant",
        "Tovholder",
        "--participant",
        "Afsnitsleder",
        "--annotate",
    )
    assert result.exit_code == 0, result.output
    assert "Saved MUSIQ (equal weights) assessment" in result.output
    assert "not the official score" in result.output
    assert "could not be confirmed from a primary source" in result.output
    assert "marked on the team's indicator charts" in result.output

    # a Danish file saved by Excel: ";", the Danish header, Windows-1252 text
    second = tmp_path / "sep.csv"
    danish = filled(
        template(ws, "--lang", "da"), {"resource_availability": "5", "team_norms": "6"}, delimiter=";"
    )
    danish = danish.replace("team_leadership;4;", "team_leadership;3;Tovholderen skiftede i maj")
    second.write_bytes(danish.encode("cp1252"))
    result = run(
        "--workspace", ws, "musiq", "new", "--team", TEAM, "--setting", "regionspsykiatrien",
        "--ratings", str(second), "--date", "2022-09-01",
    )  # fmt: skip
    assert result.exit_code == 0, result.output

    items = listed(ws)
    assert [a["date"] for a in items] == ["2022-01-12", "2022-09-01"]
    assert items[0]["instrument_key"] == MUSIQ_KEY
    assert items[0]["participants"] == ["Tovholder", "Afsnitsleder"]
    # 23 rated: 22 x 4 + 2 = 90; two not applicable
    assert items[0]["scores"]["total"] == {
        "score": 90.0,
        "weighted_sum": 90.0,
        "mean": pytest.approx(90 / 23, abs=1e-4),
        "rated": 23,
        "not_applicable": 2,
        "unrated": 0,
        "minimum": 23.0,
        "maximum": 161.0,
    }
    assert items[1]["scores"]["total"]["score"] == 22 * 4 + 5 + 6 + 3
    second_id = items[1]["id"]

    shown = run("--workspace", ws, "musiq", "show", second_id)
    assert shown.exit_code == 0, shown.output
    assert "Team leadership" in shown.output and "Total" in shown.output
    detail = json.loads(run("--workspace", ws, "musiq", "show", second_id, "--json").stdout)
    assert detail["setting"] == "regionspsykiatrien"
    notes = {r["factor"]: r["note"] for r in detail["ratings"] if r["note"]}
    assert notes == {"team_leadership": "Tovholderen skiftede i maj"}

    compared = run("--workspace", ws, "musiq", "compare", "--team", TEAM, "--json")
    assert compared.exit_code == 0, compared.output
    data = json.loads(compared.stdout)
    moves = {m["factor"]: (m["before"], m["after"], m["change"]) for m in data["moved"]["factors"]}
    assert moves == {
        "resource_availability": (2, 5, 3),
        "team_norms": (None, 6, None),
        "team_leadership": (4, 3, -1),
        "team_qi_skills": (None, 4, None),
    }
    assert data["focus"] == [{"factor": "team_leadership", "level": "qi_team", "rating": 3, "weight": 1.0}]
    human = run("--workspace", ws, "musiq", "compare", "--team", TEAM)
    assert "Resource availability: 2 → 5 (+3)" in human.output
    assert "Suggested focus" in human.output and "Team leadership: 3" in human.output

    annotations = json.loads(run("--workspace", ws, "annotation", "list", "--team", TEAM, "--json").stdout)
    assert [(a["date"], a["kind"]) for a in annotations] == [("2022-01-12", "assessment")]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda text: text.replace("team_norms,4", "team_nroms,4"),
            "row 23: factor team_nroms: unknown factor id",
        ),
        (
            lambda text: text.replace("team_norms,4", "team_norms,8"),
            "row 23: factor team_norms: rating 8 is outside",
        ),
        (
            lambda text: "\n".join(line for line in text.splitlines() if not line.startswith("team_norms")),
            'factor team_norms is missing: rate it or mark it "NA"',
        ),
    ],
)
def test_a_wrong_ratings_file_is_refused_clearly_and_nothing_is_saved(
    ws: str, tmp_path: Path, change: Any, message: str
) -> None:
    path = tmp_path / "ratings.csv"
    path.write_text(change(filled(template(ws), {})), encoding="utf-8")
    result = run(
        "--workspace", ws, "musiq", "new", "--team", TEAM, "--setting", "kommune", "--ratings", str(path),
        "--annotate",
    )  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: the ratings for musiq@1.0-equal-weights were not saved")
    assert message in result.stderr and "ratings.csv" in result.stderr
    assert "Traceback" not in result.output
    assert listed(ws) == []
    annotations = run("--workspace", ws, "annotation", "list", "--team", TEAM, "--json").stdout
    assert json.loads(annotations) == []


def test_a_file_without_the_needed_columns_is_refused(ws: str, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("name,value\nteam_norms,4\n", encoding="utf-8")
    result = run("--workspace", ws, "musiq", "new", "--team", TEAM, "--setting", "s", "--ratings", str(path))
    assert result.exit_code == 2
    assert "the header must name a factor column and a rating column" in result.stderr


def test_compare_refuses_totals_across_instrument_versions(ws: str, tmp_path: Path) -> None:
    """A plugin folder ships a second MUSIQ version as a JSON file next to its plugin module."""
    folder = tmp_path / "plugins"
    folder.mkdir()
    data = builtin_musiq().to_dict() | {"version": "2.0-local"}
    (folder / "musiq-v2.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (folder / "local_musiq.py").write_text(
        "from pathlib import Path\n"
        "from pdsa_core import hookimpl, load_instrument\n\n"
        "@hookimpl\n"
        "def register_instruments(register):\n"
        "    register(load_instrument(Path(__file__).with_name('musiq-v2.json')))\n",
        encoding="utf-8",
    )
    ratings = tmp_path / "r.csv"
    ratings.write_text(filled(template(ws), {}), encoding="utf-8")
    base = ["--workspace", ws, "--plugins-dir", str(folder), "musiq"]
    instruments = json.loads(run(*base, "instruments", "--json").stdout)
    assert [i["key"] for i in instruments] == [MUSIQ_KEY, "musiq@2.0-local"]
    for date, key in (("2022-01-01", MUSIQ_KEY), ("2022-06-01", "musiq@2.0-local")):
        result = run(
            *base, "new", "--team", TEAM, "--setting", "s", "--ratings", str(ratings), "--date", date,
            "--instrument", key,
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    refused = run(*base, "compare", "--team", TEAM)
    assert refused.exit_code == 2
    assert "totals cannot be compared across instrument versions" in refused.stderr
    assert "musiq@1.0-equal-weights" in refused.stderr and "musiq@2.0-local" in refused.stderr
    one = run(*base, "compare", "--team", TEAM, "--instrument", "musiq@2.0-local", "--json")
    assert one.exit_code == 0 and len(json.loads(one.stdout)["assessments"]) == 1
    factors = run(*base, "compare", "--team", TEAM, "--factors-only", "--json")
    assert factors.exit_code == 0 and json.loads(factors.stdout)["factors_only"] is True
    unknown = run(
        *base, "new", "--team", TEAM, "--setting", "s", "--ratings", str(ratings), "--instrument", "x@1"
    )
    assert unknown.exit_code == 3 and "no instrument 'x@1'" in unknown.stderr


def test_list_of_a_team_without_assessments_says_how_to_start(ws: str) -> None:
    result = run("--workspace", ws, "musiq", "list", "--team", TEAM)
    assert result.exit_code == 0
    assert "pdsa musiq template" in result.output
    assert listed(ws) == []


def test_list_and_show_of_an_assessment_whose_instrument_is_not_installed(ws: str, tmp_path: Path) -> None:
    """Saved with a plugin's instrument, then read without the plugin: one warning line, no traceback."""
    folder = tmp_path / "plugins"
    folder.mkdir()
    data = builtin_musiq().to_dict() | {"version": "2.0-local"}
    (folder / "musiq-v2.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (folder / "local_musiq.py").write_text(
        "from pathlib import Path\n"
        "from pdsa_core import hookimpl, load_instrument\n\n"
        "@hookimpl\n"
        "def register_instruments(register):\n"
        "    register(load_instrument(Path(__file__).with_name('musiq-v2.json')))\n",
        encoding="utf-8",
    )
    ratings = tmp_path / "r.csv"
    ratings.write_text(filled(template(ws), {}), encoding="utf-8")
    saved = run(
        "--workspace", ws, "--plugins-dir", str(folder), "musiq", "new", "--team", TEAM,
        "--setting", "s", "--ratings", str(ratings), "--instrument", "musiq@2.0-local",
    )  # fmt: skip
    assert saved.exit_code == 0, saved.output
    english = run("--workspace", ws, "musiq", "list", "--team", TEAM)
    assert english.exit_code == 0 and english.exception is None, english.output
    assert english.stderr.splitlines() == [
        "Warning: the instrument musiq@2.0-local is not installed; scores cannot be formed"
    ]
    danish = run("--workspace", ws, "--lang", "da", "musiq", "list", "--team", TEAM)
    assert danish.exit_code == 0 and danish.exception is None, danish.output
    assert len(danish.stderr.splitlines()) == 1
    assert "instrumentet musiq@2.0-local er ikke installeret" in danish.stderr
    assessment_id = listed(ws)[0]["id"]
    shown = run("--workspace", ws, "musiq", "show", assessment_id)
    assert shown.exit_code == 0 and shown.exception is None, shown.output
    assert "the instrument musiq@2.0-local is not installed" in shown.stderr
