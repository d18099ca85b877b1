"""The one way an action locks what it changes: the order row first.

Every action on an order takes this lock before touching its lines and
placements, so two screens acting on one order serialise instead of
interleaving (and, with one lock order, cannot deadlock).
"""

from __future__ import annotations

from ..models import Order
from .errors import ActionRefused


def order_lock(order_id: int) -> Order:
    """The order, locked for the rest of the transaction. Refused when it does not exist."""
    order = Order.objects.select_for_update().filter(pk=order_id).first()
    if order is None:
        raise ActionRefused("no such order")
    return order
