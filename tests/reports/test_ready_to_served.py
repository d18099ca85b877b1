"""Ready to served is timed per order, from its ready event to its served event."""

from __future__ import annotations

import pytest

from orders import reports
from orders.models import OrderStatus
from tests.reports.history import make_history

pytestmark = pytest.mark.django_db


def test_it_times_orders_from_ready_to_served() -> None:
    h = make_history()
    for served_after in (1, 2, 6):
        h.ticket(h.order(h.at("19:00"), ready_after=10, served_after=served_after), minutes=10)
    h.order(h.at("19:00"), ready_after=10)  # ready, not served yet
    h.order(h.at("19:00"))  # still cooking

    serve = reports.headline(scope=h.scope()).to_serve

    assert serve.count == 3
    assert serve.median == pytest.approx(2 * 60, abs=0.01)
    assert serve.mean == pytest.approx(3 * 60, abs=0.01)
    assert serve.p90 == pytest.approx((2 + 0.8 * 4) * 60, abs=0.01)
    assert serve.late_share is None


def test_it_leaves_cancelled_orders_out_of_ready_to_served() -> None:
    h = make_history()
    h.order(h.at("19:00"), ready_after=5, served_after=1)
    cancelled = h.order(h.at("19:00"), ready_after=5, served_after=30)
    cancelled.status = OrderStatus.CANCELLED
    cancelled.save(update_fields=["status"])

    serve = reports.headline(scope=h.scope()).to_serve

    assert serve.count == 1
    assert serve.median == pytest.approx(60, abs=0.01)
