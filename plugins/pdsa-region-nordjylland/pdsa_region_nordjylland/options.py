"""The splice importer's id and options, apart from its reader.

pdsa imports every installed plugin at each start, before its first screen, to collect what
the plugins register; registering the importer needs only these, so the reader
(:mod:`pdsa_region_nordjylland.splice`, with the spreadsheet and event readers it uses) is
imported when a file is read.
"""

from __future__ import annotations

from pdsa_core import Parameter
from pdsa_region_nordjylland.layouts import NORDEPJ_ADMISSION_KINDS, OLD_ADMISSION_KINDS

IMPORTER_ID = "nordjylland-nordepj-splice"
SWITCH_DATE = "2022-03-25"
FIRST_MONTH = "2018-01"

OPTIONS = (
    Parameter(
        name="nordepj_file", required=True, description="The NordEPJ extract (events from the switch)."
    ),
    Parameter(name="switch_date", default=SWITCH_DATE, description="The day NordEPJ took over (YYYY-MM-DD)."),
    Parameter(
        name="population",
        description="Population id (nordjylland-voksen, nordjylland-boern-unge) or JSON "
        "(default: by the team's track).",
    ),
    Parameter(name="first_month", default=FIRST_MONTH, description="First month of the series (YYYY-MM)."),
    Parameter(name="last_month", description="Last month (default: the last event in NordEPJ)."),
    Parameter(name="old_columns", description="Column names of the old extract: role=Header,..."),
    Parameter(name="nordepj_columns", description="Column names of the NordEPJ extract: role=Header,..."),
    Parameter(
        name="old_admission_kinds",
        default=",".join(OLD_ADMISSION_KINDS),
        description="Kinds that are a coercive admission in the old system (comma-separated).",
    ),
    Parameter(
        name="nordepj_admission_kinds",
        default=",".join(NORDEPJ_ADMISSION_KINDS),
        description="Kinds that are a coercive admission in NordEPJ (comma-separated).",
    ),
    Parameter(name="phase_split", default="yes", description="yes: the switch starts a new phase on charts."),
    Parameter(name="skip_errors", default="no", description="yes: leave out rows that cannot be read."),
)
