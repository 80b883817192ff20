"""The demo workspace: four LKT Tvang teams with synthetic data, built the same way every time.

Everything here is **synthetic** (syntetiske data): the teams, people, cycles and monthly
values are made up, shaped after the national status report of LKT Tvang (September 2022)
and its closing experience catalogue: the seven PDSA cycles of Psykiatrien Syd, Vordingborg;
the baseline medians and ranges the report gives; the psychiatry act changes of July 2019
and August 2020; Region Nordjylland's move to NordEPJ on 25 March 2022 (after which some
series stop); Region Midtjylland's recomputed baseline after new data definitions; the
drivers of the experience catalogue.

The story is data: ``data/story.toml`` and ``data/teams/*.toml`` (teams, members, driver
diagrams and their edits, PDSA cycles with their worksheets, annotations, MUSIQ assessments,
meetings), and ``data/lkt_tvang_indicator_sets.json`` (a copy of the LKT Tvang plugin's
indicator sets). ``story.py`` reads them, ``series.py`` computes the monthly values, and
``builder.py`` tells the story through the workspace's own methods.

:func:`write_demo` creates a new workspace file with it; :func:`build_demo` fills an empty
workspace. The demo is deterministic: fixed timestamps (a story clock, never today's date),
ids from a counter, and seeded random numbers, so two runs write the same bytes.

The workspace settings say so: ``{"demo": True, "note": "Syntetiske data / synthetic data",
"as_of": "2023-10-16"}``; ``as_of`` is the day the story is told at (the last data arrived on
12 October 2023), which views may use instead of today when they count missing months.
"""

from __future__ import annotations

from pdsa_core.demo.builder import build_demo, write_demo
from pdsa_core.demo.story import demo_indicator_sets, load_story, team_indicator_set

__all__ = ["build_demo", "demo_indicator_sets", "load_story", "team_indicator_set", "write_demo"]
