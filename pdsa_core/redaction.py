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

# pdsa's own record ids (``workspace.time_ordered_id``: a prefix, then 11 hex digits of the
# creation time in milliseconds and 5 more) may hold ten decimal digits in a row by chance
# (``pdsa-1a24f9916430732c``); a message naming the record must show the id whole
_RECORD_ID_OR_CPR = re.compile(
    r"(?<![0-9A-Za-z_-])(?P<id>[a-z][a-z0-9_]{0,19}-(?P<hex>[0-9a-f]{16}))(?![0-9A-Za-z_])"
    r"|" + _CPR_IN_TEXT.pattern
)
_ID_TIMES_MS = range(1_577_836_800_000, 4_102_444_800_000)  # made 2020-01-01 .. 2100-01-01


def _redacted(match: re.Match[str]) -> str:
    if match["id"] is None:
        return "***"
    if int(match["hex"][:11], 16) in _ID_TIMES_MS:
        return match["id"]
    return _CPR_IN_TEXT.sub("***", match["id"])


def redact(text: str) -> str:
    """``text`` with every CPR-shaped number replaced by ``***``; pdsa's record ids are kept."""
    if not _CPR_IN_TEXT.search(text):
        return text
    return _RECORD_ID_OR_CPR.sub(_redacted, text)


def redact_optional(text: str | None) -> str | None:
    """A header text or column name fit to show or save: CPR-shaped numbers removed."""
    return None if text is None else redact(str(text))
