"""Accepted means shown: whatever `order.updated` adds reaches the screens, whole.

An addition to an order that was already served or handed over (a second round of
drinks, a forgotten side) reopens it on the stations and at expo, flagged as an
addition; a line that was voided and comes back keeps its new notes and modifiers.
"""

from __future__ import annotations

from typing import Any

import pytest

from orders.actions import serving
from orders.models import Order, OrderStatus, Screen
from tests import factories
from tests.hotpot import HOTPOT, Kitchen, _fresh_board_cache, bump_all, foh_user, kitchen, pair
from tests.screens.conftest import post_order
from tests.screens.conftest import screen_page as page

__all__ = ["_fresh_board_cache", "kitchen"]


def update(kitchen: Kitchen, items: list[dict[str, Any]], offset: float = 1) -> None:
    body = factories.order_body(
        "o-1", kind="order.updated", items=items, timestamp=factories.now_rfc3339(offset)
    )
    post_order(kitchen, body)  # type: ignore[arg-type]


def served_order(kitchen: Kitchen, how: str, expo_screen: Screen) -> Order:
    post_order(kitchen, factories.order_body("o-1", items=HOTPOT, table="A1"))  # type: ignore[arg-type]
    order = Order.objects.get(external_id="o-1")
    bump_all(order, kitchen.wok)
    bump_all(order, kitchen.cold)
    if how == "handed over":
        assert serving.order_handover(order=order, screen=expo_screen)
    else:
        assert serving.order_serve(order=order, user=foh_user())
    order.refresh_from_db()
    assert order.status == OrderStatus.SERVED
    return order


@pytest.mark.parametrize("how", ["handed over", "served"])
def test_an_addition_to_a_served_order_reopens_it_on_the_stations_and_expo(
    kitchen: Kitchen, how: str
) -> None:
    expo_screen, expo_cookie = pair(kitchen.expo, "Pass")
    _, wok_cookie = pair(kitchen.wok, "Wok")
    order = served_order(kitchen, how, expo_screen)
    assert "Pork Dumplings" not in page(wok_cookie)

    dumplings = {"id": "l-9", "name": "Pork Dumplings", "quantity": 6, "notes": "sesame allergy"}
    update(kitchen, [*HOTPOT, dumplings])

    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN
    assert order.served_at is None and order.reopened_at is not None
    wok = page(wok_cookie)
    assert "Pork Dumplings" in wok and "sesame allergy" in wok
    assert 'class="badge badge-addition"' in wok
    expo = page(expo_cookie)
    assert "Pork Dumplings" in expo and "sesame allergy" in expo
    assert 'class="badge badge-addition"' in expo


def test_the_reopened_order_is_served_again_with_its_addition(kitchen: Kitchen) -> None:
    expo_screen, expo_cookie = pair(kitchen.expo, "Pass")
    order = served_order(kitchen, "handed over", expo_screen)
    update(kitchen, [*HOTPOT, {"id": "l-9", "name": "Pork Dumplings", "quantity": 6}])

    bump_all(order, kitchen.wok)
    order.refresh_from_db()
    assert order.status == OrderStatus.READY
    assert serving.order_handover(order=order, screen=expo_screen)
    order.refresh_from_db()
    assert order.status == OrderStatus.SERVED
    assert "Pork Dumplings" not in page(expo_cookie)


def test_a_change_of_notes_alone_does_not_reopen_a_served_order(kitchen: Kitchen) -> None:
    expo_screen, _ = pair(kitchen.expo, "Pass")
    order = served_order(kitchen, "handed over", expo_screen)
    update(kitchen, [{**HOTPOT[0], "notes": "extra sauce"}, *HOTPOT[1:]])
    order.refresh_from_db()
    assert order.status == OrderStatus.SERVED


def test_a_voided_line_that_comes_back_comes_back_whole(kitchen: Kitchen) -> None:
    _, wok_cookie = pair(kitchen.wok, "Wok")
    mapo = {"id": "l-3", "name": "Mapo tofu", "quantity": 1, "modifiers": ["mild"]}
    post_order(kitchen, factories.order_body("o-1", items=[HOTPOT[0], mapo]))  # type: ignore[arg-type]
    update(kitchen, [HOTPOT[0]])  # the tofu is voided…
    order = Order.objects.get(external_id="o-1")
    bump_all(order, kitchen.wok)  # …and the cook acknowledges it

    back = {
        **mapo,
        "quantity": 2,
        "modifiers": ["no peanuts"],
        "notes": "peanut allergy",
        "seat": 3,
    }
    update(kitchen, [HOTPOT[0], back], offset=2)

    line = order.lines.get(external_id="l-3")
    assert (line.quantity, line.modifiers, line.notes, line.seat) == (
        2,
        ["no peanuts"],
        "peanut allergy",
        3,
    )
    wok = page(wok_cookie)
    assert "peanut allergy" in wok and "no peanuts" in wok
