"""The command line's questions in the user's language (pdsa_cli.asking): ``[j/N]`` and the
answers j/ja/y/yes/n/nej/no in Danish, an unknown answer asked again, end of input as no (or
as the abort), click's ``Aborted!`` as ``Afbrudt.``, and user text in a question shown
literally. Each confirming command is run as a tovholder runs it, answers typed on stdin."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from pdsa_cli import asking, build_cli
from pdsa_core.domain.common import tolerating
from pdsa_core.workspace import Workspace

TEAM = "Psykiatrien Syd"
NODE = "Plan [bold]x[/] \x1b[31mrød"
#: how NODE is shown: brackets as typed, the escape character as a visible mark
NODE_SHOWN = "Plan [bold]x[/] ␛[31mrød"
ABORTED = {"da": "Afbrudt.", "en": "Aborted!"}


def pdsa(ws: Path, lang: str, *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(build_cli(), ["--workspace", str(ws), "--lang", lang, *args], input=input)


@pytest.fixture()
def diagram(workspace: Any, workspace_path: Path) -> tuple[Path, str]:
    """A team whose driver diagram has one primary driver with brackets and an escape code in
    its text (as an older version could have stored it). Returns (workspace file, node id)."""
    workspace.add_team(TEAM)
    with tolerating(None):
        node = workspace.add_node(TEAM, "primary", NODE)
    return workspace_path, node.id


def node_texts(ws: Path) -> list[str]:
    return [node.text for node in Workspace.open(ws).diagram(TEAM).nodes]


# -- driver delete: every answer -------------------------------------------------------------------
def test_the_danish_question_shows_the_text_literally_with_j_n(diagram: tuple[Path, str]) -> None:
    ws, node = diagram
    result = pdsa(ws, "da", "driver", "delete", "--team", TEAM, node, input="n\n")
    assert f'Slet primær driver "{NODE_SHOWN}"? [j/N]: ' in result.stdout
    assert "\x1b" not in result.output


def test_the_english_question_keeps_y_n(diagram: tuple[Path, str]) -> None:
    ws, node = diagram
    result = pdsa(ws, "en", "driver", "delete", "--team", TEAM, node, input="n\n")
    assert f'Delete primary driver "{NODE_SHOWN}"? [y/N]: ' in result.stdout
    assert "\x1b" not in result.output


@pytest.mark.parametrize(
    ("lang", "typed"),
    [
        ("da", "j"),
        ("da", "ja"),
        ("da", "y"),
        ("da", "JA"),
        ("da", " Yes "),
        ("en", "y"),
        ("en", "yes"),
        ("en", "j"),
    ],
)
def test_yes_in_either_language_deletes(diagram: tuple[Path, str], lang: str, typed: str) -> None:
    ws, node = diagram
    result = pdsa(ws, lang, "driver", "delete", "--team", TEAM, node, input=f"{typed}\n")
    assert result.exit_code == 0, result.output
    assert node_texts(ws) == []


@pytest.mark.parametrize(
    ("lang", "typed"),
    [
        ("da", "n"),
        ("da", "nej"),
        ("da", "NEJ"),
        ("da", ""),
        ("da", "no"),
        ("en", "n"),
        ("en", "no"),
        ("en", ""),
    ],
)
def test_no_or_an_empty_answer_aborts_and_changes_nothing(
    diagram: tuple[Path, str], lang: str, typed: str
) -> None:
    ws, node = diagram
    before = ws.read_bytes()
    result = pdsa(ws, lang, "driver", "delete", "--team", TEAM, node, input=f"{typed}\n")
    assert result.exit_code == 1
    assert result.stderr == f"{ABORTED[lang]}\n"
    assert ws.read_bytes() == before


@pytest.mark.parametrize(("lang", "hint"), [("da", "Svar j eller n."), ("en", "Answer y or n.")])
def test_an_unknown_answer_is_asked_again_with_a_hint(
    diagram: tuple[Path, str], lang: str, hint: str
) -> None:
    ws, node = diagram
    result = pdsa(ws, lang, "driver", "delete", "--team", TEAM, node, input="måske\nok\nj\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.count(hint) == 2
    assert result.stdout.count("[j/N]" if lang == "da" else "[y/N]") == 3
    assert node_texts(ws) == []


@pytest.mark.parametrize("lang", ["da", "en"])
def test_end_of_input_aborts_with_the_message_in_the_language(diagram: tuple[Path, str], lang: str) -> None:
    ws, node = diagram
    before = ws.read_bytes()
    for typed in ("", "hm\n"):  # nothing at all; an unknown answer, then the input ends
        result = pdsa(ws, lang, "driver", "delete", "--team", TEAM, node, input=typed)
        assert result.exit_code == 1
        assert result.stderr == f"{ABORTED[lang]}\n"
        assert result.stdout.endswith("\n")  # the question's line is ended
        assert ws.read_bytes() == before


def test_a_node_with_children_says_what_goes_with_it(diagram: tuple[Path, str]) -> None:
    ws, node = diagram
    Workspace.open(ws).add_node(TEAM, "secondary", "Under", parents=[node])
    result = pdsa(ws, "da", "driver", "delete", "--team", TEAM, node, input="j\n")
    assert result.exit_code == 0, result.output
    assert "slettes også (du kan fortryde med 'pdsa driver undo')" in result.stdout
    assert node_texts(ws) == []


def test_ctrl_c_during_a_command_is_aborted_in_danish(
    diagram: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, node = diagram

    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Workspace, "delete_node", interrupted)
    result = pdsa(ws, "da", "driver", "delete", "--team", TEAM, node, "--yes")
    assert (result.exit_code, result.stderr) == (1, "\nAfbrudt.\n")


def test_what_was_deleted_undone_and_the_history_are_told_in_the_language(diagram: tuple[Path, str]) -> None:
    ws, node = diagram
    deleted = pdsa(ws, "da", "driver", "delete", "--team", TEAM, node, input="ja\n")
    assert deleted.exit_code == 0, deleted.output
    assert deleted.stdout.endswith(f"Slettede primær driver «{NODE_SHOWN}»\n")
    undone = pdsa(ws, "da", "driver", "undo", "--team", TEAM)
    assert undone.stdout == f"Fortrudt: Slettede primær driver «{NODE_SHOWN}»\n"
    assert node_texts(ws) == [NODE]
    history = pdsa(ws, "da", "driver", "history", "--team", TEAM).stdout
    assert "Hvem" in history and "(fortrudt)" in history and "undone" not in history
    english = pdsa(ws, "en", "driver", "undo", "--team", TEAM)
    assert english.exit_code == 0 and english.stdout.startswith("Undone: added primary")  # the node's adding
    assert node_texts(ws) == []
    history = pdsa(ws, "en", "driver", "history", "--team", TEAM).stdout
    assert "Who" in history and "(undone)" in history and "Slettede" not in history


def test_no_other_module_asks_with_click() -> None:
    """One way to ask: ``click.confirm`` and ``click.prompt`` know only English answers and
    words, so every question of pdsa's command line goes through pdsa_cli.asking."""
    root = Path(__file__).resolve().parents[2]
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for folder in ("pdsa_cli", "plugins")
        for path in sorted((root / folder).rglob("*.py"))
        if path.name != "asking.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if any(
            call in line
            for call in ("click.confirm(", "click.prompt(", "prompt=True", "confirmation_option(")
        )
    ]
    assert offenders == []


# -- the helper itself ------------------------------------------------------------------------------
def test_the_answers_understood() -> None:
    for typed in ("j", "ja", "y", "yes", "J", "Ja", "YES", " ja "):
        assert asking.answer(typed, default=False) is True
    for typed in ("n", "nej", "no", "N", "Nej", "NO"):
        assert asking.answer(typed, default=True) is False
    assert asking.answer("", default=True) is True
    assert asking.answer("  ", default=False) is False
    for typed in ("jo", "ok", "1", "yess", "nja", "næ"):
        assert asking.answer(typed, default=False) is None


def test_ctrl_c_at_a_question_aborts_even_where_no_is_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(prompt: str) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(click.termui, "visible_prompt_func", interrupted)
    with pytest.raises(click.exceptions.Abort):
        asking.confirm("Skal de køres?")


def test_end_of_input_is_no_where_no_is_allowed_and_a_default_yes_reads_j(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from pdsa_core.i18n import set_language

    prompts: list[str] = []

    def closed(prompt: str) -> str:
        prompts.append(prompt)
        raise EOFError

    monkeypatch.setattr(click.termui, "visible_prompt_func", closed)
    set_language("da")
    assert asking.confirm("Fortsæt [x]?", default=True) is False
    assert prompts == ["Fortsæt [x]? [J/n]: "]
    assert capsys.readouterr().out == "\n"


# -- musiq remove ---------------------------------------------------------------------------------
@pytest.fixture()
def assessed(tmp_path: Path) -> tuple[Path, str]:
    """A team with one MUSIQ assessment. Returns (workspace file, assessment id)."""
    ws = tmp_path / "w.json"
    assert pdsa(ws, "en", "init").exit_code == 0
    assert pdsa(ws, "en", "team", "add", TEAM).exit_code == 0
    template = pdsa(ws, "en", "musiq", "template").stdout
    rows = list(csv.reader(io.StringIO(template)))
    for row in rows[1:]:
        row[1] = "4"
    ratings = tmp_path / "ratings.csv"
    with ratings.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    args = ("musiq", "new", "--team", TEAM, "--setting", "Afsnit [B]", "--ratings", str(ratings))
    saved = pdsa(ws, "en", *args, "--date", "2022-01-12")
    assert saved.exit_code == 0, saved.output
    (assessment,) = Workspace.open(ws).assessments(TEAM)
    return ws, assessment.id


def test_musiq_remove_asks_in_danish_and_j_removes(assessed: tuple[Path, str]) -> None:
    ws, assessment = assessed
    result = pdsa(ws, "da", "musiq", "remove", assessment, input="j\n")
    assert result.exit_code == 0, result.output
    assert f"Slet vurdering {assessment} (2022-01-12, Afsnit [B])? [j/N]: " in result.stdout
    assert Workspace.open(ws).assessments(TEAM) == []


@pytest.mark.parametrize(("lang", "typed"), [("da", "nej\n"), ("da", ""), ("en", "n\n"), ("en", "")])
def test_musiq_remove_declined_or_unanswered_keeps_it(
    assessed: tuple[Path, str], lang: str, typed: str
) -> None:
    ws, assessment = assessed
    before = ws.read_bytes()
    result = pdsa(ws, lang, "musiq", "remove", assessment, input=typed)
    assert (result.exit_code, result.stderr) == (1, f"{ABORTED[lang]}\n")
    assert ("Delete assessment" in result.stdout) is (lang == "en")
    assert ws.read_bytes() == before


# -- import: a no is not an abort -------------------------------------------------------------------
@pytest.fixture()
def importable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A workspace with an indicator and a file of its values; the import believes it is at a
    terminal (else it refuses without --yes). Returns (workspace file, data file)."""
    from pdsa_cli import import_cmds

    monkeypatch.setattr(import_cmds, "stdin_is_interactive", lambda: True)
    monkeypatch.setenv("PDSA_LOAD_PLUGINS", "")
    ws = tmp_path / "w.json"
    Workspace.create(ws).add_team(TEAM)
    Workspace.open(ws).add_indicator(TEAM, "R1", "Personer tvangsindlagt")
    data = tmp_path / "r1.csv"
    data.write_text("Måned;R1\n2022-01;5\n2022-02;4\n", encoding="utf-8")
    return ws, data


def stored_periods(ws: Path) -> list[str]:
    return [m.period for m in Workspace.open(ws).measurements(TEAM, "R1")]


@pytest.mark.parametrize("typed", ["j\n", "ja\n", "y\n", "hm\nja\n"])
def test_import_in_danish_writes_after_j(importable: tuple[Path, Path], typed: str) -> None:
    ws, data = importable
    result = pdsa(ws, "da", "import", str(data), "--team", TEAM, input=typed)
    assert result.exit_code == 0, result.output
    assert f"Skriv 2 værdier til {TEAM}? [j/N]: " in result.stdout
    assert ("Svar j eller n." in result.stdout) is typed.startswith("hm")
    assert stored_periods(ws) == ["2022-01", "2022-02"]


@pytest.mark.parametrize(
    ("lang", "typed"), [("da", "nej\n"), ("da", "\n"), ("da", ""), ("en", ""), ("en", "no\n")]
)
def test_import_declined_or_unanswered_writes_nothing_and_is_no_error(
    importable: tuple[Path, Path], lang: str, typed: str
) -> None:
    ws, data = importable
    before = ws.read_bytes()
    result = pdsa(ws, lang, "import", str(data), "--team", TEAM, input=typed)
    assert (result.exit_code, result.stderr) == (0, "")
    assert ("Intet er skrevet." if lang == "da" else "Nothing was written.") in result.stdout
    assert ws.read_bytes() == before


# -- plugins trust: yes is remembered, anything else aborts ---------------------------------------------
@pytest.fixture()
def plugins_folder(workspace_path: Path) -> Path:
    folder = workspace_path.parent / "plugins"
    folder.mkdir()
    (folder / "helper.py").write_text("X = 1\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("lang", "typed", "trusted"), [("da", "ja\n", True), ("da", "", False), ("en", "", False)]
)
def test_plugins_trust_asks_in_the_language(
    plugins_folder: Path, workspace_path: Path, lang: str, typed: str, trusted: bool
) -> None:
    from pdsa_core import plugin_trust

    result = pdsa(workspace_path, lang, "plugins", "trust", str(plugins_folder), input=typed)
    question = {"da": "skal de køres fremover? [j/N]: ", "en": "should they run from now on? [y/N]: "}
    assert question[lang] in result.stdout
    assert plugin_trust.is_trusted(plugins_folder) is trusted
    assert result.exit_code == (0 if trusted else 1)
    if not trusted:
        assert result.stderr == f"{ABORTED[lang]}\n"


@pytest.mark.parametrize(("typed", "trusted"), [("ja\n", True), ("nej\n", False), ("", False)])
def test_opening_the_tui_asks_in_danish_and_end_of_input_is_no(
    plugins_folder: Path, workspace_path: Path, monkeypatch: pytest.MonkeyPatch, typed: str, trusted: bool
) -> None:
    """Before the TUI opens on a workspace naming an untrusted folder: a no (or no answer) does
    not stop the TUI, it opens with the folder untrusted."""
    from pdsa_core import plugin_trust

    Workspace.create(workspace_path).update_settings(plugins_dir=plugins_folder.name)
    opened: list[bool] = []
    monkeypatch.setattr("pdsa_cli.context.at_terminal", lambda: True)
    monkeypatch.setattr("tui.app.run_app", lambda *_, **__: opened.append(True))
    result = pdsa(workspace_path, "da", input=typed)
    assert result.exit_code == 0, result.output
    assert "Har du set filerne igennem, og skal de køres fremover? [j/N]: " in result.stdout
    assert opened == [True]
    assert plugin_trust.is_trusted(plugins_folder) is trusted
    assert "Afbrudt." not in result.output


# -- server user add --password-prompt ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("lang", "repeat", "mismatch"),
    [
        ("da", "Gentag for at bekræfte: ", "Fejl: De to indtastninger er ikke ens."),
        ("en", "Repeat for confirmation: ", "Error: The two entered values do not match."),
    ],
)
def test_a_new_password_is_typed_twice_and_asked_again_until_both_agree(
    workspace_path: Path, lang: str, repeat: str, mismatch: str
) -> None:
    result = pdsa(
        workspace_path, lang, "server", "user", "add", "anne", "--password-prompt", input="a1\nb2\n\nc3\nc3\n"
    )
    prompt = {"da": "Adgangskode til anne: ", "en": "Password for anne: "}[lang]
    assert result.stdout.count(prompt) == 3  # once more after the mismatch, once more after nothing
    assert result.stdout.count(repeat) == 2
    assert result.stdout.count(mismatch) == 1
    assert "a1" not in result.output and "c3" not in result.output  # hidden
    assert result.exit_code != 0 and "PostgreSQL" in result.stderr  # then: this workspace is a file


@pytest.mark.parametrize("lang", ["da", "en"])
def test_a_password_prompt_at_end_of_input_aborts(workspace_path: Path, lang: str) -> None:
    for typed in ("", "a1\n"):
        result = pdsa(workspace_path, lang, "server", "user", "add", "anne", "--password-prompt", input=typed)
        assert (result.exit_code, result.stderr) == (1, f"{ABORTED[lang]}\n")
