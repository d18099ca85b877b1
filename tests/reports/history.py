"""Builds order histories with known answers, through the models, for the report tests."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from orders import reports
from orders.models import (
    Channel,
    EventKind,
    Line,
    LineStation,
    LineStatus,
    MenuItem,
    Order,
    OrderEvent,
    OrderStatus,
    Restaurant,
    Station,
    TicketState,
)
from tests import factories


@dataclass
class History:
    """A restaurant in `time_zone` with two prep stations (grill, wok) and a small menu."""

    kitchen: factories.Kitchen
    grill: Station
    wok: Station
    steak: MenuItem
    noodles: MenuItem
    salad: MenuItem
    day: date
    counter: int = 0
    orders: list[Order] = field(default_factory=list)

    @property
    def restaurant(self) -> Restaurant:
        return self.kitchen.restaurant

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.restaurant.time_zone)

    def at(self, hhmm: str, *, day: date | None = None) -> datetime:
        """A local time of the history's day (or `day`) in the restaurant's time zone."""
        hour, minute = (int(part) for part in hhmm.split(":"))
        when = day or self.day
        return datetime(when.year, when.month, when.day, hour, minute, tzinfo=self.tz)

    def order(
        self,
        placed_at: datetime,
        *,
        channel: str = Channel.DINE_IN,
        status: str = OrderStatus.OPEN,
        ready_after: float | None = None,
        served_after: float | None = None,
    ) -> Order:
        """An order placed at `placed_at`; ready and served so many minutes after placing."""
        self.counter += 1
        ready_at = placed_at + timedelta(minutes=ready_after) if ready_after is not None else None
        served_at = (
            ready_at + timedelta(minutes=served_after)
            if ready_at is not None and served_after is not None
            else None
        )
        if served_at is not None:
            status = OrderStatus.SERVED
        elif ready_at is not None and status == OrderStatus.OPEN:
            status = OrderStatus.READY
        order = Order.objects.create(
            restaurant=self.restaurant,
            source=self.kitchen.source,
            external_id=f"o-{self.counter}",
            number=str(self.counter),
            channel=channel,
            placed_at=placed_at,
            received_at=placed_at,
            status=status,
            ready_at=ready_at,
            served_at=served_at,
            cancelled_at=placed_at + timedelta(minutes=1)
            if status == OrderStatus.CANCELLED
            else None,
        )
        OrderEvent.objects.create(order=order, kind=EventKind.RECEIVED, at=placed_at)
        if ready_at is not None:
            OrderEvent.objects.create(order=order, kind=EventKind.READY, at=ready_at)
        if served_at is not None:
            OrderEvent.objects.create(order=order, kind=EventKind.SERVED, at=served_at)
        if order.cancelled_at is not None:
            OrderEvent.objects.create(order=order, kind=EventKind.CANCELLED, at=order.cancelled_at)
        self.orders.append(order)
        return order

    def ticket(
        self,
        order: Order,
        *,
        minutes: float | None,
        station: Station | None = None,
        item: MenuItem | None = None,
        quantity: int = 1,
        voided: bool = False,
        fired_after: float = 0,
    ) -> LineStation:
        """A line of `order` at a station, fired `fired_after` minutes after the order was
        placed and bumped `minutes` after firing (None: still cooking)."""
        station = station or self.grill
        item = item or self.steak
        line = Line.objects.create(
            order=order,
            external_id=f"l-{order.lines.count() + 1}",
            menu_item=item,
            sku=item.sku,
            name=item.name,
            quantity=0 if voided else quantity,
            voided_quantity=quantity if voided else 0,
            status=LineStatus.VOIDED if voided else LineStatus.ACTIVE,
        )
        fired_at = order.placed_at + timedelta(minutes=fired_after)
        ready_at = fired_at + timedelta(minutes=minutes) if minutes is not None else None
        placement = LineStation.objects.create(
            line=line,
            station=station,
            state=TicketState.READY if ready_at is not None else TicketState.LIVE,
            fired_at=fired_at,
            ready_at=ready_at,
        )
        if fired_after:
            OrderEvent.objects.create(
                order=order, line=line, station=station, kind=EventKind.FIRED, at=fired_at
            )
        if ready_at is not None:
            OrderEvent.objects.create(
                order=order, line=line, station=station, kind=EventKind.BUMPED, at=ready_at
            )
        if voided:
            OrderEvent.objects.create(
                order=order,
                line=line,
                kind=EventKind.LINE_VOIDED,
                at=fired_at + timedelta(minutes=1),
                data={"quantity": quantity, "remaining": 0},
            )
        return placement

    def scope(self, **kwargs: object) -> reports.ReportScope:
        """The history's day, unless other days are given."""
        defaults: dict[str, object] = {
            "restaurant": self.restaurant,
            "period": reports.Period.CUSTOM,
            "start": self.day,
            "end": self.day,
        }
        defaults.update(kwargs)
        return reports.report_scope(**defaults)  # type: ignore[arg-type]


def make_history(*, time_zone: str = "UTC", day: date = date(2026, 3, 10)) -> History:
    kitchen = factories.make_kitchen()
    restaurant = kitchen.restaurant
    restaurant.time_zone = time_zone
    restaurant.save(update_fields=["time_zone"])
    grill = Station.objects.create(
        restaurant=restaurant,
        name="Grill",
        slug="grill",
        position=2,
        warning_minutes=8,
        late_minutes=12,
    )
    wok = Station.objects.create(
        restaurant=restaurant, name="Wok", slug="wok", position=3, warning_minutes=4, late_minutes=6
    )
    steak = MenuItem.objects.create(
        restaurant=restaurant, sku="STEAK", name="Steak", name_zh="牛排", prep_minutes=10
    )
    noodles = MenuItem.objects.create(
        restaurant=restaurant,
        sku="NOODLE",
        name="Dan dan noodles",
        name_zh="担担面",
        prep_minutes=4,
    )
    # Salad is late after 3 minutes wherever it is made.
    salad = MenuItem.objects.create(
        restaurant=restaurant,
        sku="SALAD",
        name="Salad",
        prep_minutes=2,
        warning_minutes=2,
        late_minutes=3,
    )
    return History(kitchen, grill, wok, steak, noodles, salad, day)
