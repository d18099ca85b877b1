"""When every line of the earlier course is ready, the next course fires by itself."""

from __future__ import annotations

from orders.actions import cooking as services
from orders.models import LineStation, Order, OrderStatus, Screen, Station, TicketState
from tests.kitchen.courses.conftest import MIN, T0, HotPot, Ingest, state


def bump(order: Order, sku: str, station: Station, screen: Screen, minutes: int) -> None:
    placement = LineStation.objects.get(line__order=order, line__sku=sku, station=station)
    services.line_bump(placement=placement, screen=screen, now=T0 + minutes * MIN)


def test_it_fires_the_next_course_when_the_earlier_one_is_ready(
    hotpot: HotPot, ingest: Ingest
) -> None:
    soup_screen = Screen.objects.create(
        restaurant=hotpot.k.restaurant, station=hotpot.soup, name="Soup"
    )
    cold_screen = Screen.objects.create(
        restaurant=hotpot.k.restaurant, station=hotpot.cold, name="Cold"
    )
    order = ingest(["BASE", "CUKE", "BEEF", "TOFU"])

    bump(order, "BASE", hotpot.soup, soup_screen, 12)
    assert state(order, "BEEF", hotpot.soup)[0] == TicketState.HELD  # the cucumber is not ready yet

    bump(order, "CUKE", hotpot.cold, cold_screen, 14)

    assert state(order, "BEEF", hotpot.soup) == (TicketState.LIVE, None, T0 + 14 * MIN)
    assert state(order, "TOFU", hotpot.soup) == (TicketState.LIVE, None, T0 + 14 * MIN)
    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN  # course 2 is cooking now

    bump(order, "BEEF", hotpot.soup, soup_screen, 18)
    bump(order, "TOFU", hotpot.soup, soup_screen, 18)
    order.refresh_from_db()
    assert order.status == OrderStatus.READY


def test_it_leaves_the_next_course_to_expo_where_the_station_says_so(
    hotpot: HotPot, ingest: Ingest
) -> None:
    hotpot.soup.auto_fire_next_course = False
    hotpot.soup.save()
    screen = Screen.objects.create(restaurant=hotpot.k.restaurant, station=hotpot.soup, name="Soup")
    order = ingest(["BASE", "BEEF"])

    bump(order, "BASE", hotpot.soup, screen, 12)

    assert state(order, "BEEF", hotpot.soup) == (TicketState.HELD, None, None)
    # Every fired line is ready, so the order is (expo calls the soup base out); the
    # held course waits for expo.
    order.refresh_from_db()
    assert order.status == OrderStatus.READY
