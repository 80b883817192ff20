"""One monthly series from two extracts: the old system before 25 March 2022, NordEPJ from it.

Region Nordjylland moved to NordEPJ on 25 March 2022; data before the switch come from the
old system, data from the switch date on from NordEPJ. The importer reads both event
extracts (the file given, and the option ``nordepj_file``), aggregates each with the team's
population to R1, R2, F1 and F2 per month (:func:`pdsa_core.importing.events.aggregate_events`;
person identifiers are used only in memory), and splices them:

* months before the switch month come from the old extract, months after it from NordEPJ;
* the switch month itself adds both systems: events (R2, F2) exactly; for persons (R1, F1)
  a person registered in both systems in that month counts twice, so the value is an upper
  bound (the lower bound, the larger of the two, is stated in the value's note);
* the old extract must have no event in the switch month on or after the switch date and
  NordEPJ none before it (otherwise it refuses, saying how many: cut the extracts at the
  switch date), so no event is counted in both;
* an annotation "it system change" on the switch date starts a new phase on the charts.

Rows that cannot be read refuse the import (with row numbers), unless ``skip_errors=yes``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pdsa_core import (
    AnnotationInput,
    DataImportError,
    EventLayout,
    ImportResult,
    MeasurementInput,
    Population,
    Team,
    ValidationError,
    aggregate_events,
    get_language,
)

# Beyond the public API: the reasons a row is outside a population, the aggregate's type and
# the readers that find the day of each event around the switch. This plugin ships with pdsa
# and is tested with it; a region's own plugin should keep to ``from pdsa_core import ...``.
from pdsa_core.importing.events import OUTSIDE_REASONS, EventAggregate
from pdsa_core.importing.periods import parse_day
from pdsa_core.importing.problems import ImportProblem
from pdsa_core.importing.tables import normalise_header, read_xlsx
from pdsa_core.importing.textfile import decode_text, sniff_separator
from pdsa_region_nordjylland.layouts import (
    NORDEPJ_LAYOUT,
    OLD_LAYOUT,
    kinds,
    with_columns,
)
from pdsa_region_nordjylland.options import IMPORTER_ID
from pdsa_region_nordjylland.populations import POPULATIONS, population_for_track

EVENT_CODES = ("R1", "R2", "F1", "F2")
PERSON_CODES = ("R1", "F1")
YES = {"1", "yes", "ja", "true", "y", "j"}
MAX_ERRORS_SHOWN = 10
EXCEL = (".xlsx", ".xlsm")


def _month(text: str, *, option: str) -> str:
    try:
        return dt.date.fromisoformat(f"{text.strip()}-01").isoformat()[:7]
    except ValueError:
        raise ValidationError(f"option {option} must be a month written YYYY-MM, got {text!r}") from None


def _population(text: str, team: Team) -> tuple[str, Population]:
    raw = text.strip() or population_for_track(team.track)
    if raw.startswith("{"):
        try:
            return "custom", Population.from_dict(json.loads(raw))
        except json.JSONDecodeError as exc:
            raise ValidationError(f"option population is not valid JSON: {exc.msg}") from None
    if raw not in POPULATIONS:
        raise ValidationError(f"option population: no population {raw!r} (known: {', '.join(POPULATIONS)})")
    return raw, POPULATIONS[raw][0]


# -- the days around the switch ---------------------------------------------------------------------
def _days(path: Path, layout: EventLayout) -> Iterator[dt.date]:
    """The event dates of an extract (unreadable ones are skipped: the aggregation reports them)."""
    wanted = normalise_header(layout.timestamp)
    if path.suffix.lower() in EXCEL:
        table = read_xlsx(path, sheet=layout.sheet, header_rows=1)
        header = next((h for h in table.headers if normalise_header(h) == wanted), None)
        cells: list[Any] = table.column(header) if header is not None else []
    else:
        text, _ = decode_text(path.read_bytes(), path.name)
        reader = csv.reader(io.StringIO(text), delimiter=layout.separator or sniff_separator(text))
        names = next((row for row in reader if any(c.strip() for c in row)), [])
        normalised = [normalise_header(n) for n in names]
        if wanted not in normalised:
            return
        position = normalised.index(wanted)
        cells = [row[position] for row in reader if len(row) > position]
    for cell in cells:
        if isinstance(cell, dt.datetime):
            yield cell.date()
        elif isinstance(cell, dt.date):
            yield cell
        elif cell is not None:
            try:
                yield parse_day(str(cell))
            except ImportProblem:
                continue


def _around_switch(path: Path, layout: EventLayout, switch: dt.date) -> tuple[int, int]:
    """Events in the switch month before the switch date, and on or after it."""
    month = switch.isoformat()[:7]
    before = after = 0
    for day in _days(path, layout):
        if day.isoformat()[:7] == month:
            if day < switch:
                before += 1
            else:
                after += 1
    return before, after


# -- reading ---------------------------------------------------------------------------------------------
def _texts(lang: str) -> dict[str, str]:
    if lang == "da":
        return {
            "old": "det tidligere EPJ",
            "new": "NordEPJ",
            "note_events": "{month}: {old} fra det tidligere EPJ + {new} fra NordEPJ",
            "note_persons": (
                "{month}: {old} fra det tidligere EPJ + {new} fra NordEPJ; en person registreret i begge "
                "systemer tælles to gange (mindst {low})"
            ),
            "annotation": (
                "Skift til NordEPJ {date}: data før skiftet fra det tidligere EPJ-udtræk, "
                "fra skiftet fra NordEPJ"
            ),
        }
    return {
        "old": "the old system",
        "new": "NordEPJ",
        "note_events": "{month}: {old} from the old system + {new} from NordEPJ",
        "note_persons": (
            "{month}: {old} from the old system + {new} from NordEPJ; a person registered in both systems "
            "counts twice (at least {low})"
        ),
        "annotation": "Move to NordEPJ on {date}: data before the switch from the old system's extract, "
        "from the switch on from NordEPJ",
    }


def _refuse_row_errors(parts: list[tuple[str, EventAggregate]], lang: str, skip: bool) -> list[str]:
    messages = [f"{agg.source.label()}: {error.message(lang)}" for _, agg in parts for error in agg.errors]
    total = sum(agg.error_count for _, agg in parts)
    if total and not skip:
        more = total - min(len(messages), MAX_ERRORS_SHOWN)
        raise DataImportError(
            f"{total} rows cannot be read: {'; '.join(messages[:MAX_ERRORS_SHOWN])}"
            + (f" (and {more} more)" if more > 0 else "")
            + "; fix them, or leave them out with --option skip_errors=yes"
        )
    return [f"skipped {m}" for m in messages] + (
        [f"skipped {total - len(messages)} more unreadable rows"] if total > len(messages) else []
    )


def read_splice(
    path: Path, *, team: Team, options: dict[str, str], indicators: tuple[Any, ...] = ()
) -> ImportResult:
    """Read the old extract ``path`` and the NordEPJ extract, and splice them at the switch date."""
    lang = get_language()
    text = _texts(lang)
    new_path = Path(options["nordepj_file"]).expanduser()
    if not new_path.is_file():
        raise DataImportError(f"no NordEPJ extract {new_path} (option nordepj_file)")
    try:
        switch = dt.date.fromisoformat(options["switch_date"].strip())
    except ValueError:
        raise ValidationError(
            f"option switch_date must be a date YYYY-MM-DD, got {options['switch_date']!r}"
        ) from None
    switch_month = switch.isoformat()[:7]
    first = _month(options["first_month"], option="first_month")
    last = _month(options["last_month"], option="last_month") if options["last_month"] else None
    if first > switch_month or (last and last < switch_month):
        raise ValidationError(f"the months asked for must include the switch month {switch_month}")
    population_id, population = _population(options["population"], team)
    old_layout = with_columns(OLD_LAYOUT, options["old_columns"], option="old_columns")
    new_layout = with_columns(NORDEPJ_LAYOUT, options["nordepj_columns"], option="nordepj_columns")
    old_kinds = kinds(options["old_admission_kinds"])
    new_kinds = kinds(options["nordepj_admission_kinds"])
    if not old_kinds or not new_kinds:
        raise ValidationError("the admission kinds of both systems must name at least one kind")
    codes = [c for c in EVENT_CODES if not indicators or c.lower() in {i.code.lower() for i in indicators}]
    if not codes:
        raise DataImportError(f"team {team.name} has none of the indicators {', '.join(EVENT_CODES)}")

    old = aggregate_events(
        path,
        old_layout,
        population,
        kinds_for={"R1": old_kinds, "R2": old_kinds},
        period_range=(first, switch_month),
    )
    new = aggregate_events(
        new_path,
        new_layout,
        population,
        kinds_for={"R1": new_kinds, "R2": new_kinds},
        period_range=(switch_month, last) if last else None,
    )
    warnings = _refuse_row_errors([("old", old), ("new", new)], lang, options["skip_errors"].lower() in YES)

    old_before, old_after = _around_switch(path, old_layout, switch)
    new_before, new_after = _around_switch(new_path, new_layout, switch)
    if old_after:
        raise DataImportError(
            f"the old system's extract has {old_after} events in {switch_month} on or after the switch date "
            f"{switch}: they belong to NordEPJ; cut the extract at the switch date (or correct switch_date)",
            where=path.name,
        )
    if new_before:
        raise DataImportError(
            f"the NordEPJ extract has {new_before} events in {switch_month} before the switch date {switch}: "
            "they belong to the old system; cut the extract at the switch date (or correct switch_date)",
            where=new_path.name,
        )

    new_months = [m for m in new.months if m >= switch_month]
    end = last or (max(new_months) if new_months else switch_month)
    months = _span(first, end)
    measurements = []
    for code in codes:
        for month in months:
            if month < switch_month:
                value, note = old.values[code].get(month, 0), ""
            elif month > switch_month:
                value, note = new.values[code].get(month, 0), ""
            else:
                a, b = old.values[code].get(month, 0), new.values[code].get(month, 0)
                value = a + b
                template = text["note_persons"] if code in PERSON_CODES else text["note_events"]
                note = template.format(month=month, old=a, new=b, low=max(a, b))
            measurements.append(MeasurementInput(code, month, value=float(value), note=note))

    for label, agg in ((text["old"], old), (text["new"], new)):
        for reason, count in agg.outside.items():
            if count:
                reason_text = OUTSIDE_REASONS.get(reason, (reason, reason))[0 if lang == "da" else 1]
                warnings.append(f"{label}: {count} rows outside the population ({reason_text})")
    for label, agg, admission in ((text["old"], old, old_kinds), (text["new"], new, new_kinds)):
        wanted = {k.casefold() for k in admission}
        if agg.rows_counted and not any(k.casefold() in wanted for k in agg.kinds_seen):
            seen = ", ".join(sorted(agg.kinds_seen)) or "none"
            warnings.append(
                f"{label}: no row is a coercive admission ({', '.join(admission)}), so R1 and R2 are 0; "
                f"kinds in the extract: {seen}"
            )
    if "R1" in codes or "F1" in codes:
        warnings.append(
            f"{switch_month}: R1 and F1 add the persons of both systems; a person registered in both "
            "that month counts twice (see the value's note)"
        )
    annotation = AnnotationInput(
        date=switch.isoformat(),
        text=text["annotation"].format(date=switch.strftime("%d.%m.%Y")),
        kind="it system change",
        indicators=tuple(codes),
        phase_split=options["phase_split"].strip().lower() in YES,
    )
    return ImportResult(
        measurements=measurements,
        annotations=[annotation],
        warnings=warnings,
        source=IMPORTER_ID,
        source_file=f"{path.name} + {new_path.name}",
        rows_read=old.rows_read + new.rows_read,
        rows_skipped=(old.rows_read - old.rows_counted) + (new.rows_read - new.rows_counted),
        details={
            "switch_date": switch.isoformat(),
            "population": population_id,
            "systems": {
                "old": _summary(old, (first, switch_month)),
                "nordepj": _summary(new, (switch_month, end)),
            },
        },
    )


def _span(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _summary(agg: EventAggregate, used: tuple[str, str]) -> dict[str, Any]:
    return {
        "file": agg.source.label(),
        "months_used": list(used),
        "rows_read": agg.rows_read,
        "rows_counted": agg.rows_counted,
        "outside": dict(agg.outside),
        "kinds_seen": dict(agg.kinds_seen),
        "concentration": agg.concentration.to_dict(),
    }
