"""The spec's example orders route to real stations of the demo restaurant."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.db.models import Q

from orders.kitchen.routing import LineFacts, RoutingTable
from orders.models import MenuItem, OrderSource
from tests.factories import EXAMPLES

EXPECTED = {
    "HP-BASE-MALA": ["soup"],
    "HP-BEEF": ["cold"],
    "HP-TOFU": ["cold"],
    "DRK-PLUM": ["drinks"],
    "KP-CHK": ["wok"],
    "RICE": ["wok"],
    "DUMP-PORK": ["wok"],
    "Mapo Tofu": ["wok"],
    "NOT-ON-MENU-9": ["wok"],  # the fallback
}


def test_it_routes_every_example_line(db: None) -> None:
    call_command("kds_demo", stdout=open("/dev/null", "w"))
    source = OrderSource.objects.get(slug="pos")
    table = RoutingTable.load(source.restaurant_id)
    seen = set()
    for path in sorted(EXAMPLES.glob("*.json")):
        data = json.loads(path.read_text())["data"]
        for item in data.get("items", []):
            key = item.get("sku") or item["name"]
            menu_item = MenuItem.objects.filter(
                Q(sku=item["sku"]) if item.get("sku") else Q(name__iexact=item["name"]),
                restaurant_id=source.restaurant_id,
            ).first()
            if key != "NOT-ON-MENU-9":
                assert menu_item is not None, f"{path.name}: {key} is not on the demo menu"
            facts = LineFacts(menu_item=menu_item, channel=data["channel"], source_id=source.pk)
            slugs = [s.slug for s in table.route(facts)]
            assert slugs == [*EXPECTED[key], "expo"], (path.name, key)
            seen.add(key)
    assert seen == set(EXPECTED)


@pytest.mark.parametrize(
    ("sku", "channel", "expected"),
    [
        ("GRL-FISH", "dine_in", ["wok", "grill"]),
        ("DRK-PLUM", "delivery", ["cold"]),
        ("WOK-CRAYFISH", "dine_in", ["wok"]),
    ],
)
def test_it_routes_the_demos_special_cases(
    db: None, sku: str, channel: str, expected: list[str]
) -> None:
    call_command("kds_demo", stdout=open("/dev/null", "w"))
    item = MenuItem.objects.get(sku=sku)
    table = RoutingTable.load(item.restaurant_id)
    facts = LineFacts(menu_item=item, channel=channel, source_id=None)
    assert [s.slug for s in table.prep_stations(facts)] == expected
