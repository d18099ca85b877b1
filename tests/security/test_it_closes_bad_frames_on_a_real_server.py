"""A binary or oversized frame on any socket, sent to a real Daphne, closes that socket with
our code and crashes nothing. Daphne refuses to send RFC 6455's 1003 and 1009 (only 1000
and 3000-4999): a consumer closing with them raised inside Daphne and the socket ended
1011 with a traceback in the log, which WebsocketCommunicator never shows."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Origin

from orders.live.messages import CLOSE_BINARY, CLOSE_TOO_BIG
from tests import factories
from tests.browser.server import KdsServer, database_env
from tests.security.conftest import Site

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def server(site: Site, tmp_path: Path) -> Iterator[KdsServer]:
    from django.db import connection

    server = KdsServer(
        env=database_env(dict(connection.settings_dict)), log_path=tmp_path / "daphne.log"
    )
    server.start()
    yield server
    server.stop()


async def close_code(url: str, cookie: str, frame: str | bytes) -> int | None:
    origin = url.replace("ws://", "http://").split("/ws/")[0]
    async with connect(
        url, origin=Origin(origin), additional_headers={"Cookie": cookie}, proxy=None
    ) as socket:
        json.loads(await asyncio.wait_for(socket.recv(), 10))  # the first render
        await socket.send(frame)
        try:
            while True:
                await asyncio.wait_for(socket.recv(), 10)
        except ConnectionClosed:
            return socket.close_code


def test_it_closes_every_socket_on_a_bad_frame_with_its_code(site: Site, server: KdsServer) -> None:
    runner = factories.staff_user(factories.FRONT_OF_HOUSE, username="runner", password="pw-r")
    client = Client()
    client.force_login(runner)
    session = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    base = f"ws://127.0.0.1:{server.port}"
    restaurant = site.kitchen.k.restaurant
    sockets = {
        "station": (f"{base}/ws/screen/", f"kds_screen={site.cookie_a}"),
        "foh": (f"{base}/ws/foh/?r={restaurant.slug}", session),
        "pickup": (f"{base}/ws/pickup/", factories.pickup_cookie(restaurant)),
    }
    frames: list[tuple[str | bytes, int]] = [
        (b"\x00binary", CLOSE_BINARY),
        ("x" * 100_000, CLOSE_TOO_BIG),
    ]

    codes = {
        (name, code): asyncio.run(close_code(url, cookie, frame))
        for name, (url, cookie) in sockets.items()
        for frame, code in frames
    }

    assert codes == {key: key[1] for key in codes}
    log = server.log()
    assert "Traceback" not in log and "invalid close code" not in log, log[-2000:]
