"""`manage.py kds_bench` against a real server process: baselines, a rate step and a summary."""

from __future__ import annotations

import re
import secrets
import socket
import subprocess
import sys
from pathlib import Path

import psycopg

from tests.production.servers import ROOT, Daphne, server_env


def _bench(env: dict[str, str], args: str) -> subprocess.CompletedProcess[str]:
    """kds_bench run as a process with these options."""
    return subprocess.run(
        [sys.executable, "manage.py", "kds_bench", *args.split()],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_measures_a_running_server_and_cleans_up(
    database_url: str, redis_url: str, tmp_path: Path
) -> None:
    redis = redis_url  # this worker's own database (tests/conftest.py)
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
                "--drain-seconds",
                "15",  # a busy CI machine may be slow; every ticket must still arrive
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
    # offered, achieved, errors+late, ack p50/p99, e2e p50/p99/max, CPU/order, its ratio to a
    # /healthz request's, e2e p50 over the layer's round trip, patches/coalesced, verdict.
    row = re.search(
        rf"\|\s+5/s \|\s+{number}/s \|\s+0 \|"
        + rf"\s+{number} \|" * 6
        + rf"\s+{number}× \|" * 2
        + r"\s+(?P<patches>\d+)/(?P<coalesced>\d+) \|\s+(ok|slow|FAIL) \|",
        out,
    )
    assert row, out
    assert int(row["patches"]) >= 5, out  # screen 0 heard every order (and the bench's bumps)
    assert "patches/coalesced: what screen 0 received" in out
    assert "every screen got every ticket: 5/5 orders reached all 2 screens" in out
    assert left == (0,)


def test_it_starts_and_measures_two_processes(
    database_url: str, redis_url: str, tmp_path: Path
) -> None:
    redis = redis_url  # this worker's own database (tests/conftest.py)
    env = server_env(database_url, redis, SECRET_KEY=secrets.token_urlsafe(40))
    args = "--processes 2 --screens 4 --rates 5 --step-seconds 1 --drain-seconds 15"
    args += " --healthz-seconds 0.5 --healthz-concurrency 2 --layer-round-trips 20 --no-progress"
    result = _bench(env, args)
    out = result.stdout
    assert result.returncode == 0, result.stderr + out
    assert re.search(r"processes\s+2 Daphne, started by the bench", out), out
    servers = re.search(r"server\s+(http://127\.0\.0\.1:\d+), (http://127\.0\.0\.1:\d+)", out)
    assert servers and servers[1] != servers[2], out
    # Screens on either process got every order, whichever process took it.
    assert "every screen got every ticket: 5/5 orders reached all 4 screens" in out
    assert re.search(r"\|\s+5/s \|.*\d+\.\d+× \|", out), out  # CPU of both processes
    # The bench stops the processes it started.
    for url in servers.groups():
        port = int(url.rsplit(":", 1)[1])
        with socket.socket() as s:
            assert s.connect_ex(("127.0.0.1", port)) != 0


def test_it_measures_a_chain_of_restaurants(
    database_url: str, redis_url: str, tmp_path: Path
) -> None:
    """--restaurants 3: three bench restaurants, the screens dealt to them, each order to
    the next restaurant, delivered when every screen of its own station has it."""
    env = server_env(database_url, redis_url, SECRET_KEY=secrets.token_urlsafe(40))
    args = "--processes 1 --restaurants 3 --screens 5 --rates 6 --step-seconds 1"
    args += " --drain-seconds 15 --healthz-seconds 0.5 --layer-round-trips 5 --no-progress"
    result = _bench(env, args)
    with psycopg.connect(database_url) as conn:
        left = conn.execute(
            "SELECT count(*) FROM orders_restaurant WHERE slug LIKE 'kds-bench%'"
        ).fetchone()

    out = result.stdout
    assert result.returncode == 0, result.stderr + out
    assert "restaurants    3 on this installation" in out
    assert "5 connected to station 'bench, in each of 3 restaurants'" in out
    assert (
        "every screen got every ticket: 6/6 orders reached all the screens of their "
        "restaurant's station (5 screens in 3 restaurants)"
    ) in out, out
    # Two orders each: all six sent to one restaurant would read 0–6.
    assert "orders per restaurant, each on all its screens: 2–2 (over 3 restaurants)" in out
    assert left == (0,)
