"""Median, mean and 90th percentile of ticket times, from arrival to the bump."""

from __future__ import annotations

import pytest

from orders import reports
from tests.reports.history import make_history

pytestmark = pytest.mark.django_db


def test_it_computes_median_mean_and_90th_percentile_of_ticket_times() -> None:
    h = make_history()
    for minutes in (1, 2, 3, 4, 10):
        h.ticket(h.order(h.at("12:00")), minutes=minutes)

    prep = reports.headline(scope=h.scope()).prep

    assert prep.count == 5
    assert prep.median == pytest.approx(3 * 60, abs=0.01)
    assert prep.mean == pytest.approx(4 * 60, abs=0.01)
    # percentile_cont: position 0.9 × 4 = 3.6, between 4 and 10 minutes.
    assert prep.p90 == pytest.approx(7.6 * 60, abs=0.01)


def test_it_interpolates_the_median_of_an_even_count() -> None:
    h = make_history()
    for minutes in (1, 2, 3, 10):
        h.ticket(h.order(h.at("12:00")), minutes=minutes)

    prep = reports.headline(scope=h.scope()).prep

    assert prep.median == pytest.approx(2.5 * 60, abs=0.01)
    assert prep.p90 == pytest.approx((3 + 0.7 * 7) * 60, abs=0.01)


def test_it_counts_each_station_of_a_line_as_a_ticket_of_its_own() -> None:
    h = make_history()
    order = h.order(h.at("12:00"))
    h.ticket(order, minutes=2, station=h.grill)
    h.ticket(order, minutes=6, station=h.wok)
    h.ticket(order, minutes=None, station=h.wok)  # still cooking: not timed

    head = reports.headline(scope=h.scope())

    assert head.orders == 1
    assert head.dishes == 3
    assert head.prep.count == 2
    assert head.prep.median == pytest.approx(4 * 60, abs=0.01)


def test_it_reports_nothing_for_an_empty_period() -> None:
    h = make_history()

    head = reports.headline(scope=h.scope())

    assert (head.orders, head.dishes, head.voided, head.cancelled) == (0, 0, 0, 0)
    assert head.prep.count == 0
    assert head.prep.median is None
    assert head.prep.late_share is None
