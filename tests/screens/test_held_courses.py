"""Held courses show greyed and marked HELD, or not at all, as the station is set."""

from __future__ import annotations

import pytest
from django.test import Client

from orders.models import HeldCourseDisplay, LineStation, Station, TicketState
from tests.factories import order_body
from tests.screens.conftest import TWO_COURSES, Kitchen2, hold_second_course, pair, post_order

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("display", [HeldCourseDisplay.SHOW, HeldCourseDisplay.HIDE])
def test_it_shows_or_hides_held_courses(kitchen2: Kitchen2, display: str) -> None:
    Station.objects.filter(pk=kitchen2.a.pk).update(held_course_display=display)
    post_order(kitchen2, order_body("o-1", number="1", items=TWO_COURSES))
    hold_second_course(kitchen2.a)
    _, cookie = pair(kitchen2.a)
    client = Client()
    client.cookies["kds_screen"] = cookie

    html = client.get("/screen/").content.decode()

    assert "Spring rolls" in html
    if display == HeldCourseDisplay.SHOW:
        assert "Peking duck" in html and "is-held" in html and "HELD" in html
    else:
        assert "Peking duck" not in html


@pytest.mark.parametrize("display", [HeldCourseDisplay.SHOW, HeldCourseDisplay.FULL])
def test_it_shows_a_held_ticket_as_a_strip_unless_the_station_shows_it_in_full(
    kitchen2: Kitchen2, display: str
) -> None:
    """Nothing to cook yet (course 1 ready, course 2 held): a strip after the live tickets."""
    Station.objects.filter(pk=kitchen2.a.pk).update(held_course_display=display)
    post_order(kitchen2, order_body("o-1", number="1", items=TWO_COURSES))
    post_order(kitchen2, order_body("o-2", number="2"))
    LineStation.objects.filter(line__external_id="l-1", line__order__external_id="o-1").update(
        state=TicketState.READY
    )
    hold_second_course(kitchen2.a)
    _, cookie = pair(kitchen2.a)
    client = Client()
    client.cookies["kds_screen"] = cookie

    html = client.get("/screen/").content.decode()

    held = html.index('data-rank="2"')
    assert html.index('data-rank="1"') < held
    if display == HeldCourseDisplay.SHOW:
        assert "is-compact" in html and "1 dish held" in html
        assert "Peking duck" not in html
    else:
        assert "is-compact" not in html and "Peking duck" in html[held:]
