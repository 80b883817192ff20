"""Command help in the user's language.

English help stays in the code (docstrings and ``help=``). The Danish help of pdsa's own
commands is data: the catalogue ``help_da.toml`` beside this module, one table per command
path (``[commands."team add"]``, ``[commands.""]`` for ``pdsa`` itself) holding ``help``, an
optional ``short`` (the line in a group's command list) and each option's help keyed by its
first long name (``"--region"``); its ``[click]`` table holds click's own words (``Usage:``,
``Options`` …) and ``[click_errors]`` the forms of click's usage errors
(:class:`DanishUsageError`).

Click reads help when a command is built, before ``--lang`` is parsed, so the language is
chosen (:meth:`HelpLanguages.apply`) as soon as it is known: once before the root command
parses its arguments (:func:`start_language`: a ``--lang`` among the root's options, else
``PDSA_LANG`` or the locale, so ``PDSA_LANG=da pdsa --help`` and ``pdsa --help --lang da``
are Danish), and again in the eager ``--lang`` option's callback (:func:`choose_language`,
with what click parsed). The tree's texts are put into it (:meth:`HelpLanguages.show`) when
a help is formatted, so a command that shows none never reads the catalogue.
So ``pdsa --lang da team add --help`` is Danish, and ``--lang en`` gives the code's English.
Commands that plugins add keep their own help; only click's words around it follow the
language.
"""

from __future__ import annotations

import functools
import io
import re
import weakref
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

import click

from pdsa_core.i18n import LANGUAGES, get_language, set_language
from pdsa_core.literal import terminal

CATALOGUE = "help_da.toml"


@dataclass(frozen=True)
class Catalogue:
    """The Danish help: per command path its texts, and click's own words."""

    commands: dict[str, dict[str, str]]
    click_words: dict[str, str]
    click_errors: dict[str, str]


@functools.cache
def catalogue() -> Catalogue:
    """The Danish help catalogue (read once, from the installed package's data)."""
    import tomllib  # only when a help is shown: not on the way to the TUI's first screen
    from importlib import resources

    text = resources.files("pdsa_cli").joinpath(CATALOGUE).read_text(encoding="utf-8")
    data = tomllib.loads(text)
    return Catalogue(
        commands=data.get("commands", {}),
        click_words=data.get("click", {}),
        click_errors=data.get("click_errors", {}),
    )


def command_paths(command: click.Command, path: str = "") -> Iterator[tuple[str, click.Command]]:
    """Every command of the tree under ``command`` with its path (``""``, ``"team"``, ``"team add"`` …)."""
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from command_paths(sub, f"{path} {name}".strip())


def option_key(option: click.Option) -> str:
    """An option's key in the catalogue: its first long name (``--region``), else its first name."""
    names = [*option.opts, *option.secondary_opts]
    return next((name for name in names if name.startswith("--")), names[0])


@dataclass
class EnglishHelp:
    """One command's English help as the code gives it (restored for ``--lang en``)."""

    command: click.Command
    help: str | None
    short_help: str | None
    options: dict[str, tuple[click.Option, str | None]] = field(default_factory=dict)

    @classmethod
    def of(cls, command: click.Command) -> EnglishHelp:
        """The command's English, taken the first time: a command object built once (``spc``)
        is in several trees, and a later tree must not take its Danish for English."""
        english = _ENGLISH.get(command)
        if english is None:
            english = _ENGLISH[command] = cls(command, command.help, command.short_help)
            for param in command.params:
                if isinstance(param, click.Option):
                    english.options[option_key(param)] = (param, param.help)
        return english

    def show(self, danish: dict[str, str] | None) -> None:
        """Give the command its Danish texts (``danish``), or its English ones (None)."""
        texts = danish or {}
        self.command.help = texts.get("help", self.help)
        self.command.short_help = texts.get("short", self.short_help if danish is None else None)
        for key, (option, help_text) in self.options.items():
            option.help = texts.get(key, help_text)


_ENGLISH: weakref.WeakKeyDictionary[click.Command, EnglishHelp] = weakref.WeakKeyDictionary()


class HelpLanguages:
    """pdsa's own commands (taken when the tree is built, before plugins add theirs), whose
    help is put into Danish from the catalogue or back into English when help is shown.

    :meth:`apply` only records the language: the catalogue is read and the tree changed by
    :meth:`show`, which :class:`PdsaContext` calls before it formats a help, so a command that
    prints no help (a TUI start in Danish, ``team list``) never reads the catalogue (~9 ms).
    """

    def __init__(self, root: click.Group) -> None:
        self.root = root
        self._english: dict[str, EnglishHelp] | None = None
        self.wanted = self.shown = "en"  # the code's texts are English

    def take_own_commands(self) -> None:
        """Note pdsa's own commands as the tree holds them now, before plugins add theirs (the
        root's ``build_commands`` calls it; a tree built otherwise is taken when first needed)."""
        self._english = {path: EnglishHelp.of(command) for path, command in command_paths(self.root)}
        self._use_pdsa_context()

    @property
    def english(self) -> dict[str, EnglishHelp]:
        """pdsa's own commands by path, with their English help."""
        if self._english is None:
            _ = self.root.commands  # a root that builds its commands when asked builds them now
        if self._english is None:  # a tree built otherwise
            self.take_own_commands()
        return self._english or {}

    def apply(self, lang: str) -> None:
        self.wanted = lang

    def show(self) -> None:
        """Put the tree's help into the language last given to :meth:`apply`."""
        self._use_pdsa_context()  # commands plugins added since the tree was built
        if self.shown == self.wanted:
            return
        danish = catalogue().commands if self.wanted == "da" else None
        for path, english in self.english.items():
            english.show(danish.get(path, {}) if danish is not None else None)
        self.shown = self.wanted

    def _use_pdsa_context(self) -> None:
        for _path, command in command_paths(self.root):
            if command.context_class is click.Context:  # a plugin's own context class stays
                command.context_class = PdsaContext


def choose_language(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """The eager ``--lang`` option's callback: set the language (None: ``PDSA_LANG``, else the
    locale) and put the command tree's help into it before any later help is formatted."""
    set_language(value)
    languages = getattr(ctx.command, "help_languages", None)
    if isinstance(languages, HelpLanguages):
        languages.apply(get_language())
    return value


def start_language(group: click.Group, args: Sequence[str]) -> None:
    """Before the root command parses its arguments: the language of a ``--lang`` given
    before the subcommand, else ``PDSA_LANG`` or the locale, so that a help click prints
    while parsing is in it too (``pdsa --help --lang da``: the eager ``--help`` runs before
    ``--lang``'s callback, :func:`choose_language`, which then sets what click parsed)."""
    languages = getattr(group, "help_languages", None)
    if isinstance(languages, HelpLanguages):
        set_language(_lang_before_subcommand(group, args))
        languages.apply(get_language())


def _lang_before_subcommand(group: click.Group, args: Sequence[str]) -> str | None:
    """The valid value of the last ``--lang`` among the root's own options (None: none; a
    wrong value is left for click to refuse)."""
    takes_value = {
        name
        for param in group.params
        if isinstance(param, click.Option) and not param.is_flag and not param.count
        for name in param.opts
    }
    found = None
    i = 0
    while i < len(args) and args[i] != "--":
        if not args[i].startswith("-") and args[i] in group.commands:  # only a word is a command
            break
        if args[i].startswith("--lang="):
            found = args[i].partition("=")[2]
        elif args[i] in takes_value:
            if args[i] == "--lang" and i + 1 < len(args):
                found = args[i + 1]
            i += 1  # the option's value
        i += 1
    return found if found in LANGUAGES else None


def click_word(text: str) -> str:
    """One of click's own words (``Usage:``, ``Options`` …) in the current language."""
    if get_language() != "da":
        return text
    return catalogue().click_words.get(text, text)


#: the bracket click puts after an option's help: ``  [default: 6; required]``
_EXTRA = re.compile(r"\[([^\[\]]*)\]$")


def _option_help(text: str) -> str:
    """An option's help line with click's words translated: a whole text of click's own
    (``Show this message and exit.``) and the items of its trailing ``[…]``."""
    if get_language() != "da":
        return text
    words = catalogue().click_words
    if text in words:
        return words[text]
    match = _EXTRA.search(text)
    if match is None:
        return text
    items = []
    for item in match.group(1).split("; "):
        head, sep, rest = item.partition(": ")
        if sep and f"{head}:" in words:
            items.append(f"{words[head + ':']} {rest}")
        else:
            items.append(words.get(item, item))
    return f"{text[: match.start()]}[{'; '.join(items)}]"


class PdsaFormatter(click.HelpFormatter):
    """Click's help formatter with click's own words in the chosen language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix if prefix is not None else f"{click_word('Usage:')} ")

    def write_heading(self, heading: str) -> None:
        super().write_heading(click_word(heading))

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        super().write_dl([(term, _option_help(text)) for term, text in rows], col_max, col_spacing)


class PdsaContext(click.Context):
    """A click context whose help is in the chosen language (:meth:`HelpLanguages.show`) and
    uses :class:`PdsaFormatter`."""

    formatter_class = PdsaFormatter

    def get_help(self) -> str:
        languages = getattr(self.find_root().command, "help_languages", None)
        if isinstance(languages, HelpLanguages):
            languages.show()
        return super().get_help()


class DanishUsageError(click.UsageError):
    """A usage error in Danish: click shows it as always (its usage line already through
    :class:`PdsaFormatter`), and each line in a form the catalogue's ``[click_errors]`` has
    (``Try '…' for help.``, ``Error: …``, ``Missing option '…'.`` …) is given in Danish; a
    message of a form it lacks stays as click wrote it."""

    def __init__(self, error: click.UsageError) -> None:
        super().__init__(error.format_message(), error.ctx)
        self.error = error

    def show(self, file: IO[Any] | None = None) -> None:
        shown = io.StringIO()
        self.error.show(shown)
        lines = shown.getvalue().split("\n")
        text = "\n".join(danish_message(line) for line in lines)
        click.echo(terminal(text), file=file, err=True, nl=False)  # a value the user typed is in it


def in_language(error: click.ClickException) -> click.ClickException:
    """``error`` as it is shown in the current language (a usage error in Danish)."""
    if (
        isinstance(error, click.UsageError)
        and not isinstance(error, DanishUsageError)
        and get_language() == "da"
    ):
        return DanishUsageError(error)
    return error


@functools.cache
def _error_forms() -> list[tuple[re.Pattern[str], str]]:
    """The catalogue's forms of click's messages as patterns (``{name}`` matches any text)."""
    forms = []
    for english, danish in catalogue().click_errors.items():
        pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.+?)", re.escape(english))
        forms.append((re.compile(pattern, re.DOTALL), danish))
    return forms


def danish_message(text: str) -> str:
    """One of click's messages in Danish when the catalogue has its form; a ``{message}`` in
    it is translated in turn (``Invalid value for '--lang': 'fr' is not one of …``)."""
    for pattern, danish in _error_forms():
        match = pattern.fullmatch(text)
        if match is not None:
            values = match.groupdict()
            if "message" in values:
                values["message"] = danish_message(values["message"])
            return danish.format(**values)
    return text
