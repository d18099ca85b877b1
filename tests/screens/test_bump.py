"""Tapping a line readies it; tapping the header readies the ticket; both are logged."""

from __future__ import annotations

import pytest

from orders.models import (
    EventKind,
    LineStation,
    Order,
    OrderEvent,
    OrderStatus,
    Station,
    TicketState,
)
from tests.factories import order_body
from tests.screens.conftest import Kitchen2, connect, keys, next_board_state, pair, post_order, sync

pytestmark = pytest.mark.django_db(transaction=True)

TWO_LINES = [
    {"id": "l-1", "name": "Mapo tofu", "quantity": 1},
    {"id": "l-2", "name": "Dan dan noodles", "quantity": 2},
]


async def test_it_bumps_a_whole_ticket_from_its_header(kitchen2: Kitchen2) -> None:
    await sync(post_order)(kitchen2, order_body("o-1", number="1", items=TWO_LINES))
    screen, cookie = await sync(pair)(kitchen2.a)
    order = await sync(Order.objects.get)(external_id="o-1")
    comm, first = await connect(cookie)
    expo_seq = (await sync(Station.objects.get)(pk=kitchen2.k.expo.pk)).seq
    assert keys(first) == [f"t{order.pk}"]

    await comm.send_json_to({"action": "ticket_bump", "order": order.pk})

    assert await comm.receive_json_from(timeout=5) == {
        "type": "result",
        "ok": True,
        "action": "ticket_bump",
    }
    patch = await next_board_state(comm)
    assert keys(patch) == []
    await sync(order.refresh_from_db)()
    assert order.status == OrderStatus.READY and order.ready_at is not None
    events = await sync(
        lambda: list(
            OrderEvent.objects.filter(
                order=order, kind__in=[EventKind.BUMPED, EventKind.READY]
            ).values_list("kind", "screen_id", "station_id")
        )
    )()
    assert events == [
        (EventKind.BUMPED, screen.pk, kitchen2.a.pk),
        (EventKind.READY, screen.pk, kitchen2.a.pk),
    ]
    # The expo board changed too.
    assert (await sync(Station.objects.get)(pk=kitchen2.k.expo.pk)).seq == expo_seq + 1
    await comm.disconnect()


async def test_it_bumps_one_line_from_a_tap(kitchen2: Kitchen2) -> None:
    await sync(post_order)(kitchen2, order_body("o-1", number="1", items=TWO_LINES))
    screen, cookie = await sync(pair)(kitchen2.a)
    order = await sync(Order.objects.get)(external_id="o-1")
    tofu = await sync(LineStation.objects.get)(
        line__order=order, line__external_id="l-1", station=kitchen2.a
    )
    comm, _ = await connect(cookie)

    await comm.send_json_to({"action": "line_bump", "placement": tofu.pk})
    patch = await next_board_state(comm)

    assert keys(patch) == [f"t{order.pk}"]  # the ticket stays: noodles are still cooking
    html = patch["upsert"][0][1]
    assert 'class="line is-ready"' in html and "READY" in html
    await sync(tofu.refresh_from_db)()
    assert tofu.state == TicketState.READY
    event = await sync(OrderEvent.objects.get)(order=order, kind=EventKind.BUMPED)
    assert (event.line_id, event.screen_id) == (tofu.line_id, screen.pk)
    await sync(order.refresh_from_db)()
    assert order.status == OrderStatus.OPEN

    # The last line makes the ticket leave the board and the order ready.
    noodles = await sync(LineStation.objects.get)(
        line__order=order, line__external_id="l-2", station=kitchen2.a
    )
    await comm.send_json_to({"action": "line_bump", "placement": noodles.pk})
    assert keys(await next_board_state(comm)) == []
    await sync(order.refresh_from_db)()
    assert order.status == OrderStatus.READY
    await comm.disconnect()


async def test_it_undoes_a_line_bump_with_a_second_tap(kitchen2: Kitchen2) -> None:
    await sync(post_order)(kitchen2, order_body("o-1", number="1", items=TWO_LINES))
    _, cookie = await sync(pair)(kitchen2.a)
    order = await sync(Order.objects.get)(external_id="o-1")
    tofu = await sync(LineStation.objects.get)(
        line__order=order, line__external_id="l-1", station=kitchen2.a
    )
    comm, _ = await connect(cookie)
    await comm.send_json_to({"action": "line_bump", "placement": tofu.pk})
    await next_board_state(comm)

    await comm.send_json_to({"action": "line_unbump", "placement": tofu.pk})
    html = (await next_board_state(comm))["upsert"][0][1]

    assert "is-ready" not in html
    await sync(tofu.refresh_from_db)()
    assert tofu.state == TicketState.LIVE
    await comm.disconnect()
