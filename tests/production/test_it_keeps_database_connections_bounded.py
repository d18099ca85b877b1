"""A server process holds at most KDS_DB_POOL_SIZE PostgreSQL connections however many
requests it serves (under ASGI each request runs in a new thread; persistent
connections were left open by each one until PostgreSQL refused new clients)."""

from __future__ import annotations

import secrets
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psycopg

from tests.production.servers import PG, Daphne, server_env


def connections_to(database: str) -> int:
    with psycopg.connect(f"{PG}/postgres") as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (database,)
        ).fetchone()
    return int(row[0]) if row else 0


def test_it_reuses_a_bounded_number_of_connections(
    database_url: str, redis_url: str, tmp_path: Path
) -> None:
    env = server_env(
        database_url, redis_url, SECRET_KEY=secrets.token_urlsafe(40), KDS_DB_POOL_SIZE="3"
    )
    server = Daphne(env, tmp_path / "daphne.log")
    server.start()
    try:
        # Concurrent requests: each one runs in a thread of its own at the same time.
        with (
            httpx.Client(trust_env=False, timeout=30) as client,
            ThreadPoolExecutor(max_workers=12) as pool,
        ):
            answers = list(
                pool.map(lambda _: client.get(f"{server.url}/healthz").status_code, range(96))
            )
        held = connections_to(database_url.rsplit("/", 1)[1])
    finally:
        server.stop()

    assert answers == [200] * 96
    assert 1 <= held <= 3
