"""routing.RoutingTable.route, table-driven: which stations each line goes to."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from orders.kitchen.routing import LineFacts, RoutingTable
from orders.models import (
    Channel,
    MenuCategory,
    MenuItem,
    OrderSource,
    Restaurant,
    RoutingRule,
    Station,
    StationKind,
)


@dataclass
class World:
    restaurant: Restaurant
    stations: dict[str, Station]
    items: dict[str, MenuItem]
    sources: dict[str, OrderSource]


def build() -> World:
    r = Restaurant.objects.create(name="R", slug="r")

    def station(slug: str, position: int, **kw: object) -> Station:
        return Station.objects.create(restaurant=r, name=slug, slug=slug, position=position, **kw)

    stations = {
        "kitchen": station("kitchen", 1, is_fallback=True),
        "grill": station("grill", 2),
        "fry": station("fry", 3),
        "cold": station("cold", 4),
        "pack": station("pack", 5),
        "expo": station("expo", 8, kind=StationKind.EXPO),
        "expo2": station("expo2", 9, kind=StationKind.EXPO),
    }
    burgers = MenuCategory.objects.create(restaurant=r, name="Burgers")
    salads = MenuCategory.objects.create(restaurant=r, name="Salads")
    sides = MenuCategory.objects.create(restaurant=r, name="Sides")

    def item(sku: str, category: MenuCategory | None, **kw: object) -> MenuItem:
        return MenuItem.objects.create(restaurant=r, sku=sku, name=sku, category=category, **kw)

    items = {
        "burger": item("BURGER", burgers),
        "veggie": item("VEGGIE", burgers),
        "salad": item("SALAD", salads),
        "fries": item("FRIES", sides),
        "soup": item("SOUP", None),
        "old": item("OLD", salads, is_active=False),
        "special": item("SPECIAL", sides),
    }
    sources = {
        "pos": OrderSource.objects.create(restaurant=r, name="POS", slug="pos"),
        "app": OrderSource.objects.create(restaurant=r, name="App", slug="app"),
    }

    def rule(position: int, to: list[str], **conditions: object) -> RoutingRule:
        rule = RoutingRule.objects.create(restaurant=r, position=position, **conditions)
        rule.stations.set([stations[s] for s in to])
        return rule

    # Overlapping on purpose: the veggie rule comes before the burger category rule.
    rule(10, ["cold"], menu_item=items["veggie"], channel=Channel.DELIVERY)
    rule(20, ["grill", "fry"], category=burgers)  # a burger to grill and fry
    rule(30, ["pack"], channel=Channel.DELIVERY, category=salads)
    rule(40, ["cold"], category=salads)
    rule(50, ["fry"], menu_item=items["fries"])
    rule(60, ["pack"], source=sources["app"], category=sides)
    # Never wins: inactive.
    rule(5, ["pack"], menu_item=items["fries"], is_active=False)
    # Never wins: no prep station (an expo station is not a prep station).
    rule(6, ["expo"], menu_item=items["special"])
    return World(r, stations, items, sources)


EXPO = ["expo", "expo2"]

CASES = [
    # (case, item, channel, source, expected prep stations)
    ("category rule", "burger", "dine_in", "pos", ["grill", "fry"]),
    ("multi-station item, takeout", "burger", "takeout", "pos", ["grill", "fry"]),
    ("item+channel rule wins over the category", "veggie", "delivery", "pos", ["cold"]),
    ("item+channel rule does not match dine-in", "veggie", "dine_in", "pos", ["grill", "fry"]),
    ("channel+category rule", "salad", "delivery", "pos", ["pack"]),
    ("category rule after a channel rule", "salad", "dine_in", "pos", ["cold"]),
    ("item rule", "fries", "dine_in", "app", ["fry"]),
    ("an inactive rule is skipped", "fries", "takeout", "pos", ["fry"]),
    ("source rule", "special", "dine_in", "app", ["pack"]),
    ("a rule with only expo stations is skipped", "special", "dine_in", "pos", ["kitchen"]),
    ("no rule matches: fallback", "soup", "dine_in", "pos", ["kitchen"]),
    ("inactive dish: fallback", "old", "dine_in", "pos", ["kitchen"]),
    ("inactive dish, even where a rule matches: fallback", "old", "delivery", "pos", ["kitchen"]),
    ("unmapped line: fallback", None, "dine_in", "pos", ["kitchen"]),
    ("unmapped line, delivery: fallback", None, "delivery", "app", ["kitchen"]),
]


@pytest.mark.parametrize(
    ("item", "channel", "source", "expected"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_it_routes(
    db: None, item: str | None, channel: str, source: str, expected: list[str]
) -> None:
    world = build()
    table = RoutingTable.load(world.restaurant.pk)
    facts = LineFacts(
        menu_item=world.items[item] if item else None,
        channel=channel,
        source_id=world.sources[source].pk,
    )
    assert [s.slug for s in table.route(facts)] == expected + EXPO


def test_it_sends_only_to_expo_without_a_fallback(db: None) -> None:
    world = build()
    Station.objects.filter(is_fallback=True).update(is_fallback=False)
    table = RoutingTable.load(world.restaurant.pk)
    facts = LineFacts(menu_item=None, channel="dine_in", source_id=None)
    assert [s.slug for s in table.route(facts)] == EXPO


def test_it_ignores_another_restaurants_rules(db: None) -> None:
    world = build()
    other = Restaurant.objects.create(name="Other", slug="other")
    grill = Station.objects.create(restaurant=other, name="G", slug="g", is_fallback=True)
    rule = RoutingRule.objects.create(restaurant=other, position=0)
    rule.stations.set([grill])
    table = RoutingTable.load(world.restaurant.pk)
    facts = LineFacts(menu_item=world.items["soup"], channel="dine_in", source_id=None)
    assert [s.slug for s in table.route(facts)] == ["kitchen", *EXPO]


def test_it_breaks_position_ties_by_creation(db: None) -> None:
    world = build()
    first = RoutingRule.objects.create(restaurant=world.restaurant, position=1)
    first.stations.set([world.stations["cold"]])
    second = RoutingRule.objects.create(restaurant=world.restaurant, position=1)
    second.stations.set([world.stations["pack"]])
    table = RoutingTable.load(world.restaurant.pk)
    facts = LineFacts(menu_item=world.items["burger"], channel="dine_in", source_id=None)
    assert [s.slug for s in table.prep_stations(facts)] == ["cold"]
