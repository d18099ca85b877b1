"""Menu items: saved from the admin, with clear messages for bad thresholds and duplicates."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from orders.models import MenuCategory, MenuItem
from tests import factories


def item_data(kitchen: factories.Kitchen, **changes: Any) -> dict[str, Any]:
    data = {
        "restaurant": str(kitchen.restaurant.pk),
        "sku": "KP-CHK",
        "name": "Kung Pao Chicken",
        "name_zh": "宫保鸡丁",
        "is_active": "on",
        "prep_minutes": "8",
        "default_course": "1",
        "allergens": "peanut",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def errors(response: Any) -> str:
    return str(response.context["adminform"].form.errors)


def test_it_saves_a_dish_in_two_languages(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    cat = MenuCategory.objects.create(restaurant=kitchen.restaurant, name="Wok")
    response = manager_client.post(
        reverse("admin:orders_menuitem_add"), item_data(kitchen, category=str(cat.pk))
    )
    assert response.status_code == 302
    item = MenuItem.objects.get()
    assert (item.name_zh, item.category, item.prep_minutes) == ("宫保鸡丁", cat, 8)


def test_it_refuses_a_warning_after_late(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    response = manager_client.post(
        reverse("admin:orders_menuitem_add"),
        item_data(kitchen, warning_minutes="12", late_minutes="10"),
    )
    assert response.status_code == 200
    assert "The warning must come before late." in errors(response)


def test_it_wants_both_thresholds_or_neither(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    response = manager_client.post(
        reverse("admin:orders_menuitem_add"), item_data(kitchen, warning_minutes="12")
    )
    assert response.status_code == 200
    assert "Set both thresholds" in errors(response)


def test_it_refuses_a_duplicate_sku(kitchen: factories.Kitchen, manager_client: Client) -> None:
    MenuItem.objects.create(restaurant=kitchen.restaurant, sku="KP-CHK", name="Old")
    response = manager_client.post(reverse("admin:orders_menuitem_add"), item_data(kitchen))
    assert response.status_code == 200
    assert MenuItem.objects.count() == 1
    assert "already exists" in errors(response)


def test_it_deactivates_dishes_in_bulk(kitchen: factories.Kitchen, manager_client: Client) -> None:
    items = [
        MenuItem.objects.create(restaurant=kitchen.restaurant, sku=f"S{i}", name=f"D{i}")
        for i in range(3)
    ]
    response = manager_client.post(
        reverse("admin:orders_menuitem_changelist"),
        {"action": "deactivate", "_selected_action": [i.pk for i in items[:2]]},
    )
    assert response.status_code == 302
    assert list(MenuItem.objects.order_by("sku").values_list("is_active", flat=True)) == [
        False,
        False,
        True,
    ]
