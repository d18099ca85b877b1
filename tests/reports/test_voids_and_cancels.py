"""Voided lines and cancelled orders count as voids and cancels, never in prep times."""

from __future__ import annotations

import pytest

from orders import reports
from orders.models import OrderStatus
from tests.reports.history import make_history

pytestmark = pytest.mark.django_db


def test_it_excludes_voided_lines_and_cancelled_orders_from_prep_times() -> None:
    h = make_history()
    order = h.order(h.at("12:00"))
    h.ticket(order, minutes=2, quantity=2)
    h.ticket(order, minutes=4)
    h.ticket(order, minutes=30, quantity=3, voided=True)  # bumped, then voided
    cancelled = h.order(h.at("12:05"), status=OrderStatus.CANCELLED)
    h.ticket(cancelled, minutes=40, quantity=5)

    head = reports.headline(scope=h.scope())

    assert head.prep.count == 2
    assert head.prep.median == pytest.approx(3 * 60, abs=0.01)
    assert head.prep.late == 0
    assert head.orders == 2
    assert head.cancelled == 1
    assert head.voided == 3
    assert head.dishes == 3  # 2 + 1; the cancelled order's 5 are not dishes made


def test_it_leaves_voids_out_of_the_station_and_dish_tables_too() -> None:
    h = make_history()
    order = h.order(h.at("12:00"))
    h.ticket(order, minutes=5, station=h.wok, item=h.noodles)
    h.ticket(order, minutes=50, station=h.wok, item=h.noodles, voided=True)

    [wok] = reports.by_station(scope=h.scope())
    [noodles] = reports.by_dish(scope=h.scope()).slowest

    assert wok.prep.count == 1
    assert wok.prep.median == pytest.approx(5 * 60, abs=0.01)
    assert wok.voided == 1
    assert noodles.prep.count == 1
    assert noodles.prep.p90 == pytest.approx(5 * 60, abs=0.01)
