"""An order is ready when every fired line is: a held (later) course does not hold it back."""

from __future__ import annotations

from orders.actions import cooking as services
from orders.actions import serving
from orders.kitchen import readiness
from orders.models import Order, OrderStatus, TicketState
from tests.hotpot import HOTPOT, Kitchen, bump_all, place, placement, screen_of


def _with_held_tofu(kitchen: Kitchen) -> Order:
    """Frozen tofu is a second course that the cold station fires by hand (no auto-fire)."""
    kitchen.cold.auto_fire_next_course = False
    kitchen.cold.save()
    items = [dict(item) for item in HOTPOT]
    items[1]["course"] = 2
    order = place(kitchen, items=items)
    assert placement(order, kitchen.cold, "l-2").state == TicketState.HELD
    return order


def test_it_is_ready_when_every_fired_line_is(kitchen: Kitchen) -> None:
    order = _with_held_tofu(kitchen)
    bump_all(order, kitchen.wok)
    assert readiness.order_is_ready(order=order) is False  # the beef is fired and still live

    services.line_bump(
        placement=placement(order, kitchen.cold, "l-1"), screen=screen_of(kitchen.cold)
    )

    assert placement(order, kitchen.cold, "l-2").state == TicketState.HELD
    assert readiness.order_is_ready(order=order) is True
    order.refresh_from_db()
    assert order.status == OrderStatus.READY


def test_it_serves_the_fired_lines_and_waits_for_the_held_course(kitchen: Kitchen) -> None:
    order = _with_held_tofu(kitchen)
    bump_all(order, kitchen.wok)
    services.line_bump(
        placement=placement(order, kitchen.cold, "l-1"), screen=screen_of(kitchen.cold)
    )
    order.refresh_from_db()

    assert serving.order_handover(order=order, screen=screen_of(kitchen.expo)) is True

    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN  # the held tofu is still to come
    assert readiness.order_is_ready(order=order) is False
    assert placement(order, kitchen.expo, "l-2").state == TicketState.LIVE  # not served
