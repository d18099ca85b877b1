"""Deliverect: the hex x-server-authorization-hmac-sha256 signature, channelOrderDisplayId
as the number, order types, sub-items as modifiers, and cancellation by status 100."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from orders.models import (
    Line,
    Order,
    OrderStatus,
    OutboxKind,
    OutboxMessage,
    OutboxState,
    SourceKind,
)
from orders.outbox.deliver import outbox_deliver_due
from tests.sources.conftest import Vendor, board_html, bump_everywhere, counts, sample
from tests.sources.fake_deliverect import CLIENT_ID, CLIENT_SECRET, fake_deliverect, status_posts

KIND = SourceKind.DELIVERECT
# Deliverect gives it (in its staging environment it is the channel link ID).
SECRET = "61a3c0ffee00c0de5eed0123"


def deliverect_order(order_id: str = "65f0a1b2c3d4e5f6a7b8c9d0", **changes: Any) -> dict[str, Any]:
    """Our own order in Deliverect's POS order model, with Chinese dishes."""
    order: dict[str, Any] = {
        "_created": "2026-11-21T04:00:00.000000Z",
        "_updated": "2026-11-21T04:00:01.000000Z",
        "_id": order_id,
        "account": "61aa00000000000000000001",
        "channelOrderId": "UE-7788-XYZ",
        "channelOrderDisplayId": "XYZ88",
        "location": "61bb00000000000000000002",
        "channelLink": "61cc00000000000000000003",
        "status": 1,
        "orderType": 2,
        "channel": 7,
        "deliveryIsAsap": True,
        "note": "不要香菜 no coriander",
        "customer": {"name": "Wang Fang"},
        "items": [
            {
                "plu": "MAPO",
                "name": "麻婆豆腐",
                "quantity": 1,
                "remark": "peanut allergy 花生过敏",
                "subItems": [
                    {"plu": "SPICY", "name": "特辣", "quantity": 1, "subItems": []},
                    {
                        "plu": "RICE",
                        "name": "米饭",
                        "quantity": 2,
                        "subItems": [{"plu": "BRN", "name": "糙米 brown", "quantity": 1}],
                    },
                ],
            },
            {"plu": "COKE", "name": "Coke", "quantity": 2, "subItems": []},
        ],
    }
    order.update(changes)
    return order


def test_it_takes_a_signed_order_to_the_right_station_in_chinese(vendor: Vendor) -> None:
    response = vendor.send(deliverect_order())

    assert response.status_code == 201, response.text
    order = Order.objects.get(external_id="65f0a1b2c3d4e5f6a7b8c9d0")
    assert (order.number, order.channel, order.customer_name) == ("XYZ88", "delivery", "Wang Fang")
    assert order.notes == "不要香菜 no coriander"
    mapo = Line.objects.get(sku="MAPO")
    assert mapo.modifiers == ["特辣", "米饭 × 2", "米饭 › 糙米 brown"]
    assert mapo.notes == "peanut allergy 花生过敏"
    assert "麻婆豆腐" in board_html(vendor.wok) and "Coke" not in board_html(vendor.wok)


def test_it_maps_deliverects_kds_order_example(vendor: Vendor) -> None:
    response = vendor.send(sample("deliverect-kds-order.json"))

    assert response.status_code == 201, response.text
    order = Order.objects.get(external_id="6239****835f")
    assert (order.number, order.channel, order.customer_name) == (
        "1z3pW****xCZQ4",
        "dine_in",
        "MD1",
    )
    assert order.notes == "Space Bar"
    # Its pickup time (2022) is long past: not a schedule to hold it for any more.
    assert order.fire_at is None and order.placed_at is not None
    line = order.lines.get()
    assert (line.sku, line.name, line.quantity) == ("CMB-02", "Vegetarian Rames", 1)
    assert line.modifiers == [
        "Vegetables Sayur Lodeh",
        "Vegetables Mix Tumisan",
        "Coca Cola Zero Sugar",
    ]
    assert line.notes == "No garlic sauce; Coca Cola Zero Sugar: Iced."


@pytest.mark.parametrize(
    ("order_type", "channel", "note"),
    [(1, "takeout", ""), (2, "delivery", ""), (3, "dine_in", ""), (4, "takeout", "Curbside")],
)
def test_order_types(vendor: Vendor, order_type: int, channel: str, note: str) -> None:
    vendor.send(deliverect_order(orderType=order_type, note=""))
    order = Order.objects.get()
    assert (order.channel, order.notes) == (channel, note)


def test_a_scheduled_order_is_held_until_its_pickup_time(vendor: Vendor) -> None:
    pickup = timezone.now() + timedelta(hours=3)
    vendor.send(deliverect_order(deliveryIsAsap=False, pickupTime=pickup.isoformat()))
    assert Order.objects.get().fire_at == pickup.replace(microsecond=pickup.microsecond)

    far = timezone.now() + timedelta(days=90)
    vendor.send(
        deliverect_order(
            "65f0a1b2c3d4e5f6a7b8c9ff", deliveryIsAsap=False, pickupTime=far.isoformat(), note=""
        )
    )
    later = Order.objects.get(external_id="65f0a1b2c3d4e5f6a7b8c9ff")
    # Too far ahead for the contract: taken now, with the day it is for in the notes.
    assert later.fire_at is None and f"for {far:%Y-%m-%d}" in later.notes


def test_a_cancellation_is_the_order_again_with_status_100(vendor: Vendor) -> None:
    first, cancel = sample("deliverect-cancel.json")
    vendor.send(deliverect_order(first["_id"], channelOrderId=first["channelOrderId"]))

    response = vendor.send({**deliverect_order(cancel["_id"]), **cancel})

    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert Order.objects.get(external_id=cancel["_id"]).status == OrderStatus.CANCELLED


def test_a_redelivery_changes_nothing(vendor: Vendor) -> None:
    vendor.send(deliverect_order())
    before = counts()
    again = vendor.send(deliverect_order())
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert counts() == before


def test_it_refuses_bad_signatures_and_bad_orders_and_stores_nothing(vendor: Vendor) -> None:
    before = counts()
    header = "x-server-authorization-hmac-sha256"
    for response in (
        vendor.send(deliverect_order(), secret="wrong"),
        vendor.send(deliverect_order(), headers={header: None}),
        vendor.send(deliverect_order(), headers={header: "zz" * 32}),
        # Base64 where Deliverect writes hex.
        vendor.send(deliverect_order(), headers={header: "q0dXe+ZkqD7tLd6W5a3ZL3Fq1Z0="}),
    ):
        assert response.status_code == 401
    bad = copy.deepcopy(deliverect_order())
    bad["items"][0]["quantity"] = "one"
    for body in (bad, deliverect_order(_id=None), deliverect_order(_updated="not a time")):
        assert vendor.send(body).status_code == 400
    assert counts() == before


def test_it_ignores_other_locations(vendor: Vendor) -> None:
    vendor.source.vendor_location = "61bb0000000000000000ffff"
    vendor.source.save()
    before = counts()
    response = vendor.send(deliverect_order())
    assert response.json()["status"] == "ignored" and counts() == before


def test_a_cancellation_that_arrives_before_its_order_keeps_it_cancelled(vendor: Vendor) -> None:
    # Deliverect retries a notification it got no 2xx for, so the order can come after.
    cancel = deliverect_order(status=100, _updated="2026-11-21T04:05:00.000000Z")
    late = deliverect_order()

    first = vendor.send(cancel)
    again = vendor.send(late)

    assert (first.status_code, first.json()["status"]) == (200, "cancelled")
    assert again.json()["status"] == "cancelled", again.text
    order = Order.objects.get()
    assert order.status == OrderStatus.CANCELLED and not Line.objects.exists()
    assert "麻婆豆腐" not in board_html(vendor.wok)


def test_a_cooks_bump_is_ready_for_pickup_at_deliverect_through_the_outbox(
    vendor: Vendor, settings: Any
) -> None:
    vendor.source.api_client_id, vendor.source.api_secret = CLIENT_ID, CLIENT_SECRET
    vendor.source.save()
    with fake_deliverect() as api:
        settings.KDS_DELIVERECT_API_URL = api.url
        assert vendor.send(deliverect_order()).status_code == 201
        order = Order.objects.get()

        bump_everywhere(order)

        assert order.status == OrderStatus.READY and not status_posts(api)
        api.fail_next = 1
        now = timezone.now()
        outbox_deliver_due(now=now)
        outbox_deliver_due(now=now + timedelta(minutes=5))
        assert [(r.path, r.json()) for r in status_posts(api)] == [
            (
                "/kds/orderStatus/65f0a1b2c3d4e5f6a7b8c9d0",
                {"orderId": "65f0a1b2c3d4e5f6a7b8c9d0", "status": 70},
            )
        ]
    write_back = OutboxMessage.objects.get(kind=OutboxKind.DELIVERECT_STATUS)
    assert (write_back.state, write_back.attempts) == (OutboxState.DELIVERED, 2)
