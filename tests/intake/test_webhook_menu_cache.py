"""Intake reads a restaurant's menu and routing once per menu version, not per order;
every way a manager changes them (a dish, a rule, its stations, a station) makes the
next order read them again."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orders.actions.settings import menu_item_save
from orders.models import Line, MenuItem, RoutingRule, Station
from tests import factories

MENU_TABLES = ("orders_menuitem", "orders_routingrule")


def _order(kitchen: factories.Kitchen, n: int) -> set[str]:
    """Posts an order of one dish (through the test client, so its queries are seen here);
    returns the tables they read the menu from."""
    body = factories.order_body(
        f"o-{n}", items=[{"id": "1", "sku": "NOODLE", "name": "Noodles", "quantity": 1}]
    )
    with CaptureQueriesContext(connection) as queries:
        response = factories.post_webhook(kitchen.source.slug, kitchen.secret, body)
        assert response.status_code == 201, response.content
    return {t for q in queries.captured_queries for t in MENU_TABLES if f'FROM "{t}' in q["sql"]}


def _stations(n: int) -> set[str]:
    line = Line.objects.get(order__external_id=f"o-{n}")
    return {p.station.slug for p in line.placements.all()}


pytestmark = pytest.mark.django_db


@pytest.fixture
def wok(kitchen: factories.Kitchen) -> Station:
    wok = Station.objects.create(restaurant=kitchen.restaurant, name="Wok", slug="wok")
    MenuItem.objects.create(restaurant=kitchen.restaurant, sku="NOODLE", name="Noodles")
    return wok


def test_it_reads_the_menu_once_for_many_orders(kitchen: factories.Kitchen, wok: Station) -> None:
    assert _order(kitchen, 1)  # the first order of this version reads the menu
    assert _order(kitchen, 2) == set()
    assert _order(kitchen, 3) == set()


def _rule(kitchen: factories.Kitchen, wok: Station, between: Callable[[], object]) -> None:
    between()
    rule = RoutingRule.objects.create(
        restaurant=kitchen.restaurant, menu_item=MenuItem.objects.get(sku="NOODLE")
    )
    rule.stations.add(wok)


def _rule_stations(kitchen: factories.Kitchen, wok: Station, between: Callable[[], object]) -> None:
    rule = RoutingRule.objects.create(
        restaurant=kitchen.restaurant, menu_item=MenuItem.objects.get(sku="NOODLE")
    )
    between()
    rule.stations.add(wok)  # only the m2m changes now


def _dish_saved(kitchen: factories.Kitchen, wok: Station, between: Callable[[], object]) -> None:
    # The dish moves to a category a rule sends to the wok, saved as the admin saves it.
    from orders.models import MenuCategory

    category = MenuCategory.objects.create(restaurant=kitchen.restaurant, name="Noodles")
    RoutingRule.objects.create(restaurant=kitchen.restaurant, category=category).stations.add(wok)
    between()
    item = MenuItem.objects.get(sku="NOODLE")
    item.category = category
    menu_item_save(item=item, fields=["category"], change=True)


def _station_saved(kitchen: factories.Kitchen, wok: Station, between: Callable[[], object]) -> None:
    # The wok becomes the fallback, saved through the model as the admin does.
    kitchen.fallback.is_fallback = False
    kitchen.fallback.save(update_fields=["is_fallback"])
    between()
    wok.is_fallback = True
    wok.save()


def _rule_deleted(kitchen: factories.Kitchen, wok: Station, between: Callable[[], object]) -> None:
    rule = RoutingRule.objects.create(
        restaurant=kitchen.restaurant, menu_item=MenuItem.objects.get(sku="NOODLE")
    )
    rule.stations.add(kitchen.fallback)
    wok.is_fallback, kitchen.fallback.is_fallback = True, False
    kitchen.fallback.save()
    wok.save()
    between()
    rule.delete()


@pytest.mark.parametrize(
    "change", [_rule, _rule_stations, _dish_saved, _station_saved, _rule_deleted]
)
def test_it_reads_the_menu_again_after_every_kind_of_change(
    kitchen: factories.Kitchen, wok: Station, change: Callable[..., None]
) -> None:
    _order(kitchen, 1)
    assert _stations(1) == {kitchen.fallback.slug, kitchen.expo.slug}
    # Half-way through most changes an order caches the menu as it is then, so the
    # last step has to make the next order read it again on its own.
    change(kitchen, wok, lambda: _order(kitchen, 2))

    assert _order(kitchen, 3)  # read again
    assert _stations(3) == {"wok", kitchen.expo.slug}
