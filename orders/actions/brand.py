"""The brand's menu: one dish list its restaurants share, each able to differ.

A restaurant of a brand has a MenuItem for every BrandDish (the same SKU) that follows
it: saving the brand's dish brings every store's copy in step, through `menu_item_save`,
so intake's menu version moves and the open screens redraw, as for a local change.
A field the store set itself (`MenuItem.own_fields`: a different prep time, "not sold
here") is left alone; a dish of the store's own (no brand dish) is never touched;
routing rules stay per restaurant. Each store's dish keeps its history, with who
changed it and that it came from the brand's menu.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ..models import BrandDish, MenuCategory, MenuItem, Restaurant
from .settings import menu_item_save

# What a brand's dish says for its restaurants, each one a store may set itself.
BRAND_FIELDS = (
    "name",
    "name_zh",
    "category",
    "prep_minutes",
    "default_course",
    "allergens",
    "measure",
    "is_active",
)


def _category(restaurant: Restaurant, dish: BrandDish) -> MenuCategory | None:
    if not dish.category:
        return None
    found = MenuCategory.objects.filter(restaurant=restaurant, name__iexact=dish.category).first()
    if found is not None:
        return found
    last = MenuCategory.objects.filter(restaurant=restaurant).order_by("-position").first()
    return MenuCategory.objects.create(
        restaurant=restaurant,
        name=dish.category,
        name_zh=dish.category_zh,
        position=(last.position + 1) if last else 1,
    )


def brand_dish_apply(*, dish: BrandDish, restaurant: Restaurant, user: Any = None) -> MenuItem:
    """Brings the restaurant's copy of the brand's dish in step (made if missing)."""
    item = MenuItem.objects.filter(restaurant=restaurant, sku=dish.sku).first()
    new = item is None
    if item is None:
        item = MenuItem(restaurant=restaurant, sku=dish.sku)
    own = set(item.own_fields or [])
    changed = []
    if item.brand_dish_id != dish.pk:
        item.brand_dish = dish
        changed.append("brand_dish")
    for name in BRAND_FIELDS:
        if name in own:
            continue
        value: Any = _category(restaurant, dish) if name == "category" else getattr(dish, name)
        if getattr(item, name) != value:
            setattr(item, name, value)
            changed.append(name)
    if changed:
        item._history_user = user  # type: ignore[attr-defined]
        item._change_reason = f"brand menu ({dish.brand})"  # type: ignore[attr-defined]
        menu_item_save(item=item, fields=changed, change=not new)
    return item


def brand_dish_save(*, dish: BrandDish, user: Any = None) -> list[MenuItem]:
    """Saves the brand's dish and every restaurant's copy of it; returns the copies."""
    with transaction.atomic():
        dish.save()
        return [
            brand_dish_apply(dish=dish, restaurant=restaurant, user=user)
            for restaurant in dish.brand.restaurants.order_by("pk")
        ]


def brand_menu_apply(*, restaurant: Restaurant, user: Any = None) -> int:
    """The whole brand menu in the restaurant (when it joins a brand); how many dishes."""
    if restaurant.brand_id is None:
        return 0
    with transaction.atomic():
        dishes = list(BrandDish.objects.filter(brand_id=restaurant.brand_id))
        for dish in dishes:
            brand_dish_apply(dish=dish, restaurant=restaurant, user=user)
    return len(dishes)


def menu_item_own_fields(*, item: MenuItem, fields: list[str]) -> None:
    """The store changed these fields of a brand's dish itself: from now on they are its
    own, and the brand's changes of them pass it by. (Before the save; the caller saves.)"""
    if item.brand_dish_id is None:
        return
    own = sorted(set(item.own_fields or []) | {f for f in fields if f in BRAND_FIELDS})
    if own != sorted(item.own_fields or []):
        item.own_fields = own
        fields.append("own_fields")


def menu_item_follow_brand(*, item: MenuItem, user: Any = None) -> None:
    """The store's dish follows the brand's in every field again."""
    if item.brand_dish is None:
        return
    with transaction.atomic():
        item.own_fields = []
        item._history_user = user  # type: ignore[attr-defined]
        menu_item_save(item=item, fields=["own_fields"], change=True)
        brand_dish_apply(dish=item.brand_dish, restaurant=item.restaurant, user=user)
