"""Orders and the median ticket time in each hour of the day, so peaks show."""

from __future__ import annotations

import pytest

from orders import reports
from tests.reports.history import make_history

pytestmark = pytest.mark.django_db


def test_it_groups_orders_and_ticket_times_by_hour_of_day() -> None:
    h = make_history(time_zone="Europe/London")
    for hhmm, minutes in (("12:00", 2), ("12:30", 4), ("12:59", 9), ("19:15", 7)):
        h.ticket(h.order(h.at(hhmm)), minutes=minutes)
    h.order(h.at("19:20"))  # no ticket yet

    hours = reports.by_hour(scope=h.scope())

    assert len(hours) == 24
    assert [(r.hour, r.orders, r.tickets) for r in hours if r.orders] == [(12, 3, 3), (19, 2, 1)]
    assert hours[12].median == pytest.approx(4 * 60, abs=0.01)
    assert hours[19].median == pytest.approx(7 * 60, abs=0.01)
    assert hours[3].median is None


def test_it_adds_up_the_same_hour_over_several_days() -> None:
    h = make_history()
    from datetime import timedelta

    h.ticket(h.order(h.at("08:10", day=h.day - timedelta(days=1))), minutes=1)
    h.ticket(h.order(h.at("08:50")), minutes=3)

    hours = reports.by_hour(scope=h.scope(start=h.day - timedelta(days=1), end=h.day))

    assert (hours[8].orders, hours[8].median) == (2, pytest.approx(120, abs=0.01))
