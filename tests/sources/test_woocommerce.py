"""WooCommerce: the unsigned ping, X-WC-Webhook-Signature, deliveries deduplicated on
X-WC-Webhook-Delivery-ID with the body, statuses, and add-ons as modifiers."""

from __future__ import annotations

import copy
from typing import Any

from orders.models import Channel, Line, LineStatus, Order, OrderStatus, SourceKind
from tests.sources.conftest import Vendor, board_html, counts, sample

KIND = SourceKind.WOOCOMMERCE
SECRET = "Xy7pQm2n8sKe4LcVw9Rt5uZa"  # we make this one; the manager pastes it in WooCommerce


def wc_order(order_id: int = 730, **changes: Any) -> dict[str, Any]:
    order: dict[str, Any] = {
        "id": order_id,
        "number": str(order_id),
        "status": "processing",
        "date_created_gmt": "2026-11-21T04:00:00",
        "date_modified_gmt": "2026-11-21T04:00:05",
        "customer_note": "请多放葱 &amp; extra scallions",
        "billing": {"first_name": "李", "last_name": "雷"},
        "shipping": {"first_name": "", "last_name": ""},
        "shipping_lines": [{"method_id": "pickup_location", "method_title": "到店自取 Pickup"}],
        "line_items": [
            {
                "id": 41,
                "name": "宫保鸡丁 Kung pao chicken",
                "sku": "KUNGPAO",
                "quantity": 1,
                "meta_data": [
                    {
                        "id": 1,
                        "key": "spice",
                        "value": "mild",
                        "display_key": "辣度",
                        "display_value": "<p>微辣 mild</p>",
                    },
                    {
                        "id": 2,
                        "key": "allergy_note",
                        "value": "no peanuts 花生过敏",
                        "display_key": "Allergy note",
                        "display_value": "no peanuts 花生过敏",
                    },
                    {"id": 3, "key": "_reduced_stock", "value": "1"},
                ],
            },
            {
                "id": 42,
                "name": "Spring rolls &ndash; 4 pcs",
                "sku": "",
                "quantity": 2,
                "meta_data": [],
            },
        ],
    }
    order.update(changes)
    return order


def test_it_answers_the_ping_woocommerce_sends_when_a_webhook_is_saved(vendor: Vendor) -> None:
    before = counts()
    ping = vendor.client.post(
        vendor.url,
        content=b"webhook_id=7",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert ping.status_code == 200  # WooCommerce refuses to save the webhook otherwise
    assert counts() == before


def test_it_takes_a_signed_order_to_the_right_station_in_chinese(vendor: Vendor) -> None:
    response = vendor.send(wc_order())

    assert response.status_code == 201, response.text
    order = Order.objects.get(external_id="730")
    assert (order.number, order.channel, order.customer_name) == ("730", "takeout", "李 雷")
    assert order.notes == "请多放葱 & extra scallions"
    chicken = Line.objects.get(external_id="41")
    assert chicken.menu_item is not None and chicken.modifiers == ["辣度: 微辣 mild"]
    assert chicken.notes == "Allergy note: no peanuts 花生过敏"
    assert Line.objects.get(external_id="42").name == "Spring rolls – 4 pcs"
    wok = board_html(vendor.wok)
    assert "宫保鸡丁" in wok and "微辣 mild" in wok and "Spring rolls" not in wok


def test_it_maps_the_order_of_woocommerces_rest_api_docs(vendor: Vendor) -> None:
    response = vendor.send(sample("woocommerce-order.json"))

    assert response.status_code == 201, response.text
    order = Order.objects.get(external_id="727")
    assert (order.number, order.channel, order.customer_name) == (
        "727",
        Channel.DELIVERY,  # flat_rate shipping
        "John Doe",
    )
    lines = {line.external_id: line for line in order.lines.all()}
    assert (lines["315"].name, lines["315"].quantity) == ("Woo Single #1", 2)
    assert lines["316"].name == "Ship Your Idea – Color: Black, Size: M Test"
    assert lines["316"].sku == "Bar3"
    assert lines["316"].modifiers == ["color: black", "size: M Test"]


def test_it_refuses_a_bad_or_missing_signature_and_stores_nothing(vendor: Vendor) -> None:
    before = counts()
    for response in (
        vendor.send(wc_order(), secret="wrong"),
        vendor.send(wc_order(), headers={"X-WC-Webhook-Signature": None}),
        vendor.send(wc_order(), headers={"X-WC-Webhook-Signature": "not base64!"}),
        # An unsigned body that is not the ping is not let through as one.
        vendor.send(b"webhook_id=7&x=1", headers={"X-WC-Webhook-Signature": None}),
    ):
        assert response.status_code in (401, 415), response.text
    assert counts() == before


def test_a_redelivery_changes_nothing_but_another_delivery_in_the_same_second_does(
    vendor: Vendor,
) -> None:
    # WooCommerce's delivery id is a hash of the webhook id and the current second.
    vendor.send(wc_order(), delivery="5f3c9a")
    before = counts()
    again = vendor.send(wc_order(), delivery="5f3c9a")
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert counts() == before

    changed = wc_order(date_modified_gmt="2026-11-21T04:00:06")
    changed["line_items"][1]["quantity"] = 3
    same_second = vendor.send(changed, delivery="5f3c9a", topic="order.updated")

    assert same_second.json()["duplicate"] is False
    assert Line.objects.get(external_id="42").quantity == 3


def test_statuses_decide_what_the_kitchen_sees(vendor: Vendor) -> None:
    unpaid = vendor.send(wc_order(status="pending"))
    assert unpaid.json()["status"] == "ignored" and not Order.objects.exists()

    paid = vendor.send(
        wc_order(status="processing", date_modified_gmt="2026-11-21T04:01:00"),
        topic="order.updated",
    )
    assert paid.status_code == 201

    stale = vendor.send(
        wc_order(line_items=[], date_modified_gmt="2026-11-21T04:00:30"), topic="order.updated"
    )
    assert stale.json()["status"] == "ignored"  # no lines: nothing to apply

    cancelled = vendor.send(
        wc_order(status="cancelled", date_modified_gmt="2026-11-21T04:02:00"), topic="order.updated"
    )
    assert cancelled.json()["status"] == "cancelled"
    assert Order.objects.get().status == OrderStatus.CANCELLED


def test_an_older_update_is_stale(vendor: Vendor) -> None:
    vendor.send(wc_order(date_modified_gmt="2026-11-21T04:05:00"))
    older = copy.deepcopy(wc_order(date_modified_gmt="2026-11-21T04:01:00"))
    older["line_items"] = older["line_items"][:1]

    response = vendor.send(older, topic="order.updated")

    assert response.json()["stale"] is True
    assert Line.objects.get(external_id="42").status == LineStatus.ACTIVE


def test_a_deleted_order_is_cancelled(vendor: Vendor) -> None:
    vendor.send(wc_order())
    response = vendor.send({"id": 730}, topic="order.deleted")
    assert response.status_code == 200
    assert Order.objects.get().status == OrderStatus.CANCELLED


def test_it_refuses_malformed_orders_and_stores_nothing(vendor: Vendor) -> None:
    before = counts()
    for body in (
        b"{not json",
        b"[]",
        wc_order(line_items=[{"id": 1, "name": "x", "quantity": -1}]),
        wc_order(date_modified_gmt="yesterday"),
        wc_order(id={"nested": [1, 2]}),
        wc_order(line_items=[{"id": n, "name": "x", "quantity": 1} for n in range(201)]),
    ):
        response = vendor.send(body)
        assert response.status_code == 400, response.text
    assert counts() == before


def test_an_update_that_arrives_before_its_creation_wins(vendor: Vendor) -> None:
    # WooCommerce sends order.created and order.updated within a second of each other,
    # from separate requests: the later state is kept whichever arrives first.
    newer = wc_order(date_modified_gmt="2026-11-21T04:00:09")
    newer["line_items"][1]["quantity"] = 5
    assert vendor.send(newer, topic="order.updated").status_code == 201

    older = vendor.send(wc_order(), topic="order.created")

    assert older.json()["stale"] is True, older.text
    assert Line.objects.get(external_id="42").quantity == 5
