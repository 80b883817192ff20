"""pdsa plugin for Region Nordjylland: its teams' populations and the NordEPJ splice importer.

* ``register_populations``: ``nordjylland-voksen`` and ``nordjylland-boern-unge``, the
  populations the region's LKT Tvang teams defined for R1, R2, F1 and F2 (see
  :mod:`pdsa_region_nordjylland.populations`); usable wherever an event extract is
  aggregated with ``--population ID``.
* ``register_importers``: ``nordjylland-nordepj-splice`` turns two event extracts (the old
  system before 25 March 2022, NordEPJ from it) into one monthly series with an annotation
  on the switch date (see :mod:`pdsa_region_nordjylland.splice`; the extract layouts are in
  :mod:`pdsa_region_nordjylland.layouts`)::

      pdsa import with nordjylland-nordepj-splice gammelt_epj.csv --team "Aalborg voksen" \\
          --option nordepj_file=nordepj.csv
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pdsa_core import Importer, ImportResult, NamedPopulation, Register, Team, hookimpl
from pdsa_region_nordjylland.options import IMPORTER_ID, OPTIONS
from pdsa_region_nordjylland.populations import POPULATIONS

__version__ = "1.0.0"


def read_splice(
    path: Path, *, team: Team, options: dict[str, str], indicators: tuple[Any, ...] = ()
) -> ImportResult:
    """The importer's ``read``: :func:`pdsa_region_nordjylland.splice.read_splice`, imported
    when a file is read (pdsa imports every plugin at each start; the reader and the
    spreadsheet and event readers it uses are not needed until then)."""
    from pdsa_region_nordjylland import splice

    return splice.read_splice(path, team=team, options=options, indicators=indicators)


@hookimpl
def register_populations(register: Register[NamedPopulation]) -> None:
    for population_id, (population, description) in POPULATIONS.items():
        register(NamedPopulation(id=population_id, population=population, description=description))


@hookimpl
def register_importers(register: Register[Importer]) -> None:
    register(
        Importer(
            id=IMPORTER_ID,
            name_da="Nordjylland: tvangsudtræk fra det tidligere EPJ og NordEPJ (skift 25.03.2022)",
            name_en="Nordjylland: coercion extracts from the old system and NordEPJ (switch 25 March 2022)",
            description=(
                "Two event extracts, one series: the old system's extract (the file) before the switch date "
                "and NordEPJ's (option nordepj_file) from it, aggregated with the team's population to R1, "
                "R2, F1 and F2 per month, with an 'it system change' annotation on the switch date."
            ),
            file_patterns=("*.csv", "*.txt", "*.xlsx"),
            options=OPTIONS,
            read=read_splice,
        )
    )
