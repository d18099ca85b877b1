"""Expo says each dish with the measure word the menu gives it (红糖糍粑两份, not 两碗), and
follows a manager's change to it at once."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from orders.models import Measure, MenuCategory, MenuItem, Order, Station
from tests import factories
from tests.admin.forms import admin_form_data
from tests.hotpot import bump_all, pair

pytestmark = pytest.mark.django_db(transaction=True)

ITEMS = [
    {"id": "a", "sku": "CIBA", "name": "Brown Sugar Rice Cakes", "quantity": 2},
    {"id": "b", "sku": "RICE", "name": "Steamed Rice", "quantity": 2},
    {"id": "c", "sku": "BEER", "name": "Tsingtao Beer", "quantity": 1},
]


@pytest.fixture
def kitchen(socket_layer: object) -> factories.Kitchen:
    k = factories.make_kitchen()
    k.restaurant.language = "zh-hans"
    k.restaurant.save()
    r = k.restaurant
    staples = MenuCategory.objects.create(restaurant=r, name="Staples", name_zh="主食")
    drinks = MenuCategory.objects.create(restaurant=r, name="Drinks", measure=Measure.CUP)
    make = MenuItem.objects.create
    make(
        restaurant=r,
        sku="CIBA",
        name="Brown Sugar Rice Cakes",
        name_zh="红糖糍粑",
        category=staples,
    )
    make(
        restaurant=r,
        sku="RICE",
        name="Steamed Rice",
        name_zh="米饭",
        category=staples,
        measure=Measure.BOWL,
    )
    make(
        restaurant=r,
        sku="BEER",
        name="Tsingtao Beer",
        name_zh="青岛啤酒",
        category=drinks,
        measure=Measure.BOTTLE,
    )
    return k


def expo_says(client: Client) -> str:
    page = client.get("/screen/").content.decode()
    found = re.search(r'class="xticket[^"]*"[^>]*data-say="([^"]*)"', page) or re.search(
        r'data-ready-key="o[^"]*" data-say="([^"]*)"', page
    )
    assert found, page
    return found.group(1)


def ready_order(kitchen: factories.Kitchen) -> Client:
    body = factories.order_body("o-1", number="42", items=ITEMS)
    assert factories.post_webhook(kitchen.source.slug, kitchen.secret, body).status_code == 201
    _screen, cookie = pair(kitchen.expo, "Pass")
    bump_all(Order.objects.get(external_id="o-1"), kitchen.fallback)
    client = Client()
    client.cookies["kds_screen"] = cookie
    return client


def test_expo_says_each_dish_with_its_menu_measure_word(kitchen: factories.Kitchen) -> None:
    device = ready_order(kitchen)

    said = expo_says(device)

    assert "红糖糍粑两份" in said
    assert "米饭两碗" in said
    assert "青岛啤酒一瓶" in said


def test_a_changed_measure_word_is_said_at_once(kitchen: factories.Kitchen) -> None:
    device = ready_order(kitchen)
    manager_client = Client()
    manager_client.force_login(
        factories.staff_user(factories.KITCHEN_MANAGER, username="boss", staff=True)
    )
    seq = Station.objects.get(pk=kitchen.expo.pk).seq
    ciba = MenuItem.objects.get(sku="CIBA")
    url = reverse("admin:orders_menuitem_change", args=[ciba.pk])

    saved = manager_client.post(url, admin_form_data(manager_client, url, measure=Measure.PLATE))

    assert saved.status_code == 302
    assert Station.objects.get(pk=kitchen.expo.pk).seq > seq  # open expo screens redraw
    assert "红糖糍粑两盘" in expo_says(device)
