"""A chain of two demo stores, A and B, each with the whole demo kitchen, an order, a
printer and its slip, an outgoing webhook; and a manager and a runner of A only.

Everything of B that has a name carries the mark ⒷⒷ, so a test can say "B never shows"
by looking for it in what A's people are shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Value
from django.db.models.functions import Concat

from orders.models import (
    MenuCategory,
    MenuItem,
    Order,
    OrderSource,
    Printer,
    PrintJob,
    PrintKind,
    Restaurant,
    RoutingRule,
    Screen,
    Station,
    StationKind,
    WebhookEndpoint,
)
from orders.ops.demo import chain_stores, demo_load
from tests import factories
from tests.hotpot import bump_all

MARK = "ⒷⒷ"  # never in a token or an id


@dataclass
class Chain:
    a: Restaurant
    b: Restaurant
    order_a: Order
    order_b: Order
    manager_a: User
    runner_a: User


def _store(n: int, mark: str) -> tuple[Restaurant, Order]:
    result = demo_load(store=chain_stores(2)[n])
    restaurant = result.restaurant
    if mark:
        Restaurant.objects.filter(pk=restaurant.pk).update(name=f"{mark} {restaurant.name}")
        for model in (Station, MenuCategory, MenuItem, OrderSource, RoutingRule, Screen):
            model._default_manager.filter(restaurant=restaurant).update(
                name=Concat(Value(f"{mark} "), "name")
            )
        restaurant.refresh_from_db()
    assert result.new_secret
    body = factories.order_body(
        f"order-{restaurant.slug}",
        number=f"{50 + n}",
        table=f"{mark}T" if mark else "A1",
        items=[{"id": "l-1", "sku": "KP-CHK", "name": "Kung Pao", "quantity": 1}],
    )
    response = factories.post_webhook(result.source.slug, result.new_secret, body)
    assert response.status_code in (200, 201, 202), response.content
    order = Order.objects.get(restaurant=restaurant)
    kitchen = Station.objects.filter(restaurant=restaurant, is_fallback=True).get()
    printer = Printer.objects.create(
        restaurant=restaurant,
        station=kitchen,
        name=f"{mark} Pass printer".strip(),
        host="192.0.2.9",
        is_active=False,
    )
    PrintJob.objects.create(
        printer=printer, order=order, kind=PrintKind.TICKET, reason="sample", payload={}
    )
    WebhookEndpoint.objects.create(
        restaurant=restaurant, name=f"{mark} Ops".strip(), url="https://ops.example/kds"
    )
    cooks = Station.objects.filter(placements__line__order=order, kind=StationKind.PREP)
    for station in cooks.distinct():
        bump_all(order, station)  # ready: front of house could serve it
    return restaurant, order


def make_chain() -> Chain:
    a, order_a = _store(0, "")
    b, order_b = _store(1, MARK)
    manager = factories.staff_user(
        factories.KITCHEN_MANAGER, username="manager-a", staff=True, restaurants=[a]
    )
    runner = factories.staff_user(factories.FRONT_OF_HOUSE, username="runner-a", restaurants=[a])
    return Chain(a, b, order_a, order_b, manager, runner)
