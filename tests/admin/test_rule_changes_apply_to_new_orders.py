"""A rule change applies to orders that arrive afterwards; tickets on screens stay put."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from orders.models import LineStation, MenuItem, Order, RoutingRule, Station
from tests import factories
from tests.admin.forms import admin_form_data


def post_order(kitchen: factories.Kitchen, order_id: str) -> Order:
    body = factories.order_body(
        order_id, items=[{"id": "1", "sku": "TOFU", "name": "Mapo tofu", "quantity": 1}]
    )
    response = factories.post_webhook(kitchen.source.slug, kitchen.secret, body)
    assert response.status_code == 201, response.content
    return Order.objects.get(external_id=order_id)


def stations_of(order: Order) -> set[str]:
    return set(
        LineStation.objects.filter(line__order=order).values_list("station__slug", flat=True)
    )


def test_it_routes_new_orders_by_the_new_rule_only(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    tofu = MenuItem.objects.create(restaurant=kitchen.restaurant, sku="TOFU", name="Mapo tofu")
    wok = Station.objects.create(restaurant=kitchen.restaurant, name="Wok", slug="wok")
    rule = RoutingRule.objects.create(restaurant=kitchen.restaurant, position=1, menu_item=tofu)
    rule.stations.set([kitchen.fallback])
    before = post_order(kitchen, "o-1")
    assert stations_of(before) == {"kitchen", "expo"}

    url = reverse("admin:orders_routingrule_change", args=[rule.pk])
    response = manager_client.post(
        url, admin_form_data(manager_client, url, stations=[str(wok.pk)])
    )
    assert response.status_code == 302

    after = post_order(kitchen, "o-2")
    assert stations_of(after) == {"wok", "expo"}
    assert stations_of(before) == {"kitchen", "expo"}
