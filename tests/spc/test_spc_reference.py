"""Every case of the qicharts2 reference vectors, point by point and phase by phase."""

from __future__ import annotations

import math

import pytest

from pdsa_core.spc import analyze

from .conftest import reference

CASES = reference()["cases"]
FLOAT_FIELDS = ("y", "cl", "lcl", "ucl", "lcl_95", "ucl_95")
EXACT_FIELDS = ("sigma_signal", "runs_signal", "part", "baseline", "include")
PHASE_EXACT = (
    "part", "first_xx", "last_xx", "n_obs", "n_useful", "longest_run", "longest_run_max",
    "n_crossings", "n_crossings_min", "runs_signal", "sigma_signal_count",
)
PHASE_FLOAT = ("mean_cl", "mean_lcl", "mean_ucl")


def run_case(case: dict):
    args = case["args"]
    inp = case["input"]
    return analyze(
        inp["y"],
        x=inp.get("x"),
        n=inp.get("n"),
        chart=case["chart"],
        freeze=args.get("freeze"),
        part=args.get("part"),
        exclude=args.get("exclude"),
        cl=args.get("cl"),
        multiply=args.get("multiply") or 1,
        screened_mr=args.get("qic_screenedmr", True),
    )


def close(actual, expected) -> bool:
    if expected is None:
        return actual is None
    if actual is None:
        return False
    return math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-12)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_reference_case(case: dict) -> None:
    result = run_case(case)
    pts = case["points"]
    assert len(result) == case["n_points"]
    assert list(result.x) == pts["x"]
    for name in FLOAT_FIELDS:
        got = getattr(result, name)
        for i, (a, e) in enumerate(zip(got, pts[name], strict=True)):
            assert close(a, e), f"{name}[{i}] (xx={i + 1}): {a!r} != {e!r}"
    if "n" in pts:
        for i, (a, e) in enumerate(zip(result.n, pts["n"], strict=True)):
            assert close(a, e), f"n[{i}]: {a!r} != {e!r}"
    for name in EXACT_FIELDS:
        assert list(getattr(result, name)) == pts[name], name
    assert len(result.phases) == len(case["phases"])
    for got, exp in zip(result.phases, case["phases"], strict=True):
        for name in PHASE_EXACT:
            assert getattr(got, name) == exp[name], f"phase {exp['part']} {name}"
        for name in PHASE_FLOAT:
            assert close(getattr(got, name), exp[name]), f"phase {exp['part']} {name}"

