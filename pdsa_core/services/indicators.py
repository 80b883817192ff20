"""Indicators, their monthly measurements (with revisions) and annotations."""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pdsa_core.domain import (
    Annotation,
    Indicator,
    Measurement,
    Revision,
    Unit,
    measurement_key,
    month_range,
    parse_period,
)
from pdsa_core.domain.common import name_key, period_from_index, period_index, today_iso
from pdsa_core.domain.measurement import check_unit, checked_fields, measurement_data
from pdsa_core.errors import ConflictError, DuplicateError, NotFoundError, ValidationError
from pdsa_core.services.base import ServiceBase, remembered
from pdsa_core.startup import paused_gc
from pdsa_core.storage import Snapshot

#: ``add_measurement(expected=...)`` not given: write without checking what the user saw
NOT_CHECKED: Any = object()

_PREFIX_ORDER = {"R": 0, "F": 1, "V": 2, "BU": 3, "B": 4}


def indicator_sort_key(code: str) -> tuple[int, str, int, str]:
    """R1, R2, F1 … F4, V1 … V4, BU1 … BU4, then the rest, numbers compared as numbers."""
    match = re.match(r"^([A-Za-z]+)(\d*)(.*)$", code)
    if not match:
        return (9, code, 0, "")
    prefix, number, rest = match.groups()
    return (_PREFIX_ORDER.get(prefix.upper(), 9), prefix.upper(), int(number or 0), rest)


@dataclass(frozen=True)
class MeasurementInput:
    """One value to store: what an import or a data grid hands to :meth:`add_measurements`."""

    indicator: str
    period: str
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    note: str = ""

    def __init__(
        self,
        indicator: str,
        period: str,
        value: float | None = None,
        numerator: float | None = None,
        denominator: float | None = None,
        note: str = "",
    ) -> None:
        # the generated __init__ of a frozen dataclass sets each field through
        # object.__setattr__; an import builds one per value (0.73 against 1.22 us)
        self.__dict__.update(
            indicator=indicator,
            period=period,
            value=value,
            numerator=numerator,
            denominator=denominator,
            note=note,
        )


@dataclass(frozen=True)
class WriteResult:
    added: int
    changed: int
    unchanged: int
    #: annotations added in the same transaction (``add_measurements(annotations=...)``)
    annotations: tuple[Annotation, ...] = ()


class IndicatorService(ServiceBase):
    # -- indicators ---------------------------------------------------------------------------
    def indicators(self, team_ref: str) -> list[Indicator]:
        team = self.team(team_ref)  # type: ignore[attr-defined]

        def build(snap: Snapshot) -> list[Indicator]:
            docs = self.derived("indicator_docs_by_team", _index_indicator_docs).get(team.id, [])
            return sorted((Indicator.from_dict(d) for d in docs), key=lambda i: indicator_sort_key(i.code))

        return self.derived(f"indicators:{team.id}", build)

    def indicator(self, team_ref: str, code: str) -> Indicator:
        # asked ~7 times per indicator by a dashboard (its values, verdict, missing months):
        # each answer is remembered until the workspace changes, as the team's (TeamService.team)
        found: dict[tuple[str, str], Indicator] = self.derived("indicator_by_ref", remembered)
        ref = (team_ref, code)
        known = found.get(ref) if type(team_ref) is str and type(code) is str else None
        if known is not None:
            return known
        for indicator in self.indicators(team_ref):
            if indicator.code.lower() == code.strip().lower():
                if type(team_ref) is str and type(code) is str:
                    found[ref] = indicator
                return indicator
        team = self.team(team_ref)  # type: ignore[attr-defined]
        codes = ", ".join(i.code for i in self.indicators(team_ref))
        raise NotFoundError(
            f"team {team.name} has no indicator {code!r} (indicators: {codes or 'none yet'})",
            da=f"team {team.name} har ingen indikator {code!r} (indikatorer: {codes or 'ingen endnu'})",
        )

    def add_indicator(self, team_ref: str, code: str, name_da: str, **fields: Any) -> Indicator:
        team = self.team(team_ref)  # type: ignore[attr-defined]
        indicator = Indicator(team_id=team.id, code=code, name_da=name_da, **fields)
        key = f"{team.id}|{indicator.code}"
        self._refuse_taken(team, indicator)
        with self.transaction() as tx:
            if tx.get("indicators", key) is not None:
                raise DuplicateError(
                    f"team {team.name} already has an indicator {indicator.code}",
                    da=f"team {team.name} har allerede en indikator {indicator.code}",
                )
            tx.put("indicators", key, indicator.to_doc())
        return indicator

    def _refuse_taken(self, team: Any, indicator: Indicator) -> None:
        """Refuse an indicator whose id or name another of the team's indicators has, up to
        case, Unicode form and spacing (``r1`` beside ``R1`` would split one series in two)."""
        for other in self.indicators(team.id):
            if other.code == indicator.code:
                continue
            if other.code.lower() == indicator.code.lower():
                raise DuplicateError(
                    f"team {team.name} already has an indicator {other.code}",
                    da=f"team {team.name} har allerede en indikator {other.code}",
                )
            if name_key(other.name_da) == name_key(indicator.name_da):
                raise DuplicateError(
                    f"team {team.name}'s indicator {other.code} is already called {other.name_da!r}",
                    da=f"team {team.name}s indikator {other.code} hedder allerede {other.name_da!r}",
                )

    def update_indicator(self, team_ref: str, code: str, **changes: Any) -> Indicator:
        current = self.indicator(team_ref, code)
        if "code" in changes or "team_id" in changes:
            raise ValidationError(
                "an indicator's id and team cannot change; add a new indicator instead",
                da="en indikators id og team kan ikke ændres; opret en ny indikator i stedet",
            )
        updated = Indicator.from_input({**current.to_dict(), **changes, "rev": current.rev + 1}, was=current)
        if "name_da" in changes:
            self._refuse_taken(self.team(current.team_id), updated)  # type: ignore[attr-defined]
        with self.transaction() as tx:
            tx.put("indicators", f"{current.team_id}|{current.code}", updated.to_doc())
        return updated

    def remove_indicator(self, team_ref: str, code: str, *, with_values: bool = False) -> Indicator:
        """Remove an indicator; its values too only when asked (``with_values``), so none is lost
        by a slip. Annotations stay: they belong to the team's timeline."""
        current = self.indicator(team_ref, code)
        values = self.measurements(current.team_id, current.code)
        if values and not with_values:
            raise ValidationError(
                f"{current.code} has {len(values)} values; remove them too with --with-values, "
                "or keep the indicator",
                da=f"{current.code} har {len(values)} værdier; fjern dem også med --with-values, "
                "eller behold indikatoren",
            )
        with self.transaction() as tx:
            for value in values:
                tx.delete("measurements", value.key)
            tx.delete("indicators", f"{current.team_id}|{current.code}")
        return current

    # -- measurements -----------------------------------------------------------------------------
    def measurements(self, team_ref: str, code: str) -> list[Measurement]:
        indicator = self.indicator(team_ref, code)
        key = (indicator.team_id, indicator.code)

        def build(snap: Snapshot) -> list[Measurement]:
            docs = self.derived("measurement_docs_by_indicator", _index_measurement_docs).get(key, [])
            return sorted(Measurement.from_dicts(docs), key=lambda m: m.period)

        return self.derived(f"measurements:{key[0]}|{key[1]}", build)

    def add_measurement(
        self,
        team_ref: str,
        code: str,
        period: str,
        *,
        value: float | None = None,
        numerator: float | None = None,
        denominator: float | None = None,
        note: str = "",
        source: str = "manual",
        expected: float | None = NOT_CHECKED,
    ) -> tuple[Measurement, str]:
        """Store one month's value; returns the measurement and "added", "changed" or "unchanged".

        ``expected`` is the value the user saw for that month (None: it was empty). If the stored
        value differs (someone else wrote meanwhile), :class:`ConflictError` shows both and
        nothing is written.
        """
        item = MeasurementInput(code, period, value, numerator, denominator, note)
        result, stored = self._write_measurements(team_ref, [item], source=source, expected=expected)
        status = "added" if result.added else "changed" if result.changed else "unchanged"
        kept = stored[0]
        return (kept if isinstance(kept, Measurement) else Measurement.from_dict(kept)), status

    def add_measurements(
        self,
        team_ref: str,
        items: Iterable[MeasurementInput],
        *,
        source: str = "manual",
        source_file: str = "",
        source_sheet: str = "",
        annotations: Iterable[Any] = (),
        new_indicator: Indicator | None = None,
        only_empty: bool = False,
    ) -> WriteResult:
        """Store many values in one all-or-nothing transaction (an import, a data grid).

        ``only_empty`` says the user saw every month as empty (a form of missing months): a
        month someone else filled meanwhile is a conflict naming that value, and nothing is written.

        ``new_indicator`` is created in the same transaction when the team lacks it (a rate
        computed from a count, for example), so values never arrive without their indicator.

        ``annotations`` (objects or dicts with ``date``, ``text`` and optionally ``kind``,
        ``indicators``, ``phase_split``, e.g. :class:`pdsa_core.AnnotationInput`) are added in
        the same transaction, except those the team already has (same date, kind and text);
        the added ones are in the result's ``annotations``.
        """
        result, _ = self._write_measurements(
            team_ref,
            list(items),
            source=source,
            source_file=source_file,
            source_sheet=source_sheet,
            annotations=annotations,
            new_indicator=new_indicator,
            expected=None if only_empty else NOT_CHECKED,
        )
        return result

    @paused_gc()
    def _write_measurements(
        self,
        team_ref: str,
        items: list[MeasurementInput],
        *,
        source: str,
        source_file: str = "",
        source_sheet: str = "",
        expected: float | None = NOT_CHECKED,
        annotations: Iterable[Any] = (),
        new_indicator: Indicator | None = None,
    ) -> tuple[WriteResult, list[Measurement | dict[str, Any]]]:
        """Check and store ``items``; returns the counts and each value as stored: the data
        written (:meth:`Measurement.to_dict` form), or the measurement kept when unchanged."""
        from pdsa_core.redaction import redact

        # the name of an imported file or sheet is stored; a CPR number in it never is
        source_file, source_sheet = redact(source_file), redact(source_sheet)
        team = self.team(team_ref)  # type: ignore[attr-defined]
        indicators = {i.code.lower(): i for i in self.indicators(team.id)}
        create = new_indicator is not None and new_indicator.code.lower() not in indicators
        if new_indicator is not None and create:
            new_indicator = new_indicator.replace(team_id=team.id)
            indicators[new_indicator.code.lower()] = new_indicator
        now = self.now()
        notes = [self._prepared_annotation(team, note) for note in annotations]
        # each value's document is built from its checked fields, as a Measurement would
        # lay it out (checked_fields, check_unit, measurement_data), without building one
        prepared: list[dict[str, Any]] = []
        keys: list[str] = []
        many = len(items) > 1
        actor = self.actor
        for position, item in enumerate(items, start=1):
            indicator = indicators.get(item.indicator.strip().lower())
            if indicator is None:
                codes = ", ".join(i.code for i in indicators.values())
                raise NotFoundError(
                    f"team {team.name} has no indicator {item.indicator!r} "
                    f"(indicators: {codes or 'none yet'})",
                    where=_value_where(position, item) if many else None,
                    da=f"team {team.name} har ingen indikator {item.indicator!r} "
                    f"(indikatorer: {codes or 'ingen endnu'})",
                )
            code = indicator.code
            try:
                period, value, numerator, denominator, note = checked_fields(
                    item.period, item.value, item.numerator, item.denominator, item.note
                )
                check_unit(code, indicator.unit, value, numerator, denominator)
            except ValidationError as exc:
                where = _value_where(position, item) if many else None
                raise ValidationError(exc.message, where=where, da=exc.message_da) from None
            prepared.append(
                measurement_data(
                    team.id,
                    code,
                    period,
                    value,
                    numerator,
                    denominator,
                    source,
                    source_file,
                    source_sheet,
                    note,
                    now,
                    actor,
                    [],
                )
            )
            keys.append(measurement_key(team.id, code, period))
        if len(set(keys)) != len(keys):
            seen = Counter(keys)
            dupes = sorted(key.split("|", 1)[1] for key, times in seen.items() if times > 1)
            raise ValidationError(
                f"the same month is given twice: {', '.join(dupes)}",
                da=f"den samme måned er angivet to gange: {', '.join(dupes)}",
            )
        added = changed = unchanged = 0
        stored: list[Measurement | dict[str, Any]] = []
        doc_of = Measurement.doc_of
        with self.transaction() as tx:
            if create and new_indicator is not None:
                key = f"{team.id}|{new_indicator.code}"
                if tx.get("indicators", key) is not None:
                    raise DuplicateError(
                        f"team {team.name} already has an indicator {new_indicator.code}",
                        da=f"team {team.name} har allerede en indikator {new_indicator.code}",
                    )
                tx.put("indicators", key, new_indicator.to_doc())
            get, put = tx.get, tx.put  # once, not per value
            for data, key in zip(prepared, keys, strict=True):
                old_doc = get("measurements", key)
                if expected is not NOT_CHECKED:
                    _check_expected(data, old_doc, expected)
                if old_doc is None:
                    added += 1
                    self.emit("measurement_added", measurement=data, previous=None)
                else:
                    old = Measurement.from_dict(old_doc)
                    if _same_value(old, data):
                        unchanged += 1
                        stored.append(old)
                        continue
                    changed += 1
                    revision = Revision(
                        value=old.value,
                        numerator=old.numerator,
                        denominator=old.denominator,
                        source=old.source_file or old.source,
                        entered_at=old.entered_at,
                        replaced_at=now,
                        note=old.note,
                        entered_by=old.entered_by,
                    )
                    previous = old.to_dict()
                    data["revisions"] = [*previous["revisions"], revision.to_dict()]
                    self.emit("measurement_added", measurement=data, previous=previous)
                put("measurements", key, doc_of(data))
                stored.append(data)
            added_notes = self._put_new_annotations(tx, team.id, notes)
        return WriteResult(added, changed, unchanged, tuple(added_notes)), stored

    def _prepared_annotation(self, team: Any, note: Any) -> Annotation:
        """An annotation record for ``note`` (an object or a dict), checked before any write."""
        fields = (
            dict(note)
            if isinstance(note, dict)
            else {
                name: getattr(note, name)
                for name in ("date", "text", "kind", "indicators", "phase_split")
                if hasattr(note, name)
            }
        )
        codes = [self.indicator(team.id, c).code for c in fields.get("indicators", ())]
        return Annotation(
            id=self.new_id("ann"),
            team_id=team.id,
            date=fields.get("date", ""),
            text=fields.get("text", ""),
            kind=fields.get("kind", "other"),
            indicators=codes,
            phase_split=bool(fields.get("phase_split", False)),
            created_at=self.now(),
        )

    def _put_new_annotations(self, tx: Any, team_id: str, notes: list[Annotation]) -> list[Annotation]:
        """Put ``notes`` the team does not have yet (same date, kind and text) in ``tx``."""
        if not notes:
            return []
        existing = {
            (d.get("date"), d.get("kind", "other"), d.get("text"))
            for d in tx.all("annotations").values()
            if d.get("team_id") == team_id
        }
        added = []
        for note in notes:
            key = (note.date, note.kind.value, note.text)
            if key in existing:
                continue
            existing.add(key)
            tx.put("annotations", note.id, note.to_doc())
            added.append(note)
        return added

    def remove_measurement(self, team_ref: str, code: str, period: str) -> Measurement:
        indicator = self.indicator(team_ref, code)
        key = measurement_key(indicator.team_id, indicator.code, parse_period(period))
        with self.transaction() as tx:
            doc = tx.get("measurements", key)
            if doc is None:
                raise NotFoundError(
                    f"{indicator.code} has no value for {period}",
                    da=f"{indicator.code} har ingen værdi for {period}",
                )
            tx.delete("measurements", key)
        return Measurement.from_dict(doc)

    def team_start(self, team_ref: str) -> str | None:
        """The team's first month with data (any indicator), or None before the first value.

        Months before it are not "missing": a team that starts measuring in 2023 did not
        fail to measure in 2018, even when its indicator set's baseline lies there.
        """
        team = self.team(team_ref)  # type: ignore[attr-defined]

        def build(_snap: Snapshot) -> str | None:
            # read from the stored documents, as measurements() gets them, without building a
            # record per value: the first month of a new workspace's dashboard (or of one
            # indicator's missing months) needs no other indicator's records
            docs_by_indicator = self.derived("measurement_docs_by_indicator", _index_measurement_docs)
            firsts = [
                _first_period(docs)
                for indicator in self.indicators(team.id)
                if (docs := docs_by_indicator.get((team.id, indicator.code)))
            ]
            return min(firsts) if firsts else None

        return self.derived(f"team_start:{team.id}", build)

    def missing_months(self, team_ref: str, code: str, *, until: str | None = None) -> list[str]:
        """Months without a value from the indicator's first month (or baseline) to ``until``,
        never before the team's first month with data (:meth:`team_start`).

        ``until`` defaults to the last month with data, so a series that stopped early shows
        its gap only when asked up to a later month (e.g. the last complete month).
        """
        indicator = self.indicator(team_ref, code)

        def build(_snap: Snapshot) -> tuple[str, ...]:
            periods = [m.period for m in self.measurements(indicator.team_id, indicator.code)]
            team_start = self.team_start(indicator.team_id)
            if team_start is None:
                return ()
            start = indicator.baseline_start or (periods[0] if periods else team_start)
            if periods:
                start = min(start, periods[0])
            start = max(start, team_start)
            end = until or (periods[-1] if periods else start)
            have = set(periods)
            return tuple([p for p in _months(start, end) if p not in have])

        # remembered until the workspace changes: a dashboard shown again asks again
        return list(self.derived(f"missing_months:{indicator.team_id}|{indicator.code}|{until}", build))

    # -- annotations ------------------------------------------------------------------------------
    def annotations(self, team_ref: str, indicator: str | None = None) -> list[Annotation]:
        team = self.team(team_ref)  # type: ignore[attr-defined]

        def build(snap: Snapshot) -> tuple[Annotation, ...]:
            # built once per team until the workspace changes (a dashboard asks for each of
            # its 30 indicators; the table holds every team's annotations)
            notes = [
                Annotation.from_dict(d) for d in snap.table("annotations").values() if d["team_id"] == team.id
            ]
            return tuple(sorted(notes, key=lambda n: (n.date, n.text)))

        notes = self.derived(f"annotations:{team.id}", build)
        if indicator:
            return [n for n in notes if n.applies_to(indicator)]
        return list(notes)

    def add_annotation(
        self,
        team_ref: str,
        date: str,
        text: str,
        *,
        kind: str = "other",
        indicators: Iterable[str] = (),
        phase_split: bool = False,
    ) -> Annotation:
        team = self.team(team_ref)  # type: ignore[attr-defined]
        codes = [self.indicator(team.id, c).code for c in indicators]
        note = Annotation(
            id=self.new_id("ann"),
            team_id=team.id,
            date=date,
            text=text,
            kind=kind,  # type: ignore[arg-type]
            indicators=codes,
            phase_split=phase_split,
            created_at=self.now(),
        )
        with self.transaction() as tx:
            tx.put("annotations", note.id, note.to_doc())
        return note

    def remove_annotation(self, annotation_id: str) -> Annotation:
        with self.transaction() as tx:
            doc = tx.get("annotations", annotation_id)
            if doc is None:
                raise NotFoundError(
                    f"no annotation {annotation_id}", da=f"der er ingen annotering {annotation_id}"
                )
            tx.delete("annotations", annotation_id)
        return Annotation.from_dict(doc)


def _value_where(position: int, item: MeasurementInput) -> str:
    """Where a value of a batch is, for its error: built only when there is one."""
    return f"value {position} ({item.indicator} {item.period})"


def _same_value(old: Measurement, new: dict[str, Any]) -> bool:
    """``old`` holds the value of ``new`` (a measurement's data): :meth:`Measurement.same_value`."""
    return (old.value, old.numerator, old.denominator) == (new["value"], new["numerator"], new["denominator"])


def _check_expected(new: dict[str, Any], old_doc: dict[str, Any] | None, expected: float | None) -> None:
    """Refuse to overwrite a value someone else stored after the user saw ``expected``.

    ``new`` is the data of the value to store. ``expected`` None means the user saw (or
    assumed) an empty month: a value stored there meanwhile is named with who entered it
    and when, and kept.
    """
    old = Measurement.from_dict(old_doc) if old_doc is not None else None
    stored = old.value if old is not None else None
    if stored == expected or (old is not None and _same_value(old, new)):
        return
    assert old is not None or expected is not None
    what, value = f"{new['indicator']} {new['period']}", new["value"]

    by = f" (entered by {old.entered_by or 'unknown'} at {old.entered_at or '?'})" if old is not None else ""
    by_da = f" (indtastet af {old.entered_by or 'ukendt'} {old.entered_at or '?'})" if old is not None else ""
    if expected is None:
        raise ConflictError(
            f"{what} already has a value: {shown_value(stored)}{by}; "
            f"your value {shown_value(value)} was not saved",
            da=f"{what} har allerede en værdi: {shown_value(stored, 'ingen værdi')}"
            f"{by_da}; din værdi {shown_value(value, 'ingen værdi')} blev ikke gemt",
        )
    raise ConflictError(
        f"{what} was changed by someone else meanwhile: you saw "
        f"{shown_value(expected)}, it is now {shown_value(stored)}{by}; your value "
        f"{shown_value(value)} was not saved",
        da=f"{what} er blevet ændret af en anden imens: du så "
        f"{shown_value(expected, 'ingen værdi')}, nu er den {shown_value(stored, 'ingen værdi')}{by_da}; "
        f"din værdi {shown_value(value, 'ingen værdi')} blev ikke gemt",
    )


def shown_value(value: float | None, none: str = "no value") -> str:
    """A stored value as a conflict message names it (exact: 11, 2.5, 0.333333)."""
    if value is None:
        return none
    return str(int(value)) if float(value).is_integer() else f"{value:.6g}"


def last_complete_month(as_of: str | None = None) -> str:
    """The month before ``as_of`` (default today): the latest a monthly series can be complete for."""
    day = as_of or today_iso()
    return period_from_index(period_index(day[:7]) - 1)


@functools.lru_cache(maxsize=256)
def _months(start: str, end: str) -> tuple[str, ...]:
    """Every month from ``start`` to ``end`` (:func:`month_range`), remembered: a team's
    indicators nearly always ask for the same months (a dashboard: 30 times ten years)."""
    return tuple(month_range(start, end))


def _first_period(docs: Iterable[dict[str, Any]]) -> str:
    """The first month of a series' stored documents, read as :class:`Measurement` reads it
    (a document without a month is refused as a :class:`ValidationError`, not a KeyError)."""
    missing: Any = None
    return min(parse_period(doc.get("period", missing)) for doc in docs)


def _index_indicator_docs(snap: Snapshot) -> dict[str, list[dict[str, Any]]]:
    """Raw documents by team; records are built per team when it is looked at (a national
    workspace has 1,500 indicators, the dashboard shows one team's 30)."""
    by_team: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for doc in snap.table("indicators").values():
        by_team[str(doc.get("team_id", ""))].append(doc)
    return dict(by_team)


def _index_measurement_docs(snap: Snapshot) -> Mapping[tuple[str, str], list[dict[str, Any]]]:
    """Raw documents by (team, indicator); records are built only for what is looked at.

    A workspace file's measurements are packed per series: their view hands out one
    series' documents without unpacking the others.
    """
    table = snap.table("measurements")
    series_docs = getattr(table, "series_docs", None)
    if series_docs is not None:
        return series_docs()
    index: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for doc in table.values():
        index[(doc["team_id"], doc["indicator"])].append(doc)
    return dict(index)


__all__ = [
    "IndicatorService",
    "MeasurementInput",
    "WriteResult",
    "indicator_sort_key",
    "last_complete_month",
    "Unit",
]
