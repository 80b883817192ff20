"""How values and verdicts are written on screen (presentation only, no statistics)."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from pdsa_core import formatting
from pdsa_core.i18n import get_language, t

#: a meaning's variation -> its colour, after NHS England's "Making Data Count" icons (blue
#: improvement, orange concern, purple a signal without a direction, grey common cause). The
#: symbol (▲ ▼ ◆ ≈ …) says the same without colour. The charts use the same colours.
MEANING_COLORS = {
    "improvement": "#3d9df3",
    "concern": "#ff8c1a",
    "neither": "#c77dff",
    "common_cause": "#a8a8a8",
    "too_few": "#a8a8a8",
}
MEANING_STYLES = {
    "improvement": f"bold {MEANING_COLORS['improvement']}",
    "concern": f"bold {MEANING_COLORS['concern']}",
    "neither": f"bold {MEANING_COLORS['neither']}",
    "common_cause": MEANING_COLORS["common_cause"],
    "too_few": f"italic {MEANING_COLORS['too_few']}",
}
#: an assurance -> its colour (the symbol ✓ ✗ ? says the same)
ASSURANCE_STYLES = {
    "pass": MEANING_COLORS["improvement"],
    "fail": MEANING_COLORS["concern"],
    "hit_and_miss": MEANING_COLORS["common_cause"],
}


def fmt_value(value: float | None, unit: str) -> str:
    """A count as a whole number, a proportion as a percentage, a rate with up to 4 digits,
    with the decimal comma in Danish (:func:`pdsa_core.formatting.fmt_value`)."""
    if value is None:
        return t("tui.none")
    return formatting.fmt_value(value, unit)


def fmt_number(value: float | None, *, decimals: int | None = None) -> str:
    """A number in the current language ("2,5" in Danish)."""
    return formatting.fmt_number(value, decimals=decimals)


def meaning_of(reading: Any) -> dict[str, Any] | None:
    """The meaning as plain data from a :class:`~pdsa_core.spc.meaning.Meaning`, an analysis'
    ``summary()`` (its ``"meaning"``) or the meaning dict itself; None when there is none."""
    if reading is None:
        return None
    if hasattr(reading, "to_dict"):
        return dict(reading.to_dict())
    if isinstance(reading, dict):
        inner = reading.get("meaning")
        if isinstance(inner, dict):
            return inner
        if "variation" in reading:
            return reading
    return None


def meaning_text(
    reading: Any, *, short: bool = False, assurance: bool = True, words: str | None = None
) -> Text:
    """Better or worse in words, colour and a symbol: "▲ Forbedring · ✓ Målet nås stabilt".

    ``short`` gives the table form ("▲ Forbedring ✓"); ``words`` replaces the word (the
    indicator view says "… For få datapunkter (2 af mindst 10)"). The one way every screen
    (dashboard, indicator view, meeting agenda) shows a verdict's meaning; the words come
    from the core.
    """
    meaning = meaning_of(reading)
    if meaning is None:
        return Text(t("tui.none"), style="dim")
    lang = get_language()
    variation = str(meaning["variation"])
    word = (
        words or meaning.get(f"short_{lang}" if short else f"word_{lang}") or meaning.get(f"word_{lang}", "")
    )
    text = Text()
    text.append(f"{meaning['symbol']} {word}", style=MEANING_STYLES.get(variation, ""))
    kind = meaning.get("assurance")
    if assurance and kind:
        symbol = meaning.get("assurance_symbol") or ""
        style = ASSURANCE_STYLES.get(str(kind), "")
        if short:
            text.append(f" {symbol}", style=style)
        else:
            text.append(" · ")
            text.append(f"{symbol} {meaning.get(f'assurance_{lang}') or ''}", style=style)
    return text


def meaning_class(reading: Any) -> str:
    """The CSS class of a meaning (``-improvement``, ``-concern``, ``-neither``, ``-common``,
    ``-too-few``), or ``-no-verdict``."""
    meaning = meaning_of(reading)
    if meaning is None:
        return "-no-verdict"
    return str(meaning.get("css") or "-no-verdict")


def source_text(source: str, source_file: str = "") -> str:
    """Where a value came from: its file, else its kind in the current language ("manual" is
    "indtastet" in Danish); a kind without a text (a plugin's own) as it is stored."""
    if source_file:
        return source_file
    key = f"tui.source.{source}"
    label = t(key)
    return source if label == key else label


def month_ranges(periods: list[str]) -> str:
    """["2023-01", "2023-02", "2023-03", "2023-07"] -> "2023-01..2023-03, 2023-07"."""
    from pdsa_core.domain.common import period_index

    runs: list[list[str]] = []
    for period in periods:
        if runs and period_index(period) == period_index(runs[-1][-1]) + 1:
            runs[-1].append(period)
        else:
            runs.append([period])
    return ", ".join(run[0] if len(run) == 1 else f"{run[0]}..{run[-1]}" for run in runs)


def verdict_text(verdict: dict[str, Any] | None) -> str:
    """The verdict in words in the current language (the core writes both)."""
    if not verdict:
        return ""
    lang = get_language()
    return str(verdict.get(f"text_{lang}") or verdict.get("text_da") or verdict.get("text") or "")


def local_name(item: dict[str, Any] | Any) -> str:
    """``name_en`` in English when there is one, else ``name_da``."""
    get = item.get if isinstance(item, dict) else lambda k, d="": getattr(item, k, d)
    if get_language() == "en" and get("name_en", ""):
        return str(get("name_en", ""))
    return str(get("name_da", ""))


def reading_line(verdict: dict[str, Any]) -> Text:
    """A verdict summary in one line: "▲ Forbedring — Ikke-tilfældig variation: længste serie
    17 punkter (grænse 9)" for a signal, "≈ Tilfældig variation" or "… For få datapunkter (2
    af mindst 10)" otherwise."""
    meaning = meaning_of(verdict)
    words = verdict_text(verdict)
    if meaning is None:
        return Text(words)
    if meaning["variation"] in ("improvement", "concern", "neither"):
        line = meaning_text(meaning)
        line.append(" — ")
        line.append(words)
        return line
    return meaning_text(meaning, words=words)


def wrap_words(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters, broken between words.

    A word longer than a line ("Udskrivningsaftaler/koordinationsplaner" in a board column)
    is broken after a "/" or "-" in it where it can be, else with a hyphen, never silently
    in the middle as a terminal's own wrapping does.
    """
    width = max(2, width)
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            for number, piece in enumerate(_word_pieces(word, width)):
                if not line:
                    line = piece
                elif number == 0 and len(line) + 1 + len(piece) <= width:
                    line = f"{line} {piece}"
                else:  # a new line, and always for the rest of a broken word
                    lines.append(line)
                    line = piece
        lines.append(line)
    return lines


def _word_pieces(word: str, width: int) -> list[str]:
    """A word cut into pieces that each fit ``width``: after "/" or "-", else hyphenated."""
    pieces: list[str] = []
    while len(word) > width:
        cut = max(word.rfind("/", 0, width), word.rfind("-", 0, width))
        if cut >= 1:
            pieces.append(word[: cut + 1])
            word = word[cut + 1 :]
        else:
            pieces.append(word[: width - 1] + "-")
            word = word[width - 1 :]
    pieces.append(word)
    return pieces
