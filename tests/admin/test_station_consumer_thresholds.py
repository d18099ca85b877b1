"""A connected station screen receives new thresholds after a manager saves them."""

from __future__ import annotations

from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import Group, User
from django.db import connections
from django.test import Client
from django.urls import reverse

from orders.models import Screen
from tests import factories
from tests.admin.conftest import ensure_groups
from tests.admin.forms import admin_form_data
from tests.conftest import SocketLayer

pytestmark = pytest.mark.django_db(transaction=True)


def pair_and_login(kitchen: factories.Kitchen) -> tuple[str, Client]:
    screen = Screen.objects.create(
        restaurant=kitchen.restaurant, station=kitchen.fallback, name="Wok"
    )
    response = Client().post("/pair/", {"token": screen.pairing_token, "confirm": "1"})
    assert response.status_code == 302
    ensure_groups()
    user = User.objects.create_user("manager", is_staff=True)
    user.groups.add(Group.objects.get(name="Kitchen manager"))
    factories.every_restaurant(user)
    client = Client()
    client.force_login(user)
    return response.cookies["kds_screen"].value, client


def save_thresholds(client: Client, kitchen: factories.Kitchen) -> None:
    url = reverse("admin:orders_station_change", args=[kitchen.fallback.pk])
    data = admin_form_data(client, url, warning_minutes="2", late_minutes="3")
    assert client.post(url, data).status_code == 302


async def next_with_settings(comm: WebsocketCommunicator) -> dict[str, Any]:
    while True:
        message = await comm.receive_json_from(timeout=5)
        if message.get("type") in ("board", "patch"):
            return message


async def test_it_sends_the_new_thresholds_to_a_connected_screen(socket_layer: SocketLayer) -> None:
    from kds.asgi import application

    kitchen = await database_sync_to_async(factories.make_kitchen)()
    cookie, client = await database_sync_to_async(pair_and_login)(kitchen)
    comm = WebsocketCommunicator(
        application,
        "/ws/screen/",
        headers=[
            (b"origin", b"http://testserver"),
            (b"host", b"testserver"),
            (b"cookie", f"kds_screen={cookie}".encode()),
        ],
    )
    connected, _ = await comm.connect()
    assert connected
    first = await next_with_settings(comm)
    assert first["settings"]["late_seconds"] == 8 * 60

    await database_sync_to_async(save_thresholds)(client, kitchen)

    changed = await next_with_settings(comm)
    assert changed["settings"]["warning_seconds"] == 2 * 60
    assert changed["settings"]["late_seconds"] == 3 * 60
    await comm.disconnect()
    # The consumer's database thread keeps a connection open; let the test database go.
    await database_sync_to_async(connections.close_all)()
