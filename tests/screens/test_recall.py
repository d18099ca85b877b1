"""Recall lists the tickets bumped in the last 15 minutes, newest first; a tap brings one back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from orders.models import EventKind, LineStation, Order, OrderEvent, OrderStatus, TicketState
from tests.factories import order_body
from tests.screens.conftest import (
    Kitchen2,
    connect,
    keys,
    next_board_state,
    next_of,
    pair,
    post_order,
    sync,
)

pytestmark = pytest.mark.django_db(transaction=True)


async def test_it_recalls_a_bumped_ticket(kitchen2: Kitchen2) -> None:
    for n in ("1", "2", "3"):
        await sync(post_order)(kitchen2, order_body(f"o-{n}", number=f"30{n}"))
    screen, cookie = await sync(pair)(kitchen2.a)
    orders = {o.external_id: o for o in await sync(lambda: list(Order.objects.all()))()}
    comm, _ = await connect(cookie)
    for ext in ("o-1", "o-2", "o-3"):
        await comm.send_json_to({"action": "ticket_bump", "order": orders[ext].pk})
        await next_board_state(comm)
    # o-3 was bumped longest ago, outside the window.
    await sync(
        lambda: LineStation.objects.filter(line__order=orders["o-3"]).update(
            ready_at=timezone.now() - timedelta(minutes=16)
        )
    )()

    await comm.send_json_to({"action": "recall_list"})
    listing = (await next_of(comm, "recall"))["html"]
    assert listing.index("#302") < listing.index("#301")  # newest first
    assert "#303" not in listing

    await comm.send_json_to({"action": "recall", "order": orders["o-1"].pk})
    patch = await next_board_state(comm)

    assert keys(patch) == [f"t{orders['o-1'].pk}"]
    placement = await sync(LineStation.objects.get)(line__order=orders["o-1"], station=kitchen2.a)
    assert placement.state == TicketState.LIVE and placement.ready_at is None
    await sync(orders["o-1"].refresh_from_db)()
    assert orders["o-1"].status == OrderStatus.OPEN
    event = await sync(OrderEvent.objects.get)(order=orders["o-1"], kind=EventKind.RECALLED)
    assert (event.screen_id, event.station_id) == (screen.pk, kitchen2.a.pk)
    await comm.disconnect()


async def test_it_lists_nothing_when_nothing_was_bumped(kitchen2: Kitchen2) -> None:
    await sync(post_order)(kitchen2, order_body("o-1", number="301"))
    _, cookie = await sync(pair)(kitchen2.a)
    comm, _ = await connect(cookie)
    await comm.send_json_to({"action": "recall_list"})
    listing = (await next_of(comm, "recall"))["html"]
    assert "#301" not in listing
    await comm.disconnect()


@pytest.mark.parametrize(
    ("sent", "back"),
    [
        (1796691015123, 1796691015123),
        (12.5, 12.5),
        ("1796691015123", None),
        (True, None),
        ({}, None),
    ],
)
async def test_it_answers_a_recall_list_with_the_time_the_page_asked_at(
    kitchen2: Kitchen2, sent: object, back: object
) -> None:
    """The page keeps a ticket it just bumped in its list until a list read after the bump
    (its `t`, back) arrives; anything but a number comes back as null."""
    _, cookie = await sync(pair)(kitchen2.a)
    comm, _ = await connect(cookie)
    await comm.send_json_to({"action": "recall_list", "t": sent})
    assert (await next_of(comm, "recall"))["t"] == back
    await comm.disconnect()
