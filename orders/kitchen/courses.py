"""Courses, hold and fire, pacing and scheduled orders: the rules. They read, never write.

A line's placement on a prep station is either live (cooking; its timer counts
from `fired_at`) or held. A held placement with `hold_until` is due at that
time and the scheduler (`manage.py kds_scheduler`) makes it live; one without is
waiting for its course to be fired, by expo or by the previous course being
ready. All timing is decided when a course fires and written to `hold_until`,
so a restarted scheduler only has to look for what is overdue.

- The order's first course fires on arrival; a scheduled order's
  (`fire_at`) at `fire_at` minus its longest prep time.
- With pacing on at a station, a line shorter than the longest line of its
  course waits out the difference, so the course finishes together.
- A later course fires when expo fires it, when the earlier courses are ready
  (stations with "fire next course when the previous one is ready"), or a
  station's delay after the previous course fired (`orders.actions.firing`).

Expo placements are never held: expo sees the whole order and reads the state
of each line from its prep placements.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from ..models import Line, LineStation, LineStatus, Order, Station, StationKind, TicketState

DEFAULT_PREP_MINUTES = 5


def prep_minutes(line: Line) -> int:
    return line.menu_item.prep_minutes if line.menu_item else DEFAULT_PREP_MINUTES


def pace_delay(line: Line, station: Station, longest: int) -> timedelta:
    if not station.pacing:
        return timedelta(0)
    return timedelta(minutes=max(0, longest - prep_minutes(line)))


def longest_prep(lines: Iterable[Line]) -> int:
    return max((prep_minutes(line) for line in lines), default=0)


def fired_course(order: Order) -> int | None:
    """The highest course that has been fired at any prep station, or None."""
    courses = (
        LineStation.objects.filter(line__order=order, station__kind=StationKind.PREP)
        .exclude(state=TicketState.HELD)
        .values_list("line__course", flat=True)
    )
    return max(courses, default=None)


def plan_placements(
    *,
    order: Order,
    lines: Sequence[Line],
    routes: dict[int, list[Station]],
    now: datetime,
    by_update: bool,
) -> list[LineStation]:
    """Unsaved placements for new lines, live or held as their course, pacing and schedule say."""
    # A new order's lines are all in `lines` (no query for what cannot be there).
    active = (
        [line for line in order.lines.all() if line.status == LineStatus.ACTIVE]
        if by_update
        else []
    )
    known = {line.pk for line in active}
    every = active + [line for line in lines if line.pk not in known]
    first = min((line.course for line in every), default=1)
    current = fired_course(order) if by_update else None
    if current is None:
        current = first
    course_lines = [line for line in every if line.course == current]
    longest = longest_prep(course_lines)
    start = now
    if order.fire_at is not None:
        start = max(now, order.fire_at - timedelta(minutes=longest))
    elif not by_update:
        start = order.placed_at

    placements: list[LineStation] = []
    for line in lines:
        for station in routes[line.pk]:
            placement = LineStation(line=line, station=station)
            placement.copy_line_facts(line, order)
            if station.kind == StationKind.EXPO:
                placement.state, placement.fired_at = TicketState.LIVE, min(start, now)
            elif line.course <= current:
                due = (start if not by_update else now) + pace_delay(line, station, longest)
                if due > now:
                    placement.state, placement.hold_until = TicketState.HELD, due
                else:
                    placement.state, placement.fired_at = TicketState.LIVE, due
            else:
                placement.state = TicketState.HELD
                if station.course_delay_minutes and line.course == current + 1:
                    placement.hold_until = max(now, start) + timedelta(
                        minutes=station.course_delay_minutes
                    )
            placements.append(placement)
    return placements


def next_course(order: Order) -> int | None:
    """The lowest course with a line still waiting to be fired."""
    courses = LineStation.objects.filter(
        line__order=order,
        line__status=LineStatus.ACTIVE,
        state=TicketState.HELD,
        station__kind=StationKind.PREP,
    ).values_list("line__course", flat=True)
    return min(courses, default=None)
