"""Pairing a screen again hands it to the new device: the old device's open sockets are
closed at once, and, should that news be lost (the channel layer is at-most-once), every
action of an old socket, boards and the recall list included, checks the pairing it was
opened with and is refused."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from orders.actions.screens import screen_pairing_link
from orders.models import LineStation, Screen
from tests.factories import order_body
from tests.hotpot import Kitchen, _fresh_board_cache, bump_all, expo_communicator, kitchen, place
from tests.screens.conftest import connect, next_of, pair, post_order, sync
from tests.security.conftest import Site

__all__ = ["_fresh_board_cache", "kitchen"]

pytestmark = pytest.mark.django_db(transaction=True)


def pair_again(screen: Screen) -> str:
    """A new pairing link for the screen, used on another device: its new cookie."""
    link = screen_pairing_link(screen=screen)
    token = link.rsplit("#", 1)[1]
    response = Client().post("/pair/", {"token": token, "confirm": "1"})
    assert response.status_code == 302
    return str(response.cookies["kds_screen"].value)


def pair_again_quietly(screen: Screen) -> None:
    """The same in the database only: no message reaches the old device's sockets."""
    Screen.objects.filter(pk=screen.pk).update(paired_at=timezone.now() + timedelta(seconds=1))


async def closed_as_revoked(comm: Any) -> None:
    assert await next_of(comm, "unpaired") == {"type": "unpaired"}
    assert (await comm.receive_output(timeout=5))["code"] == 4003


async def test_pairing_again_closes_the_old_devices_socket(site: Site) -> None:
    old, _ = await connect(site.cookie_a)

    new_cookie = await sync(pair_again)(site.screen_a)

    await closed_as_revoked(old)
    new, first = await connect(new_cookie)
    assert first["type"] == "board"
    assert await new.receive_nothing(timeout=0.3)  # the new device's socket stays open
    await new.disconnect()


@pytest.mark.parametrize(
    "message",
    [
        {"action": "resync"},
        {"action": "recall_list"},
        {"action": "sync", "seq": 0, "t": 0},
    ],
    ids=["resync", "recall list", "sync"],
)
async def test_an_old_socket_gets_no_board_once_the_screen_is_paired_elsewhere(
    site: Site, message: dict[str, Any]
) -> None:
    old, _ = await connect(site.cookie_a)
    await sync(pair_again_quietly)(site.screen_a)

    await old.send_json_to(message)

    await closed_as_revoked(old)


async def test_an_old_socket_cannot_bump_once_the_screen_is_paired_elsewhere(site: Site) -> None:
    await sync(post_order)(site.kitchen, order_body("o-1"))
    placement = await sync(LineStation.objects.get)(
        station=site.kitchen.a, line__order__external_id="o-1"
    )
    old, _ = await connect(site.cookie_a)
    await sync(pair_again_quietly)(site.screen_a)

    for action in (
        {"action": "line_bump", "placement": placement.pk},
        {"action": "ticket_bump", "order": placement.order_id},
    ):
        await old.send_json_to(action)
        assert (await next_of(old, "result"))["ok"] is False
    await sync(placement.refresh_from_db)()
    assert placement.state == "live"
    await old.disconnect()  # the consumer ends with the test (see test_every_socket_kind)


async def test_an_old_expo_socket_cannot_hand_over(kitchen: Kitchen) -> None:
    screen, cookie = await sync(pair)(kitchen.expo, "Pass")
    order = await sync(place)(kitchen, "o-1", table="A1")
    await sync(bump_all)(order, kitchen.wok)
    await sync(bump_all)(order, kitchen.cold)
    old = expo_communicator(cookie)
    assert (await old.connect())[0]
    await old.receive_json_from(timeout=5)
    await sync(pair_again_quietly)(screen)

    await old.send_json_to({"action": "handover", "order": order.pk})

    await closed_as_revoked(old)
    await sync(order.refresh_from_db)()
    assert order.status == "ready"
