"""Two screens on one station stay in step: a bump on one disappears from the other, without
a reload (how soon is kds_bench's figure, not a bound here)."""

from __future__ import annotations

import pytest

from orders.models import Order
from tests.factories import order_body
from tests.screens.conftest import (
    Kitchen2,
    connect,
    http_action,
    keys,
    next_board_state,
    pair,
    post_order,
    sync,
)

pytestmark = pytest.mark.django_db(transaction=True)


async def test_it_keeps_two_screens_of_a_station_in_step(kitchen2: Kitchen2) -> None:
    await sync(post_order)(kitchen2, order_body("o-1", number="1"))
    await sync(post_order)(kitchen2, order_body("o-2", number="2"))
    _, cookie_1 = await sync(pair)(kitchen2.a, "Left")
    _, cookie_2 = await sync(pair)(kitchen2.a, "Right")
    one, board_1 = await connect(cookie_1)
    two, board_2 = await connect(cookie_2)
    assert keys(board_1) == keys(board_2) and len(keys(board_1)) == 2
    order = await sync(Order.objects.get)(external_id="o-1")

    await one.send_json_to({"action": "ticket_bump", "order": order.pk})

    on_two = await next_board_state(two)
    on_one = await next_board_state(one)
    assert keys(on_two) == keys(on_one) == [key for key in keys(board_1) if key != f"t{order.pk}"]
    assert on_two["seq"] == on_one["seq"]
    await one.disconnect()
    await two.disconnect()


async def test_it_tells_a_screen_of_a_bump_it_hears_only_through_the_layer(
    kitchen2: Kitchen2,
) -> None:
    # A bump made over HTTP (a screen whose socket is reconnecting): nothing in this
    # process's station feed saw it, so the other screen learns of it only from the
    # station's broadcast, as a screen served by another Daphne process would.
    await sync(post_order)(kitchen2, order_body("o-1", number="1"))
    await sync(post_order)(kitchen2, order_body("o-2", number="2"))
    _, cookie_1 = await sync(pair)(kitchen2.a, "Left")
    _, cookie_2 = await sync(pair)(kitchen2.a, "Right")
    two, board = await connect(cookie_2)
    order = await sync(Order.objects.get)(external_id="o-1")

    assert await sync(http_action)(cookie_1, action="ticket_bump", order=order.pk) == 200
    on_two = await next_board_state(two)
    assert keys(on_two) == [key for key in keys(board) if key != f"t{order.pk}"]
    await two.disconnect()
