"""Redis socket reads outlast channels-redis' blocking receive, so an idle screen's
consumer is not torn down by a read timeout (redis-py ≥ 6 defaults both to 5 s)."""

from __future__ import annotations

import json

from tests.settings_probe import run_python

PROBE = (
    "import django, json; django.setup(); "
    "from channels.layers import get_channel_layer; layer = get_channel_layer(); "
    "pool = layer.create_pool(0); "
    "print(json.dumps([pool.connection_kwargs.get('socket_timeout'), layer.brpop_timeout]))"
)


def timeouts(**env: str) -> list[float]:
    result = run_python("-c", PROBE, unset=("REDIS_", "KDS_REDIS"), **env)
    assert result.returncode == 0, result.stderr
    return list(json.loads(result.stdout.strip().splitlines()[-1]))


def test_it_reads_longer_than_the_blocking_receive_waits() -> None:
    socket_timeout, blocking_wait = timeouts(REDIS_URL="redis://127.0.0.1:6379/0")
    assert socket_timeout > blocking_wait


def test_it_does_so_through_sentinel_too() -> None:
    socket_timeout, blocking_wait = timeouts(KDS_REDIS_SENTINELS="127.0.0.1:26379")
    assert socket_timeout > blocking_wait


def test_it_refuses_a_timeout_shorter_than_the_wait() -> None:
    result = run_python(
        "-c",
        "import django; django.setup()",
        unset=("REDIS_", "KDS_REDIS"),
        REDIS_URL="redis://127.0.0.1:6379/0",
        KDS_REDIS_SOCKET_TIMEOUT="5",
    )
    assert result.returncode != 0
    assert "KDS_REDIS_SOCKET_TIMEOUT" in result.stderr.strip().splitlines()[-1]
