"""What state a line and an order are in: held, cooking, ready, served.

Where "served" lives: a line's placement on an expo station is expo's own ticket
for it. It is live while the dish is in the kitchen or waiting at the pass, and
`ready` once expo or a server has handed it over.

An order is ready when every fired (not held), active line has all its prep
placements ready and at least one of those lines has not been served yet.
"""

from __future__ import annotations

from ..models import LineStation, LineStatus, Order, StationKind, TicketState


def order_is_ready(order: Order) -> bool:
    """Every fired, active line is ready at all its prep stations, and one is not served yet."""
    prep = LineStation.objects.filter(
        line__order=order, line__status=LineStatus.ACTIVE, station__kind=StationKind.PREP
    )
    if prep.exclude(state__in=[TicketState.READY, TicketState.HELD]).exists():
        return False
    fired_ready_lines = set(
        prep.filter(state=TicketState.READY).values_list("line_id", flat=True)
    ) - set(prep.filter(state=TicketState.HELD).values_list("line_id", flat=True))
    if not fired_ready_lines:
        return False
    return bool(fired_ready_lines - served_line_ids(order))


def served_line_ids(order: Order) -> set[int]:
    """Active lines with an expo placement, all of whose expo placements are handed over."""
    expo = LineStation.objects.filter(
        line__order=order, line__status=LineStatus.ACTIVE, station__kind=StationKind.EXPO
    )
    with_expo = set(expo.values_list("line_id", flat=True))
    open_ = set(expo.exclude(state=TicketState.READY).values_list("line_id", flat=True))
    return with_expo - open_
