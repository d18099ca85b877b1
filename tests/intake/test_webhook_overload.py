"""Past what a process can take in at once, a webhook is answered 503 with Retry-After at
once (the sender retries; a retry changes nothing) rather than queued until it is late."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.test import AsyncClient, override_settings

from orders.intake import views
from orders.models import Order
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


async def _post(client: AsyncClient, kitchen: factories.Kitchen, order_id: str) -> Any:
    raw = factories.encode(factories.order_body(order_id))
    headers = factories.signed_headers(kitchen.secret, raw)
    del headers["content-type"]  # given as content_type: AsyncClient would send it twice
    return await client.post(
        f"/webhooks/{kitchen.source.slug}/",
        data=raw,
        content_type="application/json",
        headers=headers,
    )


@override_settings(KDS_WEBHOOK_MAX_IN_FLIGHT=1)
async def test_it_answers_503_past_the_webhooks_in_flight(monkeypatch: pytest.MonkeyPatch) -> None:
    kitchen = await database_sync_to_async(factories.make_kitchen)()
    entered, release = asyncio.Event(), asyncio.Event()
    real = views._in_worker

    async def held(request: Any, source_slug: str) -> Any:
        # The first webhook is being stored (held here, in flight) while the second comes.
        entered.set()
        await release.wait()
        return await real(request, source_slug)

    monkeypatch.setattr(views, "_in_worker", held)
    client = AsyncClient()
    first = asyncio.ensure_future(_post(client, kitchen, "o-1"))
    await asyncio.wait_for(entered.wait(), 10)

    refused = await _post(client, kitchen, "o-2")
    release.set()
    stored = await first

    assert refused.status_code == 503
    assert refused["Retry-After"] == "5"
    assert refused.json() == {"error": "unavailable"}
    assert stored.status_code == 201
    numbers = await database_sync_to_async(
        lambda: sorted(Order.objects.values_list("external_id", flat=True))
    )()
    assert numbers == ["o-1"]
    # Once the first is answered, the next one is taken again.
    assert (await _post(client, kitchen, "o-2")).status_code == 201
