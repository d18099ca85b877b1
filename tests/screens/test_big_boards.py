"""A board too big for one WebSocket message goes out in parts, and so does a patch that is."""

from __future__ import annotations

import json
from typing import Any

import pytest

from orders.models import Order
from orders.screens.protocol import MESSAGE_BUDGET
from tests import factories
from tests.screens.conftest import Kitchen2, connect, pair, post_order, sync

pytestmark = pytest.mark.django_db(transaction=True)


def big_order(kitchen: Kitchen2, n: int) -> None:
    items = [
        {
            "id": f"l{i}",
            "name": f"麻辣锅底 dish {i} with a long name",
            "quantity": 1,
            "modifiers": ["不要香菜", "extra spicy"],
            "notes": "ALLERGY: peanut 花生过敏",
        }
        for i in range(200)
    ]
    post_order(kitchen, factories.order_body(f"o-{n}", number=str(n), items=items))


async def whole_board(comm: Any, first: dict[str, Any]) -> tuple[dict[str, Any], list[int]]:
    """Assembles a board sent in parts; returns it and each part's size on the wire."""
    sizes = [len(json.dumps(first))]
    board = {**first, "tickets": list(first["tickets"])}
    for n in range(1, int(first.get("parts", 1))):
        part = await comm.receive_json_from(timeout=5)
        assert (part["type"], part["seq"], part["part"]) == ("board_part", first["seq"], n)
        sizes.append(len(json.dumps(part)))
        board["tickets"] += part["tickets"]
    return board, sizes


async def test_it_sends_a_big_board_in_parts_under_the_message_limit(kitchen2: Kitchen2) -> None:
    for n in range(6):
        await sync(big_order)(kitchen2, n)
    _screen, cookie = await sync(pair)(kitchen2.a)

    comm, first = await connect(cookie)
    board, sizes = await whole_board(comm, first)

    assert first["type"] == "board" and first["parts"] > 1
    assert max(sizes) < 1024 * 1024  # every message fits Daphne's limit
    orders = await sync(lambda: [f"t{o.pk}" for o in Order.objects.order_by("placed_at", "pk")])()
    assert [key for key, _ in board["tickets"]] == orders
    await comm.disconnect()


async def test_it_sends_a_board_in_parts_when_a_patch_would_be_too_big(kitchen2: Kitchen2) -> None:
    _screen, cookie = await sync(pair)(kitchen2.a)
    comm, first = await connect(cookie)
    assert first["tickets"] == []

    def two_big_orders() -> None:
        big_order(kitchen2, 1)
        big_order(kitchen2, 2)

    await sync(two_big_orders)()

    # However the two changes are batched, the screen ends with both tickets, and no
    # message carries more ticket HTML than the budget.
    seen: list[str] = []
    while len(seen) < 2:
        message = await comm.receive_json_from(timeout=5)
        if message["type"] == "board":
            message, _sizes = await whole_board(comm, message)
            seen = [key for key, _ in message["tickets"]]
        elif message["type"] == "patch":
            assert sum(len(html) for _, html in message["upsert"]) <= MESSAGE_BUDGET
            seen = list(message["order"])
    assert len(seen) == 2
    await comm.disconnect()
