"""``tests/core/test_meetings.py`` again, on a TinyDB file and on a PostgreSQL database."""

from __future__ import annotations

import pytest
from storage_backends import take_core_tests

TAKEN = take_core_tests("test_meetings.py", globals())


@pytest.fixture()
def workspace_path(store_location: str) -> str:
    return store_location


def test_the_core_tests_were_taken() -> None:
    assert len([name for name in TAKEN if name.startswith("test_")]) >= 5
