"""A screen sees and acts on its own station's tickets only, over the socket and HTTP."""

from __future__ import annotations

import pytest
from django.test import Client

from orders.models import LineStation, Order, TicketState
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

FRIES = [{"id": "l-1", "name": "Fries", "sku": "FRIES", "quantity": 3}]


async def test_it_sends_station_b_orders_to_b_screens_only(kitchen2: Kitchen2) -> None:
    _, cookie_a = await sync(pair)(kitchen2.a, "A")
    _, cookie_b = await sync(pair)(kitchen2.b, "B")
    comm_a, board_a = await connect(cookie_a)
    comm_b, board_b = await connect(cookie_b)
    assert keys(board_a) == keys(board_b) == []

    await sync(post_order)(kitchen2, order_body("o-fries", number="201", items=FRIES))

    patch = await next_board_state(comm_b)
    order = await sync(Order.objects.get)(external_id="o-fries")
    assert keys(patch) == [f"t{order.pk}"]
    assert "Fries" in patch["upsert"][0][1]
    assert await comm_a.receive_nothing(timeout=0.5)

    # And on a resync, A's board still does not have it.
    await comm_a.send_json_to({"action": "resync"})
    assert keys(await next_board_state(comm_a)) == []
    await comm_a.disconnect()
    await comm_b.disconnect()


async def test_it_refuses_actions_on_another_stations_tickets(kitchen2: Kitchen2) -> None:
    _, cookie_a = await sync(pair)(kitchen2.a, "A")
    await sync(post_order)(kitchen2, order_body("o-fries", number="201", items=FRIES))
    order = await sync(Order.objects.get)(external_id="o-fries")
    placement = await sync(LineStation.objects.get)(line__order=order, station=kitchen2.b)
    comm_a, _ = await connect(cookie_a)

    await comm_a.send_json_to({"action": "ticket_bump", "order": order.pk})
    assert (await comm_a.receive_json_from(timeout=5)) == {
        "type": "result",
        "ok": False,
        "action": "ticket_bump",
    }
    await comm_a.send_json_to({"action": "line_bump", "placement": placement.pk})
    assert (await comm_a.receive_json_from(timeout=5))["ok"] is False

    assert await sync(http_action)(cookie_a, action="line_bump", placement=placement.pk) == 409
    await sync(placement.refresh_from_db)()
    assert placement.state == TicketState.LIVE
    await comm_a.disconnect()


async def test_it_shows_only_the_own_stations_tickets_on_the_page(kitchen2: Kitchen2) -> None:
    _, cookie_a = await sync(pair)(kitchen2.a, "A")
    await sync(post_order)(kitchen2, order_body("o-fries", number="201", items=FRIES))
    await sync(post_order)(kitchen2, order_body("o-tofu", number="202"))

    def page() -> str:
        client = Client()
        client.cookies["kds_screen"] = cookie_a
        return client.get("/screen/").content.decode()

    html = await sync(page)()
    assert "#202" in html and "Mapo tofu" in html
    assert "#201" not in html and "Fries" not in html
