"""A station with a great many open tickets (after an outage, say) still gets its board on
a real server: daphne refuses to send a WebSocket message over 1 MiB, so a board larger
than that must not be sent as one message."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from django.test import Client
from websockets.asyncio.client import connect

from orders.models import Screen
from tests import factories
from tests.browser.server import KdsServer, database_env

pytestmark = pytest.mark.django_db(transaction=True)


def long_order(n: int) -> dict[str, object]:
    items = [
        {
            "id": f"l{i}",
            "name": f"Dish number {i} with a long name",
            "quantity": 1,
            "modifiers": ["no cilantro", "extra spicy"],
            "notes": "ALLERGY: peanut",
        }
        for i in range(200)
    ]
    return factories.order_body(f"o-{n}", number=str(n), items=items)


def test_it_sends_a_board_larger_than_a_websocket_frame_limit(
    kitchen: factories.Kitchen, tmp_path: Path
) -> None:
    from django.db import connection

    for n in range(12):  # about 1.4 MB of tickets
        response = factories.post_webhook(kitchen.source.slug, kitchen.secret, long_order(n))
        assert response.status_code == 201
    screen = Screen.objects.create(restaurant=kitchen.restaurant, station=kitchen.fallback)
    paired = Client().post("/pair/", {"token": screen.pairing_token, "confirm": "1"})
    cookie = paired.cookies["kds_screen"].value
    server = KdsServer(
        env=database_env(dict(connection.settings_dict)), log_path=tmp_path / "daphne.log"
    )
    server.start()

    async def first_message() -> dict[str, object]:
        async with connect(
            f"ws://127.0.0.1:{server.port}/ws/screen/",
            origin=server.url,  # type: ignore[arg-type]
            additional_headers={"Cookie": f"kds_screen={cookie}"},
            proxy=None,
            max_size=None,
        ) as socket:
            # A board over the message limit comes in parts: put them together.
            message = dict(json.loads(await asyncio.wait_for(socket.recv(), 20)))
            for _ in range(1, int(message.get("parts", 1))):
                part = json.loads(await asyncio.wait_for(socket.recv(), 20))
                assert part["type"] == "board_part" and part["seq"] == message["seq"]
                message["tickets"] += part["tickets"]
            return message

    try:
        message = asyncio.run(first_message())
    finally:
        server.stop()

    assert message["type"] == "board"
    assert int(message.get("parts", 1)) > 1  # type: ignore[call-overload]
    assert len(message["tickets"]) == 12  # type: ignore[arg-type]
