"""Indicator sets as data (load_indicator_sets): what a file gives, and one clear line when it is wrong."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from pdsa_core import Direction, IndicatorKind, Unit, load_indicator_sets, load_plugins
from pdsa_core.errors import ValidationError

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "plugins.md"


def _file(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "sets.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _guide_example() -> dict[str, Any]:
    text = GUIDE.read_text(encoding="utf-8")
    (block,) = re.findall(r"```json\n(.*?)```", text, flags=re.S)
    return json.loads(block)


def test_the_guides_example_gives_its_set_with_the_sets_population(tmp_path: Path) -> None:
    (only,) = load_indicator_sets(_file(tmp_path, _guide_example()))
    assert only.id == "midtklyngen-akut" and [d.code for d in only.indicators] == ["A1", "A2"]
    a1, a2 = only.indicators
    assert (a1.kind, a1.unit, a1.direction) == (IndicatorKind.RESULT, Unit.COUNT, Direction.DOWN)
    assert (a2.unit, a2.target.value if a2.target else None) == (Unit.PROPORTION, 0.9)
    assert a1.population == a2.population == "Voksne i klyngens kommuner"


def test_two_sets_share_an_indicator_each_with_its_own_population(tmp_path: Path) -> None:
    data = _guide_example()
    data["indicators"]["A1"]["population"] = "Altid denne"
    data["sets"].append({"id": "b", "name_da": "B", "population": "Børn", "indicators": ["A2", "A1"]})
    first, second = load_indicator_sets(_file(tmp_path, data))
    assert [(d.code, d.population) for d in second.indicators] == [("A2", "Børn"), ("A1", "Altid denne")]
    assert first.indicators[1].population == "Voksne i klyngens kommuner"


def test_the_lkt_tvang_plugin_registers_the_sets_of_its_data_file() -> None:
    import pdsa_lkt_tvang
    from pdsa_lkt_tvang.indicators import DATA_FILE

    plugins = load_plugins(extra=[("lkt", pdsa_lkt_tvang)], include_entry_points=False)
    for indicator_set in load_indicator_sets(DATA_FILE):
        assert plugins.indicator_set(indicator_set.id).to_dict() == indicator_set.to_dict()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="x"), 'is not an indicator set file (its "format" must be'),
        (lambda d: d.update(extra=1), "has unknown fields: extra"),
        (lambda d: d["indicators"]["A1"].update(unti="count"), "akut): indicator A1 has unknown"),
        (lambda d: d["indicators"]["A2"].update(unit="procent"), "(midtklyngen-akut): indicator A2: unit"),
        (lambda d: d["sets"][0]["indicators"].append("A9"), "names indicators the file does not define: A9"),
        (lambda d: d["sets"][0].update(id=""), "set 1 (): indicator set id"),
        (lambda d: d.update(sets=[]), '"sets" must be a list of at least one set'),
    ],
)
def test_a_mistake_is_one_line_naming_the_file_and_the_place(
    tmp_path: Path, change: Any, message: str
) -> None:
    data = _guide_example()
    change(data)
    path = _file(tmp_path, data)
    with pytest.raises(ValidationError) as refused:
        load_indicator_sets(path)
    text = str(refused.value)
    assert text.startswith(str(path)) and message in text and "\n" not in text


def test_invalid_json_and_a_missing_file_say_where(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=r"sets.json: not valid JSON \(line 2, column 1\)"):
        load_indicator_sets(_file(tmp_path, '{"format":\n}'))
    with pytest.raises(ValidationError, match="cannot read the indicator set file"):
        load_indicator_sets(tmp_path / "none.json")
