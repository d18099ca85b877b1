"""Where an order's lines are: which stations show them."""

from __future__ import annotations

from ..models import LineStation, StationKind


def order_station_ids(order_id: int, *, kind: StationKind | None = None) -> set[int]:
    """The stations with a placement of the order (of one kind, when given)."""
    rows = LineStation.objects.filter(line__order_id=order_id)
    if kind is not None:
        rows = rows.filter(station__kind=kind)
    return set(rows.values_list("station_id", flat=True))
