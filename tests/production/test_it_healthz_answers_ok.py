"""GET /healthz answers 200 with the state of the database and the channel layer."""

from __future__ import annotations

from typing import Any

import pytest
from channels.layers import channel_layers
from django.test import Client


def test_it_answers_200_when_the_database_and_the_layer_work(
    client: Client, db: None, in_memory_layer: None
) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["channel_layer"] == {
        "ok": True,
        "backend": "InMemoryChannelLayer",
        "ms": body["channel_layer"]["ms"],
    }


def test_it_round_trips_through_redis(
    client: Client, db: None, settings: Any, redis_url: str
) -> None:
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [redis_url]},
        }
    }
    channel_layers.backends.clear()
    try:
        response = client.get("/healthz")
    finally:
        channel_layers.backends.clear()

    assert response.status_code == 200
    assert response.json()["channel_layer"]["backend"] == "RedisChannelLayer"
    assert response.json()["channel_layer"]["ok"] is True


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_it_only_answers_get(client: Client, db: None, method: str) -> None:
    assert getattr(client, method)("/healthz").status_code == 405
