"""GET /healthz round-trips through Redis while screens of the same process listen on it."""

from __future__ import annotations

from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator
from django.test import AsyncClient, Client

from kds.asgi import application  # imported first: it configures logging again
from orders.models import Screen
from tests import factories


async def healthz_with_a_screen_connected(cookie: str) -> tuple[int, dict[str, Any]]:
    socket = WebsocketCommunicator(
        application,
        "/ws/screen/",
        headers=[
            (b"origin", b"http://testserver"),
            (b"host", b"testserver"),
            (b"cookie", f"kds_screen={cookie}".encode()),
        ],
    )
    connected, _ = await socket.connect()
    assert connected
    assert (await socket.receive_json_from(timeout=5))["type"] == "board"
    try:
        response = await AsyncClient().get("/healthz")
    finally:
        await socket.disconnect()
    return response.status_code, response.json()


def test_it_answers_200_while_a_screen_is_receiving(
    transactional_db: None, settings: Any, redis_url: str
) -> None:
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [redis_url]},
        }
    }
    channel_layers.backends.clear()
    kitchen = factories.make_kitchen()
    screen = Screen.objects.create(
        restaurant=kitchen.restaurant, station=kitchen.fallback, name="Wall"
    )
    cookie = (
        Client()
        .post("/pair/", {"token": screen.pairing_token, "confirm": "1"})
        .cookies["kds_screen"]
        .value
    )
    try:
        status, body = async_to_sync(healthz_with_a_screen_connected)(cookie)
    finally:
        channel_layers.backends.clear()

    assert body["channel_layer"]["ok"] is True, body
    assert status == 200
