"""CPR-shaped numbers taken out of text before it is shown or saved.

Text that came from an extract (a header line, a cell quoted in a message, an event
kind) may hold a person's CPR number; everything the importing package shows, logs or
stores passes through :func:`redact` first, and so does what the workspace keeps of a
source (services, extension types). It imports nothing of pdsa, so every layer may use
it; the importer's reader of identifiers is :mod:`pdsa_core.importing.identifiers`.
"""

from __future__ import annotations

import re

_CPR_IN_TEXT = re.compile(r"(?<!\d)\d{6}[- ]?\d{3,4}(?!\d)")


def redact(text: str) -> str:
    """``text`` with every CPR-shaped number replaced by ``***``."""
    return _CPR_IN_TEXT.sub("***", text)


def redact_optional(text: str | None) -> str | None:
    """A header text or column name fit to show or save: CPR-shaped numbers removed."""
    return None if text is None else redact(str(text))
