"""The reports read copies of the order's and the line's facts kept on `Line` and
`LineStation` (restaurant, placed_at, channel, dish, quantities, `counts`) and the
ticket and ready-to-served times the database stores. These tests change orders
through the public paths only — the signed webhook (created, updated, a line voided,
cancelled) and the bump and recall services — and check that the reports still give
the answers of the history built, and that every copy equals its source.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from orders import reports
from orders.actions import cooking as services
from orders.models import Line, LineStation, MenuItem, Order, Screen
from tests import factories
from tests.conftest import Post

DAY_1 = date(2026, 3, 10)
DAY_2 = date(2026, 3, 11)
BEEF = {"id": "1", "sku": "BEEF", "name": "Sliced beef", "quantity": 3}
TOFU = {"id": "2", "sku": "TOFU", "name": "Frozen tofu", "quantity": 1}
RICE = {"id": "3", "sku": "RICE", "name": "Rice", "quantity": 2}


def _at(day: date, hhmm: str) -> datetime:
    hour, minute = (int(part) for part in hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def _iso(when: datetime) -> str:
    return when.isoformat().replace("+00:00", "Z")


def _scope(kitchen: factories.Kitchen, day: date, **kwargs: object) -> reports.ReportScope:
    return reports.report_scope(
        restaurant=kitchen.restaurant,
        period=reports.Period.CUSTOM,
        start=day,
        end=day,
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.fixture
def menu(kitchen: factories.Kitchen) -> dict[str, MenuItem]:
    kitchen.restaurant.time_zone = "UTC"
    kitchen.restaurant.save(update_fields=["time_zone"])
    return {
        sku: MenuItem.objects.create(restaurant=kitchen.restaurant, sku=sku, name=name)
        for sku, name in (("BEEF", "Sliced beef"), ("TOFU", "Frozen tofu"), ("RICE", "Rice"))
    }


def _send(
    post: Post, order_id: str, *, at: datetime, kind: str = "order.created", **data: Any
) -> None:
    """One webhook message, stamped `at` (so later messages are not stale)."""
    response = post(factories.order_body(order_id, kind=kind, timestamp=_iso(at), **data))
    assert response.status_code in (200, 201), response.text


def _assert_copies_right() -> None:
    """Every line's and placement's copies equal what its order and line say now."""
    for line in Line.objects.select_related("order"):
        expected = Line(order=line.order)
        expected.copy_order_facts(line.order)
        assert (
            line.restaurant_id,
            line.order_placed_at,
            line.order_channel,
            line.order_cancelled,
        ) == (
            expected.restaurant_id,
            expected.order_placed_at,
            expected.order_channel,
            expected.order_cancelled,
        ), line
    for placement in LineStation.objects.select_related("line", "line__order"):
        expected_placement = LineStation(line=placement.line, station_id=placement.station_id)
        expected_placement.copy_line_facts(placement.line, placement.line.order)
        fields = (
            "restaurant_id",
            "order_id",
            "menu_item_id",
            "order_placed_at",
            "order_channel",
            "quantity",
            "voided_quantity",
            "counts",
        )
        assert [getattr(placement, f) for f in fields] == [
            getattr(expected_placement, f) for f in fields
        ], placement


def test_it_follows_an_order_moved_to_another_day_and_channel(
    post: Post, kitchen: factories.Kitchen, menu: dict[str, MenuItem]
) -> None:
    placed = _at(DAY_1, "10:00")
    _send(post, "o-1", at=placed, placed_at=_iso(placed), channel="dine_in", items=[BEEF])

    moved = _at(DAY_2, "12:00")
    _send(
        post,
        "o-1",
        kind="order.updated",
        at=placed + timedelta(minutes=1),
        placed_at=_iso(moved),
        channel="takeout",
        items=[BEEF, RICE],
    )

    _assert_copies_right()
    day_1 = reports.headline(scope=_scope(kitchen, DAY_1))
    day_2 = reports.headline(scope=_scope(kitchen, DAY_2))
    assert (day_1.orders, day_1.dishes) == (0, 0)
    assert (day_2.orders, day_2.dishes) == (1, 5)
    channels = {row.channel: row for row in reports.by_channel(scope=_scope(kitchen, DAY_2))}
    assert (channels["takeout"].orders, channels["takeout"].dishes) == (1, 5)
    assert (channels["dine_in"].orders, channels["dine_in"].dishes) == (0, 0)
    stations = reports.by_station(scope=_scope(kitchen, DAY_2))
    assert [(row.station_id, row.orders, row.dishes) for row in stations] == [
        (kitchen.fallback.pk, 1, 5)
    ]
    assert reports.by_station(scope=_scope(kitchen, DAY_1)) == []
    takeout_only = reports.headline(scope=_scope(kitchen, DAY_2, channel="takeout"))
    assert takeout_only.dishes == 5
    assert reports.headline(scope=_scope(kitchen, DAY_2, channel="dine_in")).dishes == 0
    hours = {row.hour: row.orders for row in reports.by_hour(scope=_scope(kitchen, DAY_2))}
    assert hours[12] == 1 and sum(hours.values()) == 1


def test_it_leaves_out_a_voided_line_and_a_cancelled_order(
    post: Post, kitchen: factories.Kitchen, menu: dict[str, MenuItem]
) -> None:
    first, second = _at(DAY_1, "12:00"), _at(DAY_1, "12:30")
    _send(post, "o-1", at=first, placed_at=_iso(first), items=[BEEF, TOFU])
    _send(post, "o-2", at=second, placed_at=_iso(second), channel="delivery", items=[RICE])
    screen = Screen.objects.create(
        restaurant=kitchen.restaurant, station=kitchen.fallback, name="Kitchen 1"
    )
    for order, placed in (("o-1", first), ("o-2", second)):
        assert services.ticket_bump(
            order=Order.objects.get(external_id=order),
            station=kitchen.fallback,
            screen=screen,
            now=placed + timedelta(minutes=10),
        )

    # o-1: tofu removed (voided whole), beef lowered from 3 to 2 (one voided).
    _send(
        post,
        "o-1",
        kind="order.updated",
        at=first + timedelta(minutes=15),
        items=[{**BEEF, "quantity": 2}],
    )
    # o-2: cancelled after it was bumped.
    _send(post, "o-2", kind="order.cancelled", at=second + timedelta(minutes=15))

    _assert_copies_right()
    scope = _scope(kitchen, DAY_1)
    headline = reports.headline(scope=scope)
    assert (headline.orders, headline.cancelled) == (2, 1)
    assert (headline.dishes, headline.voided) == (2, 2)
    assert headline.prep.count == 1  # beef only: not the voided tofu, not the cancelled rice
    assert headline.prep.median == pytest.approx(600, abs=0.01)
    [station] = reports.by_station(scope=scope)
    assert (station.orders, station.dishes, station.voided, station.prep.count) == (2, 2, 2, 1)
    dishes = reports.by_dish(scope=scope)
    assert [(row.name, row.dishes, row.prep.count) for row in dishes.slowest] == [
        ("Sliced beef", 2, 1)
    ]
    channels = {row.channel: row for row in reports.by_channel(scope=scope)}
    assert (channels["delivery"].cancelled, channels["delivery"].dishes) == (1, 0)
    assert channels["delivery"].prep.count == 0
    assert (channels["dine_in"].dishes, channels["dine_in"].prep.count) == (2, 1)


def test_it_restores_a_voided_line_that_comes_back(
    post: Post, kitchen: factories.Kitchen, menu: dict[str, MenuItem]
) -> None:
    placed = _at(DAY_1, "18:00")
    _send(post, "o-1", at=placed, placed_at=_iso(placed), items=[BEEF, TOFU])
    _send(post, "o-1", kind="order.updated", at=placed + timedelta(minutes=1), items=[BEEF])
    voided = reports.headline(scope=_scope(kitchen, DAY_1))

    _send(
        post,
        "o-1",
        kind="order.updated",
        at=placed + timedelta(minutes=2),
        items=[BEEF, {**TOFU, "quantity": 4}],
    )

    _assert_copies_right()
    restored = reports.headline(scope=_scope(kitchen, DAY_1))
    assert (voided.dishes, voided.voided) == (3, 1)
    assert (restored.dishes, restored.voided) == (7, 1)


def test_it_times_a_bump_and_forgets_it_on_recall(
    post: Post, kitchen: factories.Kitchen, menu: dict[str, MenuItem]
) -> None:
    placed = _at(DAY_1, "19:00")
    _send(post, "o-1", at=placed, placed_at=_iso(placed), items=[BEEF])
    order = Order.objects.get(external_id="o-1")
    screen = Screen.objects.create(
        restaurant=kitchen.restaurant, station=kitchen.fallback, name="Kitchen 1"
    )
    scope = _scope(kitchen, DAY_1)

    cooking = reports.headline(scope=scope).prep
    services.ticket_bump(
        order=order, station=kitchen.fallback, screen=screen, now=placed + timedelta(minutes=7)
    )
    bumped = reports.headline(scope=scope).prep
    services.ticket_recall(
        order=order, station=kitchen.fallback, screen=screen, now=placed + timedelta(minutes=8)
    )
    recalled = reports.headline(scope=scope).prep
    services.ticket_bump(
        order=order, station=kitchen.fallback, screen=screen, now=placed + timedelta(minutes=12)
    )
    bumped_again = reports.headline(scope=scope).prep

    assert cooking.count == 0
    assert (bumped.count, bumped.median) == (1, pytest.approx(7 * 60, abs=0.01))
    assert recalled.count == 0
    assert (bumped_again.count, bumped_again.median) == (1, pytest.approx(12 * 60, abs=0.01))
    assert bumped_again.late == 1  # the kitchen station's default 8 minutes
    _assert_copies_right()
