"""Why an action was not done: the conflict rules of docs/screens.md, in one place.

An action a screen made while it was cut off can reach the server after the kitchen
moved on. The action itself decides (a bump of a voided line does nothing, a recall of
a handed-over ticket is refused, the second of two bumps of one line finds it ready);
this module names the reason, in the same transaction, for the message the screen
shows on the ticket. The first rule that applies wins.
"""

from __future__ import annotations

from enum import StrEnum

from ..models import Line, LineStation, LineStatus, Order, OrderStatus, TicketState
from .readiness import served_line_ids


class Refusal(StrEnum):
    GONE = "gone"  # not (or no longer) on this screen
    CANCELLED = "cancelled"  # the order was cancelled
    VOIDED = "voided"  # the line was voided
    HANDED_OVER = "handed_over"  # the dish or the order already went out
    TOO_LATE = "too_late"  # an undo after its window, or of someone else's serve
    ALREADY = "already"  # nothing left to do: done already, here or on another screen
    MALFORMED = "malformed"  # not an action a screen sends
    NOT_ALLOWED = "not_allowed"  # this screen may not do that


UNDO_ACTIONS = ("unserve", "undo")


def refusal_reason(
    *, action: str, order_id: int | None, line_id: int | None = None, station_id: int | None = None
) -> Refusal:
    """Why `action` on this order (and line, at this station) did nothing."""
    order = Order.objects.filter(pk=order_id).first() if order_id else None
    if order is None:
        return Refusal.GONE
    if order.status == OrderStatus.CANCELLED:
        return Refusal.CANCELLED
    line = Line.objects.filter(pk=line_id, order=order).first() if line_id else None
    if line is not None and line.status != LineStatus.ACTIVE:
        return Refusal.VOIDED
    if action in UNDO_ACTIONS:
        return Refusal.TOO_LATE
    if order.status == OrderStatus.SERVED:
        return Refusal.HANDED_OVER
    served = served_line_ids(order=order)
    if line is not None and line.pk in served:
        return Refusal.HANDED_OVER
    if action == "recall" and station_id is not None:
        bumped = set(
            LineStation.objects.filter(
                line__order=order,
                station_id=station_id,
                state=TicketState.READY,
                line__status=LineStatus.ACTIVE,
            ).values_list("line_id", flat=True)
        )
        if bumped and bumped <= served:
            return Refusal.HANDED_OVER
    return Refusal.ALREADY
