"""Many sockets on one restaurant's list cost one render per change, not one each: a
thousand sockets on the pick-up board's public link were a thousand renders per bump on
the one database thread the station screens need too (their boards stalled for
minutes). Every socket still gets every change, and the newest list."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from kds.asgi import application
from orders.boards.pickup import pickup_render
from orders.front_of_house import consumers
from orders.front_of_house.feed import REFRESH_SECONDS
from orders.models import Order
from tests import factories
from tests.hotpot import Kitchen, _fresh_board_cache, bump_all, foh_user, kitchen, place
from tests.screens.conftest import sync

__all__ = ["_fresh_board_cache", "kitchen"]

HEADERS = [(b"origin", b"http://testserver"), (b"host", b"testserver")]


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    counts = {"pickup": 0, "foh": 0}
    real_pickup, real_foh = consumers.pickup_render, consumers.foh_render

    def pickup(*args: Any, **kwargs: Any) -> Any:
        counts["pickup"] += 1
        return real_pickup(*args, **kwargs)

    def foh(*args: Any, **kwargs: Any) -> Any:
        counts["foh"] += 1
        return real_foh(*args, **kwargs)

    monkeypatch.setattr(consumers, "pickup_render", pickup)
    monkeypatch.setattr(consumers, "foh_render", foh)
    return counts


def pickup_socket(cookie: str) -> WebsocketCommunicator:
    return WebsocketCommunicator(
        application, "/ws/pickup/", headers=[*HEADERS, (b"cookie", cookie.encode())]
    )


def foh_socket(session: str) -> WebsocketCommunicator:
    cookie = f"{settings.SESSION_COOKIE_NAME}={session}".encode()
    return WebsocketCommunicator(
        application, "/ws/foh/?r=demo", headers=[*HEADERS, (b"cookie", cookie)]
    )


def session_of_a_runner() -> str:
    client = Client()
    client.force_login(foh_user("runner"))
    return client.cookies[settings.SESSION_COOKIE_NAME].value


async def open_all(comms: list[WebsocketCommunicator]) -> list[dict[str, Any]]:
    for comm in comms:
        assert (await comm.connect())[0]
    return [await comm.receive_json_from(timeout=10) for comm in comms]


async def test_forty_sockets_share_one_render_per_change(
    kitchen: Kitchen, renders: dict[str, int], settings: Any
) -> None:
    settings.KDS_SOCKETS_PER_TOKEN = 100
    order = await sync(place)(kitchen, "o-1", number="42", channel="takeout")
    cookie = await sync(factories.pickup_cookie)(kitchen.restaurant)
    session = await sync(session_of_a_runner)()
    boards = [pickup_socket(cookie) for _ in range(30)]
    tablets = [foh_socket(session) for _ in range(10)]
    firsts = await open_all([*boards, *tablets])
    assert [m["type"] for m in firsts] == ["pickup"] * 30 + ["foh"] * 10
    # One render each for forty connects, not one per socket; on Redis the connects of
    # either kind may straddle a render and make it two.
    assert 1 <= renders["foh"] <= 2 and 1 <= renders["pickup"] <= 2, renders

    await sync(bump_all)(order, kitchen.wok)
    await sync(bump_all)(order, kitchen.cold)  # the order is ready: on both lists

    for comm in [*boards, *tablets]:
        message = await comm.receive_json_from(timeout=10)
        while "42" not in message["html"].split("data-ready")[-1] and message["type"] == "pickup":
            message = await comm.receive_json_from(timeout=10)
    # Two bumps, each touching stations and the restaurant: a handful of renders at most,
    # not one per socket per message.
    assert renders["pickup"] <= 5 and renders["foh"] <= 5, renders
    for comm in [*boards, *tablets]:
        await comm.disconnect()


async def test_refreshes_from_every_page_cost_one_render(
    kitchen: Kitchen, renders: dict[str, int], settings: Any
) -> None:
    settings.KDS_SOCKETS_PER_TOKEN = 100
    cookie = await sync(factories.pickup_cookie)(kitchen.restaurant)
    boards = [pickup_socket(cookie) for _ in range(20)]
    await open_all(boards)
    await asyncio.sleep(REFRESH_SECONDS)  # the pages' periodic refresh comes later

    for comm in boards:
        await comm.send_json_to({"action": "refresh"})
    for comm in boards:
        assert (await comm.receive_json_from(timeout=10))["type"] == "pickup"
    # The connects' render and the refreshes' one, never one per page. On Redis the
    # twenty connects may straddle a render and make it two.
    first = renders["pickup"]
    assert 2 <= first <= 3, renders
    # Asked again at once: each page gets the list, and nothing is rendered for it.
    for comm in boards:
        await comm.send_json_to({"action": "refresh"})
    for comm in boards:
        assert (await comm.receive_json_from(timeout=10))["type"] == "pickup"
    assert renders["pickup"] == first
    for comm in boards:
        await comm.disconnect()


# ------------------------------------------------------------------ property

steps = st.lists(
    st.sampled_from(["open", "close", "order", "bump", "refresh"]), min_size=1, max_size=10
)


def _take(seen: list[str], message: dict[str, Any]) -> None:
    """A list's markup; or the answer to refreshes asked for too often in a row."""
    if message.get("type") == "error":
        assert message["error"] == "rate_limited"
        return
    seen.append(message["html"])


@hypothesis_settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
def test_every_open_board_ends_with_the_newest_list(kitchen: Kitchen, steps: list[str]) -> None:
    from asgiref.sync import async_to_sync

    cookie = factories.pickup_cookie(kitchen.restaurant)

    async def run() -> None:
        open_: list[tuple[WebsocketCommunicator, list[str]]] = []
        made = 0
        for step in steps:
            if step == "open" or not open_:
                comm = pickup_socket(cookie)
                assert (await comm.connect())[0]
                open_.append((comm, [(await comm.receive_json_from(timeout=10))["html"]]))
            elif step == "close":
                comm, _seen = open_.pop(0)
                await comm.disconnect()
            elif step == "order":
                made += 1
                await sync(place)(
                    kitchen, f"p-{made}-{id(steps)}", number=str(made), channel="takeout"
                )
            elif step == "bump":
                order = await sync(Order.objects.filter(status="open").order_by("pk").first)()
                if order is not None:
                    await sync(bump_all)(order, kitchen.wok)
                    await sync(bump_all)(order, kitchen.cold)
            else:
                await open_[0][0].send_json_to({"action": "refresh"})
            for comm, seen in open_:
                while not await comm.receive_nothing(timeout=0.05):
                    _take(seen, await comm.receive_json_from(timeout=10))
        newest = await sync(pickup_render)(kitchen.restaurant, language="en", speech_language="en")
        for comm, seen in open_:
            while not await comm.receive_nothing(timeout=0.3):
                _take(seen, await comm.receive_json_from(timeout=10))
            assert seen[-1] == newest
            await comm.disconnect()

    async_to_sync(run)()
