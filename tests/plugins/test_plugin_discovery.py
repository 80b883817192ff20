"""The installed entry points are remembered between starts (pdsa_core/plugin_discovery.py)."""

from __future__ import annotations

import importlib.metadata
import json
import os
from pathlib import Path

import pytest

from pdsa_core import plugin_discovery
from pdsa_core.plugin_discovery import Distribution, FoundEntryPoint, cache_path, entry_points


class _Metadata:
    """importlib.metadata.entry_points, counting how often the metadata is read."""

    def __init__(self, found: list[importlib.metadata.EntryPoint]) -> None:
        self.found = found
        self.reads = 0

    def __call__(self, *, group: str) -> list[importlib.metadata.EntryPoint]:
        self.reads += 1
        return [e for e in self.found if e.group == group]


@pytest.fixture
def metadata(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> _Metadata:
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    fake = _Metadata(
        [
            importlib.metadata.EntryPoint(name="zeta", value="json:dumps", group="pdsa"),
            importlib.metadata.EntryPoint(name="alpha", value="os.path", group="pdsa"),
            importlib.metadata.EntryPoint(name="other", value="os", group="console_scripts"),
        ]
    )
    monkeypatch.setattr(importlib.metadata, "entry_points", fake)
    return fake


def test_entry_points_are_read_once_then_remembered(metadata: _Metadata) -> None:
    first = entry_points("pdsa")
    assert [e.name for e in first] == ["alpha", "zeta"]
    assert metadata.reads == 1 and cache_path().is_file()
    again = entry_points("pdsa")
    assert again == first and metadata.reads == 1  # from the cache, the metadata not read
    assert again[1].load() is __import__("json").dumps
    assert again[0].load() is os.path


def test_a_changed_folder_on_the_path_means_looking_again(metadata: _Metadata, tmp_path: Path) -> None:
    entry_points("pdsa")
    folder = tmp_path / "site"
    later = folder.stat().st_mtime_ns + 5_000_000_000
    os.utime(folder, ns=(later, later))  # as when pip adds or removes a .dist-info folder
    metadata.found.append(importlib.metadata.EntryPoint(name="new", value="os", group="pdsa"))
    assert [e.name for e in entry_points("pdsa")] == ["alpha", "new", "zeta"]
    assert metadata.reads == 2


def test_another_path_another_group_or_another_pdsa_looks_again(
    metadata: _Metadata, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    entry_points("pdsa")
    assert [e.name for e in entry_points("console_scripts")] == ["other"]
    assert metadata.reads == 2
    monkeypatch.syspath_prepend(str(tmp_path))
    entry_points("console_scripts")
    assert metadata.reads == 3
    monkeypatch.setattr(plugin_discovery, "__version__", "99.0")
    entry_points("console_scripts")
    assert metadata.reads == 4
    entry_points("console_scripts", fresh=True)
    assert metadata.reads == 5


@pytest.mark.parametrize(
    "content",
    [b"", b"not json", b"[]", b'{"pdsa": 1}', b'{"entry_points": [{"nom": 1}]}', bytes(range(256))],
)
def test_a_damaged_cache_is_read_past_and_written_again(metadata: _Metadata, content: bytes) -> None:
    entry_points("pdsa")
    cache_path().write_bytes(content)
    assert [e.name for e in entry_points("pdsa")] == ["alpha", "zeta"]
    assert metadata.reads == 2
    entry_points("pdsa")
    assert metadata.reads == 2  # written again


def test_a_cache_entry_of_the_wrong_shape_is_not_trusted(metadata: _Metadata) -> None:
    entry_points("pdsa")
    path = cache_path()
    text = path.read_text(encoding="utf-8").replace('"name":"alpha"', '"nom":"alpha"')
    path.write_text(text, encoding="utf-8")
    assert [e.name for e in entry_points("pdsa")] == ["alpha", "zeta"]
    assert metadata.reads == 2


def test_a_cache_folder_that_cannot_be_written_changes_nothing(
    metadata: _Metadata, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("PDSA_CACHE_DIR", str(blocker / "cache"))  # below a file: cannot be made
    assert [e.name for e in entry_points("pdsa")] == ["alpha", "zeta"]
    assert [e.name for e in entry_points("pdsa")] == ["alpha", "zeta"]
    assert metadata.reads == 2


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_a_named_pipe_in_place_of_the_cache_is_not_read(metadata: _Metadata) -> None:
    path = cache_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    assert [e.name for e in entry_points("pdsa")] == ["alpha", "zeta"]  # does not hang


def test_the_cache_holds_names_and_versions_only(metadata: _Metadata) -> None:
    entry = FoundEntryPoint("alpha", "os.path", Distribution("pdsa-alpha", "1.2"))
    assert entry.dist is not None and entry.dist.version == "1.2"
    entry_points("pdsa")
    keys: set[str] = set()
    for item in json.loads(cache_path().read_text(encoding="utf-8"))["entry_points"]:
        keys |= set(item)
    assert keys == {"name", "value", "dist"}


def test_the_real_installation_gives_what_importlib_metadata_gives() -> None:
    """On the interpreter running the tests (pdsa's own plugins installed or not)."""
    expected = sorted(
        (e.name, e.value, e.dist.name if e.dist else None)
        for e in importlib.metadata.entry_points(group="pdsa")
    )
    for _ in range(2):  # found, then remembered
        found = [(e.name, e.value, e.dist.name if e.dist else None) for e in entry_points("pdsa")]
        assert found == expected


def test_sys_path_entries_that_are_not_there_are_part_of_the_key(
    metadata: _Metadata, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    missing = tmp_path / "not-yet"
    monkeypatch.syspath_prepend(str(missing))
    entry_points("pdsa")
    missing.mkdir()  # a folder that appears on the path (a new virtual environment's site)
    entry_points("pdsa")
    assert metadata.reads == 2
