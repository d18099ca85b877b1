"""Delivery: retries with back-off while the receiver fails, a log per endpoint, an
endpoint failing for days switched off, and the vendors' status write-backs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from orders.models import (
    DeliveryAttempt,
    Order,
    OrderSource,
    OutboxKind,
    OutboxMessage,
    OutboxState,
    SourceKind,
    SourceSecret,
    WebhookEndpoint,
)
from orders.outbox.deliver import outbox_deliver_due
from tests import factories
from tests.outbox.conftest import Kitchen, Receiver, post_order
from tests.sources.fake_deliverect import CLIENT_ID, CLIENT_SECRET, fake_deliverect, status_posts
from tests.sources.fake_square import TOKEN, chinese_order, fake_square


def ready_order(kitchen: Kitchen, order_id: str = "o-1") -> Order:
    post_order(kitchen, factories.order_body(order_id))
    order = Order.objects.get(external_id=order_id)
    assert kitchen.tap("ticket_bump", order=order.pk).json() == {"ok": True}
    return order


def test_it_retries_with_back_off_until_the_receiver_recovers(
    kitchen_out: Kitchen, receiver: Receiver, settings: Any
) -> None:
    settings.KDS_OUTBOX_RETRY_SCHEDULE = [5, 300, 1800]
    ready_order(kitchen_out)
    receiver.failing = True
    now = timezone.now()

    assert outbox_deliver_due(now=now) == 1
    message = OutboxMessage.objects.get()
    assert (message.state, message.attempts, message.last_status) == ("pending", 1, 503)
    assert message.next_attempt_at == now + timedelta(seconds=5)
    assert outbox_deliver_due(now=now + timedelta(seconds=4)) == 0  # waits its turn
    assert outbox_deliver_due(now=now + timedelta(seconds=6)) == 1  # fails again: 5 min
    assert outbox_deliver_due(now=now + timedelta(seconds=200)) == 0

    receiver.failing = False
    assert outbox_deliver_due(now=now + timedelta(seconds=310)) == 1

    message.refresh_from_db()
    assert (message.state, message.attempts, message.last_status) == ("delivered", 3, 204)
    assert [event["id"] for event in receiver.accepted] == [message.msg_id]
    log = list(DeliveryAttempt.objects.filter(endpoint=kitchen_out.endpoint).order_by("at"))
    assert [a.status_code for a in log] == [503, 503, 204]
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.failing_since is None and endpoint.last_success_at is not None
    # Every attempt carried the same webhook-id, so a receiver dedupes on it.
    assert {r.headers["webhook-id"] for r in receiver.http.requests} == {message.msg_id}


def test_it_gives_up_after_the_schedule_and_logs_unreachable_endpoints(
    kitchen_out: Kitchen, settings: Any
) -> None:
    settings.KDS_OUTBOX_RETRY_SCHEDULE = [1]
    WebhookEndpoint.objects.filter(pk=kitchen_out.endpoint.pk).update(url="http://127.0.0.1:9/")
    ready_order(kitchen_out)
    now = timezone.now()

    outbox_deliver_due(now=now)
    outbox_deliver_due(now=now + timedelta(seconds=2))

    message = OutboxMessage.objects.get()
    assert (message.state, message.attempts) == (OutboxState.FAILED, 2)
    errors = DeliveryAttempt.objects.values_list("status_code", "error")
    assert all(code is None and "Connect" in error for code, error in errors)


def test_an_endpoint_failing_for_days_is_switched_off_and_the_admin_says_so(
    kitchen_out: Kitchen, receiver: Receiver, settings: Any, admin_client: Any
) -> None:
    settings.KDS_OUTBOX_RETRY_SCHEDULE = [3600] * 200
    receiver.failing = True
    ready_order(kitchen_out)
    start = timezone.now()
    for hour in range(0, 24 * 6, 1):
        outbox_deliver_due(now=start + timedelta(hours=hour, seconds=1))

    endpoint = WebhookEndpoint.objects.get()
    assert not endpoint.is_active and endpoint.disabled_at is not None
    assert endpoint.disabled_at - start >= timedelta(hours=settings.KDS_OUTBOX_DISABLE_AFTER_HOURS)
    # Off means off: no more attempts, and the events of a disabled endpoint wait.
    attempts = DeliveryAttempt.objects.count()
    assert outbox_deliver_due(now=start + timedelta(days=8)) == 0
    assert DeliveryAttempt.objects.count() == attempts

    page = admin_client.get("/admin/orders/webhookendpoint/").content.decode()
    assert "Ops dashboard" in page and "Disabled" in page
    detail = admin_client.get(f"/admin/orders/webhookendpoint/{endpoint.pk}/change/")
    assert "503" in detail.content.decode()  # the delivery log, with the answers


def test_a_square_order_that_is_ready_goes_prepared_at_square(
    kitchen_out: Kitchen, settings: Any
) -> None:
    source = OrderSource.objects.create(
        restaurant=kitchen_out.k.restaurant,
        name="Square",
        slug="square",
        kind=SourceKind.SQUARE,
        api_secret=TOKEN,
    )
    SourceSecret.objects.create(source=source, secret="sq-signature-key")
    with fake_square() as square:
        settings.KDS_SQUARE_API_URL = square.http.url
        square.orders["SQ1"] = chinese_order("SQ1", version=4)
        Order.objects.create(
            restaurant=kitchen_out.k.restaurant,
            source=source,
            external_id="SQ1",
            number="A-17",
            placed_at=timezone.now(),
        )
        from orders.actions.notify import order_event

        order = Order.objects.get(external_id="SQ1")
        order_event(order, "order.ready", now=timezone.now())
        square.fail_next(1)
        now = timezone.now()
        outbox_deliver_due(now=now)  # Square fails once
        outbox_deliver_due(now=now + timedelta(minutes=1))

        write_back = OutboxMessage.objects.get(kind=OutboxKind.SQUARE_FULFILLMENT)
        assert write_back.state == OutboxState.DELIVERED and write_back.attempts == 2
        put = next(r for r in square.requests if r.method == "PUT")
        assert put.json()["order"]["version"] == 4
        assert put.json()["order"]["fulfillments"] == [
            {"uid": "VWJ1N9leLqjSDLvF2hvYjD", "state": "PREPARED"}
        ]
        assert put.json()["idempotency_key"] == f"{write_back.msg_id}-v4"
        assert square.orders["SQ1"]["fulfillments"][0]["state"] == "PREPARED"


def test_a_deliverect_order_that_is_ready_is_ready_for_pickup_at_deliverect(
    kitchen_out: Kitchen, settings: Any
) -> None:
    with fake_deliverect() as fake:
        settings.KDS_DELIVERECT_API_URL = fake.url
        source = OrderSource.objects.create(
            restaurant=kitchen_out.k.restaurant,
            name="Deliverect",
            slug="dlv",
            kind=SourceKind.DELIVERECT,
            api_client_id=CLIENT_ID,
            api_secret=CLIENT_SECRET,
        )
        Order.objects.create(
            restaurant=kitchen_out.k.restaurant,
            source=source,
            external_id="65f0a1b2c3d4e5f6a7b8c9d0",
            number="XYZ88",
            placed_at=timezone.now(),
        )
        from orders.actions.notify import order_event

        order_event(
            Order.objects.get(external_id="65f0a1b2c3d4e5f6a7b8c9d0"),
            "order.ready",
            now=timezone.now(),
        )
        outbox_deliver_due()

        status = status_posts(fake)
        assert [r.path for r in status] == ["/kds/orderStatus/65f0a1b2c3d4e5f6a7b8c9d0"]
        assert status[0].json() == {"orderId": "65f0a1b2c3d4e5f6a7b8c9d0", "status": 70}
        assert OutboxMessage.objects.get(kind=OutboxKind.DELIVERECT_STATUS).state == "delivered"


def test_delivered_events_are_forgotten_after_a_month_and_waiting_ones_never(
    kitchen_out: Kitchen, receiver: Receiver
) -> None:
    from orders.outbox.deliver import outbox_prune

    ready_order(kitchen_out, "o-1")
    outbox_deliver_due()
    receiver.failing = True
    ready_order(kitchen_out, "o-2")
    outbox_deliver_due()
    later = timezone.now() + timedelta(days=31)

    assert outbox_prune(now=timezone.now()) == 0
    assert outbox_prune(now=later) == 1
    (left,) = OutboxMessage.objects.all()
    assert left.state == OutboxState.PENDING  # still to deliver: kept
    assert not DeliveryAttempt.objects.filter(message__state=OutboxState.DELIVERED).exists()
