"""User text on the command line exactly as typed: brackets are never markup, and no
escape sequence stored in a workspace reaches the terminal (issue 17, item 1).

The commands run as a person runs them (``python -m pdsa_cli`` in a subprocess, wide
terminal), and the bytes they write are checked."""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pdsa_core.domain.common import tolerating

BRACKETS = "Psykiatri Nord [/] Syd [antal]"
#: clears the screen, then an OSC 8 hyperlink to a local file, then a C1 CSI and a bidi override
HOSTILE = "Ond\x1b[2J \x1b]8;;file:///etc/passwd\x07link\x1b]8;;\x07 \x9b31m \u202eevil"


def pdsa(workspace: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "COLUMNS": "250", "PDSA_LANG": "en", "PDSA_WORKSPACE": str(workspace)}
    env.pop("PDSA_PLUGINS_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "pdsa_cli", *args], capture_output=True, env=env, timeout=120, check=False
    )


def assert_no_escapes(data: bytes) -> None:
    text = data.decode("utf-8")
    assert "\x1b" not in text
    assert "\x9b" not in text
    assert "\u202e" not in text
    assert "\x07" not in text


def strings(data: object) -> list[str]:
    """Every string in parsed JSON."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        data = list(data.values())
    return [s for item in data for s in strings(item)] if isinstance(data, list) else []


@pytest.fixture()
def brackets_ws(workspace: object, workspace_path: Path) -> Path:
    ws = workspace
    ws.add_team(BRACKETS, region="Region Sjælland", municipalities=["Køge [Udkast]"])  # type: ignore[attr-defined]
    ws.add_member(BRACKETS, "Anne [bold]x", "tovholder")  # type: ignore[attr-defined]
    ws.add_indicator(BRACKETS, "R1", "Tvang [antal] \\[x]")  # type: ignore[attr-defined]
    ws.set_aim(BRACKETS, "[@click=app.quit]q[/] færre [b]bælter[/b]")  # type: ignore[attr-defined]
    node = ws.add_node(BRACKETS, "primary", "Plan [/] B")  # type: ignore[attr-defined]
    assert node is not None
    return workspace_path


@pytest.fixture()
def hostile_ws(workspace: object, workspace_path: Path) -> Path:
    """Text with escape sequences as an older version (or a plugin) could have stored it."""
    ws = workspace
    with tolerating(None):
        ws.add_team(HOSTILE)  # type: ignore[attr-defined]
        ws.add_member(HOSTILE, HOSTILE)  # type: ignore[attr-defined]
        ws.add_indicator(HOSTILE, "R1", HOSTILE)  # type: ignore[attr-defined]
        ws.set_aim(HOSTILE, HOSTILE)  # type: ignore[attr-defined]
        ws.add_node(HOSTILE, "primary", HOSTILE)  # type: ignore[attr-defined]
    return workspace_path


def test_team_list_and_show_print_brackets_exactly(brackets_ws: Path) -> None:
    listed = pdsa(brackets_ws, "team", "list")
    assert listed.returncode == 0, listed.stderr.decode()
    assert BRACKETS in listed.stdout.decode()
    assert "Køge [Udkast]" in listed.stdout.decode()
    shown = pdsa(brackets_ws, "team", "show", BRACKETS)
    assert shown.returncode == 0, shown.stderr.decode()
    out = shown.stdout.decode()
    assert out.splitlines()[0].startswith(BRACKETS)
    assert "Anne [bold]x" in out
    assert "Tvang [antal] \\[x]" in out
    assert "[@click=app.quit]q[/] færre [b]bælter[/b]" in out


def test_driver_show_prints_brackets_exactly(brackets_ws: Path) -> None:
    shown = pdsa(brackets_ws, "driver", "show", "--team", BRACKETS)
    assert shown.returncode == 0, shown.stderr.decode()
    out = shown.stdout.decode()
    assert "[@click=app.quit]q[/] færre [b]bælter[/b]" in out
    assert "Plan [/] B" in out


def test_brackets_in_messages_and_indicator_list(brackets_ws: Path) -> None:
    added = pdsa(brackets_ws, "driver", "aim", "--team", BRACKETS, "Mål [antal] [/]")
    assert added.returncode == 0, added.stderr.decode()
    assert "Mål [antal] [/]" in added.stdout.decode()
    listed = pdsa(brackets_ws, "indicator", "list", "--team", BRACKETS)
    assert listed.returncode == 0, listed.stderr.decode()
    assert "Tvang [antal] \\[x]" in listed.stdout.decode()


@pytest.mark.parametrize(
    "args",
    [
        ("team", "list"),
        ("team", "show", "Ond"),
        ("indicator", "list", "--team", "Ond"),
        ("driver", "show", "--team", "Ond"),
        ("team", "member", "Ond", "Bo"),
        ("team", "list", "--json"),
        ("driver", "show", "--team", "Ond", "--json"),
    ],
)
def test_no_escape_byte_from_stored_text_reaches_the_terminal(
    hostile_ws: Path, args: tuple[str, ...]
) -> None:
    result = pdsa(hostile_ws, *args)
    assert result.returncode == 0, result.stderr.decode()
    assert_no_escapes(result.stdout)
    assert_no_escapes(result.stderr)
    if "--json" in args:  # the data are exactly what is stored, as JSON escapes
        assert HOSTILE in strings(json.loads(result.stdout))
    else:
        assert "␛[2J" in result.stdout.decode()  # shown, not obeyed


def test_wrote_messages_and_errors_show_escapes_visibly(hostile_ws: Path, tmp_path: Path) -> None:
    target = tmp_path / "out\x1b[2J.json"
    written = pdsa(hostile_ws, "export", "--format", "xlsx", "--team", "Ond", "-o", str(target) + ".xlsx")
    assert_no_escapes(written.stdout)
    assert_no_escapes(written.stderr)
    missing = pdsa(hostile_ws, "team", "show", "Nobody\x1b[2J")
    assert missing.returncode != 0
    assert_no_escapes(missing.stderr)
    usage = pdsa(hostile_ws, "team", "list", "extra\x1b]8;;file:///etc/passwd\x07")
    assert usage.returncode != 0
    assert_no_escapes(usage.stderr)
    assert "␛" in usage.stderr.decode()


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_reports_on_stdout_carry_no_escape(hostile_ws: Path, fmt: str) -> None:
    result = pdsa(hostile_ws, "report", "status", "--team", "Ond", "--format", fmt)
    assert result.returncode == 0, result.stderr.decode()
    assert_no_escapes(result.stdout)
    assert_no_escapes(result.stderr)
    assert "Ond" in result.stdout.decode()


def test_meeting_minutes_show_user_text_as_typed(workspace: object) -> None:
    """The minutes are Markdown (the TUI renders them, ``meeting close -o`` writes them): a name
    or an action can never become a link, emphasis, a table column or HTML."""
    from markdown_it import MarkdownIt

    from pdsa_core.meetings import add_action, close_meeting, record_decision, start_meeting

    ws: Any = workspace
    team = ws.add_team(BRACKETS)
    link = "[klik](javascript:alert(1))"
    meeting = start_meeting(ws, team.id, "2023-05-02", [link, "*Bo*"])
    record_decision(ws, meeting.id, "Fortsæt <script>x</script> med _alle_ | [antal]")
    add_action(ws, meeting.id, "Ring | til `kommunen`", owner="<b>Anne</b>", due="2023-06-01")
    text = close_meeting(ws, meeting.id, lang="en")
    rendered = MarkdownIt("commonmark", {"html": True}).enable(["table"]).render(text)
    assert "<a " not in rendered and "<script>" not in rendered and "<em>" not in rendered
    assert "<b>" not in rendered
    plain = html.unescape(rendered)
    for typed in (BRACKETS, link, "*Bo*", "Fortsæt <script>x</script> med _alle_ | [antal]", "<b>Anne</b>"):
        assert typed in plain, typed
    assert "Ring | til `kommunen`" in plain


def test_the_cli_writes_lines_only_through_the_literal_helpers() -> None:
    """A new ``click.echo`` of user text would bypass pdsa_cli.output.echo (and so
    pdsa_core.literal): outside output.py every one must make its text visible itself."""
    root = Path(__file__).resolve().parents[2] / "pdsa_cli"
    offenders = []
    for path in sorted(root.glob("*.py")):
        if path.name == "output.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if ("click.echo(" in line or "click.secho(" in line) and "terminal(" not in line:
                offenders.append(f"{path.name}:{number}: {line.strip()}")
            if "rich.markup" in line or "from_markup" in line:
                offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert offenders == []
