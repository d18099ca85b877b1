"""Every order channel gets a row: dine-in, takeout, delivery, drive-through."""

from __future__ import annotations

import pytest

from orders import reports
from orders.models import Channel, OrderStatus
from tests.reports.history import make_history

pytestmark = pytest.mark.django_db


def test_it_reports_each_channel_side_by_side() -> None:
    h = make_history()
    for minutes in (2, 4):
        h.ticket(
            h.order(h.at("12:00"), channel=Channel.DINE_IN, ready_after=minutes, served_after=1),
            minutes=minutes,
        )
    h.ticket(
        h.order(h.at("12:00"), channel=Channel.DELIVERY, ready_after=9, served_after=5),
        minutes=9,
        quantity=3,
    )
    h.order(h.at("12:00"), channel=Channel.DELIVERY, status=OrderStatus.CANCELLED)

    rows = {row.channel: row for row in reports.by_channel(scope=h.scope())}

    assert list(rows) == ["dine_in", "takeout", "delivery", "drive_thru"]
    assert (rows["dine_in"].orders, rows["dine_in"].dishes) == (2, 2)
    assert rows["dine_in"].prep.median == pytest.approx(3 * 60, abs=0.01)
    assert rows["dine_in"].to_serve.median == pytest.approx(60, abs=0.01)
    assert (rows["delivery"].orders, rows["delivery"].cancelled, rows["delivery"].dishes) == (
        2,
        1,
        3,
    )
    assert rows["delivery"].to_serve.median == pytest.approx(5 * 60, abs=0.01)
    assert rows["takeout"].orders == 0
    assert rows["drive_thru"].prep.median is None
