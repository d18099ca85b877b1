"""What state a line and an order are in: held, cooking, ready, served. The one source.

Expo's board, the front-of-house tablet and serving all ask this module, so they
cannot disagree about a dish.

A line's state comes from its placements. Its prep placements say how far the
kitchen is (held: waiting to be fired; live: cooking; ready: bumped). Its expo
placements are expo's own ticket for it: live while the dish is in the kitchen or at
the pass, `ready` once expo or a server has handed it over, so a line is served when
it has expo placements and every one of them is handed over.

- served: handed over (this wins: a dish at the table is not cooking, whatever a
  station does with it afterwards);
- cooking: live at some prep station (a line fired at one station and pace-held at
  another is already being cooked);
- held: waiting at some prep station for its course to be fired;
- ready: every prep placement is bumped, or it has none. A dish no rule routes and
  no fallback station catches (a can from the fridge) has nothing to cook, so it is
  ready at once, and front of house can serve it.

An order is served when every active line is; ready when no line is cooking and at
least one is ready (a held later course does not hold the first back); open otherwise.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from enum import StrEnum

from ..models import Line, LineStatus, Order, OrderStatus, StationKind, TicketState


class LineState(StrEnum):
    HELD = "held"
    COOKING = "cooking"
    READY = "ready"
    SERVED = "served"


def line_state(*, prep: Iterable[str], expo: Iterable[str]) -> LineState:
    """A line's state from the states of its prep and its expo placements."""
    prep, expo = list(prep), list(expo)
    if expo and all(state == TicketState.READY for state in expo):
        return LineState.SERVED
    if any(state == TicketState.LIVE for state in prep):
        return LineState.COOKING
    if any(state == TicketState.HELD for state in prep):
        return LineState.HELD
    return LineState.READY


def order_state(states: Iterable[LineState]) -> OrderStatus:
    """OPEN, READY or SERVED from the states of the order's active lines."""
    states = list(states)
    if not states:
        return OrderStatus.OPEN
    if all(state == LineState.SERVED for state in states):
        return OrderStatus.SERVED
    if LineState.COOKING in states or LineState.READY not in states:
        return OrderStatus.OPEN
    return OrderStatus.READY


def line_states(*, order_ids: Iterable[int]) -> dict[int, LineState]:
    """The state of every active line of these orders, by line id, in one query."""
    prep: dict[int, list[str]] = defaultdict(list)
    expo: dict[int, list[str]] = defaultdict(list)
    line_ids: set[int] = set()
    # A left join: a line with no placement at all comes back once, with None.
    for line_id, kind, state in Line.objects.filter(
        order_id__in=list(order_ids), status=LineStatus.ACTIVE
    ).values_list("pk", "placements__station__kind", "placements__state"):
        line_ids.add(line_id)
        if kind == StationKind.EXPO:
            expo[line_id].append(state)
        elif kind is not None:
            prep[line_id].append(state)
    return {i: line_state(prep=prep[i], expo=expo[i]) for i in line_ids}


def order_readiness(*, order: Order) -> OrderStatus:
    """What the order's lines say its status is: OPEN, READY or SERVED."""
    return order_state(line_states(order_ids=[order.pk]).values())


def order_is_ready(*, order: Order) -> bool:
    return order_readiness(order=order) == OrderStatus.READY


def served_line_ids(*, order: Order) -> set[int]:
    """The order's active lines that were handed over (what a recall may not bring back)."""
    return {
        i for i, state in line_states(order_ids=[order.pk]).items() if state == LineState.SERVED
    }
