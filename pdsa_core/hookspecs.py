"""The hooks a pdsa plugin can implement.

A plugin is a Python module with functions decorated with ``@hookimpl`` (from
``pdsa_core``) whose names are hook names below. Every ``register_*`` hook receives a
``register`` callback: the plugin calls it once per thing it adds. The core validates
each item (type, id, required fields), keeps its own copy, and refuses duplicates, so a
plugin can never put something malformed into a workspace; a refused item is reported
under the plugin's name and everything else keeps working. A ``register_*`` hook returns
nothing. If the hook raises, nothing it registered in that call is kept.

Hooks are called once per process, when the plugins are loaded, in load order: pdsa's
built-in default plugins first, then installed distributions (entry point group
``pdsa``), then loose ``.py`` files in plugin folders. The first registration of an id
wins; a later one with the same id is refused.

Compatibility policy: hooks only ever gain arguments. pluggy passes a plugin only the
arguments its implementation names, so a plugin written for an older pdsa keeps working
when a hook gains an argument (and the functions a plugin hands to ``Importer``,
``DataSource`` and ``ReportSection`` are called the same way). A hook is never removed or
renamed, and an argument never changes meaning, within a major version.

Each hook is documented in ``docs/plugins.md``; a test fails if one is missing there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    import click

    from pdsa_core.assessments.instrument import Instrument
    from pdsa_core.domain import IndicatorSet
    from pdsa_core.domain.driver import DiagramTemplate
    from pdsa_core.extension_types import DataSource, Importer, ReportSection
    from pdsa_core.plugin_api import Event, NamedPopulation, Register, WorkspaceView
    from pdsa_core.spc import RuleSet

hookspec = pluggy.HookspecMarker("pdsa")
hookimpl = pluggy.HookimplMarker("pdsa")


@hookspec
def register_indicator_sets(register: Register[IndicatorSet]) -> None:
    """Add indicator sets: call ``register(IndicatorSet(...))`` once per set.

    An indicator set is a named list of :class:`pdsa_core.IndicatorDefinition` (code,
    Danish and English names, kind, unit, direction, target, baseline, population text,
    voluntary). A team created with ``pdsa team add NAME --indicator-set ID`` gets its own
    copy of each indicator. The id is lower case (``lkt-tvang-voksen``); a set must hold
    at least one indicator.
    """


@hookspec
def register_diagram_templates(register: Register[DiagramTemplate]) -> None:
    """Add driver diagram templates: call ``register(DiagramTemplate(...))`` once per template.

    A template is an aim and a tree of primary drivers, secondary drivers and change ideas
    (:class:`pdsa_core.TemplateNode`) that a team can start its driver diagram from with
    ``pdsa team add NAME --template ID``.
    """


@hookspec
def register_importers(register: Register[Importer]) -> None:
    """Add data importers: call ``register(Importer(...))`` once per importer.

    An importer turns a file (a format or an extract layout) into monthly values and
    annotations for a team: ``read(path, *, team, options) -> ImportResult``. It never
    writes to the workspace; pdsa previews and stores what it returns. See
    :class:`pdsa_core.Importer`.
    """


@hookspec
def register_data_sources(register: Register[DataSource]) -> None:
    """Add data sources: call ``register(DataSource(...))`` once per source.

    A data source fetches monthly values from elsewhere (a municipal system, Danmarks
    Statistik) rather than from a file the user picked: ``fetch(**params) -> SourceResult``.
    See :class:`pdsa_core.DataSource`.
    """


@hookspec
def register_populations(register: Register[NamedPopulation]) -> None:
    """Add population definitions for event extracts: ``register(NamedPopulation(...))``.

    A population says which events count for a team (age band, municipalities of
    residence, wards, an open outpatient course, exclusions such as forensic patients), so
    an event extract can be aggregated to the team's monthly R1/R2/F1/F2 values with
    ``--population ID``. The description is a sentence shown to the user. The older form
    ``register(ID, Population(...), DESCRIPTION)`` is still accepted.
    """


@hookspec
def register_rule_sets(register: Register[RuleSet]) -> None:
    """Add SPC rule sets: call ``register(rule_set)`` once per rule set.

    A rule set (subclass :class:`pdsa_core.RuleSet`) has ``id``, ``title_da``, ``title_en`` and
    ``evaluate(chart_result) -> list[Finding]``: it reads a computed chart and reports
    which rule fired on which points. pdsa's Anhøj, IHI and Western Electric rules are
    registered this way; an indicator names its rule set by id.
    """


@hookspec
def register_instruments(register: Register[Instrument]) -> None:
    """Add assessment instruments: call ``register(instrument)`` once per instrument version.

    An instrument (such as MUSIQ) is data: id, version, factors, scale and weights. It is
    registered under ``ID@VERSION``; register a new id, or a new version of an existing
    instrument. pdsa's MUSIQ instrument is registered this way.
    """


@hookspec
def register_report_sections(register: Register[ReportSection]) -> None:
    """Add sections to reports: call ``register(ReportSection(...))`` once per section.

    A section has an id, a title and ``render(context) -> str`` returning Markdown or HTML
    for a team and period (:class:`pdsa_core.ReportContext`); status reports include it
    after the built-in sections, ordered by ``order``.
    """


@hookspec
def register_commands(cli: click.Group) -> None:
    """Add CLI commands: ``cli`` is the ``pdsa`` click group; call ``cli.add_command(...)``.

    Called once when the command line is built, before any option is read. Plugins from
    installed distributions and from folders named in ``PDSA_PLUGINS_DIR`` can add
    commands; a folder given only with ``--plugins-dir`` or in the workspace settings is
    read too late for that (its other hooks work). A command name that already exists is
    refused. Inside a command, ``from pdsa_cli import pass_app`` gives the open
    workspace (``app.workspace()``) and the plugins (``app.plugins()``).
    """


@hookspec
def on_event(event: str, payload: dict[str, Any], workspace: WorkspaceView, change: Event) -> None:
    """React to something that happened in a workspace, after it was saved.

    ``change`` is the event as a typed, frozen dataclass (:class:`pdsa_core.TeamAdded`,
    ``MeasurementAdded``, ``CycleAdded``, ``CycleStatusChanged``, ``DiagramChanged``,
    ``AssessmentAdded``, ``SignalAppeared``); ``event`` is its name and ``payload`` the same
    fields as a dict (what plugins written before the typed events read). ``event`` is one
    of ``team_added`` (payload ``team``), ``measurement_added`` (``measurement``,
    ``previous``: the stored values as dicts, ``previous`` is None for a new month),
    ``cycle_added`` (``cycle``), ``cycle_status_changed`` (``cycle``, ``old_status``),
    ``diagram_changed`` (``team``, ``action``, ``summary``), ``assessment_added``
    (``assessment``) and ``signal_appeared`` (``team``, ``indicator``, ``period``,
    ``verdict``). ``payload`` and ``change`` are the plugin's own copies; ``workspace`` is
    the open workspace, read through :class:`pdsa_core.WorkspaceView`. An exception raised
    here is reported with the plugin's name and does not undo the change.
    """
