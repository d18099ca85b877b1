"""Each screen may have its own language: a Chinese kitchen with an English-speaking expo.
Its words, dish names and voice follow it; a screen with none has its restaurant's. An
open screen whose language changes in the admin (its own, or its restaurant's) loads
again in the new one."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from kds.asgi import application
from orders.models import Restaurant, Screen
from tests import factories
from tests.admin.forms import admin_form_data
from tests.hotpot import Kitchen, bump_all, expo_connect, foh_user, pair, place
from tests.screens.conftest import connect, screen_page, sync

pytestmark = pytest.mark.django_db(transaction=True)

HEADERS = [(b"origin", b"http://testserver"), (b"host", b"testserver")]


def _config(page: str) -> dict[str, Any]:
    found = re.search(r'<script id="kds-config" type="application/json">(.*?)</script>', page)
    assert found is not None
    return json.loads(found.group(1))


def _chinese_kitchen_with_an_english_expo(kitchen: Kitchen) -> tuple[str, str]:
    Restaurant.objects.filter(pk=kitchen.restaurant.pk).update(language="zh-hans")
    expo, expo_cookie = pair(kitchen.expo, "Pass")
    Screen.objects.filter(pk=expo.pk).update(language="en")
    _, cold_cookie = pair(kitchen.cold, "Cold 1")
    order = place(kitchen, "o-1", number="42")
    bump_all(order, kitchen.cold)
    place(kitchen, "o-2", number="43")  # still on the cold station's board
    return expo_cookie, cold_cookie


def _admin() -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("boss", password="a-long-admin-password-1"))
    return client


def _admin_save(url: str, **changes: Any) -> int:
    admin = _admin()
    return admin.post(url, admin_form_data(admin, url, **changes)).status_code


def test_it_shows_an_english_expo_in_a_chinese_kitchen(kitchen: Kitchen) -> None:
    expo_cookie, cold_cookie = _chinese_kitchen_with_an_english_expo(kitchen)

    expo = screen_page(expo_cookie)
    cold = screen_page(cold_cookie)

    assert '<html lang="en"' in expo
    assert '<span class="name">Sliced Beef</span>' in expo and "肥牛" not in expo
    assert "✓ READY" in expo
    assert _config(expo)["speech"]["lang"] == "en-US"
    assert re.search(r'data-say="[^"]*two sliced beef', expo)
    assert '<html lang="zh-hans"' in cold
    assert '<span class="name" lang="zh-hans">肥牛</span>' in cold


async def test_it_sends_an_english_expo_its_board_in_english_over_the_socket(
    kitchen: Kitchen,
) -> None:
    expo_cookie, _ = await sync(_chinese_kitchen_with_an_english_expo)(kitchen)

    comm, board = await expo_connect(expo_cookie)

    html = "".join(html for _, html in board["tickets"])
    assert "Sliced Beef" in html and "肥牛" not in html and "已出餐" not in html
    assert board["settings"]["speech"]["lang"] == "en-US"
    await comm.disconnect()


async def test_it_reloads_an_open_screen_whose_language_is_changed_in_the_admin(
    kitchen: Kitchen,
) -> None:
    _, cold_cookie = await sync(_chinese_kitchen_with_an_english_expo)(kitchen)
    comm, first = await connect(cold_cookie)
    assert "肥牛" in "".join(html for _, html in first["tickets"])
    screen = await sync(Screen.objects.get)(name="Cold 1")
    url = f"/admin/orders/screen/{screen.pk}/change/"

    assert await sync(_admin_save)(url, language="en") == 302

    assert await comm.receive_json_from(timeout=5) == {"type": "reload"}
    assert (await comm.receive_output(timeout=5))["code"] == 4002
    assert '<html lang="en"' in await sync(screen_page)(cold_cookie)


async def test_it_reloads_open_screens_when_the_restaurants_language_changes_in_the_admin(
    kitchen: Kitchen,
) -> None:
    expo_cookie, cold_cookie = await sync(_chinese_kitchen_with_an_english_expo)(kitchen)
    cold, _ = await connect(cold_cookie)
    expo, _ = await expo_connect(expo_cookie)
    url = f"/admin/orders/restaurant/{kitchen.restaurant.pk}/change/"

    assert await sync(_admin_save)(url, language="en") == 302

    assert await cold.receive_json_from(timeout=5) == {"type": "reload"}
    assert (await cold.receive_output(timeout=5))["code"] == 4002
    assert '<html lang="en"' in await sync(screen_page)(cold_cookie)
    # The expo screen has its own language: it stays, taking the patch as before.
    message = await expo.receive_json_from(timeout=5)
    assert message["type"] != "reload"
    await expo.disconnect()


async def test_it_reloads_the_front_of_house_and_pick_up_when_the_restaurants_language_changes(
    kitchen: Kitchen,
) -> None:
    await sync(_chinese_kitchen_with_an_english_expo)(kitchen)
    session = await sync(lambda: _session_of(foh_user()))()
    cookie = await sync(factories.pickup_cookie)(kitchen.restaurant)
    tablet = WebsocketCommunicator(
        application,
        "/ws/foh/?r=demo",
        headers=[*HEADERS, (b"cookie", f"{settings.SESSION_COOKIE_NAME}={session}".encode())],
    )
    board = WebsocketCommunicator(
        application, "/ws/pickup/", headers=[*HEADERS, (b"cookie", cookie.encode())]
    )
    for comm, kind in ((tablet, "foh"), (board, "pickup")):
        assert (await comm.connect())[0]
        assert (await comm.receive_json_from(timeout=5))["type"] == kind
    url = f"/admin/orders/restaurant/{kitchen.restaurant.pk}/change/"

    assert await sync(_admin_save)(url, language="en") == 302

    for comm in (tablet, board):
        message = await comm.receive_json_from(timeout=5)
        while message["type"] != "reload":  # a fresh list may come first
            message = await comm.receive_json_from(timeout=5)
        assert (await comm.receive_output(timeout=5))["code"] == 4002
        await comm.disconnect()  # as a browser answers a close: the consumer ends here


def _session_of(user: User) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_it_offers_the_language_in_the_screens_admin_and_the_stations_inline(
    kitchen: Kitchen,
) -> None:
    screen, _ = pair(kitchen.cold, "Cold 1")
    admin = _admin()

    screen_form = admin.get(f"/admin/orders/screen/{screen.pk}/change/").content.decode()
    station_form = admin.get(f"/admin/orders/station/{kitchen.cold.pk}/change/").content.decode()

    assert 'name="language"' in screen_form
    assert 'name="screens-0-language"' in station_form
