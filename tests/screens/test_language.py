"""A screen speaks its restaurant's language: English or Chinese."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from orders.models import MenuItem, Restaurant
from tests.factories import order_body
from tests.screens.conftest import Kitchen2, pair, post_order

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_it_renders_the_screen_in_the_restaurants_language(
    kitchen2: Kitchen2, language: str
) -> None:
    Restaurant.objects.filter(pk=kitchen2.k.restaurant.pk).update(language=language)
    _, cookie = pair(kitchen2.a)
    client = Client()
    client.cookies["kds_screen"] = cookie

    html = client.get("/screen/").content.decode()

    assert f'<html lang="{language}"' in html
    strings = re.search(r'<script id="kds-strings" type="application/json">(.*?)</script>', html)
    assert strings is not None
    assert set(json.loads(strings.group(1))) >= {"onTime", "warning", "late", "offline"}


def test_it_shows_the_menus_chinese_dish_names_on_a_chinese_screen(kitchen2: Kitchen2) -> None:
    Restaurant.objects.filter(pk=kitchen2.k.restaurant.pk).update(language="zh-hans")
    MenuItem.objects.create(
        restaurant=kitchen2.k.restaurant, sku="TOFU", name="Mapo tofu", name_zh="麻婆豆腐"
    )
    post_order(
        kitchen2, order_body("o-1", items=[{"id": "l-1", "name": "Mapo tofu", "quantity": 1}])
    )
    _, cookie = pair(kitchen2.a)
    client = Client()
    client.cookies["kds_screen"] = cookie

    html = client.get("/screen/").content.decode()

    assert '<span class="name" lang="zh-hans">麻婆豆腐</span>' in html
    assert "Mapo tofu" in html  # the POS's name beneath
