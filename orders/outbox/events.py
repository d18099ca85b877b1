"""Writing the kitchen's events into the outbox, inside the transaction of the change.

Only orders/actions and orders/intake call `outbox_emit` (they are the writers): the
rows commit or roll back with the change they report. Each event gets one webhook-id
(`msg_…`), the same for every endpoint and every retry, so receivers dedupe on it.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.utils import timezone

from ..models import (
    MenuItem,
    Order,
    OrderSource,
    OutboxKind,
    OutboxMessage,
    SourceKind,
    Station,
    WebhookEndpoint,
)

ORDER_READY = "order.ready"
ORDER_HANDED_OVER = "order.handed_over"
ORDER_SERVED = "order.served"
ORDER_CANCEL_ACKNOWLEDGED = "order.cancel_acknowledged"
MENU_ITEM_UNAVAILABLE = "menu_item.unavailable"
MENU_ITEM_AVAILABLE = "menu_item.available"
STATION_OFFLINE = "station.offline"
EVENT_TYPES = (
    ORDER_READY,
    ORDER_HANDED_OVER,
    ORDER_SERVED,
    ORDER_CANCEL_ACKNOWLEDGED,
    MENU_ITEM_UNAVAILABLE,
    MENU_ITEM_AVAILABLE,
    STATION_OFFLINE,
)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def order_data(order: Order, **extra: Any) -> dict[str, Any]:
    source = OrderSource.objects.only("slug").get(pk=order.source_id)
    return {
        "id": str(order.pk),
        "source": source.slug,
        "external_id": order.external_id,
        "number": order.display_number,
        "channel": order.channel,
        "table": order.table,
        "customer_name": order.customer_name,
        "status": order.status,
        "placed_at": _iso(order.placed_at),
        "ready_at": _iso(order.ready_at),
        "served_at": _iso(order.served_at),
        "cancelled_at": _iso(order.cancelled_at),
        **extra,
    }


def menu_item_data(item: MenuItem, *, by: str) -> dict[str, Any]:
    return {
        "id": str(item.pk),
        "sku": item.sku,
        "name": item.name,
        "name_zh": item.name_zh,
        "available": item.is_available,
        "unavailable_since": _iso(item.unavailable_since),
        "by": by,
    }


def station_data(
    station: Station, *, last_seen_at: datetime | None, minutes: int
) -> dict[str, Any]:
    return {
        "id": str(station.pk),
        "slug": station.slug,
        "name": station.name,
        "last_seen_at": _iso(last_seen_at),
        "offline_minutes": minutes,
    }


def outbox_emit(
    *,
    restaurant_id: int,
    event_type: str,
    data: dict[str, Any],
    order: Order | None = None,
    now: datetime | None = None,
) -> str:
    """Queues one event for every active endpoint that wants it, plus the status
    write-back the order's source documents (Square, Deliverect). Returns the webhook-id.
    Must run inside the transaction that made the change."""
    now = now or timezone.now()
    msg_id = f"msg_{uuid.uuid4().hex}"
    payload = {"type": event_type, "timestamp": now.isoformat(), "data": data}
    rows = [
        OutboxMessage(
            restaurant_id=restaurant_id,
            kind=OutboxKind.WEBHOOK,
            endpoint=endpoint,
            msg_id=msg_id,
            event_type=event_type,
            payload=payload,
            created_at=now,
            next_attempt_at=now,
        )
        for endpoint in WebhookEndpoint.objects.filter(restaurant_id=restaurant_id, is_active=True)
        if endpoint.wants(event_type)
    ]
    if order is not None and event_type == ORDER_READY:
        rows += _write_backs(order, msg_id=msg_id, now=now)
    OutboxMessage.objects.bulk_create(rows)
    return msg_id


def _write_backs(order: Order, *, msg_id: str, now: datetime) -> list[OutboxMessage]:
    """Square: the fulfillment goes to PREPARED; Deliverect: "ready for pickup" (70)."""
    source = OrderSource.objects.only("kind", "restaurant_id").get(pk=order.source_id)
    kinds: dict[str, str] = {
        SourceKind.SQUARE: OutboxKind.SQUARE_FULFILLMENT,
        SourceKind.DELIVERECT: OutboxKind.DELIVERECT_STATUS,
    }
    if source.kind not in kinds:
        return []
    return [
        OutboxMessage(
            restaurant_id=order.restaurant_id,
            kind=kinds[source.kind],
            source=source,
            msg_id=msg_id,
            event_type=ORDER_READY,
            payload={"order_id": order.external_id},
            created_at=now,
            next_attempt_at=now,
        )
    ]
