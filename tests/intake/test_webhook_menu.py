"""Dishes are matched against the menu; unknown ones are kept and flagged, never dropped."""

from __future__ import annotations

from orders.models import Line, MenuItem, Station
from tests import factories
from tests.intake.conftest import Post


def test_it_keeps_an_unknown_dish_on_the_fallback_station(
    post: Post, kitchen: factories.Kitchen
) -> None:
    response = post(
        factories.order_body(items=[{"id": "1", "sku": "GONE", "name": "Mystery", "quantity": 1}])
    )
    assert response.status_code == 201
    line = Line.objects.get()
    assert line.unmapped and line.menu_item is None
    assert {p.station for p in line.placements.all()} == {kitchen.fallback, kitchen.expo}


def test_it_matches_by_sku_and_by_name_in_either_language(
    post: Post, kitchen: factories.Kitchen
) -> None:
    beef = MenuItem.objects.create(
        restaurant=kitchen.restaurant,
        sku="HP-BEEF",
        name="Sliced Beef",
        name_zh="肥牛",
        default_course=2,
    )
    response = post(
        factories.order_body(
            items=[
                {"id": "1", "sku": "HP-BEEF", "name": "whatever the POS prints", "quantity": 1},
                {"id": "2", "name": "sliced beef", "quantity": 1},
                {"id": "3", "name": "肥牛", "quantity": 2},
                {"id": "4", "name": "冻豆腐", "quantity": 1},
            ]
        )
    )
    assert response.status_code == 201
    lines = {line.external_id: line for line in Line.objects.all()}
    assert [lines[i].menu_item for i in "123"] == [beef, beef, beef]
    assert all(lines[i].course == 2 for i in "123")
    assert lines["4"].unmapped and lines["4"].name == "冻豆腐"


def test_it_keeps_dish_names_in_chinese_exactly(post: Post) -> None:
    name = "麻辣锅底（微辣）🌶"
    post(
        factories.order_body(
            number="取42",
            items=[
                {
                    "id": "1",
                    "name": name,
                    "quantity": 1,
                    "modifiers": ["不要香菜"],
                    "notes": "花生过敏",
                }
            ],
        )
    )
    line = Line.objects.get()
    assert (line.name, line.modifiers, line.notes, line.order.number) == (
        name,
        ["不要香菜"],
        "花生过敏",
        "取42",
    )


def test_it_does_not_match_another_restaurants_menu(post: Post, kitchen: factories.Kitchen) -> None:
    other = factories.make_kitchen("other")
    MenuItem.objects.create(restaurant=other.restaurant, sku="HP-BEEF", name="Sliced Beef")
    post(factories.order_body(items=[{"id": "1", "sku": "HP-BEEF", "name": "Beef", "quantity": 1}]))
    line = Line.objects.get()
    assert line.unmapped
    assert not line.placements.filter(
        station__in=Station.objects.filter(restaurant=other.restaurant)
    ).exists()
