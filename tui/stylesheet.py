"""Textual's stylesheet, each source parsed once per theme in a process.

Textual parses every CSS source again more than once while an app starts: the first screen's
stylesheet is parsed, then ``refresh_css`` sets the theme's variables (which empties the
stylesheet's own cache) and re-parses everything in a new stylesheet, whose cache is thrown
away, so the next widget class that adds its ``DEFAULT_CSS`` makes every source be parsed a
third time. Measured on the national workspace's start (machine load 3.7) the three full
parses took 43, 38 and 47 ms; with this class there is one (15-18 ms at load 2-3).

Parsing is a pure function of a source's text, where it was read from, its scope and the
theme's variables; :class:`SharedStylesheet` keeps the parsed rules by exactly those, for
the process (a theme switch, ``ctrl+t``, parses once per theme; switching back is free).

The parsed rules are also kept from one start to the next, in ``stylesheets.pickle`` in
pdsa's cache folder (:func:`load_saved_rules`, :func:`save_parsed_rules`): a start whose
sources are all there parses nothing (about 35 ms of the national workspace's first paint).
The file is a pickle, read with an unpickler that makes only Textual's style classes
(:data:`STYLE_MODULES`, :data:`ALLOWED`), so a file put there by someone else cannot make
pdsa run anything; a file that is damaged, of another Textual or does not hold such rules is
ignored.
"""

from __future__ import annotations

import enum
import functools
import io
import os
import pickle
from typing import Any

import textual
from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet
from textual.css.types import CSSLocation

from pdsa_core.storage.user_folders import read_cache_bytes, user_folder, write_cache_bytes

#: parsed rules by (text, read from, default rules, tie breaker, scope, theme variables)
_PARSED: dict[tuple[Any, ...], list[RuleSet]] = {}
#: the keys of :data:`_PARSED` that the cache folder's file holds already
_SAVED: set[tuple[Any, ...]] = set()

CACHE_FILE = "stylesheets.pickle"

#: the modules whose classes a saved stylesheet is made of (rules, selectors, styles, their
#: values: colours, scalars, spacings, layouts): classes that hold values, nothing that reads,
#: writes or runs anything
STYLE_MODULES: frozenset[str] = frozenset(
    {
        "textual.color",
        "textual.geometry",
        "textual.css.model",
        "textual.css.scalar",
        "textual.css.styles",
        "textual.css.transition",
        "textual.layouts.grid",
        "textual.layouts.horizontal",
        "textual.layouts.stream",
        "textual.layouts.vertical",
    }
)
#: the functions a saved stylesheet refers to (a selector's check, bound with functools.partial)
ALLOWED: frozenset[tuple[str, str]] = frozenset(
    {
        ("textual.css.model", "_check_class"),
        ("textual.css.model", "_check_id"),
        ("textual.css.model", "_check_type"),
        ("textual.css.model", "_check_universal"),
        ("functools", "partial"),
    }
)


def installed_textual() -> list[tuple[str, int, int]]:
    """Which Textual is installed, as the files its saved rules depend on say it: each style
    module's and the parser's path, modification time and size.

    Not ``textual.__version__``: Textual reads that from its distribution's metadata, which
    imports :mod:`importlib.metadata` with the ``email`` package and scans the installed
    distributions (15-20 ms of each start). Installing another Textual writes these files
    again, so a saved file of another Textual (or of another Python's) is never read.
    """
    root = os.path.dirname(os.path.dirname(textual.__file__ or ""))
    identity = []
    for module in sorted(STYLE_MODULES | {"textual", "textual.css.parse", "textual.css.stylesheet"}):
        relative = module.replace(".", os.sep)
        for path in (os.path.join(root, relative + ".py"), os.path.join(root, relative, "__init__.py")):
            try:
                stat = os.stat(path)
            except OSError:
                continue
            identity.append((path, stat.st_mtime_ns, stat.st_size))
            break
        else:
            identity.append((module, 0, 0))
    return identity


class SharedStylesheet(Stylesheet):
    """A :class:`~textual.css.stylesheet.Stylesheet` whose parsed sources are kept for the process."""

    def __init__(self, *, variables: dict[str, str] | None = None) -> None:
        super().__init__(variables=variables)
        self._variables_key = _key_of(self._variables)

    def set_variables(self, variables: dict[str, str]) -> None:
        super().set_variables(variables)
        self._variables_key = _key_of(variables)

    def _parse_rules(
        self,
        css: str,
        read_from: CSSLocation,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> list[RuleSet]:
        key = (css, read_from, is_default_rules, tie_breaker, scope, self._variables_key)
        rules = _PARSED.get(key)
        if rules is None:
            rules = super()._parse_rules(css, read_from, is_default_rules, tie_breaker, scope)
            _PARSED[key] = rules
        return rules

    def reparse(self) -> None:
        """Textual's ``reparse`` (parse in a new stylesheet, so an error leaves this one as it
        was), the new stylesheet being of this class, so it finds what was parsed before."""
        stylesheet = type(self)(variables=self._variables)
        for read_from, (css, is_defaults, tie_breaker, scope) in self.source.items():
            stylesheet.add_source(
                css, read_from=read_from, is_default_css=is_defaults, tie_breaker=tie_breaker, scope=scope
            )
        try:
            stylesheet.parse()
        except Exception:
            self._invalid_css.update(stylesheet._invalid_css)
            raise
        self._rules = stylesheet.rules
        self._rules_map = None
        self.source = stylesheet.source
        self._require_parse = False


def _key_of(variables: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(variables.items()))


def _style_getattr(owner: Any, name: str) -> Any:
    """The ``getattr`` pickle makes an enum member and a bound method with, for what style
    objects hold only: a member of an enum, the ``get`` and ``__contains__`` of a dictionary
    of rules (Textual's ``Styles.get_rule`` and ``has_rule``)."""
    if isinstance(owner, enum.EnumMeta) and name in owner.__members__:
        return owner[name]
    if type(owner) is dict and name in ("get", "__contains__"):
        return getattr(owner, name)
    raise pickle.UnpicklingError(f"not part of a style: {type(owner).__name__}.{name}")


class _RulesUnpickler(pickle.Unpickler):
    """An unpickler that makes only Textual's style objects: the classes of :data:`STYLE_MODULES`
    and the functions of :data:`ALLOWED`."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("builtins", "getattr"):
            return _style_getattr
        if (module, name) == ("functools", "partial"):
            return functools.partial
        if module in STYLE_MODULES and "." not in name and not name.startswith("__"):
            found = super().find_class(module, name)
            # a class of the module's own (not one it imported, such as operator.attrgetter,
            # which would let a file reach any attribute), or one of the selector functions
            defined_here = isinstance(found, type) and found.__module__ == module
            if defined_here or (module, name) in ALLOWED:
                return found
        raise pickle.UnpicklingError(f"not a style object: {module}.{name}")


def _read_rules(data: bytes) -> dict[tuple[Any, ...], list[RuleSet]] | None:
    """The parsed rules a saved file holds, None unless it is exactly what :func:`save_parsed_rules`
    writes for this Textual (damaged, older, or holding anything else)."""
    try:
        saved = _RulesUnpickler(io.BytesIO(data)).load()
    except Exception:  # noqa: BLE001 - any damage at all only means parsing again
        return None
    if not (isinstance(saved, dict) and saved.get("textual") == installed_textual()):
        return None
    rules = saved.get("rules")
    if not isinstance(rules, dict):
        return None
    return {
        key: value
        for key, value in rules.items()
        if isinstance(key, tuple)
        and isinstance(value, list)
        and all(isinstance(rule, RuleSet) for rule in value)
    }


def load_saved_rules() -> None:
    """Take the rules parsed at earlier starts from the cache folder (before the app starts)."""
    data = read_cache_bytes(user_folder("cache") / CACHE_FILE)
    rules = _read_rules(data) if data is not None else None
    if rules:
        for key, value in rules.items():
            _PARSED.setdefault(key, value)
        _SAVED.update(rules)


def save_parsed_rules() -> None:
    """Keep the rules parsed in this process for the next start, if any are new; only what
    :func:`load_saved_rules` will accept is written."""
    if not _PARSED or _SAVED.issuperset(_PARSED):
        return
    try:
        data = pickle.dumps(
            {"textual": installed_textual(), "rules": _PARSED}, protocol=pickle.HIGHEST_PROTOCOL
        )
    except Exception:  # noqa: BLE001 - a style Textual cannot pickle: the next start parses
        return
    if _read_rules(data) is None:  # a style object the reader refuses (another Textual): keep parsing
        return
    write_cache_bytes(user_folder("cache") / CACHE_FILE, data)
    _SAVED.update(_PARSED)
