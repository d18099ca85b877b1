"""Expo sends a dish back: live again at its station, flagged, and the order is not ready."""

from __future__ import annotations

from orders.actions import serving
from orders.boards.station import board
from orders.models import EventKind, OrderEvent, OrderStatus, TicketState
from tests.hotpot import Kitchen, bump_all, place, placement, screen_of


def test_it_puts_the_line_back_on_its_station_flagged(kitchen: Kitchen) -> None:
    order = place(kitchen)
    bump_all(order, kitchen.wok)
    bump_all(order, kitchen.cold)
    expo_screen = screen_of(kitchen.expo, "Pass")
    beef_at_expo = placement(order, kitchen.expo, "l-1")

    assert serving.line_send_back(placement=beef_at_expo, screen=expo_screen) is True

    beef = placement(order, kitchen.cold, "l-1")
    assert beef.state == TicketState.LIVE and beef.sent_back and beef.ready_at is None
    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN and order.ready_at is None
    event = OrderEvent.objects.get(order=order, kind=EventKind.SENT_BACK)
    assert (event.line_id, event.screen_id) == (beef.line_id, expo_screen.pk)
    [ticket] = board(kitchen.cold).tickets
    assert [(line.name, line.sent_back) for line in ticket.lines if not line.is_ready] == [
        ("Sliced Beef", True)
    ]
    # The wok's lines were not touched.
    assert placement(order, kitchen.wok, "l-3").state == TicketState.READY


def test_it_makes_the_order_ready_again_when_the_station_re_bumps(kitchen: Kitchen) -> None:
    order = place(kitchen)
    bump_all(order, kitchen.wok)
    bump_all(order, kitchen.cold)
    serving.line_send_back(
        placement=placement(order, kitchen.expo, "l-2"), screen=screen_of(kitchen.expo)
    )
    bump_all(order, kitchen.cold)
    order.refresh_from_db()
    assert order.status == OrderStatus.READY
    assert OrderEvent.objects.filter(order=order, kind=EventKind.READY).count() == 2
