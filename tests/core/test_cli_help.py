"""The command line's help in Danish: the catalogue ``pdsa_cli/help_da.toml`` covers every
command and option of pdsa's own tree (found by walking it, so a new command without Danish
help fails here, named), names nothing that is gone, and is what ``--lang da`` /
``PDSA_LANG=da`` show; ``--lang en`` shows the English of the code, and a plugin's command
keeps its own help."""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from pdsa_cli import PdsaGroup, build_cli
from pdsa_cli.localized import EnglishHelp, catalogue, command_paths, danish_message, option_key
from pdsa_core import hookimpl, temporary_plugin


def run(*args: str, env: dict[str, str] | None = None, cli: click.Group | None = None) -> Result:
    result = CliRunner(env=env).invoke(cli or build_cli(), list(args), prog_name="pdsa")
    assert result.exit_code == 0, result.output
    return result


def flat(text: str) -> str:
    """The help with click's wrapping undone (the runner's terminal is 80 columns)."""
    return " ".join(text.split())


def own_commands() -> dict[str, click.Command]:
    """pdsa's own commands by path (those there before plugins add theirs)."""
    cli = build_cli()
    assert isinstance(cli, PdsaGroup) and cli.help_languages is not None
    own = set(cli.help_languages.english)
    return {path: command for path, command in command_paths(cli) if path in own}


def documented_options(command: click.Command) -> Iterator[tuple[str, click.Option]]:
    """The options ``--help`` shows, by their catalogue key."""
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            yield option_key(param), param


def test_every_command_and_option_has_danish_help() -> None:
    danish = catalogue().commands
    missing = []
    for path, command in own_commands().items():
        entry = danish.get(path)
        if entry is None:
            missing.append(f'[commands."{path}"]: no entry for the command "pdsa {path}"')
            continue
        if not entry.get("help"):
            missing.append(f'[commands."{path}"] help')
        missing += [
            f'[commands."{path}"] "{key}"' for key, _ in documented_options(command) if key not in entry
        ]
    assert not missing, "Danish help missing in pdsa_cli/help_da.toml:\n" + "\n".join(missing)
    assert len(own_commands()) > 90  # the walk found the tree (pdsa has ~100 commands)


def test_every_command_and_option_has_english_help() -> None:
    missing = [f"pdsa {path}".strip() for path, command in own_commands().items() if not command.help]
    missing += [
        f"pdsa {path} {key}".replace("  ", " ")
        for path, command in own_commands().items()
        for key, option in documented_options(command)
        if not option.help
    ]
    assert not missing, "no help in the code (docstring or help=) for:\n" + "\n".join(missing)


def test_the_catalogue_names_only_commands_and_options_that_exist() -> None:
    commands = own_commands()
    stale = []
    for path, entry in catalogue().commands.items():
        if path not in commands:
            stale.append(f'[commands."{path}"]: there is no command "pdsa {path}"')
            continue
        options = dict(documented_options(commands[path]))
        for key in entry:
            if key in ("help", "short"):
                continue
            if key not in options:
                stale.append(f'[commands."{path}"] "{key}": the command has no such option')
    assert not stale, "pdsa_cli/help_da.toml names what is gone:\n" + "\n".join(stale)


def test_danish_keeps_the_no_rewrap_paragraphs_of_the_english() -> None:
    danish = catalogue().commands
    for path, command in own_commands().items():
        english = command.help or ""
        assert danish[path].get("help", "").count("\b") == english.count("\b"), path


def test_pdsa_help_in_danish_lists_the_commands_in_danish() -> None:
    out = run("--lang", "da", "--help").output
    # click 8.5 writes "[COMMAND]" for a group that runs without one, 8.4 "COMMAND"
    assert re.match(r"Brug: pdsa \[OPTIONS\] \[?COMMAND\]? \[ARGS\]\.\.\.\n", out), out
    assert "Uden en kommando åbnes mødeskærmen (TUI) på dit arbejdsområde." in out
    assert "\nTilvalg:\n" in out and "\nKommandoer:\n" in out
    assert "Vis denne hjælp og afslut." in out and "Vis versionen og afslut." in out
    assert "team        Forbedringsteams." in out and "cycle       PDSA-cirkler." in out
    for english in ("Usage:", "Options:", "Commands:", "Show this message", "Add a team", "Teams ("):
        assert english not in out


def test_subcommand_help_in_danish_after_lang_on_the_root() -> None:
    out = run("--lang", "da", "team", "add", "--help").output
    assert out.startswith("Brug: pdsa team add [OPTIONS] NAME")
    assert "Opret et team." in out
    assert "En kommune i teamet (gentag)." in out and "'børne- og ungespor' eller andet." in out
    assert "--municipality TEXT" in out  # names and metavars stay


def test_pdsa_lang_da_gives_danish_help_without_lang() -> None:
    out = run("import", "events", "--help", env={"PDSA_LANG": "da"}).output
    assert "Saml et hændelsesudtræk (én række pr. tvangsepisode) til månedlige R1, R2, F1, F2." in flat(out)
    assert "Personnumre (CPR eller pseudonymer)" in flat(out)
    assert "Teamet, der importeres til.  [skal angives]" in out
    # the example lines are kept as they are, unwrapped
    example = "pdsa import events udtraek.csv --team Syd --population voksne.json --save-population voksne"
    assert f"\n  {example} --yes\n" in out
    root = run("--help", env={"PDSA_LANG": "da"}).output  # --help is eager: before --lang's callback
    assert root.startswith("Brug:") and "Forbedringsteams." in root


@pytest.mark.parametrize(
    ("args", "danish"),
    [
        (["--help", "--lang", "da"], True),
        (["-h", "--lang=da"], True),
        (["-w", "x.json", "--help", "--lang", "da"], True),
        (["--lang", "da", "--lang", "en", "--help"], False),
        (["--help", "--lang", "en"], False),
        (["--help", "--workspace", "--lang", "da"], False),  # "--lang" is the workspace's name
        (["--help", "team", "--lang", "da"], False),  # after the subcommand: the subcommand's option
    ],
)
def test_lang_anywhere_before_the_subcommand(args: list[str], danish: bool) -> None:
    out = run(*args, env={"PDSA_LANG": "en"}).output
    assert out.startswith("Brug:" if danish else "Usage:"), out


def test_english_help_is_the_code_s_even_after_danish_on_the_same_tree() -> None:
    cli = build_cli()
    assert "Opret et team." in run("--lang", "da", "team", "add", "--help", cli=cli).output
    out = run("--lang", "en", "team", "add", "--help", cli=cli).output
    assert out.startswith("Usage: pdsa team add") and "Add a team." in out
    assert "A municipality in the team (repeat)." in out and "Show this message and exit." in out
    assert "Opret" not in out and "Tilvalg" not in out
    listing = run("--lang", "en", "--help", cli=cli).output
    assert "team        Teams (forbedringsteams)." in listing
    spc = run("--lang", "en", "spc", "analyze", "--help", cli=build_cli()).output  # spc is built once
    assert "Analyse the chart in FILE.csv" in spc


def test_indicator_update_and_remove_use_the_catalogue() -> None:
    da = run("--lang", "da", "indicator", "--help").output
    assert "Ret en indikator" in da and "Fjern en indikator" in da
    en = run("--lang", "en", "indicator", "update", "--help").output
    assert "Change an indicator" in en and "help.ind" not in en


class _Greeter:
    """A plugin adding a command with its own (Danish) help and one to pdsa's import group."""

    @hookimpl
    def register_commands(self, cli: Any) -> None:
        @cli.command(name="hilsen")
        @click.option("--navn", help="Hvem der hilses på.")
        def hilsen(navn: str | None) -> None:
            """Sig goddag fra regionens plugin."""

        @cli.commands["import"].command(name="region-file")
        def region_file() -> None:
            """Read the region's own file."""


@pytest.mark.parametrize("lang", ["da", "en"])
def test_a_plugin_command_keeps_its_own_help(lang: str) -> None:
    with temporary_plugin(_Greeter(), "greeter"):
        cli = build_cli()
        listing = run("--lang", lang, "--help", cli=cli).output
        assert "hilsen      Sig goddag fra regionens plugin." in listing
        out = run("--lang", lang, "hilsen", "--help", cli=cli).output
        assert "Sig goddag fra regionens plugin." in out and "Hvem der hilses på." in out
        assert ("Tilvalg:" if lang == "da" else "Options:") in out  # click's words follow the language
        sub = run("--lang", lang, "import", "--help", cli=cli).output
        assert "region-file  Read the region's own file." in sub
        assert ("Importér en måletabel" if lang == "da" else "Import a measurement table") in sub


def test_an_entry_s_short_help_is_the_line_in_the_group_s_list() -> None:
    @click.command(short_help="Short.")
    @click.option("--team", help="The team.")
    def command(team: str | None) -> None:
        """A long English help."""

    english = EnglishHelp.of(command)
    english.show({"help": "En lang dansk hjælp.", "short": "Kort.", "--team": "Teamet."})
    assert (command.help, command.get_short_help_str(), command.params[0].help) == (
        "En lang dansk hjælp.",
        "Kort.",
        "Teamet.",
    )
    english.show({"help": "Uden kort linje. Mere."})  # no "short": made from the Danish help
    assert command.get_short_help_str() == "Uden kort linje."
    english.show(None)
    assert (command.help, command.short_help, command.params[0].help) == (
        "A long English help.",
        "Short.",
        "The team.",
    )


def refusal(*args: str) -> list[str]:
    result = CliRunner().invoke(build_cli(), list(args), prog_name="pdsa")
    assert result.exit_code == 2, result.output
    return [line for line in result.stderr.splitlines() if line]


def test_usage_errors_in_danish() -> None:
    assert refusal("--lang", "da", "team", "add") == [
        "Brug: pdsa team add [OPTIONS] NAME",
        "Prøv 'pdsa team add --help' for at få hjælp.",
        "Fejl: Argumentet 'NAME' mangler.",
    ]
    wrong = refusal("--lang", "da", "report", "status", "--team", "x", "--format", "pdf")
    assert wrong[-1] == "Fejl: Ugyldig værdi for '--format': 'pdf' er ikke en af 'html', 'md'."
    assert refusal("--lang", "da", "tem")[-1] == "Fejl: Kommandoen 'tem' findes ikke. Mente du 'team'?"
    unknown = refusal("--lang", "da", "data", "add", "--team", "x", "--indicator", "R1", "--bogus")
    assert unknown[-1] == "Fejl: Tilvalget '--bogus' findes ikke."
    assert refusal("--lang", "en", "team", "add") == [
        "Usage: pdsa team add [OPTIONS] NAME",
        "Try 'pdsa team add --help' for help.",
        "Error: Missing argument 'NAME'.",
    ]


def test_a_message_of_a_form_the_catalogue_lacks_stays_as_click_wrote_it() -> None:
    assert danish_message("Error: Something click says one day.") == "Fejl: Something click says one day."
    assert danish_message("Something click says one day.") == "Something click says one day."


def test_every_danish_error_form_keeps_the_english_placeholders() -> None:
    def fields(form: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(form) if name}

    for english, danish in catalogue().click_errors.items():
        assert fields(danish) == fields(english), english
