"""Every error row of the contract's answer table: a clear JSON error, nothing stored."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from orders.models import Order, OrderEvent, WebhookMessage
from tests import factories
from tests.intake.conftest import Post


@pytest.fixture(autouse=True)
def nothing_stored(transactional_db: None) -> Iterator[None]:
    yield
    assert Order.objects.count() == 0
    assert WebhookMessage.objects.count() == 0
    assert OrderEvent.objects.count() == 0


def test_it_refuses_an_unknown_source(post: Post) -> None:
    response = post(factories.order_body(), slug="no-such-source")
    assert (response.status_code, response.json()) == (404, {"error": "unknown_source"})


def test_it_refuses_a_disabled_source(post: Post, kitchen: factories.Kitchen) -> None:
    kitchen.source.is_active = False
    kitchen.source.save()
    response = post(factories.order_body())
    assert (response.status_code, response.json()) == (404, {"error": "unknown_source"})


def test_it_refuses_a_body_over_256_kib(post: Post) -> None:
    body = factories.order_body(notes="x")
    raw = factories.encode(body)[:-1] + b" " * (256 * 1024) + b"}"
    response = post(raw)
    assert (response.status_code, response.json()) == (413, {"error": "payload_too_large"})


def test_it_accepts_a_body_of_exactly_256_kib(post: Post) -> None:
    raw = factories.encode(factories.order_body())
    raw = raw[:-1] + b" " * (256 * 1024 - len(raw)) + b"}"
    assert len(raw) == 256 * 1024
    response = post(raw)
    assert response.status_code == 201
    Order.objects.all().delete()
    WebhookMessage.objects.all().delete()
    OrderEvent.objects.all().delete()


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", ""])
def test_it_refuses_other_media_types(post: Post, content_type: str) -> None:
    response = post(factories.order_body(), headers={"content-type": content_type})
    assert (response.status_code, response.json()) == (415, {"error": "unsupported_media_type"})


def test_it_accepts_json_with_a_charset(post: Post) -> None:
    response = post(
        factories.order_body(), headers={"content-type": "application/json; charset=utf-8"}
    )
    assert response.status_code == 201
    Order.objects.all().delete()
    WebhookMessage.objects.all().delete()
    OrderEvent.objects.all().delete()


SIGNATURE_CASES: dict[str, dict[str, Any]] = {
    "no signature": {"headers": {"webhook-signature": None}},
    "no id": {"headers": {"webhook-id": None}},
    "no timestamp": {"headers": {"webhook-timestamp": None}},
    "wrong secret": {"secret": factories.new_secret()},
    "signature of another body": {"headers": {"webhook-signature": "v1,AAAA"}},
    "not base64": {"headers": {"webhook-signature": "v1,@@@not-base64@@@"}},
    "no comma": {"headers": {"webhook-signature": "v1"}},
    "only another version": {"headers": {"webhook-signature": "v2,abc="}},
    "empty v1": {"headers": {"webhook-signature": "v1,"}},
    "timestamp not a number": {"headers": {"webhook-timestamp": "yesterday"}},
    "timestamp with fraction": {"headers": {"webhook-timestamp": f"{int(time.time())}.5"}},
    "negative timestamp": {"headers": {"webhook-timestamp": "-1"}},
    "huge timestamp": {"headers": {"webhook-timestamp": "9" * 40}},
    "six minutes old": {"offset": -360},
    "six minutes ahead": {"offset": 360},
    "id too long": {"headers": {"webhook-id": "x" * 300}},
}


@pytest.mark.parametrize("case", SIGNATURE_CASES, ids=list(SIGNATURE_CASES))
def test_it_refuses_bad_signatures(post: Post, case: str) -> None:
    kwargs = dict(SIGNATURE_CASES[case])
    if "offset" in kwargs:
        kwargs["timestamp"] = int(time.time()) + kwargs.pop("offset")
    response = post(factories.order_body(), **kwargs)
    assert (response.status_code, response.json()) == (401, {"error": "invalid_signature"})


def test_it_refuses_a_valid_signature_for_other_headers(
    post: Post, kitchen: factories.Kitchen
) -> None:
    raw = factories.encode(factories.order_body())
    signed = factories.signed_headers(kitchen.secret, raw, msg_id="msg_a")
    response = post(raw, headers={**signed, "webhook-id": "msg_b"})
    assert response.status_code == 401


def test_it_refuses_malformed_json(post: Post) -> None:
    response = post(b'{"type": "order.created", "data": ')
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_payload"
    assert body["detail"][0]["loc"] == "body"
    assert "malformed JSON" in body["detail"][0]["msg"]


@pytest.mark.parametrize(
    "raw",
    [b"[]", b'"order"', b"null", b'{"type": "order.created", "timestamp": NaN}', b"\xff\xfe{}"],
    ids=["array", "string", "null", "nan", "not utf-8"],
)
def test_it_refuses_bodies_that_are_not_a_json_object(post: Post, raw: bytes) -> None:
    response = post(raw)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_payload"


def test_it_reports_every_violation_with_its_location(post: Post) -> None:
    body = {
        "type": "order.created",
        "timestamp": "yesterday",
        "data": {
            "id": "",
            "number": "12345678901234567",
            "channel": "teleport",
            "guests": 0,
            "priority": "urgent",
            "placed_at": "2026-11-21T11:58:00",
            "items": [
                {"id": "1", "name": "Beef", "quantity": 0},
                {"id": "1", "name": "", "quantity": "2", "modifiers": ["x" * 121], "course": 10},
                {"name": "Tofu", "quantity": 1000, "seat": 0},
            ],
        },
    }
    response = post(body)

    assert response.status_code == 400
    detail = response.json()["detail"]
    locs = {d["loc"] for d in detail}
    assert {
        "timestamp",
        "data.id",
        "data.number",
        "data.channel",
        "data.guests",
        "data.priority",
        "data.placed_at",
        "data.items.0.quantity",
        "data.items.1.id",
        "data.items.1.name",
        "data.items.1.quantity",
        "data.items.1.modifiers.0",
        "data.items.1.course",
        "data.items.2.id",
        "data.items.2.quantity",
        "data.items.2.seat",
    } <= locs
    assert all(d["msg"] for d in detail)


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        ({"type": "order.deleted"}, "type"),
        ({"timestamp": 1763697483}, "timestamp"),
        ({"data": []}, "data"),
        ({"data": {"id": "x", "number": "1", "channel": "dine_in", "items": []}}, "data.items"),
        ({"data": {"id": "x", "number": "1", "channel": "dine_in"}}, "data.items"),
        (
            {
                "data": {
                    "id": "x",
                    "channel": "dine_in",
                    "items": [{"id": "1", "name": "a", "quantity": 1}],
                }
            },
            "data.number",
        ),
        (
            {
                "data": {
                    "id": "x",
                    "number": "1",
                    "channel": "dine_in",
                    "items": [{"id": str(i), "name": "a", "quantity": 1} for i in range(201)],
                }
            },
            "data.items",
        ),
        (
            {
                "data": {
                    "id": "x",
                    "number": "1",
                    "channel": "dine_in",
                    "items": [{"id": "1", "name": "a", "quantity": 1, "modifiers": ["m"] * 31}],
                }
            },
            "data.items.0.modifiers",
        ),
        (
            {
                "data": {
                    "id": "x",
                    "number": "1",
                    "channel": "dine_in",
                    "items": [{"id": "1", "name": "a", "quantity": 1.0}],
                }
            },
            "data.items.0.quantity",
        ),
        (
            {
                "data": {
                    "id": "x",
                    "number": "1",
                    "channel": "dine_in",
                    "items": [{"id": "1", "name": "a", "quantity": True}],
                }
            },
            "data.items.0.quantity",
        ),
        (
            {
                "data": {
                    "id": "x" * 65,
                    "number": "1",
                    "channel": "dine_in",
                    "items": [{"id": "1", "name": "a", "quantity": 1}],
                }
            },
            "data.id",
        ),
        (
            {
                "data": {
                    "id": 7,
                    "number": "1",
                    "channel": "dine_in",
                    "items": [{"id": "1", "name": "a", "quantity": 1}],
                }
            },
            "data.id",
        ),
        (
            {
                "data": {
                    "id": "x",
                    "number": "1",
                    "channel": "dine_in",
                    "notes": "n" * 501,
                    "items": [{"id": "1", "name": "a", "quantity": 1}],
                }
            },
            "data.notes",
        ),
        ({"type": "order.cancelled", "data": {}}, "data.id"),
    ],
)
def test_it_refuses_each_schema_violation(post: Post, change: dict[str, Any], loc: str) -> None:
    body = {**factories.order_body(), **change}
    response = post(body)
    assert response.status_code == 400, response.text
    assert loc in {d["loc"] for d in response.json()["detail"]}


def test_it_never_changes_an_existing_order_on_bad_input(
    post: Post, kitchen: factories.Kitchen
) -> None:
    assert post(factories.order_body("o-1", number="7")).status_code == 201
    before = list(Order.objects.values())

    bad = factories.order_body(
        "o-1", kind="order.updated", number="8", items=[{"id": "l-1", "name": "x", "quantity": -1}]
    )
    assert post(bad).status_code == 400
    assert list(Order.objects.values()) == before
    Order.objects.all().delete()
    WebhookMessage.objects.all().delete()
    OrderEvent.objects.all().delete()


def test_it_refuses_get(webhook: Any, kitchen: factories.Kitchen) -> None:
    response = httpx.get(webhook(kitchen.source.slug))
    assert response.status_code == 405
