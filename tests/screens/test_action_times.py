"""A tap replayed after a drop is dated when it was made: in the event log and in the
times the reports read, within bounds a wrong clock cannot push past."""

from __future__ import annotations

import time
import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from orders.models import EventKind, LineStation, Order, OrderEvent
from tests.factories import order_body
from tests.screens.conftest import Kitchen2, connect, next_of, pair, post_order, sync

pytestmark = pytest.mark.django_db(transaction=True)

HOUR_MS = 3600 * 1000


def _placed(kitchen2: Kitchen2, *, fired_ago: timedelta = timedelta(0)) -> tuple[Order, str]:
    post_order(kitchen2, order_body("o-1", number="1"))
    order = Order.objects.get(external_id="o-1")
    if fired_ago:
        LineStation.objects.filter(line__order=order).update(fired_at=timezone.now() - fired_ago)
    return order, pair(kitchen2.a)[1]


def _bumped_at(order: Order) -> tuple[datetime, datetime]:
    """(the event's time, the placement's ready_at) of the bump."""
    event = OrderEvent.objects.get(order=order, kind=EventKind.BUMPED)
    placement = LineStation.objects.get(line__order=order, station__kind="prep")
    assert placement.ready_at is not None
    return event.at, placement.ready_at


async def _bump(cookie: str, order: Order, made_at: Any, sent_at: Any) -> dict[str, Any]:
    comm, _ = await connect(cookie)
    await comm.send_json_to(
        {
            "action": "ticket_bump",
            "order": order.pk,
            "id": str(uuid.uuid4()),
            "made_at": made_at,
            "sent_at": sent_at,
        }
    )
    answer = await next_of(comm, "result")
    await comm.disconnect()
    return answer


async def test_it_dates_a_replayed_bump_when_it_was_made(kitchen2: Kitchen2) -> None:
    order, cookie = await sync(_placed)(kitchen2, fired_ago=timedelta(minutes=10))
    # Bumped three minutes ago, on a screen whose clock is an hour fast: only the age counts.
    sent = int(time.time() * 1000) + HOUR_MS
    before = timezone.now()
    assert (await _bump(cookie, order, sent - 180_000, sent))["ok"] is True
    after = timezone.now()

    event_at, ready_at = await sync(_bumped_at)(order)
    assert event_at == ready_at
    assert before - timedelta(seconds=180) <= ready_at <= after - timedelta(seconds=180)
    placement = await sync(LineStation.objects.get)(line__order=order, station=kitchen2.a)
    assert placement.ticket_seconds == pytest.approx(7 * 60, abs=2)  # what the reports read
    await sync(order.refresh_from_db)()
    assert order.ready_at == ready_at


async def test_it_never_dates_a_tap_in_the_future(kitchen2: Kitchen2) -> None:
    order, cookie = await sync(_placed)(kitchen2, fired_ago=timedelta(minutes=10))
    sent = int(time.time() * 1000)
    before = timezone.now()
    assert (await _bump(cookie, order, sent + HOUR_MS, sent))["ok"] is True
    after = timezone.now()

    _, ready_at = await sync(_bumped_at)(order)
    assert before <= ready_at <= after


async def test_it_dates_a_tap_at_most_twelve_hours_back(kitchen2: Kitchen2) -> None:
    order, cookie = await sync(_placed)(kitchen2, fired_ago=timedelta(days=3))
    sent = int(time.time() * 1000)
    before = timezone.now()
    assert (await _bump(cookie, order, sent - 48 * HOUR_MS, sent))["ok"] is True
    after = timezone.now()

    _, ready_at = await sync(_bumped_at)(order)
    assert before - timedelta(hours=12) <= ready_at <= after - timedelta(hours=12)


async def test_it_never_dates_a_bump_before_the_line_was_fired(kitchen2: Kitchen2) -> None:
    order, cookie = await sync(_placed)(kitchen2, fired_ago=timedelta(minutes=1))
    sent = int(time.time() * 1000)
    assert (await _bump(cookie, order, sent - 10 * 60_000, sent))["ok"] is True

    placement = await sync(LineStation.objects.get)(line__order=order, station=kitchen2.a)
    assert placement.ready_at == placement.fired_at
    assert placement.ticket_seconds == 0


def test_it_dates_a_tap_sent_over_http_with_its_times_as_text(kitchen2: Kitchen2) -> None:
    order, cookie = _placed(kitchen2, fired_ago=timedelta(minutes=10))
    client = Client()
    client.cookies["kds_screen"] = cookie
    sent = int(time.time() * 1000)
    before = timezone.now()
    response = client.post(
        "/screen/action/",
        {
            "action": "ticket_bump",
            "order": order.pk,
            "id": str(uuid.uuid4()),
            "made_at": str(sent - 120_000),
            "sent_at": str(sent),
        },
    )
    after = timezone.now()

    assert response.status_code == 200, response.content
    _, ready_at = _bumped_at(order)
    assert before - timedelta(seconds=120) <= ready_at <= after - timedelta(seconds=120)
