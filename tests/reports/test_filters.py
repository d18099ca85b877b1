"""The station and order-channel filters narrow every table."""

from __future__ import annotations

import pytest

from orders import reports
from orders.models import Channel
from tests.reports.history import History, make_history

pytestmark = pytest.mark.django_db


def _history() -> History:
    h = make_history()
    dine_in = h.order(h.at("12:00"), channel=Channel.DINE_IN)
    h.ticket(dine_in, minutes=2, station=h.grill)
    h.ticket(dine_in, minutes=4, station=h.wok, item=h.noodles)
    h.ticket(
        h.order(h.at("12:10"), channel=Channel.TAKEOUT),
        minutes=6,
        station=h.wok,
        item=h.noodles,
        quantity=2,
    )
    h.ticket(h.order(h.at("12:20"), channel=Channel.DELIVERY), minutes=8, station=h.grill)
    return h


def test_it_filters_by_station() -> None:
    h = _history()
    scope = h.scope(station_id=h.wok.pk)

    head = reports.headline(scope=scope)

    assert head.orders == 2  # the orders with a dish at the wok
    assert head.dishes == 3  # their dishes made at the wok
    assert head.prep.count == 2
    assert head.prep.median == pytest.approx(5 * 60, abs=0.01)
    assert [row.name for row in reports.by_station(scope=scope)] == ["Wok"]
    assert [row.name for row in reports.by_dish(scope=scope).slowest] == ["Dan dan noodles"]


def test_it_filters_by_channel() -> None:
    h = _history()
    scope = h.scope(channel=Channel.TAKEOUT)

    head = reports.headline(scope=scope)
    channels = reports.by_channel(scope=scope)

    assert head.orders == 1
    assert head.prep.median == pytest.approx(6 * 60, abs=0.01)
    assert [(row.channel, row.orders) for row in channels] == [("takeout", 1)]


def test_it_combines_the_filters() -> None:
    h = _history()

    head = reports.headline(scope=h.scope(channel=Channel.DELIVERY, station_id=h.wok.pk))

    assert head.orders == 0
    assert head.prep.count == 0
