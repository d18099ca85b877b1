"""Voided lines and cancelled orders stay struck through until a cook acknowledges them."""

from __future__ import annotations

import pytest

from orders.models import EventKind, Order, OrderEvent
from tests.factories import order_body
from tests.screens.conftest import Kitchen2, connect, keys, next_board_state, pair, post_order, sync

pytestmark = pytest.mark.django_db(transaction=True)

TWO_LINES = [
    {"id": "l-1", "name": "Mapo tofu", "quantity": 1},
    {"id": "l-2", "name": "Dan dan noodles", "quantity": 2},
]


async def test_it_marks_a_voided_line_until_acknowledged(kitchen2: Kitchen2) -> None:
    await sync(post_order)(kitchen2, order_body("o-1", number="1", items=TWO_LINES))
    screen, cookie = await sync(pair)(kitchen2.a)
    comm, _ = await connect(cookie)
    order = await sync(Order.objects.get)(external_id="o-1")

    await sync(post_order)(
        kitchen2,
        order_body(
            "o-1",
            kind="order.updated",
            number="1",
            items=[TWO_LINES[0], {"id": "l-3", "name": "Spring rolls", "quantity": 1}],
        ),
    )
    html = (await next_board_state(comm))["upsert"][0][1]
    assert "is-void void-pending" in html and "VOID" in html
    assert "is-new" in html and "NEW" in html

    await comm.send_json_to({"action": "void_ack", "order": order.pk})
    html = (await next_board_state(comm))["upsert"][0][1]
    assert "Dan dan noodles" not in html and "Spring rolls" in html
    event = await sync(OrderEvent.objects.get)(order=order, kind=EventKind.VOID_ACKNOWLEDGED)
    assert event.screen_id == screen.pk
    await comm.disconnect()


async def test_it_shows_a_cancelled_order_until_acknowledged(kitchen2: Kitchen2) -> None:
    await sync(post_order)(kitchen2, order_body("o-1", number="1", items=TWO_LINES))
    _, cookie = await sync(pair)(kitchen2.a)
    comm, _ = await connect(cookie)
    order = await sync(Order.objects.get)(external_id="o-1")

    await sync(post_order)(kitchen2, order_body("o-1", kind="order.cancelled"))
    patch = await next_board_state(comm)
    assert keys(patch) == [f"t{order.pk}"]
    html = patch["upsert"][0][1]
    assert "is-cancelled" in html and "CANCELLED" in html
    assert "Mapo tofu" not in patch["all_day"]

    await comm.send_json_to({"action": "void_ack", "order": order.pk})
    assert keys(await next_board_state(comm)) == []
    await comm.disconnect()
