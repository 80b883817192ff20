"""The parsed stylesheets kept from one start to the next (tui.stylesheet's cache file): the
next start parses nothing and styles the same; a file that is damaged, of another Textual, or
made to run code when read is ignored."""

from __future__ import annotations

import io
import os
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.css.stylesheet import Stylesheet
from tui_helpers import count_parses, settle

from tui import stylesheet
from tui.app import PdsaApp

pytestmark = pytest.mark.anyio


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of the test's own, and the process's parsed rules forgotten."""
    monkeypatch.setenv("PDSA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(stylesheet, "_PARSED", {})
    monkeypatch.setattr(stylesheet, "_SAVED", set())
    return tmp_path / "cache" / stylesheet.CACHE_FILE


def _forget_this_process() -> None:
    stylesheet._PARSED.clear()
    stylesheet._SAVED.clear()


async def _rules_of_a_start(workspace: Any, plugins: Any) -> list[tuple[Any, ...]]:
    """The rules the app styled its first screen with, each written out with all its fields
    (a layout object compares by identity, so the rules themselves are never equal; a set's
    order may differ)."""
    app = PdsaApp(workspace, plugins)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        return [
            (
                repr(rule.selector_set),
                sorted((name, repr(value)) for name, value in rule.styles.get_rules().items()),
                sorted(rule.styles.important),
                rule.is_default_rules,
                rule.tie_breaker,
                sorted(rule.selector_names),
                sorted(rule.pseudo_classes),
            )
            for rule in app.stylesheet.rules
        ]


async def test_the_next_start_parses_nothing_and_styles_the_same(
    cache: Path, tui_workspace: Any, plugins: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = count_parses(monkeypatch)
    first = await _rules_of_a_start(tui_workspace, plugins)
    assert parsed and cache.stat().st_size > 0  # written once the first screen was shown

    _forget_this_process()  # as a new process
    parsed.clear()
    stylesheet.load_saved_rules()
    assert await _rules_of_a_start(tui_workspace, plugins) == first
    assert parsed == []

    written = cache.stat().st_mtime_ns
    stylesheet.save_parsed_rules()  # nothing new: the file is not written again
    assert cache.stat().st_mtime_ns == written


class _RunsCode:
    """What a hostile file would hold: an object that, unpickled, makes a folder."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> Any:
        return (os.mkdir, (str(self.marker),))


class _Getattr:
    """A pickled getattr that is neither an enum member nor a rules dictionary's method."""

    def __reduce__(self) -> Any:
        return (getattr, (Stylesheet, "read"))


def _saved(rules: Any) -> bytes:
    return pickle.dumps({"textual": stylesheet.installed_textual(), "rules": rules})


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(lambda marker: _saved({("k",): [_RunsCode(marker)]}), id="code"),
        pytest.param(lambda marker: pickle.dumps(_RunsCode(marker)), id="code-alone"),
        pytest.param(lambda marker: _saved({("k",): [_Getattr()]}), id="getattr"),
        pytest.param(lambda marker: b"\x80\x05not a pickle", id="garbage"),
        pytest.param(lambda marker: b"", id="empty"),
        pytest.param(lambda marker: _saved({("k",): ["a text"]}), id="not-rules"),
        pytest.param(lambda marker: _saved([1, 2]), id="not-a-mapping"),
    ],
)
def test_a_file_that_is_not_saved_rules_is_ignored(cache: Path, tmp_path: Path, content: Any) -> None:
    marker = tmp_path / "ran"
    cache.parent.mkdir(parents=True)
    cache.write_bytes(content(marker))
    stylesheet.load_saved_rules()
    assert not marker.exists()
    assert stylesheet._PARSED == {}


async def test_rules_of_another_textual_or_cut_short_are_parsed_again(
    cache: Path, tui_workspace: Any, plugins: Any
) -> None:
    await _rules_of_a_start(tui_workspace, plugins)
    stylesheet.save_parsed_rules()
    whole = cache.read_bytes()
    other_textual = pickle.dumps({**pickle.loads(whole), "textual": [("textual/__init__.py", 1, 2)]})
    for content in (whole[: len(whole) // 2], other_textual):
        _forget_this_process()
        cache.write_bytes(content)
        stylesheet.load_saved_rules()
        assert stylesheet._PARSED == {}


async def test_style_objects_the_reader_would_refuse_are_not_written(
    cache: Path, tui_workspace: Any, plugins: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another Textual may pickle its styles with other classes: then nothing is kept."""
    monkeypatch.setattr(stylesheet, "STYLE_MODULES", stylesheet.STYLE_MODULES - {"textual.css.styles"})
    await _rules_of_a_start(tui_workspace, plugins)
    stylesheet.save_parsed_rules()
    assert not cache.exists()


async def test_rules_that_cannot_be_pickled_are_not_written_and_nothing_fails(
    cache: Path, tui_workspace: Any, plugins: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Saving runs as the app closes, also after an error: it must never raise itself."""
    await _rules_of_a_start(tui_workspace, plugins)
    saved = cache.read_bytes()
    monkeypatch.setitem(stylesheet._PARSED, ("a source",), [lambda: None])  # type: ignore[list-item]
    stylesheet.save_parsed_rules()
    assert cache.read_bytes() == saved


def test_classes_a_style_module_only_imports_are_refused() -> None:
    """``textual.css.styles`` imports ``operator.attrgetter``, which could reach any attribute:
    only classes a style module defines itself are made (and nothing is called)."""
    import textual.css.styles

    assert hasattr(textual.css.styles, "attrgetter")
    gadget = b"ctextual.css.styles\nattrgetter\n(V__class__\ntR."  # attrgetter("__class__")
    with pytest.raises(pickle.UnpicklingError, match="not a style object"):
        stylesheet._RulesUnpickler(io.BytesIO(gadget)).load()
    assert pickle.loads(gadget) is not None  # what an ordinary unpickler would have made


def test_every_textual_widgets_and_pdsas_styles_can_be_kept() -> None:
    """Whatever widget a screen mounts, its parsed styles are made of what the reader accepts
    (else they would be parsed at every start): checked for all of Textual's widgets and
    pdsa's own, with pdsa's stylesheet."""
    import textual.widgets
    from textual.app import App
    from textual.widget import Widget

    import tui.app  # noqa: F401 - pdsa's screens and widgets

    for name in textual.widgets.__all__:
        getattr(textual.widgets, name)  # imported when first asked for

    def subclasses(cls: type) -> Iterator[type]:
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    sheet = Stylesheet(variables=App().get_css_variables())
    for cls in set(subclasses(Widget)):
        css = getattr(cls, "DEFAULT_CSS", "")
        if css:
            sheet.add_source(css, read_from=(cls.__module__, cls.__qualname__), is_default_css=True)
    app_css = Path(stylesheet.__file__).with_name("app.tcss")
    sheet.add_source(app_css.read_text(encoding="utf-8"), read_from=(str(app_css), ""))
    sheet.parse()
    assert len(sheet.rules) > 300
    data = _saved({("all",): sheet.rules})
    kept = stylesheet._read_rules(data)
    assert kept is not None and len(kept[("all",)]) == len(sheet.rules)


def test_reading_the_saved_rules_does_not_ask_for_textuals_version(tmp_path: Path) -> None:
    """Textual's ``__version__`` reads the installed metadata (``importlib.metadata`` and the
    ``email`` package, 15-20 ms of a start); the saved file is matched to the installed Textual
    by its files instead."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from tui import stylesheet\n"
        "from textual.css.stylesheet import Stylesheet\n"
        "sheet = Stylesheet()\n"
        "sheet.add_source('Screen { color: red; }', read_from=('test', ''))\n"
        "sheet.parse()\n"
        "stylesheet._PARSED[('test',)] = sheet.rules\n"
        "stylesheet.save_parsed_rules()\n"
        "stylesheet._PARSED.clear(); stylesheet._SAVED.clear()\n"
        "before = 'importlib.metadata' in sys.modules\n"
        "stylesheet.load_saved_rules()\n"
        "print(before, 'importlib.metadata' in sys.modules, len(stylesheet._PARSED))\n"
    )
    env = {**os.environ, "PDSA_CACHE_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "1"]
