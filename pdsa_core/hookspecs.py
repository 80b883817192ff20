"""The hooks a pdsa plugin can implement.

Every ``register_*`` hook receives a ``register`` callback: the plugin calls it once per
thing it adds. The core validates each item (type, id, required fields) and refuses
duplicates, so a plugin can never put something malformed into a workspace; a refused item
is reported under the plugin's name and everything else keeps working.

Compatibility policy: hooks only ever gain arguments. pluggy passes a plugin only the
arguments its implementation names, so a plugin written for an older pdsa keeps working
when a hook gains an argument. A hook is never removed or renamed within a major version.

Each hook is documented in ``docs/plugins.md``; a test fails if one is missing there.
"""

from __future__ import annotations

from typing import Any

import pluggy

hookspec = pluggy.HookspecMarker("pdsa")
hookimpl = pluggy.HookimplMarker("pdsa")


@hookspec
def register_indicator_sets(register: Any) -> None:
    """Add indicator sets: ``register(IndicatorSet(...))``.

    An indicator set is a named list of :class:`pdsa_core.IndicatorDefinition` (code, Danish
    and English names, kind, unit, direction, target, baseline, population text). A team
    created with ``--indicator-set ID`` gets its own copy of each indicator.
    """


@hookspec
def register_diagram_templates(register: Any) -> None:
    """Add driver diagram templates: ``register(DiagramTemplate(...))``.

    A template is an aim and a tree of primary drivers, secondary drivers and change ideas
    that a team can start its driver diagram from.
    """


@hookspec
def register_importers(register: Any) -> None:
    """Add data importers: ``register(Importer(...))``.

    An importer turns a file (a format or an extract layout) into measurements. See
    :class:`pdsa_core.Importer` for what it must provide.
    """


@hookspec
def register_data_sources(register: Any) -> None:
    """Add data sources: ``register(DataSource(...))``.

    A data source fetches series from elsewhere (a municipal system, Danmarks Statistik)
    rather than reading a file the user has. See :class:`pdsa_core.DataSource`.
    """


@hookspec
def register_populations(register: Any) -> None:
    """Add population definitions for event extracts: ``register(id, Population(...), description)``.

    A population says which events count for a team (age band, municipalities, wards,
    exclusions), so ``pdsa import events --population ID`` can aggregate an extract.
    """


@hookspec
def register_rule_sets(register: Any) -> None:
    """Add SPC rule sets: ``register(rule_set)``.

    A rule set reads a computed chart and reports findings (which rule fired, on which
    points). The Anhøj, IHI and Western Electric rules are registered this way.
    """


@hookspec
def register_instruments(register: Any) -> None:
    """Add assessment instruments: ``register(Instrument(...))``.

    An instrument (such as MUSIQ) is data: levels, factors, scale and weights. Register a
    new id, or a new version of an existing instrument.
    """


@hookspec
def register_report_sections(register: Any) -> None:
    """Add sections to reports: ``register(ReportSection(...))``.

    A section has an id, a title and a function that renders Markdown or HTML for a team
    and period; reports include it after the built-in sections.
    """


@hookspec
def register_commands(cli: Any) -> None:
    """Add CLI commands: ``cli`` is the ``pdsa`` click group; call ``cli.add_command(...)``.

    Commands are added when the CLI is built, so plugins named in ``--plugins-dir`` add
    commands only when the folder is also named by ``PDSA_PLUGINS_DIR`` or the workspace.
    """


@hookspec
def on_event(event: str, payload: dict[str, Any], workspace: Any) -> None:
    """React to something that happened in a workspace, after it was saved.

    ``event`` is one of ``team_added``, ``measurement_added`` (payload ``measurement``,
    ``previous``), ``cycle_added``, ``cycle_status_changed`` (``cycle``, ``old_status``),
    ``diagram_changed``, ``assessment_added``, ``signal_appeared`` (``team``,
    ``indicator``, ``verdict``). An exception raised here is reported and does not undo
    the change.
    """
