from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from tests import factories

Post = Callable[..., httpx.Response]


@pytest.fixture
def webhook(live_server: Any, transactional_db: None) -> Iterator[Callable[[str], str]]:
    yield lambda slug: f"{live_server.url}/webhooks/{slug}/"


@pytest.fixture
def post(webhook: Callable[[str], str], kitchen: factories.Kitchen) -> Iterator[Post]:
    """Signs and posts a body to the kitchen's source over real HTTP."""
    with httpx.Client(timeout=30) as client:

        def send(
            body: dict[str, Any] | str | bytes,
            *,
            msg_id: str | None = None,
            secret: str | None = None,
            headers: dict[str, str] | None = None,
            slug: str | None = None,
            timestamp: int | None = None,
        ) -> httpx.Response:
            raw = factories.encode(body)
            signed = factories.signed_headers(
                secret or kitchen.secret, raw, msg_id=msg_id, timestamp=timestamp
            )
            signed.update(headers or {})
            signed = {k: v for k, v in signed.items() if v is not None}
            return client.post(webhook(slug or kitchen.source.slug), content=raw, headers=signed)

        yield send
