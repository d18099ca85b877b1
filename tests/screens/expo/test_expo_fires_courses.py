"""Expo fires a held course with one tap, and sends a scheduled order to the kitchen early."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from orders.models import EventKind, OrderEvent, TicketState
from tests.hotpot import Kitchen, bump_all, expo_connect, pair, place, placement
from tests.screens.conftest import next_board_state, next_of, sync

pytestmark = pytest.mark.django_db(transaction=True)

TWO_COURSES = [
    {"id": "l-3", "name": "Mapo tofu", "quantity": 1},
    {"id": "l-1", "sku": "HP-BEEF", "name": "Sliced Beef", "quantity": 2, "course": 2},
]


def _tickets_html(message: dict[str, Any]) -> str:
    pairs: list[tuple[str, str]] = message.get("tickets") or message.get("upsert") or []
    return "".join(html for _, html in pairs)


async def test_it_fires_the_next_course_from_the_expo_screen(kitchen: Kitchen) -> None:
    kitchen.cold.auto_fire_next_course = False
    await sync(kitchen.cold.save)()
    order = await sync(place)(kitchen, items=TWO_COURSES)
    screen, cookie = await sync(pair)(kitchen.expo, "Pass")
    comm, first = await expo_connect(cookie)
    assert 'data-action="fire_course"' in _tickets_html(first)
    assert "Fire course 2" in _tickets_html(first)
    assert (await sync(placement)(order, kitchen.cold, "l-1")).state == TicketState.HELD

    await comm.send_json_to({"action": "fire_course", "order": order.pk})

    assert (await next_of(comm, "result"))["ok"] is True
    assert 'data-action="fire_course"' not in _tickets_html(await next_board_state(comm))
    beef = await sync(placement)(order, kitchen.cold, "l-1")
    assert beef.state == TicketState.LIVE and beef.fired_at is not None
    event = await sync(OrderEvent.objects.get)(order=order, kind=EventKind.FIRED)
    assert event.screen_id == screen.pk
    # Nothing is left to fire.
    await comm.send_json_to({"action": "fire_course", "order": order.pk})
    assert (await next_of(comm, "result"))["ok"] is False
    await comm.disconnect()


async def test_it_lists_a_scheduled_order_as_upcoming_and_sends_it_early(kitchen: Kitchen) -> None:
    fire_at = timezone.now() + timedelta(hours=2)
    order = await sync(place)(kitchen, "o-later", fire_at=fire_at.isoformat(), channel="delivery")
    _screen, cookie = await sync(pair)(kitchen.expo, "Pass")
    comm, first = await expo_connect(cookie)
    html = _tickets_html(first)
    assert "UPCOMING" in html and "Send to the kitchen now" in html
    assert (await sync(placement)(order, kitchen.wok, "l-3")).state == TicketState.HELD

    await comm.send_json_to({"action": "fire_course", "order": order.pk})

    assert (await next_of(comm, "result"))["ok"] is True
    assert "UPCOMING" not in _tickets_html(await next_board_state(comm))
    assert (await sync(placement)(order, kitchen.wok, "l-3")).state == TicketState.LIVE
    await comm.disconnect()


async def test_it_refuses_to_fire_from_a_prep_screen(kitchen: Kitchen) -> None:
    kitchen.cold.auto_fire_next_course = False
    await sync(kitchen.cold.save)()
    order = await sync(place)(kitchen, items=TWO_COURSES)
    _screen, cookie = await sync(pair)(kitchen.wok, "Wok")
    comm, _ = await expo_connect(cookie)

    await comm.send_json_to({"action": "fire_course", "order": order.pk})

    assert (await next_of(comm, "result"))["ok"] is False
    assert (await sync(placement)(order, kitchen.cold, "l-1")).state == TicketState.HELD
    await comm.disconnect()


async def test_it_calls_out_a_course_that_is_ready_while_the_next_one_cooks(
    kitchen: Kitchen,
) -> None:
    order = await sync(place)(kitchen, number="42", table="A12", items=TWO_COURSES)
    _screen, cookie = await sync(pair)(kitchen.expo, "Pass")
    comm, first = await expo_connect(cookie)
    assert 'data-ready-key=""' in _tickets_html(first).split("<li", 1)[0]

    # The wok finishes the first course; the second fires by itself and starts cooking.
    await sync(bump_all)(order, kitchen.wok)

    html = _tickets_html(await next_board_state(comm))
    head = html.split("<li", 1)[0]
    assert f'data-ready-key="o{order.pk}:c1:' in head
    assert 'data-status="cooking"' in head
    assert "Table A12, order 42: one mapo tofu, ready" in head
    assert (await sync(placement)(order, kitchen.cold, "l-1")).state == TicketState.LIVE
    await comm.disconnect()
