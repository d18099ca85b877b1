"""Each event is queued in the transaction of the change it reports, and arrives signed."""

from __future__ import annotations

from datetime import datetime

import pytest

from orders.models import (
    MenuItem,
    Order,
    OutboxMessage,
    OutboxState,
    WebhookEndpoint,
)
from orders.outbox.deliver import outbox_deliver_due
from orders.screens.commands import screen_command
from tests import factories
from tests.outbox.conftest import Kitchen, Receiver, post_order


def deliver(now: datetime | None = None) -> None:
    while outbox_deliver_due(now=now):
        pass


def test_a_ready_order_is_posted_signed_with_the_endpoints_secret(
    kitchen_out: Kitchen, receiver: Receiver
) -> None:
    post_order(kitchen_out, factories.order_body("o-1", number="88", table="12"))
    order = Order.objects.get()
    assert not OutboxMessage.objects.exists()  # nothing to tell yet

    assert kitchen_out.tap("ticket_bump", order=order.pk).json() == {"ok": True}
    assert OutboxMessage.objects.get().state == OutboxState.PENDING  # queued, not sent
    deliver()

    (event,) = receiver.accepted  # the receiver verified the signature to accept it
    assert event["type"] == "order.ready"
    assert event["data"] | {"ready_at": None} == {
        "id": str(order.pk),
        "source": kitchen_out.k.source.slug,
        "external_id": "o-1",
        "number": "88",
        "channel": "dine_in",
        "table": "12",
        "customer_name": "",
        "status": "ready",
        "placed_at": event["data"]["placed_at"],
        "ready_at": None,
        "served_at": None,
        "cancelled_at": None,
    }
    assert event["id"] == OutboxMessage.objects.get().msg_id
    assert OutboxMessage.objects.get().state == OutboxState.DELIVERED


def test_handing_over_and_serving_are_posted(kitchen_out: Kitchen, receiver: Receiver) -> None:
    post_order(kitchen_out, factories.order_body("o-1"))
    order = Order.objects.get()
    kitchen_out.tap("ticket_bump", order=order.pk)

    assert screen_command(
        screen_id=kitchen_out.expo_screen.pk, action="handover", content={"order": order.pk}
    ) == {"ok": True, "order": order.pk}
    deliver()

    assert sorted(receiver.types()) == ["order.handed_over", "order.ready", "order.served"]
    assert receiver.of("order.served")[0]["data"]["status"] == "served"


def test_a_station_acknowledging_a_cancel_is_posted(
    kitchen_out: Kitchen, receiver: Receiver
) -> None:
    post_order(kitchen_out, factories.order_body("o-1"))
    post_order(kitchen_out, factories.order_body("o-1", kind="order.cancelled"))
    order = Order.objects.get()

    assert kitchen_out.tap("void_ack", order=order.pk).json() == {"ok": True}
    deliver()

    (event,) = receiver.of("order.cancel_acknowledged")
    assert event["data"]["station"] == kitchen_out.station.slug
    assert event["data"]["status"] == "cancelled"
    assert event["data"]["stations_to_acknowledge"] == 1  # expo has not yet


def test_a_refused_tap_queues_nothing(kitchen_out: Kitchen) -> None:
    post_order(kitchen_out, factories.order_body("o-1"))
    post_order(kitchen_out, factories.order_body("o-1", kind="order.cancelled"))
    order = Order.objects.get()
    kitchen_out.tap("ticket_bump", order=order.pk)  # a cancelled order does not get ready
    kitchen_out.tap("recall", order=order.pk)
    assert not OutboxMessage.objects.filter(event_type="order.ready").exists()


def test_only_active_endpoints_of_the_restaurant_that_want_the_event_get_it(
    kitchen_out: Kitchen,
) -> None:
    other = factories.make_kitchen("other")
    WebhookEndpoint.objects.create(restaurant=other.restaurant, name="x", url="http://x.test/")
    WebhookEndpoint.objects.create(
        restaurant=kitchen_out.k.restaurant, name="off", url="http://x.test/", is_active=False
    )
    picky = WebhookEndpoint.objects.create(
        restaurant=kitchen_out.k.restaurant,
        name="86 only",
        url="http://x.test/",
        events=["menu_item.unavailable"],
    )
    post_order(kitchen_out, factories.order_body("o-1"))
    kitchen_out.tap("ticket_bump", order=Order.objects.get().pk)

    assert list(OutboxMessage.objects.values_list("endpoint", flat=True)) == [
        kitchen_out.endpoint.pk
    ]
    assert not OutboxMessage.objects.filter(endpoint=picky).exists()


@pytest.mark.parametrize("available", [False, True])
def test_86_and_back_are_posted(kitchen_out: Kitchen, receiver: Receiver, available: bool) -> None:
    from orders.actions.menu import menu_item_availability_set

    dish = MenuItem.objects.create(
        restaurant=kitchen_out.k.restaurant, sku="MAPO", name="Mapo tofu", name_zh="麻婆豆腐"
    )
    if available:
        menu_item_availability_set(item=dish, available=False, screen=kitchen_out.screen)
    assert menu_item_availability_set(item=dish, available=available, screen=kitchen_out.screen)
    assert not menu_item_availability_set(item=dish, available=available, screen=kitchen_out.screen)
    deliver()

    last = receiver.accepted[-1]
    assert last["type"] == ("menu_item.available" if available else "menu_item.unavailable")
    assert last["data"]["sku"] == "MAPO" and last["data"]["name_zh"] == "麻婆豆腐"
    assert last["data"]["by"] == f"screen:{kitchen_out.screen.pk}"
