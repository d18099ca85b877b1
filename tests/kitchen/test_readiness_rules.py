"""The readiness rules on any mix of placement states (orders.kitchen.readiness)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from orders.kitchen.readiness import LineState, line_state, order_state
from orders.models import OrderStatus, TicketState

STATES = st.sampled_from([TicketState.HELD, TicketState.LIVE, TicketState.READY])
PLACEMENTS = st.lists(STATES, max_size=4)
LINES = st.lists(st.sampled_from(list(LineState)), max_size=8)


@given(prep=PLACEMENTS, expo=PLACEMENTS)
def test_it_gives_every_line_exactly_the_state_its_placements_say(
    prep: list[str], expo: list[str]
) -> None:
    state = line_state(prep=prep, expo=expo)
    served = bool(expo) and all(s == TicketState.READY for s in expo)
    assert (state == LineState.SERVED) == served
    if not served:
        assert (state == LineState.COOKING) == (TicketState.LIVE in prep)
        assert (state == LineState.READY) == all(s == TicketState.READY for s in prep)


def test_it_makes_a_dish_with_nothing_to_cook_ready_until_it_is_handed_over() -> None:
    assert line_state(prep=[], expo=[TicketState.LIVE]) == LineState.READY
    assert line_state(prep=[], expo=[]) == LineState.READY
    assert line_state(prep=[], expo=[TicketState.READY]) == LineState.SERVED


@given(states=LINES)
def test_it_makes_an_order_ready_only_with_nothing_cooking_and_something_to_take_out(
    states: list[LineState],
) -> None:
    status = order_state(states)
    if status == OrderStatus.SERVED:
        assert states and set(states) == {LineState.SERVED}
    elif status == OrderStatus.READY:
        assert LineState.COOKING not in states and LineState.READY in states
    else:
        assert status == OrderStatus.OPEN
        assert not states or LineState.COOKING in states or LineState.READY not in states
