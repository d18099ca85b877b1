"""The Redis channel layer: Sentinel (KDS_REDIS_SENTINELS) and pub/sub (KDS_CHANNEL_LAYER)."""

from __future__ import annotations

import json
import subprocess

from tests.settings_probe import run_python

PROBE = (
    "import django, json; from django.conf import settings; django.setup(); "
    "print(json.dumps(settings.CHANNEL_LAYERS['default']))"
)


def layer(**env: str) -> subprocess.CompletedProcess[str]:
    return run_python("-c", PROBE, unset=("REDIS_", "KDS_REDIS"), **env)


def test_it_passes_the_sentinels_to_channels_redis() -> None:
    result = layer(
        KDS_REDIS_SENTINELS="10.0.0.1:26379, sentinel-b:26380",
        KDS_REDIS_SENTINEL_MASTER="kds",
        KDS_REDIS_DB="3",
        KDS_REDIS_PASSWORD="s3cret",
        REDIS_URL="redis://ignored:6379/0",
    )

    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    assert config["BACKEND"] == "channels_redis.core.RedisChannelLayer"
    assert config["CONFIG"]["hosts"] == [
        {
            "sentinels": [["10.0.0.1", 26379], ["sentinel-b", 26380]],
            "master_name": "kds",
            "db": 3,
            "password": "s3cret",
            "socket_timeout": 15,
        }
    ]


def test_it_builds_a_sentinel_connection_pool() -> None:
    from channels_redis.core import RedisChannelLayer
    from redis.asyncio.sentinel import SentinelConnectionPool

    channel_layer = RedisChannelLayer(
        hosts=[{"sentinels": [("127.0.0.1", 26379)], "master_name": "kds", "db": 0}]
    )

    assert isinstance(channel_layer.create_pool(0), SentinelConnectionPool)


def test_it_stops_on_a_bad_sentinel_address_naming_the_variable() -> None:
    result = layer(KDS_REDIS_SENTINELS="10.0.0.1")

    assert result.returncode != 0
    assert "KDS_REDIS_SENTINELS" in result.stderr.strip().splitlines()[-1]


def test_it_uses_redis_pub_sub_when_asked() -> None:
    result = layer(REDIS_URL="redis://127.0.0.1:6379/0", KDS_CHANNEL_LAYER="pubsub")

    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    assert config == {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "CONFIG": {"hosts": [{"address": "redis://127.0.0.1:6379/0", "socket_timeout": 15}]},
    }


def test_it_stops_on_an_unknown_layer_naming_the_variable() -> None:
    result = layer(REDIS_URL="redis://127.0.0.1:6379/0", KDS_CHANNEL_LAYER="kafka")

    assert result.returncode != 0
    assert "KDS_CHANNEL_LAYER" in result.stderr.strip().splitlines()[-1]
