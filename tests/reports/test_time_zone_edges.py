"""Days and hours are the restaurant's, cut at its midnight, not UTC's."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from orders import reports
from tests.reports.history import make_history

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 10)


def test_it_cuts_the_day_at_midnight_in_the_restaurant_time_zone() -> None:
    h = make_history(time_zone="Asia/Shanghai", day=DAY)  # UTC+8
    before = h.order(h.at("23:59", day=DAY - timedelta(days=1)))
    first = h.order(h.at("00:00"))
    last = h.order(h.at("23:59"))
    after = h.order(h.at("00:00", day=DAY + timedelta(days=1)))
    for order in (before, first, last, after):
        h.ticket(order, minutes=3)

    head = reports.headline(scope=h.scope())
    hours = reports.by_hour(scope=h.scope())

    assert head.orders == 2
    assert head.prep.count == 2
    # Local midnight is 16:00 UTC the day before; UTC hours would put both orders at 15 and 16.
    assert [(r.hour, r.orders) for r in hours if r.orders] == [(0, 1), (23, 1)]
    assert hours[0].median == pytest.approx(180, abs=0.01)


def test_it_counts_today_from_the_restaurant_midnight() -> None:
    h = make_history(time_zone="Asia/Shanghai", day=DAY)
    h.order(h.at("23:30", day=DAY - timedelta(days=1)))
    h.order(h.at("00:10"))
    now = datetime(2026, 3, 9, 16, 30, tzinfo=UTC)  # 00:30 on the 10th in Shanghai

    today = reports.report_scope(restaurant=h.restaurant, period=reports.Period.TODAY, now=now)
    yesterday = reports.report_scope(
        restaurant=h.restaurant, period=reports.Period.YESTERDAY, now=now
    )

    assert today.first_day == today.last_day == DAY
    assert reports.headline(scope=today).orders == 1
    assert reports.headline(scope=yesterday).orders == 1


def test_it_counts_the_last_seven_days_including_today() -> None:
    h = make_history(time_zone="America/New_York", day=DAY)
    now = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)  # 23:00 on the 9th in New York

    scope = reports.report_scope(restaurant=h.restaurant, period=reports.Period.LAST_7, now=now)

    assert (scope.first_day, scope.last_day) == (date(2026, 3, 3), date(2026, 3, 9))
    assert scope.days == 7
