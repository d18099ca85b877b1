"""Pacing holds quick dishes so an order finishes together; scheduled orders wait for their time."""

from __future__ import annotations

from datetime import datetime, timedelta

from orders.actions.firing import course_fire, fire_due
from orders.boards.expo import expo_board
from orders.boards.station import board
from orders.models import EventKind, OrderEvent, Station, TicketState
from tests.kitchen.courses.conftest import MIN, T0, HotPot, Ingest, expo_states, state


def test_it_paces_a_quick_dish_behind_the_longest(hotpot: HotPot, ingest: Ingest) -> None:
    hotpot.cold.pacing = True
    hotpot.cold.save()
    order = ingest(["BASE", "CUKE"])

    # The broth takes 15 minutes, the cucumber 2: the cucumber starts 13 minutes in.
    assert state(order, "BASE", hotpot.soup) == (TicketState.LIVE, None, T0)
    assert state(order, "CUKE", hotpot.cold) == (TicketState.HELD, T0 + 13 * MIN, None)
    assert fire_due(now=T0 + 12 * MIN) == 0
    assert fire_due(now=T0 + 13 * MIN) == 1
    # Its timer counts from its firing, not from the order's arrival.
    assert state(order, "CUKE", hotpot.cold) == (TicketState.LIVE, None, T0 + 13 * MIN)
    assert OrderEvent.objects.get(kind=EventKind.FIRED, line__sku="CUKE").at == T0 + 13 * MIN


def test_it_does_not_pace_where_pacing_is_off(hotpot: HotPot, ingest: Ingest) -> None:
    order = ingest(["BASE", "CUKE"])
    assert state(order, "CUKE", hotpot.cold) == (TicketState.LIVE, None, T0)


def test_it_paces_a_course_fired_by_expo(hotpot: HotPot, ingest: Ingest) -> None:
    hotpot.soup.pacing = True
    hotpot.soup.save()
    order = ingest(["BASE", "BEEF", "TOFU"])
    course_fire(order=order, course=2, now=T0 + 20 * MIN)
    # Beef 4 min, tofu 3 min: the tofu waits one minute.
    assert state(order, "BEEF", hotpot.soup) == (TicketState.LIVE, None, T0 + 20 * MIN)
    assert state(order, "TOFU", hotpot.soup) == (TicketState.HELD, T0 + 21 * MIN, None)


def test_it_holds_a_scheduled_order_until_fire_at_minus_its_longest_prep(
    hotpot: HotPot, ingest: Ingest
) -> None:
    fire_at = T0 + 90 * MIN
    order = ingest(["BASE", "CUKE"], fire_at=fire_at.isoformat(), channel="delivery")

    # The broth takes 15 minutes: both lines go to the kitchen at 12:15 for 12:30.
    due = fire_at - 15 * MIN
    assert state(order, "BASE", hotpot.soup) == (TicketState.HELD, due, None)
    assert state(order, "CUKE", hotpot.cold) == (TicketState.HELD, due, None)
    assert expo_states(order) == {TicketState.LIVE}
    assert fire_due(now=due - timedelta(seconds=1)) == 0
    assert fire_due(now=due) == 2
    assert state(order, "BASE", hotpot.soup) == (TicketState.LIVE, None, due)


def test_it_paces_a_scheduled_order_per_dish(hotpot: HotPot, ingest: Ingest) -> None:
    hotpot.cold.pacing = True
    hotpot.cold.save()
    fire_at = T0 + 90 * MIN
    order = ingest(["BASE", "CUKE"], fire_at=fire_at.isoformat())
    assert state(order, "CUKE", hotpot.cold) == (TicketState.HELD, fire_at - 2 * MIN, None)


def test_it_fires_what_became_due_while_the_scheduler_was_down(
    hotpot: HotPot, ingest: Ingest
) -> None:
    order = ingest(["BASE", "CUKE"], fire_at=(T0 + 30 * MIN).isoformat())
    # Nothing ran for an hour; the first check afterwards fires everything overdue, once.
    assert fire_due(now=T0 + 90 * MIN) == 2
    assert fire_due(now=T0 + 91 * MIN) == 0
    assert state(order, "CUKE", hotpot.cold)[0] == TicketState.LIVE


def test_it_lists_scheduled_orders_as_upcoming_until_they_go_to_the_kitchen(
    hotpot: HotPot, ingest: Ingest
) -> None:
    later = ingest(["BASE"], order_id="later", fire_at=(T0 + 120 * MIN).isoformat())
    sooner = ingest(["CUKE"], order_id="sooner", fire_at=(T0 + 60 * MIN).isoformat())
    ingest(["BASE"], order_id="now")

    def upcoming_at_expo(now: datetime) -> list[tuple[int, datetime | None]]:
        tickets = expo_board(hotpot.k.expo, now=now).tickets
        return [(t.order_id, t.due_at) for t in tickets if t.is_upcoming]

    assert upcoming_at_expo(T0) == [(sooner.pk, T0 + 58 * MIN), (later.pk, T0 + 105 * MIN)]

    fire_due(now=T0 + 58 * MIN)
    assert [order_id for order_id, _ in upcoming_at_expo(T0 + 58 * MIN)] == [later.pk]


def test_it_keeps_a_scheduled_order_off_the_prep_boards_until_it_starts(
    hotpot: HotPot, ingest: Ingest
) -> None:
    fire_at = T0 + 90 * MIN
    hotpot.cold.pacing = True
    hotpot.cold.save()
    order = ingest(["BASE", "BEEF"], fire_at=fire_at.isoformat())
    paced = ingest(["BASE", "CUKE"], order_id="paced")
    # A paced line of an order that has started is shown, counting down to its start.
    assert state(paced, "CUKE", hotpot.cold)[0] == TicketState.HELD

    def on_board(station: Station) -> set[int]:
        return {t.order_id for t in board(station, now=T0).tickets}

    assert order.pk not in on_board(hotpot.soup)
    fire_due(now=fire_at - 15 * MIN)
    # Started: the base cooks, and the held second course shows greyed.
    assert order.pk in on_board(hotpot.soup)
    assert paced.pk in on_board(hotpot.cold)
