"""For screens announcing each dish, every line carries its own phrase and ready key."""

from __future__ import annotations

import re

import pytest

from orders.actions import cooking as services
from tests.hotpot import Kitchen, expo_connect, pair, place, placement, screen_of
from tests.screens.conftest import next_board_state, sync

pytestmark = pytest.mark.django_db(transaction=True)


async def test_it_gives_a_bumped_line_a_ready_key_and_its_own_phrase(kitchen: Kitchen) -> None:
    order = await sync(place)(kitchen, number="42", table="A12")
    _screen, cookie = await sync(pair)(kitchen.expo, "Pass")
    comm, first = await expo_connect(cookie)
    beef = await sync(placement)(order, kitchen.cold, "l-1")
    beef_at_expo = await sync(placement)(order, kitchen.expo, "l-1")
    assert f'data-placement="{beef_at_expo.pk}" data-ready-key=""' in first["tickets"][0][1]

    cold_screen = await sync(screen_of)(kitchen.cold, "Cold")
    await sync(services.line_bump)(placement=beef, screen=cold_screen)

    patch = await next_board_state(comm)
    html = patch["upsert"][0][1]
    line = re.search(
        rf'data-placement="{beef_at_expo.pk}" data-ready-key="([^"]+)" data-say="([^"]+)"', html
    )
    assert line is not None
    assert line.group(1).startswith(f"l{beef_at_expo.pk}:")
    assert line.group(2) == "Table A12, order 42: two sliced beef, ready"
    assert 'data-status="cooking"' in html  # the order itself is not ready yet
    await comm.disconnect()
