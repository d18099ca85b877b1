"""Every screen connect, refusal and disconnect is logged on "kds.screen" with its ids."""

from __future__ import annotations

import logging

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.test import Client

from kds.asgi import application  # imported first: it configures logging again
from orders.models import Screen
from tests import factories


def communicator(cookie: str | None) -> WebsocketCommunicator:
    headers = [(b"origin", b"http://testserver"), (b"host", b"testserver")]
    if cookie is not None:
        headers.append((b"cookie", f"kds_screen={cookie}".encode()))
    return WebsocketCommunicator(application, "/ws/screen/", headers=headers)


async def connect_and_leave(cookie: str | None) -> None:
    socket = communicator(cookie)
    connected, _ = await socket.connect()
    assert connected
    await socket.receive_json_from(timeout=5)
    await socket.disconnect()


def test_it_logs_connect_disconnect_and_refusal(
    transactional_db: None, in_memory_layer: None, caplog: pytest.LogCaptureFixture
) -> None:
    kitchen = factories.make_kitchen()
    screen = Screen.objects.create(
        restaurant=kitchen.restaurant, station=kitchen.fallback, name="Wall"
    )
    response = Client().post("/pair/", {"token": screen.pairing_token, "confirm": "1"})
    cookie = response.cookies["kds_screen"].value

    with caplog.at_level(logging.INFO, logger="kds.screen"):
        async_to_sync(connect_and_leave)(cookie)
        async_to_sync(connect_and_leave)(None)

    events = [
        (r.event, r.screen_id, r.station_id)  # type: ignore[attr-defined]
        for r in caplog.records
        if r.name == "kds.screen"
    ]
    assert events == [
        ("screen_connected", screen.pk, kitchen.fallback.pk),
        ("screen_disconnected", screen.pk, kitchen.fallback.pk),
        ("screen_refused", None, None),
    ]
