"""Order sources of every kind, signed the way each vendor signs, posted over real HTTP.

`vendor` gives a kitchen with a source of the kind under test (parametrised by each
test module's `KIND`), a wok station that cooks the Chinese dishes of the menu, and
`send`, which signs a body as that vendor does and posts it to the live server.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from orders.models import (
    Line,
    LineStation,
    MenuItem,
    Order,
    OrderEvent,
    OrderSource,
    RoutingRule,
    SourceKind,
    SourceSecret,
    Station,
    StationKind,
    WebhookMessage,
)
from tests import factories

SAMPLES = Path(__file__).parent / "samples"


def sample(name: str) -> Any:
    return json.loads((SAMPLES / name).read_text())


def b64_hmac(secret: str, message: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), message, hashlib.sha256).digest()).decode()


def hex_hmac(secret: str, message: bytes) -> str:
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed(kind: str, secret: str, raw: bytes, url: str, **extra: str) -> dict[str, str]:
    """The headers the vendor sends with `raw`, signed with `secret`."""
    headers = {"content-type": "application/json"}
    if kind == SourceKind.SHOPIFY:
        headers |= {
            "X-Shopify-Hmac-Sha256": b64_hmac(secret, raw),
            "X-Shopify-Topic": extra.pop("topic", "orders/create"),
            "X-Shopify-Webhook-Id": extra.pop("delivery", str(uuid.uuid4())),
            "X-Shopify-Shop-Domain": "kds-test.myshopify.com",
        }
    elif kind == SourceKind.WOOCOMMERCE:
        headers |= {
            "X-WC-Webhook-Signature": b64_hmac(secret, raw),
            "X-WC-Webhook-Topic": extra.pop("topic", "order.created"),
            "X-WC-Webhook-Delivery-ID": extra.pop("delivery", uuid.uuid4().hex),
            "X-WC-Webhook-Source": "https://shop.example/",
            "X-WC-Webhook-ID": "7",
        }
    elif kind == SourceKind.SQUARE:
        headers["x-square-hmacsha256-signature"] = b64_hmac(secret, url.encode() + raw)
    elif kind == SourceKind.DELIVERECT:
        headers["x-server-authorization-hmac-sha256"] = hex_hmac(secret, raw)
    headers |= extra
    return headers


Counts = tuple[int, ...]


def counts() -> Counts:
    return tuple(m.objects.count() for m in (Order, Line, LineStation, OrderEvent, WebhookMessage))


@dataclass
class Vendor:
    kind: str
    k: factories.Kitchen
    source: OrderSource
    secret: str
    wok: Station
    url: str
    client: httpx.Client

    def send(
        self,
        body: Any,
        *,
        secret: str | None = None,
        headers: dict[str, str | None] | None = None,
        **extra: str,
    ) -> httpx.Response:
        raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        sent = signed(self.kind, secret or self.secret, raw, self.url, **extra)
        for name, value in (headers or {}).items():
            sent.pop(name, None)
            if value is not None:
                sent[name] = value
        return self.client.post(self.url, content=raw, headers=sent)


def make_vendor(kind: str, live_url: str, client: httpx.Client, secret: str) -> Vendor:
    k = factories.make_kitchen()
    source = OrderSource.objects.create(
        restaurant=k.restaurant, name=kind.title(), slug=f"{kind}-shop", kind=kind
    )
    SourceSecret.objects.create(source=source, secret=secret)
    wok = Station.objects.create(restaurant=k.restaurant, name="Wok", slug="wok", position=2)
    for sku, name, name_zh in (
        ("MAPO", "Mapo tofu", "麻婆豆腐"),
        ("KUNGPAO", "Kung pao chicken", "宫保鸡丁"),
    ):
        dish = MenuItem.objects.create(
            restaurant=k.restaurant, sku=sku, name=name, name_zh=name_zh, allergens="peanut"
        )
        rule = RoutingRule.objects.create(restaurant=k.restaurant, menu_item=dish, position=1)
        rule.stations.add(wok)
    return Vendor(kind, k, source, secret, wok, f"{live_url}{source.webhook_path}", client)


@pytest.fixture
def vendor(
    request: pytest.FixtureRequest, live_server: Any, transactional_db: None, settings: Any
) -> Iterator[Vendor]:
    kind: str = request.module.KIND
    settings.KDS_BASE_URL = live_server.url
    secret = request.module.SECRET if hasattr(request.module, "SECRET") else "shh-" + kind
    with httpx.Client(timeout=30) as client:
        yield make_vendor(kind, live_server.url, client, secret)


def board_html(station: Station) -> str:
    """What a paired screen of `station` shows, fetched over HTTP like a screen loads it."""
    from django.test import Client

    from tests.screens.conftest import pair

    _, cookie = pair(station, name=f"{station.slug} screen {uuid.uuid4().hex[:4]}")
    client = Client()
    client.cookies["kds_screen"] = cookie
    response = client.get("/screen/")
    assert response.status_code == 200
    return response.content.decode()


def bump_everywhere(order: Order) -> None:
    """Each station that cooks part of `order` bumps its ticket, tapped on a paired screen
    (over the HTTP its page falls back to): the order is ready."""
    from django.test import Client

    from tests.screens.conftest import pair

    stations = Station.objects.filter(placements__line__order=order, kind=StationKind.PREP)
    for station in stations.distinct():
        _, cookie = pair(station, name=f"{station.slug} bump {uuid.uuid4().hex[:4]}")
        client = Client()
        client.cookies["kds_screen"] = cookie
        answer = client.post("/screen/action/", {"action": "ticket_bump", "order": order.pk})
        assert answer.json() == {"ok": True}, (station.slug, answer.content)
    order.refresh_from_db()


Sender = Callable[..., httpx.Response]


@pytest.fixture(autouse=True)
def _fresh_board_cache() -> Iterator[None]:
    # Ids repeat between tests on SQLite, so a cached render must not outlive one.
    from orders.boards import render as board_module

    board_module.cache_clear()
    yield
    board_module.cache_clear()
