"""Retries and duplicates change nothing; racing duplicates produce one order."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from orders.models import Line, LineStation, Order, OrderEvent, WebhookMessage
from tests import factories
from tests.intake.conftest import Post


def test_it_answers_a_retry_as_a_duplicate_and_changes_nothing(post: Post) -> None:
    body = factories.order_body("o-1")
    first = post(body, msg_id="msg_1")
    counts = (Order.objects.count(), Line.objects.count(), OrderEvent.objects.count())

    again = post(body, msg_id="msg_1")

    assert first.status_code == 201
    assert again.status_code == 200
    order = Order.objects.get()
    assert again.json() == {
        "order": str(order.pk),
        "status": "updated",
        "duplicate": True,
        "stale": False,
    }
    assert (Order.objects.count(), Line.objects.count(), OrderEvent.objects.count()) == counts
    assert WebhookMessage.objects.count() == 1


def test_it_treats_a_duplicate_id_with_another_body_as_a_duplicate(post: Post) -> None:
    post(factories.order_body("o-1", number="1"), msg_id="msg_1")
    again = post(factories.order_body("o-1", kind="order.updated", number="2"), msg_id="msg_1")
    assert again.json()["duplicate"] is True
    assert Order.objects.get().number == "1"


def test_it_scopes_message_ids_to_their_source(post: Post, kitchen: factories.Kitchen) -> None:
    other = factories.make_kitchen("other")
    assert post(factories.order_body("o-1"), msg_id="msg_1").status_code == 201
    response = post(
        factories.order_body("o-1"), msg_id="msg_1", slug=other.source.slug, secret=other.secret
    )
    assert response.status_code == 201
    assert Order.objects.count() == 2


def test_it_handles_a_created_for_an_existing_order_as_an_update(post: Post) -> None:
    post(factories.order_body("o-1", number="1"))
    response = post(factories.order_body("o-1", number="2"))
    assert response.status_code == 200
    assert response.json()["status"] == "updated"
    assert Order.objects.get().number == "2"


def _race(url: str, requests: list[tuple[bytes, dict[str, str]]]) -> list[httpx.Response]:
    barrier = threading.Barrier(len(requests))

    def send(request: tuple[bytes, dict[str, str]]) -> httpx.Response:
        raw, headers = request
        with httpx.Client(timeout=60) as client:
            barrier.wait()
            return client.post(url, content=raw, headers=headers)

    with ThreadPoolExecutor(len(requests)) as pool:
        return list(pool.map(send, requests))


def test_it_stores_one_order_for_identical_messages_at_the_same_instant(
    webhook: Any, kitchen: factories.Kitchen
) -> None:
    raw = factories.encode(
        factories.order_body(
            "o-race", items=[{"id": str(i), "name": f"Dish {i}", "quantity": 1} for i in range(20)]
        )
    )
    headers = factories.signed_headers(kitchen.secret, raw, msg_id="msg_race")

    responses = _race(webhook(kitchen.source.slug), [(raw, headers)] * 8)

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * 7 + [201], [r.text for r in responses]
    assert sum(r.json().get("duplicate", False) for r in responses) == 7
    assert Order.objects.count() == 1
    assert Line.objects.count() == 20
    assert LineStation.objects.count() == 40
    assert WebhookMessage.objects.count() == 1
    assert len({r.json()["order"] for r in responses}) == 1


def test_it_stores_one_order_for_different_messages_about_a_new_order_at_once(
    webhook: Any, kitchen: factories.Kitchen
) -> None:
    requests = []
    for i in range(6):
        raw = factories.encode(factories.order_body("o-race", number="9"))
        requests.append((raw, factories.signed_headers(kitchen.secret, raw, msg_id=f"msg_{i}")))

    responses = _race(webhook(kitchen.source.slug), requests)

    assert sorted(r.status_code for r in responses) == [200] * 5 + [201], [
        r.text for r in responses
    ]
    assert Order.objects.count() == 1
    assert Line.objects.count() == 1
    assert WebhookMessage.objects.count() == 6
