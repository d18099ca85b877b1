"""A socket without a screen's cookie learns nothing and can do nothing, on the station
and the expo routes, even from a browser logged in to the admin."""

from __future__ import annotations

import pytest
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from orders.models import LineStation, Order
from tests.factories import order_body
from tests.screens.conftest import post_order, sync
from tests.security.conftest import Site

pytestmark = pytest.mark.django_db(transaction=True)


def admin_session(site: Site) -> str:
    client = Client()
    client.force_login(site.admin)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def socket(path: str, cookie_header: str | None) -> WebsocketCommunicator:
    from kds.asgi import application

    headers = [(b"origin", b"http://testserver"), (b"host", b"testserver")]
    if cookie_header:
        headers.append((b"cookie", cookie_header.encode()))
    return WebsocketCommunicator(application, path, headers=headers)


@pytest.mark.parametrize("path", ["/ws/screen/", "/ws/expo/"])
@pytest.mark.parametrize("who", ["nobody", "admin session"])
async def test_it_tells_an_anonymous_socket_only_to_pair(site: Site, path: str, who: str) -> None:
    await sync(post_order)(site.kitchen, order_body("o-1", number="77"))
    order = await sync(Order.objects.get)(external_id="o-1")
    placement = await sync(LineStation.objects.get)(
        station=site.kitchen.a, line__order__external_id="o-1"
    )
    cookie = None if who == "nobody" else f"sessionid={await sync(admin_session)(site)}"
    comm = socket(path, cookie)

    connected, _ = await comm.connect()
    assert connected
    await comm.send_json_to({"action": "line_bump", "placement": placement.pk})
    await comm.send_json_to({"action": "handover", "order": order.pk})
    await comm.send_json_to({"action": "resync"})

    assert await comm.receive_json_from(timeout=5) == {"type": "unpaired"}
    assert await comm.receive_output(timeout=5) == {"type": "websocket.close", "code": 4001}
    await comm.wait()
    await sync(placement.refresh_from_db)()
    assert placement.state == "live"
