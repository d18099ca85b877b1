from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from orders.intake.ingest import order_ingest
from orders.intake.schema import parse_message
from orders.models import LineStation, MenuItem, Order, RoutingRule, Station, StationKind
from tests import factories

T0 = datetime(2026, 11, 21, 11, 0, tzinfo=UTC)


@dataclass
class HotPot:
    k: factories.Kitchen
    soup: Station
    cold: Station


@pytest.fixture
def hotpot(kitchen: factories.Kitchen) -> HotPot:
    """Soup bases (15 min) and beef (4 min) on the soup station; cucumber (2 min) on cold."""
    soup = Station.objects.create(
        restaurant=kitchen.restaurant, name="Soup", slug="soup", position=2
    )
    cold = Station.objects.create(
        restaurant=kitchen.restaurant, name="Cold", slug="cold", position=3
    )
    for sku, name, minutes, course, station in [
        ("BASE", "Mala broth", 15, 1, soup),
        ("BEEF", "Sliced beef", 4, 2, soup),
        ("TOFU", "Frozen tofu", 3, 2, soup),
        ("CUKE", "Smashed cucumber", 2, 1, cold),
    ]:
        item = MenuItem.objects.create(
            restaurant=kitchen.restaurant,
            sku=sku,
            name=name,
            prep_minutes=minutes,
            default_course=course,
        )
        rule = RoutingRule.objects.create(
            restaurant=kitchen.restaurant, menu_item=item, position=len(sku)
        )
        rule.stations.add(station)
    return HotPot(kitchen, soup, cold)


Ingest = Callable[..., Order]


@pytest.fixture
def ingest(kitchen: factories.Kitchen) -> Ingest:
    """Stores an order through order_ingest at a controlled time."""

    def run(skus: list[str], *, now: datetime = T0, order_id: str = "o-1", **data: Any) -> Order:
        items = [
            {"id": str(i), "sku": sku, "name": sku.title(), "quantity": 1}
            for i, sku in enumerate(skus)
        ]
        body = factories.order_body(
            order_id, items=items, timestamp=now.isoformat(), placed_at=now.isoformat(), **data
        )
        message = parse_message(json.dumps(body).encode())
        return order_ingest(
            source=kitchen.source, webhook_id=uuid.uuid4().hex, message=message, now=now
        ).order

    return run


def state(order: Order, sku: str, station: Station) -> tuple[str, datetime | None, datetime | None]:
    p = LineStation.objects.get(line__order=order, line__sku=sku, station=station)
    return p.state, p.hold_until, p.fired_at


def expo_states(order: Order) -> set[str]:
    return set(
        LineStation.objects.filter(line__order=order, station__kind=StationKind.EXPO).values_list(
            "state", flat=True
        )
    )


MIN = timedelta(minutes=1)
