"""One error hierarchy for pdsa.

Every error a user can cause (bad input, a damaged workspace, a conflict, a broken
plugin) is a :class:`PdsaError`. The CLI prints these as one clear message on stderr,
without a traceback, and exits non-zero; the TUI shows them as notifications.
Anything else that escapes is a bug.

A message is written in English and, where a user can meet it, also in Danish
(``da=``): ``str(exc)`` and :meth:`PdsaError.text` give it in the current language
(:func:`pdsa_core.i18n.get_language`), so the CLI's ``Fejl: …`` and the TUI's
notifications speak the user's language. ``exc.message`` is always the English text.
"""

from __future__ import annotations

import re

from pdsa_core.i18n import get_language
from pdsa_core.redaction import redact

# the scheme is bounded ({0,39}): unbounded, every start in a long run of letters scanned to
# its end, and a 100,000-character message took minutes (found by tests/core/test_cli_fuzz.py)
_URL_PASSWORD = re.compile(
    r"(?P<head>[a-z][a-z0-9+.\-]{0,39}://[^:/?#@\s]*:)(?P<secret>[^@/\s]*)@", re.IGNORECASE
)
_KEYWORD_PASSWORD = re.compile(r"(?P<head>\bpassword\s*=\s*)(?P<secret>'[^']*'|\S+)", re.IGNORECASE)


def redact_text(text: str) -> str:
    """``text`` with every password in an address (``user:SECRET@host``) or a connection string
    (``password=SECRET``) replaced by ``***``, and every CPR-shaped number too (an extract's file
    name may hold one, and a refusal names the file). Every error message passes through here."""
    if not text:
        return text
    text = redact(text)
    if "@" not in text and "=" not in text:
        return text
    text = _URL_PASSWORD.sub(lambda m: f"{m['head']}***@", text)
    return _KEYWORD_PASSWORD.sub(lambda m: f"{m['head']}***", text)


class PdsaError(Exception):
    """Base class: a message meant for the user. ``where`` says which file, row or field.

    ``message`` is the English text, ``da`` (kept as ``message_da``) the Danish one;
    without ``da`` the English text is shown in every language.
    """

    exit_code = 1

    def __init__(self, message: str, *, where: str | None = None, da: str | None = None) -> None:
        # no error path shows a password: addresses are redacted here, centrally
        message = redact_text(message)
        super().__init__(message)
        self.message = message
        self.message_da = redact_text(da) if da else da
        # a place is one line: a name holding a newline shows it as U+240A
        self.where = redact_text(where).replace("\n", "\u240a") if where else where

    def text(self, lang: str | None = None) -> str:
        """The message in ``lang`` (default: the current language), prefixed by ``where``."""
        message = self.message
        if self.message_da and (lang or get_language()) == "da":
            message = self.message_da
        if self.where:
            return f"{self.where}: {message}"
        return message

    def __str__(self) -> str:
        return self.text()


class ValidationError(PdsaError):
    """A value given by a user, a file or a plugin breaks a rule of the domain."""

    exit_code = 2


class NotFoundError(PdsaError):
    """A team, indicator, cycle or other record named by the user does not exist."""

    exit_code = 3


class DuplicateError(PdsaError):
    """A record with the same key already exists."""

    exit_code = 4


class WorkspaceError(PdsaError):
    """The workspace file cannot be used: missing, damaged, foreign, or too new."""

    exit_code = 5


class ConnectionLostError(WorkspaceError):
    """The workspace's server cannot be reached (down, network gone): nothing was read or saved."""


class ConflictError(PdsaError):
    """Another process or user changed the same thing since it was read."""

    exit_code = 6


class DataImportError(PdsaError):
    """A data file cannot be imported as asked (rows unreadable, mapping incomplete)."""

    exit_code = 7


class SourceError(PdsaError):
    """A data source (a web API, a municipal system) could not be reached or answered badly."""

    exit_code = 8


class PluginError(PdsaError):
    """A plugin failed to load or registered something invalid."""

    exit_code = 9


class OutputError(PdsaError):
    """A file the user asked for cannot be written there (not a regular file, no folder,
    no permission, a full disk); nothing was written."""

    exit_code = 11


class AccessDeniedError(PdsaError):
    """The user's role does not allow this (a shared workspace on a server enforces roles)."""

    exit_code = 10
