"""The plugin manager: loads plugins, collects what they register, isolates failures.

Plugins come from four places, loaded in this order: the built-in default plugins
(pdsa's own generic features, registered through the same hooks as anyone else's),
installed distributions with an entry point in the group ``pdsa``, and loose ``.py``
files in plugin folders (``--plugins-dir DIR``, the environment variable
``PDSA_PLUGINS_DIR`` (several folders separated by ``os.pathsep``) and the workspace
setting ``plugins_dir``, loaded only once the user trusts it: :mod:`pdsa_core.plugin_trust`).
``PDSA_LOAD_PLUGINS`` (a comma-separated list of plugin names) restricts which non-built-in
plugins load; set it to an empty string to load none.

A plugin that fails to import, has a hook with a wrong signature, raises inside a hook
(any exception, ``SystemExit`` included: :mod:`pdsa_core.plugin_guard`), registers
something invalid or loads slowly is recorded in :attr:`Plugins.errors` under its name,
with the error; all other plugins keep working. The CLI prints each failure once as a warning
on stderr; the TUI shows them as notifications (it reads :attr:`Plugins.errors` and can
subscribe to later ones, such as a failing ``on_event``, with
:attr:`Plugins.error_listeners`).

What plugins register is validated and copied by the core before anything can use it;
ids are unique per kind and the first registration wins (built-ins load first).
"""

from __future__ import annotations

import copy
import dataclasses
import difflib
import hashlib
import importlib
import importlib.util
import inspect
import os
import re
import shlex
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol

import pluggy

from pdsa_core import hookspecs, plugin_trust
from pdsa_core.domain import IndicatorSet
from pdsa_core.domain.driver import DiagramTemplate
from pdsa_core.errors import NotFoundError, PluginError, ValidationError
from pdsa_core.extension_types import DataSource, Importer, ReportSection, check_id
from pdsa_core.formatting import fmt_number
from pdsa_core.i18n import add_texts, t
from pdsa_core.literal import terminal
from pdsa_core.plugin_api import NamedPopulation, event_from
from pdsa_core.plugin_discovery import FoundEntryPoint
from pdsa_core.plugin_discovery import entry_points as installed_entry_points
from pdsa_core.plugin_guard import guarded
from pdsa_core.version import __version__

if TYPE_CHECKING:
    from pdsa_core.assessments.instrument import Instrument
    from pdsa_core.importing.events import Population

ENTRY_POINT_GROUP = "pdsa"

#: pdsa's own default plugins, registered through the public hooks (a module that is not
#: part of this build is skipped)
DEFAULT_PLUGINS = (
    "pdsa_core.default_plugins.rule_sets",
    "pdsa_core.default_plugins.importers",
    "pdsa_core.default_plugins.instruments",
    "pdsa_core.default_plugins.statbank",
    "pdsa_core.default_plugins.municipal",
    "pdsa_core.default_plugins.report_sections",
)

#: where a plugin came from
BUILT_IN, ENTRY_POINT, FOLDER, EXTRA = "built-in", "entry point", "folder", "extra"

add_texts(
    {
        "plugin.failure": ("plugin {plugin}: {stage}: {message}", "plugin {plugin}: {stage}: {message}"),
        "plugin.stage.import": ("kunne ikke importeres", "import failed"),
        "plugin.stage.hooks": ("forkert hook", "wrong hook"),
        "plugin.stage.duplicate": ("navnet er allerede i brug", "name already in use"),
        "plugin.stage.folder": ("plugin-mappe", "plugins folder"),
        "plugin.stage.not_found": ("ikke fundet", "not found"),
        "plugin.stage.refused": ("afvist", "refused"),
        "plugin.stage.slow": ("langsomt", "slow"),
        "plugin.stage.untrusted": ("ikke betroet", "not trusted"),
        "plugin.untrusted": (
            "arbejdsområdet nævner denne plugin-mappe; dens filer blev ikke kørt. "
            "Se filerne igennem, og kør dem så fremover med: {command}",
            "the workspace names this plugins folder; its files were not run. "
            "Check them, then run them from now on with: {command}",
        ),
        "plugin.slow": (
            "indlæsningen tog {seconds} s (over {limit} s); hver pdsa-kommando venter på det",
            "loading took {seconds} s (over {limit} s); every pdsa command waits for it",
        ),
        "plugin.slow_events": (
            "ændringen ventede {seconds} s på dette plugin (over {limit} s)",
            "the change waited {seconds} s for this plugin (over {limit} s)",
        ),
        "plugin.event_failures": (
            "{message} (fejlede {count} gange i denne ændring)",
            "{message} (failed {count} times in this change)",
        ),
    }
)


@dataclass
class PluginInfo:
    """One plugin: where it came from, the hooks it implements, what it registered, its errors."""

    name: str
    origin: str
    version: str = ""
    location: str = ""
    hooks: list[str] = field(default_factory=list)
    registered: dict[str, list[str]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def builtin(self) -> bool:
        return self.origin == BUILT_IN

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
    """A plugin that failed: its name, at which stage (import, a hook's name), the error."""

    plugin: str
    stage: str
    message: str

    def __str__(self) -> str:
        stage = t(f"plugin.stage.{self.stage}") if self.stage in _STAGES else self.stage
        return t("plugin.failure", plugin=self.plugin, stage=stage, message=self.message)

    def to_dict(self) -> dict[str, str]:
        return {"plugin": self.plugin, "stage": self.stage, "message": self.message}


_STAGES = {"import", "hooks", "duplicate", "folder", "not_found", "refused", "slow", "untrusted"}


def trust_command(folder: Path) -> str:
    """The command that trusts ``folder``, ready to copy (the path quoted for the shell)."""
    return f"pdsa plugins trust {shlex.quote(str(folder))}"


#: a plugin whose loading takes longer (seconds) is named; env PDSA_PLUGIN_SLOW_SECONDS
SLOW_SECONDS = 1.0


def slow_limit() -> float:
    """``PDSA_PLUGIN_SLOW_SECONDS`` when it is a number of seconds, else :data:`SLOW_SECONDS`."""
    try:
        limit = float(os.environ.get("PDSA_PLUGIN_SLOW_SECONDS", SLOW_SECONDS))
    except ValueError:
        return SLOW_SECONDS
    return limit if limit >= 0 and limit != float("inf") else SLOW_SECONDS


# -- validation of what plugins register -------------------------------------------------------------
def _validate_indicator_set(item: Any) -> tuple[str, IndicatorSet]:
    if isinstance(item, dict):
        item = IndicatorSet.from_dict(item)
    if not isinstance(item, IndicatorSet):
        raise ValidationError(f"expected an IndicatorSet, got {type(item).__name__}")
    check_id(item.id, what="indicator set")
    if not item.indicators:
        raise ValidationError(f"indicator set {item.id} has no indicators")
    return item.id, IndicatorSet.from_dict(item.to_dict())  # our own copy


def _validate_template(item: Any) -> tuple[str, DiagramTemplate]:
    if isinstance(item, dict):
        item = DiagramTemplate.from_dict(item)
    if not isinstance(item, DiagramTemplate):
        raise ValidationError(f"expected a DiagramTemplate, got {type(item).__name__}")
    check_id(item.id, what="diagram template")
    if not item.drivers:
        raise ValidationError(f"diagram template {item.id} has no drivers")
    return item.id, DiagramTemplate.from_dict(item.to_dict())


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


def _typed(expected: type[_Identified]) -> Callable[[Any], tuple[str, Any]]:
    def validate(item: Any) -> tuple[str, Any]:
        if not isinstance(item, expected):
            raise ValidationError(
                f"expected {expected.__name__}(...) from pdsa_core, got {type(item).__name__}"
            )
        return item.id, item  # frozen, validated when it was built

    return validate


def _validate_population(key: Any, population: Any = None, description: Any = "") -> tuple[str, Any]:
    """``register(NamedPopulation(...))``, or the older ``register(id, Population(...), description)``."""
    if isinstance(key, NamedPopulation) and population is None:
        key, population, description = key.id, key.population, key.description
    check_id(key, what="population")
    expected = _population_type()
    if expected is not None and not isinstance(population, expected):
        raise ValidationError(f"population {key} must be a Population, got {type(population).__name__}")
    if expected is None and not hasattr(population, "to_dict"):
        raise ValidationError(f"population {key} must be a Population, got {type(population).__name__}")
    if not isinstance(description, str):
        raise ValidationError(f"population {key}: the description must be text")
    return key, (copy.deepcopy(population), description.strip())


def _population_type() -> type | None:
    try:
        from pdsa_core.importing.events import Population
    except ImportError:
        return None
    return Population


def _validate_rule_set(item: Any) -> tuple[str, Any]:
    key = getattr(item, "id", None)
    if not isinstance(key, str) or not key:
        raise ValidationError(f"a rule set needs an id, got {type(item).__name__} without one")
    check_id(key, what="rule set")
    if not callable(getattr(item, "evaluate", None)):
        raise ValidationError(f"rule set {key} has no evaluate(chart_result) method")
    for name in ("title_da", "title_en"):
        if not isinstance(getattr(item, name, ""), str):
            raise ValidationError(f"rule set {key}: {name} must be text")
    return key, item


def _validate_instrument(item: Any) -> tuple[str, Any]:
    from pdsa_core.assessments.instrument import Instrument

    if isinstance(item, dict):
        item = Instrument.from_dict(item)
    if not isinstance(item, Instrument):
        raise ValidationError(f"expected an Instrument, got {type(item).__name__}")
    return item.key, Instrument.from_dict(item.to_dict())


@dataclass(frozen=True)
class Kind:
    """A kind of thing plugins register: its registry name, hook and validation."""

    name: str
    hook: str
    label: str
    validate: Callable[..., tuple[str, Any]]


KINDS: tuple[Kind, ...] = (
    Kind("indicator_sets", "register_indicator_sets", "indicator set", _validate_indicator_set),
    Kind("diagram_templates", "register_diagram_templates", "diagram template", _validate_template),
    Kind("importers", "register_importers", "importer", _typed(Importer)),
    Kind("data_sources", "register_data_sources", "data source", _typed(DataSource)),
    Kind("populations", "register_populations", "population", _validate_population),
    Kind("rule_sets", "register_rule_sets", "rule set", _validate_rule_set),
    Kind("instruments", "register_instruments", "instrument", _validate_instrument),
    Kind("report_sections", "register_report_sections", "report section", _typed(ReportSection)),
)
_KIND_BY_NAME = {k.name: k for k in KINDS}
_HOOK_NAMES = sorted(name for name in dir(hookspecs) if hasattr(getattr(hookspecs, name), "pdsa_spec"))


def _attach_owner(item: Any, owner: str) -> Any:
    """Importers, sources and sections carry the name of the plugin that registered them."""
    if isinstance(item, Importer | DataSource | ReportSection):
        return dataclasses.replace(item, plugin=owner)
    return item


class ContainedRuleSet:
    """A plugin's rule set, with ``evaluate`` run contained (:func:`pdsa_core.plugin_guard.guarded`).

    Any exception in it, or a result that is not a list of :class:`~pdsa_core.Finding`, is a
    :class:`PluginError` naming the rule set, the plugin, the file and the line (one line in
    the CLI, a notification in the TUI) instead of a traceback from every chart. Every other
    attribute is the rule set's own.
    """

    def __init__(self, rule_set: Any, plugin: str) -> None:
        self._rule_set = rule_set
        self.plugin = plugin

    def __getattr__(self, name: str) -> Any:
        return getattr(self._rule_set, name)

    def evaluate(self, result: Any) -> list[Any]:
        from pdsa_core.spc.rules import Finding

        owner = f"rule set {self._rule_set.id} (plugin {self.plugin})"
        findings: Any = None
        with guarded() as outcome:
            findings = list(self._rule_set.evaluate(result))
        if outcome.error is not None:
            raise PluginError(f"{owner} failed: {outcome.error}") from outcome.exception
        wrong = [type(f).__name__ for f in findings if not isinstance(f, Finding)]
        if wrong:
            raise PluginError(f"{owner} returned {wrong[0]}, not Finding")
        return findings


class Plugins:
    """Loaded plugins and the validated things they registered."""

    def __init__(self) -> None:
        self.pm = pluggy.PluginManager("pdsa")
        self.pm.add_hookspecs(hookspecs)
        self.info: dict[str, PluginInfo] = {}
        self.errors: list[PluginFailure] = []
        #: called with each failure that happens after loading (e.g. in ``on_event``); when
        #: empty, such failures are printed as warnings on stderr
        self.error_listeners: list[Callable[[PluginFailure], None]] = []
        self.registries: dict[str, dict[str, Any]] = {k.name: {} for k in KINDS}
        self._owner: dict[tuple[str, str], str] = {}
        self._pending: list[PluginFailure] = []
        self._attached: list[Any] = []
        self._event_failures: dict[str, tuple[str, int]] = {}
        self._event_seconds: dict[str, float] = {}
        self._seconds: dict[str, float] = {}

    # -- loading ------------------------------------------------------------------------------------
    def add(
        self, plugin: ModuleType | object, name: str, origin: str, *, version: str = "", location: str = ""
    ) -> bool:
        """Register one plugin object (a module) under ``name``; False if it was refused."""
        if name in self.info:
            self._duplicate(name, origin, location)
            return False
        version = version or str(getattr(plugin, "__version__", "") or "")
        info = PluginInfo(name=name, origin=origin, version=version, location=location)
        self.info[name] = info
        try:
            self.pm.register(plugin, name=name)
        except pluggy.PluginValidationError as exc:
            self._fail(name, "hooks", _explain_validation(str(exc)))
            return False
        except ValueError as exc:  # the same module registered twice under two names
            self._fail(name, "duplicate", str(exc))
            return False
        own = [
            (caller.name, impl)
            for caller in self.pm.get_hookcallers(plugin) or []
            for impl in caller.get_hookimpls()
            if impl.plugin_name == name
        ]
        unknown = [hook_name for hook_name, _ in own if hook_name not in _HOOK_NAMES]
        problems = []
        for hook_name, impl in own:
            if impl.hookwrapper or impl.wrapper:
                problems.append(f"{hook_name}: hook wrappers are not supported by pdsa")
            elif hook_name in unknown:
                close = difflib.get_close_matches(hook_name, _HOOK_NAMES, n=1)
                hint = f"did you mean {close[0]}?" if close else f"hooks: {', '.join(_HOOK_NAMES)}"
                problems.append(f"{hook_name} is not a pdsa hook ({hint})")
            elif hook_name.startswith("register_") and hook_name != "register_commands":
                if "register" not in impl.argnames:
                    problems.append(f"{hook_name}() must take the argument 'register'")
        info.hooks = sorted({hook_name for hook_name, _ in own} - set(unknown))
        if not own:
            problems.append("no hooks found: decorate the hook functions with @hookimpl from pdsa_core")
        if problems:
            self._fail(name, "hooks", "; ".join(problems))
        if any(impl.hookwrapper or impl.wrapper for _, impl in own):
            self.pm.unregister(name=name)
            info.hooks = []
        return True

    def _duplicate(self, name: str, origin: str, location: str) -> None:
        first = self.info[name]
        self._fail(
            name,
            "duplicate",
            f"a plugin called {name} is already loaded ({first.origin}"
            f"{', ' + first.location if first.location else ''}); this one "
            f"({origin}{', ' + location if location else ''}) is ignored",
            record=False,
        )

    def _fail(self, name: str, stage: str, message: str, *, record: bool = True) -> PluginFailure:
        failure = PluginFailure(name, stage, message)
        self.errors.append(failure)
        self._pending.append(failure)
        if record:
            self.info.setdefault(name, PluginInfo(name=name, origin="unknown")).errors.append(
                f"{stage}: {message}"
            )
        return failure

    def _timed(self, name: str, seconds: float) -> None:
        """Add to the time a plugin took to load (its import and its ``register_*`` hooks)."""
        self._seconds[name] = self._seconds.get(name, 0.0) + seconds

    def report_slow(self, limit: float | None = None) -> None:
        """Name each plugin (not a built-in) whose loading took longer than ``limit`` seconds."""
        limit = slow_limit() if limit is None else limit
        for name, seconds in self._seconds.items():
            info = self.info.get(name)
            if info is not None and not info.builtin and seconds > limit:
                text = t("plugin.slow", seconds=fmt_number(seconds, decimals=1), limit=fmt_number(limit))
                self._fail(name, "slow", text)

    def load_module(self, module_name: str, name: str, origin: str, **kwargs: Any) -> None:
        """Import ``module_name`` and register it; an import failure is recorded, not raised."""
        with guarded() as outcome:
            module = importlib.import_module(module_name)
        self._timed(name, outcome.seconds)
        if outcome.error is not None:
            self.info.setdefault(name, PluginInfo(name=name, origin=origin, **kwargs))
            self._fail(name, "import", outcome.error)
            return
        self.add(module, name, origin, **kwargs)

    def load_file(self, path: Path, source: bytes | None = None) -> None:
        """Load a loose ``.py`` file from a plugins folder; the plugin is named after the file.

        ``source``: the file's content as it was checked (a trusted workspace folder), run
        instead of reading the file again."""
        name = path.stem
        if name in self.info:
            self._duplicate(name, FOLDER, str(path))
            return
        with guarded() as outcome:
            module = _import_file(path, source)
        self._timed(name, outcome.seconds)
        if outcome.error is not None:
            self.info[name] = PluginInfo(name=name, origin=FOLDER, location=str(path))
            self._fail(name, "import", outcome.error)
            return
        self.add(module, name, FOLDER, location=str(path))

    def load_entry_point(self, entry_point: FoundEntryPoint) -> None:
        dist = entry_point.dist
        version = dist.version if dist else ""
        location = dist.name if dist else entry_point.value
        with guarded() as outcome:
            plugin = entry_point.load()
        self._timed(entry_point.name, outcome.seconds)
        if outcome.error is not None:
            if entry_point.name not in self.info:
                self.info[entry_point.name] = PluginInfo(entry_point.name, ENTRY_POINT, version, location)
            self._fail(entry_point.name, "import", outcome.error)
            return
        self.add(plugin, entry_point.name, ENTRY_POINT, version=version, location=location)

    # -- registries ---------------------------------------------------------------------------------
    def collect(self) -> None:
        """Call every ``register_*`` hook, plugin by plugin in load order, validating each item."""
        for kind in KINDS:
            self._collect(kind)

    def _impls(self, hook_name: str) -> list[Any]:
        """Implementations of a hook in load order (built-ins first), not pluggy's LIFO order."""
        impls = {impl.plugin_name: impl for impl in getattr(self.pm.hook, hook_name).get_hookimpls()}
        return [impls[name] for name in self.info if name in impls]

    def _collect(self, kind: Kind) -> None:
        registry = self.registries[kind.name]
        for impl in self._impls(kind.hook):
            plugin_name = impl.plugin_name
            staged: list[tuple[str, Any]] = []

            def register(
                *args: Any, _plugin: str = plugin_name, _staged: list = staged, **kwargs: Any
            ) -> None:
                try:
                    key, item = kind.validate(*args, **kwargs)
                except Exception as exc:  # noqa: BLE001 - whatever a plugin passes is refused, not raised
                    message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
                    if isinstance(exc, ValidationError | TypeError | ValueError):
                        message = getattr(exc, "message", None) or str(exc)
                    self._fail(_plugin, kind.hook, f"{kind.label} refused: {message}")
                    return
                item = _attach_owner(item, _plugin)
                if kind.name == "rule_sets" and not self.info[_plugin].builtin:
                    item = ContainedRuleSet(item, _plugin)  # pdsa's own rule sets run as they are
                _staged.append((key, item))

            returned = None
            with guarded() as outcome:
                returned = impl.function(**_arguments(impl, register=register))
            self._timed(plugin_name, outcome.seconds)
            if outcome.error is not None:
                self._fail(
                    plugin_name, kind.hook, f"{outcome.error}; nothing it registered in this hook was kept"
                )
                continue
            if returned is not None:
                self._fail(
                    plugin_name,
                    kind.hook,
                    f"the hook returned {type(returned).__name__}; call register(item) for each "
                    "item instead (the returned value was ignored)",
                )
            for key, item in staged:
                owner = self._owner.get((kind.name, key))
                if owner is not None:
                    by = "this plugin" if owner == plugin_name else owner
                    self._fail(plugin_name, kind.hook, f"{kind.label} {key!r} is already registered by {by}")
                    continue
                registry[key] = item
                self._owner[(kind.name, key)] = plugin_name
                self.info[plugin_name].registered.setdefault(kind.name, []).append(key)

    def _get(self, kind: str, key: str) -> Any:
        registry = self.registries.get(kind, {})
        if key in registry:
            return registry[key]
        label = _KIND_BY_NAME[kind].label if kind in _KIND_BY_NAME else kind
        known = ", ".join(sorted(registry)) or "none"
        hint = "; see 'pdsa plugins list'" if registry else "; install a plugin that provides one"
        raise NotFoundError(f"no {label} {key!r} (known: {known}{hint})")

    def indicator_set(self, key: str) -> IndicatorSet:
        return self._get("indicator_sets", key)

    def diagram_template(self, key: str) -> DiagramTemplate:
        return self._get("diagram_templates", key)

    def importer(self, key: str) -> Importer:
        return self._get("importers", key)

    def data_source(self, key: str) -> DataSource:
        return self._get("data_sources", key)

    def population(self, key: str) -> Population:
        return self._get("populations", key)[0]

    def population_description(self, key: str) -> str:
        return self._get("populations", key)[1]

    def rule_set(self, key: str) -> Any:  # a RuleSet, or a plain class with its attributes
        return self._get("rule_sets", key)

    def instrument(self, key: str) -> Instrument:
        """An instrument by ``id@version``, or by ``id`` alone when one version is registered."""
        registry = self.registries["instruments"]
        if key not in registry and "@" not in key:
            versions = sorted(k for k in registry if k.split("@", 1)[0] == key)
            if len(versions) == 1:
                return registry[versions[0]]
            if versions:
                raise ValidationError(f"instrument {key} has several versions: {', '.join(versions)}")
        return self._get("instruments", key)

    def report_section(self, key: str) -> ReportSection:
        return self._get("report_sections", key)

    def report_sections(self) -> list[ReportSection]:
        """Registered report sections in the order reports include them."""
        return sorted(self.registries["report_sections"].values(), key=lambda s: (s.order, s.id))

    def importers_for(self, path: str | os.PathLike[str]) -> list[Importer]:
        """Importers whose file patterns fit ``path`` (built-ins first)."""
        return [i for i in self.registries["importers"].values() if i.matches(path)]

    def items(self, kind: str) -> dict[str, Any]:
        """Everything registered of one kind (``indicator_sets``, ``importers`` ...), by id."""
        if kind not in self.registries:
            raise ValidationError(f"unknown kind {kind!r} (kinds: {', '.join(self.registries)})")
        return dict(self.registries[kind])

    def owner(self, kind: str, key: str) -> str:
        """The name of the plugin that registered ``key``."""
        self._get(kind, key)
        return self._owner[(kind, key)]

    def plugin_list(self, *, include_builtin: bool = False) -> list[dict[str, Any]]:
        """What ``pdsa plugins list --json`` prints (built-ins only when asked or failing)."""
        return [
            info.to_dict()
            for info in self.info.values()
            if include_builtin or not info.builtin or info.errors
        ]

    # -- commands and events ---------------------------------------------------------------------------
    def add_cli_commands(self, cli: Any) -> None:
        """Let plugins add commands to the ``pdsa`` group; a plugin may not replace a command."""
        for impl in self._impls("register_commands"):
            before = dict(cli.commands)
            with guarded() as outcome:
                impl.function(**_arguments(impl, cli=cli))
            if outcome.error is not None:
                self._report_now(self._fail(impl.plugin_name, "register_commands", outcome.error))
            replaced = sorted(n for n, c in before.items() if cli.commands.get(n) is not c)
            for command_name in replaced:
                cli.commands[command_name] = before[command_name]
            if replaced:
                failure = self._fail(
                    impl.plugin_name,
                    "register_commands",
                    f"command {', '.join(replaced)} already exists and was not replaced",
                )
                self._report_now(failure)
            added = sorted(set(cli.commands) - set(before))
            if added:
                self.info[impl.plugin_name].registered.setdefault("commands", []).extend(added)

    def attach(self, workspace: Any) -> None:
        """Give the workspace the registered rule sets, and send its events to every plugin's
        ``on_event`` hook (once per workspace).

        Without any ``on_event`` hook nothing listens, so the workspace does no work for its
        events (such as the signal check after an import).
        """
        if any(w is workspace for w in self._attached):
            return
        self._attached.append(workspace)
        workspace.rule_sets = self.registries["rule_sets"]
        if not self._impls("on_event"):
            return
        from pdsa_core.analysis import watch_signals

        def listener(event: str, payload: dict[str, Any]) -> None:
            self.emit(event, payload, workspace)

        def after_commit(events: list[tuple[str, dict[str, Any]]]) -> None:
            self.flush_event_failures()

        workspace.listeners.append(listener)
        watch_signals(workspace)
        # after the signal check's commit listener (the signal check sends events too)
        workspace.commit_listeners.append(after_commit)

    def emit(self, event: str, payload: dict[str, Any], workspace: Any) -> None:
        """Call each plugin's ``on_event``; a failure never undoes the change.

        Failures are counted per plugin and reported by :meth:`flush_event_failures`, which
        runs after each commit: an import of 72 values into a workspace with a failing
        plugin gives one line with the count, not 72 lines. The time each plugin takes is
        added up too; a plugin that makes a change wait over the slow limit is named.
        """
        for impl in self._impls("on_event"):
            with guarded() as outcome:
                available: dict[str, Any] = {"event": event, "workspace": workspace}
                if "payload" in impl.argnames:  # each plugin its own copy, made only when it is read
                    available["payload"] = copy.deepcopy(payload)
                if "change" in impl.argnames:
                    available["change"] = event_from(event, copy.deepcopy(payload))
                impl.function(**_arguments(impl, **available))
            name = impl.plugin_name
            self._event_seconds[name] = self._event_seconds.get(name, 0.0) + outcome.seconds
            if outcome.error is not None:
                first, count = self._event_failures.get(impl.plugin_name, (outcome.error, 0))
                self._event_failures[impl.plugin_name] = (first, count + 1)

    def flush_event_failures(self) -> None:
        """Report the ``on_event`` failures since the last call: one line per plugin, with a
        count; and each plugin whose ``on_event`` took longer than the slow limit in all."""
        failures, self._event_failures = self._event_failures, {}
        for plugin_name, (first, count) in failures.items():
            message = first if count == 1 else t("plugin.event_failures", message=first, count=count)
            self._report_now(self._fail(plugin_name, "on_event", message))
        durations, self._event_seconds = self._event_seconds, {}
        limit = slow_limit()
        for plugin_name, seconds in durations.items():
            info = self.info.get(plugin_name)
            if seconds > limit and info is not None and not info.builtin:
                text = t(
                    "plugin.slow_events", seconds=fmt_number(seconds, decimals=1), limit=fmt_number(limit)
                )
                self._report_now(self._fail(plugin_name, "on_event", text))

    def _report_now(self, failure: PluginFailure) -> None:
        if failure in self._pending:
            self._pending.remove(failure)
        if self.error_listeners:
            for listener in list(self.error_listeners):
                listener(failure)
        else:
            print_warning(str(failure))

    def report_errors(self, echo: Callable[[str], None] | None = None) -> None:
        """Print each failure not yet reported, once, as a warning on stderr (or through ``echo``)."""
        pending, self._pending = self._pending, []
        for failure in pending:
            (echo or print_warning)(str(failure))


def _arguments(impl: Any, **available: Any) -> dict[str, Any]:
    """Only the arguments the implementation names (hooks only ever gain arguments)."""
    return {name: available[name] for name in impl.argnames if name in available}


def _explain_validation(message: str) -> str:
    """pluggy's message on one line, plus the arguments the hook takes."""
    text = "; ".join(line.strip() for line in message.splitlines() if line.strip())
    match = re.search(r"for hook '(\w+)'", text)
    if match and hasattr(hookspecs, match[1]):
        args = ", ".join(inspect.signature(getattr(hookspecs, match[1])).parameters)
        text += f" (the hook takes: {args})"
    return text


def print_warning(message: str) -> None:
    """A plugin's problem as the one warning line on stderr that every command prints."""
    line = terminal(message).replace("\n", "\u240a")  # one line, also for a folder name holding a newline
    sys.stderr.write(f"{t('warning')}: {line}\n")


# -- loose files in plugin folders ---------------------------------------------------------------------
_FILE_MODULES: dict[tuple[str, str], ModuleType] = {}
_FILE_FAILURES: dict[tuple[str, str], BaseException] = {}


def _import_file(path: Path, source: bytes | None = None) -> ModuleType:
    """Import a plugin file once per content version (two plugin managers share the module).

    A file that fails is not run again either: its exception is raised again, so a file that
    runs ``argparse`` or writes something before it fails does so once per process.
    ``source`` is run instead of the file's current content when given.
    """
    if source is None:
        stat = path.stat()
        key = (str(path.resolve()), f"{stat.st_mtime_ns}:{stat.st_size}")
    else:
        key = (str(path.resolve()), hashlib.sha256(source).hexdigest())
    if key in _FILE_MODULES:
        return _FILE_MODULES[key]
    if key in _FILE_FAILURES:
        raise _FILE_FAILURES[key]
    module_name = f"pdsa_folder_plugin_{abs(hash(key[0])):x}_{path.stem}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses and pickling look modules up here
    try:
        if source is None:
            spec.loader.exec_module(module)
        else:
            exec(compile(source, str(path), "exec"), module.__dict__)  # noqa: S102 - the trusted bytes
    except BaseException as exc:
        sys.modules.pop(module_name, None)
        if not isinstance(exc, KeyboardInterrupt):
            _FILE_FAILURES[key] = exc
        raise
    _FILE_MODULES[key] = module
    return module


# -- discovery ----------------------------------------------------------------------------------------------
def allowed_plugins() -> set[str] | None:
    """Names in ``PDSA_LOAD_PLUGINS`` (None: no restriction; an empty set: none)."""
    raw = os.environ.get("PDSA_LOAD_PLUGINS")
    if raw is None:
        return None
    return {name.strip() for name in raw.split(",") if name.strip()}


def workspace_plugins_dir(workspace: Any) -> Path | None:
    """The folder named by the workspace setting ``plugins_dir`` (relative to the workspace file).

    ``workspace`` is an open :class:`~pdsa_core.workspace.Workspace` or a location; a
    location that does not exist or cannot be read gives None (the command that opens the
    workspace reports that, not the plugin loader).
    """
    if workspace is None:
        return None
    try:
        if hasattr(workspace, "settings"):
            settings = workspace.settings()
            location = str(workspace.location)
        else:
            location = str(workspace)
            if "://" not in location and not Path(location).is_file():
                return None
            from pdsa_core.storage import open_store

            settings = open_store(location).load().table("settings").get("workspace", {})
    except Exception:  # noqa: BLE001 - an unreadable workspace is reported by the command using it
        return None
    raw = settings.get("plugins_dir")
    if not raw or not isinstance(raw, str):
        return None
    folder = _expanded(raw)
    if not folder.is_absolute() and "://" not in location:
        folder = Path(location).resolve().parent / folder
    return folder


def plugin_folders(extra: Sequence[str | os.PathLike[str]] = (), workspace: Any = None) -> list[Path]:
    """Plugin folders in order: ``--plugins-dir``, ``PDSA_PLUGINS_DIR``, the workspace setting
    (only when trusted, see :func:`untrusted_workspace_folder`)."""
    return _folders(extra, workspace)[0]


def untrusted_workspace_folder(
    extra: Sequence[str | os.PathLike[str]] = (), workspace: Any = None
) -> Path | None:
    """The folder the workspace names when its files may not run: not given on the command
    line or in ``PDSA_PLUGINS_DIR``, and not trusted by the user (:mod:`pdsa_core.plugin_trust`)."""
    return _folders(extra, workspace)[1]


def _folders(extra: Sequence[str | os.PathLike[str]], workspace: Any) -> tuple[list[Path], Path | None]:
    folders, untrusted, _ = _folders_and_sources(extra, workspace)
    return folders, untrusted


def _folders_and_sources(
    extra: Sequence[str | os.PathLike[str]], workspace: Any
) -> tuple[list[Path], Path | None, dict[Path, dict[Path, bytes]]]:
    """The folders to load, the workspace's folder when untrusted, and the trusted files of the
    workspace's folder as they were checked, by folder (only those run, with that content)."""
    folders = [_expanded(p) for p in extra]
    env = os.environ.get("PDSA_PLUGINS_DIR", "")
    folders += [_expanded(p) for p in env.split(os.pathsep) if p]
    unique: dict[str, Path] = {}
    for folder in folders:
        unique.setdefault(_resolved_key(folder), folder)
    from_workspace = workspace_plugins_dir(workspace)
    if from_workspace is None or _resolved_key(from_workspace) in unique:
        return list(unique.values()), None, {}
    sources: dict[Path, dict[Path, bytes]] = {}
    if _is_dir(from_workspace):
        trusted = plugin_trust.trusted_files(from_workspace)
        if trusted is None:
            return list(unique.values()), from_workspace, {}
        sources[from_workspace] = trusted
    unique[_resolved_key(from_workspace)] = from_workspace  # a missing folder: "not a folder"
    return list(unique.values()), None, sources


# a folder name from a workspace or the environment can be anything: a NUL byte, a name too
# long for the system, ~someone who does not exist; such a folder is "not a folder", never a crash
def _expanded(raw: str | os.PathLike[str]) -> Path:
    try:
        return Path(raw).expanduser()
    except RuntimeError:  # ~user without a home
        return Path(raw)


def _resolved_key(folder: Path) -> str:
    try:
        return str(folder.resolve())
    except (OSError, ValueError, RuntimeError):
        return str(folder)


def _is_dir(folder: Path) -> bool:
    try:
        return folder.is_dir()
    except (OSError, ValueError):
        return False


def _load(
    folders: Sequence[Path],
    *,
    include_entry_points: bool,
    extra: Iterable[tuple[str, object]],
    untrusted: Path | None = None,
    sources: dict[Path, dict[Path, bytes]] | None = None,
) -> Plugins:
    sources = sources or {}
    plugins = Plugins()
    if untrusted is not None:
        name = str(untrusted)
        plugins.info.setdefault(name, PluginInfo(name, FOLDER, location=name))
        plugins._fail(name, "untrusted", t("plugin.untrusted", command=trust_command(untrusted)))
    for module_name in DEFAULT_PLUGINS:
        if importlib.util.find_spec(module_name) is None:
            continue  # not part of this build
        plugins.load_module(
            module_name, module_name.rsplit(".", 1)[-1], BUILT_IN, version=__version__, location=module_name
        )
    allowed = allowed_plugins()
    seen: set[str] = set(plugins.info)
    if include_entry_points:
        for entry_point in installed_entry_points(ENTRY_POINT_GROUP):
            names = {entry_point.name} | ({entry_point.dist.name} if entry_point.dist else set())
            if allowed is not None and not names & allowed:
                continue
            seen |= names
            plugins.load_entry_point(entry_point)
    for folder in folders:
        if not _is_dir(folder):
            plugins.info.setdefault(str(folder), PluginInfo(str(folder), FOLDER, location=str(folder)))
            plugins._fail(str(folder), "folder", "not a folder (check --plugins-dir, PDSA_PLUGINS_DIR)")
            continue
        pinned = sources.get(folder)  # a trusted workspace folder: the files as checked
        for path in sorted(pinned) if pinned is not None else sorted(folder.glob("*.py")):
            if path.name.startswith("_"):
                continue
            if allowed is not None and path.stem not in allowed:
                continue
            seen.add(path.stem)
            plugins.load_file(path, None if pinned is None else pinned[path])
    for name, plugin in [*_TEMPORARY, *extra]:
        seen.add(name)
        plugins.add(plugin, name, EXTRA)
    for name in sorted((allowed or set()) - seen):
        plugins.info.setdefault(name, PluginInfo(name, "not loaded"))
        plugins._fail(
            name, "not_found", "named in PDSA_LOAD_PLUGINS but not installed or in a plugins folder"
        )
    plugins.collect()
    plugins.report_slow()
    return plugins


_CACHE: dict[tuple[Any, ...], Plugins] = {}
_TEMPORARY: list[tuple[str, object]] = []


def load_plugins(
    plugins_dirs: Sequence[str | os.PathLike[str]] = (),
    *,
    workspace: Any = None,
    include_entry_points: bool = True,
    extra: Iterable[tuple[str, object]] = (),
    fresh: bool = False,
) -> Plugins:
    """Load built-ins, entry points and folder plugins, then collect their registrations.

    ``plugins_dirs`` are folders of loose plugin files (the CLI's ``--plugins-dir``);
    ``workspace`` (an open workspace or its location) adds the folder named in its
    ``plugins_dir`` setting. ``extra`` is a list of ``(name, module)`` pairs to load as
    well (tests, embedding). The result is cached per folders and environment, so the
    CLI and the TUI share one instance and report each failure once; ``fresh=True`` or
    ``extra`` give a new, uncached instance.
    """
    extra = list(extra)
    folders, untrusted, sources = _folders_and_sources(plugins_dirs, workspace)
    key = (
        tuple(str(p) for p in folders),
        str(untrusted),
        include_entry_points,
        os.environ.get("PDSA_LOAD_PLUGINS"),
        tuple(id(plugin) for _, plugin in _TEMPORARY),
    )
    if not fresh and not extra and key in _CACHE:
        return _CACHE[key]
    plugins = _load(
        folders, include_entry_points=include_entry_points, extra=extra, untrusted=untrusted, sources=sources
    )
    if not extra:
        _CACHE[key] = plugins
    return plugins


def clear_cache() -> None:
    """Forget loaded plugins, so the next :func:`load_plugins` loads them again."""
    _CACHE.clear()


@contextmanager
def temporary_plugin(plugin: object, name: str | None = None) -> Iterator[str]:
    """Load ``plugin`` (a module or an object with ``@hookimpl`` methods) in every
    :func:`load_plugins` until the block ends, e.g. in a test::

        with temporary_plugin(MyPlugin(), "my-plugin"):
            result = CliRunner().invoke(build_cli(), ["plugins", "list", "--json"])

    Yields the plugin's name. The plugin cache is cleared on entry and exit.
    """
    name = name or getattr(plugin, "__name__", None) or type(plugin).__name__
    entry = (name, plugin)
    _TEMPORARY.append(entry)
    clear_cache()
    try:
        yield name
    finally:
        _TEMPORARY.remove(entry)
        clear_cache()
