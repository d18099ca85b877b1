"""An order is ready when every fired line is: a held (later) course does not hold it back."""

from __future__ import annotations

from orders import services, serving
from orders.models import LineStation, OrderStatus, TicketState
from tests.expo.conftest import Kitchen, bump_all, place, placement, screen_of


def test_it_is_ready_when_every_fired_line_is(kitchen: Kitchen) -> None:
    order = place(kitchen)
    LineStation.objects.filter(pk=placement(order, kitchen.cold, "l-2").pk).update(
        state=TicketState.HELD
    )
    bump_all(order, kitchen.wok)
    assert serving.order_is_ready(order) is False  # the beef is fired and still live
    LineStation.objects.filter(pk=placement(order, kitchen.cold, "l-1").pk).update(
        state=TicketState.READY
    )
    assert serving.order_is_ready(order) is True


def test_it_serves_the_fired_lines_and_waits_for_the_held_course(kitchen: Kitchen) -> None:
    order = place(kitchen)
    LineStation.objects.filter(pk=placement(order, kitchen.cold, "l-2").pk).update(
        state=TicketState.HELD
    )
    bump_all(order, kitchen.wok)
    services.line_bump(
        placement=placement(order, kitchen.cold, "l-1"), screen=screen_of(kitchen.cold)
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.READY

    assert serving.order_handover(order=order, screen=screen_of(kitchen.expo)) is True

    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN  # the held tofu is still to come
    assert serving.order_is_ready(order) is False
