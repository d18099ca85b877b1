"""Screen health: online now, offline since, last seen, app version, language and how
it speaks, from real sockets and page loads; the admin lists it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from orders.actions.screens import screen_voice_test
from orders.live.presence import screens_health
from orders.models import Announce, Screen
from tests import factories
from tests.screens.conftest import connect, next_of, pair, sync

pytestmark = pytest.mark.django_db(transaction=True)


def admin_page(path: str) -> str:
    admin = User.objects.filter(username="boss").first() or User.objects.create_superuser(
        "boss", "b@example.com", "x"
    )
    client = Client()
    client.force_login(admin)
    return client.get(path).content.decode()


def load_page(cookie: str) -> None:
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 12; wv) KioskBrowser")
    client.cookies["kds_screen"] = cookie
    assert client.get("/screen/").status_code == 200


async def test_it_shows_each_screen_online_then_offline_since(in_memory_layer: None) -> None:
    k = await sync(factories.make_kitchen)()
    screen, cookie = await sync(pair)(k.fallback, "Wall")
    await sync(load_page)(cookie)
    wall, _ = await connect(cookie)

    (health,) = await sync(screens_health)(now=timezone.now())
    assert health.online and health.offline_since is None and health.last_seen is not None
    assert health.app_version.startswith("0.") and "+" in health.app_version
    assert health.language == "en" and health.speaks == "off"
    page = await sync(admin_page)("/admin/orders/screen/")
    assert "● Online" in page and health.app_version in page

    await wall.disconnect()
    (health,) = await sync(screens_health)(now=timezone.now())
    assert not health.online and health.offline_since is not None
    page = await sync(admin_page)("/admin/orders/screen/")
    assert "Offline since" in page
    detail = await sync(admin_page)(f"/admin/orders/screen/{screen.pk}/change/")
    assert "KioskBrowser" in detail


async def test_it_shows_how_a_speaking_screen_speaks(in_memory_layer: None) -> None:
    k = await sync(factories.make_kitchen)()
    screen, _ = await sync(pair)(k.expo, "Pass")
    await sync(Screen.objects.filter(pk=screen.pk).update)(
        announce=Announce.ORDER, speech_path="server"
    )
    (health,) = await sync(screens_health)(now=timezone.now())
    assert health.speaks == "server"
    page = await sync(admin_page)("/admin/orders/screen/")
    assert "Server audio" in page
    detail = await sync(admin_page)(f"/admin/orders/screen/{screen.pk}/change/")
    assert "en, speaks en" in detail


async def test_the_admins_test_voice_reaches_the_screen(in_memory_layer: None) -> None:
    from channels.testing import WebsocketCommunicator

    from kds.asgi import application

    k = await sync(factories.make_kitchen)()
    screen, cookie = await sync(pair)(k.expo, "Pass")
    comm = WebsocketCommunicator(
        application,
        "/ws/expo/",
        headers=[
            (b"origin", b"http://testserver"),
            (b"host", b"testserver"),
            (b"cookie", f"kds_screen={cookie}".encode()),
        ],
    )
    assert (await comm.connect())[0]
    await sync(screen_voice_test)(screen=screen)
    said = await next_of(comm, "say")
    assert said == {"type": "say", "text": "Voice test. Order 42 is ready.", "lang": "en-US"}
    await comm.disconnect()
