"""Plain functions that build test data and signed webhook requests."""

from __future__ import annotations

import importlib
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.apps import apps
from django.contrib.auth.models import Group, Permission, User

from orders.models import Membership, OrderSource, Restaurant, SourceSecret, Station, StationKind
from orders.ops import signing
from orders.permissions import FRONT_OF_HOUSE as FRONT_OF_HOUSE
from orders.permissions import KITCHEN_MANAGER as KITCHEN_MANAGER

# The contract's examples, copied into the repository so a clone tests on its own;
# tests/intake/test_it_keeps_the_spec_copy_in_step.py compares them with ../shared.
EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "spec" / "examples"


@dataclass
class Kitchen:
    restaurant: Restaurant
    fallback: Station
    expo: Station
    source: OrderSource
    secret: str


def make_kitchen(slug: str = "demo") -> Kitchen:
    restaurant = Restaurant.objects.create(name=f"Restaurant {slug}", slug=slug)
    fallback = Station.objects.create(
        restaurant=restaurant, name="Kitchen", slug="kitchen", is_fallback=True, position=1
    )
    expo = Station.objects.create(
        restaurant=restaurant, name="Expo", slug="expo", kind=StationKind.EXPO, position=9
    )
    source = OrderSource.objects.create(restaurant=restaurant, name="POS", slug=f"pos-{slug}")
    secret = SourceSecret.objects.create(source=source).secret
    return Kitchen(restaurant, fallback, expo, source, secret)


# The data migrations that make the staff groups and give them their permissions, with
# the function each runs: a transactional test's flush removes what they wrote.
STAFF_MIGRATIONS = (
    ("0002_groups", "create_groups"),
    ("0004_printers_screen_health", "manager_permissions"),
    ("0005_staff_permissions", "grant"),
    ("0010_outbox_permissions", "manager_permissions"),
)


def staff_groups() -> None:
    """The staff groups with their permissions, as the data migrations make them."""
    for module, function in STAFF_MIGRATIONS:
        getattr(importlib.import_module(f"orders.migrations.{module}"), function)(apps, None)


def staff_user(
    group: str | None,
    *,
    username: str,
    staff: bool = False,
    password: str | None = None,
    restaurants: Iterable[Restaurant] | None = None,
) -> User:
    """A user in one of the staff groups (or none), as a manager makes them in the admin.

    With `restaurants`, a member of those only; without, of every restaurant (a chain
    administrator), as every user was before memberships: the tests of one restaurant
    need not say which. tests/security/test_restaurant_scoping.py tests the members.
    """
    user = User.objects.create_user(username=username, password=password, is_staff=staff)
    if group:
        staff_groups()
        user.groups.add(Group.objects.get(name=group))
    if restaurants is None:
        every_restaurant(user)
    else:
        for restaurant in restaurants:
            Membership.objects.create(user=user, restaurant=restaurant)
    return user


def every_restaurant(user: User) -> User:
    """Makes the user a chain administrator: they see every restaurant."""
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="orders", codename="manage_every_restaurant")
    )
    return user


def now_rfc3339(offset_seconds: float = 0) -> str:
    return datetime.fromtimestamp(time.time() + offset_seconds, UTC).isoformat()


def order_body(
    order_id: str = "o-1",
    *,
    kind: str = "order.created",
    items: list[dict[str, Any]] | None = None,
    timestamp: str | None = None,
    **data: Any,
) -> dict[str, Any]:
    if items is None:
        items = [{"id": "l-1", "name": "Mapo tofu", "quantity": 1}]
    payload: dict[str, Any] = {"id": order_id}
    if kind != "order.cancelled":
        payload.update(
            {
                "number": data.pop("number", "42"),
                "channel": data.pop("channel", "dine_in"),
                "items": items,
            }
        )
    payload.update(data)
    return {"type": kind, "timestamp": timestamp or now_rfc3339(), "data": payload}


def example(name: str) -> dict[str, Any]:
    return json.loads((EXAMPLES / name).read_text())


def signed_headers(
    secret: str, body: bytes, *, msg_id: str | None = None, timestamp: int | None = None
) -> dict[str, str]:
    """What a POS sends (`orders.ops.signing`, the reference signer)."""
    return signing.signed_headers(secret=secret, body=body, msg_id=msg_id, timestamp=timestamp)


def post_webhook(source_slug: str, secret: str, body: dict[str, Any] | str | bytes) -> Any:
    """Posts `body`, signed with `secret`, to the source's webhook through Django's test
    client; returns the response (the caller asserts on it)."""
    from django.test import Client

    raw = encode(body)
    return Client().post(
        f"/webhooks/{source_slug}/",
        data=raw,
        content_type="application/json",
        headers=signed_headers(secret, raw),
    )


def encode(body: dict[str, Any] | str | bytes) -> bytes:
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode()
    return json.dumps(body, ensure_ascii=False).encode()


def new_secret() -> str:
    from orders.models import new_webhook_secret

    return new_webhook_secret()


def pickup_code(restaurant: Restaurant) -> str:
    """The code of the restaurant's pick-up link (what its board keeps in its cookie)."""
    restaurant.refresh_from_db(fields=["pickup_token"])
    return str(restaurant.pickup_token or "")


def pickup_cookie(restaurant: Restaurant) -> str:
    """The Cookie header of a pick-up board that opened the restaurant's link."""
    return f"kds_pickup={pickup_code(restaurant)}"


def pickup_client(restaurant: Restaurant) -> Any:
    """A test client holding the pick-up board's cookie, as a board that opened its link."""
    from django.test import Client

    client = Client()
    client.cookies["kds_pickup"] = pickup_code(restaurant)
    return client
