"""Square: the signature over the notification URL and the body (Square's SDK vector),
the order fetched from a local Orders API that fails twice, event ids and versions."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from orders.intake.fetch import source_fetch_due
from orders.intake.sources import Request, square
from orders.intake.sources.base import Refused
from orders.models import (
    Line,
    Order,
    OrderSource,
    OrderStatus,
    OutboxKind,
    OutboxMessage,
    OutboxState,
    SourceFetch,
    SourceKind,
    WebhookMessage,
    WebhookOutcome,
)
from orders.outbox.deliver import outbox_deliver_due
from tests.sources.conftest import Vendor, board_html, bump_everywhere, counts, sample
from tests.sources.fake_square import TOKEN, FakeSquare, chinese_order, fake_square

KIND = SourceKind.SQUARE
SECRET = "Ibxx_5AKakO-3qeNVR61Dw"  # Square gives it: the subscription's signature key
ORDER_ID = "eA3vssLHKJrv9H0IdJCM3gNqfdcZY"


@pytest.fixture
def sq(vendor: Vendor, settings: Any) -> Iterator[FakeSquare]:
    with fake_square() as fake:
        settings.KDS_SQUARE_API_URL = fake.http.url
        settings.KDS_FETCH_RETRY_SCHEDULE = [2, 10, 30]
        vendor.source.api_secret = TOKEN
        vendor.source.save()
        yield fake


def event(name: str, version: int | None = None, **order: Any) -> dict[str, Any]:
    """Square's published example event, for another version or order if asked."""
    body = copy.deepcopy(sample("square-events.json")[name])
    inner = body["data"]["object"][body["data"]["type"]]
    if version is not None:
        inner["version"] = version
        body["event_id"] = f"{body['event_id'][:-3]}{version:03d}"
    inner.update(order)
    return body


# ---------------------------------------------------------------- the SDK's vector


def _receive(url: str, body: str, signature: str, key: str) -> Any:
    source = OrderSource(kind=SourceKind.SQUARE, slug="sq")
    source.valid_secrets = lambda **_: [key]  # type: ignore[method-assign]
    return square.receive(
        source,
        Request(
            headers={"x-square-hmacsha256-signature": signature},
            body=body.encode(),
            content_type="application/json",
            url=url,
        ),
    )


def test_it_verifies_the_vector_of_squares_sdk() -> None:
    v = sample("square-signature-vector.json")
    inbound = _receive(
        v["notification_url"], v["request_body"], v["signature_header"], v["signature_key"]
    )
    # A test notification: verified, acknowledged, nothing for the kitchen.
    assert inbound.delivery_id == "ac3ac95b-f97d-458c-a6e6-18981597e05f"
    assert inbound.message is None and not inbound.fetch_order_id

    e = v["escaped"]
    with pytest.raises(Refused) as refused:
        _receive(
            e["notification_url"], e["request_body"], e["signature_header"], e["signature_key"]
        )
    # Its signature is accepted; the body is not an event, so 400, not 401.
    assert refused.value.status == 400


@pytest.mark.parametrize(
    "change",
    [
        {"notification_url": "https://webhook.site/79a4f3a-dcfa-49ee-bac5-9d0edad886b9"},
        {"signature_key": "MCmhFRxGX82xMwg5FsaoQA"},
        {"signature_header": "1z2n3DEJJiUPKcPzQo1ftvbxGdw="},
        {
            "request_body": json.dumps(
                json.loads(sample("square-signature-vector.json")["request_body"]), indent=2
            )
        },
    ],
)
def test_it_refuses_the_vector_with_any_part_changed(change: dict[str, str]) -> None:
    v = {**sample("square-signature-vector.json"), **change}
    with pytest.raises(Refused) as refused:
        _receive(
            v["notification_url"], v["request_body"], v["signature_header"], v["signature_key"]
        )
    assert refused.value.status == 401


# ---------------------------------------------------------------- over HTTP


def test_it_fetches_the_order_and_keeps_trying_while_square_fails(
    vendor: Vendor, sq: FakeSquare
) -> None:
    sq.orders[ORDER_ID] = chinese_order()
    sq.fail_next(2)

    first = vendor.send(event("order.created"))

    # The event is stored and acknowledged, the order is not there yet.
    assert (first.status_code, first.json()["status"]) == (202, "pending")
    fetch = SourceFetch.objects.get()
    assert (fetch.attempts, fetch.done_at, fetch.external_id) == (1, None, ORDER_ID)
    assert not Order.objects.exists()

    now = timezone.now()
    assert source_fetch_due(now=now) == 0  # not due yet: the back-off waits 2 s
    assert source_fetch_due(now=now + timedelta(seconds=3)) == 1  # fails again
    assert not Order.objects.exists()
    assert source_fetch_due(now=now + timedelta(seconds=20)) == 1  # answers

    order = Order.objects.get(external_id=ORDER_ID)
    assert (order.number, order.channel, order.customer_name) == ("A-17", "takeout", "陈小姐")
    assert order.notes == "Curbside · 门口取餐" and order.state_version == 1
    mapo = Line.objects.get(external_id="li-mapo")
    assert (mapo.quantity, mapo.modifiers, mapo.notes) == (
        2,
        ["大份", "特辣 extra hot"],
        "peanut allergy 花生过敏",
    )
    assert Line.objects.get(external_id="li-tea").modifiers == ["× 1.5"]
    assert WebhookMessage.objects.get().outcome == WebhookOutcome.CREATED
    assert [r.headers["authorization"] for r in sq.requests] == [f"Bearer {TOKEN}"] * 3
    assert mapo.menu_item is not None and mapo.menu_item.sku == "MAPO"  # by its name
    wok, fallback = board_html(vendor.wok), board_html(vendor.k.fallback)
    assert "Mapo tofu" in wok and "特辣 extra hot" in wok and "花生过敏" in wok
    assert "菊花茶" not in wok and "菊花茶" in fallback  # not a wok dish
    assert "Mapo tofu" not in fallback


def test_a_repeated_event_id_changes_nothing_and_fetches_nothing(
    vendor: Vendor, sq: FakeSquare
) -> None:
    sq.orders[ORDER_ID] = chinese_order()
    assert vendor.send(event("order.created")).status_code == 201
    before, fetched = counts(), len(sq.requests)

    again = vendor.send(event("order.created"))

    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert (counts(), len(sq.requests)) == (before, fetched)


def test_an_older_version_never_overwrites_a_newer_one(vendor: Vendor, sq: FakeSquare) -> None:
    newer = chinese_order(version=3, updated_at="2026-11-21T04:05:00.000Z")
    newer["line_items"].append({"uid": "li-kp", "name": "宫保鸡丁", "quantity": "1"})
    sq.orders[ORDER_ID] = newer
    assert vendor.send(event("order.updated", version=3)).status_code == 201

    # The fetch for an earlier event answers late with the earlier version.
    sq.orders[ORDER_ID] = chinese_order(version=2, updated_at="2026-11-21T04:09:00.000Z")
    late = vendor.send(event("order.updated", version=2))

    assert late.json()["stale"] is True
    assert Line.objects.filter(external_id="li-kp", status="active").exists()
    assert Order.objects.get().state_version == 3


def test_a_canceled_order_or_fulfillment_cancels(vendor: Vendor, sq: FakeSquare) -> None:
    sq.orders[ORDER_ID] = chinese_order()
    vendor.send(event("order.created"))
    cancelled = chinese_order(version=7, updated_at="2026-11-21T04:10:00.000Z")
    cancelled["fulfillments"][0]["state"] = "CANCELED"
    sq.orders[ORDER_ID] = cancelled

    response = vendor.send(event("order.fulfillment.updated", version=7))

    assert response.json()["status"] == "cancelled"
    assert Order.objects.get().status == OrderStatus.CANCELLED


def test_it_maps_the_order_of_squares_retrieve_order_example(
    vendor: Vendor, sq: FakeSquare
) -> None:
    published = sample("square-retrieve-order.json")["order"]
    sq.orders[published["id"]] = published

    response = vendor.send(event("order.created", order_id=published["id"]))

    assert response.status_code == 201, response.text
    order = Order.objects.get(external_id="CAISENgvlJ6jLWAzERDzjyHVybY")
    assert (order.number, order.channel) == ("reference_id4", "dine_in")
    assert sorted(order.lines.values_list("name", "quantity")) == [("Item 1", 1), ("Item 2", 2)]


def test_it_ignores_other_locations_and_drafts(vendor: Vendor, sq: FakeSquare) -> None:
    vendor.source.vendor_location = "L-OURS"
    vendor.source.save()
    before = counts()
    elsewhere = vendor.send(event("order.created"))
    assert elsewhere.json()["status"] == "ignored" and counts() == before and not sq.requests

    sq.orders[ORDER_ID] = chinese_order(state="DRAFT", location_id="L-OURS")
    draft = vendor.send(event("order.created", location_id="L-OURS"))
    assert (draft.status_code, draft.json()["status"]) == (200, "ignored")
    assert not Order.objects.exists()
    assert WebhookMessage.objects.get().outcome == WebhookOutcome.IGNORED


def test_it_refuses_bad_signatures_and_events_and_stores_nothing(
    vendor: Vendor, sq: FakeSquare
) -> None:
    before = counts()
    assert vendor.send(event("order.created"), secret="wrong").status_code == 401
    missing = vendor.send(event("order.created"), headers={"x-square-hmacsha256-signature": None})
    assert missing.status_code == 401
    # Signed for another URL: Square signs the URL it posts to.
    raw = json.dumps(event("order.created")).encode()
    from tests.sources.conftest import b64_hmac

    other_url = vendor.client.post(
        vendor.url,
        content=raw,
        headers={
            "content-type": "application/json",
            "x-square-hmacsha256-signature": b64_hmac(SECRET, b"https://elsewhere/" + raw),
        },
    )
    assert other_url.status_code == 401
    no_order = event("order.created")
    del no_order["data"]["object"]["order_created"]["order_id"]
    assert vendor.send(no_order).status_code == 400
    assert counts() == before and not sq.requests


def test_an_order_square_cannot_give_is_given_up_not_lost_silently(
    vendor: Vendor, sq: FakeSquare
) -> None:
    sq.orders[ORDER_ID] = chinese_order(line_items=[{"uid": "x", "name": "?", "quantity": "lots"}])

    response = vendor.send(event("order.created"))

    assert response.status_code == 202
    fetch = SourceFetch.objects.get()
    assert fetch.failed_at is not None and "quantity" in fetch.last_error
    assert not Order.objects.exists()


def test_a_cooks_bump_moves_the_order_to_prepared_at_square_through_the_outbox(
    vendor: Vendor, sq: FakeSquare
) -> None:
    sq.orders[ORDER_ID] = chinese_order(version=5)
    assert vendor.send(event("order.created", version=5)).status_code == 201
    order = Order.objects.get()

    bump_everywhere(order)

    assert order.status == OrderStatus.READY
    # Queued with the change, sent only by the scheduler's delivery: not from the tap.
    assert not [r for r in sq.requests if r.method == "PUT"]
    write_back = OutboxMessage.objects.get(kind=OutboxKind.SQUARE_FULFILLMENT)
    sq.fail_next(1)
    now = timezone.now()
    outbox_deliver_due(now=now)
    outbox_deliver_due(now=now + timedelta(minutes=5))

    write_back.refresh_from_db()
    assert (write_back.state, write_back.attempts) == (OutboxState.DELIVERED, 2)
    (put, *others) = [r for r in sq.requests if r.method == "PUT"]
    assert put.path == f"/v2/orders/{ORDER_ID}" and others == []  # the failed one was a read
    assert put.json()["order"]["fulfillments"] == [
        {"uid": "VWJ1N9leLqjSDLvF2hvYjD", "state": "PREPARED"}
    ]
    assert sq.orders[ORDER_ID]["fulfillments"][0]["state"] == "PREPARED"


def test_a_write_back_that_meets_a_newer_version_is_sent_again_for_it(
    vendor: Vendor, sq: FakeSquare
) -> None:
    sq.orders[ORDER_ID] = chinese_order(version=5)
    assert vendor.send(event("order.created", version=5)).status_code == 201
    bump_everywhere(Order.objects.get())
    # The customer changes the order between our read and our update.
    sq.changed_after_read = 1
    now = timezone.now()

    outbox_deliver_due(now=now)
    outbox_deliver_due(now=now + timedelta(minutes=5))

    write_back = OutboxMessage.objects.get(kind=OutboxKind.SQUARE_FULFILLMENT)
    puts = [r.json() for r in sq.requests if r.method == "PUT"]
    assert [p["order"]["version"] for p in puts] == [5, 6]
    # One key per request: the second is not the first one's key with another body,
    # which Square refuses.
    assert len({p["idempotency_key"] for p in puts}) == 2
    assert all(p["idempotency_key"].startswith(write_back.msg_id) for p in puts)
    assert (write_back.state, write_back.attempts) == (OutboxState.DELIVERED, 2), (
        write_back.last_error
    )
    assert sq.orders[ORDER_ID]["fulfillments"][0]["state"] == "PREPARED"
