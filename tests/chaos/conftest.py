"""The chaos suite needs PostgreSQL, redis-server and, for the chaos run, the PostgreSQL pass.

The run and the outage tests start their own Redis (so restarting it never disturbs the
system Redis other tests use) and their own PostgreSQL database.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.chaos.cluster import PrivateRedis, Server, cluster_env, setup_kitchen
from tests.chaos.ledger import Taps
from tests.chaos.screens import Screen
from tests.conftest import POSTGRES_ADDR, _reachable, skip_or_fail
from tests.production.servers import fresh_database, manage, pair_screen


def require_services() -> None:
    if not _reachable(POSTGRES_ADDR):
        skip_or_fail("PostgreSQL is not running on 127.0.0.1:5432")
    if shutil.which("redis-server") is None:
        skip_or_fail("redis-server is not installed (apt-get install redis-server)")


def require_postgres_pass() -> None:
    # Not skip_or_fail: in the SQLite pass this is where the run belongs, not a missing service.
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("runs in the PostgreSQL pass (DATABASE_URL=postgres://...)")


@dataclass
class Kitchen:
    """A database of its own, migrated, with the chaos kitchen (tests/chaos/cluster.py)."""

    database_url: str
    redis: PrivateRedis
    data: dict[str, Any]
    tmp: Path

    def env(self, **extra: str) -> dict[str, str]:
        return cluster_env(self.database_url, self.redis.url, **extra)


@pytest.fixture
def chaos_kitchen(tmp_path: Path) -> Iterator[Kitchen]:
    require_postgres_pass()  # once per CI run is enough: they make their own database
    require_services()
    redis = PrivateRedis(tmp_path / "redis.log")
    redis.start()
    try:
        with fresh_database("kds_chaos") as database_url:
            env = cluster_env(database_url, redis.url)
            manage(env, "migrate", "--noinput")
            yield Kitchen(database_url, redis, setup_kitchen(env, 2), tmp_path)
    finally:
        redis.kill()


def paired_screen(
    http: httpx.Client, url: str, spec: dict[str, Any], ports: list[int], taps: Taps | None = None
) -> Screen:
    """A screen paired by its link at `url`, with the CSRF token its HTTP taps need."""
    http.cookies.clear()
    cookie = pair_screen(http, f"{url}/pair/#{spec['token']}")
    page = http.get(f"{url}/screen/", cookies={"kds_screen": cookie})
    csrf = page.cookies.get("csrftoken") or http.cookies.get("csrftoken") or ""
    assert page.status_code == 200 and csrf, page.status_code
    return Screen(
        name=spec["name"],
        station=spec["station"],
        cookie=cookie,
        csrf=csrf,
        ports=ports,
        taps=taps,
    )


def pair(server: Server, kitchen: Kitchen, index: int = 0, taps: Taps | None = None) -> Screen:
    with httpx.Client(trust_env=False, timeout=10) as http:
        spec = kitchen.data["screens"][index]
        return paired_screen(http, server.url, spec, [server.port], taps)
