"""Shared fixtures for the SPC tests: the qicharts2 reference vectors."""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path


def shared_dir() -> Path:
    env = os.environ.get("PDSA_SHARED")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2].parent / "shared"


@lru_cache(maxsize=1)
def reference() -> dict:
    path = shared_dir() / "spc" / "qicharts2_reference.json"
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)
