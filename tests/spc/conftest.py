"""Shared fixtures for the SPC tests: the qicharts2 reference vectors.

The vectors live in the repository (``tests/spc/data/qicharts2_reference.json``), so the
tests pass on a fresh clone with nothing beside it. ``PDSA_SHARED=DIR`` reads
``DIR/spc/qicharts2_reference.json`` instead (for example a larger set of cases).
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def reference_path() -> Path:
    env = os.environ.get("PDSA_SHARED")
    if env:
        return Path(env) / "spc" / "qicharts2_reference.json"
    return DATA / "qicharts2_reference.json"


@lru_cache(maxsize=1)
def reference() -> dict:
    with reference_path().open(encoding="utf-8") as fh:
        return json.load(fh)
