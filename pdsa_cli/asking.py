"""Questions at the terminal, in the user's language: yes or no (:func:`confirm`), and a new
password typed twice (:func:`new_password`).

Every question of the command line is asked here, not with ``click.confirm`` or
``click.prompt``: click knows only the English answers y/yes/n/no and writes its own English
words (``[y/N]``, ``Error: invalid input``, ``Repeat for confirmation``). A Danish tovholder
sees ``[j/N]`` and may answer j, ja, y, yes, n, nej or no (any case, in either language).

The question may hold user text (a driver's text): it is shown through
:func:`pdsa_core.literal.terminal`, so brackets stay brackets and no escape sequence reaches
the terminal. A line is read with click's own prompt functions (looked up at each call), so
click's ``CliRunner`` can answer in tests.

End of input (stdin closed, Ctrl-D) is "no" to a question that may be declined, and aborts
one whose no would abort (``abort=True``) or that needs an answer (a password); Ctrl-C always
aborts. An abort is :class:`click.exceptions.Abort`, which :class:`pdsa_cli.context.PdsaGroup`
shows as ``Afbrudt.`` / ``Aborted!`` with exit code 1.
"""

from __future__ import annotations

import click

from pdsa_cli.output import echo
from pdsa_core.i18n import add_texts, t
from pdsa_core.literal import terminal

add_texts(
    {
        "ask.default_no": ("[j/N]", "[y/N]"),
        "ask.default_yes": ("[J/n]", "[Y/n]"),
        "ask.hint": ("Svar j eller n.", "Answer y or n."),
        "ask.repeat": ("Gentag for at bekræfte", "Repeat for confirmation"),
        "ask.mismatch": ("De to indtastninger er ikke ens.", "The two entered values do not match."),
    }
)

#: the answers understood in either language (compared in lower case, without spaces around)
YES = frozenset({"j", "ja", "y", "yes"})
NO = frozenset({"n", "nej", "no"})


def answer(typed: str, default: bool) -> bool | None:
    """What a typed answer means: True (yes), False (no), None (not understood).

    An empty answer is ``default``."""
    value = typed.strip().lower()
    if not value:
        return default
    if value in YES:
        return True
    if value in NO:
        return False
    return None


def confirm(question: str, *, default: bool = False, abort: bool = False) -> bool:
    """Ask ``question`` until it is answered yes or no; return the answer.

    ``default`` is the answer to an empty line (shown as the capital in ``[j/N]``). With
    ``abort`` a no aborts the command (:class:`click.exceptions.Abort`). End of input is no.
    """
    suffix = t("ask.default_yes" if default else "ask.default_no")
    prompt = f"{terminal(question)} {suffix}: "
    while True:
        typed = _read_line(prompt)
        meant = False if typed is None else answer(typed, default)
        if meant is not None:
            break
        echo(t("ask.hint"))
    if abort and not meant:
        raise click.exceptions.Abort()
    return meant


def new_password(question: str) -> str:
    """A password typed twice without being shown, asked again until both agree.

    An empty one is asked again (``--no-password`` is the way to have none); end of input
    aborts."""
    while True:
        first = _read_line(f"{terminal(question)}: ", hidden=True)
        if first is None:
            raise click.exceptions.Abort()
        if not first:
            continue
        second = _read_line(f"{t('ask.repeat')}: ", hidden=True)
        if second is None:
            raise click.exceptions.Abort()
        if first == second:
            return first
        echo(f"{t('error')}: {t('ask.mismatch')}")


def _read_line(prompt: str, *, hidden: bool = False) -> str | None:
    """One line typed after ``prompt`` (None at end of input); Ctrl-C aborts."""
    read = click.termui.hidden_prompt_func if hidden else click.termui.visible_prompt_func
    try:
        return read(prompt)
    except EOFError:
        echo()  # what follows starts on a line of its own, not after the question
        return None
    except KeyboardInterrupt:
        echo()
        raise click.exceptions.Abort() from None
