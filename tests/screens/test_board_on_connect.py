"""On every connect the server sends the whole board, with the station's sequence number."""

from __future__ import annotations

import pytest

from orders.boards.station import board
from orders.models import Station
from tests.factories import order_body
from tests.screens.conftest import Kitchen2, connect, html_of, keys, pair, post_order, sync

pytestmark = pytest.mark.django_db(transaction=True)


async def test_it_sends_the_whole_board_on_connect(kitchen2: Kitchen2) -> None:
    await sync(post_order)(kitchen2, order_body("o-1", number="101"))
    await sync(post_order)(
        kitchen2,
        order_body(
            "o-2",
            number="102",
            priority="rush",
            table="7",
            items=[
                {
                    "id": "l-1",
                    "name": "Kung pao chicken",
                    "quantity": 2,
                    "modifiers": ["no peanuts"],
                    "notes": "peanut allergy",
                },
                {"id": "l-2", "name": "Fries", "sku": "FRIES", "quantity": 1},
            ],
        ),
    )
    _, cookie = await sync(pair)(kitchen2.a)

    comm, first = await connect(cookie)

    station = await sync(Station.objects.get)(pk=kitchen2.a.pk)
    expected = await sync(board)(station)
    assert first["type"] == "board"
    assert first["seq"] == station.seq > 0
    assert keys(first) == [t.key for t in expected.tickets]
    html = html_of(first)
    assert "#101" in html and "#102" in html
    assert "Kung pao chicken" in html and "no peanuts" in html and "peanut allergy" in html
    assert "RUSH" in html
    assert "Fries" not in html  # the fryer's dish
    assert "Kung pao chicken" in first["all_day"]
    assert first["settings"]["late_seconds"] == station.late_minutes * 60
    assert isinstance(first["now"], int)

    # A reconnect gets the whole board again.
    await comm.disconnect()
    comm, again = await connect(cookie)
    assert again["type"] == "board" and again["tickets"] == first["tickets"]
    await comm.disconnect()


async def test_it_sends_the_board_again_when_asked_to_resync(kitchen2: Kitchen2) -> None:
    await sync(post_order)(kitchen2, order_body("o-1", number="101"))
    _, cookie = await sync(pair)(kitchen2.a)
    comm, first = await connect(cookie)

    await comm.send_json_to({"action": "resync"})
    again = await comm.receive_json_from(timeout=5)

    assert again["type"] == "board"
    assert again["seq"] == first["seq"] and again["tickets"] == first["tickets"]
    await comm.disconnect()
