"""`manage.py kds_bench` against a real server process: baselines, a rate step and a summary."""

from __future__ import annotations

import re
import secrets
import subprocess
import sys
from pathlib import Path

import psycopg

from tests.production.servers import ROOT, Daphne, server_env

REDIS_DB = 12


def test_it_measures_a_running_server_and_cleans_up(
    database_url: str, redis_url: str, tmp_path: Path
) -> None:
    redis = redis_url.rsplit("/", 1)[0] + f"/{REDIS_DB}"
    env = server_env(database_url, redis, SECRET_KEY=secrets.token_urlsafe(40))
    server = Daphne(env, tmp_path / "daphne.log")
    server.start()
    try:
        result = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "kds_bench",
                "--url",
                server.url,
                "--screens",
                "2",
                "--rates",
                "5",
                "--step-seconds",
                "1",
                "--healthz-seconds",
                "0.5",
                "--healthz-concurrency",
                "2",
                "--layer-round-trips",
                "20",
                "--label",
                "test run",
                "--no-progress",
                "--server-pid",
                str(server.process.pid if server.process else 0),
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        server.stop()
    with psycopg.connect(database_url) as conn:
        left = conn.execute(
            "SELECT count(*) FROM orders_restaurant WHERE slug = 'kds-bench'"
        ).fetchone()

    out = result.stdout
    assert result.returncode == 0, result.stderr + out
    assert "KDS benchmark — test run" in out
    assert re.search(r"cpu\s+\d+ × ", out)
    assert re.search(r"database\s+PostgreSQL \d+", out)
    assert re.search(r"channel layer\s+RedisChannelLayer, Redis \d+", out)
    assert "screens        2 connected to station 'bench'" in out
    number = r"\d+(\.\d+)?"
    assert re.search(rf"GET /healthz, 2 concurrent \|\s+{number}/s \|\s+{number} \|", out), out
    assert re.search(rf"channel layer round trip \(RedisChannelLayer\) \|\s+{number}/s", out), out
    row = re.search(
        rf"\|\s+5/s \|\s+{number}/s \|\s+0 \|" + rf"\s+{number} \|" * 7 + r"\s+(ok|FAIL) \|", out
    )
    assert row, out
    assert "every screen got every ticket: 5/5 orders reached all 2 screens" in out
    assert left == (0,)
