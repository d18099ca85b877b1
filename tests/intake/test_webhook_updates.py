"""Updates carry the whole order; out of order is normal; a cancel wins."""

from __future__ import annotations

from orders.models import EventKind, Line, LineStatus, Order, OrderStatus
from tests import factories
from tests.intake.conftest import Post

BEEF = {"id": "1", "name": "Sliced beef", "quantity": 3}
TOFU = {"id": "2", "name": "Frozen tofu", "quantity": 1}
RICE = {"id": "3", "name": "Rice", "quantity": 2}


def test_it_ignores_an_update_older_than_the_last_applied(post: Post) -> None:
    post(factories.order_body("o-1", timestamp="2026-11-21T12:00:00Z", items=[BEEF]))
    post(
        factories.order_body(
            "o-1", kind="order.updated", timestamp="2026-11-21T12:05:00Z", items=[BEEF, TOFU]
        )
    )

    late = post(
        factories.order_body(
            "o-1", kind="order.updated", timestamp="2026-11-21T12:02:00Z", items=[RICE]
        )
    )

    assert late.status_code == 200
    assert late.json()["stale"] is True
    assert sorted(
        Line.objects.filter(status=LineStatus.ACTIVE).values_list("external_id", flat=True)
    ) == ["1", "2"]
    assert not Line.objects.filter(external_id="3").exists()


def test_it_applies_an_older_created_after_its_update_as_stale(post: Post) -> None:
    post(
        factories.order_body(
            "o-1", kind="order.updated", timestamp="2026-11-21T12:05:00Z", items=[BEEF, TOFU]
        )
    )
    response = post(factories.order_body("o-1", timestamp="2026-11-21T12:00:00Z", items=[BEEF]))
    assert response.json()["stale"] is True
    assert Line.objects.filter(status=LineStatus.ACTIVE).count() == 2


def test_it_voids_a_lowered_quantity_and_adds_a_new_line(
    post: Post, kitchen: factories.Kitchen
) -> None:
    post(factories.order_body("o-1", timestamp="2026-11-21T12:00:00Z", items=[BEEF, TOFU]))

    response = post(
        factories.order_body(
            "o-1",
            kind="order.updated",
            timestamp="2026-11-21T12:01:00Z",
            items=[{**BEEF, "quantity": 1}, TOFU, RICE],
        )
    )

    assert response.status_code == 200
    beef = Line.objects.get(external_id="1")
    assert (beef.quantity, beef.voided_quantity, beef.status) == (1, 2, LineStatus.ACTIVE)
    assert all(p.void_pending for p in beef.placements.all())
    rice = Line.objects.get(external_id="3")
    assert rice.added_by_update and rice.placements.count() == 2
    event = beef.events.get(kind=EventKind.LINE_VOIDED)
    assert event.data == {"quantity": 2, "remaining": 1}
    assert event.source == kitchen.source


def test_it_marks_changed_modifiers_and_notes(post: Post) -> None:
    post(factories.order_body("o-1", timestamp="2026-11-21T12:00:00Z", items=[BEEF]))
    post(
        factories.order_body(
            "o-1",
            kind="order.updated",
            timestamp="2026-11-21T12:01:00Z",
            items=[{**BEEF, "modifiers": ["no cilantro"], "notes": "ALLERGY: sesame"}],
        )
    )
    beef = Line.objects.get()
    assert beef.changed_at is not None
    assert beef.modifiers == ["no cilantro"] and beef.notes == "ALLERGY: sesame"
    assert beef.events.get(kind=EventKind.LINE_CHANGED).data == {"fields": ["modifiers", "notes"]}


def test_it_keeps_a_cancelled_order_cancelled_after_a_later_update(post: Post) -> None:
    post(factories.order_body("o-1", timestamp="2026-11-21T12:00:00Z", items=[BEEF]))
    post(factories.order_body("o-1", kind="order.cancelled", timestamp="2026-11-21T12:01:00Z"))

    late = post(
        factories.order_body(
            "o-1", kind="order.updated", timestamp="2026-11-21T12:09:00Z", items=[BEEF, TOFU]
        )
    )

    assert late.status_code == 200
    assert late.json()["status"] == "cancelled"
    order = Order.objects.get()
    assert order.status == OrderStatus.CANCELLED
    assert order.lines.count() == 1


def test_it_keeps_an_order_cancelled_when_the_cancel_overtakes_it(post: Post) -> None:
    cancel = post(
        factories.order_body("o-1", kind="order.cancelled", timestamp="2026-11-21T12:05:00Z")
    )
    created = post(factories.order_body("o-1", timestamp="2026-11-21T12:00:00Z", items=[BEEF]))

    assert cancel.status_code == 200 and cancel.json()["status"] == "cancelled"
    assert created.status_code == 200 and created.json()["status"] == "cancelled"
    assert Order.objects.get().status == OrderStatus.CANCELLED
    assert Line.objects.count() == 0


def test_it_answers_a_repeated_cancel_without_a_second_event(post: Post) -> None:
    post(factories.order_body("o-1", items=[BEEF]))
    post(factories.order_body("o-1", kind="order.cancelled"))
    again = post(factories.order_body("o-1", kind="order.cancelled"))
    assert again.json()["status"] == "cancelled"
    assert Order.objects.get().events.filter(kind=EventKind.CANCELLED).count() == 1


def test_it_restores_a_voided_line_that_comes_back(post: Post) -> None:
    post(factories.order_body("o-1", timestamp="2026-11-21T12:00:00Z", items=[BEEF, TOFU]))
    post(
        factories.order_body(
            "o-1", kind="order.updated", timestamp="2026-11-21T12:01:00Z", items=[BEEF]
        )
    )
    post(
        factories.order_body(
            "o-1", kind="order.updated", timestamp="2026-11-21T12:02:00Z", items=[BEEF, TOFU]
        )
    )
    tofu = Line.objects.get(external_id="2")
    assert (tofu.status, tofu.quantity) == (LineStatus.ACTIVE, 1)
    assert not any(p.void_pending for p in tofu.placements.all())


def test_it_updates_order_fields(post: Post) -> None:
    post(factories.order_body("o-1", timestamp="2026-11-21T12:00:00Z", table="A1"))
    post(
        factories.order_body(
            "o-1",
            kind="order.updated",
            timestamp="2026-11-21T12:01:00Z",
            table="B2",
            priority="vip",
        )
    )
    order = Order.objects.get()
    assert (order.table, order.priority) == ("B2", "vip")
    assert order.events.get(kind=EventKind.UPDATED).data["fields"] == ["priority", "table"]
