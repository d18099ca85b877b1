"""Shopify: signed with X-Shopify-Hmac-Sha256, deduplicated on X-Shopify-Webhook-Id,
ordered by updated_at; the REST order mapped to our order."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from orders.models import Channel, Line, LineStatus, Order, OrderStatus, SourceKind
from tests.sources.conftest import Vendor, board_html, counts, sample

KIND = SourceKind.SHOPIFY
# Shopify gives the secret (the app's client secret, or the key the store shows).
SECRET = "shpss_3a0f1e2d4c5b6a79880716253443526"


def shopify_order(order_id: int = 4501, **changes: Any) -> dict[str, Any]:
    """Our own Shopify order: Chinese dishes, a variant, properties and an allergy note."""
    order: dict[str, Any] = {
        "id": order_id,
        "name": "#1088",
        "order_number": 1088,
        "created_at": "2026-11-21T12:00:00+08:00",
        "updated_at": "2026-11-21T12:00:00+08:00",
        "cancelled_at": None,
        "note": "少放盐 less salt",
        "note_attributes": [{"name": "Pickup time", "value": "12:30"}],
        "shipping_address": None,
        "billing_address": {"name": "王小明"},
        "shipping_lines": [{"title": "Local pickup", "code": "Pickup"}],
        "line_items": [
            {
                "id": 901,
                "title": "麻婆豆腐",
                "sku": "MAPO",
                "variant_title": "大份 Large",
                "quantity": 2,
                "current_quantity": 2,
                "properties": [
                    {"name": "辣度 Spice", "value": "特辣 extra hot"},
                    {"name": "Allergy note", "value": "peanut allergy 花生过敏"},
                    {"name": "_private", "value": "hidden"},
                ],
            },
            {"id": 902, "title": "Jasmine rice", "sku": "", "quantity": 1},
        ],
    }
    order.update(changes)
    return order


def test_it_takes_a_signed_order_to_the_right_station_in_chinese(vendor: Vendor) -> None:
    response = vendor.send(shopify_order())

    assert response.status_code == 201, response.text
    order = Order.objects.get(source=vendor.source, external_id="4501")
    assert (order.number, order.channel, order.customer_name) == ("#1088", "takeout", "王小明")
    assert order.notes == "少放盐 less salt · Pickup time: 12:30"
    mapo = Line.objects.get(order=order, external_id="901")
    assert mapo.menu_item is not None and mapo.menu_item.sku == "MAPO"
    assert mapo.modifiers == ["大份 Large", "辣度 Spice: 特辣 extra hot"]
    assert mapo.notes == "Allergy note: peanut allergy 花生过敏"
    wok = board_html(vendor.wok)
    assert "麻婆豆腐" in wok and "特辣 extra hot" in wok and "花生过敏" in wok
    assert "Jasmine rice" not in wok  # not a wok dish: the fallback station cooks it
    assert "Jasmine rice" in board_html(vendor.k.fallback)
    assert "麻婆豆腐" not in board_html(vendor.k.fallback)


def test_it_maps_shopifys_published_sample(vendor: Vendor) -> None:
    published = sample("shopify-orders-create.json")

    # As published, the test order is cancelled: it is stored as a cancelled stub.
    answer = vendor.send(published)
    assert (answer.status_code, answer.json()["status"]) == (200, "cancelled")
    stub = Order.objects.get(external_id="820982911946154508")
    assert stub.status == OrderStatus.CANCELLED and not stub.lines.exists()

    live = copy.deepcopy(published)
    live["id"], live["cancelled_at"] = 820982911946154509, None
    assert vendor.send(live).status_code == 201
    order = Order.objects.get(external_id="820982911946154509")
    assert (order.number, order.channel, order.customer_name) == (
        "#9999",
        Channel.DELIVERY,  # "Generic Shipping" is not a pickup
        "Steve Shipper",
    )
    assert sorted(order.lines.values_list("external_id", "sku", "name", "quantity")) == [
        ("487817672276298554", "SKU2006-001", "Aviator sunglasses", 1),
        ("976318377106520349", "SKU2006-020", "Mid-century lounger", 1),
    ]
    assert all(line.unmapped for line in order.lines.all())


def test_it_refuses_a_bad_or_missing_signature_and_stores_nothing(vendor: Vendor) -> None:
    before = counts()
    wrong = vendor.send(shopify_order(), secret="not-the-secret")
    missing = vendor.send(shopify_order(), headers={"X-Shopify-Hmac-Sha256": None})
    garbage = vendor.send(shopify_order(), headers={"X-Shopify-Hmac-Sha256": "%%%"})
    hex_instead = vendor.send(shopify_order(), headers={"X-Shopify-Hmac-Sha256": "ab" * 32})

    for response in (wrong, missing, garbage, hex_instead):
        assert (response.status_code, response.json()) == (401, {"error": "invalid_signature"})
    assert counts() == before


def test_a_retry_with_the_same_webhook_id_changes_nothing(vendor: Vendor) -> None:
    first = vendor.send(shopify_order(), delivery="b54557e4-bdd9-4b37-8a5f-bf7d70bcd043")
    before = counts()

    again = vendor.send(shopify_order(), delivery="b54557e4-bdd9-4b37-8a5f-bf7d70bcd043")

    assert first.status_code == 201
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert counts() == before


def test_updates_apply_in_order_of_updated_at_and_an_older_one_is_stale(vendor: Vendor) -> None:
    vendor.send(shopify_order())
    newer = shopify_order(updated_at="2026-11-21T12:10:00+08:00")
    newer["line_items"][0]["current_quantity"] = 1  # the customer's edit: one fewer
    newer["line_items"].append({"id": 903, "title": "宫保鸡丁", "sku": "KUNGPAO", "quantity": 1})
    older = shopify_order(updated_at="2026-11-21T12:05:00+08:00")
    older["line_items"] = older["line_items"][1:]

    applied = vendor.send(newer, topic="orders/updated")
    stale = vendor.send(older, topic="orders/updated")

    assert applied.status_code == 200 and applied.json()["stale"] is False
    assert stale.status_code == 200 and stale.json()["stale"] is True
    lines = {line.external_id: line for line in Line.objects.all()}
    assert (lines["901"].quantity, lines["901"].voided_quantity) == (1, 1)
    assert lines["903"].added_by_update and lines["903"].status == LineStatus.ACTIVE
    assert lines["902"].status == LineStatus.ACTIVE


def test_orders_cancelled_cancels_and_a_later_update_does_not_revive_it(vendor: Vendor) -> None:
    vendor.send(shopify_order())
    cancelled = shopify_order(
        updated_at="2026-11-21T12:20:00+08:00", cancelled_at="2026-11-21T12:20:00+08:00"
    )

    assert vendor.send(cancelled, topic="orders/cancelled").status_code == 200
    late = vendor.send(
        shopify_order(updated_at="2026-11-21T12:30:00+08:00"), topic="orders/updated"
    )

    assert Order.objects.get().status == OrderStatus.CANCELLED
    assert late.json()["status"] == "cancelled"


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        ({"id": None}, "id"),
        ({"line_items": [{"id": 1, "title": "x", "quantity": 1000}]}, "line_items.0.quantity"),
        ({"line_items": [{"id": 1, "title": "x", "quantity": "2"}]}, "line_items.0.quantity"),
        ({"updated_at": "9999-99-99"}, "updated_at"),
        ({"created_at": "0001-01-01T00:00:00+14:00"}, "created_at"),
    ],
)
def test_it_refuses_a_malformed_order_with_where_and_stores_nothing(
    vendor: Vendor, change: dict[str, Any], loc: str
) -> None:
    before = counts()
    response = vendor.send(shopify_order(**change))
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "invalid_payload"
    assert any(v["loc"].startswith(loc) for v in response.json()["detail"]), response.text
    assert counts() == before


def test_it_acknowledges_topics_and_orders_it_does_not_use(vendor: Vendor) -> None:
    before = counts()
    other_topic = vendor.send(shopify_order(), topic="products/update")
    gift_card_only = vendor.send(
        shopify_order(
            line_items=[{"id": 1, "title": "Gift card", "quantity": 1, "gift_card": True}]
        )
    )
    assert other_topic.status_code == 200 and other_topic.json()["status"] == "ignored"
    assert gift_card_only.status_code == 200 and gift_card_only.json()["status"] == "ignored"
    assert counts() == before


def test_it_refuses_an_order_without_a_webhook_id(vendor: Vendor) -> None:
    before = counts()
    response = vendor.send(shopify_order(), headers={"X-Shopify-Webhook-Id": None})
    assert response.status_code == 400
    assert counts() == before


def test_a_cancellation_that_arrives_before_its_order_keeps_it_cancelled(vendor: Vendor) -> None:
    # Shopify does not promise the order of deliveries: orders/create can come last.
    cancelled = shopify_order(
        updated_at="2026-11-21T12:20:00+08:00", cancelled_at="2026-11-21T12:20:00+08:00"
    )
    assert vendor.send(cancelled, topic="orders/cancelled").json()["status"] == "cancelled"

    late = vendor.send(shopify_order(), topic="orders/create")

    assert late.status_code == 200 and late.json()["status"] == "cancelled", late.text
    assert Order.objects.get().status == OrderStatus.CANCELLED and not Line.objects.exists()
    assert "麻婆豆腐" not in board_html(vendor.wok)
