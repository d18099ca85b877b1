"""Every example of the contract, posted in order over real HTTP, does what the spec says."""

from __future__ import annotations

import pytest

from orders.models import (
    Channel,
    EventKind,
    LineStatus,
    MenuItem,
    Order,
    OrderStatus,
    Priority,
    TicketState,
)
from tests import factories
from tests.intake.conftest import Post

pytestmark = pytest.mark.usefixtures("dated_examples")


@pytest.fixture
def menu(kitchen: factories.Kitchen) -> None:
    for sku, name in [
        ("HP-BASE-MALA", "Spicy Mala Broth"),
        ("HP-BEEF", "Sliced Beef"),
        ("HP-TOFU", "Frozen Tofu"),
        ("DRK-PLUM", "Sour Plum Drink"),
        ("KP-CHK", "Kung Pao Chicken"),
        ("DUMP-PORK", "Pork Dumplings"),
    ]:
        MenuItem.objects.create(restaurant=kitchen.restaurant, sku=sku, name=name, prep_minutes=10)


def test_it_stores_a_dine_in_hotpot_order(
    post: Post, kitchen: factories.Kitchen, menu: None
) -> None:
    response = post(factories.example("01-dine-in-hotpot.json"))

    assert response.status_code == 201
    order = Order.objects.get()
    assert response.json() == {"order": str(order.pk), "status": "created"}
    assert (order.number, order.table, order.guests, order.channel) == (
        "42",
        "A12",
        4,
        Channel.DINE_IN,
    )
    assert order.placed_at.isoformat() == "2026-11-21T03:58:00+00:00"
    lines = list(order.lines.order_by("position"))
    assert [(line.external_id, line.quantity, line.course) for line in lines] == [
        ("1", 1, 1),
        ("2", 2, 2),
        ("3", 1, 2),
        ("4", 4, 1),
    ]
    assert lines[0].name == "麻辣锅底 Spicy Mala Broth"
    assert lines[2].modifiers == ["extra portion"]
    assert lines[3].seat == 1
    assert not any(line.unmapped for line in lines)
    # Every line reaches the fallback prep station and the expo station. Course 1 cooks at
    # once, timed from placed_at; course 2 (the meat for the pot) waits to be fired.
    for line in lines:
        stations = {p.station_id: p for p in line.placements.all()}
        assert set(stations) == {kitchen.fallback.pk, kitchen.expo.pk}
        prep = stations[kitchen.fallback.pk]
        if line.course == 1:
            assert (prep.state, prep.fired_at) == (TicketState.LIVE, order.placed_at)
        else:
            assert (prep.state, prep.fired_at) == (TicketState.HELD, None)
    assert list(order.events.values_list("kind", flat=True)) == [EventKind.RECEIVED]


def test_it_stores_a_rush_takeout_order_with_an_allergy(post: Post, menu: None) -> None:
    body = factories.example("02-takeout-rush-allergy.json")
    response = post(body)

    assert response.status_code == 201
    order = Order.objects.get()
    assert order.priority == Priority.RUSH
    assert order.channel == Channel.TAKEOUT
    assert order.customer_name == body["data"]["customer_name"]
    notes = [line.notes for line in order.lines.all()]
    assert any("peanut" in note.lower() for note in notes)


def test_it_applies_an_update_that_adds_and_voids(
    post: Post, kitchen: factories.Kitchen, menu: None
) -> None:
    assert post(factories.example("02-takeout-rush-allergy.json")).status_code == 201

    response = post(factories.example("03-update-add-and-void.json"))

    assert response.status_code == 200
    order = Order.objects.get()
    assert response.json() == {
        "order": str(order.pk),
        "status": "updated",
        "duplicate": False,
        "stale": False,
    }
    lines = {line.external_id: line for line in order.lines.all()}
    assert set(lines) == {"a", "b", "c"}
    # "b" (rice) disappeared: voided, and shown until the stations acknowledge.
    assert (lines["b"].status, lines["b"].quantity, lines["b"].voided_quantity) == (
        LineStatus.VOIDED,
        0,
        2,
    )
    assert all(p.void_pending for p in lines["b"].placements.all())
    # "c" is new: marked as added by the update, on the screens.
    assert lines["c"].added_by_update and lines["c"].quantity == 6
    assert lines["c"].placements.count() == 2
    # "a" did not change.
    assert (lines["a"].status, lines["a"].changed_at, lines["a"].added_by_update) == (
        LineStatus.ACTIVE,
        None,
        False,
    )
    kinds = list(order.events.values_list("kind", flat=True))
    assert kinds.count(EventKind.LINE_VOIDED) == 1
    assert kinds.count(EventKind.LINE_ADDED) == 1
    assert kinds.count(EventKind.UPDATED) == 1


def test_it_cancels_an_order(post: Post, menu: None) -> None:
    post(factories.example("02-takeout-rush-allergy.json"))

    response = post(factories.example("04-cancel.json"))

    assert response.status_code == 200
    order = Order.objects.get()
    assert response.json()["status"] == "cancelled"
    assert order.status == OrderStatus.CANCELLED
    assert order.cancelled_at is not None
    assert order.events.filter(kind=EventKind.CANCELLED).count() == 1


def test_it_stores_a_past_scheduled_delivery_live_with_its_unknown_dish(
    post: Post, kitchen: factories.Kitchen
) -> None:
    response = post(factories.example("05-scheduled-delivery.json"))

    assert response.status_code == 201
    order = Order.objects.get()
    assert order.fire_at is not None and order.customer_name == "Chen"
    special = order.lines.get(external_id="l2")
    assert special.unmapped and special.name == "Chef's Special of the Day"
    assert {p.station_id for p in special.placements.all()} == {
        kitchen.fallback.pk,
        kitchen.expo.pk,
    }
    # fire_at has passed: nothing to hold.
    assert {p.state for line in order.lines.all() for p in line.placements.all()} == {
        TicketState.LIVE
    }


def test_it_holds_a_scheduled_delivery_off_the_kitchen_screens(
    post: Post, kitchen: factories.Kitchen
) -> None:
    body = factories.example("05-scheduled-delivery.json")
    body["data"]["fire_at"] = factories.now_rfc3339(3600)

    response = post(body)

    assert response.status_code == 201
    order = Order.objects.get()
    assert order.channel == Channel.DELIVERY
    prep = [p for line in order.lines.all() for p in line.placements.exclude(station=kitchen.expo)]
    assert prep and all(p.state == TicketState.HELD and p.hold_until for p in prep)
    assert all(p.hold_until <= order.fire_at for p in prep)  # type: ignore[operator]
