"""Who may use front of house, which restaurant a page is for, and the pick-up board's link."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse

from ..access import user_restaurants
from ..models import Restaurant

SERVE_ORDERS = "orders.serve_order"


def can_serve(user: Any) -> bool:
    """Whoever has the permission to serve orders (the staff groups have it, superusers
    have every permission). A permission, not a group name: renaming a group keeps access."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.has_perm(SERVE_ORDERS))


def restaurant_for(
    request: HttpRequest | None, slug: str = "", *, user: Any = None
) -> Restaurant | None:
    """The restaurant named by `?r=<slug>`, or the user's only (first) one; only one of
    the user's restaurants (the request's user, else `user`): another's slug is None."""
    slug = slug or (request.GET.get("r", "") if request is not None else "")
    if user is None and request is not None:
        user = request.user
    rows = user_restaurants(user).order_by("pk")
    return rows.filter(slug=slug).first() if slug else rows.first()


# The pick-up board's link is /pickup/#<code>: the code rides in the #fragment, which
# browsers never send, so no access log, proxy log or Referer holds it (as a pairing
# link's); the board posts it once and then holds it in this cookie.
PICKUP_COOKIE = "kds_pickup"
PICKUP_COOKIE_MAX_AGE = 10 * 365 * 24 * 3600
# secrets.token_urlsafe(32) (orders.models.new_token): 43 URL-safe characters.
_PICKUP_CODE = re.compile(r"[A-Za-z0-9_-]{20,100}")


def pickup_link(
    restaurant: Restaurant, *, base: str = "", lang: str = "", repeat: int | None = None
) -> str:
    """The pick-up board's link, `{base}/pickup/[?lang=…&repeat=…]#<code>`; "" if revoked."""
    if not restaurant.pickup_token:
        return ""
    query = {k: v for k, v in (("lang", lang), ("repeat", repeat)) if v}
    suffix = f"?{urlencode(query)}" if query else ""
    return f"{base}{reverse('orders:pickup')}{suffix}#{restaurant.pickup_token}"


def pickup_path(restaurant: Restaurant) -> str:
    """The pick-up board's link without the host ("" while it is revoked)."""
    return pickup_link(restaurant)


def restaurant_for_pickup_token(token: str | None) -> Restaurant | None:
    """The restaurant whose pick-up link has this code, while it is not rotated or revoked."""
    # Only the shape new_token() makes reaches the database: a cookie or a typed code may
    # hold anything, and PostgreSQL refuses some of it (NUL) with an error, not a miss.
    if not token or not _PICKUP_CODE.fullmatch(token):
        return None
    return Restaurant.objects.filter(pickup_token=token).first()
