"""`kds_demo --restaurants N`: a chain of N stores, each with the demo kitchen; run again,
it changes nothing; a bad N is refused before anything is made."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from orders.models import MenuItem, OrderSource, Restaurant, RoutingRule, Station
from orders.ops.demo import MENU, RULES, STATIONS


def run(*args: str) -> str:
    out = StringIO()
    call_command("kds_demo", *args, stdout=out)
    return out.getvalue()


def test_it_makes_a_chain_of_stores_each_with_the_demo_kitchen(db: None) -> None:
    out = run("--restaurants", "9")
    restaurants = list(Restaurant.objects.order_by("pk"))
    assert len(restaurants) == 9
    assert len({r.name for r in restaurants}) == 9  # each store has its own name
    assert restaurants[0].slug == "demo" and restaurants[8].slug == "demo-9"
    for restaurant in restaurants:
        assert MenuItem.objects.filter(restaurant=restaurant).count() == len(MENU)
        assert Station.objects.filter(restaurant=restaurant).count() == len(STATIONS)
        assert RoutingRule.objects.filter(restaurant=restaurant).count() == len(RULES)
        assert Station.objects.filter(restaurant=restaurant, is_fallback=True).count() == 1
    assert OrderSource.objects.values("slug").distinct().count() == 9
    assert "demo-9" in out and "/chain/" in out
    again = run("--restaurants", "9")
    assert Restaurant.objects.count() == 9 and MenuItem.objects.count() == 9 * len(MENU)
    assert "already loaded" in again


@pytest.mark.parametrize("n", ["0", "-1", "1001", str(2**63)])
def test_it_refuses_a_bad_number_of_restaurants(db: None, n: str) -> None:
    with pytest.raises(CommandError, match="--restaurants must be between 1 and 1000"):
        run("--restaurants", n)
    assert not Restaurant.objects.exists()


def test_it_refuses_what_is_not_a_number(db: None) -> None:
    with pytest.raises(CommandError, match="invalid int value"):
        run("--restaurants", "nan")
