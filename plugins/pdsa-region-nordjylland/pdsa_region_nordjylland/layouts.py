"""The two extract layouts around the move to NordEPJ on 25 March 2022.

The real extract formats are not public. These are plausible layouts of a coercion extract
(one row per coercion event) from each system; every column name can be changed with the
importer's options ``old_columns`` and ``nordepj_columns`` (``role=Header`` pairs separated
by commas, ``role=-`` for a column the extract does not have), so a region points the
importer at its real files without changing code.

Old system (before 25 March 2022): semicolon-separated, Windows-1252 (Danish Excel), dates
day first::

    CPR-nr;Dato;Tvangsform;Afsnit;Alder;Kommune;Ambulant forløb;Retspsykiatri
    010190-1234;02-03-2022 10:15;Tvangsindlæggelse (gule papirer);S5;32;Aalborg;J;N
    010190-1234;02-03-2022 11:40;Bæltefiksering;S5;32;Aalborg;J;N

NordEPJ (from 25 March 2022): comma-separated, UTF-8, ISO timestamps, the ward's full name::

    Personnummer,Starttidspunkt,Tvangstype,Afsnit,Alder,Bopælskommune,Aktivt ambulant forløb,Retspsykiatrisk
    0101901234,2022-03-28T08:40:00,Tvangsindlæggelse,Sengeafsnit S5,32,Aalborg Kommune,Ja,Nej

Roles (what the importer needs to know of each column): ``identifier`` (CPR or a local
pseudonym; used only in memory), ``timestamp`` (the event's date, time optional), ``kind``
(the kind of coercion), ``ward``, ``age`` (at the event), ``municipality`` (of residence),
``outpatient`` (an open outpatient course: J/N, Ja/Nej, 1/0) and ``forensic`` (J/N). The
separator and the encoding are detected.

Which kinds are a coercive admission (R1/R2) differs too: the old system names the kind of
papers, NordEPJ does not. Options ``old_admission_kinds`` and ``nordepj_admission_kinds``
change them.
"""

from __future__ import annotations

from pdsa_core import EventLayout, ValidationError
from pdsa_core.importing.events import ROLES

OLD_LAYOUT = EventLayout(
    identifier="CPR-nr",
    timestamp="Dato",
    kind="Tvangsform",
    ward="Afsnit",
    age="Alder",
    municipality="Kommune",
    outpatient="Ambulant forløb",
    forensic="Retspsykiatri",
)
NORDEPJ_LAYOUT = EventLayout(
    identifier="Personnummer",
    timestamp="Starttidspunkt",
    kind="Tvangstype",
    ward="Afsnit",
    age="Alder",
    municipality="Bopælskommune",
    outpatient="Aktivt ambulant forløb",
    forensic="Retspsykiatrisk",
)
OLD_ADMISSION_KINDS = ("Tvangsindlæggelse (gule papirer)", "Tvangsindlæggelse (røde papirer)")
NORDEPJ_ADMISSION_KINDS = ("Tvangsindlæggelse",)


def with_columns(layout: EventLayout, text: str, *, option: str) -> EventLayout:
    """``layout`` with the columns named in ``text`` (``timestamp=Dato,ward=-``) changed."""
    data = layout.to_dict()
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        role, sep, header = part.partition("=")
        role, header = role.strip(), header.strip()
        if not sep or role not in ROLES:
            raise ValidationError(
                f"option {option}: write role=Header pairs separated by commas; roles: {', '.join(ROLES)} "
                f"(got {part!r})"
            )
        if not header:
            raise ValidationError(f"option {option}: {role} needs a column name, or - for none")
        data[role] = None if header == "-" else header
    return EventLayout.from_dict(data)


def kinds(text: str) -> list[str]:
    """Kind labels separated by commas."""
    return [part.strip() for part in text.split(",") if part.strip()]
