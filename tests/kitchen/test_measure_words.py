"""A dish's measure word is its own, else its category's, else 份; migration 0015 set them
once from the names the screens used to guess from, Chinese names first."""

from __future__ import annotations

from typing import Any

import pytest

from orders.models import Measure, MenuCategory, MenuItem
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_dish_says_its_own_else_its_categorys_else_a_portion() -> None:
    r = factories.make_kitchen().restaurant
    drinks = MenuCategory.objects.create(restaurant=r, name="Drinks", measure=Measure.CUP)
    sweets = MenuCategory.objects.create(restaurant=r, name="Sweets")
    make = MenuItem.objects.create
    beer = make(restaurant=r, sku="B", name="Beer", category=drinks, measure=Measure.BOTTLE)
    plum = make(restaurant=r, sku="P", name="Sour plum drink", category=drinks)
    ciba = make(
        restaurant=r, sku="C", name="Brown Sugar Rice Cakes", name_zh="红糖糍粑", category=sweets
    )
    loose = make(restaurant=r, sku="L", name="Rice")

    assert [d.spoken_measure for d in (beer, plum, ciba, loose)] == [
        "bottle",
        "cup",
        "portion",
        "portion",
    ]


BEFORE = ("orders", "0014_restaurant_pickup_token")
AFTER = ("orders", "0015_measure_words")


def test_the_migration_fills_them_from_the_names_and_says_which(
    capsys: pytest.CaptureFixture[str], migrate_to: Any
) -> None:
    executor = migrate_to(BEFORE)
    old = executor.loader.project_state([BEFORE]).apps
    restaurant = old.get_model("orders", "Restaurant").objects.create(name="Old", slug="old")
    category = old.get_model("orders", "MenuCategory")
    item = old.get_model("orders", "MenuItem")
    drinks = category.objects.create(restaurant=restaurant, name="Drinks", name_zh="饮品")
    staples = category.objects.create(restaurant=restaurant, name="Dumplings and staples")
    grill = category.objects.create(restaurant=restaurant, name="Grill")
    for sku, name, zh, cat in [
        ("DRK-BEER", "Tsingtao Beer", "青岛啤酒", drinks),
        ("DRK-TEA", "Jasmine Tea", "茉莉花茶", drinks),
        ("RICE", "Steamed Rice", "米饭", staples),
        ("CIBA", "Brown Sugar Rice Cakes", "红糖糍粑", staples),
        ("LAMB", "Cumin Lamb Skewers", "", grill),
    ]:
        item.objects.create(restaurant=restaurant, sku=sku, name=name, name_zh=zh, category=cat)

    migrate_to(AFTER)
    migrate_to(None)  # later migrations leave the words alone; read with today's models

    assert dict(MenuCategory.objects.values_list("name", "measure")) == {
        "Drinks": "cup",
        "Dumplings and staples": "",
        "Grill": "",
    }
    assert {i.sku: i.spoken_measure for i in MenuItem.objects.all()} == {
        "DRK-BEER": "bottle",
        "DRK-TEA": "cup",
        "RICE": "bowl",
        "CIBA": "portion",  # 红糖糍粑 is not 碗
        "LAMB": "skewer",
    }
    said = capsys.readouterr().out
    assert "Drinks: cup" in said and "RICE Steamed Rice: bowl" in said
    assert "CIBA" not in said
