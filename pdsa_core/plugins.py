"""The plugin manager: loads plugins, collects what they register, isolates failures.

Plugins come from three places, in this order: the built-in default plugins (pdsa's own
generic features, registered through the same hooks), installed distributions with an
entry point in the group ``pdsa``, and loose ``.py`` files in plugin folders
(``--plugins-dir``, ``PDSA_PLUGINS_DIR``). ``PDSA_LOAD_PLUGINS`` (a comma-separated list
of names) restricts which non-built-in plugins load.

A plugin that fails to import, has a hook with a wrong signature, raises inside a hook or
registers something invalid is recorded in :attr:`Plugins.errors` under its name; all
other plugins keep working.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import os
import sys
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy

from pdsa_core import hookspecs
from pdsa_core.domain import IndicatorSet
from pdsa_core.domain.driver import DiagramTemplate
from pdsa_core.errors import NotFoundError, PluginError, ValidationError

ENTRY_POINT_GROUP = "pdsa"

#: pdsa's own default plugins, registered through the public hooks
DEFAULT_PLUGINS = (
    "pdsa_core.default_plugins.rule_sets",
    "pdsa_core.default_plugins.importers",
    "pdsa_core.default_plugins.instruments",
    "pdsa_core.default_plugins.sources",
    "pdsa_core.default_plugins.report_sections",
)


@dataclass
class PluginInfo:
    name: str
    origin: str  # "built-in", "entry point", "folder"
    version: str = ""
    location: str = ""
    hooks: list[str] = field(default_factory=list)
    registered: dict[str, list[str]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "origin": self.origin,
            "version": self.version,
            "location": self.location,
            "hooks": sorted(self.hooks),
            "registered": {k: sorted(v) for k, v in sorted(self.registered.items())},
            "errors": list(self.errors),
        }


@dataclass(frozen=True)
class PluginFailure:
    plugin: str
    stage: str
    message: str

    def __str__(self) -> str:
        return f"plugin {self.plugin}: {self.stage}: {self.message}"


def _item_id(item: Any) -> str:
    return str(getattr(item, "id", None) or getattr(item, "name", None) or item)


class Plugins:
    """Loaded plugins and the validated things they registered."""

    def __init__(self) -> None:
        self.pm = pluggy.PluginManager("pdsa")
        self.pm.add_hookspecs(hookspecs)
        self.info: dict[str, PluginInfo] = {}
        self.errors: list[PluginFailure] = []
        self.registries: dict[str, dict[str, Any]] = {}
        self._owner: dict[tuple[str, str], str] = {}
        self._reported = False

    # -- loading --------------------------------------------------------------------------
    def add(
        self, module: ModuleType | object, name: str, origin: str, *, version: str = "", location: str = ""
    ) -> None:
        info = PluginInfo(name=name, origin=origin, version=version, location=location)
        self.info[name] = info
        try:
            self.pm.register(module, name=name)
        except (pluggy.PluginValidationError, ValueError) as exc:
            self._fail(name, "wrong hook", str(exc))
            return
        info.hooks = sorted(impl.name for impl in self.pm.get_hookcallers(module) or [])

    def _fail(self, name: str, stage: str, message: str) -> None:
        failure = PluginFailure(name, stage, message)
        self.errors.append(failure)
        self.info.setdefault(name, PluginInfo(name=name, origin="unknown")).errors.append(
            f"{stage}: {message}"
        )

    def load_module(self, module_name: str, name: str, origin: str, **kwargs: Any) -> None:
        try:
            module = importlib.import_module(module_name)
        except Exception as exc:  # noqa: BLE001 - any failure of a plugin is reported, not raised
            self.info[name] = PluginInfo(name=name, origin=origin, **kwargs)
            self._fail(name, "import failed", _short_error(exc))
            return
        self.add(module, name, origin, **kwargs)

    def load_file(self, path: Path) -> None:
        name = path.stem
        spec = importlib.util.spec_from_file_location(f"pdsa_folder_plugin_{name}", path)
        if spec is None or spec.loader is None:
            self._fail(name, "import failed", f"cannot load {path}")
            return
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except Exception as exc:  # noqa: BLE001
            self.info[name] = PluginInfo(name=name, origin="folder", location=str(path))
            self._fail(name, "import failed", _short_error(exc))
            return
        self.add(module, name, "folder", location=str(path))

    # -- registries --------------------------------------------------------------------------
    def collect(self) -> None:
        """Call every register_* hook, one plugin at a time, validating what it registers."""
        self._collect("indicator_sets", "register_indicator_sets", _validate_indicator_set)
        self._collect("diagram_templates", "register_diagram_templates", _validate_template)
        self._collect("importers", "register_importers", _validate_importer)
        self._collect("data_sources", "register_data_sources", _validate_source)
        self._collect("populations", "register_populations", _validate_population)
        self._collect("rule_sets", "register_rule_sets", _validate_rule_set)
        self._collect("instruments", "register_instruments", _validate_instrument)
        self._collect("report_sections", "register_report_sections", _validate_section)

    def _collect(self, kind: str, hook_name: str, validate: Callable[..., tuple[str, Any]]) -> None:
        registry = self.registries.setdefault(kind, {})
        hook = getattr(self.pm.hook, hook_name)
        for impl in reversed(hook.get_hookimpls()):  # registration order: built-ins first
            plugin_name = impl.plugin_name

            def register(*args: Any, _plugin: str = plugin_name, **kwargs: Any) -> None:
                try:
                    key, item = validate(*args, **kwargs)
                except (ValidationError, TypeError, ValueError) as exc:
                    raise PluginError(f"{kind[:-1].replace('_', ' ')} refused: {exc}") from None
                owner = self._owner.get((kind, key))
                if owner is not None:
                    raise PluginError(
                        f"{kind[:-1].replace('_', ' ')} {key!r} is already registered by {owner}"
                    )
                registry[key] = item
                self._owner[(kind, key)] = _plugin
                self.info[_plugin].registered.setdefault(kind, []).append(key)

            try:
                impl.function(register=register)
            except PluginError as exc:
                self._fail(plugin_name, hook_name, exc.message)
            except Exception as exc:  # noqa: BLE001 - a plugin's bug must not stop pdsa
                self._fail(plugin_name, hook_name, _short_error(exc))

    def _get(self, kind: str, key: str) -> Any:
        registry = self.registries.get(kind, {})
        if key in registry:
            return registry[key]
        known = ", ".join(sorted(registry)) or "none"
        raise NotFoundError(f"no {kind[:-1].replace('_', ' ')} {key!r} (known: {known})")

    def indicator_set(self, key: str) -> IndicatorSet:
        return self._get("indicator_sets", key)

    def diagram_template(self, key: str) -> DiagramTemplate:
        return self._get("diagram_templates", key)

    def importer(self, key: str) -> Any:
        return self._get("importers", key)

    def data_source(self, key: str) -> Any:
        return self._get("data_sources", key)

    def population(self, key: str) -> Any:
        return self._get("populations", key)[0]

    def rule_set(self, key: str) -> Any:
        return self._get("rule_sets", key)

    def instrument(self, key: str) -> Any:
        return self._get("instruments", key)

    def items(self, kind: str) -> dict[str, Any]:
        return dict(self.registries.get(kind, {}))

    # -- commands and events -------------------------------------------------------------------
    def add_cli_commands(self, cli: Any) -> None:
        for impl in reversed(self.pm.hook.register_commands.get_hookimpls()):
            try:
                impl.function(cli=cli)
            except Exception as exc:  # noqa: BLE001
                self._fail(impl.plugin_name, "register_commands", _short_error(exc))

    def attach(self, workspace: Any) -> None:
        """Send the workspace's events to every plugin's ``on_event`` hook."""

        def listener(event: str, payload: dict[str, Any]) -> None:
            self.emit(event, payload, workspace)

        workspace.listeners.append(listener)

    def emit(self, event: str, payload: dict[str, Any], workspace: Any) -> None:
        for impl in self.pm.hook.on_event.get_hookimpls():
            kwargs = {"event": event, "payload": payload, "workspace": workspace}
            try:
                impl.function(**{k: kwargs[k] for k in impl.argnames})
            except Exception as exc:  # noqa: BLE001
                failure = PluginFailure(impl.plugin_name, "on_event", _short_error(exc))
                self.errors.append(failure)
                _warn(str(failure))

    def report_errors(self, echo: Callable[[str], None] | None = None) -> None:
        """Print each failure once as a warning on stderr (the TUI shows notifications instead)."""
        if self._reported:
            return
        self._reported = True
        for failure in self.errors:
            (echo or _warn)(str(failure))


def _warn(message: str) -> None:
    from pdsa_core.i18n import t

    sys.stderr.write(f"{t('warning')}: {message}\n")


def _short_error(exc: BaseException) -> str:
    """The exception and where in the plugin it happened, without a full traceback."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = ""
    if isinstance(exc, SyntaxError) and exc.filename:
        where = f" ({Path(exc.filename).name}, line {exc.lineno})"
    elif frames:
        last = frames[-1]
        where = f" ({Path(last.filename).name}, line {last.lineno})"
    return f"{type(exc).__name__}: {exc}{where}"


# -- validation of what plugins register -----------------------------------------------------------
def _validate_indicator_set(item: Any) -> tuple[str, IndicatorSet]:
    if isinstance(item, dict):
        item = IndicatorSet.from_dict(item)
    if not isinstance(item, IndicatorSet):
        raise ValidationError(f"expected an IndicatorSet, got {type(item).__name__}")
    return item.id, item


def _validate_template(item: Any) -> tuple[str, DiagramTemplate]:
    if isinstance(item, dict):
        item = DiagramTemplate.from_dict(item)
    if not isinstance(item, DiagramTemplate):
        raise ValidationError(f"expected a DiagramTemplate, got {type(item).__name__}")
    return item.id, item


def _require(item: Any, attributes: Iterable[str], what: str) -> str:
    missing = [a for a in attributes if not hasattr(item, a)]
    if missing:
        raise ValidationError(f"{what} {type(item).__name__} lacks {', '.join(missing)}")
    key = _item_id(item)
    if not key or not isinstance(key, str):
        raise ValidationError(f"{what} has no id")
    return key


def _validate_importer(item: Any) -> tuple[str, Any]:
    return _require(item, ("id", "read"), "importer"), item


def _validate_source(item: Any) -> tuple[str, Any]:
    return _require(item, ("id", "fetch"), "data source"), item


def _validate_population(key: str, population: Any, description: str = "") -> tuple[str, Any]:
    if not isinstance(key, str) or not key:
        raise ValidationError("a population needs an id")
    if not hasattr(population, "to_dict"):
        raise ValidationError(f"population {key} must be a Population, got {type(population).__name__}")
    return key, (population, description)


def _validate_rule_set(item: Any) -> tuple[str, Any]:
    return _require(item, ("id", "evaluate"), "rule set"), item


def _validate_instrument(item: Any) -> tuple[str, Any]:
    key = _require(item, ("id", "version", "factors"), "instrument")
    return f"{key}@{item.version}", item


def _validate_section(item: Any) -> tuple[str, Any]:
    return _require(item, ("id", "render"), "report section"), item


# -- discovery -----------------------------------------------------------------------------------------
def _allowed() -> set[str] | None:
    raw = os.environ.get("PDSA_LOAD_PLUGINS")
    if raw is None:
        return None
    return {name.strip() for name in raw.split(",") if name.strip()}


def plugin_folders(extra: Sequence[str | os.PathLike[str]] = ()) -> list[Path]:
    folders = [Path(p) for p in extra]
    env = os.environ.get("PDSA_PLUGINS_DIR", "")
    folders += [Path(p) for p in env.split(os.pathsep) if p]
    return list(dict.fromkeys(folders))


_CACHE: dict[tuple[Any, ...], Plugins] = {}


def load_plugins(
    plugins_dirs: Sequence[str | os.PathLike[str]] = (),
    *,
    include_entry_points: bool = True,
    extra: Iterable[tuple[str, object]] = (),
    fresh: bool = False,
) -> Plugins:
    """Load built-ins, entry points and folder plugins, then collect their registrations.

    The result is cached per set of folders and environment, so the CLI and the TUI share
    one instance (and report each failure once); ``fresh=True`` or ``extra`` bypass the cache.
    """
    extra = list(extra)
    key = (
        tuple(str(p) for p in plugin_folders(plugins_dirs)),
        include_entry_points,
        os.environ.get("PDSA_LOAD_PLUGINS"),
    )
    if not fresh and not extra and key in _CACHE:
        return _CACHE[key]
    plugins = _load(plugins_dirs, include_entry_points=include_entry_points, extra=extra)
    if not extra:
        _CACHE[key] = plugins
    return plugins


def _load(
    plugins_dirs: Sequence[str | os.PathLike[str]],
    *,
    include_entry_points: bool,
    extra: Iterable[tuple[str, object]],
) -> Plugins:
    plugins = Plugins()
    for module_name in DEFAULT_PLUGINS:
        try:
            importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:  # not part of this build
                continue
        plugins.load_module(module_name, module_name.rsplit(".", 1)[-1], "built-in")
    allowed = _allowed()
    if include_entry_points:
        for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
            if allowed is not None and entry_point.name not in allowed:
                continue
            dist = entry_point.dist
            try:
                module = entry_point.load()
            except Exception as exc:  # noqa: BLE001
                plugins.info[entry_point.name] = PluginInfo(
                    entry_point.name, "entry point", dist.version if dist else "", entry_point.value
                )
                plugins._fail(entry_point.name, "import failed", _short_error(exc))
                continue
            plugins.add(
                module,
                entry_point.name,
                "entry point",
                version=dist.version if dist else "",
                location=dist.name if dist else entry_point.value,
            )
    for folder in plugin_folders(plugins_dirs):
        if not folder.is_dir():
            plugins._fail(str(folder), "plugins folder", "not a folder")
            continue
        for path in sorted(folder.glob("*.py")):
            if path.name.startswith("_") or (allowed is not None and path.stem not in allowed):
                continue
            plugins.load_file(path)
    for name, module in extra:
        plugins.add(module, name, "test")
    plugins.collect()
    return plugins
