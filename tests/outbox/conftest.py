"""Outgoing webhooks: a real HTTP receiver that checks each Standard Webhooks signature,
a kitchen with an endpoint, and the station and expo screens that cause the events."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from standardwebhooks.webhooks import Webhook

from orders.models import Screen, Station, WebhookEndpoint
from tests import factories
from tests.fake_http import FakeHTTP, Received, serving
from tests.screens.conftest import pair


@dataclass
class Receiver:
    """Answers 500 while `failing` (or for the next `fail_next`), else 204; keeps every
    delivery it accepted, checked against the endpoint's secret."""

    secret: str = ""
    failing: bool = False
    http: FakeHTTP = field(init=False)
    accepted: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.http = FakeHTTP(self.answer)

    def answer(self, request: Received) -> tuple[int, Any]:
        if self.failing:
            return 503, {"error": "down for a moment"}
        payload = Webhook(self.secret).verify(request.body, request.headers)
        self.accepted.append({"id": request.headers["webhook-id"], **payload})
        return 204, {}

    def types(self) -> list[str]:
        return [event["type"] for event in self.accepted]

    def of(self, event_type: str) -> list[dict[str, Any]]:
        return [event for event in self.accepted if event["type"] == event_type]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    with serving(r.http):
        yield r


@dataclass
class Kitchen:
    k: factories.Kitchen
    endpoint: WebhookEndpoint
    station: Station
    screen: Screen
    cookie: str
    expo_screen: Screen

    def tap(self, action: str, **content: Any) -> Any:
        """A tap on the station screen, over the HTTP its page falls back to."""
        client = Client()
        client.cookies["kds_screen"] = self.cookie
        return client.post("/screen/action/", {"action": action, **content})


@pytest.fixture
def kitchen_out(transactional_db: None, in_memory_layer: None, receiver: Receiver) -> Kitchen:
    k = factories.make_kitchen()
    endpoint = WebhookEndpoint.objects.create(
        restaurant=k.restaurant, name="Ops dashboard", url=f"{receiver.http.url}/hooks/kds"
    )
    receiver.secret = endpoint.secret
    screen, cookie = pair(k.fallback)
    expo_screen, _ = pair(k.expo, name="Expo")
    return Kitchen(k, endpoint, k.fallback, screen, cookie, expo_screen)


def post_order(kitchen: Kitchen, body: dict[str, Any]) -> dict[str, Any]:
    response = factories.post_webhook(kitchen.k.source.slug, kitchen.k.secret, body)
    assert response.status_code in (200, 201), response.content
    return response.json()
