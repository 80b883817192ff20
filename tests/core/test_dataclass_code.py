"""The dataclass methods' code kept between starts (pdsa_core/dataclass_code.py).

The classes made with the table are the classes ``dataclasses`` makes without it (same code,
flags, annotations, behaviour); a start saves what it compiled and the next one compiles
nothing it saved; an unusable file or folder only means compiling as before.
"""

from __future__ import annotations

import dataclasses
import json
import marshal
import os
import subprocess
import sys
from pathlib import Path
from types import CodeType, FunctionType
from typing import Any, ClassVar

import pytest

from pdsa_core import dataclass_code

ROOT = Path(__file__).resolve().parents[2]
METHODS = ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__")


def _classes() -> tuple[type, type]:
    """A frozen record-like class and a plain one, defined anew on each call."""

    @dataclasses.dataclass(frozen=True)
    class Frozen:
        name: str
        count: int = 0
        tags: tuple[str, ...] = ()
        notes: list[str] = dataclasses.field(default_factory=list, compare=False)
        kind: ClassVar[str] = "frozen"

    @dataclasses.dataclass
    class Plain:
        value: float
        label: str | None = None

    return Frozen, Plain


def _described(code: CodeType) -> tuple[Any, ...]:
    consts = tuple(_described(c) if isinstance(c, CodeType) else c for c in code.co_consts)
    return (code.co_code, consts, code.co_names, code.co_varnames, code.co_flags, code.co_qualname)


def _methods(cls: type) -> dict[str, Any]:
    found = {}
    for name in METHODS:
        method = cls.__dict__.get(name)
        method = getattr(method, "__wrapped__", method)  # __repr__ is wrapped by recursive_repr
        if isinstance(method, FunctionType):
            found[name] = (_described(method.__code__), method.__annotations__, method.__qualname__)
    return found


@pytest.fixture()
def table(monkeypatch: pytest.MonkeyPatch) -> dict[str, CodeType]:
    """``dataclasses`` compiling through a fresh table of this module, for this test only."""
    fresh: dict[str, CodeType] = {}
    monkeypatch.setattr(dataclass_code, "_code", fresh)
    monkeypatch.setattr(dataclass_code, "_used", set())
    monkeypatch.setattr(dataclass_code, "_loaded", set())
    monkeypatch.setattr(dataclasses, "exec", dataclass_code._exec, raising=False)
    return fresh


def test_the_classes_made_with_the_table_are_the_ones_dataclasses_makes() -> None:
    plain_frozen, plain_plain = _classes()
    table: dict[str, CodeType] = {}
    patch = pytest.MonkeyPatch()
    try:
        patch.setattr(dataclass_code, "_code", table)
        patch.setattr(dataclass_code, "_used", set())
        patch.setattr(dataclasses, "exec", dataclass_code._exec, raising=False)
        compiled = _classes()  # compiled into the table
        assert len(table) >= 8
        from_table = _classes()  # every method taken from the table
    finally:
        patch.undo()
    for made in (compiled, from_table):
        assert _methods(made[0]) == _methods(plain_frozen)
        assert _methods(made[1]) == _methods(plain_plain)
        assert set(_methods(made[0])) == set(METHODS)  # the comparison covered every method
        frozen, plain = made
        one = frozen("a", 2, ("x",))
        assert one == frozen("a", 2, ("x",)) and one != frozen("b")
        assert hash(one) == hash(frozen("a", 2, ("x",)))
        assert repr(one) == "_classes.<locals>.Frozen(name='a', count=2, tags=('x',), notes=[])"
        with pytest.raises(dataclasses.FrozenInstanceError):
            one.name = "b"  # type: ignore[misc]
        assert frozen("a").notes is not frozen("a").notes  # the factory runs for each
        assert plain(1.5) == plain(1.5, None) and plain(1.5).__hash__ is None
    # the annotations are the field types themselves, not their names (no inherited
    # ``from __future__ import annotations`` from the module compiling them)
    assert from_table[1].__init__.__annotations__ == plain_plain.__init__.__annotations__
    assert from_table[1].__init__.__annotations__["return"] is None


def test_a_text_is_compiled_once_and_then_taken_from_the_table(table: dict[str, CodeType]) -> None:
    _classes()
    codes = dict(table)
    _classes()
    assert table == codes and all(table[text] is codes[text] for text in codes)


def _start_in_a_process(cache: Path) -> dict[str, Any]:
    """A process that starts the table, defines pdsa's records, saves; what it compiled."""
    code = (
        "import json\n"
        "from pdsa_core import dataclass_code as d\n"
        "d.start()\n"
        "import pdsa_core.domain as domain\n"
        "team = domain.Team(id='t', name='Akut')\n"
        "compiled = sorted(d._used - d._loaded)\n"
        "d.save()\n"
        "print(json.dumps({'compiled': len(compiled), 'used': len(d._used), 'team': repr(team)}))\n"
    )
    env = {**os.environ, "PDSA_CACHE_DIR": str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_a_start_saves_what_it_compiled_and_the_next_start_compiles_none_of_it(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = _start_in_a_process(cache)
    assert first["compiled"] == first["used"] > 20  # the records' methods, all compiled
    saved = cache / f"dataclass-code.{sys.implementation.cache_tag}.marshal"
    assert saved.is_file()
    second = _start_in_a_process(cache)
    assert second["compiled"] == 0 and second["used"] == first["used"]
    assert second["team"] == first["team"]


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_an_unusable_file_is_read_as_an_empty_table(tmp_path: Path) -> None:
    header = dataclass_code._header()
    code = compile("x = 1", "<string>", "exec")
    assert dataclass_code._read(_write(tmp_path / "good", header + marshal.dumps({"x = 1": code}))) == {
        "x = 1": code
    }
    unusable = {
        "missing": None,
        "empty": b"",
        "another Python's": b"\x00\x00\r\n\x00" + marshal.dumps({"x = 1": code}),
        "cut short": header + marshal.dumps({"x = 1": code})[:-5],
        "not marshal": header + b"\xff\xfe garbage",
        "not a table": header + marshal.dumps([1, 2]),
    }
    for name, data in unusable.items():
        path = tmp_path / name
        if data is not None:
            _write(path, data)
        assert dataclass_code._read(path) == {}, name
    (tmp_path / "a folder").mkdir()
    assert dataclass_code._read(tmp_path / "a folder") == {}
    # entries that are not a text and its code are left out, the others kept
    mixed = header + marshal.dumps({"x = 1": code, "y": 2, 3: code})
    assert dataclass_code._read(_write(tmp_path / "mixed", mixed)) == {"x = 1": code}


def test_a_cache_folder_that_cannot_be_written_changes_nothing(
    table: dict[str, CodeType], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("PDSA_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.setattr(dataclass_code, "_started", True)
    _classes()
    dataclass_code.save()  # no error
    assert blocker.read_text() == "not a folder"


def test_a_full_table_keeps_what_this_process_used(
    table: dict[str, CodeType], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PDSA_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(dataclass_code, "_started", True)
    monkeypatch.setattr(dataclass_code, "MAX_ENTRIES", 3)
    old = {f"x = {n}": compile(f"x = {n}", "<string>", "exec") for n in range(5)}
    table.update(old)
    dataclass_code._loaded.update(old)
    _classes()
    dataclass_code.save()
    saved = dataclass_code._read(dataclass_code.cache_path())
    assert set(saved) == dataclass_code._used and not set(saved) & set(old)


def test_pdsa_starts_the_table_and_saves_it_when_start_up_is_over(tmp_path: Path) -> None:
    env = {**os.environ, "PDSA_CACHE_DIR": str(tmp_path)}
    args = [sys.executable, "-m", "pdsa_cli", "--workspace", str(tmp_path / "w.json"), "init"]
    subprocess.run(args, cwd=ROOT, env=env, capture_output=True, check=True)
    saved = dataclass_code._read(tmp_path / f"dataclass-code.{sys.implementation.cache_tag}.marshal")
    assert any("__init__" in text and "municipalities" in text for text in saved)  # Team's
