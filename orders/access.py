"""Which restaurants a user may see: those they belong to, or every one for a chain
administrator (a superuser, or the permission `orders.manage_every_restaurant`).

Every page, socket, admin list and form asks these selectors, so that no id typed into
an address reaches another restaurant's objects. Anonymous users belong to none.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Restaurant

EVERY_RESTAURANT = "orders.manage_every_restaurant"
# A user's restaurant ids, kept on the user object for the request it came with.
_CACHE = "_kds_restaurant_ids"


def user_sees_every_restaurant(user: Any) -> bool:
    """A chain administrator: a superuser, or whoever has the permission."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser or user.has_perm(EVERY_RESTAURANT))


def user_restaurant_ids(user: Any) -> frozenset[int] | None:
    """The ids of the user's restaurants, or None for a chain administrator (all)."""
    if user_sees_every_restaurant(user):
        return None
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached: frozenset[int] | None = getattr(user, _CACHE, None)
    if cached is None:
        cached = frozenset(user.memberships.values_list("restaurant_id", flat=True))
        setattr(user, _CACHE, cached)
    return cached


def user_restaurants(user: Any) -> QuerySet[Restaurant]:
    """The restaurants the user may see, by name."""
    ids = user_restaurant_ids(user)
    rows = Restaurant.objects.all()
    return rows if ids is None else rows.filter(pk__in=ids)


def user_may_see_restaurant(user: Any, restaurant_id: int | None) -> bool:
    ids = user_restaurant_ids(user)
    return ids is None or (restaurant_id is not None and restaurant_id in ids)


def scoped(queryset: QuerySet[Any], *, user: Any, lookup: str = "restaurant") -> QuerySet[Any]:
    """The rows of the queryset that belong to the user's restaurants (by `lookup`)."""
    ids = user_restaurant_ids(user)
    if ids is None:
        return queryset
    return queryset.filter(**{f"{lookup}__in": ids})


def user_only_restaurant(user: Any) -> Restaurant | None:
    """The user's restaurant when they may see exactly one."""
    rows = list(user_restaurants(user)[:2])
    return rows[0] if len(rows) == 1 else None
