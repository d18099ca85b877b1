"""A held course is timed from its firing; a recalled line from its last bump."""

from __future__ import annotations

from datetime import timedelta

import pytest

from orders import reports
from orders.actions import cooking as services
from orders.models import Screen
from tests.reports.history import make_history

pytestmark = pytest.mark.django_db


def test_it_times_a_held_course_from_its_firing() -> None:
    h = make_history()
    order = h.order(h.at("19:00"))
    h.ticket(order, minutes=3)
    h.ticket(order, minutes=5, fired_after=25)  # second course: fired 25 minutes later

    prep = reports.headline(scope=h.scope()).prep

    assert prep.median == pytest.approx(4 * 60, abs=0.01)
    assert prep.p90 == pytest.approx(4.8 * 60, abs=0.01)
    assert prep.late == 0


def test_it_times_a_recalled_line_to_its_last_bump() -> None:
    h = make_history()
    order = h.order(h.at("19:00"))
    placement = h.ticket(order, minutes=None, station=h.wok, item=h.noodles)
    screen = Screen.objects.create(restaurant=h.restaurant, station=h.wok, name="Wok 1")
    start = h.at("19:00")

    services.line_bump(placement=placement, screen=screen, now=start + timedelta(minutes=3))
    services.line_unbump(placement=placement, screen=screen, now=start + timedelta(minutes=4))
    prep_while_recalled = reports.headline(scope=h.scope()).prep
    services.line_bump(placement=placement, screen=screen, now=start + timedelta(minutes=9))
    prep = reports.headline(scope=h.scope()).prep

    assert prep_while_recalled.count == 0
    assert prep.count == 1
    assert prep.median == pytest.approx(9 * 60, abs=0.01)
    assert prep.late == 1  # the wok's 6 minutes
