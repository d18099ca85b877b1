"""routing.shadowing_rule: a rule an earlier one always beats."""

from __future__ import annotations

import pytest

from orders.kitchen.routing import shadowing_rule
from orders.models import MenuCategory, MenuItem, Restaurant, RoutingRule, Station


@pytest.fixture
def r(db: None) -> Restaurant:
    return Restaurant.objects.create(name="R", slug="r")


def make(r: Restaurant, position: int, **conditions: object) -> RoutingRule:
    station, _ = Station.objects.get_or_create(restaurant=r, slug="s", defaults={"name": "S"})
    rule = RoutingRule.objects.create(restaurant=r, position=position, **conditions)
    rule.stations.set([station])
    return rule


def test_it_finds_a_catch_all_before(r: Restaurant) -> None:
    everything = make(r, 1)
    later = make(r, 2, channel="delivery")
    assert shadowing_rule(later, [everything, later]) == everything
    assert shadowing_rule(everything, [everything, later]) is None


def test_it_finds_a_category_rule_before_an_item_of_that_category(r: Restaurant) -> None:
    cat = MenuCategory.objects.create(restaurant=r, name="C")
    item = MenuItem.objects.create(restaurant=r, sku="A", name="A", category=cat)
    by_category = make(r, 1, category=cat)
    by_item = make(r, 2, menu_item=item, channel="takeout")
    assert shadowing_rule(by_item, [by_category, by_item]) == by_category


def test_it_accepts_a_more_general_rule_after_a_specific_one(r: Restaurant) -> None:
    cat = MenuCategory.objects.create(restaurant=r, name="C")
    item = MenuItem.objects.create(restaurant=r, sku="A", name="A", category=cat)
    by_item = make(r, 1, menu_item=item)
    by_category = make(r, 2, category=cat)
    by_channel = make(r, 3, channel="delivery")
    rules = [by_item, by_category, by_channel]
    assert [shadowing_rule(x, rules) for x in rules] == [None, None, None]


def test_it_ignores_inactive_and_stationless_earlier_rules(r: Restaurant) -> None:
    off = make(r, 1, is_active=False)
    empty = RoutingRule.objects.create(restaurant=r, position=2)
    later = make(r, 3, channel="delivery")
    assert shadowing_rule(later, [off, empty, later]) is None
