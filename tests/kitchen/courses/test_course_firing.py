"""Course 1 is live at once; later courses wait for expo, for the earlier course, or for a delay."""

from __future__ import annotations

from orders.actions.firing import course_fire, fire_due
from orders.models import EventKind, LineStation, OrderEvent, Screen, TicketState
from tests.kitchen.courses.conftest import MIN, T0, HotPot, Ingest, expo_states, state


def test_it_holds_later_courses_and_fires_the_first(hotpot: HotPot, ingest: Ingest) -> None:
    order = ingest(["BASE", "BEEF", "TOFU", "CUKE"])

    assert state(order, "BASE", hotpot.soup) == (TicketState.LIVE, None, T0)
    assert state(order, "CUKE", hotpot.cold) == (TicketState.LIVE, None, T0)
    assert state(order, "BEEF", hotpot.soup) == (TicketState.HELD, None, None)
    assert state(order, "TOFU", hotpot.soup) == (TicketState.HELD, None, None)
    assert expo_states(order) == {TicketState.LIVE}


def test_it_fires_a_course_when_expo_says_so(hotpot: HotPot, ingest: Ingest) -> None:
    order = ingest(["BASE", "BEEF", "TOFU"])
    expo_screen = Screen.objects.create(
        restaurant=hotpot.k.restaurant, station=hotpot.k.expo, name="Expo"
    )
    seq_before = hotpot.soup.seq

    fired = course_fire(order=order, course=2, screen=expo_screen, now=T0 + 5 * MIN)

    assert fired == 2
    assert state(order, "BEEF", hotpot.soup) == (TicketState.LIVE, None, T0 + 5 * MIN)
    events = OrderEvent.objects.filter(order=order, kind=EventKind.FIRED)
    assert {(e.line and e.line.sku, e.screen_id, e.data["course"]) for e in events} == {
        ("BEEF", expo_screen.pk, 2),
        ("TOFU", expo_screen.pk, 2),
    }
    hotpot.soup.refresh_from_db()
    assert hotpot.soup.seq > seq_before
    # A fired course is not fired again.
    assert course_fire(order=order, course=2, now=T0 + 6 * MIN) == 0


def test_it_fires_the_next_held_course_by_default(hotpot: HotPot, ingest: Ingest) -> None:
    order = ingest(["BASE", "BEEF"])
    assert course_fire(order=order, now=T0 + MIN) == 1
    assert state(order, "BEEF", hotpot.soup)[0] == TicketState.LIVE


def test_it_fires_the_next_course_after_the_station_delay(hotpot: HotPot, ingest: Ingest) -> None:
    hotpot.soup.course_delay_minutes = 10
    hotpot.soup.auto_fire_next_course = False
    hotpot.soup.save()
    order = ingest(["BASE", "BEEF"])

    assert state(order, "BEEF", hotpot.soup) == (TicketState.HELD, T0 + 10 * MIN, None)
    assert fire_due(now=T0 + 9 * MIN) == 0
    assert fire_due(now=T0 + 10 * MIN) == 1
    assert state(order, "BEEF", hotpot.soup) == (TicketState.LIVE, None, T0 + 10 * MIN)


def test_it_does_not_fire_a_cancelled_order(hotpot: HotPot, ingest: Ingest) -> None:
    hotpot.soup.course_delay_minutes = 1
    hotpot.soup.save()
    order = ingest(["BASE", "BEEF"])
    ingest([], kind="order.cancelled", now=T0 + MIN / 6)
    assert fire_due(now=T0 + 5 * MIN) == 0
    assert course_fire(order=order, now=T0 + 5 * MIN) == 0


def test_it_holds_a_line_added_for_a_later_course(hotpot: HotPot, ingest: Ingest) -> None:
    ingest(["BASE"])
    order = ingest(["BASE", "BEEF", "CUKE"], kind="order.updated", now=T0 + 2 * MIN)
    assert state(order, "BEEF", hotpot.soup) == (TicketState.HELD, None, None)
    # Same course as the one cooking: live at once, timed from when it was added.
    assert state(order, "CUKE", hotpot.cold) == (TicketState.LIVE, None, T0 + 2 * MIN)
    assert LineStation.objects.filter(line__order=order, state=TicketState.HELD).count() == 1
