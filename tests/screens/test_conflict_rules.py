"""The conflict rules of docs/screens.md, for taps that reach the server after the kitchen
moved on: each refusal says why, so the screen can show it on the ticket."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest

from orders.actions import serving
from orders.models import (
    EventKind,
    LineStation,
    Order,
    OrderEvent,
    Screen,
    Station,
    TicketState,
)
from tests.factories import order_body
from tests.hotpot import foh_user
from tests.screens.conftest import Kitchen2, connect, next_of, pair, post_order, sync

pytestmark = pytest.mark.django_db(transaction=True)

TWO = [
    {"id": "l-1", "name": "Mapo tofu", "quantity": 1},
    {"id": "l-2", "name": "Dan dan noodles", "quantity": 2},
]


def _placement(order: Order, station: Station, line: str) -> LineStation:
    return LineStation.objects.get(line__order=order, station=station, line__external_id=line)


async def _tap(cookie: str, action: str, *, made_ago_ms: int = 0, **target: Any) -> dict[str, Any]:
    """One tap with an id, made `made_ago_ms` before it is sent (a replay from offline)."""
    now = int(time.time() * 1000)
    comm, _ = await connect(cookie)
    await comm.send_json_to(
        {
            "action": action,
            "id": str(uuid.uuid4()),
            "made_at": now - made_ago_ms,
            "sent_at": now,
            **target,
        }
    )
    answer = await next_of(comm, "result")
    await comm.disconnect()
    return answer


async def _order(kitchen2: Kitchen2) -> Order:
    await sync(post_order)(kitchen2, order_body("o-1", number="1", items=TWO))
    return await sync(Order.objects.get)(external_id="o-1")


async def test_it_refuses_a_bump_of_a_line_voided_meanwhile(kitchen2: Kitchen2) -> None:
    order = await _order(kitchen2)
    _screen, cookie = await sync(pair)(kitchen2.a)
    noodles = await sync(_placement)(order, kitchen2.a, "l-2")
    # While the screen is cut off, the POS voids the noodles.
    await sync(post_order)(
        kitchen2, order_body("o-1", kind="order.updated", number="1", items=TWO[:1])
    )

    answer = await _tap(cookie, "line_bump", made_ago_ms=30_000, placement=noodles.pk)

    assert answer["ok"] is False and answer["reason"] == "voided"
    await sync(noodles.refresh_from_db)()
    assert noodles.state == TicketState.LIVE and noodles.void_pending


async def test_it_refuses_a_ticket_bump_made_before_the_order_was_cancelled(
    kitchen2: Kitchen2,
) -> None:
    order = await _order(kitchen2)
    _screen, cookie = await sync(pair)(kitchen2.a)
    await sync(post_order)(kitchen2, order_body("o-1", kind="order.cancelled"))

    answer = await _tap(cookie, "ticket_bump", made_ago_ms=30_000, order=order.pk)

    assert answer["ok"] is False and answer["reason"] == "cancelled"
    # The cancel stays on the board until a cook has seen it.
    assert (
        await sync(
            LineStation.objects.filter(
                line__order=order, station=kitchen2.a, void_pending=True
            ).count
        )()
        == 2
    )
    # Made after the cancel reached the screen, the same tap acknowledges it, as it always did.
    assert (await _tap(cookie, "ticket_bump", order=order.pk))["ok"] is True
    assert (
        await sync(OrderEvent.objects.filter(order=order, kind=EventKind.VOID_ACKNOWLEDGED).count)()
        == 1
    )


async def test_it_does_not_acknowledge_a_void_the_screen_never_showed(kitchen2: Kitchen2) -> None:
    order = await _order(kitchen2)
    _screen, cookie = await sync(pair)(kitchen2.a)
    await sync(post_order)(
        kitchen2, order_body("o-1", kind="order.updated", number="1", items=TWO[:1])
    )

    # The ticket was bumped offline before the void: the tofu is ready, the void waits.
    assert (await _tap(cookie, "ticket_bump", made_ago_ms=30_000, order=order.pk))["ok"] is True

    tofu = await sync(_placement)(order, kitchen2.a, "l-1")
    noodles = await sync(_placement)(order, kitchen2.a, "l-2")
    assert tofu.state == TicketState.READY
    assert noodles.void_pending


async def test_it_refuses_a_recall_after_the_order_was_handed_over(kitchen2: Kitchen2) -> None:
    order = await _order(kitchen2)
    wok, cookie = await sync(pair)(kitchen2.a)
    assert (await _tap(cookie, "ticket_bump", order=order.pk))["ok"] is True
    expo = await sync(Screen.objects.create)(
        restaurant=kitchen2.k.restaurant,
        station=kitchen2.k.expo,
        name="Pass",
        paired_at=wok.paired_at,
    )
    assert await sync(lambda: serving.order_handover(order=order, screen=expo))()

    answer = await _tap(cookie, "recall", made_ago_ms=5_000, order=order.pk)

    assert answer["ok"] is False and answer["reason"] == "handed_over"
    assert not await sync(OrderEvent.objects.filter(order=order, kind=EventKind.RECALLED).exists)()


async def test_it_refuses_a_recall_of_dishes_already_served(kitchen2: Kitchen2) -> None:
    """Front of house served the dishes one by one; the order is not closed, the dishes are out."""
    order = await _order(kitchen2)
    _wok, cookie = await sync(pair)(kitchen2.a)
    assert (await _tap(cookie, "ticket_bump", order=order.pk))["ok"] is True
    runner = await sync(foh_user)()
    tofu = await sync(_placement)(order, kitchen2.a, "l-1")
    noodles = await sync(_placement)(order, kitchen2.a, "l-2")
    await sync(lambda: serving.line_serve(line=tofu.line, user=runner))()

    # One dish is still at the pass: the recall brings back that one only.
    assert (await _tap(cookie, "recall", order=order.pk))["ok"] is True
    await sync(tofu.refresh_from_db)()
    await sync(noodles.refresh_from_db)()
    assert (tofu.state, noodles.state) == (TicketState.READY, TicketState.LIVE)
    # And a line un-bump of the served dish is refused.
    answer = await _tap(cookie, "line_unbump", placement=tofu.pk)
    assert answer["ok"] is False and answer["reason"] == "handed_over"


async def test_it_counts_two_screens_bumping_one_line_once(kitchen2: Kitchen2) -> None:
    order = await _order(kitchen2)
    _left, left = await sync(pair)(kitchen2.a, "Left")
    _right, right = await sync(pair)(kitchen2.a, "Right")
    tofu = await sync(_placement)(order, kitchen2.a, "l-1")

    first = await _tap(left, "line_bump", made_ago_ms=20_000, placement=tofu.pk)
    await sync(tofu.refresh_from_db)()
    ready_at = tofu.ready_at
    second = await _tap(right, "line_bump", made_ago_ms=10_000, placement=tofu.pk)

    assert first["ok"] is True
    assert second["ok"] is False and second["reason"] == "already"
    await sync(tofu.refresh_from_db)()
    assert tofu.ready_at == ready_at  # the first bump's time stands
    assert await sync(OrderEvent.objects.filter(order=order, kind=EventKind.BUMPED).count)() == 1


async def test_it_says_a_ticket_of_another_station_is_not_this_screens(kitchen2: Kitchen2) -> None:
    order = await _order(kitchen2)
    _fryer, cookie = await sync(pair)(kitchen2.b)
    tofu = await sync(_placement)(order, kitchen2.a, "l-1")

    assert (await _tap(cookie, "line_bump", placement=tofu.pk))["reason"] == "gone"
    assert (await _tap(cookie, "ticket_bump", order=order.pk))["reason"] == "gone"
