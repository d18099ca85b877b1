"""The outbound `station.offline` event (orders/outbox): raised when a station has had
no live screen for its backup seconds, once per outage."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from orders.actions.presence import stations_presence_check
from orders.models import OutboxMessage, WebhookEndpoint
from tests import factories
from tests.screens.conftest import connect, pair, sync

pytestmark = pytest.mark.django_db(transaction=True)


def kitchen_offline() -> list[OutboxMessage]:
    rows = OutboxMessage.objects.filter(event_type="station.offline")
    return [m for m in rows if m.payload["data"]["slug"] == "kitchen"]


def setup() -> factories.Kitchen:
    k = factories.make_kitchen()
    k.fallback.print_backup_after_seconds = 20
    k.fallback.save()
    WebhookEndpoint.objects.create(
        restaurant=k.restaurant, name="Ops", url="https://ops.example/hook", events=[]
    )
    return k


async def test_it_raises_station_offline_once_per_outage(in_memory_layer: None) -> None:
    k = await sync(setup)()
    _, cookie = await sync(pair)(k.fallback, "Wall")
    screen, _ = await connect(cookie)
    await screen.disconnect()
    gone = timezone.now()
    await sync(stations_presence_check)()
    await sync(stations_presence_check)(now=gone + timedelta(seconds=10))
    assert not await sync(kitchen_offline)()  # a blip is not an outage

    changes = await sync(stations_presence_check)(now=gone + timedelta(seconds=21))
    assert k.fallback.pk in changes.reported
    await sync(stations_presence_check)(now=gone + timedelta(seconds=200))
    (sent,) = await sync(kitchen_offline)()
    assert sent.payload["type"] == "station.offline"
    assert sent.payload["data"]["name"] == "Kitchen"
    assert sent.payload["data"]["offline_minutes"] == 0

    # Back, then gone again: a second outage, a second event.
    screen, _ = await connect(cookie)
    await sync(stations_presence_check)()
    await screen.disconnect()
    gone = timezone.now()
    await sync(stations_presence_check)()
    await sync(stations_presence_check)(now=gone + timedelta(seconds=25))
    assert len(await sync(kitchen_offline)()) == 2
