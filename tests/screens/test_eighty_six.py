"""86 from the line: a station screen lists the dishes it cooks, marks one sold out (and
back) over its socket or HTTP, and every screen flags the dish on its tickets, those
already there and those that come later; the outgoing webhook event is queued."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client

from orders.actions.menu import menu_item_availability_set
from orders.models import MenuItem, OutboxMessage, WebhookEndpoint
from tests import factories
from tests.factories import order_body
from tests.screens.conftest import (
    Kitchen2,
    communicator,
    connect,
    html_of,
    next_board_state,
    next_of,
    pair,
    post_order,
    sync,
)

pytestmark = pytest.mark.django_db(transaction=True)

FLAG = 'class="tag tag-86"'


def tap(name: str) -> str:
    """A tap's id, as a page makes it (a UUID), by name."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, name))


def fries_and_rice(order_id: str, number: str) -> dict[str, Any]:
    return order_body(
        order_id,
        number=number,
        items=[
            {"id": "l-1", "sku": "FRIES", "name": "Fries", "quantity": 1},
            {"id": "l-2", "name": "Rice", "quantity": 1},
        ],
    )


def ready_kitchen(kitchen2: Kitchen2) -> tuple[MenuItem, MenuItem]:
    """Fries (the fryer's) and rice (the fallback's); an endpoint that wants every event."""
    WebhookEndpoint.objects.create(
        restaurant=kitchen2.k.restaurant, name="Ops", url="http://127.0.0.1:9/"
    )
    rice = MenuItem.objects.create(restaurant=kitchen2.k.restaurant, sku="RICE", name="Rice")
    MenuItem.objects.create(
        restaurant=kitchen2.k.restaurant, sku="OLD", name="Old", is_active=False
    )
    return MenuItem.objects.get(sku="FRIES"), rice


async def expo_socket(kitchen2: Kitchen2) -> Any:
    _, cookie = await sync(pair)(kitchen2.k.expo, "Expo")
    comm = communicator(cookie, path="/ws/expo/")
    connected, _ = await comm.connect()
    assert connected
    return comm, await comm.receive_json_from(timeout=5)


async def test_it_86s_a_dish_from_the_station_and_every_screen_flags_it(
    kitchen2: Kitchen2,
) -> None:
    fries, _ = await sync(ready_kitchen)(kitchen2)
    await sync(post_order)(kitchen2, fries_and_rice("o-1", "301"))
    _, fryer_cookie = await sync(pair)(kitchen2.b, "Fryer")
    fryer, first = await connect(fryer_cookie)
    expo, expo_first = await expo_socket(kitchen2)
    assert FLAG not in html_of(first) and FLAG not in html_of(expo_first)

    await fryer.send_json_to({"action": "dishes"})
    listed = await next_of(fryer, "dishes")
    # The fryer lists what its routing sends it: fries, not the fallback's rice.
    assert listed["dishes"] == [{"id": fries.pk, "name": "Fries", "available": True}]

    await fryer.send_json_to({"action": "dish_86", "item": fries.pk, "id": tap("a-1")})
    result = await next_of(fryer, "result")
    assert result == {"type": "result", "action": "dish_86", "ok": True, "id": tap("a-1")}
    assert FLAG in html_of(await next_board_state(fryer))  # its own ticket, at once
    assert (await next_of(fryer, "dishes"))["dishes"] == [
        {"id": fries.pk, "name": "Fries", "available": False}
    ]
    assert FLAG in html_of(await next_board_state(expo))  # and on expo's

    await sync(fries.refresh_from_db)()
    assert not fries.is_available and fries.unavailable_since is not None
    (event,) = await sync(lambda: list(OutboxMessage.objects.all()))()
    assert event.event_type == "menu_item.unavailable"
    assert event.payload["data"]["sku"] == "FRIES"

    # A ticket that arrives later is flagged on every screen that shows the dish.
    await sync(post_order)(kitchen2, fries_and_rice("o-2", "302"))
    later = html_of(await next_board_state(fryer))
    assert "#302" in later and FLAG in later
    on_expo = html_of(await next_board_state(expo))
    assert "#302" in on_expo and on_expo.count(FLAG) == 1  # fries, not the rice
    await fryer.disconnect()
    await expo.disconnect()


async def test_it_brings_a_dish_back_and_says_so(kitchen2: Kitchen2) -> None:
    fries, _ = await sync(ready_kitchen)(kitchen2)
    _, cookie = await sync(pair)(kitchen2.b, "Fryer")
    fryer, _ = await connect(cookie)
    await fryer.send_json_to({"action": "dish_86", "item": fries.pk, "id": tap("a-1")})
    assert (await next_of(fryer, "result"))["ok"] is True

    await fryer.send_json_to({"action": "dish_back", "item": fries.pk, "id": tap("a-2")})

    assert (await next_of(fryer, "result"))["ok"] is True
    await sync(fries.refresh_from_db)()
    assert fries.is_available and fries.unavailable_since is None
    types = await sync(lambda: list(OutboxMessage.objects.values_list("event_type", flat=True)))()
    assert sorted(types) == ["menu_item.available", "menu_item.unavailable"]
    await fryer.disconnect()


async def test_a_repeated_tap_does_it_once_and_a_second_86_is_already_done(
    kitchen2: Kitchen2,
) -> None:
    fries, _ = await sync(ready_kitchen)(kitchen2)
    _, cookie = await sync(pair)(kitchen2.b, "Fryer")
    fryer, _ = await connect(cookie)

    for _ in range(2):  # the same tap, sent again (no answer seen the first time)
        await fryer.send_json_to({"action": "dish_86", "item": fries.pk, "id": tap("a-1")})
        assert (await next_of(fryer, "result"))["ok"] is True
    await fryer.send_json_to({"action": "dish_86", "item": fries.pk, "id": tap("a-2")})
    again = await next_of(fryer, "result")

    assert (again["ok"], again["reason"]) == (False, "already")
    assert await sync(OutboxMessage.objects.count)() == 1
    await fryer.disconnect()


async def test_a_screen_may_not_86_what_its_station_does_not_cook(kitchen2: Kitchen2) -> None:
    _, rice = await sync(ready_kitchen)(kitchen2)
    other = await sync(factories.make_kitchen)("other")
    theirs = await sync(MenuItem.objects.create)(restaurant=other.restaurant, name="Theirs")
    _, cookie = await sync(pair)(kitchen2.b, "Fryer")
    fryer, _ = await connect(cookie)

    for n, item in enumerate((rice.pk, theirs.pk, 10**9)):
        await fryer.send_json_to({"action": "dish_86", "item": item, "id": tap(f"n{n}")})
        refused = await next_of(fryer, "result")
        assert (refused["ok"], refused["reason"]) == (False, "not_allowed"), item
    for n, item in enumerate(("x", 2**63, None, "1\x00", [1], True)):
        await fryer.send_json_to({"action": "dish_86", "item": item, "id": tap(f"m{n}")})
        refused = await next_of(fryer, "result")
        assert (refused["ok"], refused["reason"]) == (False, "malformed"), item

    assert await sync(lambda: MenuItem.objects.filter(is_available=False).count())() == 0
    assert not await sync(OutboxMessage.objects.exists)()
    await fryer.disconnect()


async def test_expo_lists_every_dish_and_can_86_any(kitchen2: Kitchen2) -> None:
    _, rice = await sync(ready_kitchen)(kitchen2)
    await sync(MenuItem.objects.filter(pk=rice.pk).update)(name_zh="米饭")
    expo, _ = await expo_socket(kitchen2)

    await expo.send_json_to({"action": "dishes"})
    names = [d["name"] for d in (await next_of(expo, "dishes"))["dishes"]]
    await expo.send_json_to({"action": "dish_86", "item": rice.pk, "id": tap("e-1")})

    assert names == ["Fries", "Rice"]  # active dishes only
    assert (await next_of(expo, "result"))["ok"] is True
    listed = (await next_of(expo, "dishes"))["dishes"]
    assert listed[0] == {"id": rice.pk, "name": "Rice", "available": False}  # 86'd first
    await expo.disconnect()


async def test_an_open_86_list_follows_a_change_made_elsewhere(kitchen2: Kitchen2) -> None:
    fries, _ = await sync(ready_kitchen)(kitchen2)
    _, cookie = await sync(pair)(kitchen2.b, "Fryer")
    fryer, _ = await connect(cookie)
    expo, _ = await expo_socket(kitchen2)

    # The fryer 86s fries: expo's list (which it did not ask for again) shows it.
    await fryer.send_json_to({"action": "dish_86", "item": fries.pk, "id": tap("a-1")})
    on_expo = (await next_of(expo, "dishes"))["dishes"]
    assert {"id": fries.pk, "name": "Fries", "available": False} in on_expo
    # The admin brings them back (its action calls this): the fryer's list follows, unasked.
    await sync(menu_item_availability_set)(item=fries, available=True)
    on_fryer = await next_of(fryer, "dishes")
    while not on_fryer["dishes"][0]["available"]:  # its own 86's answer comes first
        on_fryer = await next_of(fryer, "dishes")
    assert on_fryer["dishes"] == [{"id": fries.pk, "name": "Fries", "available": True}]
    await fryer.disconnect()
    await expo.disconnect()


def test_the_http_fallback_86s_too(kitchen2: Kitchen2) -> None:
    fries, _ = ready_kitchen(kitchen2)
    _, cookie = pair(kitchen2.b, "Fryer")
    client = Client()
    client.cookies["kds_screen"] = cookie

    done = client.post("/screen/action/", {"action": "dish_86", "item": fries.pk, "id": tap("h-1")})
    refused = client.post(
        "/screen/action/", {"action": "dish_86", "item": fries.pk, "id": tap("h-2")}
    )

    assert (done.status_code, done.json()["ok"]) == (200, True)
    assert (refused.status_code, refused.json()["reason"]) == (409, "already")
    fries.refresh_from_db()
    assert not fries.is_available
