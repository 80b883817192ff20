"""Driver diagram templates for both LKT Tvang tracks, from the closing experience catalogue.

The aim, the primary and the secondary drivers are the project's own (the catalogue's
driver diagram). The change ideas are the interventions and advice the teams reported in
the catalogue ("gode råd", "hvad vil vi fastholde?"), placed under the secondary driver they
serve. A team adjusts its diagram from there; the template is only a start.
"""

from __future__ import annotations

from pdsa_core import DiagramTemplate, TemplateNode

AIM = (
    "At reducere omfanget af tvangsindlæggelser ved at styrke det tværsektorielle samarbejde "
    "med patienten i centrum"
)
SOURCE = "LKT Tvang, erfaringskatalog (Det Nationale Kvalitetsprogram)"
SHARED_DECISIONS = "Fælles beslutningstagning (shared decision making)"


def _node(text: str, *children: TemplateNode | str, description: str = "") -> TemplateNode:
    return TemplateNode(
        text=text,
        children=[c if isinstance(c, TemplateNode) else TemplateNode(text=c) for c in children],
        description=description,
    )


def _network_meetings(*, young: bool) -> TemplateNode:
    who = "den unge" if young else "patienten"
    return _node(
        "Tværsektorielle netværksmøder",
        _node(
            "Deltagerkreds",
            "Kendskabsbesøg på tværs af psykiatri, kommune og bosteder",
            "Møder på skift mellem døgntilbud/bosted og psykiatrien"
            if young
            else "Blitzanalyse: kort virtuelt tværsektorielt netværksmøde (højst 15 min) efter en "
            "tvangsindlæggelse",
        ),
        _node(
            "Rollefordeling",
            "Udpeg en ansvarlig for at planlægge netværksmøderne og invitere de rette deltagere",
            "Review af komplicerede tvangsindlæggelser sammen med samarbejdspartnerne",
        ),
        _node(
            SHARED_DECISIONS,
            f"Peers som støtte for {who} før og under netværksmødet",
            "Den unge skriver personlige statements som forberedelse til netværksmødet"
            if young
            else "Inddrag patienten og de pårørende i netværksmødet",
        ),
        description="Primær driver i LKT Tvang (begge spor). Måles med V3 (voksne) og BU2 (børn og unge).",
    )


def adults() -> DiagramTemplate:
    return DiagramTemplate(
        id="lkt-tvang-voksen",
        name_da="LKT Tvang, voksenspor",
        name_en="LKT Tvang, adult track",
        aim=AIM,
        source=SOURCE,
        drivers=[
            _node(
                "Udskrivningsaftaler/koordinationsplaner (UA/KP)",
                _node(
                    "Lovbestemt indhold",
                    "Undervisning og sidemandsoplæring i at udarbejde UA/KP",
                    "Oplær flere faggrupper end socialrådgiverne, så opgaven ikke hviler på få",
                ),
                _node(
                    "Fokus på patientens ønsker, præferencer og hjælp fra netværk",
                    "Inddrag de tværsektorielle samarbejdspartnere og skab overblik over "
                    "eksisterende aftaler",
                    'Krise- og mestringsplaner (fx "Min Plan")',
                ),
                _node(
                    "Særlig opmærksomhed på forebyggelse af tvang",
                    "Begynd på UA/KP så tidligt som muligt under indlæggelsen",
                    "Tilbyd udvalgte ambulante patienter med høj risiko en kort, frivillig (elektiv) "
                    "indlæggelse, så der kan laves en UA/KP",
                    "Ambulante forhåndstilkendegivelser",
                ),
                _node(
                    SHARED_DECISIONS,
                    "Beslutningsstøtteværktøj for pårørendeinddragelse",
                ),
                description="Primær driver i voksenpsykiatrien. Måles med V1, V2 og V4.",
            ),
            _network_meetings(young=False),
        ],
    )


def children() -> DiagramTemplate:
    return DiagramTemplate(
        id="lkt-tvang-boern-unge",
        name_da="LKT Tvang, børne- og ungespor",
        name_en="LKT Tvang, children and young people track",
        aim=AIM,
        source=SOURCE,
        drivers=[
            _node(
                "Trygheds- og forebyggelsesplaner",
                _node(
                    "Grundoplysninger som ved UA/KP",
                    "Udarbejd en skabelon for trygheds- og forebyggelsesplanen sammen med peers",
                    "Skab overblik over andre eksisterende planer, så den nye plan ikke forsvinder i mængden",
                ),
                _node(
                    "Fokus på barnet/den unge samt forældrenes rolle",
                    'Hjælpeværktøj til samtalen med den unge (fx "Min plan")',
                    "Inddrag forældrene i udarbejdelsen af planen",
                ),
                _node(
                    "Særlig opmærksomhed på forebyggelse af tvang",
                    "Tilbyd en plan til unge på døgntilbud, der tidligere har været udsat for tvang "
                    "eller magtanvendelse",
                ),
                _node(
                    "Planen overføres til en UA/KP ved overgang til voksenpsykiatrien",
                    "Netværksmøde ved overgangen, hvor planen konverteres til en UA/KP",
                ),
                _node(
                    SHARED_DECISIONS,
                    "Evaluér planerne med de unge og deres forældre, og justér indsatsen",
                ),
                description="Primær driver i børne- og ungdomspsykiatrien. Måles med BU1, BU3 og BU4.",
            ),
            _network_meetings(young=True),
        ],
    )


def diagram_templates() -> list[DiagramTemplate]:
    return [adults(), children()]
