"""A local Deliverect API: the OAuth token and the KDS order status, over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tests.fake_http import FakeHTTP, Received, serving

CLIENT_ID, CLIENT_SECRET, TOKEN = "kds-client", "kds-secret", "tok-1"


def answer(request: Received) -> tuple[int, Any]:
    if request.path == "/oauth/token":
        body = request.json()
        if body.get("grant_type") != "client_credentials" or (
            body.get("client_id"),
            body.get("client_secret"),
        ) != (CLIENT_ID, CLIENT_SECRET):
            return 401, {"error": "access_denied"}
        return 200, {"access_token": TOKEN, "expires_at": 4102444800, "token_type": "Bearer"}
    if request.headers.get("authorization") != f"Bearer {TOKEN}":
        return 401, {"error": "unauthorized"}
    return 200, {}


@contextmanager
def fake_deliverect() -> Iterator[FakeHTTP]:
    fake = FakeHTTP(answer)
    with serving(fake):
        yield fake


def status_posts(fake: FakeHTTP) -> list[Received]:
    return [r for r in fake.requests if r.path.startswith("/kds/orderStatus/")]
