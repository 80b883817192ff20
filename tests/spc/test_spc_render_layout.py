"""The chart keeps its shape whatever the text: geometry of the rendered figure's artists.

Checks on matplotlib's own extents: long annotation and phase texts make the figure taller,
never the plot narrower; no text box overlaps another or the plot; user text is drawn
literally; signals differ from normal points in shape (a black-and-white print keeps them);
colours follow the indicator's direction; targets and limits are labelled; proportions get a
percent axis and counts whole-number ticks; no text is below 8 pt; nothing reaches stderr.
"""

from __future__ import annotations

import itertools
import warnings
from pathlib import Path
from typing import Any

import pytest

from pdsa_core.spc import analyze, analyze_series
from pdsa_core.spc.render import COLOURS, FONT_FAMILIES, MARKERS, chart_figure, font_family, render_chart

LONG_NOTE = (
    "Ændring af datadefinitionen: fra 1. marts tælles kun tvangsindlæggelser efter "
    "psykiatrilovens § 5 (rød blanket); gule blanketter indgår ikke længere, og "
    "retspsykiatriske patienter er udelukket. Budget $\\foo$ cut, $5 and $10. "
)
LONG_NOTE = (LONG_NOTE * 3)[:300]
LONG_PHASE = ("Ny psykiatrilov (lov nr. 1234 af 1. juli 2022) med skærpet dokumentationskrav " * 3)[:200]


def monthly(label: str = "", n: int = 40) -> Any:
    obs = [
        (f"{2020 + m // 12}-{m % 12 + 1:02d}", 5.0 + m % 5 - (m > 24) * 3 + (m == 30) * 9, None, None)
        for m in range(n)
        if m != 7
    ]
    return analyze_series(obs, chart="i", splits=[("2022-01", label)] if label else [("2022-01", "")]).result


def plot_box(fig: Any) -> Any:
    fig.canvas.draw()
    return fig.axes[0].get_window_extent()


def text_boxes(fig: Any) -> list[tuple[str, Any]]:
    """Every visible, non-empty text of the figure with its extent (a marker's circle included)."""
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    texts = list(fig.texts) + list(ax.texts)
    texts += [t for t in ax.get_xticklabels() + ax.get_yticklabels() if t.get_visible()]
    boxes = []
    for text in texts:
        if not text.get_text().strip():
            continue
        box = text.get_window_extent(renderer)
        patch = text.get_bbox_patch()
        if patch is not None:
            box = patch.get_window_extent(renderer)
        boxes.append((text.get_text(), box))
    return boxes


def overlaps(a: Any, b: Any, slack: float = 0.5) -> bool:
    return a.x0 + slack < b.x1 and b.x0 + slack < a.x1 and a.y0 + slack < b.y1 and b.y0 + slack < a.y1


def test_long_annotation_and_phase_label_keep_the_plot() -> None:
    plain = chart_figure(monthly(), title="R1 Antal personer, der tvangsindlægges", size=(7.3, 3.4))
    busy = chart_figure(
        monthly(LONG_PHASE),
        title="R1 Antal personer, der tvangsindlægges",
        size=(7.3, 3.4),
        annotations=[("2022-03", LONG_NOTE), ("2022-04", "NordEPJ"), ("2021-06", "Kort note")],
    )
    before, after = plot_box(plain), plot_box(busy)
    assert after.width >= 0.8 * before.width
    assert after.height >= 0.8 * before.height
    # the figure grew instead, and everything stays on it
    assert busy.get_figheight() > plain.get_figheight()
    for name, box in text_boxes(busy):
        assert box.x0 >= -0.5 and box.x1 <= busy.bbox.x1 + 0.5, f"{name[:30]!r} runs off the figure"
        assert box.y0 >= -0.5 and box.y1 <= busy.bbox.y1 + 0.5, f"{name[:30]!r} runs off the figure"


@pytest.mark.parametrize("width", [7.3, 3.2])
def test_no_text_overlaps_another_or_the_plot(width: float) -> None:
    fig = chart_figure(
        monthly(LONG_PHASE),
        title="V1 Andel af patienter, der får lavet en udskrivningsaftale eller koordinationsplan " * 2,
        size=(width, 2.8),
        annotations=[("2022-03", LONG_NOTE), ("2022-04", "NordEPJ"), ("2022-05", "x"), ("2020-02", "y")],
        direction="down",
        target=4.0,
    )
    plot = plot_box(fig)
    boxes = text_boxes(fig)
    for (name_a, a), (name_b, b) in itertools.combinations(boxes, 2):
        assert not overlaps(a, b), f"{name_a[:30]!r} overlaps {name_b[:30]!r}"
    for name, box in boxes:
        assert not overlaps(box, plot, slack=1.0), f"{name[:30]!r} is drawn inside the plot"


def test_user_text_is_drawn_literally_without_warnings(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = chart_figure(
            monthly("Budget $\\foo$ cut"),
            title="$5 and $10 <b>[antal]</b>",
            annotations=[("2022-03", "Budget $\\foo$ cut"), ("2022-04", "$5 and $10")],
            ylabel="$x$",
        )
        fig.canvas.draw()
        render_chart(
            monthly(), tmp_path / "c.svg", title="Budget $\\foo$ cut", annotations=[(3, "$5 and $10")]
        )
        render_chart(monthly(), tmp_path / "c.png", title="$\\alpha$", annotations=[(3, "_{x}^2")])
    shown = [t.get_text() for t in fig.texts]
    assert "$5 and $10 <b>[antal]</b>" in shown
    assert "Budget $\\foo$ cut" in shown and "$5 and $10" in shown and "$x$" in shown
    assert all(not t.get_parse_math() for t in fig.texts)
    out, err = capfd.readouterr()
    assert err == ""


def test_signal_points_differ_in_shape_from_normal_points() -> None:
    """Greyscale: the signal's marker is not the normal circle (and has a dark edge)."""
    result = analyze([5, 6, 5, 4, 5, 6, 5, 4, 5, 6, 5, 4, 5, 6, 5, 30], chart="i")
    fig = chart_figure(result, title="c", direction="down")
    collections = {c.get_gid(): c for c in fig.axes[0].collections}
    normal, signal = collections["points-normal"], collections["points-concern"]
    normal_shape = normal.get_paths()[0].vertices
    signal_shape = signal.get_paths()[0].vertices
    assert normal_shape.shape != signal_shape.shape or (normal_shape != signal_shape).any()
    assert MARKERS["concern"] != MARKERS["normal"]
    assert list(signal.get_offsets()[:, 0]) == [15]
    assert tuple(signal.get_edgecolor()[0][:3]) < (0.2, 0.2, 0.2)


def test_colours_follow_the_direction() -> None:
    """A rise in V1 (higher is better) is an improvement; the same rise in R1 is a concern."""
    values = [5, 6, 5, 4, 5, 6, 5, 4, 5, 6, 5, 4, 5, 6, 5, 30]
    up = chart_figure(analyze(values, chart="i"), title="V1", direction="up")
    down = chart_figure(analyze(values, chart="i"), title="R1", direction="down")
    none = chart_figure(analyze(values, chart="i"), title="X")
    gids = lambda fig: {c.get_gid() for c in fig.axes[0].collections}  # noqa: E731
    assert "points-improvement" in gids(up) and "points-concern" not in gids(up)
    assert "points-concern" in gids(down)
    assert "points-neither" in gids(none)
    assert COLOURS["improvement"] != COLOURS["concern"]


def test_target_line_and_labelled_limits() -> None:
    result = analyze([5, 6, 5, 4, 5, 6, 5, 4, 5, 6, 5, 4, 5, 6, 5, 5], chart="i")
    fig = chart_figure(result, title="R1", direction="down", target=3.5, lang="da")
    texts = [t.get_text() for t in fig.texts]
    assert "Mål 3,5" in texts
    assert any(t.startswith("ØKG ") for t in texts) and any(t.startswith("NKG ") for t in texts)
    assert any(t.startswith("Gns. ") for t in texts)
    assert any(line.get_gid() == "target" for line in fig.axes[0].lines)
    en = chart_figure(result, title="R1", direction="down", target=3.5, lang="en")
    assert {"Target 3.5"} <= {t.get_text() for t in en.texts}


def test_percent_axis_for_proportions_and_whole_ticks_for_counts() -> None:
    obs = [(f"2021-{m:02d}", None, 3 + m % 4, 20) for m in range(1, 13)]
    share = analyze_series(obs, chart="p").result
    fig = chart_figure(share, title="V1", unit="proportion", lang="da")
    fig.canvas.draw()
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels() if t.get_text()]
    assert labels and all(label.endswith(" %") for label in labels)
    counts = analyze([0, 1, 2, 1, 0, 1, 2, 1, 0, 1, 2, 1], chart="run")
    fig = chart_figure(counts, title="R1", unit="count")
    fig.canvas.draw()
    ticks = fig.axes[0].get_yticks()
    assert all(float(t).is_integer() for t in ticks)
    small = analyze([0.2, 0.25, 0.3, 0.25, 0.2, 0.3, 0.25, 0.2, 0.3, 0.25, 0.2, 0.3], chart="i")
    fig = chart_figure(small, title="x", lang="da")
    fig.canvas.draw()
    assert any("," in t.get_text() for t in fig.axes[0].get_yticklabels())


def test_no_text_below_8_points() -> None:
    fig = chart_figure(monthly(LONG_PHASE), title="R1", annotations=[(3, "note")], direction="up", target=3)
    fig.canvas.draw()
    ax = fig.axes[0]
    texts = list(fig.texts) + ax.get_xticklabels() + ax.get_yticklabels()
    assert min(t.get_fontsize() for t in texts if t.get_text()) >= 8


def test_a_chart_without_notes_or_signals_has_no_legend() -> None:
    values = [5, 7, 4, 6, 5, 8, 4, 6, 5, 7, 3, 6, 5, 7, 4, 6, 6, 5, 7, 4]
    obs = [(f"{2021 + m // 12}-{m % 12 + 1:02d}", float(v), None, None) for m, v in enumerate(values)]
    result = analyze_series(obs, chart="i").result
    assert not any(result.sigma_signal) and not any(p.runs_signal for p in result.phases)
    fig = chart_figure(result, title="R1", size=(7.3, 3.4))
    assert not [t for t in fig.texts if t.get_gid() in ("legend", "key")]
    assert fig.get_figheight() == pytest.approx(3.4, abs=0.05)


def test_chart_text_is_in_the_reports_typeface() -> None:
    """Arial (or Liberation Sans, its metric twin) where installed, as the report around the chart;
    DejaVu Sans behind it for the verdict symbols; the same family measures and draws."""
    from matplotlib import font_manager

    family = font_family()
    installed = {f.name for f in font_manager.fontManager.ttflist}
    assert family[0] == next(n for n in FONT_FAMILIES if n in installed) and family[-1] == "DejaVu Sans"
    fig = chart_figure(monthly(LONG_PHASE), title="R1 ▲", annotations=[(3, "note")], direction="up", target=3)
    fig.canvas.draw()
    ax = fig.axes[0]
    texts = [t for t in list(fig.texts) + ax.get_xticklabels() + ax.get_yticklabels() if t.get_text()]
    assert texts and all(t.get_fontfamily() == family for t in texts)
