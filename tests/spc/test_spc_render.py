"""Rendering: files are written, annotations resolve, and matplotlib stays out of imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pdsa_core.errors import ValidationError
from pdsa_core.spc import analyze, analyze_series
from pdsa_core.spc.render import render_chart


def monthly():
    obs = [(f"{2020 + m // 12}-{m % 12 + 1:02d}", float(5 + (m % 5) - (m > 24) * 3), None, None)
           for m in range(40) if m != 7]
    return analyze_series(obs, chart="i", baseline=("2020-01", "2021-12"))


def test_png_and_svg(tmp_path: Path) -> None:
    sa = monthly()
    png = render_chart(sa.result, tmp_path / "c.png", title="R1",
                       annotations=[("2022-03", "NordEPJ"), (2, "test")])
    svg = render_chart(sa.result, tmp_path / "c.svg", title="R1", lang="en")
    assert png.read_bytes()[:4] == b"\x89PNG"
    text = svg.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "Non-random" in text


def test_phases_and_month_labels(tmp_path: Path) -> None:
    obs = [(f"2021-{m:02d}", float(m % 3), None, None) for m in range(1, 13)]
    obs += [(f"2022-{m:02d}", float(3 + m % 3), None, None) for m in range(1, 13)]
    sa = analyze_series(obs, splits=[("2022-01", "Projekt")])
    svg = render_chart(sa.result, tmp_path / "p.svg", title="Faser").read_text(encoding="utf-8")
    assert "jan 22" in svg and "Projekt" in svg


def test_bad_suffix_and_annotation(tmp_path: Path) -> None:
    r = analyze([1, 2, 3])
    with pytest.raises(ValidationError, match=r"\.svg or \.png"):
        render_chart(r, tmp_path / "c.jpg", title="x")
    with pytest.raises(ValidationError, match="outside the chart"):
        render_chart(r, tmp_path / "c.png", title="x", annotations=[(7, "far")])


def test_engine_import_does_not_load_matplotlib() -> None:
    code = (
        "import sys; import pdsa_core.spc, pdsa_cli.spc_cmds; "
        "bad = [m for m in ('matplotlib', 'textual') if m in sys.modules]; "
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[2], check=True)
    assert out.stdout.strip() == ""
