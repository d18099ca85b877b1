"""A screen's display options saved in the admin reach it live; a moved screen reloads."""

from __future__ import annotations

import pytest
from django.db import transaction

from orders.live.sequence import stations_touch
from orders.models import Screen
from tests.factories import order_body
from tests.screens.conftest import Kitchen2, connect, next_board_state, pair, post_order, sync

pytestmark = pytest.mark.django_db(transaction=True)


def _save(screen_id: int, station_ids: list[int], **fields: object) -> None:
    """What the admin does on a screen save: update, then touch the stations."""
    with transaction.atomic():
        Screen.objects.filter(pk=screen_id).update(**fields)
        stations_touch(station_ids=station_ids, reason="settings")


async def test_it_sends_new_display_options(kitchen2: Kitchen2) -> None:
    screen, cookie = await sync(pair)(kitchen2.a)
    comm, first = await connect(cookie)
    assert first["screen"] == {"font_size": "m", "show_all_day": True}

    await sync(_save)(screen.pk, [kitchen2.a.pk], font_size="xl", show_all_day=False)

    patch = await next_board_state(comm)
    assert patch["screen"] == {"font_size": "xl", "show_all_day": False}
    await comm.disconnect()


async def test_it_reloads_a_screen_moved_to_another_station(kitchen2: Kitchen2) -> None:
    await sync(post_order)(kitchen2, order_body("o-1", number="1"))
    screen, cookie = await sync(pair)(kitchen2.a)
    comm, first = await connect(cookie)
    assert len(first["tickets"]) == 1

    await sync(_save)(screen.pk, [kitchen2.a.pk, kitchen2.b.pk], station=kitchen2.b)

    assert await comm.receive_json_from(timeout=5) == {"type": "reload"}
    assert (await comm.receive_output(timeout=5))["code"] == 4002
    comm, moved = await connect(cookie)
    assert moved["tickets"] == []  # the fryer's board
    await comm.disconnect()
