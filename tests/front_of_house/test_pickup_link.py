"""The pick-up board's link is the restaurant's own code, /pickup/#<code>: revocable and
rotatable on its own (`manage.py kds_pickup_link --rotate | --revoke`), not by changing
SECRET_KEY. A board that opened it keeps the code in a cookie; a rotated or revoked code
ends the boards it opened, their open sockets at once."""

from __future__ import annotations

import io
import re

import pytest
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client

from kds.asgi import application
from orders.live.messages import CLOSE_FORBIDDEN
from orders.models import Restaurant
from tests import factories
from tests.hotpot import Kitchen, _fresh_board_cache, kitchen, place
from tests.screens.conftest import sync

__all__ = ["_fresh_board_cache", "kitchen"]


def command(*args: str) -> str:
    out = io.StringIO()
    call_command("kds_pickup_link", *args, stdout=out)
    return out.getvalue().strip()


def code_of(link: str) -> str:
    found = re.fullmatch(r"http://\S+/pickup/(\?[^#]*)?#([A-Za-z0-9_-]{43})", link)
    assert found, link
    return found.group(2)


def open_board(code: str, query: str = "") -> Client:
    """What a screen does with the link: kds/pickup-link.js posts the code from the fragment."""
    board = Client()
    response = board.post(f"/pickup/{query}", {"token": code})
    assert response.status_code == 302
    assert response["Location"] == f"/pickup/{query}"
    assert response.cookies["kds_pickup"]["httponly"]
    return board


def socket(board: Client) -> WebsocketCommunicator:
    headers = [
        (b"origin", b"http://testserver"),
        (b"host", b"testserver"),
        (b"cookie", f"kds_pickup={board.cookies['kds_pickup'].value}".encode()),
    ]
    return WebsocketCommunicator(application, "/ws/pickup/", headers=headers)


def test_the_link_carries_its_code_in_the_fragment(kitchen: Kitchen) -> None:
    link = command("--lang", "zh-hans", "--repeat", "3")
    assert link.startswith(f"{settings.KDS_BASE_URL}/pickup/?lang=zh-hans&repeat=3#")
    assert code_of(link) == factories.pickup_code(kitchen.restaurant)


def test_opening_the_link_shows_the_board(kitchen: Kitchen) -> None:
    place(kitchen, "o-1", number="41", channel="takeout")
    first = Client().get("/pickup/")
    assert first.status_code == 200 and "pickup-link.js" in first.content.decode()
    assert factories.pickup_code(kitchen.restaurant) not in first.content.decode()

    board = open_board(code_of(command()), "?lang=zh-hans")
    page = board.get("/pickup/?lang=zh-hans").content.decode()
    assert 'data-order="' in page and ">41<" in page


def test_each_restaurant_has_its_own_code(kitchen: Kitchen) -> None:
    other = factories.make_kitchen("other")
    ours, theirs = code_of(command()), code_of(command("other"))
    assert ours != theirs
    assert "Restaurant other" in open_board(theirs).get("/pickup/").content.decode()
    assert other.restaurant.slug == "other"


@pytest.mark.parametrize("code", ["", "x", "a" * 43, "demo:forged", "\x00" * 43, "é" * 43])
def test_a_wrong_code_opens_nothing(kitchen: Kitchen, code: str) -> None:
    assert Client().post("/pickup/", {"token": code}).status_code == 404


def test_an_old_form_link_no_longer_opens_the_board(kitchen: Kitchen) -> None:
    response = Client().get(f"/pickup/{factories.pickup_code(kitchen.restaurant)}/")
    assert response.status_code == 410


async def test_rotating_ends_the_old_boards_and_the_new_link_works(kitchen: Kitchen) -> None:
    old = await sync(open_board)(code_of(await sync(command)()))
    live = socket(old)
    assert (await live.connect())[0]
    assert (await live.receive_json_from(timeout=5))["type"] == "pickup"

    new_code = code_of(await sync(command)("--rotate"))

    assert await live.receive_output(timeout=5) == {
        "type": "websocket.close",
        "code": CLOSE_FORBIDDEN,
    }
    page = await sync(old.get)("/pickup/")
    assert page.status_code == 403 and page.cookies["kds_pickup"].value == ""
    board = await sync(open_board)(new_code)
    assert (await sync(board.get)("/pickup/")).status_code == 200


async def test_revoking_switches_the_board_off(kitchen: Kitchen) -> None:
    board = await sync(open_board)(code_of(await sync(command)()))
    live = socket(board)
    assert (await live.connect())[0]
    await live.receive_json_from(timeout=5)

    await sync(command)("--revoke")

    assert (await live.receive_output(timeout=5))["code"] == CLOSE_FORBIDDEN
    assert (await sync(board.get)("/pickup/")).status_code == 403
    with pytest.raises(CommandError, match="revoked"):
        await sync(command)()
    assert code_of(await sync(command)("--rotate"))


def test_saving_the_restaurant_keeps_a_rotated_code(kitchen: Kitchen) -> None:
    loaded = Restaurant.objects.get(pk=kitchen.restaurant.pk)
    new_code = code_of(command("--rotate"))
    loaded.name = "Renamed"
    loaded.save()
    assert factories.pickup_code(kitchen.restaurant) == new_code
