"""Every admin page a kitchen manager uses loads, on the demo restaurant."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from orders.models import (
    MenuCategory,
    MenuItem,
    OrderSource,
    Restaurant,
    RoutingRule,
    Screen,
    Station,
)

MODELS = [Station, Screen, MenuCategory, MenuItem, RoutingRule, OrderSource]


@pytest.fixture
def demo(db: None) -> None:
    call_command("kds_demo", stdout=open("/dev/null", "w"))


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_it_loads_list_add_change_and_history_pages(
    demo: None, manager_client: Client, model: type[Model]
) -> None:
    name = model._meta.model_name
    obj = model._default_manager.first()
    assert obj is not None
    urls = [
        reverse(f"admin:orders_{name}_changelist"),
        reverse(f"admin:orders_{name}_add"),
        reverse(f"admin:orders_{name}_change", args=[obj.pk]),
        reverse(f"admin:orders_{name}_history", args=[obj.pk]),
    ]
    for url in urls:
        response = manager_client.get(url)
        assert response.status_code == 200, url


def test_it_searches_and_filters_the_menu(demo: None, manager_client: Client) -> None:
    url = reverse("admin:orders_menuitem_changelist")
    response = manager_client.get(url, {"q": "宫保"})
    assert response.status_code == 200
    assert "KP-CHK" in response.text
    assert "HP-BEEF" not in response.text
    response = manager_client.get(url, {"is_active__exact": "0"})
    assert "WOK-CRAYFISH" in response.text
    assert "KP-CHK" not in response.text


def test_it_shows_the_index_with_the_kitchen_models(demo: None, manager_client: Client) -> None:
    response = manager_client.get(reverse("admin:index"))
    assert response.status_code == 200
    for model in MODELS:
        assert reverse(f"admin:orders_{model._meta.model_name}_changelist") in response.text


def test_it_lets_managers_read_orders_but_not_change_restaurants(
    demo: None, manager_client: Client
) -> None:
    assert manager_client.get(reverse("admin:orders_order_changelist")).status_code == 200
    restaurant = Restaurant.objects.get()
    url = reverse("admin:orders_restaurant_change", args=[restaurant.pk])
    response = manager_client.post(url, {"name": "Renamed", "slug": "demo"})
    assert response.status_code == 403


def test_it_loads_the_tool_pages(demo: None, manager_client: Client) -> None:
    screen = Screen.objects.first()
    assert screen is not None
    for url in [
        reverse("admin:orders_routingrule_preview"),
        reverse("admin:orders_menuitem_import"),
        reverse("admin:orders_menuitem_export"),
        reverse("admin:orders_screen_pair", args=[screen.pk]),
        reverse("admin:orders_screen_revoke", args=[screen.pk]),
        reverse("admin:orders_order_changelist"),
        reverse("admin:orders_webhookmessage_changelist"),
    ]:
        assert manager_client.get(url).status_code == 200, url


@pytest.mark.usefixtures("dated_examples")
def test_it_shows_an_order_read_only(demo: None, manager_client: Client) -> None:
    from orders.models import Order, SourceSecret
    from tests import factories

    source = OrderSource.objects.get(slug="pos")
    secret = SourceSecret.objects.filter(source=source).first()
    assert secret is not None
    response = factories.post_webhook(
        "pos", secret.secret, factories.example("01-dine-in-hotpot.json")
    )
    assert response.status_code == 201, response.content
    order = Order.objects.get()
    page = manager_client.get(reverse("admin:orders_order_change", args=[order.pk]))
    assert page.status_code == 200
    assert "Sliced Beef" in page.text
    assert 'name="_save"' not in page.text
