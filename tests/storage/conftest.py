"""Fixtures for storage tests on both backends.

``store_location`` is parametrized: a TinyDB file path, and a fresh, empty PostgreSQL
database on the test server named by ``PDSA_TEST_POSTGRES_URL`` (``source .ci/postgres.sh``
starts one on loopback). Without that variable the PostgreSQL cases are skipped with the
reason; every other test here runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from storage_backends import PostgresServer, postgres_admin_url


@pytest.fixture()
def postgres() -> Iterator[PostgresServer]:
    server = PostgresServer(postgres_admin_url())
    try:
        yield server
    finally:
        server.cleanup()


@pytest.fixture(params=["tinydb", "postgres"])
def store_location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where a new workspace can be created: a file path or a fresh PostgreSQL database."""
    if request.param == "tinydb":
        yield str(tmp_path / "workspace.json")
        return
    server = PostgresServer(postgres_admin_url())
    try:
        yield server.new_database_url()
    finally:
        server.cleanup()


@pytest.fixture()
def backend(store_location: str) -> str:
    return "postgres" if store_location.startswith("postgresql://") else "tinydb"
