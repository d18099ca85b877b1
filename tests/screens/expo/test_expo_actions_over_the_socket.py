"""Expo's taps over its socket: hand over (and undo), send a line back; refused elsewhere."""

from __future__ import annotations

import pytest

from orders.models import EventKind, Order, OrderEvent, OrderStatus, TicketState
from tests.hotpot import Kitchen, bump_all, expo_connect, pair, place, placement
from tests.screens.conftest import keys, next_board_state, next_of, sync

pytestmark = pytest.mark.django_db(transaction=True)


async def _ready_order(kitchen: Kitchen) -> Order:
    order = await sync(place)(kitchen, number="42", table="A12")
    await sync(bump_all)(order, kitchen.wok)
    await sync(bump_all)(order, kitchen.cold)
    return order


async def test_it_hands_an_order_over_and_undoes_it(kitchen: Kitchen) -> None:
    order = await _ready_order(kitchen)
    screen, cookie = await sync(pair)(kitchen.expo, "Pass")
    comm, first = await expo_connect(cookie)
    key = f"x{order.pk}"
    assert keys(first) == [key]

    await comm.send_json_to({"action": "handover", "order": order.pk})
    result = await next_of(comm, "result")
    assert result == {"type": "result", "ok": True, "action": "handover", "order": order.pk}
    assert keys(await next_board_state(comm)) == []
    event = await sync(OrderEvent.objects.get)(order=order, kind=EventKind.SERVED)
    assert event.screen_id == screen.pk

    await comm.send_json_to({"action": "unserve", "order": order.pk})
    assert (await next_of(comm, "result"))["ok"] is True
    assert keys(await next_board_state(comm)) == [key]
    await sync(order.refresh_from_db)()
    assert order.status == OrderStatus.READY
    await comm.disconnect()


async def test_it_sends_a_line_back_to_its_station(kitchen: Kitchen) -> None:
    order = await _ready_order(kitchen)
    _screen, cookie = await sync(pair)(kitchen.expo, "Pass")
    comm, _ = await expo_connect(cookie)
    beef_at_expo = await sync(placement)(order, kitchen.expo, "l-1")

    await comm.send_json_to({"action": "send_back", "placement": beef_at_expo.pk})

    assert (await next_of(comm, "result"))["ok"] is True
    patch = await next_board_state(comm)
    html = "".join(h for _, h in patch["upsert"])
    assert 'data-status="cooking"' in html and "SENT BACK" in html
    beef = await sync(placement)(order, kitchen.cold, "l-1")
    assert beef.state == TicketState.LIVE and beef.sent_back
    await comm.disconnect()


async def test_it_refuses_expo_actions_from_a_prep_screen(kitchen: Kitchen) -> None:
    order = await _ready_order(kitchen)
    _screen, cookie = await sync(pair)(kitchen.wok, "Wok")
    comm, _ = await expo_connect(cookie)

    await comm.send_json_to({"action": "handover", "order": order.pk})

    assert (await next_of(comm, "result"))["ok"] is False
    await sync(order.refresh_from_db)()
    assert order.status == OrderStatus.READY
    await comm.disconnect()
