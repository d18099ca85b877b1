"""The tablet's socket: signed-in front of house only; a serve elsewhere updates it at once."""

from __future__ import annotations

from typing import Any

import pytest
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from kds.asgi import application
from orders.actions import serving
from tests.hotpot import Kitchen, bump_all, foh_user, place
from tests.screens.conftest import sync

pytestmark = pytest.mark.django_db(transaction=True)


def _session_cookie(user: Any) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _communicator(cookie: str | None) -> WebsocketCommunicator:
    headers = [(b"origin", b"http://testserver"), (b"host", b"testserver")]
    if cookie:
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()))
    return WebsocketCommunicator(application, "/ws/foh/?r=demo", headers=headers)


async def test_it_closes_for_someone_not_signed_in(kitchen: Kitchen) -> None:
    comm = _communicator(None)
    assert (await comm.connect())[0]
    assert (await comm.receive_output(timeout=5))["type"] == "websocket.close"
    await comm.disconnect()  # as a browser answers a close: the consumer ends here


async def test_it_drops_an_order_served_from_another_tablet(kitchen: Kitchen) -> None:
    order = await sync(place)(kitchen, table="A12")
    await sync(bump_all)(order, kitchen.wok)
    await sync(bump_all)(order, kitchen.cold)
    runner = await sync(foh_user)("runner")
    other = await sync(foh_user)("other")
    comm = _communicator(await sync(_session_cookie)(runner))
    assert (await comm.connect())[0]
    first = await comm.receive_json_from(timeout=5)
    assert first["type"] == "foh" and f'id="f{order.pk}"' in first["html"]

    await sync(lambda: serving.order_serve(order=order, user=other))()

    html = first["html"]
    while f'id="f{order.pk}"' in html:
        html = (await comm.receive_json_from(timeout=5))["html"]
    assert "Served in the last hour (1)" in html
    await comm.disconnect()
