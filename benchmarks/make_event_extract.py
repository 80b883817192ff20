"""Generate a realistic, synthetic event extract for the import benchmark.

One row per coercion event, as a Danish EPJ extract looks when saved by Excel:
semicolon separated, UTF-8 with BOM (or Windows-1252), Danish timestamps
``dd.mm.yyyy HH:MM``, CPR-like synthetic identifiers ``ddmmyy-xxxx`` (never real:
the last four digits are random and the persons are invented), and the columns of
the default :class:`pdsa_core.importing.EventLayout`.

The data are shaped like the real thing: a few persons account for most events
(heavy-tailed, roughly 20 % of persons cause 60-70 % of events), coercive admissions
are a small share of all coercion, and about 10 % of the rows fall outside the
benchmark population (other municipality, forensic, under 18, or another ward).

Usage::

    python benchmarks/make_event_extract.py benchmarks/out/events.csv --rows 1000000
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

HEADER = (
    "cpr",
    "tidspunkt",
    "tvangstype",
    "afsnit",
    "alder",
    "bopælskommune",
    "ambulant_forløb",
    "retspsykiatrisk",
)

#: Kinds of coercion with rough relative frequencies.
KINDS = (
    ("Tvangsindlæggelse", 6),
    ("Tvangstilbageholdelse", 5),
    ("Bæltefiksering", 18),
    ("Fastholdelse", 30),
    ("Beroligende medicin", 22),
    ("Tvangsmedicinering", 9),
    ("Personlig skærmning", 6),
    ("Remme", 4),
)

#: Municipalities inside the benchmark population (Region Nordjylland).
POPULATION_MUNICIPALITIES = (
    "Aalborg",
    "Hjørring",
    "Frederikshavn",
    "Brønderslev",
    "Jammerbugt",
    "Rebild",
    "Mariagerfjord",
    "Vesthimmerlands",
)
OTHER_MUNICIPALITIES = ("Aarhus", "Randers", "Viborg")
POPULATION_WARDS = ("S1", "S2", "S3", "S4", "S5", "S6")
OTHER_WARDS = ("BU1", "BU2")

#: The population the benchmark counts (as a ``Population.to_dict()``).
BENCH_POPULATION = {
    "min_age": 18,
    "max_age": None,
    "municipalities": list(POPULATION_MUNICIPALITIES),
    "wards": list(POPULATION_WARDS),
    "kinds": [],
    "require_outpatient_course": False,
    "exclude_forensic": True,
}

FIRST_YEAR = 2018
YEARS = 6


def _cpr(rng: random.Random) -> str:
    year = rng.randrange(1940, 2010)
    month = rng.randrange(1, 13)
    day = rng.randrange(1, 29)
    return f"{day:02d}{month:02d}{year % 100:02d}-{rng.randrange(10000):04d}"


def _persons(rng: random.Random, count: int) -> list[tuple[str, int, str, bool, bool]]:
    """(cpr, age in 2018, municipality, forensic, outpatient) for each invented person."""
    persons = []
    for _ in range(count):
        roll = rng.random()
        age = rng.randrange(18, 80)
        municipality = rng.choice(POPULATION_MUNICIPALITIES)
        forensic = False
        if roll < 0.03:
            municipality = rng.choice(OTHER_MUNICIPALITIES)
        elif roll < 0.06:
            forensic = True
        elif roll < 0.08:
            age = rng.randrange(12, 16)
        persons.append((_cpr(rng), age, municipality, forensic, rng.random() < 0.6))
    return persons


def generate(path: Path, rows: int, *, seed: int = 2022, encoding: str = "utf-8-sig") -> None:
    rng = random.Random(seed)
    persons = _persons(rng, max(10, rows // 25))
    # Pareto weights give the typical concentration: a few persons, many events.
    weights = [rng.paretovariate(1.4) for _ in persons]
    kinds = [k for k, _ in KINDS]
    kind_weights = [w for _, w in KINDS]
    chosen = rng.choices(range(len(persons)), weights=weights, k=rows)
    chosen_kinds = rng.choices(kinds, weights=kind_weights, k=rows)
    yes_no = ("nej", "ja")
    with open(path, "w", encoding=encoding, newline="") as out:
        out.write(";".join(HEADER) + "\r\n")
        lines = []
        for index in range(rows):
            cpr, age, municipality, forensic, outpatient = persons[chosen[index]]
            year = FIRST_YEAR + rng.randrange(YEARS)
            month = rng.randrange(1, 13)
            day = rng.randrange(1, 29 if month == 2 else 31)
            ward = rng.choice(POPULATION_WARDS) if rng.random() > 0.02 else rng.choice(OTHER_WARDS)
            lines.append(
                f"{cpr};{day:02d}.{month:02d}.{year} {rng.randrange(24):02d}:{rng.randrange(60):02d};"
                f"{chosen_kinds[index]};{ward};{age + year - FIRST_YEAR};{municipality};"
                f"{yes_no[outpatient]};{yes_no[forensic]}\r\n"
            )
            if len(lines) >= 50_000:
                out.write("".join(lines))
                lines.clear()
        out.write("".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--encoding", default="utf-8-sig", choices=["utf-8-sig", "cp1252"])
    args = parser.parse_args()
    args.path.parent.mkdir(parents=True, exist_ok=True)
    generate(args.path, args.rows, seed=args.seed, encoding=args.encoding)
    size = args.path.stat().st_size
    print(f"wrote {args.rows:,} rows, {size / 1e6:.1f} MB to {args.path}")


if __name__ == "__main__":
    main()
