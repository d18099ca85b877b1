"""Firing held lines: by expo's tap, by the earlier courses being ready, by the scheduler.

The rules (what is held, for how long, with pacing) are in `orders.kitchen.courses`;
these are the writes that apply them.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from ..kitchen.courses import longest_prep, next_course, pace_delay
from ..kitchen.placements import order_station_ids
from ..live.sequence import stations_touch
from ..models import (
    EventKind,
    LineStation,
    LineStatus,
    Order,
    OrderEvent,
    OrderStatus,
    PrintJob,
    PrintKind,
    Screen,
    StationKind,
    TicketState,
)
from ..printing.plan import live_slips, print_jobs_plan

log = logging.getLogger(__name__)


def _fire(
    placements: Sequence[LineStation],
    *,
    now: datetime,
    screen: Screen | None = None,
    reason: str,
) -> set[int]:
    """Makes placements live (or pace-held); writes FIRED events. Returns the touched stations."""
    if not placements:
        return set()
    by_order: dict[int, list[LineStation]] = defaultdict(list)
    for placement in placements:
        by_order[placement.line.order_id].append(placement)
    touched: set[int] = set()
    events: list[OrderEvent] = []
    for group in by_order.values():
        longest = longest_prep(p.line for p in group)
        for placement in group:
            due = now + pace_delay(placement.line, placement.station, longest)
            if reason != "pacing" and due > now:
                placement.hold_until = due
            else:
                placement.state, placement.fired_at, placement.hold_until = (
                    TicketState.LIVE,
                    now,
                    None,
                )
                events.append(
                    OrderEvent(
                        order_id=placement.line.order_id,
                        line=placement.line,
                        station=placement.station,
                        kind=EventKind.FIRED,
                        at=now,
                        screen=screen,
                        data={"course": placement.line.course, "reason": reason},
                    )
                )
            touched.add(placement.station_id)
    LineStation.objects.bulk_update(placements, ["state", "fired_at", "hold_until"])
    OrderEvent.objects.bulk_create(events)
    # The kitchen printers' slips: a fired line reaches its station now.
    for group in by_order.values():
        fired = [p for p in group if p.state == TicketState.LIVE and p.fired_at == now]
        if fired:
            order = Order.objects.get(pk=group[0].line.order_id)
            PrintJob.objects.bulk_create(
                print_jobs_plan(order=order, kind=PrintKind.TICKET, slips=live_slips(fired), at=now)
            )
    return touched


def _delay_next_course(order: Order, course: int, now: datetime) -> set[int]:
    """Starts the per-station delay of the course after the one that just fired."""
    waiting = list(
        LineStation.objects.select_related("station", "line", "line__menu_item").filter(
            line__order=order,
            line__course=course + 1,
            state=TicketState.HELD,
            hold_until__isnull=True,
            station__course_delay_minutes__isnull=False,
        )
    )
    longest = longest_prep(p.line for p in waiting)
    for placement in waiting:
        delay = timedelta(minutes=placement.station.course_delay_minutes or 0)
        placement.hold_until = now + delay + pace_delay(placement.line, placement.station, longest)
    LineStation.objects.bulk_update(waiting, ["hold_until"])
    return {p.station_id for p in waiting}


def _held(order: Order, course: int, *, auto_only: bool = False) -> list[LineStation]:
    query = (
        LineStation.objects.select_for_update(of=("self",))
        .select_related("line", "line__menu_item", "station")
        .filter(
            line__order=order,
            line__course__lte=course,
            line__status=LineStatus.ACTIVE,
            state=TicketState.HELD,
            station__kind=StationKind.PREP,
        )
    )
    if auto_only:
        query = query.filter(station__auto_fire_next_course=True)
    return list(query.order_by("pk"))


def course_fire(
    *,
    order: Order,
    course: int | None = None,
    screen: Screen | None = None,
    now: datetime | None = None,
) -> int:
    """Expo's "fire course N": every held line of that course (and earlier) goes to work now.

    Returns the number of placements fired. A fired course is not fired again.
    """
    now = now or timezone.now()
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status in (OrderStatus.CANCELLED, OrderStatus.SERVED):
            return 0
        course = course if course is not None else next_course(order)
        if course is None:
            return 0
        placements = _held(order, course)
        touched = _fire(placements, now=now, screen=screen, reason="expo")
        touched |= _delay_next_course(order, course, now)
        touched |= order_station_ids(order.pk, kind=StationKind.EXPO)
        stations_touch(station_ids=touched, reason="fired")
        return len(placements)


def after_ready(*, order: Order, now: datetime) -> set[int]:
    """Called in the transaction of a bump: fires the next course when the earlier ones are ready.

    Only stations set to fire the next course automatically are fired; the others
    wait for expo or their delay. Returns the stations touched.
    """
    following = next_course(order)
    if following is None:
        return set()
    unfinished = LineStation.objects.filter(
        line__order=order,
        line__status=LineStatus.ACTIVE,
        line__course__lt=following,
        station__kind=StationKind.PREP,
    ).exclude(state=TicketState.READY)
    if unfinished.exists():
        return set()
    touched = _fire(_held(order, following, auto_only=True), now=now, reason="course_ready")
    if touched:
        touched |= _delay_next_course(order, following, now)
    return touched


def fire_due(*, now: datetime | None = None, limit: int = 500) -> int:
    """Fires every held placement whose time has come; the scheduler runs it a few times a second.

    Safe to run in several processes at once: rows are claimed with SKIP LOCKED where the
    database has it (PostgreSQL); SQLite serialises writers anyway.
    """
    now = now or timezone.now()
    with transaction.atomic():
        query = (
            LineStation.objects.select_related("line", "line__menu_item", "station")
            .filter(
                state=TicketState.HELD,
                hold_until__lte=now,
                line__status=LineStatus.ACTIVE,
            )
            .exclude(line__order__status__in=[OrderStatus.CANCELLED, OrderStatus.SERVED])
        )
        if connection.features.has_select_for_update_skip_locked:
            query = query.select_for_update(skip_locked=True, of=("self",))
        placements = list(query.order_by("hold_until", "pk")[:limit])
        if not placements:
            return 0
        touched = _fire(placements, now=now, reason="pacing")
        for order_id, course in {(p.line.order_id, p.line.course) for p in placements}:
            order = Order(pk=order_id)
            touched |= _delay_next_course(order, course, now)
            touched |= order_station_ids(order.pk, kind=StationKind.EXPO)
        stations_touch(station_ids=touched, reason="fired")
        log.info("fired %d held line(s)", len(placements))
        return len(placements)
