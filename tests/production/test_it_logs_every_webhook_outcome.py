"""Every webhook answer is logged on "kds.webhook" with source, webhook id, status and order."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client

from kds.logformat import JsonFormatter
from orders.models import Order
from tests import factories


def post(
    client: Client,
    slug: str,
    raw: bytes,
    headers: dict[str, str],
    content_type: str = "application/json",
) -> int:
    response = client.post(
        f"/webhooks/{slug}/", data=raw, content_type=content_type, headers=headers
    )
    return int(response.status_code)


def test_it_logs_each_outcome_with_its_fields(
    client: Client,
    kitchen: factories.Kitchen,
    in_memory_layer: None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    slug, secret = kitchen.source.slug, kitchen.secret
    good = factories.encode(factories.order_body("o-1"))
    bad = factories.encode(factories.order_body("o-2", items=[]))

    plain_headers = factories.signed_headers(secret, good)
    del plain_headers["content-type"]

    with caplog.at_level(logging.INFO, logger="kds.webhook"):
        answers = [
            post(client, slug, good, factories.signed_headers(secret, good, msg_id="msg_1")),
            post(client, slug, good, factories.signed_headers(secret, good, msg_id="msg_1")),
            post(client, slug, good, factories.signed_headers("whsec_" + "A" * 32, good)),
            post(client, slug, bad, factories.signed_headers(secret, bad, msg_id="msg_3")),
            post(client, "nope", good, factories.signed_headers(secret, good, msg_id="msg_4")),
            post(client, slug, good, plain_headers, "text/plain"),
        ]

    records = [r for r in caplog.records if r.name == "kds.webhook"]
    assert answers == [201, 200, 401, 400, 404, 415]
    assert [r.status for r in records] == answers  # type: ignore[attr-defined]
    order = Order.objects.get()
    created = json.loads(JsonFormatter().format(records[0]))
    assert created["source"] == slug
    assert created["webhook_id"] == "msg_1"
    assert created["status"] == 201
    assert created["order_id"] == order.pk
    assert created["order_external_id"] == "o-1"
    assert created["duplicate"] is False
    assert json.loads(JsonFormatter().format(records[1]))["duplicate"] is True
    assert json.loads(JsonFormatter().format(records[4]))["source"] == "nope"
