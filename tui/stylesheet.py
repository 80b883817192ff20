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
"""

from __future__ import annotations

from typing import Any

from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet
from textual.css.types import CSSLocation

#: parsed rules by (text, read from, default rules, tie breaker, scope, theme variables)
_PARSED: dict[tuple[Any, ...], list[RuleSet]] = {}


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
