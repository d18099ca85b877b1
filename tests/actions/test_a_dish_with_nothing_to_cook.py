"""A dish no rule routes and no fallback catches has nothing to cook: it is ready at once.

Expo, front of house and serving read its state from one place (orders.kitchen.readiness),
so front of house can serve it and the order leaves expo when it is served. Before, expo
showed it served, front of house ready, and serving refused it: the order never left.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from orders.models import LineStation, Order, OrderStatus, StationKind
from tests.hotpot import Kitchen, bump_all, expo_connect, foh_user, pair, place
from tests.screens.conftest import html_of, keys, next_board_state, sync

pytestmark = pytest.mark.django_db(transaction=True)

BEEF = {"id": "l-1", "sku": "HP-BEEF", "name": "Sliced Beef", "quantity": 2}
COLA = {"id": "l-9", "name": "Cola", "quantity": 1}  # on no menu, no rule, no fallback


def _without_fallback(kitchen: Kitchen) -> None:
    kitchen.wok.is_fallback = False
    kitchen.wok.save()


def _runner() -> Client:
    client = Client()
    client.force_login(foh_user())
    return client


def _cola_placements(order: Order) -> list[str]:
    return list(
        LineStation.objects.filter(line__order=order, line__external_id="l-9").values_list(
            "station__kind", flat=True
        )
    )


def _foh_line(page: str, name: str) -> str:
    """The tablet's list item for a dish."""
    match = re.search(rf'<li class="foh-line[^"]*">(?:(?!</li>).)*{name}.*?</li>', page, re.S)
    assert match, f"{name} is not on the tablet"
    return match.group(0)


def test_it_serves_an_order_with_an_unrouted_dish_from_front_of_house(kitchen: Kitchen) -> None:
    _without_fallback(kitchen)
    order = place(kitchen, table="A12", items=[BEEF, COLA])
    assert _cola_placements(order) == [StationKind.EXPO]  # the case: expo only
    bump_all(order, kitchen.cold)
    order.refresh_from_db()
    assert order.status == OrderStatus.READY
    runner = _runner()
    page = runner.get("/foh/").content.decode()
    assert 'data-action="serve_line"' in _foh_line(page, "Cola")

    served = runner.post("/foh/action/", {"action": "serve_order", "order": order.pk})

    assert served.json() == {"ok": True, "action": "serve_order"}
    order.refresh_from_db()
    assert order.status == OrderStatus.SERVED
    assert f'id="f{order.pk}"' not in runner.get("/foh/").content.decode()


def test_it_makes_an_order_of_only_such_dishes_ready_on_arrival(kitchen: Kitchen) -> None:
    _without_fallback(kitchen)
    order = place(kitchen, table="7", items=[COLA])
    order.refresh_from_db()
    assert order.status == OrderStatus.READY and order.ready_at is not None
    runner = _runner()
    cola = order.lines.get()

    served = runner.post(
        "/foh/action/", {"action": "serve_line", "order": order.pk, "line": cola.pk}
    )

    assert served.json()["ok"] is True
    order.refresh_from_db()
    assert order.status == OrderStatus.SERVED


def test_it_opens_a_ready_order_again_when_a_dish_to_cook_is_added(kitchen: Kitchen) -> None:
    _without_fallback(kitchen)
    order = place(kitchen, table="7", items=[COLA])
    place(kitchen, table="7", items=[COLA, BEEF], kind="order.updated")
    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN and order.ready_at is None


async def test_it_shows_the_dish_ready_at_expo_and_the_order_leaves_when_served(
    kitchen: Kitchen,
) -> None:
    await sync(_without_fallback)(kitchen)
    _screen, cookie = await sync(pair)(kitchen.expo, "Pass")
    comm, _first = await expo_connect(cookie)
    order = await sync(place)(kitchen, number="42", table="A12", items=[BEEF, COLA])
    board = await next_board_state(comm)
    assert keys(board) == [f"x{order.pk}"]
    cola = re.search(
        r'<li class="xline state-(\w+)[^>]*>(?:(?!</li>).)*Cola(?:(?!</li>).)*</li>',
        html_of(board),
        re.S,
    )
    assert cola and cola.group(1) == "ready"  # not "served": nobody has taken it out
    assert "send-back" not in cola.group(0)  # no station to send it back to
    assert "Nothing to cook" in html_of(board)
    await sync(bump_all)(order, kitchen.cold)
    while 'data-status="ready"' not in html_of(board := await next_board_state(comm)):
        pass

    served = await sync(
        lambda: _runner().post("/foh/action/", {"action": "serve_order", "order": order.pk})
    )()

    assert served.json()["ok"] is True
    while keys(board := await next_board_state(comm)):
        pass
    assert keys(board) == []
    await comm.disconnect()
