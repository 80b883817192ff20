"""How numbers are written for people: one helper for the command line, the TUI and reports."""

from __future__ import annotations

__all__ = ["fmt_number"]


def fmt_number(value: float | None) -> str:
    """3.0 -> "3", 0.4567 -> "0.4567", None -> "–"."""
    if value is None:
        return "–"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.4g}"
