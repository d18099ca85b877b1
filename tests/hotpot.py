"""The hot-pot kitchen: two prep stations (the wok, the cold station) and an expo, orders by
webhook, with the helpers the expo, serving and front-of-house tests share.

The fixtures are brought into a folder's tests by its conftest
(`from tests.hotpot import kitchen, ...`): tests/screens/expo/, tests/actions/ and
tests/front_of_house/.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User

from orders.actions import cooking as services
from orders.models import LineStation, MenuCategory, MenuItem, Order, RoutingRule, Screen, Station
from tests import factories
from tests.conftest import SocketLayer

# The station screens' own fixture: every render cache starts empty.
from tests.screens.conftest import _fresh_board_cache, communicator, pair, post_order

__all__ = ["_fresh_board_cache", "pair", "post_order"]


@dataclass
class Kitchen:
    k: factories.Kitchen
    wok: Station
    cold: Station
    expo: Station

    @property
    def restaurant(self) -> Any:
        return self.k.restaurant


@pytest.fixture
def kitchen(transactional_db: None, socket_layer: SocketLayer) -> Kitchen:
    """The wok (fallback) cooks; the cold station plates sliced beef and frozen tofu."""
    k = factories.make_kitchen()
    cold = Station.objects.create(restaurant=k.restaurant, name="Cold", slug="cold", position=2)
    plates = MenuCategory.objects.create(
        restaurant=k.restaurant, name="Hot pot plates", name_zh="涮菜"
    )
    for sku, name, zh in (("HP-BEEF", "Sliced Beef", "肥牛"), ("HP-TOFU", "Frozen Tofu", "冻豆腐")):
        MenuItem.objects.create(
            restaurant=k.restaurant, sku=sku, name=name, name_zh=zh, category=plates
        )
    rule = RoutingRule.objects.create(restaurant=k.restaurant, category=plates, position=1)
    rule.stations.add(cold)
    return Kitchen(k=k, wok=k.fallback, cold=cold, expo=k.expo)


HOTPOT = [
    {"id": "l-1", "sku": "HP-BEEF", "name": "Sliced Beef", "quantity": 2},
    {"id": "l-2", "sku": "HP-TOFU", "name": "Frozen Tofu", "quantity": 1},
    {"id": "l-3", "name": "Mapo tofu", "quantity": 1},
]


def place(kitchen: Kitchen, external_id: str = "o-1", **data: Any) -> Order:
    data.setdefault("items", HOTPOT)
    post_order(kitchen, factories.order_body(external_id, **data))  # type: ignore[arg-type]
    return Order.objects.get(external_id=external_id, restaurant=kitchen.restaurant)


def screen_of(station: Station, name: str = "Screen") -> Screen:
    screen, _cookie = pair(station, name)
    return screen


def bump_all(order: Order, station: Station, screen: Screen | None = None) -> None:
    screen = screen or screen_of(station, f"{station.slug}-bumper")
    services.ticket_bump(order=order, station=station, screen=screen)


def placement(order: Order, station: Station, line_external_id: str) -> LineStation:
    return LineStation.objects.select_related("line").get(
        line__order=order, station=station, line__external_id=line_external_id
    )


def foh_user(username: str = "runner") -> User:
    return factories.staff_user(
        factories.FRONT_OF_HOUSE, username=username, password="pw-" + username
    )


def expo_communicator(cookie: str) -> Any:
    return communicator(cookie, path="/ws/expo/")


async def expo_connect(cookie: str) -> tuple[Any, dict[str, Any]]:
    comm = expo_communicator(cookie)
    connected, _ = await comm.connect()
    assert connected
    return comm, await comm.receive_json_from(timeout=5)
