"""The Statbank source against recorded answers (httpx.MockTransport): never the network."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from pdsa_core.errors import SourceError, ValidationError
from pdsa_core.sources.rates import store_rate_indicator
from pdsa_core.sources.statbank import StatbankClient, parse_age_band, parse_population_csv, statbank_source

#: a recorded FOLK1AM answer (BULK, valuePresentation=Code): Aalborg, ages 18-19, Jan-Mar 2022
FOLK1AM_ANSWER = (
    "\ufeffOMRÅDE;KØN;ALDER;TID;INDHOLD\n"
    "851;TOT;18;2022M01;2461\n851;TOT;19;2022M01;2903\n"
    "851;TOT;18;2022M02;2458\n851;TOT;19;2022M02;2897\n"
    "851;TOT;18;2022M03;2450\n851;TOT;19;2022M03;2889\n"
)
FOLK1A_ANSWER = (
    "OMRÅDE;KØN;ALDER;CIVILSTAND;TID;INDHOLD\n851;TOT;18;TOT;2022K1;2461\n851;TOT;19;TOT;2022K1;2903\n"
)


class Recorder:
    """A fake api.statbank.dk that answers from recordings and remembers what it was asked."""

    def __init__(self, answer: str, status: int = 200) -> None:
        self.answer, self.status, self.requests = answer, status, []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(json.loads(request.content))
        if self.status != 200:
            return httpx.Response(
                self.status, json={"errorTypeCode": "TABLE-NOTFOUND", "message": "no table"}
            )
        return httpx.Response(200, content=self.answer.encode("utf-8"))


def client(tmp_path: Path, handler, now: float = 1_000_000.0) -> StatbankClient:
    return StatbankClient(
        cache_dir=tmp_path / "cache", transport=httpx.MockTransport(handler), clock=lambda: now
    )


def test_monthly_population_sums_the_age_band(tmp_path: Path) -> None:
    recorder = Recorder(FOLK1AM_ANSWER)
    series = client(tmp_path, recorder).population("FOLK1AM", "851", "18-19")
    assert series.values == {"2022-01": 5364, "2022-02": 5355, "2022-03": 5339}
    body = recorder.requests[0]
    assert body["table"] == "FOLK1AM" and body["format"] == "BULK"
    variables = {v["code"]: v["values"] for v in body["variables"]}
    assert variables["OMRÅDE"] == ["851"] and variables["ALDER"] == ["18", "19"]
    assert variables["KØN"] == ["TOT"] and variables["Tid"] == ["*"]


def test_quarterly_figures_cover_the_quarters_months(tmp_path: Path) -> None:
    series = client(tmp_path, Recorder(FOLK1A_ANSWER)).population("FOLK1A", "851", (18, 19))
    assert series.values == {"2022-01": 5364, "2022-02": 5364, "2022-03": 5364}
    assert "quarterly" in series.notes[0]


def test_answers_are_cached_and_used_offline(tmp_path: Path) -> None:
    recorder = Recorder(FOLK1AM_ANSWER)
    client(tmp_path, recorder).population("FOLK1AM", "851", "18-19")
    again = client(tmp_path, recorder, now=1_000_100.0).population("FOLK1AM", "851", "18-19")
    assert again.from_cache and len(recorder.requests) == 1

    def offline(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no route to host", request=request)

    stale = client(tmp_path, offline, now=9_000_000.0).population("FOLK1AM", "851", "18-19")
    assert stale.from_cache and stale.values["2022-01"] == 5364


def test_offline_without_cache_says_so(tmp_path: Path) -> None:
    def offline(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no route to host", request=request)

    with pytest.raises(SourceError, match="could not be reached and nothing is cached"):
        client(tmp_path, offline).population("FOLK1AM", "851", "18-64")


def test_api_error_is_reported_with_its_message(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="answered 400 .*no table"):
        client(tmp_path, Recorder("", status=400)).population("FOLK1AM", "851", "18-64")


@pytest.mark.parametrize(("text", "band"), [("18-64", (18, 64)), ("65-", (65, 125)), ("17", (17, 17))])
def test_age_bands(text: str, band: tuple[int, int]) -> None:
    assert parse_age_band(text) == band


@pytest.mark.parametrize("text", ["64-18", "abc", "18-200", ""])
def test_bad_age_bands(text: str) -> None:
    with pytest.raises(ValidationError, match="age band"):
        parse_age_band(text)


def test_malformed_answer_names_the_line() -> None:
    with pytest.raises(SourceError, match="line 2: 'mange' is not a number"):
        parse_population_csv("TID;INDHOLD\n2022M01;mange\n", table="FOLK1AM")
    with pytest.raises(SourceError, match="unexpected answer"):
        parse_population_csv("<html>maintenance</html>\n", table="FOLK1AM")


def test_source_and_rate_indicator(tmp_path: Path, workspace) -> None:
    source = statbank_source(lambda: client(tmp_path, Recorder(FOLK1AM_ANSWER)))
    result = source.run(municipality="851", age="18-19")
    assert [m.value for m in result.measurements] == [5364, 5355, 5339]
    assert result.source.startswith("Danmarks Statistik FOLK1AM")

    team = workspace.add_team("Aalborg BU")
    workspace.add_indicator(
        team.id, "R1", "Personer tvangsindlagt", baseline_start="2018-01", baseline_end="2020-12"
    )
    for month, count in (("2022-01", 3), ("2022-02", 0), ("2022-04", 2)):
        workspace.add_measurement(team.id, "R1", month, value=count)
    series = client(tmp_path, Recorder(FOLK1AM_ANSWER)).population("FOLK1AM", "851", "18-19")
    written, missing = store_rate_indicator(workspace, team.id, "R1", series)
    assert written.added == 2 and missing == ["2022-04"]
    rates = {m.period: m.value for m in workspace.measurements(team.id, "R1-rate")}
    assert rates == {"2022-01": pytest.approx(3 / 5364 * 10000), "2022-02": 0.0}
    rate_indicator = workspace.indicator(team.id, "R1-rate")
    assert rate_indicator.unit.value == "rate" and rate_indicator.baseline_start == "2018-01"
