"""No CPR number survives an import: not in the workspace folder, the output or an export.

An event extract full of CPR numbers (dashed and undashed, some in the wrong columns of
broken rows) and a municipal export of force registrations are imported through the CLI
into a workspace in a folder of its own; then the workspace is exported as JSON and as a
status report. Every file in that folder (the workspace, its lock and backup files, the
exports, anything pdsa writes in the user folders, which point there too), and everything
the CLI printed on stdout and stderr, is searched for each CPR number and its ten digits.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from pdsa_cli import build_cli

TEAM = "Psykiatrien Syd"
HEADER = "cpr;tidspunkt;tvangstype;afsnit;alder;bopælskommune;ambulant_forløb;retspsykiatrisk"
KINDS = ("Tvangsindlæggelse", "Bæltefiksering", "Fastholdelse", "Tvangsmedicinering")


def cpr_numbers(count: int, seed: int = 20220101) -> list[str]:
    """Synthetic CPR-shaped numbers (valid dates, random last four digits)."""
    rng = random.Random(seed)
    numbers = set()
    while len(numbers) < count:
        day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(30, 99)
        numbers.add(f"{day:02d}{month:02d}{year:02d}-{rng.randint(0, 9999):04d}")
    return sorted(numbers)


class Run:
    """The CLI on one workspace, keeping every byte it printed."""

    def __init__(self, workspace: Path) -> None:
        self.workspace = workspace
        self.printed: list[str] = []

    def __call__(self, *args: str, expect: int = 0) -> str:
        result = CliRunner().invoke(build_cli(), ["--workspace", str(self.workspace), *args])
        self.printed += [result.stdout, result.stderr]
        assert result.exit_code == expect, result.output
        return result.stdout


@pytest.fixture()
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """``inbox`` holds the files the teams were given; ``out`` everything pdsa may write."""
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    out.mkdir()
    for name in ("HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "TMPDIR"):
        (out / name.lower()).mkdir()
        monkeypatch.setenv(name, str(out / name.lower()))
    monkeypatch.delenv("PDSA_CACHE_DIR", raising=False)  # the cache too goes to XDG_CACHE_HOME
    monkeypatch.setenv("PDSA_LOAD_PLUGINS", "")
    monkeypatch.setenv("PDSA_LANG", "en")
    return inbox, out


def write_extract(path: Path, persons: list[str], *, broken: bool) -> None:
    rng = random.Random(7)
    rows = []
    for month in range(1, 13):
        for person in rng.sample(persons, 12):
            written = person if rng.random() < 0.5 else person.replace("-", "")
            for _ in range(rng.randint(1, 4)):  # several events per person and month
                day = rng.choice([1, 2, 15, 27, 28])
                rows.append(
                    f"{written};{day:02d}.{month:02d}.2022 {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d};"
                    f"{rng.choice(KINDS)};S{rng.randint(1, 3)};{rng.randint(16, 80)};"
                    f"{rng.choice(['Aalborg', 'Aalborg Kommune', 'Aarhus'])};ja;"
                    f"{'ja' if rng.random() < 0.05 else 'nej'}"
                )
    if broken:
        # a CPR number where the timestamp belongs, an identifier with junk, a shifted row
        rows.insert(5, f"{persons[0]};{persons[1]};Tvangsindlæggelse;S1;40;Aalborg;ja;nej")
        rows.insert(9, f"{persons[2]}x y;03.02.2022 10:00;Bæltefiksering;S1;40;Aalborg;ja;nej")
        rows.insert(20, f"03.02.2022 10:00;{persons[3]};Bæltefiksering;S1;40;Aalborg;ja;nej")
    path.write_bytes(("\r\n".join([HEADER, *rows]) + "\r\n").encode("cp1252"))


def write_municipal(path: Path, persons: list[str]) -> None:
    rng = random.Random(11)
    rows = ["dato;bosted;type;borger"]
    for month in range(1, 13):
        for person in rng.sample(persons, 5):
            rows.append(
                f"{rng.randint(1, 28):02d}.{month:02d}.2022;{rng.choice(['Bostedet Solhøj', 'Engvej 4'])};"
                f"Fastholdelse;{person if rng.random() < 0.5 else person.replace('-', '')}"
            )
    rows.append(f"{persons[0]};Engvej 4;Fastholdelse;{persons[1]}")  # a CPR number in the date column
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("cp1252"))


def assert_no_cpr(persons: list[str], out: Path, printed: list[str]) -> None:
    needles = [p for person in persons for p in (person, person.replace("-", ""))]
    files = [path for path in out.rglob("*") if path.is_file()]
    assert any(path.name == "workspace.json" for path in files)
    for path in files:
        data = path.read_bytes()
        for needle in needles:
            assert needle.encode() not in data, f"{needle} found in {path.relative_to(out)}"
    for text in printed:
        for needle in needles:
            assert needle not in text, f"{needle} found in the CLI output"


def test_no_cpr_number_anywhere_after_importing_extracts_full_of_them(folders) -> None:
    inbox, out = folders
    persons = cpr_numbers(40)
    write_extract(inbox / "udtraek_2022.csv", persons, broken=False)
    write_extract(inbox / "udtraek_med_fejl.csv", persons, broken=True)
    write_municipal(inbox / "magtanvendelser.csv", persons[:15])
    run = Run(out / "workspace.json")
    run("init")
    run("team", "add", TEAM)
    for code in ("R1", "R2", "F1", "F2", "F3", "F4"):
        run("indicator", "add", code, "--team", TEAM, "--name", f"Indikator {code}")

    imported = run(
        "import", "events", str(inbox / "udtraek_2022.csv"), "--team", TEAM, "--population", "all", "--yes"
    )
    assert "Imported into Psykiatrien Syd: 48 new" in imported

    # the extract with errors: refused, and the messages name rows and columns, never a value
    run(
        "import",
        "events",
        str(inbox / "udtraek_med_fejl.csv"),
        "--team",
        TEAM,
        "--population",
        "all",
        "--yes",
        expect=7,
    )
    assert "cannot be read" in run.printed[-1] and "row 7, column" in run.printed[-1]
    run(
        "import",
        "events",
        str(inbox / "udtraek_med_fejl.csv"),
        "--team",
        TEAM,
        "--population",
        "all",
        "--dry-run",
        "--json",
    )
    run(
        "import",
        "events",
        str(inbox / "udtraek_med_fejl.csv"),
        "--team",
        TEAM,
        "--population",
        "all",
        "--yes",
        "--skip-errors",
    )

    # the municipal export, with a broken row, refused and then imported without it
    run(
        "import",
        "with",
        "municipal-force",
        str(inbox / "magtanvendelser.csv"),
        "--team",
        TEAM,
        "--yes",
        expect=7,
    )
    run(
        "import",
        "with",
        "municipal-force",
        str(inbox / "magtanvendelser.csv"),
        "--team",
        TEAM,
        "--yes",
        "--skip-errors",
    )

    # the extract given to the table importer by mistake: shown, refused, nothing quoted
    run("import", str(inbox / "udtraek_2022.csv"), "--team", TEAM, "--dry-run", expect=7)
    run("import", str(inbox / "udtraek_2022.csv"), "--team", TEAM, "--dry-run", "--json", expect=7)

    run("export", "-o", str(out / "export.json"))
    run(
        "report",
        "status",
        "--team",
        TEAM,
        "--from",
        "2022-01",
        "--to",
        "2022-12",
        "--format",
        "md",
        "-o",
        str(out / "status.md"),
    )
    run("data", "list", "--team", TEAM, "--indicator", "R1")
    assert (out / "export.json").stat().st_size > 0 and (out / "status.md").stat().st_size > 0
    assert_no_cpr(persons, out, run.printed)
