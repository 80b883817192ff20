"""Danish and English texts for assessments (CLI and TUI), and small formatting helpers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pdsa_core.i18n import add_texts, t

if TYPE_CHECKING:  # the texts are added with the package; scoring is imported when used
    from pdsa_core.assessments.instrument import Instrument
    from pdsa_core.assessments.scoring import ScoreSummary

add_texts(
    {
        "musiq.unofficial_title": ("{name} – ikke den officielle score", "{name} – not the official score"),
        "musiq.annotation_text": ("{name}-vurdering ({setting})", "{name} assessment ({setting})"),
        "musiq.assessments": ("Vurderinger", "Assessments"),
        "musiq.instrument": ("Instrument", "Instrument"),
        "musiq.instruments": ("Instrumenter", "Instruments"),
        "musiq.setting": ("Sted", "Setting"),
        "musiq.participants": ("Deltagere", "Participants"),
        "musiq.level": ("Niveau", "Level"),
        "musiq.factor": ("Faktor", "Factor"),
        "musiq.factors": ("Faktorer", "Factors"),
        "musiq.rating": ("Score", "Rating"),
        "musiq.score": ("Score", "Score"),
        "musiq.mean": ("Gns. pr. faktor", "Mean per factor"),
        "musiq.mean_short": ("Gns.", "Mean"),
        "musiq.rated": ("Vurderet", "Rated"),
        "musiq.na": ("Ved ikke/ikke relevant", "Don't know/N/A"),
        "musiq.na_short": ("ved ikke", "N/A"),
        "musiq.range": ("Mulige", "Possible"),
        "musiq.total": ("Total", "Total"),
        "musiq.changeable": ("Kan ændres af teamet", "Changeable by the team"),
        "musiq.weights": ("Vægte", "Weights"),
        "musiq.source": ("Kilde", "Source"),
        "musiq.scoring": ("Beregning", "Scoring"),
        "musiq.notes": ("Bemærkninger", "Notes"),
        "musiq.saved": (
            "Gemte {name}-vurdering {id} for {team}, {date}, {setting}.",
            "Saved {name} assessment {id} for {team}, {date}, {setting}.",
        ),
        "musiq.annotated": (
            "Datoen {date} er markeret på teamets indikatordiagrammer.",
            "The date {date} is marked on the team's indicator charts.",
        ),
        "musiq.remove_q": ("Slet vurdering {id} ({when})?", "Delete assessment {id} ({when})?"),
        "musiq.removed": ("Slettede vurdering {id} ({date}).", "Removed assessment {id} ({date})."),
        "musiq.no_assessments": (
            "{team} har ingen vurderinger endnu. Lav en med 'pdsa musiq template' og 'pdsa musiq new'.",
            "{team} has no assessments yet. Make one with 'pdsa musiq template' and 'pdsa musiq new'.",
        ),
        "musiq.missing_instrument": (
            "instrumentet {instrument} er ikke installeret; scorer kan ikke beregnes",
            "the instrument {instrument} is not installed; scores cannot be formed",
        ),
        "musiq.moved": ("Flyttede sig fra {before} til {after}", "Moved from {before} to {after}"),
        "musiq.moved_none": ("Ingen faktorer flyttede sig.", "No factor moved."),
        "musiq.moved_no_pair": (
            "Ingen tidligere vurdering samme sted ({setting}) at sammenligne med.",
            "No earlier assessment in the same setting ({setting}) to compare with.",
        ),
        "musiq.focus": (
            "Foreslået fokus (kan ændres af teamet, lavest vurderet)",
            "Suggested focus (changeable by the team, lowest rated)",
        ),
        "musiq.focus_none": (
            "Ingen faktorer, teamet kan ændre, er vurderet under neutral.",
            "No factor the team can change is rated below neutral.",
        ),
        "musiq.factors_only": (
            "Kun faktorer sammenlignes (forskellige versioner; ingen totaler).",
            "Factors only (different versions; no totals).",
        ),
        # -- TUI -------------------------------------------------------------------------------------
        "musiq.title": ("MUSIQ – kontekstvurdering", "MUSIQ – context assessment"),
        "musiq.tab_score": ("Vurder", "Score"),
        "musiq.tab_compare": ("Sammenlign", "Compare"),
        "musiq.tab_chart": ("Udvikling", "Over time"),
        "musiq.date": ("Dato", "Date"),
        "musiq.setting_placeholder": (
            "Sted, f.eks. regionspsykiatrien eller en kommune",
            "Setting, e.g. regional psychiatry or a municipality",
        ),
        "musiq.participants_placeholder": (
            "Deltagere (navne eller roller, adskilt af komma)",
            "Participants (names or roles, separated by commas)",
        ),
        "musiq.annotate": ("Markér på indikatordiagrammer", "Mark on the indicator charts"),
        "musiq.keys_help": (
            "1–7 = score · 0/n = ved ikke · ↑↓/Enter = flyt · Ctrl+S = gem · Esc = tilbage",
            "1–7 = rate · 0/n = don't know/N/A · ↑↓/Enter = move · Ctrl+S = save · Esc = back",
        ),
        "musiq.progress": (
            "{answered} af {count} faktorer besvaret",
            "{answered} of {count} factors answered",
        ),
        "musiq.incomplete": (
            "{missing} faktorer mangler en score eller 'ved ikke' – første: {first}",
            "{missing} factors still need a rating or 'don't know' – first: {first}",
        ),
        "musiq.saved_short": ("Vurderingen er gemt ({id}).", "Assessment saved ({id})."),
        "musiq.chart_title": ("Gennemsnit pr. vurderet faktor", "Mean per rated factor"),
        "musiq.chart_empty": (
            "Diagrammet kræver mindst én vurdering med dette instrument.",
            "The chart needs at least one assessment with this instrument.",
        ),
        "musiq.compare_empty": ("Ingen vurderinger at sammenligne endnu.", "No assessments to compare yet."),
        "musiq.other_versions": (
            "{count} vurdering(er) med andre instrumentversioner er ikke med: {keys}",
            "{count} assessment(s) made with other instrument versions are left out: {keys}",
        ),
    }
)


def fmt_score(value: float | None) -> str:
    if value is None:
        return "–"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def fmt_rating(value: int | None | str) -> str:
    """A factor rating in a table: the number, "N/A"/"VI" for not applicable, blank if absent."""
    if value == "":
        return ""
    if value is None:
        return t("musiq.na_short")
    return str(value)


def summary_line(summary: ScoreSummary) -> str:
    """ "112 (mean 4.48; 25 rated, 0 N/A)"."""
    parts = [
        f"{t('musiq.mean').lower()} {fmt_score(summary.mean)}",
        f"{summary.rated} {t('musiq.rated').lower()}",
        f"{summary.not_applicable} {t('musiq.na_short')}",
    ]
    if summary.unrated:
        parts.append(f"{summary.unrated} ?")
    return f"{fmt_score(summary.score)} ({'; '.join(parts)})"


def weights_line(instrument: Instrument, lang: str | None = None) -> str:
    return f"{t('musiq.weights', lang=lang)}: {instrument.weights_source.get(lang)}"
