"""Every screen's language comes from one place, with one default, and only languages we ship.

The pick-up board's `?lang=` is the one language a request can pass: anything but a
language we ship is passed over, never written into the page or the socket's address.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kds.asgi import application
from orders.models import Restaurant
from tests import factories
from tests.hotpot import Kitchen, bump_all, expo_connect, foh_user, pair, place
from tests.screens.conftest import sync

pytestmark = pytest.mark.django_db(transaction=True)

HEADERS = [(b"origin", b"http://testserver"), (b"host", b"testserver")]


def _config(page: str) -> dict[str, Any]:
    found = re.search(r'<script id="kds-config" type="application/json">(.*?)</script>', page)
    assert found is not None
    return json.loads(found.group(1))


def _ready_takeout(kitchen: Kitchen) -> None:
    order = place(kitchen, "o-1", number="42", channel="takeout")
    bump_all(order, kitchen.wok)
    bump_all(order, kitchen.cold)


def _pickup(kitchen: Kitchen, query: str) -> str:
    response = factories.pickup_client(kitchen.restaurant).get("/pickup/", {"lang": query})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("asked", "speaks", "say"),
    [
        ("zh-hans", "zh-CN", "请42号取餐"),
        ("zh-Hans", "zh-CN", "请42号取餐"),
        ("fr", "en-US", "Order 42, please pick up"),
        ('"><script>alert(1)</script>', "en-US", "Order 42, please pick up"),
        ("zh\x00hans", "en-US", "Order 42, please pick up"),
        ("x" * 100_000, "en-US", "Order 42, please pick up"),
    ],
)
def test_it_speaks_only_a_language_we_ship_on_the_pickup_board(
    kitchen: Kitchen, asked: str, speaks: str, say: str
) -> None:
    _ready_takeout(kitchen)

    page = _pickup(kitchen, asked)

    config = _config(page)
    assert config["speech"]["lang"] == speaks
    assert f'data-say="{say}"' in page
    assert config["ws_path"].endswith("?lang=" + ("zh-hans" if speaks == "zh-CN" else "en"))
    assert "<script>alert" not in page and "\x00" not in page


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(asked=st.text(max_size=40))
def test_it_never_puts_what_it_was_asked_into_the_pickup_page(kitchen: Kitchen, asked: str) -> None:
    page = _pickup(kitchen, asked)
    assert _config(page)["ws_path"].rsplit("?lang=", 1)[1] in {"en", "zh-hans"}


async def test_it_passes_over_a_language_we_do_not_ship_on_the_pickup_socket(
    kitchen: Kitchen,
) -> None:
    await sync(_ready_takeout)(kitchen)
    cookie = await sync(factories.pickup_cookie)(kitchen.restaurant)
    comm = WebsocketCommunicator(
        application, "/ws/pickup/?lang=klingon", headers=[*HEADERS, (b"cookie", cookie.encode())]
    )
    assert (await comm.connect())[0]
    html = (await comm.receive_json_from(timeout=5))["html"]
    assert 'data-say="Order 42, please pick up"' in html
    await comm.disconnect()


def _restaurant_without_a_language(kitchen: Kitchen, value: str) -> None:
    # What the admin cannot store but a shell or an old row can: empty or unknown.
    Restaurant.objects.filter(pk=kitchen.restaurant.pk).update(language=value)


@pytest.mark.parametrize("stored", ["", "fr"])
async def test_it_falls_back_to_the_installations_language_on_every_screen(
    kitchen: Kitchen, settings: Any, stored: str
) -> None:
    """KDS_LANGUAGE is the one default: the station and expo pages and sockets, the tablet
    and the pick-up board all use it when the restaurant's language is not one we ship."""
    settings.LANGUAGE_CODE = "zh-hans"
    await sync(_restaurant_without_a_language)(kitchen, stored)
    await sync(_ready_takeout)(kitchen)
    _screen, cookie = await sync(pair)(kitchen.expo, "Pass")

    def pages() -> tuple[str, str, str]:
        screen = Client()
        screen.cookies["kds_screen"] = cookie
        runner = Client()
        runner.force_login(foh_user())
        return (
            screen.get("/screen/").content.decode(),
            runner.get("/foh/").content.decode(),
            factories.pickup_client(kitchen.restaurant).get("/pickup/").content.decode(),
        )

    expo, tablet, pickup = await sync(pages)()
    for page in (expo, tablet, pickup):
        assert '<html lang="zh-hans"' in page
    assert _config(expo)["speech"]["lang"] == "zh-CN"
    assert _config(pickup)["speech"]["lang"] == "zh-CN"

    expo_socket, board = await expo_connect(cookie)
    assert "已出餐" in "".join(html for _, html in board["tickets"])  # READY
    await expo_socket.disconnect()
    session = await sync(lambda: _session_cookie(foh_user("runner-2")))()
    tablet_socket = WebsocketCommunicator(
        application,
        "/ws/foh/?r=demo",
        headers=[
            *HEADERS,
            (b"cookie", f"{django_settings.SESSION_COOKIE_NAME}={session}".encode()),
        ],
    )
    assert (await tablet_socket.connect())[0]
    assert "上菜" in (await tablet_socket.receive_json_from(timeout=5))["html"]  # Serve
    await tablet_socket.disconnect()
    pickup_cookie = await sync(factories.pickup_cookie)(kitchen.restaurant)
    pickup_socket = WebsocketCommunicator(
        application, "/ws/pickup/", headers=[*HEADERS, (b"cookie", pickup_cookie.encode())]
    )
    assert (await pickup_socket.connect())[0]
    assert 'data-say="请42号取餐"' in (await pickup_socket.receive_json_from(timeout=5))["html"]
    await pickup_socket.disconnect()


def _session_cookie(user: Any) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[django_settings.SESSION_COOKIE_NAME].value
