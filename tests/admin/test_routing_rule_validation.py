"""Routing rules: saved from the admin, with clear errors and a warning for dead rules."""

from __future__ import annotations

from typing import Any

from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from orders.models import MenuCategory, MenuItem, RoutingRule, Station
from tests import factories


def rule_data(kitchen: factories.Kitchen, **fields: Any) -> dict[str, Any]:
    data = {
        "restaurant": str(kitchen.restaurant.pk),
        "position": "10",
        "name": "Rule",
        "is_active": "on",
        "channel": "",
        "stations": [str(kitchen.fallback.pk)],
    }
    data.update({k: v for k, v in fields.items() if v is not None})
    return data


def test_it_saves_a_rule(kitchen: factories.Kitchen, manager_client: Client) -> None:
    grill = Station.objects.create(restaurant=kitchen.restaurant, name="Grill", slug="grill")
    cat = MenuCategory.objects.create(restaurant=kitchen.restaurant, name="Grill")
    response = manager_client.post(
        reverse("admin:orders_routingrule_add"),
        rule_data(
            kitchen, category=str(cat.pk), stations=[str(grill.pk), str(kitchen.fallback.pk)]
        ),
    )
    assert response.status_code == 302
    rule = RoutingRule.objects.get()
    assert rule.category == cat
    assert set(rule.stations.all()) == {grill, kitchen.fallback}


def test_it_needs_a_station(kitchen: factories.Kitchen, manager_client: Client) -> None:
    response = manager_client.post(
        reverse("admin:orders_routingrule_add"), rule_data(kitchen, stations=[])
    )
    assert response.status_code == 200
    assert "stations" in response.context["adminform"].form.errors
    assert not RoutingRule.objects.exists()


def test_it_refuses_an_expo_station(kitchen: factories.Kitchen, manager_client: Client) -> None:
    response = manager_client.post(
        reverse("admin:orders_routingrule_add"), rule_data(kitchen, stations=[str(kitchen.expo.pk)])
    )
    assert response.status_code == 200
    assert "stations" in response.context["adminform"].form.errors


def test_it_refuses_a_dish_outside_the_rules_category(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    soups = MenuCategory.objects.create(restaurant=kitchen.restaurant, name="Soups")
    grill = MenuCategory.objects.create(restaurant=kitchen.restaurant, name="Grill")
    item = MenuItem.objects.create(
        restaurant=kitchen.restaurant, sku="S", name="Soup", category=soups
    )
    response = manager_client.post(
        reverse("admin:orders_routingrule_add"),
        rule_data(kitchen, menu_item=str(item.pk), category=str(grill.pk)),
    )
    assert response.status_code == 200
    assert "can never match" in str(response.context["adminform"].form.errors["category"])


def test_it_warns_about_a_rule_an_earlier_one_always_beats(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    soups = MenuCategory.objects.create(restaurant=kitchen.restaurant, name="Soups")
    item = MenuItem.objects.create(
        restaurant=kitchen.restaurant, sku="S", name="Soup", category=soups
    )
    earlier = RoutingRule.objects.create(
        restaurant=kitchen.restaurant, position=1, name="All soups", category=soups
    )
    earlier.stations.set([kitchen.fallback])
    response = manager_client.post(
        reverse("admin:orders_routingrule_add"),
        rule_data(kitchen, name="Delivery soup", menu_item=str(item.pk), channel="delivery"),
    )
    assert response.status_code == 302
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("can never match" in m and "All soups" in m for m in messages), messages
    assert RoutingRule.objects.filter(name="Delivery soup").exists()  # a warning, not an error
    listing = manager_client.get(reverse("admin:orders_routingrule_changelist"))
    assert "“Delivery soup” can never match" in listing.text


def test_it_does_not_warn_about_a_specific_rule_first(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    soups = MenuCategory.objects.create(restaurant=kitchen.restaurant, name="Soups")
    earlier = RoutingRule.objects.create(
        restaurant=kitchen.restaurant, position=1, channel="delivery"
    )
    earlier.stations.set([kitchen.fallback])
    response = manager_client.post(
        reverse("admin:orders_routingrule_add"), rule_data(kitchen, category=str(soups.pk))
    )
    assert response.status_code == 302
    assert not any("can never match" in str(m) for m in get_messages(response.wsgi_request))


def test_it_reorders_rules_in_the_list(kitchen: factories.Kitchen, manager_client: Client) -> None:
    rules = []
    for position in (1, 2):
        rule = RoutingRule.objects.create(
            restaurant=kitchen.restaurant, position=position, name=f"R{position}"
        )
        rule.stations.set([kitchen.fallback])
        rules.append(rule)
    data = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "2", "_save": "Save"}
    for i, (rule, position) in enumerate(zip(rules, (20, 10), strict=True)):
        data.update(
            {
                f"form-{i}-id": str(rule.pk),
                f"form-{i}-position": str(position),
                f"form-{i}-is_active": "on",
            }
        )
    response = manager_client.post(reverse("admin:orders_routingrule_changelist"), data)
    assert response.status_code == 302
    assert list(RoutingRule.objects.order_by("position").values_list("name", flat=True)) == [
        "R2",
        "R1",
    ]
