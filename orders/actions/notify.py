"""The kitchen's events for the outside world, queued by the actions that cause them.

Each function runs inside the caller's transaction and writes outbox rows
(`orders.outbox.events`), so an event exists exactly when its change committed. The
scheduler delivers them (docs/sources.md, "Outgoing webhooks").
"""

from __future__ import annotations

from datetime import datetime

from ..models import Order, OrderStatus
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
