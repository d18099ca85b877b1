"""Station screens: a kitchen with two prep stations, paired screens and socket helpers."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import transaction
from django.test import Client

from orders.boards import render as board_module
from orders.live.sequence import stations_touch
from orders.models import LineStation, MenuItem, RoutingRule, Screen, Station, TicketState
from tests import factories
from tests.conftest import SocketLayer

ORIGIN = b"http://testserver"


@dataclass
class Kitchen2:
    """Station A (the fallback) gets everything but fries; station B gets fries."""

    k: factories.Kitchen
    a: Station
    b: Station


@pytest.fixture(autouse=True)
def _fresh_board_cache() -> Iterator[None]:
    # Ids can repeat between tests on SQLite, so a cached render must not outlive one.
    board_module.cache_clear()
    yield
    board_module.cache_clear()


@pytest.fixture
def kitchen2(transactional_db: None, socket_layer: SocketLayer) -> Kitchen2:
    k = factories.make_kitchen()
    b = Station.objects.create(restaurant=k.restaurant, name="Fryer", slug="fryer", position=2)
    fries = MenuItem.objects.create(restaurant=k.restaurant, sku="FRIES", name="Fries")
    rule = RoutingRule.objects.create(restaurant=k.restaurant, menu_item=fries, position=1)
    rule.stations.add(b)
    return Kitchen2(k=k, a=k.fallback, b=b)


# An order of two courses, for the held-course tests; hold_second_course holds the second.
TWO_COURSES = [
    {"id": "l-1", "name": "Spring rolls", "quantity": 1, "course": 1},
    {"id": "l-2", "name": "Peking duck", "quantity": 1, "course": 2},
]


def hold_second_course(station: Station) -> None:
    """Holds the second course (TWO_COURSES' l-2) at the station and tells its screens."""
    with transaction.atomic():
        LineStation.objects.filter(line__external_id="l-2", station=station).update(
            state=TicketState.HELD, fired_at=None
        )
        stations_touch(station_ids=[station.pk], reason="test")


def post_order(kitchen: Kitchen2, body: dict[str, Any]) -> Any:
    response = factories.post_webhook(kitchen.k.source.slug, kitchen.k.secret, body)
    assert response.status_code in (200, 201), response.content
    return response.json()


def screen_page(cookie: str) -> str:
    """The page a device paired with `cookie` loads at /screen/."""
    client = Client()
    client.cookies["kds_screen"] = cookie
    response = client.get("/screen/")
    assert response.status_code == 200
    return response.content.decode()


def pair(station: Station, name: str = "Screen") -> tuple[Screen, str]:
    """Pairs a new screen through its one-time link; returns it and its cookie value."""
    screen = Screen.objects.create(restaurant=station.restaurant, station=station, name=name)
    assert screen.pairing_token
    response = Client().post("/pair/", {"token": screen.pairing_token, "confirm": "1"})
    assert response.status_code == 302, response.content
    screen.refresh_from_db()
    return screen, response.cookies["kds_screen"].value


def http_action(cookie: str, **data: Any) -> int:
    """A screen's tap over HTTP (as when its socket is reconnecting), with its cookie;
    the status code."""
    client = Client()
    client.cookies["kds_screen"] = cookie
    return client.post("/screen/action/", data).status_code


def communicator(
    cookie: str | None, *, origin: bytes = ORIGIN, path: str = "/ws/screen/"
) -> WebsocketCommunicator:
    """A paired screen's socket (a station's, or expo's at /ws/expo/)."""
    from kds.asgi import application

    headers = [(b"origin", origin), (b"host", b"testserver")]
    if cookie is not None:
        headers.append((b"cookie", f"kds_screen={cookie}".encode()))
    return WebsocketCommunicator(application, path, headers=headers)


async def connect(cookie: str | None) -> tuple[WebsocketCommunicator, dict[str, Any]]:
    """Connects a screen and returns it with the first message (the whole board)."""
    comm = communicator(cookie)
    connected, _ = await comm.connect()
    assert connected
    first = await comm.receive_json_from(timeout=5)
    return comm, first


async def next_of(comm: WebsocketCommunicator, kind: str, timeout: float = 5) -> dict[str, Any]:
    """The next message of a type, skipping others (pongs, results)."""
    while True:
        message = await comm.receive_json_from(timeout=timeout)
        if message["type"] == kind:
            return message


async def next_board_state(comm: WebsocketCommunicator, timeout: float = 5) -> dict[str, Any]:
    """The next board or patch."""
    while True:
        message = await comm.receive_json_from(timeout=timeout)
        if message["type"] in ("board", "patch"):
            return message


def keys(message: dict[str, Any]) -> list[str]:
    if message["type"] == "board":
        return [key for key, _ in message["tickets"]]
    return list(message["order"])


def html_of(message: dict[str, Any]) -> str:
    pairs = message["tickets"] if message["type"] == "board" else message["upsert"]
    return "\n".join(html for _, html in pairs)


def sync(fn: Callable[..., Any]) -> Callable[..., Any]:
    return database_sync_to_async(fn)


def dumps(value: Any) -> str:
    return json.dumps(value)


@pytest.fixture(autouse=True)
async def _close_worker_connections() -> Any:
    """Closes the connection of the thread database_sync_to_async runs in, so the test
    database can be dropped at the end of the session."""
    from django.db import connections

    yield
    await database_sync_to_async(connections.close_all)()
