"""Report sections registered by plugins (``register_report_sections``), rendered into a report.

The built-in sections of ``pdsa_core.default_plugins.report_sections`` come through the
same hook as a third-party plugin's. Sections are included after a report's own sections,
sorted by ``order`` (then in registration order). A section that fails is reported in the
report in its place ("Section X could not be written: ...") and the rest of the report is
still written: a plugin's bug must not cost the team its report.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pdsa_core.errors import PdsaError
from pdsa_core.reports.document import Raw, Section, Text


def registered_sections(plugins: Any) -> list[Any]:
    """The report sections the given plugins registered, in report order.

    The caller passes its loaded plugins in (the command line its own); a report never
    loads plugins itself.
    """
    items = list(plugins.items("report_sections").values())
    return sorted(items, key=lambda s: getattr(s, "order", 100))


def _title(section: Any, lang: str) -> str:
    title = getattr(section, "title", None)
    if callable(title):
        return str(title(lang))
    return str(getattr(section, "title_da", None) or getattr(section, "id", "section"))


def plugin_sections(
    sections: Iterable[Any],
    *,
    workspace: Any,
    team: Any,
    period_from: str,
    period_to: str,
    lang: str,
    fmt: str,
    hide_small_counts: bool,
) -> list[Section]:
    """Render each section for the report; failures become a short notice in the report."""
    from pdsa_core.extension_types import ReportContext

    context = ReportContext(
        workspace=workspace,
        team=team,
        period_from=period_from,
        period_to=period_to,
        lang=lang,
        format=fmt,
        hide_small_counts=hide_small_counts,
    )
    out: list[Section] = []
    for section in sections:
        title = _title(section, lang)
        try:
            if hasattr(section, "run"):
                text = section.run(context)
            else:
                text = section.render(context)
                if not isinstance(text, str):
                    raise PdsaError(f"report section {section.id} returned {type(text).__name__}, not text")
        except PdsaError as exc:
            failed = "kunne ikke skrives" if lang == "da" else "could not be written"
            out.append(
                Section(
                    title=title,
                    blocks=[Text(f"{title} {failed}: {exc}", css="section-error")],
                    id=f"section-{section.id}",
                    css="plugin-section",
                )
            )
            continue
        if not text.strip():
            continue  # a section with nothing to say for this team and period
        fmt_of_section = getattr(section, "format", "md")
        block = Raw(html=text) if fmt_of_section == "html" else Raw(markdown=text)
        out.append(Section(title=title, blocks=[block], id=f"section-{section.id}", css="plugin-section"))
    return out
