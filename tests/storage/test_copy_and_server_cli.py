"""`pdsa workspace copy` both ways (lossless) and the `pdsa server` commands; the CLI on both backends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from storage_backends import with_database

from pdsa_cli import build_cli
from pdsa_core.storage.pg_schema import latest_version
from pdsa_core.workspace import Workspace


def run(*args: str, env: dict[str, str] | None = None):  # noqa: ANN201 - click's Result
    return CliRunner().invoke(build_cli(), list(args), env=env)


def ok(*args: str, env: dict[str, str] | None = None) -> str:
    result = run(*args, env=env)
    assert result.exit_code == 0, result.output
    return result.output


def _fill(location: str) -> None:
    """A workspace touching every table, through the CLI and the services."""
    from pdsa_core.domain import Meeting

    ok("-w", location, "team", "add", "Psykiatrien Syd", "--region", "Sjælland", "--municipality", "Næstved")
    ok("-w", location, "indicator", "add", "R1", "--team", "Psykiatrien Syd", "--name", "Tvangsindlagte")
    ok(
        "-w",
        location,
        "indicator",
        "add",
        "V1",
        "--team",
        "Psykiatrien Syd",
        "--name",
        "Andel",
        "--unit",
        "proportion",
    )
    for month, value in ((1, 4), (2, 3), (3, 5), (2, 2)):
        ok(
            "-w",
            location,
            "data",
            "add",
            "--team",
            "Psykiatrien Syd",
            "--indicator",
            "R1",
            "--period",
            f"2022-{month:02d}",
            "--value",
            str(value),
            *(["--replace"] if month == 2 and value == 2 else []),  # a correction of February
        )
    ok(
        "-w",
        location,
        "data",
        "add",
        "--team",
        "Psykiatrien Syd",
        "--indicator",
        "V1",
        "--period",
        "2022-01",
        "--numerator",
        "1",
        "--denominator",
        "3",
    )
    ok("-w", location, "driver", "aim", "--team", "Psykiatrien Syd", "Færre tvangsindlæggelser")
    ok("-w", location, "driver", "add", "--team", "Psykiatrien Syd", "--kind", "primary", "Netværksmøder")
    ok(
        "-w",
        location,
        "driver",
        "add",
        "--team",
        "Psykiatrien Syd",
        "--kind",
        "change-idea",
        "--parent",
        "Netværksmøder",
        "Ringe hjem",
    )
    out = ok(
        "-w",
        location,
        "cycle",
        "add",
        "--team",
        "Psykiatrien Syd",
        "Ringe hjem",
        "--change-idea",
        "Ringe hjem",
        "--indicator",
        "R1",
    )
    cycle_id = out.split(":")[0]
    ok("-w", location, "cycle", "update", cycle_id, "--status", "doing")
    ok("-w", location, "cycle", "act", cycle_id, "adapt")
    ok(
        "-w",
        location,
        "annotation",
        "add",
        "--team",
        "Psykiatrien Syd",
        "--date",
        "2022-02-01",
        "--text",
        "Ny lov",
        "--kind",
        "law change",
    )
    ws = Workspace.open(location)
    ws.update_settings(language="da", note="æøå ✓")
    ws.save_meeting(Meeting(id="mtg-1", team_id="psykiatrien-syd", date="2022-03-01"))


@pytest.mark.slow
def test_a_scripted_cli_session_gives_the_same_export_on_both_backends(tmp_path: Path, postgres) -> None:
    file_ws = str(tmp_path / "w.json")
    server_ws = postgres.new_database_url()
    exports = []
    for location in (file_ws, server_ws):
        ok("-w", location, "init")
        _fill(location)
        data = json.loads(ok("-w", location, "export"))
        exports.append(data)
        listed = json.loads(
            ok("-w", location, "data", "list", "--team", "Psykiatrien Syd", "--indicator", "R1", "--json")
        )
        assert [(m["period"], m["value"], len(m.get("revisions", []))) for m in listed] == [
            ("2022-01", 4, 0),
            ("2022-02", 2, 1),
            ("2022-03", 5, 0),
        ]

    def stable(data: dict) -> dict:
        """Random ids and clock times differ between two sessions; the records may not."""
        import re

        def scrub(value: object) -> str:
            text = json.dumps(value, sort_keys=True, ensure_ascii=False)
            text = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", "TIME", text)
            # who: the operating-system account on a file, the database login on a server
            text = re.sub(r'"(by|who|entered_by)": "[^"]*"', r'"\1": "WHO"', text)
            return re.sub(r"\b(pdsa|ann|chg|pd|sd|ci)-[0-9a-f]{8,}", "ID", text)

        return {name: sorted(scrub(doc) for doc in table.values()) for name, table in data["tables"].items()}

    assert exports[0]["revision"] == exports[1]["revision"]
    assert stable(exports[0]) == stable(exports[1])


def test_copy_file_to_server_and_back_is_identical(tmp_path: Path, postgres) -> None:
    source = str(tmp_path / "source.json")
    ok("-w", source, "init")
    _fill(source)
    server = postgres.new_database_url()
    back = str(tmp_path / "back.json")

    out = ok("workspace", "copy", source, server)
    assert "Copied" in out and "***" not in server
    out = ok("workspace", "copy", server, back)
    assert "Copied" in out

    original = ok("-w", source, "export")
    assert ok("-w", server, "export") == original  # the same text, key order included
    assert ok("-w", back, "export") == original
    assert Workspace.open(back).export() == Workspace.open(source).export()
    # the copy on the server is a working workspace: it takes new data and keeps counting
    ws = Workspace.open(server)
    ws.add_measurement("psykiatrien-syd", "R1", "2022-04", value=1)
    assert ws.revision == Workspace.open(source).revision + 1


def test_copy_server_to_file_to_server_is_identical(tmp_path: Path, postgres) -> None:
    first = postgres.new_database_url()
    ok("-w", first, "init")
    _fill(first)
    middle = str(tmp_path / "middle.json")
    second = postgres.new_database_url()
    ok("workspace", "copy", first, middle)
    ok("workspace", "copy", middle, second)
    assert ok("-w", second, "export") == ok("-w", first, "export") == ok("-w", middle, "export")


def test_copy_refuses_to_overwrite(tmp_path: Path, postgres) -> None:
    source = str(tmp_path / "source.json")
    ok("-w", source, "init")
    _fill(source)
    taken = tmp_path / "taken.json"
    taken.write_text("precious")
    result = run("workspace", "copy", source, str(taken))
    assert result.exit_code == 5 and "already exists" in result.output and taken.read_text() == "precious"
    server = postgres.new_database_url()
    ok("-w", server, "init")
    ok("-w", server, "team", "add", "Other")
    result = run("workspace", "copy", source, server)
    assert result.exit_code == 5 and "not empty" in result.output
    assert [t.name for t in Workspace.open(server).teams()] == ["Other"]


def test_server_init_is_idempotent_and_sets_up_roles(postgres) -> None:
    url = postgres.new_database_url()
    out = ok("server", "init", url)
    assert "Created the database" in out and "001_workspace" in out and "ready" in out
    out = ok("server", "init", url)
    assert "already existed" in out and "001_workspace" not in out
    status = json.loads(ok("-w", url, "server", "status", "--json"))
    assert status["sql_schema_version"] == latest_version()
    assert status["workspace_schema"] >= 2 and status["revision"] == 0

    name, password = postgres.new_login("anna")
    env = {"ANNA_PASSWORD": password}
    assert "Created login" in ok(
        "-w", url, "server", "user", "add", name, "--password-env", "ANNA_PASSWORD", env=env
    )
    ok("-w", url, "team", "add", "Aalborg", "--region", "Nordjylland")
    out = ok("-w", url, "server", "grant", name, "tovholder", "--team", "Aalborg")
    assert f"{name} is now tovholder for team aalborg" in out
    anna = with_database(url, url.rsplit("/", 1)[1], user=name, password=password)
    ok("-w", anna, "indicator", "add", "R1", "--team", "Aalborg", "--name", "R1")
    who = json.loads(ok("-w", anna, "server", "whoami", "--json"))
    assert who["teams"] == ["aalborg"] and not who["admin"] and not who["reads_all"]
    users = json.loads(ok("-w", url, "server", "user", "list", "--json"))
    assert {"user": name, "login": True, "roles": [{"scope": "team:aalborg", "role": "tovholder"}]} in users
    # anna does not administer: the server commands tell her so
    result = run("-w", anna, "server", "grant", name, "admin")
    assert result.exit_code == 10 and "does not administer" in result.output
    ok("-w", url, "server", "revoke", name, "--team", "Aalborg")
    assert json.loads(ok("-w", anna, "team", "list", "--json")) == []
    result = run("-w", url, "server", "revoke", name)
    assert result.exit_code == 3 and "has no role" in result.output
    ok("-w", url, "server", "user", "remove", name, "--drop-login")
    result = run("-w", anna, "team", "list")
    assert result.exit_code == 5 and "cannot connect" in result.output and password not in result.output


def test_server_commands_explain_bad_input(tmp_path: Path, postgres) -> None:
    result = run("server", "init", str(tmp_path / "w.json"))
    assert result.exit_code == 2 and "PostgreSQL address" in result.output
    url = postgres.new_database_url()
    result = run("-w", url, "team", "list")
    assert result.exit_code == 5 and "does not exist" in result.output and "server init" in result.output
    ok("server", "init", url)
    result = run("-w", url, "server", "grant", "nobody_here", "tovholder", "--team", "x")
    assert result.exit_code == 3 and "no login 'nobody_here'" in result.output
    name, password = postgres.new_login("bo")
    ok("-w", url, "server", "user", "add", name, "--no-password")
    result = run("-w", url, "server", "grant", name, "secretary")
    assert result.exit_code == 2 and "unknown role" in result.output
    result = run("-w", url, "server", "grant", name, "tovholder", "--team", "Nowhere")
    assert result.exit_code == 3 and "no team 'Nowhere'" in result.output
    result = run("-w", url, "server", "grant", name, "secretariat", "--team", "Nowhere")
    assert result.exit_code == 2 and "whole workspace" in result.output
    result = run("-w", url, "server", "user", "add", name)
    assert result.exit_code == 2 and "--password-env" in result.output
    wrong = with_database(url, url.rsplit("/", 1)[1], user="pdsa_ci", password="wrong")
    result = run("-w", wrong, "team", "list")
    assert result.exit_code == 5 and "password authentication failed" in result.output
    assert "pdsa_ci:***@" in result.output and ":wrong@" not in result.output


def test_server_sql_is_the_migrations(postgres) -> None:
    """The printed script sets up a database that pdsa then accepts as its own."""
    import psycopg

    script = ok("server", "sql")
    assert "BEGIN;" in script.splitlines()[:3] and "ROW LEVEL SECURITY" in script
    url = postgres.new_database_url(create=True)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(script.encode())
        conn.execute(script.encode())  # safe to run again: each migration runs once
        versions = conn.execute("SELECT array_agg(version ORDER BY version) FROM pdsa.schema_version")
        assert versions.fetchone()[0] == list(range(1, latest_version() + 1))
    out = ok("server", "init", url)
    assert "001_workspace" not in out and "Created an empty workspace" in out


def test_danish_texts(postgres) -> None:
    url = postgres.new_database_url()
    out = ok("--lang", "da", "server", "init", url)
    assert "Oprettede databasen" in out and "klar" in out


def test_no_password_is_stored_or_shown(postgres) -> None:
    import psycopg

    url = postgres.new_database_url()
    ok("server", "init", url)
    name, password = postgres.new_login("cai")
    ok("-w", url, "server", "user", "add", name, "--password-env", "P", env={"P": password})
    with psycopg.connect(url, autocommit=True) as conn:
        stored = conn.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s", (name,)).fetchone()[0]
    assert stored.startswith("SCRAM-SHA-256$4096:") and password not in stored
    store = Workspace.open(with_database(url, url.rsplit("/", 1)[1], user=name, password=password)).store
    assert store.display.count("***") == 1 and password not in store.display


def test_a_password_typed_at_the_danish_prompt_is_the_one_set(postgres) -> None:
    """``server user add --password-prompt`` in Danish: typed twice, hidden, asked again after a
    mismatch; the login then connects with it."""
    url = postgres.new_database_url()
    ok("server", "init", url)
    name, password = postgres.new_login("dina")
    typed = f"forkert\n{password}x\n{password}\n{password}\n"
    result = CliRunner().invoke(
        build_cli(),
        ["--lang", "da", "-w", url, "server", "user", "add", name, "--password-prompt"],
        input=typed,
    )
    assert result.exit_code == 0, result.output
    assert "Fejl: De to indtastninger er ikke ens." in result.stdout and password not in result.output
    dina = with_database(url, url.rsplit("/", 1)[1], user=name, password=password)
    assert json.loads(ok("-w", dina, "team", "list", "--json")) == []
