"""Key bindings: every binding has an id, a text in both languages, and can be remapped.

A keymap maps binding ids to keys (``{"nav.board": "f3"}``, several keys comma-separated).
It is read from the workspace settings (``keymap``, written by the help screen's remap
and shared by everyone using the workspace) and then from the user's own file
``$XDG_CONFIG_HOME/pdsa/keymap.toml`` (or ``PDSA_KEYMAP``), which wins::

    [keymap]
    "nav.board" = "f3"
    "app.quit" = "ctrl+q"
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from textual.app import ScreenError
from textual.binding import Binding
from textual.dom import DOMNode, NoScreen

from pdsa_core.errors import ValidationError
from pdsa_core.i18n import t


def binding(key: str, action: str, binding_id: str, *, show: bool = True, priority: bool = False) -> Binding:
    """A binding whose description is the text ``tui.key.<id>`` in the current language."""
    return Binding(key, action, t(f"tui.key.{binding_id}"), show=show, priority=priority, id=binding_id)


def localize_bindings(node: DOMNode) -> None:
    """Give the node's bindings their descriptions in the current language.

    Textual copies a class's bindings into each node when the node is created; a language
    switch at run time therefore rewrites the copies of nodes that exist.
    """
    bindings_map = getattr(node, "_bindings", None)
    key_to_bindings = getattr(bindings_map, "key_to_bindings", None)
    if not isinstance(key_to_bindings, dict):
        return
    for key, items in key_to_bindings.items():
        key_to_bindings[key] = [
            replace(b, description=t(f"tui.key.{b.id}")) if b.id and _has_text(b.id) else b for b in items
        ]
    try:
        screen = node.screen
    except (NoScreen, ScreenError):  # not shown yet: the footer reads the bindings when it is
        return
    screen.refresh_bindings()  # the footer shows the new descriptions


def _has_text(binding_id: str) -> bool:
    key = f"tui.key.{binding_id}"
    return t(key) != key


def user_keymap_path() -> Path:
    env = os.environ.get("PDSA_KEYMAP")
    if env:
        return Path(env).expanduser()
    base = Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config"))
    return base / "pdsa" / "keymap.toml"


def read_keymap_file(path: Path) -> dict[str, str]:
    """The ``[keymap]`` table of a TOML file (missing file: empty); bad content is refused clearly."""
    if not path.exists():
        return {}
    import tomllib  # only for a user who has a keymap file: not on every start's way

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValidationError(f"cannot read the keymap: {exc}", where=str(path)) from None
    return check_keymap(data.get("keymap", {}), where=str(path))


def check_keymap(raw: Any, *, where: str) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise ValidationError("the keymap must be a table of binding id = key", where=where)
    keymap: dict[str, str] = {}
    for binding_id, keys in raw.items():
        if not isinstance(keys, str) or not keys.strip():
            raise ValidationError(f'key for {binding_id!r} must be a text such as "f3"', where=where)
        keymap[str(binding_id)] = keys.strip()
    return keymap


def load_keymap(settings: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
    """The merged keymap and the problems found (shown as notifications, never fatal)."""
    keymap: dict[str, str] = {}
    problems: list[str] = []
    try:
        keymap.update(check_keymap(settings.get("keymap", {}), where="workspace settings"))
    except ValidationError as exc:
        problems.append(str(exc))
    try:
        keymap.update(read_keymap_file(user_keymap_path()))
    except ValidationError as exc:
        problems.append(str(exc))
    return keymap, problems
