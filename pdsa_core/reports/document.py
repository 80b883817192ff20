"""A report as a small tree of blocks, written out as Markdown or as one self-contained HTML file.

Each report (status report, storyboard, national roll-up) builds a :class:`Document` of
sections and blocks once; :func:`to_markdown` and :func:`to_html` write it. Text typed by
users (barriers, the overall assessment) is Markdown rendered with raw HTML disabled, so it
can hold lists and emphasis but never markup of its own. The HTML file has its style inline,
its charts as inline SVG, and no reference to anything outside itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt

from pdsa_core.literal import html_text, markdown_text, markdown_without_html, visible

_MD = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def md_to_html(text: str) -> str:
    """Markdown to an HTML fragment, raw HTML disabled (shown as text)."""
    return _MD.render(text or "")


def esc(text: object) -> str:
    """Text for HTML, shown literally (see :func:`pdsa_core.literal.html_text`)."""
    return html_text(text)


def css_string(text: object) -> str:
    """Text as a quoted CSS string (for ``content:`` in page margins): nothing in it can end the
    string or the style element."""
    value = visible(text).replace("\n", " ")
    escaped = "".join(c if c.isalnum() or c in " .,:;-–_()/'" else f"\\{ord(c):x} " for c in value)
    return f'"{escaped}"'


def md_escape(text: object, *, line_start: bool = False) -> str:
    """Text shown literally in Markdown after other text on its line (a heading's text, a table cell);
    ``line_start=True`` for text that begins a line (see :func:`pdsa_core.literal.markdown_text`)."""
    return markdown_text(text, line_start=line_start).strip()


# -- blocks -------------------------------------------------------------------------------------
@dataclass
class Text:
    """A paragraph. ``markdown=True`` for text typed by users (rendered safely)."""

    text: str
    markdown: bool = False
    css: str = ""


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    caption: str = ""
    numeric: tuple[int, ...] = ()
    """Columns aligned right (numbers)."""
    css: str = ""
    free: tuple[int, ...] = ()
    """Columns of free text (names, titles) that may break inside a long word to fit the page;
    the others break between words only, so a short label is never split."""


@dataclass
class Chart:
    svg: str
    name: str
    """File stem used when the Markdown report writes the chart beside itself."""
    alt: str


@dataclass
class Callout:
    """A verdict or a notice, shown boxed.

    ``kind`` is the box's style: a variation's css name from :mod:`pdsa_core.spc.meaning`
    (``improvement``, ``concern``, ``neither``, ``common``, ``too-few``), or ``none``/``info``.
    ``details`` are further lines in smaller type (the runs statistics of a verdict).
    """

    text: str
    kind: str = "info"
    label: str = ""
    details: list[str] = field(default_factory=list)


@dataclass
class Raw:
    """Output of a report section from a plugin: Markdown or an HTML fragment."""

    markdown: str = ""
    html: str = ""


@dataclass
class DiagramBlock:
    """A driver diagram: aim and a tree of nodes with ``kind``, ``text``, ``children``, ``status``."""

    aim: str
    primaries: list[dict[str, Any]]
    labels: dict[str, str]
    show_aim: bool = True
    """False where the aim is shown elsewhere (the storyboard's header)."""


@dataclass
class RampsBlock:
    """PDSA ramps: each a list of cycles (``title``, ``status``, ``status_label``, dates, ``decision``)."""

    ramps: list[dict[str, Any]]
    labels: dict[str, str]


Block = Text | Table | Chart | Callout | Raw | DiagramBlock | RampsBlock


@dataclass
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)
    id: str = ""
    level: int = 2
    css: str = ""


@dataclass
class Document:
    title: str
    lang: str
    sections: list[Section] = field(default_factory=list)
    subtitle: str = ""
    meta: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Notices shown under the title (e.g. that small counts were hidden)."""
    footer: str = ""


# -- Markdown -----------------------------------------------------------------------------------
def to_markdown(doc: Document, *, chart_dir: str = "") -> tuple[str, dict[str, str]]:
    """The report as Markdown and the charts to write beside it ({relative path: SVG}).

    With ``chart_dir`` (a folder name relative to the Markdown file) each chart is linked as
    an image; without it the charts are left out and only their verdicts are written.
    """
    esc_md = md_escape
    out: list[str] = [f"# {esc_md(doc.title)}", ""]
    if doc.subtitle:
        out += [esc_md(doc.subtitle, line_start=True), ""]
    for label, value in doc.meta:
        out.append(f"- **{esc_md(label)}:** {esc_md(value)}")
    if doc.meta:
        out.append("")
    for note in doc.notes:
        out += [f"> {esc_md(note)}", ""]
    attachments: dict[str, str] = {}
    for section in doc.sections:
        out += ["#" * section.level + " " + esc_md(section.title), ""]
        for block in section.blocks:
            out += _md_block(block, chart_dir, attachments)
    if doc.footer:
        out += ["---", "", f"*{esc_md(doc.footer)}*", ""]
    return "\n".join(out).rstrip() + "\n", attachments


def _md_block(block: Block, chart_dir: str, attachments: dict[str, str]) -> list[str]:
    if isinstance(block, Text):
        if not block.text.strip():
            return []
        text = markdown_without_html(block.text) if block.markdown else md_escape(block.text, line_start=True)
        return [text.strip(), ""]
    if isinstance(block, Callout):
        label = f"**{markdown_text(block.label)}** " if block.label else ""
        lines = [f"> {label}{markdown_text(block.text)}"]
        lines += [f">\n> {markdown_text(d)}" for d in block.details]
        return [*lines, ""]
    if isinstance(block, Table):
        lines = []
        if block.caption:
            lines += [f"*{block.caption}*", ""]
        lines.append("| " + " | ".join(md_escape(h) for h in block.header) + " |")
        lines.append(
            "|" + "|".join("---:" if i in block.numeric else "---" for i in range(len(block.header))) + "|"
        )
        for row in block.rows:
            lines.append("| " + " | ".join(md_escape(c) or " " for c in row) + " |")
        return [*lines, ""]
    if isinstance(block, Chart):
        if not chart_dir:
            return []
        path = f"{chart_dir}/{block.name}.svg"
        attachments[path] = block.svg
        return [f"![{md_escape(block.alt)}]({path})", ""]
    if isinstance(block, Raw):
        if block.markdown:
            return [block.markdown.strip(), ""]
        return [block.html.strip(), ""] if block.html.strip() else []
    if isinstance(block, DiagramBlock):
        return _md_diagram(block)
    if isinstance(block, RampsBlock):
        return _md_ramps(block)
    raise TypeError(f"unknown block {type(block).__name__}")


def _md_diagram(block: DiagramBlock) -> list[str]:
    lines = [f"**{md_escape(block.labels['aim'])}:** {md_escape(block.aim or block.labels['no_aim'])}", ""]
    if not block.primaries:
        return [*lines, block.labels["empty"], ""]

    def walk(node: dict[str, Any], depth: int) -> None:
        status = f" *({md_escape(node['status_label'])})*" if node.get("status_label") else ""
        lines.append("  " * depth + f"- {md_escape(node['kind_label'])}: {md_escape(node['text'])}{status}")
        for child in node["children"]:
            walk(child, depth + 1)

    for primary in block.primaries:
        walk(primary, 0)
    return [*lines, ""]


def _md_ramps(block: RampsBlock) -> list[str]:
    if not block.ramps:
        return [block.labels["empty"], ""]
    lines = []
    for ramp in block.ramps:
        shown = []
        for c in ramp["cycles"]:
            decision = f", {c['decision_label']}" if c.get("decision_label") else ""
            shown.append(md_escape(f"{c['title']} ({c['status_label']}{decision})"))
        steps = " → ".join(shown)
        idea = f"**{md_escape(ramp['idea'])}**: " if ramp.get("idea") else ""
        lines.append(f"- {idea}{steps}")
    return [*lines, ""]


# -- HTML ---------------------------------------------------------------------------------------
def html_block(block: Block) -> str:
    if isinstance(block, Text):
        body = md_to_html(block.text) if block.markdown else f"<p>{esc(block.text)}</p>"
        css = f' class="{esc(block.css)}"' if block.css else ""
        return f"<div{css}>{body}</div>" if css else body
    if isinstance(block, Callout):
        label = f"<strong>{esc(block.label)}</strong> " if block.label else ""
        details = "".join(f'<span class="detail">{esc(d)}</span>' for d in block.details)
        return f'<p class="callout {esc(block.kind)}">{label}{esc(block.text)}{details}</p>'
    if isinstance(block, Table):
        head = "".join(
            f"<th{' class=num' if i in block.numeric else ''}>{esc(h)}</th>"
            for i, h in enumerate(block.header)
        )

        def cell_class(i: int) -> str:
            names = [n for n, cols in (("num", block.numeric), ("free", block.free)) if i in cols]
            return f' class="{" ".join(names)}"' if names else ""

        body = "".join(
            "<tr>" + "".join(f"<td{cell_class(i)}>{esc(c)}</td>" for i, c in enumerate(row)) + "</tr>"
            for row in block.rows
        )
        caption = f"<caption>{esc(block.caption)}</caption>" if block.caption else ""
        css = f' class="{esc(block.css)}"' if block.css else ""
        return f"<table{css}>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    if isinstance(block, Chart):
        return f'<figure class="chart" role="img" aria-label="{esc(block.alt)}">{block.svg}</figure>'
    if isinstance(block, Raw):
        return block.html if block.html else md_to_html(block.markdown)
    if isinstance(block, DiagramBlock):
        return _html_diagram(block)
    if isinstance(block, RampsBlock):
        return _html_ramps(block)
    raise TypeError(f"unknown block {type(block).__name__}")


def _html_node(node: dict[str, Any]) -> str:
    status = node.get("status") or ""
    badge = (
        f'<span class="badge {esc(status)}">{esc(node["status_label"])}</span>'
        if node.get("status_label")
        else ""
    )
    box = f'<div class="node {esc(node["kind_css"])} {esc(status)}">{esc(node["text"])}{badge}</div>'
    branch = f"branch k-{esc(node['kind_css'])}"
    if not node["children"]:
        return f'<div class="{branch}">{box}</div>'
    kids = "".join(_html_node(child) for child in node["children"])
    return f'<div class="{branch}">{box}<div class="kids">{kids}</div></div>'


def _html_diagram(block: DiagramBlock) -> str:
    if not block.primaries:
        tree = f"<p>{esc(block.labels['empty'])}</p>"
    else:
        tree = "".join(_html_node(p) for p in block.primaries)
    columns = (
        ("aim", "primary", "secondary", "change_idea")
        if block.show_aim
        else ("primary", "secondary", "change_idea")
    )
    heads = "".join(f"<span>{esc(block.labels[k])}</span>" for k in columns)
    if not block.show_aim:
        return (
            f'<div class="diagram"><div class="dd-heads no-aim">{heads}</div>'
            f'<div class="dd-body no-aim"><div class="kids">{tree}</div></div></div>'
        )
    aim = esc(block.aim) if block.aim else f"<em>{esc(block.labels['no_aim'])}</em>"
    return (
        f'<div class="diagram"><div class="dd-heads">{heads}</div>'
        f'<div class="dd-body"><div class="node aim">{aim}</div><div class="kids">{tree}</div></div></div>'
    )


def _html_ramps(block: RampsBlock) -> str:
    if not block.ramps:
        return f"<p>{esc(block.labels['empty'])}</p>"
    rows = []
    for ramp in block.ramps:
        steps = []
        for n, cycle in enumerate(ramp["cycles"], start=1):
            decision = (
                f'<span class="decision {esc(cycle["decision"])}">{esc(cycle["decision_label"])}</span>'
                if cycle.get("decision_label")
                else ""
            )
            # a date never breaks at its hyphens ("2023-06-" / "05")
            dates = _DATE.sub(r'<span class="date">\1</span>', esc(cycle.get("dates", "")))
            title = ramp_step_title(cycle, n, block.labels)
            steps.append(
                f'<li class="step {esc(cycle["status"])}" style="--step:{n - 1}">'
                f'<span class="title">{esc(title)}</span>'
                f'<span class="meta">{esc(cycle["status_label"])}{" · " + dates if dates else ""}</span>'
                f"{decision}</li>"
            )
        idea = f'<div class="idea">{esc(ramp["idea"])}</div>' if ramp.get("idea") else ""
        rows.append(f'<div class="ramp">{idea}<ol>{"".join(steps)}</ol></div>')
    return f'<div class="ramps">{"".join(rows)}</div>'


_DATE = re.compile(r"(\d{4}-\d{2}(?:-\d{2})?)")


def ramp_step_title(cycle: dict[str, Any], n: int, labels: dict[str, str]) -> str:
    """The title the ``n``-th step of a ramp shows: a cycle named after its change idea is shown
    by its place in the ramp ("Cyklus 2"), the rest by their own title."""
    return f"{labels['cycle']} {n}" if cycle.get("same_as_idea") else str(cycle["title"])


BASE_CSS = """
:root { --ink:#1f2933; --muted:#52606d; --line:#cbd2d9; --accent:#1f5f8b; --signal:#c25e00;
  --concern:#c25e00; --improve:#1f4e99; --neither:#7b4f9e;
  --ok:#2f7d32; --warn:#b7791f; --bad:#9b2c2c; --bg-soft:#f4f6f8; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", "Helvetica Neue", Arial, sans-serif; color: var(--ink);
  font-size: 10.5pt; line-height: 1.4; margin: 0; background: #fff; }
main { max-width: 190mm; margin: 0 auto; padding: 12mm 10mm; }
h1 { font-size: 20pt; margin: 0 0 2mm; color: var(--accent); }
h2 { font-size: 14pt; margin: 8mm 0 2mm; border-bottom: 1.5pt solid var(--accent); padding-bottom: 1mm; }
h3 { font-size: 11.5pt; margin: 5mm 0 1.5mm; }
.subtitle { color: var(--muted); margin: 0 0 3mm; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 0.5mm 4mm; margin: 0 0 4mm; }
dl.meta dt { font-weight: 600; } dl.meta dd { margin: 0; }
.notice { background: #fff8e6; border-left: 3pt solid var(--warn); padding: 2mm 3mm; margin: 2mm 0; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; font-size: 9.5pt; }
caption { text-align: left; font-weight: 600; padding-bottom: 1mm; }
th, td { border: 0.6pt solid var(--line); padding: 1mm 1.6mm; text-align: left; vertical-align: top; }
th { background: var(--bg-soft); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td { overflow-wrap: break-word; } td.free { overflow-wrap: anywhere; }
thead { display: table-header-group; }
.callout { border-left: 3pt solid var(--muted); background: var(--bg-soft); padding: 1.5mm 3mm;
  margin: 2mm 0; }
.callout .detail { display: block; font-size: 9pt; color: var(--muted); margin-top: 0.6mm; }
.callout.concern { border-color: var(--concern); background: #fff3e8; }
.callout.improvement { border-color: var(--improve); background: #eaf0f8; }
.callout.neither { border-color: var(--neither); background: #f3eef7; }
.callout.common { border-color: var(--ok); }
.callout.too-few, .callout.none { border-color: var(--warn); }
.series-note { color: var(--muted); font-size: 9pt; }
figure.chart { margin: 2mm 0; }
figure.chart svg { width: 100%; height: auto; display: block; }
.indicator { break-inside: avoid; page-break-inside: avoid; }
.diagram { font-size: 8.5pt; margin: 2mm 0 4mm; }
.dd-heads { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 2mm; color: var(--muted);
  font-weight: 600; margin-bottom: 1mm; }
.dd-body { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 3fr); gap: 2mm;
  align-items: center; }
.dd-heads.no-aim { grid-template-columns: repeat(3, minmax(0, 1fr)); }
.dd-body.no-aim { grid-template-columns: minmax(0, 1fr); }
.dd-body > .kids { display: flex; flex-direction: column; gap: 1.5mm; }
.branch { display: grid; gap: 2mm; align-items: center; }
.branch.k-primary { grid-template-columns: minmax(0, 1fr) minmax(0, 2fr); }
.branch.k-secondary { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
.branch.k-idea { display: block; }
.branch.k-primary > .kids > .branch.k-idea { margin-left: calc(50% + 1mm); }
.kids { display: flex; flex-direction: column; gap: 1.2mm; border-left: 1pt solid var(--line);
  padding-left: 2mm; }
.node { border: 0.8pt solid var(--line); border-radius: 2mm; padding: 1.2mm 2mm; background: #fff;
  break-inside: avoid; overflow-wrap: break-word; hyphens: auto; }
.node.aim { background: var(--accent); color: #fff; font-weight: 600; font-size: 9.5pt; }
.node.primary { background: #dbe9f4; font-weight: 600; }
.node.secondary { background: #eef4f9; }
.node.idea { background: #fff; }
.badge { display: inline-block; margin-left: 1.5mm; font-size: 7pt; padding: 0 1.2mm; border-radius: 1mm;
  background: var(--bg-soft); color: var(--muted); border: 0.5pt solid var(--line); }
.badge.adopted { background: #e3f3e4; color: var(--ok); border-color: #a5d6a7; }
.badge.adapted { background: #fff3d6; color: var(--warn); border-color: #f6d58e; }
.badge.abandoned { background: #fbe4e4; color: var(--bad); border-color: #f1b0b0; }
.badge.testing { background: #e4eef8; color: var(--accent); border-color: #a9c8e6; }
.ramps { display: flex; flex-direction: column; gap: 2mm; margin: 2mm 0 4mm; }
.ramp { break-inside: avoid; }
.ramp .idea { font-weight: 600; margin-bottom: 1mm; }
.ramp ol { list-style: none; display: flex; flex-wrap: wrap; gap: 1.5mm; margin: 0; padding: 0;
  align-items: flex-end; }
.ramp li.step { position: relative; border: 0.8pt solid var(--line); border-radius: 2mm; padding: 1mm 2mm;
  background: #fff; min-width: 32mm; max-width: 60mm; margin-bottom: calc(var(--step) * 2.5mm);
  display: flex; flex-direction: column; font-size: 8.5pt; }
.ramp li.step + li.step::before { content: "→"; position: absolute; left: -1.6mm; top: 35%;
  transform: translateX(-50%); color: var(--muted); }
.ramp li.step .title { font-weight: 600; }
.ramp li.step .meta { color: var(--muted); font-size: 7.5pt; }
.ramp li.step .date { white-space: nowrap; }
.ramp li.done { background: #f1f8f1; } .ramp li.abandoned { background: #fbf0f0; }
.ramp li.doing, .ramp li.studying, .ramp li.acting { background: #eef4f9; }
.decision { font-size: 7.5pt; font-weight: 600; }
.decision.adopt { color: var(--ok); } .decision.adapt { color: var(--warn);
  } .decision.abandon { color: var(--bad); }
.plugin-section { border-top: 0.6pt dashed var(--line); }
.section-error { color: var(--bad); }
footer { margin-top: 8mm; color: var(--muted); font-size: 8pt; border-top: 0.6pt solid var(--line);
  padding-top: 2mm; }
"""

#: the width the A4 report's content prints at: 210 mm less the page's side margins (12 mm) and
#: main's print padding (0.6 mm) on each side, as in :data:`A4_PRINT_CSS`. A chart drawn wider
#: than this is scaled down in print and its 8 pt texts print smaller than 8 pt.
A4_PRINT_WIDTH_MM = 210 - 2 * 12 - 2 * 0.6

A4_PRINT_CSS = """
@page { size: A4 portrait; margin: 14mm 12mm 16mm 12mm; }
@media print {
  main { max-width: none; padding: 0 0.6mm; } /* table borders stay inside the printed area */
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  .keep { break-inside: avoid; page-break-inside: avoid; }
  .keep + * { break-before: avoid; page-break-before: avoid; }
  caption { break-after: avoid; page-break-after: avoid; }
  /* a table that breaks across pages takes its first row with its heading and caption */
  tbody > tr:first-child { break-before: avoid; page-break-before: avoid; }
  figure, .callout, .node, tr, .ramp { break-inside: avoid; page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def page_margin_css(lang: str, running: str) -> str:
    """Page numbers ("Side 2 af 9") and the report's title in the bottom margin of every printed page."""
    page, of = ("Side ", " af ") if lang == "da" else ("Page ", " of ")
    style = "font-family: Arial, sans-serif; font-size: 8pt; color: #52606d;"
    return (
        "@page { "
        f"@bottom-left {{ content: {css_string(running)}; {style} }} "
        f'@bottom-right {{ content: "{page}" counter(page) "{of}" counter(pages); {style} }} '
        "}\n"
    )


def html_page(title: str, lang: str, body: str, *, css: str) -> str:
    """A whole HTML document: style inline, nothing loaded from elsewhere."""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="pdsa">\n'
        f"<title>{esc(title)}</title>\n<style>{css}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def to_html(doc: Document) -> str:
    """The report as one self-contained HTML page, laid out for A4 in print."""
    parts = ["<main>", f"<h1>{esc(doc.title)}</h1>"]
    if doc.subtitle:
        parts.append(f'<p class="subtitle">{esc(doc.subtitle)}</p>')
    if doc.meta:
        items = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in doc.meta)
        parts.append(f'<dl class="meta">{items}</dl>')
    for note in doc.notes:
        parts.append(f'<p class="notice">{esc(note)}</p>')
    for section in doc.sections:
        css = f' class="{esc(section.css)}"' if section.css else ""
        ident = f' id="{esc(section.id)}"' if section.id else ""
        level = min(max(section.level, 2), 4)
        # the heading stays on the page of what follows it: up to and with the first block that is not
        # text; a table or ramps may break across pages, so they follow the kept box (break-before: avoid
        # keeps their first rows with the heading) instead of moving whole to the next page
        blocks = section.blocks
        lead = next((k + 1 for k, b in enumerate(blocks) if not isinstance(b, Text)), len(blocks))
        if lead and isinstance(blocks[lead - 1], (Table, RampsBlock)):
            lead -= 1
        kept = "".join(html_block(b) for b in blocks[:lead])
        # a text that introduces a table later in the section stays on the page of the table's start
        rest = "".join(
            f'<div class="keep">{html_block(b)}</div>'
            if isinstance(b, Text) and k + 1 < len(blocks) and isinstance(blocks[k + 1], Table)
            else html_block(b)
            for k, b in enumerate(blocks)
            if k >= lead
        )
        heading = f"<h{level}>{esc(section.title)}</h{level}>"
        parts.append(f'<section{ident}{css}><div class="keep">{heading}{kept}</div>{rest}</section>')
    if doc.footer:
        parts.append(f"<footer>{esc(doc.footer)}</footer>")
    parts.append("</main>")
    css = BASE_CSS + A4_PRINT_CSS + page_margin_css(doc.lang, doc.title)
    return html_page(doc.title, doc.lang, "\n".join(parts), css=css)
