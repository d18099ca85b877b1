"""A restaurant's menu and routing table as intake reads them, kept per menu version.

Every order needs the dishes it names and the routing table; read per order they were
four of its queries. Both change only when a manager saves a dish, a rule or a
station, and each of those saves bumps `Restaurant.menu_version` in its transaction
(`orders.actions.settings`), so a copy loaded for a version stays right for as long as
the version is the current one; an order that reads a newer version loads again.
The copies are read-only: a dish or station here is shared by the orders of every
thread of the process.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from ..kitchen.routing import RoutingTable
from ..models import MenuItem, Restaurant
from .schema import ItemIn

MenuLookup = dict[tuple[str, str], MenuItem]


@dataclass(frozen=True)
class Menu:
    version: tuple[object, int]  # (when the restaurant was made, its menu_version)
    routing: RoutingTable
    dishes: MenuLookup  # by ("sku", sku) and ("name", casefolded English or Chinese name)

    def match(self, item: ItemIn) -> MenuItem | None:
        if item.sku:
            return self.dishes.get(("sku", item.sku))
        return self.dishes.get(("name", item.name.casefold()))


# By restaurant id. The version names the restaurant's creation too: a restaurant made
# again under a reused id (SQLite reuses them after a rollback) is not the old one.
_menus: dict[int, Menu] = {}
_lock = threading.Lock()


def _load(restaurant_id: int, version: tuple[object, int]) -> Menu:
    dishes: MenuLookup = {}
    for item in MenuItem.objects.filter(restaurant_id=restaurant_id).select_related("category"):
        if item.sku:
            dishes[("sku", item.sku)] = item
        dishes.setdefault(("name", item.name.casefold()), item)
        if item.name_zh:
            dishes.setdefault(("name", item.name_zh.casefold()), item)
    return Menu(version=version, routing=RoutingTable.load(restaurant_id), dishes=dishes)


def restaurant_menu(*, restaurant: Restaurant) -> Menu:
    """The menu at the restaurant's `menu_version` (as loaded with it: the caller decides how
    fresh that is; the webhook reads it with the order's source)."""
    version = (restaurant.created_at, restaurant.menu_version)
    with _lock:
        menu = _menus.get(restaurant.pk)
    if menu is not None and menu.version == version:
        return menu
    menu = _load(restaurant.pk, version)
    with _lock:
        current = _menus.get(restaurant.pk)
        if current is None or current.version[0] != version[0] or current.version[1] <= version[1]:
            _menus[restaurant.pk] = menu
    return menu


def cache_clear() -> None:
    with _lock:
        _menus.clear()
