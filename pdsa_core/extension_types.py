"""What a plugin builds to add an importer, a data source or a report section.

These are small frozen dataclasses: a plugin fills in the fields and passes one function
that does the work (``read``, ``fetch`` or ``render``). The core calls that function
through :meth:`Importer.run`, :meth:`DataSource.run` and :meth:`ReportSection.run`, which
check the options first, turn an unexpected exception inside the plugin into a clear
error naming the importer and the plugin, and validate what comes back before anything
is written to a workspace. A plugin never writes to a workspace itself; it returns data
and the core stores it (:func:`apply_result`), in one all-or-nothing transaction.

Import everything from ``pdsa_core``, not from this module::

    from pdsa_core import Importer, ImportResult, MeasurementInput, Parameter

Compatibility: like the hooks, the functions a plugin passes here only ever gain keyword
arguments, and pdsa passes a function only the arguments it names. A ``read`` written as
``def read(path, *, team):`` keeps working when pdsa adds an argument.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import inspect
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pdsa_core.domain import AnnotationKind, Indicator, Team
from pdsa_core.domain.common import optional_text, parse_date, parse_enum, parse_period, require_text
from pdsa_core.errors import DataImportError, PdsaError, SourceError, ValidationError
from pdsa_core.plugin_guard import guarded
from pdsa_core.services.indicators import MeasurementInput, WriteResult

if TYPE_CHECKING:
    from pdsa_core.plugin_api import WorkspaceView

__all__ = [
    "AnnotationInput",
    "DataSource",
    "ImportResult",
    "Importer",
    "MeasurementInput",
    "Parameter",
    "ReportContext",
    "ReportSection",
    "SourceResult",
    "apply_result",
    "check_id",
]

_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
_PARAMETER = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
#: a Danish CPR number, with or without the dash (DDMMYY-XXXX); never stored
_CPR = re.compile(r"(?<!\d)(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2])\d{2}-?\d{4}(?!\d)")


def check_id(value: object, *, what: str) -> str:
    """An id used on the command line: lower case letters, digits, '.', '-' and '_'."""
    if not isinstance(value, str) or not _ID.match(value):
        raise ValidationError(
            f"{what} id must be lower case letters, digits, '.', '-' or '_' (at most 80, "
            f"e.g. lkt-tvang-voksen); got {value!r}"
        )
    return value


def refuse_person_identifier(text: str, *, where: str) -> None:
    """Refuse text that holds something shaped like a CPR number (it must never be stored)."""
    if _CPR.search(text):
        raise ValidationError(
            f"{where} contains something that looks like a CPR number; person identifiers are never stored"
        )


def _call(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call ``function`` with the keyword arguments it names (all of them if it takes ``**kwargs``)."""
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):  # a builtin without a signature: pass everything
        return function(*args, **kwargs)
    params = signature.parameters.values()
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
        return function(*args, **kwargs)
    names = {p.name for p in params if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)}
    return function(*args, **{k: v for k, v in kwargs.items() if k in names})


def _run_plugin(owner: str, error: Callable[[str], PdsaError], function: Callable[[], Any]) -> Any:
    """Call a plugin's function contained (:func:`pdsa_core.plugin_guard.guarded`).

    A :class:`PdsaError` it raises is a message for the user and goes on as it is; anything
    else (``SystemExit`` included) is a bug in the plugin and becomes ``error`` naming
    ``owner``, the exception and the plugin's file and line.
    """
    result = None
    with guarded(passing=(PdsaError,)) as outcome:
        result = function()
    if outcome.error is not None:
        raise error(f"{owner} failed: {outcome.error}") from outcome.exception
    return result


def _by(owner: str) -> str:
    return f" (plugin {owner})" if owner else ""


# -- parameters ----------------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class Parameter:
    """An option of an importer or a parameter of a data source, given as text by the user.

    On the command line it is written ``--option name=value``; ``required`` ones must be
    given, the others get ``default``. ``description`` is shown in help and in the TUI.
    """

    name: str
    description: str = ""
    required: bool = False
    default: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not _PARAMETER.match(self.name):
            raise ValidationError(
                f"parameter name must be lower case letters, digits and '_' (e.g. switch_date); "
                f"got {self.name!r}"
            )
        object.__setattr__(self, "description", optional_text(self.description, field="description"))
        if not isinstance(self.default, str):
            raise ValidationError(f"parameter {self.name}: default must be text, got {self.default!r}")


def _parameters(value: Iterable[Any], *, owner: str) -> tuple[Parameter, ...]:
    items = tuple(value)
    for item in items:
        if not isinstance(item, Parameter):
            raise ValidationError(f"{owner}: parameters must be Parameter(...), got {type(item).__name__}")
    names = [p.name for p in items]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ValidationError(f"{owner}: parameter {', '.join(dupes)} is defined twice")
    return items


def _fill(
    parameters: tuple[Parameter, ...], given: Mapping[str, Any] | None, *, owner: str
) -> dict[str, str]:
    """The given values plus defaults; refuses unknown names and missing required ones."""
    given = dict(given or {})
    known = {p.name: p for p in parameters}
    unknown = sorted(set(given) - set(known))
    if unknown:
        choices = ", ".join(known) or "none"
        raise ValidationError(f"{owner} has no option {', '.join(unknown)} (options: {choices})")
    values: dict[str, str] = {}
    for parameter in parameters:
        if parameter.name in given and given[parameter.name] not in (None, ""):
            values[parameter.name] = str(given[parameter.name])
        elif parameter.required:
            raise ValidationError(
                f"{owner} needs the option {parameter.name} ({parameter.description or 'no description'})"
            )
        else:
            values[parameter.name] = parameter.default
    return values


# -- results -----------------------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class AnnotationInput:
    """A dated note an import adds to the team's charts (e.g. the switch to a new IT system).

    ``kind`` is one of the annotation kinds (``it system change``, ``law change``,
    ``data definition change``, ``other`` ...); ``phase_split=True`` starts a new phase on
    the charts of ``indicators`` (all the team's indicators when empty).
    """

    date: str
    text: str
    kind: str = "other"
    indicators: tuple[str, ...] = ()
    phase_split: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "date", parse_date(self.date, field="annotation date"))
        object.__setattr__(self, "text", require_text(self.text, field="annotation text", max_length=500))
        object.__setattr__(self, "kind", parse_enum(AnnotationKind, self.kind, field="annotation kind").value)
        object.__setattr__(self, "indicators", tuple(str(c) for c in self.indicators))
        object.__setattr__(self, "phase_split", bool(self.phase_split))
        refuse_person_identifier(self.text, where="annotation text")


def _measurement(item: Any, position: int) -> MeasurementInput:
    """``item`` checked as the ``position``-th value (whose texts are built only for an error)."""
    if isinstance(item, dict):
        try:
            item = MeasurementInput(**item)
        except TypeError as exc:
            raise ValidationError(f"value {position}: {exc}") from None
    if not isinstance(item, MeasurementInput):
        raise ValidationError(f"value {position} must be a MeasurementInput, got {type(item).__name__}")
    if not isinstance(item.indicator, str) or not item.indicator.strip():
        raise ValidationError(f"value {position} has no indicator code")
    try:
        parse_period(item.period)
    except ValidationError:  # the same check again, to say which value it is
        parse_period(item.period, field=f"value {position} ({item.indicator}) period")
        raise
    if item.value is None and (item.numerator is None or item.denominator is None):
        raise ValidationError(
            f"value {position} ({item.indicator} {item.period}) needs a value "
            "or a numerator and a denominator"
        )
    if item.note:
        refuse_person_identifier(str(item.note), where=f"value {position} note")
    return item


@dataclass(frozen=True, kw_only=True)
class ImportResult:
    """What an importer returns: monthly values for the team's indicators, and notes.

    ``measurements`` are :class:`MeasurementInput` (indicator code, period ``YYYY-MM``,
    ``value``, or ``numerator`` and ``denominator`` for a proportion, optional ``note``).
    ``annotations`` are :class:`AnnotationInput`. ``warnings`` are shown to the user
    before anything is written. ``source`` names where the values come from (stored with
    each value); ``rows_read``/``rows_skipped`` are shown in the preview. ``details`` may hold
    a JSON-ready summary for display (never a person identifier).
    """

    measurements: tuple[MeasurementInput, ...] = ()
    annotations: tuple[AnnotationInput, ...] = ()
    warnings: tuple[str, ...] = ()
    source: str = ""
    source_file: str = ""
    source_sheet: str = ""
    rows_read: int = 0
    rows_skipped: int = 0
    details: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        measurements = tuple(_measurement(m, i) for i, m in enumerate(self.measurements, start=1))
        keys = [(m.indicator.strip().lower(), m.period) for m in measurements]
        if len(set(keys)) != len(keys):
            dupes = sorted(f"{c} {p}" for (c, p), times in Counter(keys).items() if times > 1)
            raise ValidationError(f"the same month is given twice: {', '.join(dupes)}")
        object.__setattr__(self, "measurements", measurements)
        annotations = []
        for note in self.annotations:
            if isinstance(note, dict):
                note = AnnotationInput(**note)
            if not isinstance(note, AnnotationInput):
                raise ValidationError(f"annotations must be AnnotationInput, got {type(note).__name__}")
            annotations.append(note)
        object.__setattr__(self, "annotations", tuple(annotations))
        warnings = tuple(str(w) for w in self.warnings)
        for warning in warnings:
            refuse_person_identifier(warning, where="import warning")
        object.__setattr__(self, "warnings", warnings)
        for name in ("source", "source_file", "source_sheet"):
            object.__setattr__(self, name, optional_text(getattr(self, name), field=name, max_length=500))
            refuse_person_identifier(getattr(self, name), where=f"the importer's {name}")
        for name in ("rows_read", "rows_skipped"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValidationError(f"{name} must be a whole number of rows, got {value!r}")
        if not isinstance(self.details, dict):
            raise ValidationError(f"details must be a dict, got {type(self.details).__name__}")
        refuse_person_identifier(repr(self.details), where="import details")

    @property
    def indicators(self) -> list[str]:
        """The indicator codes the result has values for, in first-seen order."""
        return list(dict.fromkeys(m.indicator for m in self.measurements))

    @property
    def periods(self) -> list[str]:
        return sorted({m.period for m in self.measurements})


@dataclass(frozen=True, kw_only=True)
class SourceResult(ImportResult):
    """What a data source returns: an :class:`ImportResult` plus where and when it was fetched."""

    retrieved_at: str = ""
    url: str = ""


# -- importers and data sources --------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class Importer:
    """A file format or extract layout that becomes monthly values for a team.

    ``read(path, *, team, options)`` reads the file at ``path`` (a :class:`~pathlib.Path`)
    for ``team`` (a :class:`pdsa_core.Team`) with ``options`` (a dict of text, one entry
    per :class:`Parameter` in ``options``, defaults filled in) and returns an
    :class:`ImportResult`. A ``read`` that also names ``indicators`` gets the team's
    indicators (:class:`pdsa_core.Indicator`, with code and unit). It raises
    :class:`pdsa_core.DataImportError` with the row and column for a file it cannot read.
    ``file_patterns`` (``*.csv``) say which files it is offered for. ``plugin`` is filled
    in by pdsa when the importer is registered.
    """

    id: str
    name_da: str
    read: Callable[..., ImportResult]
    name_en: str = ""
    description: str = ""
    file_patterns: tuple[str, ...] = ("*.csv",)
    options: tuple[Parameter, ...] = ()
    plugin: str = ""

    def __post_init__(self) -> None:
        check_id(self.id, what="importer")
        object.__setattr__(self, "name_da", require_text(self.name_da, field=f"importer {self.id} name_da"))
        object.__setattr__(self, "name_en", optional_text(self.name_en, field="name_en"))
        object.__setattr__(self, "description", optional_text(self.description, field="description"))
        if not callable(self.read):
            raise ValidationError(f"importer {self.id}: read must be a function, got {self.read!r}")
        patterns = (self.file_patterns,) if isinstance(self.file_patterns, str) else tuple(self.file_patterns)
        if not patterns or not all(isinstance(p, str) and p for p in patterns):
            raise ValidationError(f"importer {self.id}: file_patterns must be patterns such as '*.csv'")
        object.__setattr__(self, "file_patterns", patterns)
        object.__setattr__(self, "options", _parameters(self.options, owner=f"importer {self.id}"))

    def name(self, lang: str = "da") -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_da

    def matches(self, path: str | Path) -> bool:
        """True when the file name fits one of ``file_patterns`` (case-insensitive)."""
        name = Path(path).name.lower()
        return any(fnmatch.fnmatch(name, pattern.lower()) for pattern in self.file_patterns)

    def run(
        self,
        path: str | Path,
        *,
        team: Team,
        options: Mapping[str, Any] | None = None,
        indicators: Sequence[Indicator] = (),
    ) -> ImportResult:
        """Check the options, call ``read`` and validate its result.

        ``indicators`` are the team's indicators (:class:`pdsa_core.Indicator`: code, unit
        ...), passed to ``read`` when it names that argument.

        A :class:`PdsaError` raised by ``read`` is passed on as it is (it is a message for
        the user); any other exception is a bug in the plugin and becomes a
        :class:`DataImportError` naming the importer, the plugin and the line.
        """
        owner = f"importer {self.id}{_by(self.plugin)}"
        values = _fill(self.options, options, owner=f"importer {self.id}")
        path = Path(path)
        if not path.exists():
            raise DataImportError(f"no file {path}")
        result = _run_plugin(
            owner,
            lambda message: DataImportError(message, where=str(path)),
            lambda: _call(self.read, path, team=team, options=values, indicators=tuple(indicators)),
        )
        from pdsa_core.redaction import redact

        # the file's path, a CPR number in it redacted (an importer's own texts holding one are refused)
        return _check_result(result, ImportResult, owner, DataImportError, source_file=redact(str(path)))


@dataclass(frozen=True, kw_only=True)
class DataSource:
    """Something that fetches monthly values from elsewhere (a municipal system, an API).

    ``fetch(**params)`` receives one keyword argument per :class:`Parameter` in
    ``parameters`` (text, defaults filled in) and returns a :class:`SourceResult`. It
    raises :class:`pdsa_core.SourceError` when the source cannot be reached or answers
    badly. ``plugin`` is filled in by pdsa when the source is registered.
    """

    id: str
    name_da: str
    fetch: Callable[..., SourceResult]
    name_en: str = ""
    description: str = ""
    parameters: tuple[Parameter, ...] = ()
    plugin: str = ""

    def __post_init__(self) -> None:
        check_id(self.id, what="data source")
        object.__setattr__(
            self, "name_da", require_text(self.name_da, field=f"data source {self.id} name_da")
        )
        object.__setattr__(self, "name_en", optional_text(self.name_en, field="name_en"))
        object.__setattr__(self, "description", optional_text(self.description, field="description"))
        if not callable(self.fetch):
            raise ValidationError(f"data source {self.id}: fetch must be a function, got {self.fetch!r}")
        object.__setattr__(self, "parameters", _parameters(self.parameters, owner=f"data source {self.id}"))

    def name(self, lang: str = "da") -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_da

    def run(self, **params: Any) -> SourceResult:
        """Check the parameters, call ``fetch`` and validate its result (see :meth:`Importer.run`)."""
        owner = f"data source {self.id}{_by(self.plugin)}"
        values = _fill(self.parameters, params, owner=f"data source {self.id}")
        result = _run_plugin(owner, SourceError, lambda: self.fetch(**values))
        return _check_result(result, SourceResult, owner, SourceError)


_Result = TypeVar("_Result", bound="ImportResult")


def _check_result(
    result: object, expected: type[_Result], owner: str, error: type[PdsaError], **fill: str
) -> _Result:
    if not isinstance(result, expected):
        raise error(f"{owner} returned {type(result).__name__}, not a {expected.__name__}")
    changes: dict[str, Any] = {k: v for k, v in fill.items() if not getattr(result, k)}  # text fields
    return dataclasses.replace(result, **changes) if changes else result


# -- report sections ---------------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class ReportContext:
    """What a report section is rendered for.

    ``workspace`` is the open workspace, read through :class:`pdsa_core.WorkspaceView` (a
    section never writes), ``team`` the :class:`pdsa_core.Team`, ``period_from`` and
    ``period_to`` the months of the report (``YYYY-MM``), ``lang`` ``da`` or ``en``,
    ``format`` the report's format (``md`` or ``html``) and ``hide_small_counts`` whether
    counts below 5 must be hidden (reports leaving the team).
    """

    workspace: WorkspaceView
    team: Team
    period_from: str = ""
    period_to: str = ""
    lang: str = "da"
    format: str = "md"
    hide_small_counts: bool = True


REPORT_FORMATS = ("md", "html")


@dataclass(frozen=True, kw_only=True)
class ReportSection:
    """A section that reports include after the built-in ones.

    ``render(context)`` gets a :class:`ReportContext` and returns text: Markdown when
    ``format`` is ``md`` (the HTML report converts it), an HTML fragment when ``format`` is
    ``html`` (a Markdown report includes it as an HTML block). ``order`` sorts sections
    (lower first). ``plugin`` is filled in by pdsa when the section is registered.
    """

    id: str
    title_da: str
    render: Callable[..., str]
    title_en: str = ""
    format: str = "md"
    order: int = 100
    plugin: str = ""

    def __post_init__(self) -> None:
        check_id(self.id, what="report section")
        object.__setattr__(self, "title_da", require_text(self.title_da, field=f"section {self.id} title_da"))
        object.__setattr__(self, "title_en", optional_text(self.title_en, field="title_en"))
        if self.format not in REPORT_FORMATS:
            raise ValidationError(f"report section {self.id}: format must be md or html, got {self.format!r}")
        if not callable(self.render):
            raise ValidationError(f"report section {self.id}: render must be a function")
        if not isinstance(self.order, int) or isinstance(self.order, bool):
            raise ValidationError(f"report section {self.id}: order must be a whole number")

    def title(self, lang: str = "da") -> str:
        return self.title_en if lang == "en" and self.title_en else self.title_da

    def run(self, context: ReportContext) -> str:
        """Call ``render``; a failure becomes a :class:`PdsaError` naming the section and plugin."""
        owner = f"report section {self.id}{_by(self.plugin)}"
        text = _run_plugin(owner, PdsaError, lambda: _call(self.render, context))
        if not isinstance(text, str):
            raise PdsaError(f"{owner} returned {type(text).__name__}, not text")
        return text


# -- storing a result ---------------------------------------------------------------------------------
def apply_result(
    workspace: Any, team: str, result: ImportResult, *, source: str = "", source_file: str = ""
) -> tuple[WriteResult, list[Any]]:
    """Store an importer's or data source's result for ``team``.

    The values and the annotations go in through :meth:`Workspace.add_measurements` in one
    all-or-nothing transaction (a changed month keeps its earlier value as a revision; an
    annotation the team already has, with the same date, kind and text, is not added again,
    so importing the same files again adds nothing twice). Returns the write counts and the
    annotations that were added.
    """
    if not isinstance(result, ImportResult):
        raise ValidationError(f"expected an ImportResult, got {type(result).__name__}")
    target = workspace.team(team)
    written = workspace.add_measurements(
        target.id,
        result.measurements,
        source=source or result.source or "import",
        source_file=source_file or result.source_file,
        source_sheet=result.source_sheet,
        annotations=result.annotations,
    )
    return written, list(written.annotations)
