"""The populations of Region Nordjylland's LKT Tvang teams, as the 2022 status report defines them.

Adults (voksenspor): R1, R2, F1 and F2 count patients aged 18 or more, living in Aalborg
Kommune, coercively admitted to ward S5 (sengeafsnit S5) and with an active outpatient
course at Ambulatorium for Psykoser at the time; forensic patients are excluded for all
indicators. (V1-V4 are not limited by outpatient contact; they are not counted from event
extracts.)

Children and young people (børne- og ungespor): patients "between 12 and 18", living in
Aalborg Kommune, with an active course in child and adolescent psychiatry (admitted to
BU1 or attached to an outpatient clinic). The age band is 12-17 years inclusive (from the
12th to the 18th birthday, the age range of child and adolescent psychiatry). "Admitted to
BU1 or attached to an outpatient clinic" is an either/or that the population filter
cannot express; the child and adolescent psychiatry's extract already holds only patients
with a course there, so no ward or outpatient filter is applied. The project aims at
Aalborg Nord, but NordEPJ extracts cannot yet be split by postcode, so the whole
municipality is used (as the report says).

Ward labels differ between the systems ("S5" in the old extract, "Sengeafsnit S5" in
NordEPJ); both are listed.
"""

from __future__ import annotations

from pdsa_core import Population

ADULTS = "nordjylland-voksen"
CHILDREN = "nordjylland-boern-unge"

POPULATIONS: dict[str, tuple[Population, str]] = {
    ADULTS: (
        Population(
            min_age=18,
            municipalities=["Aalborg Kommune"],
            wards=["S5", "Sengeafsnit S5"],
            require_outpatient_course=True,
            exclude_forensic=True,
        ),
        "Voksenspor (R1, R2, F1, F2): 18 år eller derover, bosat i Aalborg Kommune, tvangsindlagt på "
        "sengeafsnit S5 og med et aktivt ambulant forløb hos Ambulatorium for Psykoser; "
        "retspsykiatriske patienter ekskluderet.",
    ),
    CHILDREN: (
        Population(
            min_age=12,
            max_age=17,
            municipalities=["Aalborg Kommune"],
            exclude_forensic=False,
        ),
        "Børne- og ungespor (R1, R2, F1, F2): 12-17 år, bosat i Aalborg Kommune, med et aktivt "
        "forløb i Børne- og Ungdomspsykiatrien (indlagt på BU1 eller tilknyttet et ambulatorie).",
    ),
}


def population_for_track(track: str) -> str:
    """The population id a team of ``track`` uses: children's for børne- og ungespor, else adults'."""
    return CHILDREN if str(track) == "børne- og ungespor" else ADULTS
