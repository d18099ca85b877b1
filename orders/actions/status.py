"""An order's status follows its lines: open, ready or served, as `orders.kitchen.readiness`
decides. Every action that changes a line's state (a bump, a recall, a serve, an undo, a
send-back) ends with this, in its transaction, so the status has one writer among them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..kitchen.readiness import order_readiness
from ..models import EventKind, Order, OrderEvent, OrderStatus, Screen, Station
from . import notify


def order_status_settle(
    *,
    order: Order,
    now: datetime,
    station: Station | None = None,
    screen: Screen | None = None,
    user: Any = None,
) -> None:
    """Sets `order.status` (and when it became ready or served) from its lines; an order
    that becomes ready gets a `ready` event with whoever made it so."""
    status = order_readiness(order=order)
    if status == OrderStatus.SERVED:
        ready_at, served_at = order.ready_at or now, now
    elif status == OrderStatus.READY:
        ready_at, served_at = order.ready_at or now, None
    else:
        ready_at, served_at = None, None
    if status == OrderStatus.READY and order.status == OrderStatus.OPEN:
        OrderEvent.objects.create(
            order=order, kind=EventKind.READY, at=now, station=station, screen=screen, user=user
        )
    if (order.status, order.ready_at, order.served_at) == (status, ready_at, served_at):
        return
    was = order.status
    order.status, order.ready_at, order.served_at = status, ready_at, served_at
    order.save(update_fields=["status", "ready_at", "served_at"])
    notify.order_status_changed(order, was=was, now=now)  # order.ready / order.served
