"""The start page's screen list follows a real screen socket: online while it is open,
offline from the moment it closes."""

from __future__ import annotations

import re

import pytest
from channels.db import database_sync_to_async
from django.test import Client

from tests import factories
from tests.conftest import SocketLayer
from tests.reports.users import kitchen_manager
from tests.screens.conftest import communicator, pair


def state_of(client: Client, screen_id: int) -> str:
    html = client.get("/").content.decode()
    found = re.search(rf'<tr class="presence-([a-z-]+)" data-screen="{screen_id}">', html)
    assert found, html
    return found.group(1)


@pytest.mark.django_db(transaction=True)
async def test_a_screen_is_online_while_its_socket_is_open(socket_layer: SocketLayer) -> None:
    kitchen = await database_sync_to_async(factories.make_kitchen)()
    screen, cookie = await database_sync_to_async(pair)(kitchen.fallback, "Wok wall")
    client = Client()
    await database_sync_to_async(client.force_login)(
        await database_sync_to_async(kitchen_manager)()
    )
    look = database_sync_to_async(state_of)
    assert await look(client, screen.pk) == "offline"  # paired, never connected yet

    socket = communicator(cookie)
    connected, _ = await socket.connect()
    assert connected
    await socket.receive_json_from(timeout=5)  # the board
    assert await look(client, screen.pk) == "online"

    await socket.disconnect()
    assert await look(client, screen.pk) == "offline"
