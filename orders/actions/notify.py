"""The kitchen's events for the outside world, queued by the actions that cause them.

Each function runs inside the caller's transaction and writes outbox rows
(`orders.outbox.events`), so an event exists exactly when its change committed. The
scheduler delivers them (docs/sources.md, "Outgoing webhooks").
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Max

from ..models import Order, OrderStatus, Screen, Station
from ..outbox import events
from ..outbox.events import outbox_emit


def order_event(order: Order, event_type: str, *, now: datetime, **extra: object) -> None:
    outbox_emit(
        restaurant_id=order.restaurant_id,
        event_type=event_type,
        data=events.order_data(order, **extra),
        order=order,
        now=now,
    )


def order_status_changed(order: Order, *, was: str, now: datetime) -> None:
    """`order.ready` when an order became ready, `order.served` when it was served."""
    if order.status == was:
        return
    if order.status == OrderStatus.READY and was == OrderStatus.OPEN:
        order_event(order, events.ORDER_READY, now=now)
    elif order.status == OrderStatus.SERVED:
        order_event(order, events.ORDER_SERVED, now=now)


def stations_offline_report(
    stations: Iterable[Station], *, live: Collection[int], now: datetime
) -> list[int]:
    """`station.offline`, once per outage, for a station with paired screens none of which
    has been live for KDS_STATION_OFFLINE_MINUTES; a live screen ends the outage."""
    after = timedelta(minutes=settings.KDS_STATION_OFFLINE_MINUTES)
    reported: list[int] = []
    for station in stations:
        if station.pk in live or station.screens_offline_since is None:
            if station.offline_reported_at is not None:
                Station.objects.filter(pk=station.pk).update(offline_reported_at=None)
            continue
        if station.offline_reported_at is not None or station.screens_offline_since + after > now:
            continue
        screens = Screen.objects.filter(
            station=station, paired_at__isnull=False, revoked_at__isnull=True
        )
        if not screens.exists():
            continue  # a station nobody set a screen up for is not "offline"
        if not Station.objects.filter(pk=station.pk, offline_reported_at__isnull=True).update(
            offline_reported_at=now
        ):
            continue  # another scheduler reported it
        last_seen = screens.aggregate(seen=Max("last_seen_at"))["seen"]
        minutes = int((now - station.screens_offline_since).total_seconds() // 60)
        outbox_emit(
            restaurant_id=station.restaurant_id,
            event_type=events.STATION_OFFLINE,
            data=events.station_data(station, last_seen_at=last_seen, minutes=minutes),
            now=now,
        )
        reported.append(station.pk)
    return reported
