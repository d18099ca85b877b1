"""An expo screen gets whole orders: every line grouped by station, with each station's progress."""

from __future__ import annotations

import pytest
from django.test import Client

from orders.actions import cooking as services
from orders.models import Station
from tests.hotpot import (
    Kitchen,
    bump_all,
    expo_connect,
    pair,
    place,
    placement,
    screen_of,
)
from tests.screens.conftest import html_of, keys, next_board_state, sync

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_shows_the_whole_order_grouped_by_station_on_the_page(kitchen: Kitchen) -> None:
    order = place(kitchen, number="42", table="A12")
    services.line_bump(
        placement=placement(order, kitchen.cold, "l-1"), screen=screen_of(kitchen.cold)
    )
    _screen, cookie = pair(kitchen.expo, "Pass")
    client = Client()
    client.cookies["kds_screen"] = cookie

    page = client.get("/screen/").content.decode()

    assert 'id="ready"' in page and f'id="x{order.pk}"' in page
    assert "Kitchen" in page and "Cold" in page
    assert "Sliced Beef" in page and "Frozen Tofu" in page and "Mapo tofu" in page
    assert "1/2" in page  # the cold station: beef ready, tofu not
    assert 'data-status="cooking"' in page
    # What a screen announcing late orders says when this one waits too long.
    assert 'data-say-late="Table A12, order 42 is waiting"' in page


async def test_it_sends_the_expo_board_and_patches_it_when_a_station_bumps(
    kitchen: Kitchen,
) -> None:
    order = await sync(place)(kitchen, number="42", table="A12")
    _screen, cookie = await sync(pair)(kitchen.expo, "Pass")
    comm, first = await expo_connect(cookie)
    assert first["type"] == "board" and keys(first) == [f"x{order.pk}"]
    assert 'data-status="cooking"' in html_of(first)

    await sync(bump_all)(order, kitchen.wok)
    await sync(bump_all)(order, kitchen.cold)

    patch = await next_board_state(comm)
    while 'data-status="ready"' not in html_of(patch):
        patch = await next_board_state(comm)
    html = html_of(patch)
    assert (
        'data-say="Table A12, order 42: two sliced beef, one frozen tofu, one mapo tofu, ready"'
        in html
    )
    assert patch["seq"] == (await sync(Station.objects.get)(pk=kitchen.expo.pk)).seq
    await comm.disconnect()
