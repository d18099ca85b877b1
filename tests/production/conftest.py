"""Production tests run real server processes on a PostgreSQL database of their own.

The schema is migrated once per session into a template database; each test gets a
copy of it (CREATE DATABASE … TEMPLATE), which takes a fraction of a second.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.production.servers import fresh_database, manage, server_env


@pytest.fixture(scope="session")
def migrated_template(postgres_available: bool) -> Iterator[str]:
    with fresh_database("kds_it_template") as url:
        manage(server_env(url, ""), "migrate", "--noinput")
        yield url.rsplit("/", 1)[1]


@pytest.fixture
def database_url(migrated_template: str) -> Iterator[str]:
    """A migrated database for this test's server processes."""
    with fresh_database("kds_it", template=migrated_template) as url:
        yield url
