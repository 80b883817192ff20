"""Reports: the team's status report, the storyboard poster and the national roll-up.

Each is a core function returning a :class:`Report` (its text, and for Markdown the chart
files to write beside it); the CLI's ``pdsa report`` commands call them::

    status_report(ws, "vordingborg", period_from="2022-01", period_to="2022-09", fmt="html")
    storyboard(ws, "vordingborg")
    national_rollup([ws1, ws2], period_from="2022-01", period_to="2022-09", fmt="md")

The team's own words (barriers, overall assessment, progress, lessons learnt) are stored
with :func:`set_report_text`. HTML reports are one self-contained file: style inline, charts
as inline SVG, nothing loaded from elsewhere, laid out to print on A4 (the storyboard on A3
landscape).
"""

from __future__ import annotations

from pdsa_core.reports.common import Report, default_period
from pdsa_core.reports.national import national_rollup, rollup_data
from pdsa_core.reports.progress import normalise_title
from pdsa_core.reports.small_numbers import SmallNumbers
from pdsa_core.reports.status import status_report
from pdsa_core.reports.storyboard import storyboard
from pdsa_core.reports.texts import TEXT_FIELDS, all_report_texts, report_texts, set_report_text

__all__ = [
    "TEXT_FIELDS",
    "Report",
    "SmallNumbers",
    "all_report_texts",
    "default_period",
    "national_rollup",
    "normalise_title",
    "report_texts",
    "rollup_data",
    "set_report_text",
    "status_report",
    "storyboard",
]
