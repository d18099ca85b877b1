"""The pick-up board: a signed URL, numbers only, preparing and ready, live over its socket."""

from __future__ import annotations

import pytest
from channels.testing import WebsocketCommunicator
from django.test import Client

from kds.asgi import application
from tests import factories
from tests.hotpot import Kitchen, bump_all, place
from tests.screens.conftest import sync

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_shows_numbers_only_in_two_columns(kitchen: Kitchen) -> None:
    cooking = place(kitchen, "o-1", number="41", channel="takeout", customer_name="Wang Fang")
    ready = place(kitchen, "o-2", number="42", channel="takeout", customer_name="Li Lei")
    at_table = place(kitchen, "o-3", number="43", table="A12")
    for order in (ready, at_table):
        bump_all(order, kitchen.wok)
        bump_all(order, kitchen.cold)

    page = factories.pickup_client(kitchen.restaurant).get("/pickup/").content.decode()

    preparing, ready_col = page.split("data-preparing", 1)[1].split("data-ready", 1)
    assert f'data-order="{cooking.pk}">41<' in preparing
    assert f'data-order="{ready.pk}"' in ready_col and 'data-say="Order 42, please pick up"' in page
    assert "Wang" not in page and "Li Lei" not in page
    assert ">43<" not in page  # a runner takes table orders out


def test_it_refuses_a_forged_code(kitchen: Kitchen) -> None:
    client = Client()
    client.cookies["kds_pickup"] = "a-forged-code-of-forty-three-characters-xxx"
    assert client.get("/pickup/").status_code == 403
    assert Client().post("/pickup/", {"token": "demo:forged"}).status_code == 404


async def test_it_pushes_the_number_to_ready_when_the_kitchen_finishes(kitchen: Kitchen) -> None:
    order = await sync(place)(kitchen, "o-1", number="42", channel="takeout")
    cookie = await sync(factories.pickup_cookie)(kitchen.restaurant)
    comm = WebsocketCommunicator(
        application,
        "/ws/pickup/?lang=zh-hans",
        headers=[
            (b"origin", b"http://testserver"),
            (b"host", b"testserver"),
            (b"cookie", cookie.encode()),
        ],
    )
    assert (await comm.connect())[0]
    first = await comm.receive_json_from(timeout=5)
    assert first["type"] == "pickup" and "data-say" not in first["html"].split("data-ready")[1]

    await sync(bump_all)(order, kitchen.wok)
    await sync(bump_all)(order, kitchen.cold)

    html = ""
    while 'data-say="请42号取餐"' not in html:
        html = (await comm.receive_json_from(timeout=5))["html"]
    await comm.disconnect()
