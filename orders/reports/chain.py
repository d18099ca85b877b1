"""The head office's view of a chain: each restaurant's kitchen now, and its speed of
service over a period, store by store.

Reads only. Every figure is counted for all the given restaurants in one query each
(open tickets, late now, screens, orders in the last hour), so the page costs the same
for 2 stores as for 100; the period figures are each store's `headline`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Q

from ..live.presence import screen_live_q
from ..models import (
    LineStation,
    Order,
    OrderStatus,
    Restaurant,
    Screen,
    StationKind,
    TicketState,
)
from .queries import headline
from .results import Stats
from .scope import report_scope


@dataclass(frozen=True)
class StoreNow:
    """A restaurant's kitchen at this moment."""

    restaurant: Restaurant
    open_tickets: int
    late_tickets: int
    screens: int
    screens_offline: int
    orders_last_hour: int


@dataclass(frozen=True)
class StorePeriod:
    """A restaurant's ticket times (arrival or firing to ready) over a period."""

    restaurant: Restaurant
    first_day: date
    last_day: date
    prep: Stats


def _tickets(restaurant_ids: list[int], now: datetime) -> tuple[dict[int, int], dict[int, int]]:
    """Open tickets (an order's dishes on one station, cooking now) and the late ones,
    per restaurant. A ticket is late once its oldest dish has cooked longer than the
    strictest late threshold of its dishes, else its station's: as its board says."""
    rows = (
        LineStation.objects.filter(
            restaurant_id__in=restaurant_ids,
            state=TicketState.LIVE,
            counts=True,
            station__kind=StationKind.PREP,
            fired_at__isnull=False,
            fired_at__lte=now,
        )
        .exclude(order__status__in=[OrderStatus.SERVED, OrderStatus.CANCELLED])
        .values_list(
            "restaurant_id",
            "order_id",
            "station_id",
            "fired_at",
            "menu_item__late_minutes",
            "station__late_minutes",
        )
    )
    tickets: dict[tuple[int, int, int], tuple[datetime, int]] = {}
    for restaurant_id, order_id, station_id, fired_at, dish_late, station_late in rows:
        assert fired_at is not None  # filtered above
        key = (restaurant_id, order_id, station_id)
        late_minutes = dish_late or station_late
        if key in tickets:
            first, strictest = tickets[key]
            late_minutes = min(late_minutes, strictest) if dish_late else strictest
            tickets[key] = (min(first, fired_at), late_minutes)
        else:
            tickets[key] = (fired_at, late_minutes)
    open_by: dict[int, int] = defaultdict(int)
    late_by: dict[int, int] = defaultdict(int)
    for (restaurant_id, _, _), (fired_at, late_minutes) in tickets.items():
        open_by[restaurant_id] += 1
        if now - fired_at > timedelta(minutes=late_minutes):
            late_by[restaurant_id] += 1
    return open_by, late_by


def chain_now(*, restaurants: list[Restaurant], now: datetime) -> list[StoreNow]:
    """Each restaurant's open tickets, late tickets, screens offline and orders placed
    in the hour before `now`, in the order given."""
    ids = [r.pk for r in restaurants]
    open_by, late_by = _tickets(ids, now)
    paired = Screen.objects.filter(
        restaurant_id__in=ids, paired_at__isnull=False, revoked_at__isnull=True
    )
    screens = {
        row["restaurant_id"]: (row["n"], row["live"])
        for row in paired.values("restaurant_id").annotate(
            n=Count("pk"), live=Count("pk", filter=screen_live_q(now))
        )
    }
    orders = dict(
        Order.objects.filter(
            Q(placed_at__gt=now - timedelta(hours=1)) & Q(placed_at__lte=now),
            restaurant_id__in=ids,
        )
        .values("restaurant_id")
        .annotate(n=Count("pk"))
        .values_list("restaurant_id", "n")
    )
    return [
        StoreNow(
            restaurant=r,
            open_tickets=open_by.get(r.pk, 0),
            late_tickets=late_by.get(r.pk, 0),
            screens=screens.get(r.pk, (0, 0))[0],
            screens_offline=screens.get(r.pk, (0, 0))[0] - screens.get(r.pk, (0, 0))[1],
            orders_last_hour=orders.get(r.pk, 0),
        )
        for r in restaurants
    ]


def chain_period(*, restaurants: list[Restaurant], period: str) -> list[StorePeriod]:
    """Each restaurant's ticket times over `period` of its own calendar (today is each
    store's today, in its time zone)."""
    out = []
    for restaurant in restaurants:
        scope = report_scope(restaurant=restaurant, period=period)
        head = headline(scope=scope)
        out.append(StorePeriod(restaurant, scope.first_day, scope.last_day, head.prep))
    return out
