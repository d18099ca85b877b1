"""Who may use front of house, which restaurant a page is for, and the pick-up board's link."""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.http import HttpRequest
from django.urls import reverse

from ..models import Restaurant

SERVE_ORDERS = "orders.serve_order"


def can_serve(user: Any) -> bool:
    """Whoever has the permission to serve orders (the staff groups have it, superusers
    have every permission). A permission, not a group name: renaming a group keeps access."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.has_perm(SERVE_ORDERS))


def restaurant_for(request: HttpRequest | None, slug: str = "") -> Restaurant | None:
    """The restaurant named by `?r=<slug>`, or the only (first) one."""
    slug = slug or (request.GET.get("r", "") if request is not None else "")
    rows = Restaurant.objects.order_by("pk")
    return rows.filter(slug=slug).first() if slug else rows.first()


_PICKUP_SALT = "kds.pickup.v1"


def pickup_token(restaurant: Restaurant) -> str:
    """The secret part of a pick-up board's URL. It shows numbers only, never names."""
    return signing.Signer(salt=_PICKUP_SALT).sign(restaurant.slug)


def pickup_path(restaurant: Restaurant) -> str:
    """The pick-up board's path, with its secret token."""
    return reverse("orders:pickup", kwargs={"token": pickup_token(restaurant)})


def restaurant_for_pickup_token(token: str) -> Restaurant | None:
    try:
        slug = signing.Signer(salt=_PICKUP_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return Restaurant.objects.filter(slug=slug).first()


def pickup_socket_path(restaurant: Restaurant) -> str:
    """The pick-up board's socket address."""
    return f"/ws/pickup/{pickup_token(restaurant)}/"


def pickup_cookie_header(restaurant: Restaurant) -> str:
    """The Cookie header a pick-up board's socket sends (none: the token is in its path)."""
    return ""
