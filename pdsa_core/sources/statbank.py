"""Danmarks Statistik's Statbank API: residents by municipality and age, to turn counts into rates.

The API (https://api.statbank.dk/v1) takes ``POST /v1/data`` with a JSON body naming the
table, the format and the values of each variable. pdsa asks for:

- ``FOLK1AM``: residents on the first day of each month (``Tid`` = ``2022M01``);
- ``FOLK1A``: residents on the first day of each quarter (``Tid`` = ``2022K1``); each of the
  quarter's three months gets the quarter's figure.

Ages are single years (``ALDER`` = ``18`` … ``125``), summed over the band asked for; sex and
marital status are the totals. Answers are cached on disk (``~/.cache/pdsa/statbank``) so
a monthly meeting works offline after one fetch; with no cache and no network the message
says so instead of a stack trace.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from pdsa_core.domain.common import now_iso
from pdsa_core.errors import SourceError, ValidationError
from pdsa_core.storage.atomic import atomic_write_bytes
from pdsa_core.storage.user_folders import user_folder

if TYPE_CHECKING:  # httpx is imported when a request is made: it costs 50 ms at every start
    import httpx

BASE_URL = "https://api.statbank.dk/v1"


class TableSpec(TypedDict):
    """A Statbank table pdsa reads: its period (``month``, ``quarter``) and the variables summed over."""

    period: str
    totals: dict[str, str]


TABLES: dict[str, TableSpec] = {
    "FOLK1AM": {"period": "month", "totals": {"KØN": "TOT"}},
    "FOLK1A": {"period": "quarter", "totals": {"KØN": "TOT", "CIVILSTAND": "TOT"}},
}
MAX_AGE = 125
CACHE_DAYS = 7.0

_MONTH = re.compile(r"^(\d{4})M(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})K([1-4])$")


def parse_age_band(text: str) -> tuple[int, int]:
    """ "18-64" -> (18, 64); "65-" -> (65, 125); "17" -> (17, 17)."""
    match = re.fullmatch(r"\s*(\d{1,3})\s*(?:(-)\s*(\d{1,3})?)?\s*", text or "")
    if not match:
        raise ValidationError(f"age band must be written like 18-64, 65- or 17; got {text!r}")
    low = int(match[1])
    high = int(match[3]) if match[3] else (MAX_AGE if match[2] else low)
    if high < low or high > MAX_AGE:
        raise ValidationError(f"age band {text!r} is not between 0 and {MAX_AGE} with the lower age first")
    return low, high


def parse_municipality(code: str) -> str:
    """A municipality code as Danmarks Statistik writes it: 101 (København) … 860 (Hjørring)."""
    text = str(code).strip()
    if not re.fullmatch(r"\d{3}", text):
        raise ValidationError(f"municipality must be a 3-digit code (e.g. 851 for Aalborg); got {code!r}")
    return text


@dataclass(frozen=True)
class PopulationSeries:
    """Residents per month (``YYYY-MM`` -> count) for one municipality and age band."""

    table: str
    municipality: str
    age_low: int
    age_high: int
    values: dict[str, int]
    retrieved_at: str
    from_cache: bool = False
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "municipality": self.municipality,
            "age": f"{self.age_low}-{self.age_high}",
            "retrieved_at": self.retrieved_at,
            "from_cache": self.from_cache,
            "values": dict(sorted(self.values.items())),
            "notes": list(self.notes),
        }


class StatbankClient:
    """A small client for the Statbank data call, with a disk cache and clear errors."""

    def __init__(
        self,
        *,
        base_url: str = BASE_URL,
        cache_dir: Path | None = None,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 20.0,
        max_age_days: float = CACHE_DAYS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.cache_dir = cache_dir or user_folder("cache") / "statbank"
        self.transport = transport
        self.timeout = timeout
        self.max_age = max_age_days * 86400
        self.clock = clock

    # -- the data call -------------------------------------------------------------------------------
    def request_body(self, table: str, municipality: str, age: tuple[int, int]) -> dict[str, Any]:
        spec = TABLES.get(table.upper())
        if spec is None:
            raise ValidationError(f"table {table!r} is not supported (choose {', '.join(TABLES)})")
        variables = [
            {"code": "OMRÅDE", "values": [parse_municipality(municipality)]},
            {"code": "ALDER", "values": [str(a) for a in range(age[0], age[1] + 1)]},
            *({"code": code, "values": [value]} for code, value in spec["totals"].items()),
            {"code": "Tid", "values": ["*"]},
        ]
        return {
            "table": table.upper(),
            "format": "BULK",
            "lang": "da",
            "valuePresentation": "Code",
            "variables": variables,
        }

    def fetch_csv(self, body: dict[str, Any], *, refresh: bool = False) -> tuple[str, str, bool]:
        """The CSV answer for ``body`` (from the cache when fresh); returns (text, retrieved_at, cached)."""
        key = hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:24]
        path = self.cache_dir / f"{body['table']}-{key}.json"
        cached = self._read_cache(path)
        if cached and not refresh and self.clock() - cached["saved"] < self.max_age:
            return cached["text"], cached["retrieved_at"], True
        import httpx

        try:
            with httpx.Client(transport=self.transport, timeout=self.timeout) as client:
                response = client.post(f"{self.base_url}/data", json=body)
        except (httpx.ConnectError, httpx.TimeoutException, httpx.NetworkError) as exc:
            if cached:
                return cached["text"], cached["retrieved_at"], True
            raise SourceError(
                "Danmarks Statistik (api.statbank.dk) could not be reached and nothing is cached for this "
                f"request; check the network connection and try again ({type(exc).__name__})"
            ) from None
        if response.status_code != 200:
            raise SourceError(
                f"Danmarks Statistik answered {response.status_code} for table {body['table']}: "
                f"{_api_message(response)}"
            )
        text = response.content.decode("utf-8-sig")
        retrieved = now_iso()
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        payload = {"saved": self.clock(), "retrieved_at": retrieved, "text": text}
        atomic_write_bytes(path, json.dumps(payload, ensure_ascii=False).encode())
        return text, retrieved, False

    def _read_cache(self, path: Path) -> dict[str, Any] | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or not {"saved", "retrieved_at", "text"} <= set(data):
            return None
        return data

    # -- population ------------------------------------------------------------------------------------
    def population(
        self, table: str, municipality: str, age: str | tuple[int, int], *, refresh: bool = False
    ) -> PopulationSeries:
        band = parse_age_band(age) if isinstance(age, str) else age
        body = self.request_body(table, municipality, band)
        text, retrieved, cached = self.fetch_csv(body, refresh=refresh)
        values = parse_population_csv(text, table=body["table"])
        if not values:
            raise SourceError(
                f"Danmarks Statistik returned no figures for municipality {municipality}, ages "
                f"{band[0]}-{band[1]} in {body['table']}"
            )
        notes = []
        if TABLES[body["table"]]["period"] == "quarter":
            notes.append("quarterly figures (1st day of the quarter) used for each month of the quarter")
        return PopulationSeries(
            body["table"], municipality, band[0], band[1], values, retrieved, cached, notes
        )


def _api_message(response: httpx.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(data, dict):
        return str(data.get("message") or data.get("errorTypeCode") or data)[:200]
    return str(data)[:200]


def parse_population_csv(text: str, *, table: str) -> dict[str, int]:
    """Sum the ``INDHOLD`` column per month from a Statbank BULK/CSV answer (``;``-separated)."""
    reader = csv.reader(io.StringIO(text), delimiter=";")
    try:
        header = [h.strip().upper() for h in next(reader)]
    except StopIteration:
        raise SourceError(f"Danmarks Statistik returned an empty answer for {table}") from None
    if "TID" not in header or "INDHOLD" not in header:
        raise SourceError(f"unexpected answer from Danmarks Statistik for {table}: columns {header}")
    tid, value_col = header.index("TID"), header.index("INDHOLD")
    totals: dict[str, int] = {}
    for line_no, row in enumerate(reader, start=2):
        if not row or len(row) <= max(tid, value_col):
            continue
        raw = row[value_col].strip()
        if raw in ("", "..", "-"):
            continue
        try:
            count = int(raw.replace(".", "").replace(" ", ""))
        except ValueError:
            raise SourceError(f"Danmarks Statistik answer, line {line_no}: {raw!r} is not a number") from None
        for month in _months_of(row[tid].strip(), line_no):
            totals[month] = totals.get(month, 0) + count
    return totals


def _months_of(label: str, line_no: int) -> list[str]:
    if match := _MONTH.match(label):
        return [f"{match[1]}-{match[2]}"]
    if match := _QUARTER.match(label):
        first = (int(match[2]) - 1) * 3 + 1
        return [f"{match[1]}-{m:02d}" for m in range(first, first + 3)]
    raise SourceError(f"Danmarks Statistik answer, line {line_no}: unknown period {label!r}")


def rates_per_10000(
    counts: dict[str, float], population: dict[str, int]
) -> tuple[dict[str, float], list[str]]:
    """Counts per 10,000 residents for each month with both figures; lists months without population."""
    rates: dict[str, float] = {}
    missing: list[str] = []
    for month, count in sorted(counts.items()):
        residents = population.get(month)
        if not residents:
            missing.append(month)
            continue
        rates[month] = count / residents * 10000
    return rates, missing


def statbank_source(client_factory: Callable[[], StatbankClient] = StatbankClient) -> Any:
    """The Statbank population figures as a data source (registered by a default plugin)."""
    from pdsa_core.extension_types import DataSource, Parameter, SourceResult
    from pdsa_core.services.indicators import MeasurementInput

    def fetch(table: str, municipality: str, age: str, indicator: str, refresh: str = "") -> SourceResult:
        series = client_factory().population(
            table, municipality, age, refresh=refresh.lower() in ("1", "yes", "ja")
        )
        return SourceResult(
            measurements=tuple(
                MeasurementInput(indicator, month, value=float(count))
                for month, count in sorted(series.values.items())
            ),
            warnings=tuple(series.notes),
            source=(
                f"Danmarks Statistik {series.table} "
                f"({series.municipality}, {series.age_low}-{series.age_high} år)"
            ),
            retrieved_at=series.retrieved_at,
            url=f"{BASE_URL}/data",
            details=series.to_dict() | {"values": len(series.values)},
        )

    return DataSource(
        id="statbank",
        name_da="Danmarks Statistik: befolkning efter kommune og alder",
        name_en="Statistics Denmark: residents by municipality and age",
        description=(
            "Residents from FOLK1AM (monthly) or FOLK1A (quarterly) via api.statbank.dk, to turn counts "
            "into rates per 10,000 residents. Cached for 7 days."
        ),
        fetch=fetch,
        parameters=(
            Parameter(name="table", description="FOLK1AM (monthly) or FOLK1A (quarterly)", default="FOLK1AM"),
            Parameter(name="municipality", description="3-digit municipality code, e.g. 851", required=True),
            Parameter(name="age", description="age band, e.g. 18-64 or 65-", default="18-"),
            Parameter(name="indicator", description="indicator code to store residents as", default="BEF"),
            Parameter(name="refresh", description="yes: ignore the cache", default=""),
        ),
    )
