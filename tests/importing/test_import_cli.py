"""``pdsa import`` and ``pdsa source``, as a tovholder runs them on real-looking files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from pdsa_cli import build_cli
from pdsa_core.workspace import Workspace

TEAM = "Psykiatrien Syd"
DANISH_CSV = (
    "Måned;R1 Personer tvangsindlagt;R2 Tvangsindlæggelser;V1 tæller;V1 nævner;Bemærkning\r\n"
    "jan-22;5;7;3;10;Ny overlæge\r\n"
    "februar 2022;4;6;2;9;\r\n"
    "03-2022;6;9;4;11;\r\n"
)


@pytest.fixture(autouse=True)
def _only_built_in_plugins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The installed region plugins must not change what these tests see; no real cache."""
    monkeypatch.setenv("PDSA_LOAD_PLUGINS", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("COLUMNS", "160")


@pytest.fixture()
def ws_path(tmp_path: Path) -> Path:
    path = tmp_path / "workspace.json"
    ws = Workspace.create(path)
    ws.add_team(TEAM)
    for code in ("R1", "R2", "F1", "F2", "F3", "F4"):
        ws.add_indicator(TEAM, code, f"Indikator {code}")
    ws.add_indicator(TEAM, "V1", "Andel med UA/KP", unit="proportion", direction="up")
    return path


def run(ws_path: Path, *args: str, input: str | None = None, lang: str = "en"):
    return CliRunner().invoke(build_cli(), ["--workspace", str(ws_path), "--lang", lang, *args], input=input)


def csv_file(tmp_path: Path, name: str = "tvang.csv", text: str = DANISH_CSV) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("cp1252"))
    return path


def stored(ws_path: Path, code: str) -> dict[str, float]:
    return {m.period: m.value for m in Workspace.open(ws_path).measurements(TEAM, code)}


# -- pdsa import FILE -------------------------------------------------------------------------------------
def test_dry_run_shows_mapping_and_preview_and_writes_nothing(ws_path, tmp_path) -> None:
    before = ws_path.read_bytes()
    result = run(ws_path, "import", str(csv_file(tmp_path)), "--team", TEAM, "--dry-run")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Column mapping (guessed):" in out and "R1 Personer tvangsindlagt" in out
    assert "V1 (numerator)" in out and "– (not imported)" in out
    assert "Preview for Psykiatrien Syd: 9 new, 0 changed, 0 unchanged" in out
    assert "3/10" in out and "encoding cp1252" in out
    assert "Dry run: nothing was written." in out
    assert ws_path.read_bytes() == before


def test_without_yes_and_without_a_terminal_nothing_is_written(ws_path, tmp_path) -> None:
    before = ws_path.read_bytes()
    result = run(ws_path, "import", str(csv_file(tmp_path)), "--team", TEAM)
    assert result.exit_code == 1
    assert "confirm with --yes" in result.stderr and "Preview for" in result.stdout
    assert ws_path.read_bytes() == before


def test_at_a_terminal_the_import_asks_first(ws_path, tmp_path, monkeypatch) -> None:
    from pdsa_cli import import_cmds

    monkeypatch.setattr(import_cmds, "stdin_is_interactive", lambda: True)
    path = str(csv_file(tmp_path))
    declined = run(ws_path, "import", path, "--team", TEAM, input="n\n")
    assert declined.exit_code == 0 and "Write 9 values to Psykiatrien Syd?" in declined.output
    assert "Nothing was written." in declined.output and stored(ws_path, "R1") == {}
    accepted = run(ws_path, "import", path, "--team", TEAM, input="y\n")
    assert accepted.exit_code == 0, accepted.output
    assert "Imported into Psykiatrien Syd: 9 new, 0 changed" in accepted.output
    assert stored(ws_path, "R1") == {"2022-01": 5, "2022-02": 4, "2022-03": 6}


def test_yes_imports_with_source_and_a_reimport_keeps_a_revision(ws_path, tmp_path) -> None:
    result = run(ws_path, "import", str(csv_file(tmp_path, "jan-mar.csv")), "--team", TEAM, "--yes")
    assert result.exit_code == 0, result.output
    changed = DANISH_CSV.replace("03-2022;6;9", "03-2022;8;9") + "april 2022;2;2;1;5;\r\n"
    result = run(ws_path, "import", str(csv_file(tmp_path, "rettet.csv", changed)), "--team", TEAM, "--yes")
    assert result.exit_code == 0, result.output
    assert "6 → 8" in result.stdout
    assert (
        "Imported into Psykiatrien Syd: 3 new, 1 changed (earlier values kept as revisions), 8 unchanged."
        in (result.stdout)
    )
    march = next(m for m in Workspace.open(ws_path).measurements(TEAM, "R1") if m.period == "2022-03")
    assert (march.value, march.source_file) == (8, "rettet.csv")
    assert [(r.value, r.source) for r in march.revisions] == [(6, "jan-mar.csv")]
    assert march.entered_at[:10] == dt.date.today().isoformat()


def test_row_errors_are_listed_with_row_and_column_and_refuse_the_import(ws_path, tmp_path) -> None:
    bad = DANISH_CSV.replace("februar 2022;4;6", "februar 2022;4;seks").replace(
        "03-2022;6;9;4;11", "13-2022;6;9;4;11"
    )
    path = str(csv_file(tmp_path, "fejl.csv", bad))
    before = ws_path.read_bytes()
    result = run(ws_path, "import", path, "--team", TEAM, "--yes")
    assert result.exit_code == 7
    assert "Problems in rows that cannot be read (2)" in result.stdout
    assert (
        "2 rows cannot be read (2 problems), so nothing was written: row 3, column R2 Tvangsindlæggelser"
        in (result.stderr)
    )
    assert "row 4, column Måned" in result.stderr and "--skip-errors" in result.stderr
    assert ws_path.read_bytes() == before
    result = run(ws_path, "import", path, "--team", TEAM, "--yes", "--skip-errors")
    assert result.exit_code == 0, result.output
    assert "Problems in rows that were skipped: 2." in result.stdout
    assert stored(ws_path, "R2") == {"2022-01": 7}


def test_map_period_column_and_saved_mapping_make_next_month_one_command(ws_path, tmp_path) -> None:
    text = "Periode;Antal personer;Antal indlæggelser;Note\r\n2022-01;5;7;x\r\n"
    path = csv_file(tmp_path, "egne.csv", text)
    guessed = run(ws_path, "import", str(path), "--team", TEAM, "--dry-run")
    assert guessed.exit_code == 7 and "--map 'COLUMN=R1'" in guessed.stdout
    result = run(
        ws_path,
        "import",
        str(path),
        "--team",
        TEAM,
        "--period-column",
        "Periode",
        "--map",
        "Antal personer=R1",
        "--map",
        "antal indlæggelser=R2",
        "--save-mapping",
        "maaned",
        "--yes",
    )
    assert result.exit_code == 0, result.output
    assert "adjusted with --map 'Periode=period'" in result.stdout
    assert "The mapping is saved as 'maaned'" in result.stdout
    february = csv_file(
        tmp_path, "feb.csv", "Periode;Antal personer;Antal indlæggelser;Note\r\n2022-02;4;6;\r\n"
    )
    result = run(ws_path, "import", str(february), "--team", TEAM, "--mapping", "maaned", "--yes")
    assert result.exit_code == 0, result.output
    assert "Column mapping (saved as 'maaned')" in result.stdout
    assert stored(ws_path, "R2") == {"2022-01": 7, "2022-02": 6}
    listing = run(ws_path, "import", "mappings", "--team", TEAM, "--json")
    assert json.loads(listing.stdout)["maaned"]["period"] == "Periode"
    assert "Antal personer=R1" in run(ws_path, "import", "mappings", "--team", TEAM).stdout
    assert run(ws_path, "import", "mappings", "--team", TEAM, "--remove", "maaned").exit_code == 0
    assert json.loads(run(ws_path, "import", "mappings", "--team", TEAM, "--json").stdout) == {}


def test_a_bad_map_option_is_a_clear_error(ws_path, tmp_path) -> None:
    path = str(csv_file(tmp_path))
    result = run(ws_path, "import", path, "--team", TEAM, "--map", "Måned")
    assert result.exit_code == 2 and "COLUMN=ROLE" in result.stderr
    result = run(ws_path, "import", path, "--team", TEAM, "--map", "Findes ikke=R1")
    assert result.exit_code == 7 and "no column 'Findes ikke'" in result.stderr


def test_an_incomplete_guess_shows_the_columns_it_understood(ws_path, tmp_path) -> None:
    """A numerator without a denominator: the guessed reading is shown, nothing is written."""
    before = ws_path.read_bytes()
    path = csv_file(tmp_path, text="Måned;Indikator;Værdi;Tæller\n2022-01;R1;3;4\n")
    result = run(ws_path, "import", str(path), "--team", TEAM)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code != 0 and "Traceback" not in result.output
    lines = [" ".join(line.strip("│ ").split()) for line in result.stdout.splitlines()]
    assert "Column mapping (guessed):" in lines
    shown = {"Måned │ month", "Indikator │ indicator", "Værdi │ value", "Tæller │ – (not imported)"}
    assert shown <= set(lines)
    assert "the columns cannot be mapped: numerator or denominator missing" in result.stderr
    assert ws_path.read_bytes() == before


def test_json_output_has_the_plan_the_preview_and_what_was_written(ws_path, tmp_path) -> None:
    result = run(ws_path, "import", str(csv_file(tmp_path)), "--team", TEAM, "--yes", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["plan"]["mapping"]["period"] == "Måned"
    assert data["plan"]["preview"]["counts"] == {"added": 9, "changed": 0, "unchanged": 0, "missing": 0}
    assert data["written"]["added"] == 9 and data["dry_run"] is False


def test_danish_output(ws_path, tmp_path) -> None:
    result = run(ws_path, "import", str(csv_file(tmp_path)), "--team", TEAM, "--dry-run", lang="da")
    assert result.exit_code == 0, result.output
    assert "Kortlægning af kolonner (gættet)" in result.stdout
    assert "Forhåndsvisning for Psykiatrien Syd: 9 nye" in result.stdout
    assert "Prøvekørsel: intet er skrevet." in result.stdout


def _workbook(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Forside"
    book.active.append(["Tvangsdata"])
    data = book.create_sheet("Data 2022")
    data.append(["Måned", "R1", "R2"])
    data.append([None, "Personer", "Indlæggelser"])
    data.merge_cells("A1:A2")
    data.append(["januar 2022", 5, 7])
    data.append(["februar 2022", 4, 6])
    book.save(path)
    return path


def test_sheets_of_a_workbook_and_choosing_one(ws_path, tmp_path) -> None:
    path = str(_workbook(tmp_path / "tvang.xlsx"))
    listing = run(ws_path, "import", "sheets", path, "--json")
    assert json.loads(listing.stdout) == ["Forside", "Data 2022"]
    assert "Data 2022" in run(ws_path, "import", "sheets", path).stdout
    csv_listing = run(ws_path, "import", "sheets", str(csv_file(tmp_path)))
    assert "not an Excel workbook" in csv_listing.stdout
    by_number = run(ws_path, "import", path, "--team", TEAM, "--sheet", "2", "--dry-run")
    assert by_number.exit_code == 0 and "[sheet Data 2022]" in by_number.stdout
    result = run(ws_path, "import", path, "--team", TEAM, "--sheet", "Data 2022", "--yes")
    assert result.exit_code == 0, result.output
    m = Workspace.open(ws_path).measurements(TEAM, "R2")[0]
    assert (m.value, m.source_file, m.source_sheet) == (7, "tvang.xlsx", "Data 2022")
    first = run(ws_path, "import", path, "--team", TEAM, "--dry-run")
    assert first.exit_code == 7 and "also has the sheets: Data 2022 (choose one with --sheet)" in first.stdout
    wrong = run(ws_path, "import", path, "--team", TEAM, "--sheet", "Ark9", "--dry-run")
    assert wrong.exit_code == 7 and "Forside, Data 2022" in wrong.stderr


# -- pdsa import events---------------------------------------------------------------------------------------
HEADER = "cpr;tidspunkt;tvangstype;afsnit;alder;bopælskommune;ambulant_forløb;retspsykiatrisk"
EVENTS = [
    "010190-1234;01.03.2022 00:05;Tvangsindlæggelse;S1;32;Aalborg;ja;nej",
    "0101901234;14.03.2022 10:00;Tvangsindlæggelse;S1;32;Aalborg;ja;nej",
    "010190-1234;31.03.2022 23:59;Tvangsindlæggelse;S1;32;Aalborg;ja;nej",
    "020285-2345;31.03.2022 23:59;Bæltefiksering;S1;37;Aalborg;nej;nej",
    "030310-3456;15.03.2022 12:00;Tvangsindlæggelse;S1;12;Aalborg;ja;nej",
    "040475-4567;15.03.2022 12:00;Tvangsindlæggelse;S1;47;Aarhus;ja;nej",
]


def extract(tmp_path: Path, rows: list[str] = EVENTS) -> Path:
    path = tmp_path / "udtraek.csv"
    path.write_bytes(("\r\n".join([HEADER, *rows]) + "\r\n").encode("utf-8-sig"))
    return path


def population_file(tmp_path: Path) -> Path:
    path = tmp_path / "voksne.json"
    path.write_text(json.dumps({"min_age": 18, "municipalities": ["Aalborg"]}), encoding="utf-8")
    return path


def test_events_print_the_aggregate_and_never_an_identifier(ws_path, tmp_path) -> None:
    result = run(
        ws_path,
        "import",
        "events",
        str(extract(tmp_path)),
        "--team",
        TEAM,
        "--population",
        str(population_file(tmp_path)),
        "--save-population",
        "voksne",
        "--yes",
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Event extract: 6 rows read, 4 counted (population 'voksne')" in out
    assert "age outside the age band" in out and "other municipality of residence" in out
    assert "Concentration: the 1 most affected persons (50 % of 2) caused 75 % of 4 events" in out
    assert "The population is saved as 'voksne'" in out
    for secret in ("010190", "0101901234", "020285", "030310", "040475"):
        assert secret not in result.output
    assert stored(ws_path, "R1") == {"2022-03": 1} and stored(ws_path, "R2") == {"2022-03": 3}
    assert stored(ws_path, "F1") == {"2022-03": 2} and stored(ws_path, "F2") == {"2022-03": 4}
    again = run(ws_path, "import", "events", str(extract(tmp_path)), "--team", TEAM, "--dry-run", "--json")
    data = json.loads(again.stdout)
    assert data["population"] == "voksne" and data["plan"]["preview"]["counts"]["unchanged"] == 4


def test_events_without_a_population_say_how_to_name_one(ws_path, tmp_path) -> None:
    result = run(ws_path, "import", "events", str(extract(tmp_path)), "--team", TEAM, "--dry-run")
    assert result.exit_code == 2 and "--population" in result.stderr and "'all'" in result.stderr


def test_events_with_a_layout_file_and_chosen_indicators(ws_path, tmp_path) -> None:
    layout = tmp_path / "layout.json"
    layout.write_text(
        json.dumps(
            {
                "identifier": "Patient",
                "timestamp": "Dato",
                "kind": "Type",
                "ward": None,
                "age": None,
                "municipality": None,
                "outpatient": None,
                "forensic": None,
            }
        ),
        encoding="utf-8",
    )
    path = tmp_path / "andet.csv"
    path.write_text(
        "Patient;Dato;Type\nP-1;2022-05-02;Tvangsindlæggelse\nP-1;2022-05-09;Tvangsindlæggelse\n",
        encoding="utf-8",
    )
    result = run(
        ws_path,
        "import",
        "events",
        str(path),
        "--team",
        TEAM,
        "--population",
        "all",
        "--layout",
        str(layout),
        "--save-layout",
        "--indicator",
        "R2",
        "--yes",
    )
    assert result.exit_code == 0, result.output
    assert stored(ws_path, "R2") == {"2022-05": 2} and stored(ws_path, "R1") == {}
    assert "not chosen with --indicator" in result.stdout
    assert "The extract's layout is saved for the team." in result.stdout
    again = run(ws_path, "import", "events", str(path), "--team", TEAM, "--population", "all", "--dry-run")
    assert again.exit_code == 0 and "2 rows read" in again.stdout


# -- plugin importers and the municipal export ---------------------------------------------------------------
def test_import_with_the_municipal_importer(ws_path, tmp_path) -> None:
    path = tmp_path / "magt.csv"
    path.write_bytes(
        (
            "dato;bosted;type;borger\r\n"
            "03.01.2022;Bostedet Solhøj;Fastholdelse;010190-1234\r\n"
            "20.01.2022;Bostedet Solhøj;Fastholdelse;010190-1234\r\n"
            "31.01.2022;Engvej 4;Fastholdelse;020285-2345\r\n"
        ).encode("cp1252")
    )
    result = run(
        ws_path,
        "import",
        "with",
        "municipal-force",
        str(path),
        "--team",
        TEAM,
        "--option",
        "bosted=Bostedet Solhøj",
        "--yes",
    )
    assert result.exit_code == 0, result.output
    assert "Imported into Psykiatrien Syd: 2 new" in result.stdout
    assert "010190" not in result.output and "020285" not in result.output
    assert stored(ws_path, "F3") == {"2022-01": 1} and stored(ws_path, "F4") == {"2022-01": 2}
    bad = run(ws_path, "import", "with", "municipal-force", str(path), "--team", TEAM, "--option", "nej")
    assert bad.exit_code == 2 and "NAME=VALUE" in bad.stderr
    unknown = run(ws_path, "import", "with", "municipal-force", str(path), "--team", TEAM, "-o", "farve=rød")
    assert unknown.exit_code == 2 and "has no option farve" in unknown.stderr


def test_the_generic_table_importer_gets_the_teams_indicators(ws_path, tmp_path) -> None:
    result = run(
        ws_path, "import", "with", "measurement-table", str(csv_file(tmp_path)), "--team", TEAM, "--yes"
    )
    assert result.exit_code == 0, result.output
    assert stored(ws_path, "R2") == {"2022-01": 7, "2022-02": 6, "2022-03": 9}


def test_importers_are_listed(ws_path) -> None:
    data = json.loads(run(ws_path, "import", "importers", "--json").stdout)
    ids = {item["id"] for item in data}
    assert {"municipal-force", "measurement-table"} <= ids
    municipal = next(item for item in data if item["id"] == "municipal-force")
    assert "bosted" in [o["name"] for o in municipal["options"]]


# -- pdsa source----------------------------------------------------------------------------------------------
FOLK1A = (
    "\ufeffOMRÅDE;KØN;ALDER;CIVILSTAND;TID;INDHOLD\n"
    "851;TOT;18;TOT;2022K1;2461\n851;TOT;19;TOT;2022K1;2903\n"
    "851;TOT;18;TOT;2022K2;2458\n851;TOT;19;TOT;2022K2;2897\n"
)


@pytest.fixture()
def statbank(monkeypatch, tmp_path):
    """A recorded api.statbank.dk: requests are answered from FOLK1A and remembered."""
    from pdsa_core.sources.statbank import StatbankClient

    requests: list[dict] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(json.loads(request.content))
        return httpx.Response(200, content=FOLK1A.encode("utf-8"))

    original = StatbankClient.__init__

    def init(self, **kwargs):
        kwargs.setdefault("transport", httpx.MockTransport(handler))
        kwargs.setdefault("cache_dir", tmp_path / "statbank-cache")
        original(self, **kwargs)

    monkeypatch.setattr(StatbankClient, "__init__", init)
    return requests


def test_source_list(ws_path) -> None:
    data = json.loads(run(ws_path, "source", "list", "--json").stdout)
    statbank = next(item for item in data if item["id"] == "statbank")
    assert [p["name"] for p in statbank["parameters"]][:3] == ["table", "municipality", "age"]
    assert "statbank" in run(ws_path, "source", "list").stdout


def test_source_fetch_exactly_as_written(ws_path, statbank) -> None:
    result = run(ws_path, "source", "fetch", "statbank", "FOLK1A", "--municipality", "851", "--age", "18-64")
    assert result.exit_code == 0, result.output
    body = statbank[0]
    variables = {v["code"]: v["values"] for v in body["variables"]}
    assert body["table"] == "FOLK1A" and variables["OMRÅDE"] == ["851"]
    assert variables["ALDER"][0] == "18" and variables["ALDER"][-1] == "64"
    assert "2022-04" in result.stdout and "5355" in result.stdout and "quarterly" in result.stdout
    as_json = run(ws_path, "source", "fetch", "statbank", "FOLK1A", "--municipality=851", "--json")
    data = json.loads(as_json.stdout)
    assert data["parameters"] == {"table": "FOLK1A", "municipality": "851"}
    assert {m["period"]: m["value"] for m in data["measurements"]}["2022-06"] == 5355


def test_source_fetch_stores_for_a_team_and_as_a_rate(ws_path, statbank) -> None:
    missing = run(ws_path, "source", "fetch", "statbank", "FOLK1A", "--municipality", "851", "--team", TEAM)
    assert missing.exit_code == 3 and "pdsa indicator add BEF" in missing.stderr
    ws = Workspace.open(ws_path)
    ws.add_indicator(TEAM, "BEF", "Indbyggere 18+")
    ws.add_measurement(TEAM, "R1", "2022-01", value=4)
    ws.add_measurement(TEAM, "R1", "2022-07", value=2)
    result = run(
        ws_path, "source", "fetch", "statbank", "FOLK1A", "--municipality", "851", "--team", TEAM, "--yes"
    )
    assert result.exit_code == 0, result.output
    assert stored(ws_path, "BEF")["2022-02"] == 5364
    bef = Workspace.open(ws_path).measurements(TEAM, "BEF")[0]
    assert bef.source.startswith("Danmarks Statistik FOLK1A")
    rate = run(
        ws_path,
        "source",
        "fetch",
        "statbank",
        "FOLK1A",
        "--municipality",
        "851",
        "--age",
        "18-19",
        "--team",
        TEAM,
        "--rate-of",
        "R1",
        "--into",
        "R1-pr-10000",
        "--yes",
    )
    assert rate.exit_code == 0, rate.output
    assert "R1 per 10,000 residents (ages 18-19, municipality 851) as R1-pr-10000" in rate.stdout
    assert "Created the indicator R1-pr-10000." in rate.stdout
    assert stored(ws_path, "R1-pr-10000") == {"2022-01": round(4 / 5364 * 10000, 6)}
    assert "no population figure" in rate.stdout


def test_source_fetch_errors(ws_path, statbank) -> None:
    assert "needs --team" in run(ws_path, "source", "fetch", "statbank", "--rate-of", "R1").stderr
    result = run(ws_path, "source", "fetch", "statbank", "FOLK1A", "--municipality")
    assert result.exit_code == 2 and "--municipality needs a value" in result.stderr
    result = run(ws_path, "source", "fetch", "nosuch")
    assert result.exit_code == 3 and "no data source 'nosuch'" in result.stderr
    assert statbank == []


def test_source_fetch_offline_says_so(ws_path, monkeypatch, tmp_path) -> None:
    from pdsa_core.sources.statbank import StatbankClient

    def offline(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no route to host", request=request)

    original = StatbankClient.__init__
    monkeypatch.setattr(
        StatbankClient,
        "__init__",
        lambda self, **kw: original(
            self, transport=httpx.MockTransport(offline), cache_dir=tmp_path / "empty-cache"
        ),
    )
    result = run(ws_path, "source", "fetch", "statbank", "FOLK1AM", "--municipality", "851")
    assert result.exit_code == 8 and "could not be reached" in result.stderr
    assert "Traceback" not in result.output


def test_events_summary_is_the_one_both_faces_show(ws_path, tmp_path) -> None:
    """The CLI prints the lines of pdsa_core.importing.summary.event_summary (the TUI's import
    screen shows the same lines): one set of texts, worded once."""
    from pdsa_core.importing.summary import event_summary

    args = ["import", "events", str(extract(tmp_path)), "--team", TEAM, "--dry-run"]
    args += ["--population", str(population_file(tmp_path))]
    data = json.loads(run(ws_path, *args, "--json").stdout)
    lines = event_summary(data["plan"]["events"], "en")
    assert [line.kind for line in lines[:3]] == ["title", "line", "heading"]
    printed = run(ws_path, *args).stdout.splitlines()
    shown = [("  " if line.kind == "item" else "") + line.text for line in lines]
    start = printed.index(shown[0])
    assert printed[start : start + len(shown)] == shown
    assert any(line.startswith("  age outside the age band") for line in shown)
