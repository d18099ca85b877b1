"""Expo flags a station none of whose screens is live, and stops when one is back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from orders.actions.presence import stations_presence_check
from tests import factories
from tests.screens.conftest import connect, pair, sync

pytestmark = pytest.mark.django_db(transaction=True)


def expo_page(k: factories.Kitchen) -> str:
    _, cookie = pair(k.expo, "Pass")
    client = Client()
    client.cookies["kds_screen"] = cookie
    return client.get("/screen/").content.decode()


async def test_it_flags_the_station_on_expo_until_a_screen_is_back(in_memory_layer: None) -> None:
    k = await sync(factories.make_kitchen)()
    _, cookie = await sync(pair)(k.fallback, "Wall")
    wall, _ = await connect(cookie)
    await sync(stations_presence_check)()
    assert "no screen since" not in await sync(expo_page)(k)

    await wall.disconnect()
    await sync(stations_presence_check)()
    page = await sync(expo_page)(k)
    assert f'data-unseen-station="{k.fallback.pk}"' in page
    assert "Kitchen: no screen since" in page and "backup printer on" not in page
    await sync(stations_presence_check)(now=timezone.now() + timedelta(seconds=61))
    assert "backup printer on" in await sync(expo_page)(k)

    wall, _ = await connect(cookie)
    await sync(stations_presence_check)()
    assert "no screen since" not in await sync(expo_page)(k)
    await wall.disconnect()


async def test_the_open_expo_screen_is_told_at_once(in_memory_layer: None) -> None:
    """The presence check redraws expo: a connected expo socket gets the flag pushed."""
    from channels.testing import WebsocketCommunicator

    from kds.asgi import application
    from tests.screens.conftest import next_board_state

    k = await sync(factories.make_kitchen)()
    _, expo_cookie = await sync(pair)(k.expo, "Pass")
    comm = WebsocketCommunicator(
        application,
        "/ws/expo/",
        headers=[
            (b"origin", b"http://testserver"),
            (b"host", b"testserver"),
            (b"cookie", f"kds_screen={expo_cookie}".encode()),
        ],
    )
    assert (await comm.connect())[0]
    await next_board_state(comm)
    await sync(stations_presence_check)()  # the kitchen station has no screen at all
    patch = await next_board_state(comm)
    assert "Kitchen: no screen since" in patch["all_day"]
    await comm.disconnect()
