"""Every page and socket that shows a time renders whatever time is stored, even one at the
calendar's ends in a restaurant whose time zone pushes it past them (a row stored before
the webhook bounded its times, a placeholder "9999-12-31" from a sender): the screen shows
a dash for that time, never a 500 or a socket closed with 1011."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from kds.asgi import application
from orders.actions import serving
from orders.boards.front_of_house import foh_render
from orders.boards.pickup import pickup_render
from orders.boards.recall import recall_render
from orders.boards.render import board_render, cache_clear
from orders.models import LineStation, Order, Restaurant
from tests import factories
from tests.hotpot import Kitchen, _fresh_board_cache, bump_all, foh_user, kitchen, pair, place
from tests.screens.conftest import sync

__all__ = ["_fresh_board_cache", "kitchen"]

LATEST = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
EARLIEST = datetime(1, 1, 1, 0, 0, tzinfo=UTC)
ZONES = ["Asia/Shanghai", "America/New_York", "Pacific/Kiritimati", "Etc/GMT+12"]


def orders_of_every_kind(kitchen: Kitchen) -> list[Order]:
    cooking = place(kitchen, "o-1", number="41", channel="takeout")
    upcoming = place(kitchen, "o-2", number="42", fire_at=factories.now_rfc3339(3600))
    ready = place(kitchen, "o-3", number="43", channel="takeout")
    served = place(kitchen, "o-4", number="44", table="B2")
    for order in (ready, served):
        bump_all(order, kitchen.wok)
        bump_all(order, kitchen.cold)
    assert serving.order_serve(order=served, user=foh_user("server"))
    return [cooking, upcoming, ready, served]


def store_times(kitchen: Kitchen, moment: datetime, zone: str) -> None:
    """Every time of every order and placement set to `moment`, as an old row might be."""
    Restaurant.objects.filter(pk=kitchen.restaurant.pk).update(time_zone=zone)
    kitchen.restaurant.refresh_from_db()
    times = dict.fromkeys(("placed_at", "received_at", "state_at", "ready_at"), moment)
    Order.objects.filter(fire_at__isnull=False).update(fire_at=moment)
    Order.objects.filter(served_at__isnull=False).update(served_at=moment)
    Order.objects.update(**times)
    LineStation.objects.update(fired_at=moment, order_placed_at=moment)
    LineStation.objects.filter(hold_until__isnull=False).update(hold_until=moment)
    LineStation.objects.filter(ready_at__isnull=False).update(ready_at=moment)
    cache_clear()


def get(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def screen_client(cookie: str) -> Client:
    client = Client()
    client.cookies["kds_screen"] = cookie
    return client


@pytest.mark.parametrize(
    ("moment", "zone"),
    [
        (LATEST, "Asia/Shanghai"),
        (LATEST, "Pacific/Kiritimati"),
        (EARLIEST, "America/New_York"),
        (EARLIEST, "Etc/GMT+12"),
    ],
    ids=["9999-12-31 +8", "9999-12-31 +14", "0001-01-01 -5", "0001-01-01 -12"],
)
def test_every_page_renders_a_time_at_the_calendars_ends(
    kitchen: Kitchen, moment: datetime, zone: str
) -> None:
    cookies = {s: pair(getattr(kitchen, s), s)[1] for s in ("wok", "cold", "expo")}
    orders_of_every_kind(kitchen)
    store_times(kitchen, moment, zone)

    for cookie in cookies.values():
        get(screen_client(cookie), "/screen/")
    runner = Client()
    runner.force_login(foh_user("runner"))
    get(runner, "/foh/")
    get(factories.pickup_client(kitchen.restaurant), "/pickup/")
    admin = Client()
    admin.force_login(User.objects.create_superuser("boss", password="x" * 12))
    get(admin, "/admin/orders/order/")
    get(admin, f"/admin/orders/order/{Order.objects.get(external_id='o-1').pk}/change/")
    get(admin, "/reports/")


def _socket(path: str, cookie: str = "") -> WebsocketCommunicator:
    headers = [(b"origin", b"http://testserver"), (b"host", b"testserver")]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    return WebsocketCommunicator(application, path, headers=headers)


async def _first(comm: WebsocketCommunicator, then: dict[str, Any] | None = None) -> str:
    connected, _ = await comm.connect()
    assert connected
    message = await comm.receive_json_from(timeout=5)
    if then is not None:
        await comm.send_json_to(then)
        message = await comm.receive_json_from(timeout=5)
    await comm.disconnect()
    return str(message["type"])


@pytest.mark.parametrize("moment", [LATEST, EARLIEST], ids=["9999-12-31", "0001-01-01"])
async def test_every_socket_sends_its_board_at_the_calendars_ends(
    kitchen: Kitchen, moment: datetime
) -> None:
    zone = "Asia/Shanghai" if moment == LATEST else "America/New_York"
    cookies = {s: (await sync(pair)(getattr(kitchen, s), s))[1] for s in ("wok", "expo")}
    await sync(orders_of_every_kind)(kitchen)
    await sync(store_times)(kitchen, moment, zone)
    session = await sync(_session_of)(await sync(foh_user)("runner"))
    pickup = await sync(factories.pickup_cookie)(kitchen.restaurant)

    wok = f"kds_screen={cookies['wok']}"
    assert await _first(_socket("/ws/screen/", wok)) == "board"
    assert await _first(_socket("/ws/screen/", wok), {"action": "recall_list"}) == "recall"
    assert await _first(_socket("/ws/expo/", f"kds_screen={cookies['expo']}")) == "board"
    foh = f"{settings.SESSION_COOKIE_NAME}={session}"
    assert await _first(_socket(f"/ws/foh/?r={kitchen.restaurant.slug}", foh)) == "foh"
    assert await _first(_socket("/ws/pickup/", pickup)) == "pickup"


def _session_of(user: User) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


any_time = st.datetimes(
    min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59)
).map(lambda d: d.replace(tzinfo=UTC)) | st.sampled_from([LATEST, EARLIEST])


@hypothesis_settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    moment=any_time,
    zone=st.sampled_from([*ZONES, "UTC"]),
    language=st.sampled_from(["en", "zh-hans"]),
)
def test_every_board_renders_any_stored_time(
    kitchen: Kitchen, moment: datetime, zone: str, language: str
) -> None:
    if not Order.objects.exists():
        orders_of_every_kind(kitchen)
    store_times(kitchen, moment, zone)
    with timezone.override(zone):
        for station in (kitchen.wok, kitchen.cold, kitchen.expo):
            board_render(station.pk, language=language)
            recall_render(station, language=language)
        foh_render(kitchen.restaurant, language=language)
        pickup_render(kitchen.restaurant, language=language, speech_language=language)
