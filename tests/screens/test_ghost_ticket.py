"""A ticket on the board can always be bumped, whatever keeps it there."""

from __future__ import annotations

import pytest
from django.test import Client

from orders.models import HeldCourseDisplay, LineStation, Order, Station
from tests.factories import order_body
from tests.screens.conftest import (
    TWO_COURSES,
    Kitchen2,
    connect,
    hold_second_course,
    html_of,
    keys,
    next_board_state,
    pair,
    post_order,
    sync,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("display", [HeldCourseDisplay.SHOW, HeldCourseDisplay.HIDE])
@pytest.mark.parametrize("held", [True, False], ids=["held-course", "fired-course"])
async def test_it_bumps_a_ready_ticket_kept_by_a_voided_line(
    kitchen2: Kitchen2, display: str, held: bool
) -> None:
    """Course 1 is ready, course 2's only dish is voided: one bump clears the ticket (it
    stayed on the board with nothing but a ticked line, and no bump could move it)."""
    await sync(Station.objects.filter(pk=kitchen2.a.pk).update)(held_course_display=display)
    await sync(post_order)(kitchen2, order_body("o-1", number="1", items=TWO_COURSES))
    _, cookie = await sync(pair)(kitchen2.a)
    comm, _ = await connect(cookie)
    order = await sync(Order.objects.get)(external_id="o-1")
    first = await sync(LineStation.objects.get)(line__external_id="l-1", station=kitchen2.a)
    await comm.send_json_to({"action": "line_bump", "placement": first.pk})
    await next_board_state(comm)
    if held:
        await sync(hold_second_course)(kitchen2.a)
        await next_board_state(comm)
    await sync(post_order)(
        kitchen2, order_body("o-1", kind="order.updated", number="1", items=TWO_COURSES[:1])
    )
    assert "VOID" in html_of(await next_board_state(comm))

    await comm.send_json_to({"action": "ticket_bump", "order": order.pk})

    assert keys(await next_board_state(comm)) == []
    await comm.disconnect()
    assert f'id="t{order.pk}"' not in await sync(_page)(cookie)


def _page(cookie: str) -> str:
    client = Client()
    client.cookies["kds_screen"] = cookie
    return client.get("/screen/").content.decode()
