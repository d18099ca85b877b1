"""Expo hands a ready order over: it is served, logged with the screen, and leaves the boards."""

from __future__ import annotations

from orders.actions import serving
from orders.boards.station import board
from orders.models import EventKind, OrderEvent, OrderStatus, Station
from tests.hotpot import Kitchen, bump_all, place, screen_of


def test_it_serves_a_ready_order_and_logs_the_screen(kitchen: Kitchen) -> None:
    order = place(kitchen, table="A12")
    bump_all(order, kitchen.wok)
    bump_all(order, kitchen.cold)
    order.refresh_from_db()
    assert order.status == OrderStatus.READY
    expo_screen = screen_of(kitchen.expo, "Pass")
    seqs = dict(Station.objects.values_list("pk", "seq"))

    assert serving.order_handover(order=order, screen=expo_screen) is True

    order.refresh_from_db()
    assert order.status == OrderStatus.SERVED and order.served_at is not None
    event = OrderEvent.objects.get(order=order, kind=EventKind.SERVED)
    assert event.screen_id == expo_screen.pk and event.user_id is None
    after = dict(Station.objects.values_list("pk", "seq"))
    for station in (kitchen.wok, kitchen.cold, kitchen.expo):
        assert after[station.pk] == seqs[station.pk] + 1
    assert board(kitchen.wok).tickets == []


def test_it_refuses_an_order_that_is_still_cooking(kitchen: Kitchen) -> None:
    order = place(kitchen)
    bump_all(order, kitchen.wok)  # the cold station is still plating

    assert serving.order_handover(order=order, screen=screen_of(kitchen.expo)) is False
    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN
    assert not OrderEvent.objects.filter(order=order, kind=EventKind.SERVED).exists()
