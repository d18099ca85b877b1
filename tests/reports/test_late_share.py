"""A ticket is late when it took longer than the dish's late threshold, else the station's."""

from __future__ import annotations

import pytest

from orders import reports
from tests.reports.history import make_history

pytestmark = pytest.mark.django_db


def test_it_counts_tickets_over_the_late_threshold_as_late() -> None:
    h = make_history()  # grill: late after 12 minutes, wok: after 6, salad: after 3 anywhere
    for minutes in (11, 12, 13):
        h.ticket(h.order(h.at("12:00")), minutes=minutes, station=h.grill)
    h.ticket(h.order(h.at("12:00")), minutes=4, station=h.grill, item=h.salad)
    for minutes in (5, 7):
        h.ticket(h.order(h.at("12:00")), minutes=minutes, station=h.wok, item=h.noodles)

    head = reports.headline(scope=h.scope())
    stations = {row.name: row for row in reports.by_station(scope=h.scope())}

    # Late: grill 13 (12 is not over 12), salad 4 (over its own 3), wok 7.
    assert head.prep.late == 3
    assert head.prep.late_share == pytest.approx(0.5)
    assert stations["Grill"].prep.late_share == pytest.approx(2 / 4)
    assert stations["Wok"].prep.late_share == pytest.approx(1 / 2)
