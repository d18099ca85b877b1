"""Revoking a screen closes its socket at once and sends it back to pairing."""

from __future__ import annotations

import pytest
from django.test import Client

from orders.actions.screens import screen_revoke
from tests.screens.conftest import Kitchen2, connect, pair, sync

pytestmark = pytest.mark.django_db(transaction=True)


async def test_it_closes_the_socket_of_a_revoked_screen_at_once(kitchen2: Kitchen2) -> None:
    screen, cookie = await sync(pair)(kitchen2.a)
    _, other_cookie = await sync(pair)(kitchen2.a, "Other")
    comm, _ = await connect(cookie)
    other_comm, _ = await connect(other_cookie)

    await sync(screen_revoke)(screen=screen)

    assert await comm.receive_json_from(timeout=5) == {"type": "unpaired"}
    assert await comm.receive_output(timeout=5) == {"type": "websocket.close", "code": 4003}
    # The other screen of the station stays.
    assert await other_comm.receive_nothing(timeout=0.3)
    await other_comm.disconnect()


async def test_it_refuses_a_revoked_screen_over_http_and_socket(kitchen2: Kitchen2) -> None:
    screen, cookie = await sync(pair)(kitchen2.a)
    await sync(screen_revoke)(screen=screen)

    def page_status() -> int:
        client = Client()
        client.cookies["kds_screen"] = cookie
        return client.get("/screen/").status_code

    assert await sync(page_status)() == 403
    comm, first = await connect(cookie)
    assert first == {"type": "unpaired"}
    assert (await comm.receive_output(timeout=5))["code"] == 4001
