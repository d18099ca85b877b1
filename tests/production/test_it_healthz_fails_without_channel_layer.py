"""GET /healthz answers 503 when the channel layer's Redis does not answer."""

from __future__ import annotations

import socket
from typing import Any

from channels.layers import channel_layers
from django.test import Client


def _dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_it_answers_503_naming_the_channel_layer(client: Client, db: None, settings: Any) -> None:
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [f"redis://127.0.0.1:{_dead_port()}/0"]},
        }
    }
    channel_layers.backends.clear()
    try:
        response = client.get("/healthz")
    finally:
        channel_layers.backends.clear()

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"]["ok"] is True
    assert body["channel_layer"]["ok"] is False
    assert body["channel_layer"]["backend"] == "RedisChannelLayer"
