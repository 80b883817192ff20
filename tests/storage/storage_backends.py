"""Helpers for the storage tests (imported by the test modules of this folder)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import pytest

POSTGRES_ENV = "PDSA_TEST_POSTGRES_URL"


def postgres_admin_url() -> str:
    """The test server's superuser address, or skip (the one allowed reason: no server here)."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"no PostgreSQL test server: {POSTGRES_ENV} is not set (source .ci/postgres.sh)")
    pytest.importorskip("psycopg", reason="psycopg is not installed (pip install 'psycopg[binary]')")
    return url


def with_database(url: str, name: str, *, user: str | None = None, password: str | None = None) -> str:
    """``url`` pointing at database ``name`` (and, optionally, another login)."""
    import psycopg

    info = psycopg.conninfo.conninfo_to_dict(url)
    host, port = info.get("host", "127.0.0.1"), info.get("port", "5432")
    login = user or info.get("user", "")
    secret = password if user else info.get("password")
    credentials = f"{login}:{secret}" if secret else login
    return f"postgresql://{credentials}@{host}:{port}/{name}"


class PostgresServer:
    """Fresh databases and logins on the test server; everything is dropped afterwards."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self.databases: list[str] = []
        self.roles: list[str] = []

    def _admin(self):  # noqa: ANN202 - psycopg is imported lazily
        import psycopg

        return psycopg.connect(self.admin_url, autocommit=True)

    def new_database_url(self, *, create: bool = False) -> str:
        """The address of a database no test used; with ``create`` it exists (empty)."""
        name = f"pdsa_test_{secrets.token_hex(5)}"
        self.databases.append(name)
        if create:
            with self._admin() as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
        return with_database(self.admin_url, name)

    def new_login(self, prefix: str) -> tuple[str, str]:
        """A fresh login name and password (created by the test through pdsa)."""
        name = f"{prefix}_{secrets.token_hex(3)}"
        self.roles.append(name)
        return name, secrets.token_hex(12)

    def cleanup(self) -> None:
        with self._admin() as conn:
            for name in self.databases:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            for role in self.roles:
                conn.execute(f'DROP ROLE IF EXISTS "{role}"')


CORE_TESTS = Path(__file__).resolve().parents[1] / "core"


def take_core_tests(filename: str, namespace: dict[str, object]) -> list[str]:
    """Put the tests and fixtures of ``tests/core/<filename>`` into ``namespace``.

    The taking module overrides ``workspace_path`` with ``store_location``, so the same tests
    run on a file and on PostgreSQL, and follow every change made to them in ``tests/core``.
    """
    import importlib.util

    path = CORE_TESTS / filename
    spec = importlib.util.spec_from_file_location(f"_both_backends_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    taken = []
    for key, value in vars(module).items():
        is_fixture = hasattr(value, "_pytestfixturefunction") or hasattr(value, "_fixture_function_marker")
        if key.startswith("test_") or is_fixture:
            namespace[key] = value
            taken.append(key)
    return taken
