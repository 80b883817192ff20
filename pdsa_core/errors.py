"""One error hierarchy for pdsa.

Every error a user can cause (bad input, a damaged workspace, a conflict, a broken
plugin) is a :class:`PdsaError`. The CLI prints these as one clear message on stderr,
without a traceback, and exits non-zero; the TUI shows them as notifications.
Anything else that escapes is a bug.
"""

from __future__ import annotations


class PdsaError(Exception):
    """Base class: a message meant for the user. ``where`` says which file, row or field."""

    exit_code = 1

    def __init__(self, message: str, *, where: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where

    def __str__(self) -> str:
        if self.where:
            return f"{self.where}: {self.message}"
        return self.message


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


class AccessDeniedError(PdsaError):
    """The user's role does not allow this (a shared workspace on a server enforces roles)."""

    exit_code = 10
