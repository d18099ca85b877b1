"""Every message carries the station's sequence number; a patch names the seq it builds on."""

from __future__ import annotations

from typing import Any

import pytest

from orders.live import broadcast
from orders.models import Station
from tests.factories import order_body
from tests.screens.conftest import Kitchen2, connect, keys, next_board_state, pair, post_order, sync

pytestmark = pytest.mark.django_db(transaction=True)


async def test_it_numbers_every_change(kitchen2: Kitchen2) -> None:
    _, cookie = await sync(pair)(kitchen2.a)
    comm, first = await connect(cookie)

    await sync(post_order)(kitchen2, order_body("o-1", number="1"))
    one = await next_board_state(comm)
    await sync(post_order)(kitchen2, order_body("o-2", number="2"))
    two = await next_board_state(comm)

    assert one["type"] == two["type"] == "patch"
    assert one["base"] == first["seq"] and one["seq"] == first["seq"] + 1
    assert two["base"] == one["seq"] and two["seq"] == one["seq"] + 1
    assert len(keys(two)) == 2
    # Only the new ticket's markup travels; the unchanged one is named in the order only.
    assert [key for key, _ in two["upsert"]] == [keys(two)[1]]
    station = await sync(Station.objects.get)(pk=kitchen2.a.pk)
    assert station.seq == two["seq"]
    await comm.disconnect()


async def test_it_recovers_from_a_dropped_broadcast(
    kitchen2: Kitchen2, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, cookie = await sync(pair)(kitchen2.a)
    comm, first = await connect(cookie)

    # The channel layer loses the message for this change (it is at-most-once).
    sent: list[Any] = []
    monkeypatch.setattr(broadcast, "send_now", lambda messages: sent.append(messages))
    await sync(post_order)(kitchen2, order_body("o-1", number="1"))
    assert sent and await comm.receive_nothing(timeout=0.3)
    monkeypatch.undo()

    # The screen's periodic sync finds the newer seq and gets the change.
    await comm.send_json_to({"action": "sync", "seq": first["seq"], "t": 1})
    patch = await next_board_state(comm)
    assert patch["base"] == first["seq"] and patch["seq"] == first["seq"] + 1
    assert len(keys(patch)) == 1
    pong = await comm.receive_json_from(timeout=5)
    assert pong["type"] == "pong" and pong["seq"] == patch["seq"] and pong["t"] == 1

    # A later change that is delivered builds on what this socket was sent.
    await sync(post_order)(kitchen2, order_body("o-2", number="2"))
    later = await next_board_state(comm)
    assert later["base"] == patch["seq"] and len(keys(later)) == 2
    await comm.disconnect()
