"""Migration 0003 fills the reports' copies of rows that existed before it, in SQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from orders.models import Line, LineStation, Order

BEFORE = ("orders", "0002_groups")
AFTER = ("orders", "0003_reports_denormalise")
PLACED = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def test_it_fills_the_copies_and_times_of_existing_rows(migrate_to: Any) -> None:
    executor = migrate_to(BEFORE)
    old = executor.loader.project_state([BEFORE]).apps
    restaurant = old.get_model("orders", "Restaurant").objects.create(name="Old", slug="old")
    source = old.get_model("orders", "OrderSource").objects.create(
        restaurant=restaurant, name="POS", slug="pos-old"
    )
    station = old.get_model("orders", "Station").objects.create(
        restaurant=restaurant, name="Grill", slug="grill"
    )
    dish = old.get_model("orders", "MenuItem").objects.create(
        restaurant=restaurant, sku="STEAK", name="Steak"
    )
    old_order = old.get_model("orders", "Order")
    old_line = old.get_model("orders", "Line")
    old_placement = old.get_model("orders", "LineStation")
    served = old_order.objects.create(
        restaurant=restaurant,
        source=source,
        external_id="o-1",
        channel="takeout",
        placed_at=PLACED,
        status="served",
        ready_at=PLACED + timedelta(minutes=10),
        served_at=PLACED + timedelta(minutes=12),
    )
    cancelled = old_order.objects.create(
        restaurant=restaurant,
        source=source,
        external_id="o-2",
        channel="delivery",
        placed_at=PLACED + timedelta(hours=1),
        status="cancelled",
    )
    rows = [
        (served, dict(quantity=2, voided_quantity=1, status="active")),
        (served, dict(quantity=0, voided_quantity=1, status="voided")),
        (cancelled, dict(quantity=3, voided_quantity=0, status="active")),
    ]
    for n, (order, facts) in enumerate(rows):
        line = old_line.objects.create(
            order=order, external_id=f"l-{n}", menu_item=dish, name="Steak", **facts
        )
        old_placement.objects.create(
            line=line,
            station=station,
            state="ready",
            fired_at=order.placed_at,
            ready_at=order.placed_at + timedelta(minutes=7),
        )

    migrate_to(AFTER)
    migrate_to(None)  # later migrations leave the copies alone; read with today's models

    lines = {
        (line.order.external_id, line.external_id): line
        for line in Line.objects.select_related("order")
    }
    assert {
        key: (
            line.restaurant_id,
            line.order_placed_at,
            line.order_channel,
            line.order_cancelled,
        )
        for key, line in lines.items()
    } == {
        ("o-1", "l-0"): (restaurant.pk, PLACED, "takeout", False),
        ("o-1", "l-1"): (restaurant.pk, PLACED, "takeout", False),
        ("o-2", "l-2"): (restaurant.pk, PLACED + timedelta(hours=1), "delivery", True),
    }
    placements = {
        p.line.external_id: p for p in LineStation.objects.select_related("line", "line__order")
    }
    assert {
        key: (
            p.restaurant_id,
            p.order_id,
            p.menu_item_id,
            p.order_placed_at,
            p.order_channel,
            p.quantity,
            p.voided_quantity,
            p.counts,
        )
        for key, p in placements.items()
    } == {
        "l-0": (restaurant.pk, served.pk, dish.pk, PLACED, "takeout", 2, 1, True),
        "l-1": (restaurant.pk, served.pk, dish.pk, PLACED, "takeout", 0, 1, False),
        "l-2": (
            restaurant.pk,
            cancelled.pk,
            dish.pk,
            PLACED + timedelta(hours=1),
            "delivery",
            3,
            0,
            False,
        ),
    }
    # Only the counted ticket has a time; only the order not cancelled a serve time.
    assert placements["l-0"].ticket_seconds == pytest.approx(7 * 60, abs=0.01)
    assert placements["l-1"].ticket_seconds is None
    assert placements["l-2"].ticket_seconds is None
    serve = dict(Order.objects.values_list("external_id", "serve_seconds"))
    assert serve["o-1"] == pytest.approx(2 * 60, abs=0.01)
    assert serve["o-2"] is None
